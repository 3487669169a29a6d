"""The Alexa skill through `lambda_handler`, with real-shaped envelopes, turn by turn."""
from __future__ import annotations

import logging

import pytest

from shared.core.intents import TOPIC_INTENTS
from skill.lambda_function import WrongSkill, lambda_handler
from tests.alexa import LAUNCH, SKILL_ID, AlexaUser, envelope, intent_request, reprompt, slot, speech


@pytest.fixture
def user(monkeypatch) -> AlexaUser:
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    return AlexaUser(lambda event: lambda_handler(event, None))


def assert_listening(response):
    assert response["response"]["shouldEndSession"] is False
    assert reprompt(response)
    assert response["response"]["card"]["type"] == "Simple"


def test_launch_welcomes_and_listens(user, content):
    response = user.launch()
    assert speech(response) == content.say("welcome")
    assert_listening(response)
    assert response["version"] == "1.0"


@pytest.mark.parametrize("intent", sorted(TOPIC_INTENTS.values()))
def test_every_topic_intent(user, content, intent):
    response = user.say(intent)
    assert speech(response).startswith(content.topics[intent].answer)
    assert response["response"]["card"]["title"] == content.topics[intent].title
    assert_listening(response)


@pytest.mark.parametrize("intent, expected", [
    ("AftercareTimingIntent", "timing_ask_activity"), ("AMAZON.HelpIntent", "help"),
    ("AMAZON.FallbackIntent", "fallback"), ("AMAZON.NavigateHomeIntent", "welcome"),
    ("AMAZON.YesIntent", "anything_else"),
    ("AMAZON.NextIntent", "aftercare_not_started"), ("AMAZON.PreviousIntent", "aftercare_not_started"),
    ("AMAZON.StartOverIntent", "welcome"), ("AMAZON.RepeatIntent", "aftercare_not_started"),
])
def test_builtin_and_other_intents(user, content, intent, expected):
    response = user.say(intent)
    assert content.say(expected) in speech(response)
    assert_listening(response)


def test_complication_offers_the_front_desk_and_yes_gives_its_number(user, content):
    response = user.say("ComplicationIntent")
    assert speech(response) == f"{content.safety_answer} {content.say('safety_offer')}"
    assert "555-555-0100" in response["response"]["card"]["content"]
    assert_listening(response)
    assert "555-555-0100" in speech(user.say("AMAZON.YesIntent"))
    assert "555-555-0100" in speech(user.say("FrontDeskIntent"))


def test_no_to_what_else_says_goodbye(user, content):
    user.say("ComplicationIntent")
    assert speech(user.say("AMAZON.NoIntent")).startswith(content.say("no_offer"))
    response = user.say("AMAZON.NoIntent")
    assert speech(response) == content.say("goodbye") and response["response"]["shouldEndSession"] is True


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_say_goodbye_and_end(user, content, intent):
    user.say("AftercareIntent")
    response = user.say(intent)
    assert speech(response) == content.say("goodbye")
    assert response["response"]["shouldEndSession"] is True
    assert "reprompt" not in response["response"]


def test_aftercare_walkthrough_carries_session_attributes(user, content):
    steps = content.aftercare_steps
    assert steps[0] in speech(user.say("AftercareIntent"))
    assert user.attributes["step"] == "0"
    for i in range(1, len(steps)):
        assert steps[i] in speech(user.say("AMAZON.NextIntent"))
    assert content.say("aftercare_last") in speech(user.say("AMAZON.NextIntent"))
    assert steps[-2] in speech(user.say("AMAZON.PreviousIntent"))
    assert steps[-2] in speech(user.say("AMAZON.RepeatIntent"))
    assert steps[0] in speech(user.say("AMAZON.StartOverIntent"))
    assert content.say("aftercare_first") in speech(user.say("AMAZON.PreviousIntent"))


def test_yes_and_no_offers(user, content):
    user.say("PainIntent")
    assert user.attributes["offer"] == "DowntimeIntent"
    assert speech(user.say("AMAZON.YesIntent")).startswith(content.topics["DowntimeIntent"].answer)
    user.say("PainIntent")
    assert speech(user.say("AMAZON.NoIntent")).startswith(content.say("no_offer"))
    assert "offer" not in user.attributes


def test_condition_from_entity_resolution_first(user):
    response = user.send(intent_request("SuitabilityIntent", {
        "condition": slot("condition", "breaking out", resolved=("active_acne", "active acne"))}))
    assert "not recommended for people with active acne" in speech(response)


def test_condition_raw_value_when_no_resolution(user):
    response = user.send(intent_request("SuitabilityIntent", {
        "condition": slot("condition", "pimples", status="ER_SUCCESS_NO_MATCH")}))
    assert "active acne" in speech(response)


def test_empty_condition_slot_asks_which(user, content):
    response = user.send(intent_request("SuitabilityIntent", {"condition": slot("condition", None)}))
    assert content.say("ask_condition") in speech(response)
    assert reprompt(response) == content.say("ask_condition")
    assert_listening(response)


def test_unknown_condition_is_not_covered(user):
    response = user.say("SuitabilityIntent", condition="tattoo ink")
    assert "tattoo ink" in speech(response) and "dermatologist" in speech(response)


def test_timing_slots(user):
    response = user.send(intent_request("AftercareTimingIntent", {
        "activity": slot("activity", "foundation", resolved=("makeup", "makeup"), type_name="ActivityType"),
        "days": {"name": "days", "value": "2", "confirmationStatus": "NONE"}}))
    assert "By day 2" in speech(response)
    odd = user.send(intent_request("AftercareTimingIntent", {
        "activity": slot("activity", "retinol"), "days": {"name": "days", "value": "?"}}))
    assert "3 to 5 days" in speech(odd)


@pytest.mark.parametrize("value", ['R&D <b> "quoted"', "<speak>", "a & b", "it's", "]]>"])
def test_ssml_breaking_characters_are_escaped(user, value):
    response = user.say("SuitabilityIntent", condition=value)
    assert value in speech(response)  # parses as XML and reads back exactly


@pytest.mark.parametrize("intent, slot_name", [("SuitabilityIntent", "condition"), ("AftercareTimingIntent", "activity")])
def test_control_characters_in_a_slot_never_break_ssml(user, intent, slot_name):
    response = user.say(intent, **{slot_name: "tattoo\x1b ink\x00\ud800"})
    assert "tattoo ink" in speech(response)  # parses as XML; the control characters are gone


def test_ssml_drops_characters_xml_forbids():
    from skill.handlers import ssml
    assert ssml("a\x07b\tc\ufffe") == "<speak>ab\tc</speak>"


def test_unknown_intent_gets_fallback(user, content):
    response = user.say("OrderPizzaIntent")
    assert speech(response).startswith(content.say("fallback"))
    assert_listening(response)


def test_session_ended_returns_empty_response(user, caplog):
    caplog.set_level(logging.INFO)
    response = user.send({"type": "SessionEndedRequest", "reason": "USER_INITIATED"})
    assert "outputSpeech" not in response["response"]
    assert "USER_INITIATED" in caplog.text


def test_unknown_request_type_gets_a_valid_spoken_answer(user, content):
    response = user.send({"type": "Display.ElementSelected", "token": "x"})
    assert speech(response).startswith(content.say("fallback"))


@pytest.mark.parametrize("event", [
    {"version": "1.0", "context": {"System": {"application": {"applicationId": SKILL_ID}}}},
    {"version": "1.0", "request": 5, "context": {"System": {"application": {"applicationId": SKILL_ID}}}},
])
def test_malformed_envelopes_get_a_spoken_apology(user, content, event):
    response = lambda_handler(event, None)
    assert speech(response) == content.say("error")
    assert response["response"]["shouldEndSession"] is False


def test_intent_request_without_intent_gets_the_fallback(user, content):
    response = lambda_handler(envelope({"type": "IntentRequest"}), None)
    assert speech(response).startswith(content.say("fallback"))


def test_request_outside_a_session_still_answers(user, content):
    response = lambda_handler(envelope(intent_request("PainIntent"), session=False), None)
    assert speech(response).startswith(content.topics["PainIntent"].answer)


def test_other_skill_is_rejected(user):
    with pytest.raises(WrongSkill):
        lambda_handler(envelope(LAUNCH, skill_id="amzn1.ask.skill.someone-else"), None)


def test_no_skill_id_configured_accepts_any(monkeypatch, content):
    monkeypatch.delenv("ALEXA_SKILL_ID", raising=False)
    response = lambda_handler(envelope(LAUNCH, skill_id="amzn1.ask.skill.any"), None)
    assert speech(response) == content.say("welcome")


def test_speech_stays_under_alexa_limit(user):
    response = user.say("SuitabilityIntent", condition="x" * 9000)
    assert len(response["response"]["outputSpeech"]["ssml"]) <= 8000


def test_lambda_module_does_not_import_flask_or_twilio_rest():
    import subprocess
    import sys
    code = ("import sys, skill.lambda_function as f; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'twilio')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
