"""The phone line's webhook (blueprint `phone`, under /ivr/): one call turn per request.

Twilio posts the caller's speech (`SpeechResult`) or key (`Digits`) to the action URL of the last
<Gather>; the conversation state rides in that URL's query string (Twilio signs it, so it can't
be forged). Every request's X-Twilio-Signature is checked first (see `check_signature`).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Mapping
from dataclasses import dataclass
from enum import StrEnum

from flask import Blueprint, Response, abort, after_this_request, current_app, request, url_for
from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException

from ivr import reminders, sms, twiml
from ivr.language import SPANISH, call_locale, lang_query, language_offer, wants_spanish
from shared.core import intents
from shared.core.dialogue import Mode, Reply, State, confirm, respond, welcome
from shared.core.reminders import requested as reminder_requested
from shared.core.content import Content
from shared.store import Bundle, current, current_content
from shared.core.text import spoken_minus

if TYPE_CHECKING:
    from shared.understanding.matcher import Match

log = logging.getLogger(__name__)
phone = Blueprint("phone", __name__, url_prefix="/ivr")
MISSES_BEFORE_TRANSFER = 2
MAX_HEARD_CHARS = 500  # of what a caller said, kept in a log line or an unanswered question
LOW_CONFIDENCE = 0.4  # Twilio's speech Confidence below this: a topic is confirmed, not answered


class Action(StrEnum):
    """What a key or a spoken command does on the phone alone: no intent, the dialogue never sees it.
    The value is the command's name in the matcher's word lists (`commands` in data/matcher*.yaml)."""

    TEXT_STEPS = "TextMe"  # send the aftercare steps by text message


NAVIGATION_KEYS = {"1": intents.NEXT, "2": intents.REPEAT, "3": intents.PREVIOUS, "9": Action.TEXT_STEPS}
OFFER_KEYS = {"1": intents.YES, "2": intents.NO}
KEYS = {Mode.OFFER: OFFER_KEYS, Mode.FRONT_DESK_OFFER: OFFER_KEYS, Mode.AFTERCARE: NAVIGATION_KEYS,
        Mode.LAST_STEP: {**OFFER_KEYS, "3": intents.PREVIOUS, "9": Action.TEXT_STEPS}}  # else the content's menu
KEYS_SAID = {Mode.QUESTION: "after_answer", Mode.OFFER: "offer_keys", Mode.FRONT_DESK_OFFER: "safety_keys",
             Mode.AFTERCARE: "aftercare_keys", Mode.LAST_STEP: "aftercare_keys_last"}


@dataclass(frozen=True)
class Understood:
    """What the caller's turn amounts to."""

    intent: str | None = None
    slots: dict | None = None
    unsure: bool = False       # ask to confirm before answering
    miss: str | None = None    # "no_input", "no_match", "fallback" (out of scope) or "no_key" (a key that means nothing now)
    action: Action | None = None   # a phone-only key, in place of an intent


def xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def settings():
    return current_app.config["SETTINGS"]


# ---------------------------------------------------------------- security

@phone.before_request
def check_signature() -> None:
    """403 unless X-Twilio-Signature matches the public URL Twilio called and the posted form."""
    if settings().dev:
        log.warning("DEV MODE: Twilio signature check is OFF")
        return
    query = request.query_string.decode("latin-1")
    base = (settings().public_url or request.host_url).rstrip("/")
    url = f"{base}{request.path}" + (f"?{query}" if query else "")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not signature_matches(settings().twilio_auth_token, url, form().to_dict(), signature):
        log.warning("refused request with a missing or wrong Twilio signature: path=%s", request.path)
        abort(403)


def signature_matches(token: str, url: str, form: dict[str, str], signature: str) -> bool:
    """twilio's own check. A non-ASCII header is refused first: its comparison would raise on it."""
    return signature.isascii() and RequestValidator(token).validate(url, form, signature)


def form() -> Mapping[str, str]:
    """Twilio's urlencoded POST fields (parsed once per request by Flask)."""
    return request.form


def state_in() -> tuple[State, int]:
    """The conversation state and the misses in a row, from the action URL's query string (signed, so
    it is ours, but read tolerantly all the same)."""
    miss = request.args.get("miss", "")
    return State.from_dict(request.args), int(miss) if miss.isascii() and miss.isdigit() and len(miss) == 1 else 0


def call_sid() -> str:
    sid = form().get("CallSid", "")
    if not sid:
        abort(400, "CallSid is missing")
    return sid[:64]


# ---------------------------------------------------------------- understanding a turn

def key_map(c: Content, state: State) -> dict[str, str]:
    """Which key means what right now (an intent or an `Action`): yes/no for a question, navigation
    in aftercare, else the menu."""
    keys = dict(KEYS.get(state.mode) or c.phone["menu"])
    if state.mode is Mode.QUESTION:
        keys.update(reminders.keys(settings(), state, Action.TEXT_STEPS))
    keys["0"] = intents.FRONT_DESK
    if not sms.offered():
        keys.pop("9", None)  # offer only what is configured
    return keys


def hear(bundle: Bundle, state: State, digits: str, speech: str, confidence: float) -> tuple[Understood, Match | None]:
    """A key by what it means now; speech through the matcher. A topic heard with low confidence is
    confirmed; a problem report or a command never waits for a confirmation."""
    if digits:
        meaning = key_map(bundle.content, state).get(digits[:1])
        if action := action_of(meaning):
            return Understood(action=action), None
        return (Understood(meaning) if meaning else Understood(miss="no_key")), None
    if not speech:
        return Understood(miss="no_input"), None
    from shared.understanding.matcher import OUT_OF_SCOPE, Decision  # speech only: the greeting and keys need no matcher
    match = bundle.matcher.match(spoken_minus(speech))  # the matcher keeps a long turn's first and last words
    if action := action_of(match.intent):
        return Understood(action=action), match
    if state.offer and state.step is None and (reply := bundle.matcher.opening_reply(spoken_minus(speech), match)):
        return Understood(reply), match  # "no no that's fine, I've got to pick the kids up" after "Would you like...?"
    if match.intent is None:
        return Understood(miss="fallback" if match.candidate == OUT_OF_SCOPE else "no_match"), match
    doubtful_topic = confidence < LOW_CONFIDENCE and match.intent in bundle.content.phrases["topic_names"]
    unsure = match.decision is Decision.CONFIRM or doubtful_topic
    return Understood(match.intent, match.slots, unsure=unsure), match


def action_of(meaning: str | None) -> Action | None:
    """The phone-only action a key or a matched command stands for, if it is one."""
    return next((action for action in Action if action == meaning), None)


def speech_confidence(value: str) -> float:
    """Twilio's Confidence (0 to 1); missing or odd means no doubt from it."""
    try:
        number = float(value)
    except ValueError:
        return 1.0
    return number if 0.0 <= number <= 1.0 else 1.0


# ---------------------------------------------------------------- saying it

def keys_words(c: Content, state: State, full: bool = True) -> str:
    """The keys that work now. In the aftercare steps the full list is said once, with the first
    step (and again on help or a miss); later steps end with the spoken hint alone."""
    mode = state.mode
    if mode is Mode.AFTERCARE and not full:
        return ""
    no_text = "_no_text" if mode in (Mode.AFTERCARE, Mode.LAST_STEP) and not sms.offered() else ""
    return c.phone_says(KEYS_SAID[mode] + no_text)


def listen(c: Content, text: str, state: State, misses: int = 0, extra: dict[str, str] | None = None,
           then: tuple[str, str, str] | None = None) -> Response:
    query = state.to_dict() | ({"miss": str(misses)} if misses else {}) | sms.carried() | lang_query(c) | (extra or {})
    return xml(twiml.gather(c, text, twiml.action_url(url_for("phone.turn"), query), twiml.speech_hints(c), then))


def transfer(c: Content, before: str = "") -> Response:
    """To the front desk; with no number configured, offer a call back (so does a transfer nobody answers)."""
    number, phone_says = settings().front_desk_number, c.phone_says
    if number:
        dialed = twiml.action_url(url_for("phone.dialed"), {"topic": topic_now()})
        return xml(twiml.dial(c, f"{before} {phone_says('transfer')}".strip(), number, dialed))
    return offer_callback(c, topic_now(), "no_front_desk")


def answer(c: Content, reply: Reply) -> Response:
    if reply.mode is Mode.HANDOFF:
        return transfer(c)
    if reply.mode is Mode.GOODBYE:
        return xml(twiml.hang_up(c, reply.speech))
    first_look = reply.state.step in (None, 0) or reply.intent == intents.HELP
    return listen(c, f"{reply.speech} {keys_words(c, reply.state, full=first_look)}".strip(), reply.state)


def missed(c: Content, state: State, misses: int, kind: str) -> Response:
    """No input or no match: re-prompt differently; after the second miss in a row, the front desk.
    A key that means nothing now repeats the keys that do (it is no miss of understanding)."""
    if kind == "no_key":
        return listen(c, f"{c.phone_says('no_key')} {keys_words(c, state)}", state, misses)
    misses += 1
    if misses >= MISSES_BEFORE_TRANSFER:
        return transfer(c)
    if kind == "fallback":
        return listen(c, f"{c.say('fallback')} {c.phone_says('after_answer')}", state._replace(offer=None), misses)
    keep = state if kind == "no_input" else state._replace(offer=None)
    keys = keys_words(c, keep) if keep.mode is not Mode.QUESTION else ""
    return listen(c, f"{c.phone_says(kind)} {keys}".strip(), keep, misses)


def text_steps(c: Content, state: State) -> Response:
    body = c.phone_says("sms_body", steps=" ".join(f"{i}. {s}" for i, s in enumerate(c.aftercare_steps, 1)))
    said = c.phone_says(sms.send_once(settings(), call_sid(), form().get("From", ""), body))
    reply = respond(c, intents.REPEAT, {}, state._replace(offer=None)) if state.step is not None else None
    if reply is None:
        return listen(c, f"{said} {c.say('anything_else')}", State())
    return listen(c, f"{said} {reply.speech} {keys_words(c, reply.state)}", reply.state)


# ---------------------------------------------------------------- routes

@phone.post("/voice")
def incoming_call() -> Response:
    sid, c = call_sid(), current_content(call_locale())  # the greeting needs no model or matcher
    log.info("call started: sid=%s", sid)
    return listen(c, c.phone_says("greeting"), welcome(c).state, then=language_offer(c))


@phone.post("/turn")
def turn() -> Response:
    sid, bundle = call_sid(), current(call_locale())
    c, (state, misses) = bundle.content, state_in()
    if wants_spanish(c, state, form().get("Digits", "").strip(), form().get("SpeechResult", "")):
        spanish = current_content(SPANISH)
        return listen(spanish, spanish.phone_says("greeting"), welcome(spanish).state)
    heard, match = hear(bundle, state, form().get("Digits", "").strip(),
                        form().get("SpeechResult", "").strip(), speech_confidence(form().get("Confidence", "")))
    log.info("call turn: sid=%s intent=%s decision=%s score=%.2f", sid, heard.intent or heard.action or heard.miss,
             match.decision if match else "keys", match.score if match else 1.0)
    note_unanswered(c, heard, match, state)
    if heard.miss:
        return missed(c, state, misses, heard.miss)
    if heard.action is Action.TEXT_STEPS:
        return text_steps(c, state)
    if (wanted := reminder_requested(heard.intent or "", heard.slots, state)) is not None:
        return answer(c, reminders.text_reminder(c, settings(), state, wanted, form().get("From", "")))
    if heard.unsure:
        return ask_to_confirm(c, heard, match, state)
    return answer(c, reminders.with_offer(c, settings(), respond(c, heard.intent, heard.slots, state)))


# ---------------------------------------------------------------- follow-up: callbacks, questions to review

UNANSWERED = ("busy", "no-answer", "failed")  # DialCallStatus of a transfer nobody picked up
REASONS = ("no_front_desk", *UNANSWERED)
# What Twilio sends as From for a withheld number (the digits spell ANONYMOUS, RESTRICTED, BLOCKED...).
WITHHELD = {"", "anonymous", "restricted", "unknown", "blocked", "private", "unavailable",
            "+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253"}


def followup_db():
    from shared.followup.db import database  # lazily: SQLAlchemy only when something is written
    return database(settings().database_url)


def query_args() -> dict[str, str]:
    """The action URL's own arguments (ours: Twilio signs the URL)."""
    return request.args.to_dict()


def topic_now() -> str:
    """What the call was about, from this turn's state (a pending front-desk offer follows the safety answer)."""
    state = state_in()[0]
    if state.last:
        return state.last.intent
    if state.offer:
        return intents.COMPLICATION if state.offer.intent == intents.FRONT_DESK else state.offer.intent
    return ""


def offer_callback(c: Content, topic: str, reason: str, tries: int = 0) -> Response:
    """Ask before promising a call back: on the number calling, or one keyed in (always, if it is withheld)."""
    query = {"topic": topic, "why": reason} | ({"try": str(tries)} if tries else {})
    if form().get("From", "").strip().lower() in WITHHELD:
        return xml(twiml.keypad(c, c.phone_says("callback_withheld"),
                                twiml.action_url(url_for("phone.callback_number"), query)))
    return xml(twiml.gather(c, c.phone_says("callback_offer"),
                            twiml.action_url(url_for("phone.callback_answer"), query), ""))


def call_us(c: Content, before: str = "") -> Response:
    """No promise: the clinic's number and opening hours, then goodbye."""
    s = settings()
    said = c.phone_says("call_us", phone=s.clinic_phone_display or c.clinic_phone_spoken, hours=s.clinic_hours or c.clinic_hours)
    return xml(twiml.hang_up(c, f"{before} {said}".strip()))


def promise_callback(c: Content, number: str, args: dict[str, str]) -> Response:
    """Record the request, and only then promise; a failed write gets the clinic's number instead."""
    from shared.followup.callbacks import request_callback
    from shared.followup.db import attempt
    topic = args.get("topic") if args.get("topic") in intents.CUSTOM_INTENTS else None
    reason = args.get("why") if args.get("why") in REASONS else "no_front_desk"
    saved = attempt("callback request", request_callback, followup_db(), number, topic, c.locale, reason)
    if saved is None:
        return call_us(c, c.phone_says("callback_failed"))
    log.info("callback requested: sid=%s id=%s", call_sid(), saved)
    return xml(twiml.hang_up(c, c.phone_says("callback")))


@phone.post("/dialed")
def dialed() -> Response:
    """The transfer ended: nobody answered, so offer a call back; otherwise the call is over."""
    call_sid()
    status = form().get("DialCallStatus", "")
    log.info("transfer ended: sid=%s status=%s", call_sid(), status[:20])
    if status not in UNANSWERED:
        return xml(twiml.end())
    return offer_callback(current_content(), query_args().get("topic", ""), status)


@phone.post("/callback")
def callback_answer() -> Response:
    """1 (or yes): the number calling; 2: key in another; anything else asks once more."""
    call_sid()
    bundle, args = current(), query_args()
    digits, speech = form().get("Digits", "").strip()[:1], form().get("SpeechResult", "").strip()
    said = bundle.matcher.match(speech).intent if speech and not digits else None
    c = bundle.content
    if digits == "1" or said == intents.YES:
        return promise_callback(c, form().get("From", "").strip(), args)
    if digits == "2":
        return xml(twiml.keypad(c, c.phone_says("callback_enter"),
                                twiml.action_url(url_for("phone.callback_number"), args | {"try": "0"})))
    if said == intents.NO or args.get("try") == "1":
        return call_us(c)
    return offer_callback(c, args.get("topic", ""), args.get("why", ""), tries=1)


@phone.post("/callback/number")
def callback_number() -> Response:
    """A number keyed in (7 to 15 digits); a second bad one gets the clinic's number, no promise."""
    call_sid()
    c, args = current_content(), query_args()
    digits = "".join(ch for ch in form().get("Digits", "") if ch.isdigit())
    if 7 <= len(digits) <= 15:
        return promise_callback(c, digits, args)
    if args.get("try") == "1":
        return call_us(c)
    return xml(twiml.keypad(c, f"{c.phone_says('callback_invalid')} {c.phone_says('callback_enter')}",
                            twiml.action_url(url_for("phone.callback_number"), args | {"try": "1"})))


def ask_to_confirm(c: Content, heard: Understood, match: Match | None, state: State) -> Response:
    """"Did you want to know...?", carrying the redacted words in the (signed) action URL, so that a no
    can keep them for review without anything stored in between."""
    reply = confirm(c, heard.intent or "", heard.slots, state)
    if not settings().review_log or match is None or reply.mode is not Mode.CONFIRM:
        return answer(c, reply)
    from shared.followup.redact import redact
    extra = {"heard": redact(form().get("SpeechResult", "").strip()[:MAX_HEARD_CHARS]), "score": f"{match.score:.3f}"}
    return listen(c, f"{reply.speech} {keys_words(c, reply.state)}".strip(), reply.state, extra=extra)


def note_unanswered(c: Content, heard: Understood, match: Match | None, state: State) -> None:
    """Keep a declined question, or one whose "Did you want to know...?" got a no, for staff to review;
    written once the reply is made (after_this_request), and a failure only logged."""
    if not settings().review_log:
        return
    if heard.miss in ("fallback", "no_match") and match is not None:
        item = (form().get("SpeechResult", "").strip()[:MAX_HEARD_CHARS], match.candidate, match.score)
    elif heard.intent == intents.NO and state.offer and (args := query_args()).get("heard"):
        try:
            item = (args["heard"], state.offer.intent, float(args.get("score", "0")))
        except ValueError:
            return
    else:
        return

    @after_this_request
    def store(response: Response) -> Response:
        from shared.followup.db import attempt
        from shared.followup.review import record_unanswered
        attempt("review item", record_unanswered, followup_db(), *item, "phone", c.locale)
        return response


@phone.errorhandler(Exception)
def apologise(error: Exception) -> Response:
    """Never Twilio's 'application error': HTTP errors stay errors, anything else is an apology."""
    if isinstance(error, HTTPException):
        return error  # type: ignore[return-value]
    log.exception("call turn failed")
    c = current_content(call_locale())
    return listen(c, f"{c.say('error')} {c.say('anything_else')}", State())
