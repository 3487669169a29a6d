"""Content files: the shipped one is valid; each kind of broken file is refused, naming file and path."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clinic_voice.cli import main
from shared.core.content import SCHEMA_PATH, ContentError, length_warnings, load_content
from shared.core.intents import CUSTOM_INTENTS, TOPIC_INTENTS


def test_shipped_content_covers_every_topic(content):
    assert set(content.topics) == set(TOPIC_INTENTS.values())
    assert len(content.aftercare_steps) >= 3
    assert "{" not in " ".join(t.answer for t in content.topics.values())  # placeholders all filled


def test_the_schema_names_the_topics_and_intents_of_shared_core_intents():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(schema["properties"]["topics"]["required"]) == set(schema["properties"]["topics"]["properties"]) \
        == set(TOPIC_INTENTS)
    intent_name = re.compile(schema["$defs"]["intentName"]["pattern"])
    assert all(intent_name.match(name) for name in CUSTOM_INTENTS)


def test_answers_are_short_enough_to_hear_once(content):
    assert length_warnings(content) == []


def test_placeholders_come_from_one_place(content):
    assert f"{content.facts['sessions_min']} to {content.facts['sessions_max']} sessions" in \
        content.topics["SessionCountIntent"].answer


BROKEN = {
    "missing topic": (lambda d: d["topics"].pop("pain"), "$.topics", "'pain' is a required property"),
    "wrong type": (lambda d: d["facts"].update(sessions_min="three"), "$.facts.sessions_min", "not of type 'integer'"),
    "empty step list": (lambda d: d["topics"]["aftercare"].update(steps=[]), "$.topics.aftercare.steps",
                        "should be non-empty"),
    "unknown key": (lambda d: d["topics"]["pain"].update(colour="red"), "$.topics.pain",
                    "Additional properties are not allowed ('colour' was unexpected)"),
    "unknown phrase": (lambda d: d["phrases"].update(jingle="la la"), "$.phrases", "'jingle' is not one of"),
    "unknown placeholder": (lambda d: d["topics"]["pain"].update(answer="It takes {hours} hours."),
                            "$.topics.pain.answer", "unknown placeholder {hours}"),
    "runtime placeholder in the wrong phrase": (lambda d: d["phrases"].update(welcome="Hello on day {days}."),
                                                "$.phrases.welcome", "unknown placeholder {days}"),
    "min above max": (lambda d: d["facts"].update(sessions_min=9), "$.facts.sessions_min", "more than sessions_max"),
    "offer of no topic": (lambda d: d["topics"]["pain"].update(offer="PriceIntent"), "$.topics.pain.offer",
                          "'PriceIntent' is not a topic intent"),
    "ambiguous synonym": (lambda d: d["conditions"]["keloids"]["synonyms"].append("pimples"),
                          "$.conditions.keloids.synonyms", "'pimples' also names active_acne"),
    "bad verdict": (lambda d: d["conditions"]["rosacea"].update(verdict="maybe"), "$.conditions.rosacea.verdict",
                    "'maybe' is not one of"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_content_is_refused_with_file_and_path(case, write_content):
    edit, path, reason = BROKEN[case]
    file = write_content(edit)
    with pytest.raises(ContentError) as caught:
        load_content(file)
    messages = [str(p) for p in caught.value.problems]
    assert any(re.match(rf"{re.escape(str(file))}:\d+:\d+: {re.escape(path)}: ", m) and reason in m
               for m in messages), messages


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_cli_check_reports_and_exits_1(case, write_content, capsys):
    edit, path, reason = BROKEN[case]
    file = write_content(edit)
    assert main(["content", "check", str(file)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(file))}:\d+:\d+: {re.escape(path)}: ", err) and reason in err


def test_cli_check_passes_a_good_file(capsys):
    assert main(["content", "check"]) == 0
    assert ": ok (9 topics" in capsys.readouterr().out


@pytest.mark.parametrize("text, reason", [
    ("topics: [unclosed\n", ":2:1: not valid YAML: "),
    ("- just\n- a list\n", "is not of type 'object'"),
    ("", "None is not of type 'object'"),
])
def test_unparseable_files_are_refused(tmp_path: Path, text, reason):
    file = tmp_path / "broken.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(file)
    assert str(file) in str(caught.value) and reason in str(caught.value)


def test_missing_file_is_refused(tmp_path: Path):
    with pytest.raises(ContentError, match="cannot read file"):
        load_content(tmp_path / "nowhere.yaml")


def test_every_subcommand_has_help(capsys):
    for argv in (["--help"], ["content", "--help"], ["content", "check", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
    assert "FILE" in capsys.readouterr().out


def test_the_content_schema_has_no_key_twice():
    """JSON keeps the last of two equal keys, so a list written twice in the schema hides the first."""
    import json
    from collections import Counter

    from shared.core.content import SCHEMA_PATH

    def no_twice(pairs):
        twice = [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]
        assert not twice, twice
        return dict(pairs)
    json.loads(SCHEMA_PATH.read_text(encoding="utf-8"), object_pairs_hook=no_twice)
