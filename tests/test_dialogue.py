"""The conversation core, turn by turn: every intent, aftercare navigation, offers, safety, bad input."""
from __future__ import annotations

import pytest

from shared.core.dialogue import HANDLERS, Mode, Reply, State, confirm, respond, welcome
from shared.core.intents import BUILTIN_INTENTS, CUSTOM_INTENTS, TOPIC_INTENTS


class Conversation:
    """Plays a person: each `say` carries the previous reply's state, as a channel would."""

    def __init__(self, content):
        self.content, self.state = content, State()

    def say(self, intent: str, **slots) -> Reply:
        reply = respond(self.content, intent, slots, State.from_dict(self.state.to_dict()))
        self.state = reply.state
        return reply


@pytest.fixture
def talk(content):
    return Conversation(content)


@pytest.mark.parametrize("intent", sorted(set(TOPIC_INTENTS.values()) - {"AftercareIntent", "SuitabilityIntent"}))
def test_every_faq_answers_from_content_and_offers_a_follow_up(content, intent):
    reply = respond(content, intent)
    topic = content.topics[intent]
    assert reply.speech.startswith(topic.answer)
    assert reply.speech.endswith(content.phrases["offers"][topic.offer])
    assert (reply.card_title, reply.card_text) == (topic.title, topic.answer)
    assert reply.mode is Mode.OFFER and reply.state.offer.intent == topic.offer
    assert reply.reprompt and not reply.end


def test_the_dialogue_handles_every_intent_named_in_shared_core_intents_and_no_other():
    assert set(HANDLERS) == {*CUSTOM_INTENTS, *BUILTIN_INTENTS}


def test_a_confirmation_and_the_welcome_name_no_intent(content):
    asked = confirm(content, "DowntimeIntent", {}, State())
    assert asked.intent is None and asked.mode is Mode.CONFIRM and asked.state.mode is Mode.OFFER
    assert asked.state.offer.intent == "DowntimeIntent"
    nothing_to_ask = confirm(content, "AMAZON.HelpIntent", {}, State())  # no topic name: the fallback
    assert nothing_to_ask.intent == "AMAZON.FallbackIntent" and nothing_to_ask.mode is Mode.QUESTION
    assert welcome(content).intent is None and welcome(content).mode is Mode.QUESTION


def test_every_handled_intent_gives_a_reply_that_listens_or_ends_cleanly(content):
    for intent in HANDLERS:
        reply = respond(content, intent)
        assert reply.speech.strip()
        assert reply.end or reply.reprompt, intent


def test_yes_after_pain_goes_to_downtime(talk, content):
    assert "Would you like to hear about downtime?" in talk.say("PainIntent").speech
    reply = talk.say("AMAZON.YesIntent")
    assert reply.intent == "DowntimeIntent"
    assert reply.speech.startswith(content.topics["DowntimeIntent"].answer)


def test_no_declines_the_offer_and_keeps_listening(talk, content):
    talk.say("PainIntent")
    reply = talk.say("AMAZON.NoIntent")
    assert reply.speech == f"{content.say('no_offer')} {content.say('anything_else')}"
    assert reply.state.offer is None and not reply.end


def test_yes_without_an_offer_just_asks_what_else(talk, content):
    assert talk.say("AMAZON.YesIntent").speech == content.say("anything_else")


def test_aftercare_walkthrough_both_ends(talk, content):
    steps = content.aftercare_steps
    first = talk.say("AftercareIntent")
    assert steps[0] in first.speech and f"Step 1 of {len(steps)}" in first.speech
    assert first.mode is Mode.AFTERCARE
    back = talk.say("AMAZON.PreviousIntent")
    assert back.speech.startswith(content.say("aftercare_first")) and steps[0] in back.speech
    for number in range(2, len(steps) + 1):
        reply = talk.say("AMAZON.NextIntent")
        assert steps[number - 1] in reply.speech
    assert content.say("aftercare_last") in reply.speech and reply.state.offer.intent == "DowntimeIntent"
    again = talk.say("AMAZON.NextIntent")
    assert again.speech.startswith(content.say("aftercare_last")) and again.state.step == len(steps) - 1
    assert steps[-2] in talk.say("AMAZON.PreviousIntent").speech
    assert steps[-2] in talk.say("AMAZON.RepeatIntent").speech
    assert steps[0] in talk.say("AMAZON.StartOverIntent").speech


def test_yes_after_the_last_step_takes_the_offer(talk, content):
    talk.say("AftercareIntent")
    for _ in content.aftercare_steps:
        talk.say("AMAZON.NextIntent")
    assert talk.say("AMAZON.YesIntent").intent == "DowntimeIntent"


def test_navigation_outside_aftercare(talk, content):
    assert talk.say("AMAZON.NextIntent").speech == content.say("aftercare_not_started")
    assert talk.say("AMAZON.YesIntent").intent == "AftercareIntent"
    talk.state = State()
    talk.say("SuitabilityIntent", condition="pimples")
    repeated = talk.say("AMAZON.RepeatIntent")
    assert "active acne" in repeated.speech
    start_over = talk.say("AMAZON.StartOverIntent")
    assert start_over.speech == content.say("welcome") and start_over.intent is None


def test_suitability_with_and_without_condition(talk, content):
    reply = talk.say("SuitabilityIntent", condition="breakout")
    assert "not recommended" in reply.speech and "active acne" in reply.speech
    empty = talk.say("SuitabilityIntent")
    assert content.say("ask_condition") in empty.speech and empty.reprompt == content.say("ask_condition")
    unknown = talk.say("SuitabilityIntent", condition="tattoos")
    assert "tattoos" in unknown.speech and "dermatologist" in unknown.speech


def test_timing_with_missing_or_unknown_slots(talk, content):
    assert talk.say("AftercareTimingIntent").speech == content.say("timing_ask_activity")
    assert "day 5" in talk.say("AftercareTimingIntent", activity="retinol", days="3").speech
    assert "day 5" in talk.say("AftercareTimingIntent", activity="retinol", days="three").speech
    assert "dermatologist" in talk.say("AftercareTimingIntent", activity="skydiving", days="?").speech


def test_safety_message_comes_first(talk, content):
    reply = talk.say("ComplicationIntent")
    assert reply.speech.startswith(content.safety_answer)
    assert "call your doctor or emergency services" in reply.speech
    assert reply.mode is Mode.FRONT_DESK_OFFER


def test_front_desk_gives_the_number(talk, content):
    reply = talk.say("FrontDeskIntent")
    assert "555-555-0100" in reply.speech and reply.mode is Mode.HANDOFF


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_end_with_goodbye(content, intent):
    reply = respond(content, intent, {}, State(step=2))
    assert reply.end and reply.reprompt is None and reply.speech == content.say("goodbye")
    assert reply.state == State()


def test_help_home_and_welcome(content):
    assert respond(content, "AMAZON.HelpIntent").speech == content.say("help")
    assert respond(content, "AMAZON.NavigateHomeIntent").speech == welcome(content).speech
    assert "Clear Skin Clinic" in welcome(content).speech


@pytest.mark.parametrize("intent", ["NoSuchIntent", "", "AMAZON.PauseIntent", None])
def test_unknown_intents_get_the_fallback(content, intent):
    reply = respond(content, intent)
    assert reply.speech.startswith(content.say("fallback")) and not reply.end
    assert reply.intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize("slots", [{"condition": None}, {"condition": 7}, {"condition": ["a"]}, {"days": {}},
                                   {None: "x"}, None, {"condition": " "}])
def test_odd_slot_values_never_raise(content, slots):
    assert respond(content, "SuitabilityIntent", slots).speech


@pytest.mark.parametrize("data", [None, "junk", {"step": "-1"}, {"step": "999"}, {"step": "x"},
                                  {"offer": "EvilIntent"}, {"offer": ["x"]}, {"last": "PainIntent", "last.x": None}])
def test_state_from_odd_data_is_tolerant(data):
    state = State.from_dict(data)
    assert state.offer is None or state.offer.intent in HANDLERS
    assert state.step is None or 0 <= state.step < 100


def test_state_round_trips(content):
    reply = respond(content, "SuitabilityIntent", {"condition": "rosacea"})
    assert State.from_dict(reply.state.to_dict()) == reply.state
    assert reply.state.to_dict() == {"last": "SuitabilityIntent", "last.condition": "rosacea"}


def test_step_beyond_the_list_is_clamped(content):
    reply = respond(content, "AMAZON.RepeatIntent", {}, State(step=50))
    assert content.aftercare_steps[-1] in reply.speech
