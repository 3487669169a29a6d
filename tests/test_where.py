"""Staff error messages name file, line and column and say what to do: the `clinic-voice` entry point
run on broken copies of the shipped files. And `models build --check` no longer depends on our code."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interaction_models import model_path
from shared.core.content import ContentError, content_path
from shared.store import Store

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "clinic-voice")


def run(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *argv], capture_output=True, text=True, timeout=120, cwd=cwd,
                          env={**os.environ, "CLINIC_DEV": "", **(env or {})})


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """Folders holding copies of the shipped content and en-US model: (content dir, models dir)."""
    content_dir, models_dir = tmp_path / "content", tmp_path / "models"
    content_dir.mkdir(), models_dir.mkdir()
    shutil.copy(content_path(), content_dir / "en-US.yaml")
    shutil.copy(model_path("en-US"), models_dir / "en-US.json")
    return content_dir, models_dir


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_a_tab_in_yaml_names_line_column_and_says_use_spaces(copies):
    file = copies[0] / "en-US.yaml"
    text = edit(file, "\n    answer:", "\n\tanswer:")
    done = run("content", "check", str(file))
    assert done.returncode == 1
    line = line_of(text, "\tanswer:")
    message = done.stderr.strip()  # libyaml: "found a tab character that violates indentation"
    assert message.startswith(f"{file}:{line}:1: not valid YAML: ") and "tab" in message
    assert message.endswith("(to fix: use spaces, not tabs, to indent)")


def test_a_schema_error_in_yaml_names_line_and_column(copies):
    file = copies[0] / "en-US.yaml"
    text = file.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.strip().startswith("sessions_min:"))
    text = edit(file, old, old.split(":")[0] + ": three")
    done = run("content", "check", str(file))
    assert done.returncode == 1
    column = old.index("sessions_min") + 1
    assert f"{file}:{line_of(text, 'sessions_min: three')}:{column}: $.facts.sessions_min: 'three' is not of type " \
           "'integer' (to fix: write a whole number, without quotes)" in done.stderr


def test_a_misspelt_intent_in_the_content_lists_the_valid_ones(copies):
    file = copies[0] / "en-US.yaml"
    text = edit(file, "offer: PainIntent", "offer: PainIntnet")
    done = run("content", "check", str(file))
    assert done.returncode == 1
    assert f"{file}:{line_of(text, 'PainIntnet')}:" in done.stderr
    assert "use one of WhatIsIntent, PainIntent, DowntimeIntent" in done.stderr
    text = edit(file, "offer: PainIntnet", "offer: DowntimIntent")
    done = run("content", "check", str(file))
    assert "'DowntimIntent' is not a topic intent; did you mean DowntimeIntent? (valid: AftercareIntent," in done.stderr


def test_models_check_names_line_and_column_and_a_misspelt_intent(copies):
    content_dir, models_dir = copies
    file = models_dir / "en-US.json"
    text = edit(file, '"name": "FrontDeskIntent"', '"name": "FrontDeskIntnet"')
    done = run("models", "check", "en-US", env={"CLINIC_MODELS_DIR": str(models_dir)})
    assert done.returncode == 1
    line = line_of(text, "FrontDeskIntnet")
    column = text.splitlines()[line - 1].index('"name"') + 1
    assert f"error: {file}:{line}:{column}: $.interactionModel.languageModel.intents[" in done.stdout
    assert "FrontDeskIntnet has no handler in the code; did you mean FrontDeskIntent? (valid: " in done.stdout


def test_models_check_and_build_name_a_json_syntax_error(copies):
    content_dir, models_dir = copies
    file = models_dir / "en-US.json"
    text = edit(file, '"invocationName": "clear skin clinic",', '"invocationName": "clear skin clinic"')
    line = line_of(text, '"intents"')
    env = {"CLINIC_MODELS_DIR": str(models_dir)}
    check = run("models", "check", "en-US", env=env)
    assert check.returncode == 1
    message = f"{file}:{line}:7: not valid JSON: Expecting ',' delimiter (to fix: a comma is missing between two entries"
    assert message in check.stdout
    build = run("models", "build", env=env)
    assert build.returncode == 1 and message in build.stderr
    assert sorted(p.name for p in models_dir.iterdir()) == ["en-US.json"]  # nothing written


def test_the_server_refuses_to_start_naming_line_and_column(copies):
    content_dir, models_dir = copies
    file = content_dir / "en-US.yaml"
    text = edit(file, "\n    answer:", "\n\tanswer:")
    done = run("serve", "--port", "1", env={"CLINIC_CONTENT_DIR": str(content_dir), "TWILIO_AUTH_TOKEN": "x"})
    assert done.returncode == 2
    assert f"not starting: {file}:{line_of(text, chr(9) + 'answer:')}:1: not valid YAML: " in done.stderr
    assert "use spaces, not tabs, to indent" in done.stderr


def test_a_first_load_without_the_schema_refuses_a_malformed_file_the_same_way(copies):
    """A process's first load skips the JSON Schema (cold start); a file the rules can't read is still
    refused with the schema's problems, located."""
    content_dir, models_dir = copies
    file = content_dir / "en-US.yaml"
    text = file.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.strip().startswith("sessions_min:"))
    text = edit(file, old, old.split(":")[0] + ": three")
    with pytest.raises(ContentError) as refused:
        Store(content_dir, models_dir).content()
    assert str(refused.value).startswith(f"{file}:{line_of(text, 'sessions_min: three')}:")
    assert "$.facts.sessions_min: 'three' is not of type 'integer'" in str(refused.value)


def test_an_edited_comment_in_any_core_module_leaves_models_build_check_passing(tmp_path):
    """No record of source hashes: derived files depend on the content and en-US model only."""
    for package in ("shared", "skill", "ivr", "clinic_voice", "interaction_models"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    for module in ("content", "dialogue", "models", "model_check", "matcher", "build", "store", "rules", "text"):
        with (tmp_path / "shared" / f"{module}.py").open("a", encoding="utf-8") as source:
            source.write("# an edited comment\n")
    code = ("import sys, shared; from clinic_voice.cli import main\n"
            "assert shared.__file__.startswith(sys.argv[1]), shared.__file__\n"
            "sys.exit(main(['models', 'build', '--check']))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (ROOT / "interaction_models" / "checked.json").exists()


def test_models_json_positions_follow_the_json_path():
    from shared.where import position
    text = json.dumps({"a": {"b": [1, {"c": 2}]}}, indent=2)
    assert position(text, "$.a.b[1].c") == (line_of(text, '"c"'), 9)
    assert position(text, "$.a.missing") == (2, 3)  # the deepest part that exists
    assert position("topics: [", "$.topics") is None
