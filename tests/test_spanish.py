"""Spanish (es-US) on both channels: whole phone calls, Alexa envelopes, content parity, safety."""
from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from clinic_voice.cli import main
from shared.core.content import ContentError, content_path, load_content, shipped_content
from shared.core.dialogue import HANDLERS, State, respond
from shared.store import current
from skill.handlers import ssml
from skill.lambda_function import lambda_handler
from tests.alexa import SKILL_ID, AlexaUser, slot, speech

ES = "es-US"


@pytest.fixture(scope="module")
def es():
    return shipped_content(ES)


# ---------------------------------------------------------------- the phone line

def voices(body: str) -> list[tuple[str | None, str | None]]:
    """(voice, language) of every <Say>, and the language of every <Gather> as (None, language)."""
    root = ElementTree.fromstring(body)
    return [(e.get("voice"), e.get("language")) for e in root.iter("Say")] + \
           [(None, e.get("language")) for e in root.iter("Gather")]


def assert_spanish(heard, es) -> None:
    assert set(voices(heard.body)) <= {(es.phone["voice"], ES), (None, ES)}, heard.body
    if heard.gather:
        assert heard.gather["language"] == ES and "cuidados" in heard.gather["hints"]
    if heard.action:
        assert "lang=es-US" in heard.action


def test_english_greeting_offers_spanish_in_a_spanish_voice(caller, es):
    heard = caller.call()
    assert heard.says[-1] == "Para español, oprima 9 o diga español."
    assert voices(heard.body)[-2] == ("Polly.Lupe", ES)   # the offer; the greeting stays English
    assert voices(heard.body)[0] == ("Polly.Joanna", "en-US")
    assert "9" not in shipped_content().phone["menu"]       # the key is free at the English menu


@pytest.mark.parametrize("switch", [("press", "9"), ("say", "español"), ("say", "Spanish")])
def test_nine_or_espanol_switches_the_call_to_spanish(caller, es, switch):
    caller.call()
    heard = getattr(caller, switch[0])(switch[1])
    assert heard.text == es.phone_says("greeting")
    assert_spanish(heard, es)
    heard = caller.say("duele mucho")
    assert heard.text.startswith(es.topics["PainIntent"].answer)
    assert_spanish(heard, es)


def test_a_whole_spanish_call_from_the_spanish_number(caller, es):
    heard = caller.request("/ivr/voice?lang=es-US")
    assert heard.text == es.phone_says("greeting")
    assert_spanish(heard, es)
    steps = [("cuantas sesiones necesito", es.topics["SessionCountIntent"].answer),
             ("sí", es.topics["ProcedureIntent"].answer),           # yes to the offer
             ("qué cuidados debo tener después", "Paso 1 de 6."),
             ("siguiente", "Paso 2 de 6."),
             ("repetir", "Paso 2 de 6."),
             ("anterior", "Paso 1 de 6.")]
    for said, starts in steps:
        heard = caller.say(said)
        assert_spanish(heard, es)
        assert starts in heard.text, (said, heard.text)
    heard = caller.press("1")
    assert "Paso 2 de 6." in heard.text
    assert_spanish(heard, es)
    heard = caller.say("puedo usar retinol a los dos días")
    assert "retinol" in heard.text and "3 a 5 días" in heard.text
    heard = caller.say("operador")
    assert heard.dialled and voices(heard.body) == [("Polly.Lupe", ES)]
    assert heard.text == es.phone_says("transfer")


def test_spanish_small_words_in_the_aftercare_steps(caller, es):
    """A caller who asks again or for the next step in their own words stays in the steps; "chao" ends the call."""
    caller.request("/ivr/voice?lang=es-US")
    assert "Paso 1 de 6." in caller.say("qué cuidados debo tener después").text
    for said, starts in [("a ver el otro", "Paso 2 de 6."), ("¿cómo dice?", "Paso 2 de 6."), ("no le oí", "Paso 2 de 6."),
                         ("más despacio por favor", "Paso 2 de 6."), ("dígame el siguiente", "Paso 3 de 6.")]:
        heard = caller.say(said)
        assert starts in heard.text, (said, heard.text)
        assert_spanish(heard, es)
    assert caller.say("chao pues").hung_up


def test_spanish_keys_menu_and_misses(caller, es):
    caller.request("/ivr/voice?lang=es-US")
    assert caller.press("2").text.startswith(es.topics["PainIntent"].answer)
    assert caller.press("9").text.startswith(es.phone_says("no_key"))  # 9 means nothing once in Spanish
    heard = caller.say("cuanto cuesta")
    assert heard.text.startswith(es.say("fallback"))
    assert_spanish(heard, es)


@pytest.mark.parametrize("said, emergency", [
    ("me salió pus y tengo calentura", True),
    ("se me hincharon los labios", True),
    ("tengo ampollas en toda la cara", False),
    ("ya van cuatro días y sigo roja", False),
    ("mi piel quedó peor que antes", False),
    ("la piel me pica y está rojita, me da miedo", False),           # nerves, but a symptom of one's own
    ("me siento mareada desde la sesión, como que me voy a desmayar", True),
    ("cada día se ve peor, ¿eso es normal? ya van cinco días", False),  # past the window, though asked
    ("mi abuela se hizo eso y tiene la cara toda morada", False),        # sets W and X, measured once
    ("la piel se me está pelando a pedazos y me duele mucho", False),
    ("estoy brotada desde el tratamiento", False),                      # set Y, measured once
    ("tengo unas costras amarillas que no se me quitan", False),
    ("se me ven como cuadritos marcados en la cara como una rejilla desde el microneedling", False),  # set Z
    ("se me puso la piel negra en unas partes", False),        # "puso" no longer stems to "pus" by chance
    ("¿es normal seguir roja después de cinco días?", False),  # a sixth review: `lasting` in Spanish
    ("el microneedling me dejó la piel más manchada que antes, qué hago", False),  # set AA, measured once
    ("se me pusieron blancas unas partes de la piel, como que perdí el color", False),
    ("se me está haciendo como un queloide en la frente", False),       # set AB, measured once
    ("me estan saliendo manchas oscuras despues del micro nidlin", False),  # sets AC and AD, measured once
    ("me salieron unas manchitas en los pómulos que antes no tenía", False),
    ("tengo una cosa dura debajo de la piel como una pelotita", False),
    ("tengo la mejilla caliente y se me está corriendo hacia la oreja", True),
    ("está peor", False),                                                  # sets AE and AF, measured once
    ("tengo la cara colorada desde el lunes y ya es jueves y no se me cuita", False),
    ("el retinol cuando lo vuelvo a usar y otra cosa me sale como un liquidito de los granitos", False),
    ("me salió el herpes labial después de mi micro nidling y me duele", False),  # sets AG and AH, measured once
    ("desde la sesión mi hermana no quiere salir de la casa, dice que no se reconoce", False),  # sets AO and AP
    ("el tratamiento me dejó unas marquitas que antes no estaban", False),
    ("fui a hacerme lo de las agujas el martes y la verdad no ando bien", False),
    ("desde el tratamiento mi hija no quiere que nadie la vea", False),  # set AQ, measured once
    ("¿es normal que la cara me arda más hoy que ayer?", False),
    ("¿es normal tener ampollas ni nada de eso? porque yo tengo desde el lunes", False),  # "ni nada" after no "no"
    ("¿cuánto me dura el pus?", False),                                                  # a soft question
    ("la rojez en vez de irse se está haciendo más grande", False),                      # set AR, measured once
    ("me están quedando unas marcas nuevas en la frente", False),
    ("no sé si es pus ni nada, ¿qué hago?", False),                  # a second review: "no sé si" is no denial
    ("me salió herpes, ¿puedo ir a mi cita de la segunda sesión?", False),
    ("la sesión fue el martes y hoy viernes sigo inflamada", False),          # set AS: "fue el martes ... viernes"
    ("mi piel no se ve como debería, ¿me comunica con alguien?", False),
    ("¿es normal que me arda tanto la cara con la crema?", False),
    ("no quiero molestar pero no me quedó bien y quisiera que alguien me revise", False),
    ("me arrepiento de habérmelo hecho, mire cómo quedé", False),  # a probe of reports with no symptom word
    ("la piel se veía mejor antes del tratamiento que ahora", False),
    ("la crema que me pusieron al final no me cayó bien", False),
    ("¿cuándo se me va a bajar? ya van seis días", False),
    ("¿qué me puedo poner para la comezón después del tratamiento?", False),
    ("algo salió mal, no me veo normal", False),                       # sets AT and AU, measured once
    ("me pica tanto que no puedo dormir", False),
    ("siento que no estoy sanando como debería", False),
    ("hoy me duele más que el primer día, ¿es eso normal?", False),   # set AV, measured once
    ("me salieron queloides después del microneedling", False),
    ("a mi hija le salieron queloides después de la sesión", False),  # a harm told, not asked
    ("me arruinaron la cara, ¿quién me va a responder por esto?", False),  # set AW: a complaint, then a question
    ("¿es normal que me pique tanto que no pude dormir en toda la noche?", False),
    # round forty-eight: a not-sign for pores that close ("ayuda a cerrarlos") had blanked every word that
    # closes, so a throat closing was no emergency sign
    ("siento la garganta cerrada desde el tratamiento", True),
    ("se me está cerrando la garganta", True),
    ("se le cerró un ojo a mi hermana esta mañana, ¿se puede maquillar?", True),
    ("se me formaron costras amarillentas que supuran, ¿aplico mupirocina o voy a urgencias?", False),
])
def test_spanish_problem_reports_get_the_safety_answer_and_the_front_desk(caller, es, said, emergency):
    caller.request("/ivr/voice?lang=es-US")
    heard = caller.say(said)
    assert heard.text.startswith(es.emergency_answer if emergency else es.safety_answer)
    assert es.phone_says("safety_keys") in heard.text
    assert_spanish(heard, es)
    heard = caller.say("sí")
    assert heard.dialled and heard.text == es.phone_says("transfer")


def test_a_forged_language_falls_back_to_english(caller):
    heard = caller.request("/ivr/voice?lang=xx-XX")
    assert heard.gather["language"] == "en-US" and "lang=" not in heard.action


# ---------------------------------------------------------------- the matcher

@pytest.mark.parametrize("said, intent", [
    ("cuanto duele", "PainIntent"), ("cuánto duele", "PainIntent"), ("el micro nidling duele", "PainIntent"),
    ("siguiente", "AMAZON.NextIntent"), ("repetir", "AMAZON.RepeatIntent"), ("anterior", "AMAZON.PreviousIntent"),
    ("si", "AMAZON.YesIntent"), ("sí por favor", "AMAZON.YesIntent"), ("no gracias", "AMAZON.NoIntent"),
    ("operador", "FrontDeskIntent"),
    ("mejor no", "AMAZON.NoIntent"), ("ya con eso", "AMAZON.NoIntent"), ("ya estuvo", "AMAZON.StopIntent"),
    ("chao pues", "AMAZON.StopIntent"), ("que tenga buen día", "AMAZON.StopIntent"),
])
def test_spanish_matcher_accents_optional_slips_and_commands(said, intent):
    assert current(ES).matcher.match(said).intent == intent


@pytest.mark.parametrize("heard, meant", [
    ("ehta hinchao dehpue del tratamiento", "esta hinchado despues del tratamiento"),  # s as h, dropped d and s
    ("que complicacione pueden pasar", "que complicaciones pueden pasar"),           # a dropped final s put back...
    ("me puede quedar cicatri", "me puede quedar cicatriz"),                         # ...or z
    ("no sintio na eso e verda", "no sintio nada eso es verdad"),
    ("mama e hija", "mama e hija"),                                                  # "e" is also "and"
    ("quemaita", "quemadita"),
    ("ahora ahi", "ahora ahi"),                                                      # an h before a vowel stays
])
def test_caribbean_speech_is_respelt_before_matching(heard, meant):
    assert current(ES).matcher.normalise(heard) == meant


def test_general_risk_question_is_no_report():
    assert current(ES).matcher.match("puede causar cicatrices").intent == "RisksIntent"


@pytest.mark.parametrize("said", ["¿sirve para piel morena? me salen manchas fácil",  # a trait, not a report
                                  "¿empareja el tono de la piel manchada?",            # a hope
                                  "¿arde mientras me lo hacen?",                        # during, not after
                                  "¿qué se siente durante la sesión? ¿es como un ardor?",  # "la sesión" inside "durante..."
                                  "mi hija se lo hizo ayer y le fue bien, ¿qué le recomiendan para cuidar la piel?",
                                  "a mí me salen queloides cuando me corto, ¿sirve o no para mí?",  # a trait
                                  "¿qué tanto arde el facial de agujas del uno al diez?",
                                  "¿una vez al mes o más seguido lo del facial de agujas?",  # how often, not how long
                                  "¿hay una consulta antes o llegas y de una te pican?"])
def test_spanish_questions_with_sign_words_are_no_report(said):
    assert current(ES).matcher.match(said).intent != "ComplicationIntent"


# ---------------------------------------------------------------- Alexa

@pytest.fixture
def user(monkeypatch) -> AlexaUser:
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    return AlexaUser(lambda event: lambda_handler(event, None), locale=ES)


@pytest.mark.parametrize("intent", sorted(HANDLERS))
def test_every_intent_is_answered_in_spanish(user, es, intent):
    response = user.say(intent)
    expected = respond(es, intent, {}, State())
    assert response["response"]["outputSpeech"]["ssml"] == ssml(expected.speech)
    assert expected.speech != respond(shipped_content(), intent, {}, State()).speech
    if not expected.end:
        assert response["response"]["card"]["title"] == expected.card_title


def test_alexa_spanish_launch_and_condition_slot(user, es):
    assert speech(user.launch()) == es.say("welcome")
    response = user.send({"type": "IntentRequest", "dialogState": "COMPLETED", "intent": {
        "name": "SuitabilityIntent", "confirmationStatus": "NONE",
        "slots": {"condition": slot("condition", "queloides", ("keloids", "antecedentes de queloides"))}}})
    assert speech(response).startswith("El microneedling no se recomienda para personas con antecedentes de queloides")
    assert response["response"]["card"]["title"] == es.topics["SuitabilityIntent"].title


# ---------------------------------------------------------------- content parity

def test_every_locale_has_the_same_facts_verdicts_windows_and_steps(es):
    en = shipped_content()
    assert es.facts == en.facts and len(es.aftercare_steps) == len(en.aftercare_steps)
    assert set(es.topics) == set(en.topics)
    assert {k: c.verdict for k, c in es.conditions.items()} == {k: c.verdict for k, c in en.conditions.items()}
    assert {k: (a.wait_min, a.wait_max) for k, a in es.activities.items()} == \
        {k: (a.wait_min, a.wait_max) for k, a in en.activities.items()}
    assert main(["content", "check"]) == 0


@pytest.fixture
def spanish_copy(tmp_path) -> Path:
    """A folder with copies of the shipped en-US and es-US content."""
    for locale in ("en-US", ES):
        shutil.copy(content_path(locale), tmp_path / f"{locale}.yaml")
    return tmp_path / f"{ES}.yaml"


@pytest.mark.parametrize("drift, where, reason", [
    (lambda d: d.update(facts={"sessions_min": 4}), "$.facts.sessions_min", "differs from 3 in en-US"),
    (lambda d: d["conditions"]["rosacea"].update(verdict="suitable"), "$.conditions.rosacea.verdict", "differs"),
    (lambda d: d["activities"]["makeup"].update(wait_days={"min": 2, "max": 2}), "$.activities.makeup.wait_days",
     "differs"),
    (lambda d: d["topics"]["sessions"].update(answer="Necesita de 4 a 6 sesiones."), "$.topics.sessions.answer",
     "a digit written by hand"),
    (lambda d: d["topics"]["aftercare"]["steps"].pop(), "$.topics.aftercare.steps", "5 steps; en-US has 6"),
    (lambda d: d["conditions"].pop("melasma"), "$.conditions", "'melasma' is missing"),
    (lambda d: d["activities"].pop("sun"), "$.activities", "'sun' is missing"),
])
def test_a_drifted_translation_is_refused(spanish_copy, capsys, drift, where, reason):
    data = yaml.safe_load(spanish_copy.read_text(encoding="utf-8"))
    drift(data)
    spanish_copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(spanish_copy)
    assert any(p.path == where and reason in p.reason for p in caught.value.problems), caught.value
    assert main(["content", "check", str(spanish_copy)]) == 1
    assert where in capsys.readouterr().err


# ---------------------------------------------------------------- staff commands

def test_try_and_eval_take_a_locale(capsys):
    assert main(["try", "--locale", ES, "cuánto dura la recuperación"]) == 0
    out = capsys.readouterr().out
    assert "intent:   DowntimeIntent" in out and "alexa says: <speak>La recuperación es mínima" in out
    assert "phone says: La recuperación es mínima" in out
    dev = Path(__file__).parent / "data" / "questions-es-dev.jsonl"
    assert main(["eval", "--locale", ES, str(dev)]) == 0
    assert "(20 questions)" in capsys.readouterr().out


def test_models_check_and_export_handle_es_us(tmp_path, monkeypatch, capsys):
    assert main(["models", "check", ES]) == 0
    assert "es-US.json: ok (0 warnings)" in capsys.readouterr().out
    monkeypatch.setenv("CLINIC_PRIVACY_POLICY_URL", "https://clinic.example.org/privacy")
    monkeypatch.setenv("ALEXA_ENDPOINT", "arn:aws:lambda:us-east-1:123456789012:function:clinic-skill")
    assert main(["models", "export", str(tmp_path)]) == 0
    exported = tmp_path / "skill-package" / "interactionModels" / "custom" / "es-US.json"
    model = yaml.safe_load(exported.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    assert model["invocationName"] == "clínica piel clara"
    conditions = next(t for t in model["types"] if t["name"] == "ConditionType")["values"]
    assert any(v["name"]["value"] == "acné activo" for v in conditions)  # Spanish slot values


def test_spanish_dev_and_heldout_lines_are_not_copied_into_the_model():
    import json

    from interaction_models import model_path
    from shared.understanding.evaluation import read_cases
    from shared.core.text import words
    lm = json.loads(model_path(ES).read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    samples = {" ".join(words(s)) for i in lm["intents"] for s in i.get("samples", [])}
    data = Path(__file__).parent / "data"
    copied = [c.text for c in read_cases(data / "questions-es-dev.jsonl") if " ".join(words(c.text)) in samples]
    assert copied == []
    # Held-out lines that are also samples: canonical one-liners both happened to say ("que riesgos tiene").
    same = [c.text for c in read_cases(data / "questions-es-heldout.jsonl") if " ".join(words(c.text)) in samples]
    assert len(same) <= 4, same


def test_without_spanish_content_the_line_offers_no_spanish(live_copies, monkeypatch, make_caller):
    content_file, model_file = live_copies
    monkeypatch.setenv("CLINIC_CONTENT_DIR", str(content_file.parent))
    monkeypatch.setenv("CLINIC_MODELS_DIR", str(model_file.parent))
    import shared.store
    monkeypatch.setattr(shared.store, "_default", None)
    caller = make_caller()
    heard = caller.call()
    assert len(heard.says) == 1 and "español" not in heard.text
    assert caller.press("9").text.startswith(shipped_content().phone_says("no_key"))


def test_a_broken_spanish_file_never_breaks_an_english_call(live_copies, monkeypatch, make_caller, caplog):
    content_file, model_file = live_copies
    (content_file.parent / "es-US.yaml").write_text("topics: [broken", encoding="utf-8")
    import shared.store
    monkeypatch.setattr(shared.store, "_default", shared.store.Store(content_file.parent, model_file.parent))
    caller = make_caller()
    assert caller.call().says == [shipped_content().phone_says("greeting")]
    assert caller.say("does it hurt").text.startswith(shipped_content().topics["PainIntent"].answer)
    assert "Spanish not offered" in caplog.text and "not valid YAML" in caplog.text


def test_spanish_answers_are_short_enough_to_hear_once(es):
    for topic in es.topics.values():
        assert len(topic.answer.split()) <= 60, topic.key
    assert "{" not in " ".join(t.answer for t in es.topics.values())  # placeholders all filled


def test_the_past_of_poner_is_no_pus(caller, es):
    """Snowball stems "puse" like "pus": the matcher data says it with another verb first."""
    caller.request("/ivr/voice?lang=es-US")
    heard = caller.say("me puse protector solar, ¿cuándo me puedo maquillar?")
    assert es.safety_answer not in heard.text


@pytest.mark.parametrize("said", ["explicadme qué es eso de las microagujas, que mi prima no para de hablar de ello",
                                  "oye pero eso de las agujas no duele mucho",
                                  # sets AO and AP: "tengo que" is an errand, not a state; "cuánto te dura" asks
                                  "cuánto tarda la cita, es que tengo que volver al trabajo temprano",
                                  "la hinchazón cuánto te dura después de la sesión",
                                  "sin ardor ni nada, solo quería saber cuándo me puedo maquillar"])
def test_talk_of_the_needles_or_of_someone_talking_is_no_report(caller, es, said):
    """Sets AC and AD: "no para de hablar" stops nothing, and "las agujas" names no treatment had."""
    caller.request("/ivr/voice?lang=es-US")
    heard = caller.say(said)
    assert es.safety_answer not in heard.text and es.emergency_answer not in heard.text
