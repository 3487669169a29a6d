"""`clinic-voice serve` refusing bad configurations, the dev-mode warnings, and `chat`."""
from __future__ import annotations

import json
import logging

import pytest

from clinic_voice.cli import main
from clinic_voice.serve import DEV_BANNER, configure_logging
from interaction_models import model_path


def test_serve_refuses_to_start_without_a_token(monkeypatch, capsys):
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("CLINIC_DEV", raising=False)
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "not starting" in err and "TWILIO_AUTH_TOKEN" in err and "--dev" in err


def test_serve_refuses_broken_content(monkeypatch, tmp_path, capsys):
    (tmp_path / "en-US.yaml").write_text("topics: [")
    monkeypatch.setenv("CLINIC_CONTENT_DIR", str(tmp_path))
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    monkeypatch.setattr("shared.store._default", None)
    assert main(["serve", "--port", "1"]) == 2
    assert f"{tmp_path / 'en-US.yaml'}:2:1: not valid YAML: " in capsys.readouterr().err


@pytest.mark.parametrize("command", [["try", "does it hurt"], ["eval"]])
def test_staff_commands_refuse_a_broken_model_without_a_traceback(monkeypatch, tmp_path, capsys, command):
    model = json.loads(model_path("en-US").read_text())
    intents = model["interactionModel"]["languageModel"]["intents"]
    next(i for i in intents if i["name"] == "PainIntent")["samples"].append("what is microneedling")
    (tmp_path / "en-US.json").write_text(json.dumps(model))
    monkeypatch.setenv("CLINIC_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr("shared.store._default", None)
    assert main(command) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'en-US.json'}:1:" in err and ": $.interactionModel.languageModel.intents[" in err
    assert "Traceback" not in err


def test_dev_mode_is_in_every_log_line(capsys):
    try:
        configure_logging(dev=True)
        logging.getLogger("ivr.routes").info("call turn: sid=CA1")
        logging.getLogger("skill.web").warning("something")
        lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(lines) == 2 and all(DEV_BANNER in line for line in lines)
    finally:
        logging.basicConfig(force=True, handlers=[logging.NullHandler()])


def test_chat_plays_a_call(monkeypatch, capsys, content):
    monkeypatch.delenv("FRONT_DESK_NUMBER", raising=False)
    said = iter(["does it hurt", "1", "", "operator", "1"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(said))
    try:
        assert main(["chat"]) == 0
    finally:
        logging.disable(logging.NOTSET)  # chat silences the log; later tests read it
    out = capsys.readouterr().out
    assert content.topics["PainIntent"].answer in out
    assert content.topics["DowntimeIntent"].answer in out
    assert content.phone_says("no_input") in out
    assert content.phone_says("callback_offer") in out and content.phone_says("callback") in out
    assert "[call ended]" in out


@pytest.mark.parametrize("argv", [["serve", "--help"], ["chat", "--help"], ["models", "--help"],
                                  ["models", "check", "--help"], ["models", "build", "--help"],
                                  ["models", "export", "--help"], ["try", "--help"], ["eval", "--help"],
                                  ["db", "upgrade", "--help"], ["callbacks", "list", "--help"], ["callbacks", "done", "--help"],
                                  ["review", "list", "--help"], ["review", "teach", "--help"], ["review", "dismiss", "--help"],
                                  ["review", "purge", "--help"]])
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0 and "usage: clinic-voice" in capsys.readouterr().out
