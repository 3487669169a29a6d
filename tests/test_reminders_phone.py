"""Phone reminders: whole signed calls; the real twilio client schedules texts at a local fake of
Twilio's Messages API."""
from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from shared import store as store_module
from shared.store import Store
from tests.twilio_fake import MessagesAPI

SERVICE = "MG" + "b" * 32
CALLER = "+15005550006"  # ivr.simulator.Caller's From
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def api():
    server = MessagesAPI()
    yield server
    server.close()


@pytest.fixture
def caller(make_caller, api):
    return make_caller(twilio_api_base=api.url, twilio_messaging_service_sid=SERVICE)


def send_at(days_ahead: int) -> str:
    """9:00 New York time, `days_ahead` days from today there, as Twilio's SendAt (UTC)."""
    day = datetime.now(NEW_YORK).date() + timedelta(days=days_ahead)
    return datetime.combine(day, time(9), tzinfo=NEW_YORK).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_one_scheduled(api: MessagesAPI, days_ahead: int, activity: str, content) -> dict:
    assert len(api.received) == 1
    form = api.received[0]["form"]
    assert form["To"] == CALLER and form["MessagingServiceSid"] == SERVICE and "From" not in form
    assert form["ScheduleType"] == "fixed" and form["SendAt"] == send_at(days_ahead)
    assert activity in form["Body"] and content.clinic_name in form["Body"]
    return form


def test_a_caller_asking_for_a_retinol_reminder_gets_one_scheduled_text(caller, api, content):
    caller.call()
    heard = caller.say("text me a reminder when I can use retinol again")
    assert_one_scheduled(api, 5, "retinol", content)
    day = datetime.now(NEW_YORK).date() + timedelta(days=5)
    assert f"I'll text you about retinol on {day:%A} morning, {day:%B} {day.day}" in heard.text
    assert heard.action  # the call goes on


def test_a_timing_answer_offers_the_text_and_8_schedules_it(caller, api, content):
    caller.call()
    heard = caller.say("when can I use retinol again")
    assert content.phone_says("reminder_offer", activity="retinol") in heard.text
    assert heard.text.index("Press 8") < heard.text.index(content.say("anything_else"))
    caller.press("8")
    assert_one_scheduled(api, 5, "retinol", content)


def test_saying_remind_me_after_a_timing_answer(caller, api, content):
    caller.call()
    caller.say("how long before I can wear makeup")
    caller.say("remind me")
    assert_one_scheduled(api, 1, "makeup", content)


def test_remind_me_alone_asks_which_then_schedules(caller, api, content):
    caller.call()
    assert content.say("reminder_ask_activity") in caller.say("can you remind me").text
    caller.say("retinol")
    assert_one_scheduled(api, 5, "retinol", content)


def test_no_offer_after_a_wait_that_is_over(caller, api, content):
    caller.call()
    assert "Press 8" not in caller.say("can I wear foundation two days after").text
    assert api.received == []


def test_without_a_messaging_service_no_text_is_offered(make_caller, api, content):
    caller = make_caller(twilio_api_base=api.url)  # no TWILIO_MESSAGING_SERVICE_SID
    caller.call()
    heard = caller.say("when can I use retinol again")
    assert "Press 8" not in heard.text and "remind" not in heard.text
    assert content.phone_says("no_key") in caller.press("8").text
    heard = caller.say("text me a reminder when I can use retinol again")
    assert heard.text.startswith("Avoid retinol for 3 to 5 days")  # the timing answer instead
    assert api.received == []


def test_no_wait_in_the_article_schedules_nothing(caller, api):
    caller.call()
    assert "doesn't give a waiting time for exercise" in caller.say("remind me when I can go to the gym again").text
    assert api.received == []


def test_a_failing_messages_api_is_said_and_the_call_goes_on(make_caller, content):
    down = MessagesAPI(status=500)
    try:
        caller = make_caller(twilio_api_base=down.url, twilio_messaging_service_sid=SERVICE)
        caller.call()
        heard = caller.say("text me a reminder when I can use retinol again")
        assert content.phone_says("reminder_text_failed") in heard.text and heard.action
    finally:
        down.close()


def test_past_35_days_says_so_and_offers_the_steps_by_text_now(live_copies, monkeypatch, make_caller, api, content):
    content_file, model_file = live_copies
    data = yaml.safe_load(content_file.read_text())
    data["facts"]["session_spacing_months"] = 2  # a next session two months on: past Twilio's 35 days
    content_file.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setattr(store_module, "_default", Store(content_file.parent, model_file.parent, interval=0))
    caller = make_caller(twilio_api_base=api.url, twilio_messaging_service_sid=SERVICE)
    caller.call()
    assert content.phone_says("reminder_out_of_window") in caller.say("remind me about my next session").text
    assert api.received == []
    assert content.phone_says("sms_sent") in caller.press("9").text
    [sent] = api.received
    assert "SendAt" not in sent["form"] and sent["form"]["From"] == "+15005550006"


def test_next_session_reminder_is_within_the_window(caller, api, content):
    caller.call()
    caller.say("remind me about my next session")
    form = api.received[0]["form"]
    assert form["Body"] == content.say("reminder_session_text")
    sent = datetime.strptime(form["SendAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert timedelta(days=27) < sent - datetime.now(timezone.utc) < timedelta(days=32)


def test_logs_hold_no_number_and_no_words(caller, api, caplog):
    caplog.set_level(logging.DEBUG)
    caller.call()
    caller.say("text me a reminder when I can use retinol again")
    assert api.received
    logged = caplog.text
    assert CALLER not in logged and "5005550006" not in logged and "text me a reminder" not in logged
