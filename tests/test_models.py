"""`models check|build|export` and `try`: each check proven with a broken model made in the test."""
from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import pytest

from clinic_voice.cli import main
from interaction_models import model_path
from shared.models import build
from shared.core.content import ContentError
from shared.models.checks import check_model_data, load_checked_model


@pytest.fixture(scope="module")
def model_data() -> dict:
    return json.loads(model_path("en-US").read_text(encoding="utf-8"))


def lm(data):
    return data["interactionModel"]["languageModel"]


def intent(data, name):
    return next(i for i in lm(data)["intents"] if i["name"] == name)


def errors(data, content):
    return [str(f.problem) for f in check_model_data(data, "model.json", content) if f.error]


def test_shipped_models_have_no_errors(content):
    from shared.core.content import content_path, shipped_content
    for locale in build.model_locales():
        own = shipped_content(locale) if content_path(locale).exists() else content  # es-US has its own
        assert errors(json.loads(model_path(locale).read_text()), own) == [], locale


def test_every_custom_intent_has_enough_samples(model_data):
    for i in lm(model_data)["intents"]:
        if not i["name"].startswith("AMAZON."):
            assert len(i["samples"]) >= 15, i["name"]


BROKEN = {
    "schema: intents not a list": (lambda d: lm(d).update(intents={}), "$.interactionModel.languageModel.intents",
                                   "is not of type 'array'"),
    "schema: unknown key": (lambda d: lm(d).update(colour="red"), "$.interactionModel.languageModel",
                            "'colour' was unexpected"),
    "invocation uppercase": (lambda d: lm(d).update(invocationName="Clear Skin"), ".invocationName", "lowercase"),
    "invocation one word": (lambda d: lm(d).update(invocationName="clinic"), ".invocationName", "at least two words"),
    "invocation wake word": (lambda d: lm(d).update(invocationName="alexa skin clinic"), ".invocationName",
                             "launch phrases or wake words: alexa"),
    "invocation launch phrase": (lambda d: lm(d).update(invocationName="open skin clinic"), ".invocationName", "open"),
    "digits in a sample": (lambda d: intent(d, "PainIntent")["samples"].append("does it hurt 2 times"),
                           "PainIntent" and ".samples[", "spell numbers out"),
    "punctuation in a sample": (lambda d: intent(d, "PainIntent")["samples"].append("does it hurt?"), ".samples[",
                                "only letters"),
    "duplicate within an intent": (lambda d: intent(d, "PainIntent")["samples"].append("does it hurt"), ".samples[",
                                   "a duplicate within PainIntent"),
    "duplicate across intents": (lambda d: intent(d, "BenefitsIntent")["samples"].append("Does it  hurt"), ".samples[",
                                 "also a sample of PainIntent"),
    "undeclared slot": (lambda d: intent(d, "PainIntent")["samples"].append("does it hurt with {condition}"),
                        ".samples[", "does not declare"),
    "unknown slot type": (lambda d: intent(d, "SuitabilityIntent")["slots"][0].update(type="SkinType"),
                          ".slots[0].type", "'SkinType' is not defined"),
    "missing built-in": (lambda d: lm(d)["intents"].remove(intent(d, "AMAZON.HelpIntent")), ".intents",
                         "AMAZON.HelpIntent is missing"),
    "intent without handler": (lambda d: lm(d)["intents"].append({"name": "PriceIntent", "samples": ["how much"]}),
                               ".name", "PriceIntent has no handler"),
    "topic unreachable": (lambda d: lm(d)["intents"].remove(intent(d, "DowntimeIntent")), ".intents",
                          "content topic 'downtime' is not reachable"),
    "condition not covered": (lambda d: next(t for t in lm(d)["types"] if t["name"] == "ConditionType")["values"].pop(),
                              ".values", "from the content is missing"),
    "synonym not covered": (lambda d: next(t for t in lm(d)["types"] if t["name"] == "ActivityType")["values"][0]
                            ["name"]["synonyms"].pop(), ".values", "synonyms of"),
    "slot type missing": (lambda d: lm(d).update(types=[t for t in lm(d)["types"] if t["name"] != "ActivityType"]),
                          ".types", "ActivityType is missing"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_models_are_reported(case, model_data, content):
    edit, where, reason = BROKEN[case]
    data = copy.deepcopy(model_data)
    edit(data)
    found = errors(data, content)
    assert any(where in f and reason in f for f in found), found


def test_cli_check_exit_codes(tmp_path, model_data, capsys, monkeypatch):
    assert main(["models", "check", "en-US"]) == 0
    broken = copy.deepcopy(model_data)
    lm(broken)["invocationName"] = "Skill"
    monkeypatch.setenv("CLINIC_MODELS_DIR", str(tmp_path))
    (tmp_path / "en-US.json").write_text(json.dumps(broken, indent=2))
    assert main(["models", "check", "en-US"]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'en-US.json'}:4:7: $.interactionModel.languageModel.invocationName: " in out


def test_cli_check_reports_invalid_json(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CLINIC_MODELS_DIR", str(tmp_path))
    (tmp_path / "en-US.json").write_text('{"interactionModel": ')
    assert main(["models", "check"]) == 1
    assert f"{tmp_path / 'en-US.json'}:1:22: not valid JSON: Expecting value" in capsys.readouterr().out


def test_thin_intents_and_matcher_disagreements_are_warnings(model_data, content):
    data = copy.deepcopy(model_data)
    intent(data, "FrontDeskIntent")["samples"] = intent(data, "FrontDeskIntent")["samples"][:5]
    intent(data, "BenefitsIntent")["samples"].append("how many sessions will it take for me")
    findings = check_model_data(data, "m.json", content, with_matcher=True)
    warnings = [str(f) for f in findings if not f.error]
    assert not any(f.error for f in findings)
    assert any("FrontDeskIntent has only 5" in w for w in warnings)
    assert any("the phone matcher picks SessionCountIntent" in w for w in warnings)


def test_load_refuses_a_broken_model(tmp_path, model_data, content):
    data = copy.deepcopy(model_data)
    intent(data, "PainIntent")["samples"].append("hurt 4 u")
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ContentError, match=r"en-US.json:1:\d+: \$.interactionModel"):
        load_checked_model(path, content)


# ---------------------------------------------------------------- build

@pytest.fixture
def models_copy(tmp_path) -> Path:
    target = tmp_path / "models"
    target.mkdir()
    (target / "en-US.json").write_text(model_path("en-US").read_text())
    return target


def test_build_is_deterministic_and_check_sees_stale_files(models_copy, content):
    files = build.derived_files(content, models_copy)
    assert set(p.name for p in files) == {"en-US.json", "en-GB.json", "en-CA.json", "en-AU.json", "en-IN.json",
                                          build.BUILT_RECORD}
    assert build.out_of_date(files) and build.build(files)
    assert build.out_of_date(build.derived_files(content, models_copy)) == []
    text = (models_copy / "en-GB.json").read_text()
    assert text.endswith("}\n") and text.startswith('{\n  "interactionModel"')
    assert text == build.derived_files(content, models_copy)[models_copy / "en-GB.json"]


def test_build_rebuilds_slot_values_from_content(models_copy, content):
    data = json.loads((models_copy / "en-US.json").read_text())
    lm(data)["types"][0]["values"] = lm(data)["types"][0]["values"][:1]
    (models_copy / "en-US.json").write_text(json.dumps(data))
    files = build.derived_files(content, models_copy)
    rebuilt = json.loads(files[models_copy / "en-US.json"])
    assert len(lm(rebuilt)["types"][0]["values"]) == len(content.activities)


def test_build_refuses_a_broken_source_and_writes_nothing(models_copy, content):
    data = json.loads((models_copy / "en-US.json").read_text())
    pain = next(i for i in lm(data)["intents"] if i["name"] == "PainIntent")
    pain["samples"].append("what is microneedling")  # also a WhatIsIntent sample
    (models_copy / "en-US.json").write_text(json.dumps(data))
    with pytest.raises(ContentError) as refused:
        build.derived_files(content, models_copy)
    assert re.search(r"en-US.json:1:\d+: \$.interactionModel.languageModel.intents", str(refused.value))
    assert "'what is microneedling' is also a sample of" in str(refused.value)
    assert [p.name for p in models_copy.iterdir()] == ["en-US.json"]


def test_cli_build_check_passes_on_the_shipped_tree():
    assert main(["models", "build", "--check"]) == 0


def test_crash_halfway_leaves_every_file_old_or_new(models_copy, content, monkeypatch):
    files = build.derived_files(content, models_copy)
    build.build(files)
    for path in files:
        path.write_text(path.read_text().replace("clear skin clinic", "old skin clinic") + " ")
    olds = {p: p.read_text() for p in files}
    real_replace, calls = os.replace, []

    def crash_on_third(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_third)
    with pytest.raises(OSError):
        build.build(files)
    for path in files:
        assert path.read_text() in (olds[path], files[path])
        json.loads(path.read_text())
    assert [p for p in models_copy.iterdir() if p.name.endswith(".tmp")] == []
    assert sum(p.read_text() == files[p] for p in files) == 2  # the first two renames happened


# ---------------------------------------------------------------- export and try

def test_export_writes_an_ask_cli_project(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLINIC_PRIVACY_POLICY_URL", "https://clinic.example.org/privacy")
    monkeypatch.setenv("ALEXA_ENDPOINT", "arn:aws:lambda:us-east-1:123456789012:function:clinic-skill")
    assert main(["models", "export", str(tmp_path / "ask")]) == 0
    root = tmp_path / "ask"
    assert json.loads((root / "ask-resources.json").read_text())["profiles"]["default"]["skillMetadata"]["src"] \
        == "./skill-package"
    manifest = json.loads((root / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["privacyAndCompliance"]["locales"]["en-GB"]["privacyPolicyUrl"] == "https://clinic.example.org/privacy"
    assert manifest["apis"]["custom"]["endpoint"]["uri"].startswith("arn:aws:lambda")
    assert "not a substitute for professional medical advice" in manifest["publishingInformation"]["locales"]["en-US"]["description"]
    models = sorted(p.name for p in (root / "skill-package" / "interactionModels" / "custom").iterdir())
    assert models == ["en-AU.json", "en-CA.json", "en-GB.json", "en-IN.json", "en-US.json", "es-US.json"]
    spanish = manifest["publishingInformation"]["locales"]["es-US"]
    assert "No sustituye" in spanish["description"] and spanish["examplePhrases"][0] == "Alexa, abre clínica piel clara"
    assert manifest["privacyAndCompliance"]["locales"]["es-US"]["privacyPolicyUrl"] == "https://clinic.example.org/privacy"


def test_export_needs_its_settings(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CLINIC_PRIVACY_POLICY_URL", raising=False)
    monkeypatch.setenv("ALEXA_ENDPOINT", "arn:x")
    assert main(["models", "export", str(tmp_path / "ask")]) == 1
    assert "CLINIC_PRIVACY_POLICY_URL" in capsys.readouterr().err
    assert not (tmp_path / "ask").exists()


def test_try_shows_intent_slots_nearest_and_replies(capsys):
    assert main(["try", "I have keloids on my shoulder, can I still have microneedling on my face?"]) == 0
    out = capsys.readouterr().out
    assert "intent:   SuitabilityIntent" in out and "'condition': 'keloids'" in out
    assert "nearest utterances:" in out and "alexa says: <speak>" in out and "phone says:" in out
    assert "not recommended" in out


def test_shipped_models_have_no_errors_and_no_warnings(capsys):
    """Both channels agree: every sample of every intent is routed by the phone line to that intent."""
    assert main(["models", "check"]) == 0
    out = capsys.readouterr()
    assert "warning:" not in out.out + out.err
    assert out.out.count("ok (0 warnings)") == 6  # five English models and es-US
