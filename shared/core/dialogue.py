"""The conversation core: (intent, slots, state) -> Reply, the same for Alexa and the phone.

A channel turns the Reply into its own format and may add only its own navigation words
(the phone's "press 1 for the next step"). The state is plain data the channel carries back
(Alexa session attributes; the phone's action URL), see `State.to_dict`.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Callable, Mapping, NamedTuple

from shared.core import intents, rules
from shared.core.content import Content
from shared.core.text import parse_days

MAX_SLOT_CHARS = 100


class Mode(StrEnum):
    """What the person is being asked next: the one place this is decided. A channel picks its
    keys and navigation words by it (the phone: ivr/routes.py `KEYS`, `KEYS_SAID`)."""

    QUESTION = "question"          # ask anything
    OFFER = "offer"                # a yes/no question is pending
    FRONT_DESK_OFFER = "front_desk_offer"  # after the safety answer: yes (or 0) reaches a person
    AFTERCARE = "aftercare"        # reading the aftercare steps
    LAST_STEP = "last_step"        # the last step was read and the next topic offered
    HANDOFF = "handoff"            # wants a person (the phone transfers)
    CONFIRM = "confirm"            # "Did you want to know about...?" (a reply's mode; its state's is OFFER)
    GOODBYE = "goodbye"


class Question(NamedTuple):
    """An intent with its slots: what was asked (kept for "repeat") or offered (what "yes" answers)."""

    intent: str
    slots: tuple[tuple[str, str], ...] = ()

    @property
    def slot_map(self) -> dict[str, str]:
        return dict(self.slots)


class State(NamedTuple):
    step: int | None = None     # index of the aftercare step last read
    offer: Question | None = None   # what "yes" leads to
    last: Question | None = None    # what "repeat" says again

    @property
    def mode(self) -> Mode:
        """What this state asks the person next."""
        if self.offer and self.offer.intent == intents.FRONT_DESK:
            return Mode.FRONT_DESK_OFFER
        if self.offer:
            return Mode.LAST_STEP if self.step is not None else Mode.OFFER
        return Mode.AFTERCARE if self.step is not None else Mode.QUESTION

    def to_dict(self) -> dict[str, str]:
        """Flat string dict: Alexa session attributes and the phone's query string both carry it."""
        out: dict[str, str] = {} if self.step is None else {"step": str(self.step)}
        for name, call in (("offer", self.offer), ("last", self.last)):
            if call:
                out[name] = call.intent
                out.update({f"{name}.{k}": v for k, v in call.slots})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> "State":
        """Tolerant: anything odd (forged, stale, wrong type) is dropped, never raised."""
        data = data if isinstance(data, Mapping) else {}
        step = str(data.get("step", ""))
        return cls(step=int(step) if step.isascii() and step.isdigit() and len(step) < 3 else None,
                   offer=_question_from(data, "offer"), last=_question_from(data, "last"))


def _question_from(data: Mapping[str, object], name: str) -> Question | None:
    intent = data.get(name)
    if intent not in intents.CUSTOM_INTENTS:
        return None
    prefix = f"{name}."
    slots = tuple(sorted((k[len(prefix):], slot_text(v)) for k, v in data.items()
                         if isinstance(k, str) and k.startswith(prefix) and v is not None))
    return Question(str(intent), slots)


class Reply(NamedTuple):
    speech: str              # plain text, channel-neutral
    card_title: str
    card_text: str
    reprompt: str | None     # said if the person says nothing; None when the conversation ends
    state: State
    intent: str | None       # the intent that produced the reply (for logs and tests); None for the welcome
                             # and a confirmation
    confirming: bool = False  # asks whether it heard right (see `confirm`)

    @property
    def end(self) -> bool:
        return self.reprompt is None

    @property
    def mode(self) -> Mode:
        """What the person is being asked next: the state's mode, unless the reply ends the
        conversation, hands it to a person or asks whether it heard right."""
        if self.end:
            return Mode.GOODBYE
        if self.intent == intents.FRONT_DESK:
            return Mode.HANDOFF
        return Mode.CONFIRM if self.confirming else self.state.mode


class Turn(NamedTuple):
    content: Content
    intent: str
    slots: dict[str, str]
    state: State


# ---------------------------------------------------------------- reply builders

def _listen(turn: Turn, speech: str, title: str, card: str, *, state: State | None = None,
            offer: str | None = None) -> Reply:
    """A reply that keeps listening: ends with an offer question or 'what else?'."""
    c = turn.content
    state = state or State()
    if offer:
        question = c.phrases["offers"][offer]
        state = state._replace(offer=Question(offer))
    else:
        question = c.say("anything_else")
    return Reply(f"{speech} {question}".strip(), title, card, question if offer else c.say("reprompt"),
                 state, turn.intent)


def _remember(turn: Turn) -> State:
    return State(last=Question(turn.intent, tuple(sorted(turn.slots.items()))))


def topic_reply(turn: Turn) -> Reply:
    topic = turn.content.topics[turn.intent]
    return _listen(turn, topic.answer, topic.title, topic.answer, state=_remember(turn), offer=topic.offer)


def suitability_reply(turn: Turn) -> Reply:
    c, topic = turn.content, turn.content.topics[intents.SUITABILITY]
    said = turn.slots.get("condition")
    if not said:
        speech = f"{topic.answer} {c.say('ask_condition')}"
        return Reply(speech, topic.title, topic.answer, c.say("ask_condition"),
                     _remember(turn), turn.intent)
    answer = rules.suitability(c, said)
    return _listen(turn, answer.text, topic.title, answer.text, state=_remember(turn))


def timing_reply(turn: Turn) -> Reply:
    c, title = turn.content, turn.content.topics[intents.AFTERCARE].title
    said = turn.slots.get("activity")
    if not said:
        ask = c.say("timing_ask_activity")
        return Reply(ask, title, ask, ask, State(), turn.intent)
    answer = rules.timing(c, said, parse_days(turn.slots.get("days")))
    return _listen(turn, answer.text, title, answer.text, state=_remember(turn))


def aftercare_step(turn: Turn, step: int, prefix: str = "") -> Reply:
    """Read step `step` (0-based); the last one says so and offers what's next."""
    c, steps = turn.content, turn.content.aftercare_steps
    title = c.topics[intents.AFTERCARE].title
    step = max(0, min(step, len(steps) - 1))
    text = c.say("aftercare_step", number=step + 1, total=len(steps), step=steps[step])
    state = State(step=step, last=Question(intents.AFTERCARE))
    if step == len(steps) - 1:
        return _listen(turn, f"{prefix} {text} {c.say('aftercare_last')}".strip(), title, text, state=state,
                       offer=c.topics[intents.AFTERCARE].offer)
    hint = c.say("aftercare_next_hint")
    return Reply(f"{prefix} {text} {hint}".strip(), title, text, hint, state, turn.intent)


def aftercare_reply(turn: Turn) -> Reply:
    return aftercare_step(turn, 0, prefix=turn.content.topics[intents.AFTERCARE].answer)


def navigate_reply(turn: Turn) -> Reply:
    """Next / previous / repeat / start over: within the aftercare steps, or a sensible answer outside."""
    c, step, intent = turn.content, turn.state.step, turn.intent
    if intent == intents.NEXT and turn.state.offer and step is None:
        return yes_reply(turn)  # "go on" to "Would you like to hear...?"
    if step is None:
        return _outside_steps(turn)
    last = len(c.aftercare_steps) - 1
    if intent == intents.NEXT and step >= last:
        text = c.say("aftercare_last")
        return _listen(turn, text, c.topics[intents.AFTERCARE].title, text, state=State(step=last),
                       offer=c.topics[intents.AFTERCARE].offer)
    if intent == intents.PREVIOUS and step == 0:
        return aftercare_step(turn, 0, prefix=c.say("aftercare_first"))
    moves = {intents.NEXT: step + 1, intents.PREVIOUS: step - 1, intents.REPEAT: step, intents.START_OVER: 0}
    return aftercare_step(turn, moves[intent])


def _outside_steps(turn: Turn) -> Reply:
    c = turn.content
    if turn.intent == intents.REPEAT and turn.state.last:
        return respond(c, turn.state.last.intent, turn.state.last.slot_map, State())
    if turn.intent == intents.START_OVER:
        return welcome(c)
    text = c.say("aftercare_not_started")
    return Reply(text, c.topics[intents.AFTERCARE].title, text, text,
                 State(offer=Question(intents.AFTERCARE)), turn.intent)


def yes_reply(turn: Turn) -> Reply:
    """Yes (or "ok", "sure", "go ahead"): takes the offer; in the aftercare steps, goes on; else asks."""
    offer, step = turn.state.offer, turn.state.step
    if offer is not None:
        return respond(turn.content, offer.intent, offer.slot_map, turn.state._replace(offer=None))
    if step is not None:
        return navigate_reply(turn._replace(intent=intents.NEXT))
    return _listen(turn, "", turn.content.clinic_name, turn.content.say("anything_else"))


def no_reply(turn: Turn) -> Reply:
    """No to an offer, or out of the steps: "Okay, what else?"; no to "what else?" itself: goodbye."""
    c = turn.content
    if turn.state.offer is None and turn.state.step is None:
        return goodbye_reply(turn)
    return _listen(turn, c.say("no_offer"), c.clinic_name, c.say("anything_else"))


def help_reply(turn: Turn) -> Reply:
    c = turn.content
    text = c.say("help")
    return Reply(text, c.clinic_name, text, c.say("reprompt"), turn.state, turn.intent)


def goodbye_reply(turn: Turn) -> Reply:
    c = turn.content
    text = c.say("goodbye")
    return Reply(text, c.clinic_name, text, None, State(), turn.intent)


def fallback_reply(turn: Turn) -> Reply:
    c = turn.content
    text = c.say("fallback")
    return Reply(f"{text} {c.say('anything_else')}", c.clinic_name, text, c.say("reprompt"),
                 turn.state._replace(offer=None), turn.intent)


def safety_reply(turn: Turn) -> Reply:
    """The complication answer, led by emergency services for an emergency sign; then the front desk
    is offered at once (yes or, on the phone, 0 reaches it)."""
    c = turn.content
    lead = c.emergency_answer if turn.slots.get("concern") == "emergency" else ""
    text = f"{lead} {c.safety_answer}".strip()
    question = c.say("safety_offer")
    return Reply(f"{text} {question}", c.safety_title, f"{text} {c.say('front_desk')}", question,
                 State(offer=Question(intents.FRONT_DESK)), intents.COMPLICATION)


def front_desk_reply(turn: Turn) -> Reply:
    c = turn.content
    text = c.say("front_desk")
    return Reply(f"{text} {c.say('anything_else')}", c.clinic_name, text, c.say("reprompt"),
                 State(), turn.intent)


def reminder_reply(turn: Turn) -> Reply:
    """The reminder's words at the clinic's time zone, nothing delivered: each channel intercepts
    ReminderIntent to set it (skill/reminders.py, ivr/reminders.py); this serves `try` and "repeat"."""
    from datetime import datetime

    from shared.core import reminders  # lazily: it builds on this module
    from shared.settings import Settings
    now = datetime.now(reminders.zone(None, Settings.from_env().clinic_timezone))
    outcome = reminders.plan(turn.content, turn.slots.get("activity"), reminders.days_of(turn.slots), now)
    return reminders.reply(turn.content, outcome, turn.slots)


HANDLERS: dict[str, Callable[[Turn], Reply]] = {
    **{intent: topic_reply for intent in (intents.WHAT_IS, intents.PAIN, intents.DOWNTIME, intents.SESSION_COUNT,
                                          intents.BENEFITS, intents.PROCEDURE, intents.RISKS)},
    intents.SUITABILITY: suitability_reply,
    intents.AFTERCARE: aftercare_reply,
    intents.AFTERCARE_TIMING: timing_reply,
    intents.REMINDER: reminder_reply,
    intents.COMPLICATION: safety_reply,
    intents.FRONT_DESK: front_desk_reply,
    intents.HELP: help_reply,
    intents.NAVIGATE_HOME: lambda turn: welcome(turn.content),
    intents.STOP: goodbye_reply,
    intents.CANCEL: goodbye_reply,
    intents.FALLBACK: fallback_reply,
    intents.NEXT: navigate_reply,
    intents.PREVIOUS: navigate_reply,
    intents.REPEAT: navigate_reply,
    intents.START_OVER: navigate_reply,
    intents.YES: yes_reply,
    intents.NO: no_reply,
}


def slot_text(value: object) -> str:
    """A slot value as it may be read back: printable characters only, spaces collapsed, bounded."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)[:MAX_SLOT_CHARS * 2])
    return " ".join(text.split())[:MAX_SLOT_CHARS]


def _clean_slots(slots: Mapping[str, object] | None) -> dict[str, str]:
    """Only non-empty string values, trimmed and bounded."""
    out: dict[str, str] = {}
    for name, value in (slots or {}).items():
        text = slot_text(value) if isinstance(name, str) and isinstance(value, (str, int)) else ""
        if text:
            out[name] = text
    return out


def respond(content: Content, intent: str, slots: Mapping[str, object] | None = None,
            state: State | None = None) -> Reply:
    """The reply to `intent`; an unknown intent gets the spoken fallback, never an exception."""
    turn = Turn(content, intent, _clean_slots(slots), state or State())
    handler = HANDLERS.get(intent, fallback_reply)
    if handler is fallback_reply:
        turn = turn._replace(intent=intents.FALLBACK)
    return handler(turn)


def confirm(content: Content, intent: str, slots: Mapping[str, object] | None, state: State) -> Reply:
    """Not sure what was meant: ask ("Did you want to know about downtime?"); yes answers it. An
    intent with no topic name to ask about gets the fallback."""
    topic = content.phrases["topic_names"].get(intent)
    if topic is None:
        return respond(content, intents.FALLBACK, None, state)
    text = content.say("confirm", topic=topic)
    offer = Question(intent, tuple(sorted(_clean_slots(slots).items())))
    return Reply(text, content.clinic_name, text, text, state._replace(offer=offer), None,
                 confirming=True)


def welcome(content: Content) -> Reply:
    text = content.say("welcome")
    return Reply(text, content.clinic_name, text, content.say("reprompt"), State(), None)

