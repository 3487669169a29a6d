"""Alexa reminders end to end: whole sessions through `lambda_handler`, the SDK's real service clients
calling a loopback fake of Amazon's Reminders and Settings APIs (the envelope's apiEndpoint)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from skill.lambda_function import lambda_handler
from skill.reminders import SCOPE
from tests.alexa import SKILL_ID, AlexaUser, envelope, intent_request, slot, speech
from tests.alexa_api_fake import AlexaAPI

# A Wednesday afternoon in Los Angeles (22:00 UTC).
WEDNESDAY = datetime(2026, 11, 25, 22, 0, tzinfo=timezone.utc)


@pytest.fixture
def api(tmp_path, monkeypatch):
    server = AlexaAPI(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_file))
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    monkeypatch.delenv("CLINIC_TIMEZONE", raising=False)
    yield server
    server.close()


def system(api: AlexaAPI, granted: bool = True, apl: bool = False) -> dict:
    scopes = {SCOPE: {"status": "GRANTED" if granted else "DENIED"}}
    user = {"userId": "amzn1.ask.account.TESTUSER", "permissions": {"consentToken": "consent", "scopes": scopes}}
    interfaces = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.8"}}} if apl else {}
    return {"apiEndpoint": api.url, "apiAccessToken": "access-token", "user": user,
            "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": interfaces}}


def user_of(api: AlexaAPI, now: datetime = WEDNESDAY, **device) -> AlexaUser:
    return AlexaUser(lambda event: lambda_handler(event, None), system=system(api, **device), now=now)


def remind(user: AlexaUser, activity: str | None, days: str | None = None) -> dict:
    slots = {"activity": slot("activity", activity, type_name="ActivityType"), "days": slot("days", days)}
    return user.send(intent_request("ReminderIntent", slots))


def directives(response: dict) -> list[dict]:
    return response["response"].get("directives", [])


def test_makeup_with_permission_makes_exactly_one_reminder(api, content):
    response = remind(user_of(api), "makeup")
    assert len(api.posts) == 1
    post = api.posts[0]
    assert post["path"] == "/v1/alerts/reminders" and post["auth"] == "Bearer access-token"
    trigger = post["body"]["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE" and trigger["timeZoneId"] == "America/Los_Angeles"
    assert trigger["scheduledTime"].startswith("2026-11-26T09:00")  # Thursday, the day after
    text = post["body"]["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert "makeup" in text and content.clinic_name in text
    assert post["body"]["pushNotification"]["status"] == "ENABLED"
    assert "Thursday morning, November 26" in speech(response)
    assert response["response"]["shouldEndSession"] is False
    assert api.gets == ["/v2/devices/amzn1.ask.device.TEST/settings/System.timeZone"]


def test_without_permission_asks_by_voice_and_posts_nothing(api):
    response = remind(user_of(api, granted=False), "retinol", "2")
    [directive] = directives(response)
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    assert directive["payload"]["permissionScope"] == SCOPE
    assert api.posts == []


def connections_response(api: AlexaAPI, status: str, token: str, code: str = "200", granted: bool = False) -> dict:
    request = {"type": "Connections.Response", "name": "AskFor", "status": {"code": code, "message": "OK"},
               "payload": {"permissionScope": SCOPE, "status": status}, "token": token}
    return lambda_handler(envelope(request, system=system(api, granted=granted), now=WEDNESDAY), None)


def test_permission_accepted_by_voice_sets_the_reminder_asked_for(api):
    token = directives(remind(user_of(api, granted=False), "retinol", "2"))[0]["token"]
    response = connections_response(api, "ACCEPTED", token, granted=True)
    assert len(api.posts) == 1
    assert api.posts[0]["body"]["trigger"]["scheduledTime"].startswith("2026-11-28T09:00")  # session Monday, day 5
    assert "retinol" in speech(response) and "Saturday morning" in speech(response)


def test_permission_denied_by_voice_sets_nothing(api, content):
    token = directives(remind(user_of(api, granted=False), "makeup"))[0]["token"]
    response = connections_response(api, "DENIED", token)
    assert content.say("reminder_denied") in speech(response)
    assert api.posts == []


def test_a_device_that_cannot_ask_by_voice_gets_the_consent_card(api, content):
    response = connections_response(api, "NOT_ANSWERED", "activity=makeup", code="400")
    card = response["response"]["card"]
    assert card["type"] == "AskForPermissionsConsent" and card["permissions"] == [SCOPE]
    assert speech(response) == content.say("reminder_permission")
    assert api.posts == []


@pytest.mark.parametrize("status, phrase", [(401, "reminder_not_allowed"), (403, "reminder_not_allowed"),
                                            (429, "reminder_busy"), (500, "reminder_failed"), (503, "reminder_failed")])
def test_each_api_failure_is_a_clear_sentence(api, content, status, phrase):
    api.status = status
    response = remind(user_of(api), "makeup")
    assert speech(response).startswith(content.say(phrase))
    assert response["response"]["shouldEndSession"] is False
    if status in (401, 403):
        assert response["response"]["card"]["type"] == "AskForPermissionsConsent"


def test_a_reminders_api_timeout_is_a_clear_sentence(api, content):
    api.delay = 3.5  # past the client's 3 s
    response = remind(user_of(api), "makeup")
    assert speech(response).startswith(content.say("reminder_failed"))
    assert len(api.posts) == 1


@pytest.mark.parametrize("zone, day", [("Pacific/Kiritimati", "2026-11-27"),   # UTC+14: already Thursday
                                       ("Pacific/Pago_Pago", "2026-11-25")])   # UTC-11: still Tuesday
def test_time_zones_either_side_of_midnight(api, zone, day):
    api.time_zone = zone
    remind(user_of(api, now=datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)), "makeup")
    trigger = api.posts[0]["body"]["trigger"]
    assert trigger["timeZoneId"] == zone and trigger["scheduledTime"].startswith(f"{day}T09:00")


@pytest.mark.parametrize("utc_hour, day", [(4, "2026-11-25"), (5, "2026-11-26")])  # 23:00 and 0:00 in New York
def test_one_zone_just_before_and_after_midnight(api, utc_hour, day):
    api.time_zone = "America/New_York"
    remind(user_of(api, now=datetime(2026, 11, 25, utc_hour, 0, tzinfo=timezone.utc)), "makeup")
    assert api.posts[0]["body"]["trigger"]["scheduledTime"].startswith(f"{day}T09:00")


def test_across_a_daylight_saving_change_the_reminder_stays_at_nine_local(api):
    api.time_zone = "America/New_York"  # clocks go forward on Sunday 8 March 2026
    remind(user_of(api, now=datetime(2026, 3, 7, 20, 0, tzinfo=timezone.utc)), "makeup")
    trigger = api.posts[0]["body"]["trigger"]
    assert trigger["scheduledTime"].startswith("2026-03-08T09:00") and trigger["timeZoneId"] == "America/New_York"


def test_unreadable_device_time_zone_falls_back_to_the_clinics(api, monkeypatch):
    api.zone_status = 403
    monkeypatch.setenv("CLINIC_TIMEZONE", "Europe/London")
    remind(user_of(api), "makeup")
    assert api.posts[0]["body"]["trigger"]["timeZoneId"] == "Europe/London"


def test_next_session_about_a_month_later(api, content):
    response = remind(user_of(api), "next session")
    trigger = api.posts[0]["body"]["trigger"]
    assert trigger["scheduledTime"].startswith("2026-12-25T09:00")
    assert content.say("reminder_session_text") == api.posts[0]["body"]["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert "your next session" in speech(response)


@pytest.mark.parametrize("activity", ["exercise", "sunscreen", "hyaluronic gel"])
def test_no_wait_in_the_article_means_no_reminder(api, activity):
    response = remind(user_of(api), activity)
    assert "doesn't give a waiting time" in speech(response)
    assert api.posts == []


def test_a_wait_already_over_sets_nothing(api, content):
    response = remind(user_of(api), "retinol", "6")
    assert "already passed" in speech(response) and api.posts == []


def test_no_activity_asks_which_then_the_answer_sets_it(api, content):
    user = user_of(api)
    response = remind(user, None)
    assert speech(response) == content.say("reminder_ask_activity") and api.posts == []
    user.send(intent_request("AftercareTimingIntent", {"activity": slot("activity", "retinol", type_name="ActivityType")}))
    assert len(api.posts) == 1
    assert api.posts[0]["body"]["trigger"]["scheduledTime"].startswith(
        (date(2026, 11, 25) + timedelta(days=5)).isoformat() + "T09:00")


def test_without_a_device_zone_api_the_clinic_zone_is_used_by_default(api):
    api.zone_status = 500
    remind(user_of(api), "makeup")
    assert api.posts[0]["body"]["trigger"]["timeZoneId"] == "America/New_York"
    assert ZoneInfo("America/New_York")  # tzdata (or the system's zone files) is installed


# ---------------------------------------------------------------- screens (APL)

def render_documents(response: dict) -> list[dict]:
    return [d for d in directives(response) if d["type"] == "Alexa.Presentation.APL.RenderDocument"]


def test_aftercare_on_a_screen_shows_the_step(api, content):
    response = user_of(api, apl=True).say("AftercareIntent")
    [directive] = render_documents(response)
    answer = directive["datasources"]["answer"]
    steps = content.aftercare_steps
    assert answer["step"] == f"Step 1 of {len(steps)}" and answer["text"] == steps[0]
    assert answer["clinic"] == content.clinic_name and answer["next"] is True
    document = directive["document"]
    assert document["type"] == "APL" and document["mainTemplate"]["parameters"] == ["payload"]
    bound = {part.split("}")[0] for part in json.dumps(document).split("${payload.answer.")[1:]}
    assert {key.split(" ")[0] for key in bound} == set(answer)  # the document shows every field, and only those


def test_aftercare_without_a_screen_has_no_apl(api):
    response = user_of(api).say("AftercareIntent")
    assert render_documents(response) == []


def test_every_answer_is_shown_on_a_screen(api, content):
    answer = render_documents(user_of(api, apl=True).say("PainIntent"))[0]["datasources"]["answer"]
    assert answer["text"] == content.topics["PainIntent"].answer and answer["step"] == "" and answer["next"] is False


def test_touching_next_works_like_saying_it(api, content):
    user = user_of(api, apl=True)
    user.say("AftercareIntent")
    response = user.send({"type": "Alexa.Presentation.APL.UserEvent", "token": "clinicAnswer", "arguments": ["next"],
                          "source": {"type": "TouchWrapper", "handler": "Press", "id": "nextButton"}})
    steps = content.aftercare_steps
    assert steps[1] in speech(response)
    assert render_documents(response)[0]["datasources"]["answer"]["step"] == f"Step 2 of {len(steps)}"
    assert user.attributes["step"] == "1"


def test_a_wait_already_over_needs_no_permission(api):
    response = remind(user_of(api, granted=False), "makeup", "3")
    assert "already passed" in speech(response) and directives(response) == [] and api.posts == []
