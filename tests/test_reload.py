"""Live content updates: edited files are picked up without a restart; broken edits are not loaded."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
import yaml

from shared import store as store_module
from shared.store import Store


@pytest.fixture
def files(live_copies) -> tuple[Path, Path]:
    return live_copies


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    bump(path)


def bump(path: Path) -> None:
    """Make sure the modification time moves, even on a coarse-grained file system."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def live(files) -> Store:
    content_file, model_file = files
    return Store(content_file.parent, model_file.parent, interval=0)


def test_edited_answer_is_served_without_restart(live, files):
    assert live.current().content.topics["PainIntent"].answer.startswith("It's surprisingly")
    edit_yaml(files[0], lambda d: d["topics"]["pain"].update(answer="Most people feel only a light prickling."))
    assert live.current().content.topics["PainIntent"].answer == "Most people feel only a light prickling."


def test_broken_edit_keeps_the_last_good_version(live, files, caplog):
    good = live.current()
    edit_yaml(files[0], lambda d: d["topics"].pop("pain"))
    with caplog.at_level(logging.ERROR):
        assert live.current() is good
    assert f"{files[0]}:" in caplog.text and ": $.topics: 'pain' is a required property (to fix: add it)" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert live.current() is good
    assert caplog.text == ""  # reported once, not on every request
    edit_yaml(files[0], lambda d: d["topics"].update(pain=fixed_pain(good)))
    assert live.current().content.topics["PainIntent"].answer == "Fixed: a light prickling."


def fixed_pain(bundle) -> dict:
    topic = bundle.content.topics["PainIntent"]
    return {"title": topic.title, "answer": "Fixed: a light prickling.", "offer": topic.offer}


def test_broken_model_edit_keeps_the_last_good_version(live, files, caplog):
    good = live.current()
    data = json.loads(files[1].read_text())
    data["interactionModel"]["languageModel"]["intents"][0]["samples"].append("what is it 4")
    files[1].write_text(json.dumps(data))
    bump(files[1])
    with caplog.at_level(logging.ERROR):
        assert live.current() is good
    assert "spell numbers out" in caplog.text and str(files[1]) in caplog.text


def test_new_phrasing_reaches_the_phone_matcher(live, files):
    assert live.current().matcher.match("zorbly glimmer").intent is None
    data = json.loads(files[1].read_text())
    next(i for i in data["interactionModel"]["languageModel"]["intents"] if i["name"] == "PainIntent")["samples"] \
        .append("zorbly glimmer")
    files[1].write_text(json.dumps(data))
    bump(files[1])
    assert live.current().matcher.match("zorbly glimmer").intent == "PainIntent"


def test_checks_at_most_once_per_interval(files):
    slow = Store(files[0].parent, files[1].parent, interval=3600)
    first = slow.current()
    edit_yaml(files[0], lambda d: d["topics"]["pain"].update(answer="Changed."))
    assert slow.current() is first  # not looked at yet
    slow.reload()                   # what SIGHUP does
    assert slow.current().content.topics["PainIntent"].answer == "Changed."


def test_a_touched_but_unchanged_file_keeps_the_bundle_and_its_matcher(live, files):
    good = live.current()
    matcher = good.matcher
    for path in files:
        bump(path)
    assert live.current() is good and live.current().matcher is matcher


def test_a_note_of_the_wrong_type_still_finds_conditions():
    """A first load skips the JSON Schema: a staff note written as a list must not break every turn."""
    from shared.core.content import CONTENT_DIR, build_content, read_content_data
    data = json.loads(json.dumps(read_content_data(CONTENT_DIR / "en-US.yaml")))
    key = next(iter(data["conditions"]))
    data["conditions"][key]["note"] = ["a list, not a sentence"]
    content = build_content(data, "en-US.yaml", schema=False)
    assert content.condition_index.find(data["conditions"][key]["name"])


def test_disappearing_file_keeps_serving(live, files):
    good = live.current()
    files[0].unlink()
    assert live.current() is good


def test_broken_file_at_start_is_refused(files):
    files[0].write_text("topics: [")
    with pytest.raises(ValueError, match="not valid YAML"):
        Store(files[0].parent, files[1].parent).current()


def test_phone_line_serves_the_edit(files, make_caller, monkeypatch):
    monkeypatch.setattr(store_module, "_default", Store(files[0].parent, files[1].parent, interval=0))
    caller = make_caller()
    caller.call()
    edit_yaml(files[0], lambda d: d["topics"]["pain"].update(answer="A light prickling, thanks to numbing cream."))
    assert caller.say("does it hurt").text.startswith("A light prickling, thanks to numbing cream.")
