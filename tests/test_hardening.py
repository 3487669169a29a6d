"""Issue 17, each item as the attack or fault: whole signed calls, signed /alexa requests, edits between
two channels' requests. (Signals and restarts of a real server: tests/test_restarts.py.)"""
from __future__ import annotations

import json
import threading
import time

import pytest

from shared import store as store_module
from shared.store import Store
from skill.lambda_function import lambda_handler
from tests.alexa import SKILL_ID, envelope, intent_request, slot, speech
from tests.certs import MadePKI
from tests.test_alexa_verify import Endpoint
from tests.test_reload import edit_yaml


@pytest.fixture(scope="module")
def pki():
    return MadePKI()


@pytest.fixture
def alexa(pki, tmp_path, phone_settings):
    """Posts envelopes to /alexa, signed as Alexa signs them; returns the Flask response."""
    endpoint, signer = Endpoint(pki, tmp_path, phone_settings), pki.signer()

    def post(event: dict | bytes):
        return endpoint.post(event if isinstance(event, bytes) else json.dumps(event).encode(), signer)
    post.endpoint = endpoint
    return post


# ---------------------------------------------------------------- 1. one version on every channel

def test_an_edit_between_two_channels_requests_reaches_both(live_copies, monkeypatch, make_caller, alexa, content):
    """Alexa checks the content just before an edit; the phone's bundle must not take that old copy."""
    content_file, model_file = live_copies
    monkeypatch.setattr(store_module, "_default", Store(content_file.parent, model_file.parent, interval=0.5))
    caller = make_caller()
    old, new = content.topics["PainIntent"].answer, "Edited: a light prickling."
    ask_alexa = lambda: speech(alexa(envelope(intent_request("PainIntent"))).get_json())  # noqa: E731
    caller.call()
    assert caller.say("does it hurt").text.startswith(old)
    time.sleep(0.6)                       # the phone's next look at the files is due...
    assert ask_alexa().startswith(old)    # ...and Alexa has just looked
    edit_yaml(content_file, lambda d: d["topics"]["pain"].update(answer=new))
    caller.call()                         # the phone notices the edit at once
    time.sleep(0.6)                       # one reload period later, every channel serves the edit
    assert ask_alexa().startswith(new)
    assert caller.say("does it hurt").text.startswith(new)
    store_module.default_store().reload()  # and SIGHUP's reload keeps it so
    assert caller.say("does it hurt").text.startswith(new)


# ---------------------------------------------------------------- 5. a forged signature header

def test_non_ascii_signature_is_refused_with_403(caller, caplog):
    caller.call()
    client = caller.app.test_client()
    response = client.post("/ivr/voice", data=caller.form, headers={"X-Twilio-Signature": "\u00e9" * 28})
    assert response.status_code == 403
    assert "Traceback" not in caplog.text and "call turn failed" not in caplog.text


# ---------------------------------------------------------------- 6. deep JSON

def nested(depth: int) -> str:
    return '{"a": ' * depth + '"x"' + "}" * depth


def test_deeply_nested_json_to_alexa_gets_400(alexa):
    assert alexa(b"[" * 30_000 + b"]" * 30_000).status_code == 400
    deep = json.dumps(envelope(intent_request("PainIntent"))).replace('"attributes": {}', f'"attributes": {nested(600)}')
    assert alexa(deep.encode()).status_code == 400


def test_deep_session_attributes_through_lambda_get_an_apology_not_a_crash(monkeypatch, content):
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    event = envelope(intent_request("PainIntent"), attributes=json.loads(nested(600)))
    assert speech(lambda_handler(event, None)) == content.say("error")
    shallow = envelope(intent_request("PainIntent"), attributes={"step": "1", "odd": {"a": [1, {"b": 2}]}})
    out = lambda_handler(shallow, None)
    assert speech(out).startswith(content.topics["PainIntent"].answer)
    assert all(isinstance(v, str) for v in out["sessionAttributes"].values())


# ---------------------------------------------------------------- 7. the locale is not a path

def test_alexa_locale_never_names_a_file(alexa, tmp_path, content):
    evil = tmp_path / "evil.yaml"
    evil.write_text(content_path_text().replace(content.topics["PainIntent"].answer[:20], "EVIL"))
    locale = "../" * 30 + str(evil.with_suffix(""))[1:]
    answer = speech(alexa(envelope(intent_request("PainIntent"), locale=locale)).get_json())
    assert answer.startswith(content.topics["PainIntent"].answer)


def test_distinct_locales_add_nothing(alexa, monkeypatch, content):
    store = Store()
    monkeypatch.setattr(store_module, "_default", store)
    for i in range(300):
        response = alexa(envelope(intent_request("PainIntent"), locale=f"x{i}-{i}"))
        assert speech(response.get_json()).startswith(content.topics["PainIntent"].answer)
    assert len(store._slots) == 1


def content_path_text() -> str:
    from shared.core.content import content_path
    return content_path().read_text()


# ---------------------------------------------------------------- 8. state and slot parsing

@pytest.mark.parametrize("query", ["step=%C2%B2&last=AftercareIntent", "miss=%C2%B2"])
def test_unicode_digits_in_the_phone_state(caller, content, query):
    caller.call()
    heard = caller.request(f"/ivr/turn?{query}", {"Digits": "1"})
    assert heard.status == 200 and content.say("error") not in heard.text


def test_unicode_digit_step_in_alexa_attributes(alexa, content):
    event = envelope(intent_request("AMAZON.NextIntent"), attributes={"step": "\u00b2"})
    assert content.say("error") not in speech(alexa(event).get_json())


def test_negative_days_are_not_understood_as_a_day(alexa, caller, content):
    slots = {"activity": slot("activity", "makeup", type_name="ActivityType"), "days": slot("days", "-5")}
    said = speech(alexa(envelope(intent_request("AftercareTimingIntent", slots))).get_json())
    assert said.startswith("Avoid makeup for 1 day after your session.") and "5" not in said
    for said in ("can I wear makeup minus five days after", "can I wear makeup -5 days after"):
        caller.call()
        heard = caller.say(said)
        assert "day 5" not in heard.text.lower() and "By day" not in heard.text


# ---------------------------------------------------------------- 9. cheap checks before downloads

def unsigned(endpoint, event: dict, cert_url: str):
    return endpoint.client.post("/alexa", data=json.dumps(event).encode(),
                                headers={"SignatureCertChainUrl": cert_url, "Signature-256": "AAAA"})


def test_unsigned_requests_cost_no_download_unless_fresh_and_for_this_skill(pki, tmp_path, phone_settings, caplog):
    endpoint = Endpoint(pki, tmp_path, phone_settings)
    url = "https://s3.amazonaws.com/echo.api/forged.pem"
    stale = envelope(intent_request("PainIntent"))
    stale["request"]["timestamp"] = "2020-01-01T00:00:00Z"
    for event in (stale, envelope(intent_request("PainIntent"), skill_id="amzn1.ask.skill.other")):
        response = unsigned(endpoint, event, url)
        assert response.status_code == 400 and response.data == b""
    assert endpoint.fetches == []
    for _ in range(5):  # fresh and for this skill: one download, then the failure is remembered
        response = unsigned(endpoint, envelope(intent_request("PainIntent")), url)
        assert response.status_code == 400 and response.data == b""
    assert endpoint.fetches == [url]
    assert "cannot load certificate chain" in caplog.text


def test_certificate_downloads_at_once_are_bounded(pki, tmp_path, phone_settings):
    endpoint, at_once, most = Endpoint(pki, tmp_path, phone_settings), [0], [0]
    lock = threading.Lock()

    def slow_fetch(url: str) -> bytes:
        with lock:
            at_once[0] += 1
            most[0] = max(most[0], at_once[0])
        time.sleep(0.5)
        with lock:
            at_once[0] -= 1
        raise OSError("timed out")

    endpoint.app.extensions["alexa_verifier"].fetch = slow_fetch
    statuses: list[int] = []

    def attack(i: int) -> None:
        client = endpoint.app.test_client()
        response = client.post("/alexa", data=json.dumps(envelope(intent_request("PainIntent"))).encode(),
                               headers={"SignatureCertChainUrl": f"https://s3.amazonaws.com/echo.api/{i}.pem",
                                        "Signature-256": "AAAA"})
        statuses.append(response.status_code)

    started = time.perf_counter()
    threads = [threading.Thread(target=attack, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [400] * 8 and most[0] == 1
    assert time.perf_counter() - started < 1.5  # the others were refused at once, not queued


# ---------------------------------------------------------------- 4 and 11. texts can't be abused

@pytest.fixture
def messages():
    from tests.twilio_fake import MessagesAPI
    api = MessagesAPI()
    yield api
    api.close()


def test_replayed_text_me_request_sends_one_text(make_caller, messages, content):
    caller = make_caller(twilio_api_base=messages.url)
    caller.call()
    caller.press("4")
    path = caller._next()
    assert content.phone_says("sms_sent") in caller.press("9").text
    for _ in range(5):  # the same signed request, replayed
        heard = caller.request(path, {"Digits": "9"})
        assert content.phone_says("sms_already_sent") in heard.text
    assert content.phone_says("sms_already_sent") in caller.press("9").text  # and later in the call
    assert len(messages.received) == 1
    other = make_caller(twilio_api_base=messages.url)  # another call may have its own text
    other.call()
    other.press("4")
    assert content.phone_says("sms_sent") in other.press("9").text and len(messages.received) == 2


@pytest.mark.parametrize("caller_id", ["anonymous", "+266696687", "client:alice", "sip:x@evil", "+1555", ""])
def test_texts_go_only_to_valid_numbers(make_caller, messages, content, caller_id):
    caller = make_caller(twilio_api_base=messages.url)
    caller.form["From"] = caller_id
    caller.call()
    caller.press("4")
    heard = caller.press("9")
    assert content.phone_says("sms_withheld") in heard.text and content.aftercare_steps[0] in heard.text
    assert messages.received == []


# ---------------------------------------------------------------- 10. content checks staff need

def test_changed_number_keeps_grammar_on_both_channels(live_copies, monkeypatch, make_caller, alexa):
    content_file, model_file = live_copies
    monkeypatch.setattr(store_module, "_default", Store(content_file.parent, model_file.parent, interval=0))
    edit_yaml(content_file, lambda d: d["activities"]["makeup"].update(wait_days={"min": 2, "max": 2}))
    caller = make_caller()
    caller.call()
    assert "Avoid makeup for 2 days," in caller.press("3").text
    assert "Avoid makeup for 2 days after your session." in caller.press("1").text + caller.press("1").text
    said = speech(alexa(envelope(intent_request("DowntimeIntent"))).get_json())
    assert "Avoid makeup for 2 days," in said and "2 day," not in said


def test_content_check_warns_about_an_answer_too_long_to_hear_once(write_content, capsys):
    from clinic_voice.cli import main
    assert main(["content", "check"]) == 0 and "warning" not in capsys.readouterr().out
    path = write_content(lambda d: d["topics"]["pain"].update(answer=" ".join(["prickling"] * 51)))
    assert main(["content", "check", str(path)]) == 0
    assert f"warning: {path}: $.topics.pain.answer: 51 words, longer than the phone's limit of 50" \
        in capsys.readouterr().out


def test_hand_edit_to_a_derived_locale_is_reported_and_not_overwritten(tmp_path, monkeypatch, capsys, content):
    from clinic_voice.cli import main
    from interaction_models import model_path
    from shared.models import build
    models = tmp_path / "models"
    models.mkdir()
    (models / "en-US.json").write_text(model_path("en-US").read_text())
    build.build(build.derived_files(content, models))
    monkeypatch.setattr("clinic_voice.staff.MODELS_DIR", models)
    assert main(["models", "build", "--check"]) == 0
    gb = models / "en-GB.json"
    edited = gb.read_text().replace('"does it hurt"', '"does it hurt mate"')
    gb.write_text(edited)
    assert main(["models", "check", "en-GB"]) == 1
    assert f"error: {gb}: $: edited by hand, but en-GB is built from en-US" in capsys.readouterr().out
    assert main(["models", "build"]) == 1
    assert "make the change in" in capsys.readouterr().err and gb.read_text() == edited


@pytest.mark.parametrize("settings, wrong", [
    ({"CLINIC_PRIVACY_POLICY_URL": "http://clinic.example.org/privacy"}, "CLINIC_PRIVACY_POLICY_URL must be an https"),
    ({"ALEXA_ENDPOINT": "ftp://x"}, "ALEXA_ENDPOINT must be a Lambda ARN"),
    ({"ALEXA_ENDPOINT": "https://clinic.example.org/alexa", "ALEXA_SSL_CERTIFICATE_TYPE": "Best"}, "must be one of"),
])
def test_export_validates_its_inputs(tmp_path, monkeypatch, capsys, settings, wrong):
    from clinic_voice.cli import main
    monkeypatch.setenv("CLINIC_PRIVACY_POLICY_URL", "https://clinic.example.org/privacy")
    monkeypatch.setenv("ALEXA_ENDPOINT", "arn:aws:lambda:us-east-1:123456789012:function:clinic-skill")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert main(["models", "export", str(tmp_path / "ask")]) == 1
    assert wrong in capsys.readouterr().err and not (tmp_path / "ask").exists()


def test_export_of_an_https_endpoint_names_its_certificate_type(tmp_path, monkeypatch):
    from clinic_voice.cli import main
    monkeypatch.setenv("CLINIC_PRIVACY_POLICY_URL", "https://clinic.example.org/privacy")
    monkeypatch.setenv("ALEXA_ENDPOINT", "https://clinic.example.org/alexa")
    monkeypatch.setenv("ALEXA_SSL_CERTIFICATE_TYPE", "Wildcard")
    assert main(["models", "export", str(tmp_path / "ask")]) == 0
    manifest = json.loads((tmp_path / "ask" / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": "https://clinic.example.org/alexa",
                                                      "sslCertificateType": "Wildcard"}
