"""Property-based tests: whatever arrives, the answer is well-formed TwiML, a valid Alexa response, or a 4xx."""
from __future__ import annotations

import json
import os
from urllib.parse import quote
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.alexa import SKILL_ID, envelope, slot

# HYPOTHESIS_EXAMPLES=3000 for a longer hunt than the suite's default 150 examples per test
SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
nasty = st.sampled_from(['<speak>', '</Say>', '&amp;', '"', "'", "]]>", "\x00", "🙂", "𝔘𝔫𝔦", "a" * 3000, " ", ""])
any_text = st.one_of(text, nasty)
STATE_KEYS = ["step", "offer", "last", "miss", "last.condition", "offer.condition", "last.activity"]


def well_formed_twiml(body: str) -> None:
    root = ElementTree.fromstring(body)
    assert root.tag == "Response" and (list(root) or root.text is None)


# ---------------------------------------------------------------- the phone line

@SETTINGS
@given(path=st.one_of(st.sampled_from(["/ivr/voice", "/ivr/turn", "/ivr/", "/ivr/x"]),
                      text.map(lambda t: "/ivr/" + quote(t, safe=""))),
       query=st.dictionaries(st.one_of(st.sampled_from(STATE_KEYS), text), any_text, max_size=4),
       form=st.dictionaries(st.one_of(st.sampled_from(["CallSid", "Digits", "SpeechResult", "From", "Confidence"]), text),
                            any_text, max_size=6),
       signed=st.booleans())
def test_any_form_on_any_path(make_caller, path, query, form, signed):
    caller = make_caller()
    if not signed:
        caller.token = None
    target = path + ("?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query.items()) if query else "")
    caller.form = form
    heard = caller.request(target)
    assert heard.status == 200 or 400 <= heard.status < 500, heard.status
    if heard.status == 200:
        well_formed_twiml(heard.body)
    if not signed:
        assert heard.status in (403, 404, 405)


@SETTINGS
@given(speech=any_text, digits=st.one_of(st.just(""), st.text("0123456789*#", max_size=3)),
       step=st.one_of(st.none(), st.integers(-5, 50).map(str), text), lang=st.sampled_from(["en-US", "es-US"]))
def test_any_speech_in_any_state(make_caller, speech, digits, step, lang):
    caller = make_caller()
    query = f"?lang={lang}" + (f"&step={quote(step, safe='')}&last=AftercareIntent" if step is not None else "")
    heard = caller.request(f"/ivr/turn{query}", {"SpeechResult": speech, "Digits": digits})
    assert heard.status == 200
    well_formed_twiml(heard.body)
    assert heard.says or heard.dialled


# ---------------------------------------------------------------- Alexa

json_values = st.recursive(st.none() | st.booleans() | st.integers() | any_text,
                           lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
                           max_leaves=8)
intent_names = st.one_of(st.sampled_from(["PainIntent", "SuitabilityIntent", "AftercareTimingIntent", "AftercareIntent",
                                          "AMAZON.NextIntent", "AMAZON.YesIntent", "AMAZON.RepeatIntent"]), text)


@st.composite
def envelopes(draw) -> dict:
    kind = draw(st.sampled_from(["LaunchRequest", "IntentRequest", "SessionEndedRequest", "CanFulfillIntentRequest"]))
    request: dict = {"type": kind}
    if kind == "IntentRequest":
        slots = {name: slot(name, draw(st.one_of(st.none(), any_text)))
                 for name in draw(st.lists(st.sampled_from(["condition", "activity", "days", "x"]), max_size=3))}
        request["intent"] = {"name": draw(intent_names), "slots": slots}
    event = envelope(request, attributes=draw(st.dictionaries(st.sampled_from(STATE_KEYS + ["junk"]), json_values,
                                                              max_size=4)), locale=draw(st.sampled_from(["en-US", "es-US"])))
    for _ in range(draw(st.integers(0, 2))):  # then break something
        where = draw(st.sampled_from(["request", "session", "version", "request.intent", "request.locale",
                                      "session.attributes", "request.type"]))
        target, _, key = where.rpartition(".")
        holder = event if not target else event.get(target)
        if isinstance(holder, dict):
            holder[key or where] = draw(json_values)
    return event


def valid_alexa_response(out: dict) -> None:
    assert out["version"] == "1.0" and isinstance(out["response"], dict)
    speech = out["response"].get("outputSpeech")
    if speech:
        assert ElementTree.fromstring(speech["ssml"]).tag == "speak"
        assert len(speech["ssml"]) <= 8000


@SETTINGS
@given(event=envelopes())
def test_any_envelope_through_lambda(monkeypatch, event):
    from skill.lambda_function import lambda_handler
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    valid_alexa_response(lambda_handler(event, None))


@SETTINGS
@given(event=st.one_of(envelopes(), json_values))
def test_any_body_at_the_web_endpoint(make_caller, event):
    app = make_caller(dev=True, alexa_skill_id=SKILL_ID).app
    response = app.test_client().post("/alexa", data=json.dumps(event), headers={"Content-Type": "application/json"})
    assert response.status_code == 200 or 400 <= response.status_code < 500
    if response.status_code == 200:
        valid_alexa_response(response.get_json())
