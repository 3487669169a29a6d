"""YAML files parsed once are read again from a JSON copy, only while their text is unchanged."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from shared.core.content import ContentError, parsed_copy, read_data


def test_a_parsed_file_is_read_again_from_its_copy_while_its_text_is_the_same(tmp_path):
    path = tmp_path / "en-US.yaml"
    path.write_text("topics:\n  pain: {answer: It is a light prickling.}\n", encoding="utf-8")
    assert read_data(path) == {"topics": {"pain": {"answer": "It is a light prickling."}}}
    kept = json.loads(parsed_copy(path).read_text(encoding="utf-8"))
    parsed_copy(path).write_text(json.dumps({**kept, "data": {"from": "the copy"}}), encoding="utf-8")
    assert read_data(path) == {"from": "the copy"}
    path.write_text("topics: {}\n", encoding="utf-8")  # an edit is parsed anew, and kept in place of the old
    assert read_data(path) == {"topics": {}}
    assert json.loads(parsed_copy(path).read_text(encoding="utf-8"))["key"] == "topics: {}\n"


def test_a_copy_is_as_readable_as_the_file_it_was_parsed_from(tmp_path):
    path = tmp_path / "en-US.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0o644)  # a Lambda function runs as another user than the one who built the package
    read_data(path)
    assert parsed_copy(path).stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("text, parsed", [("day: 2026-11-25\n", {"day": date(2026, 11, 25)}),
                                          ("menu: {1: PainIntent}\n", {"menu": {1: "PainIntent"}})])
def test_what_json_would_change_is_not_kept(tmp_path, text, parsed):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_data(path) == parsed
    assert not parsed_copy(path).exists()
    assert read_data(path) == parsed


def test_a_broken_file_is_refused_by_the_yaml_parser_with_its_line_and_nothing_is_kept(tmp_path):
    path = tmp_path / "en-US.yaml"
    path.write_text("topics:\n  pain: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        read_data(path)
    assert refused.value.problems[0].line and "not valid YAML" in str(refused.value)
    assert not parsed_copy(path).exists()


def test_a_folder_that_cannot_be_written_only_means_no_copy(tmp_path):
    path = tmp_path / "en-US.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    parsed_copy(path).parent.write_text("a file where the folder would be", encoding="utf-8")
    assert read_data(path) == {"a": 1}


# ---------------------------------------------------------------- the matcher's sample tokens

def _model_with(model, intent: str, extra_sample: str):
    """`model` with one more sample utterance for `intent`."""
    grown = model.intents[intent]._replace(samples=(*model.intents[intent].samples, extra_sample))
    return model._replace(intents={**model.intents, intent: grown})


def test_the_matchers_sample_tokens_are_kept_and_read_again_while_nothing_that_decides_them_changed(
        tmp_path, monkeypatch):
    from shared.store import current
    from shared.understanding import matcher as matcher_module
    monkeypatch.setattr(matcher_module, "TOKENS_FOLDER", tmp_path)
    bundle = current()
    first = matcher_module.Matcher(bundle.content, bundle.model)
    path = tmp_path / "en-US.json"
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["data"] == [first.tokens(first._placeholders(sample)) for _, sample in first.examples]
    # the same key: what was kept is what a new matcher uses
    kept["data"][0] = ["keptword"]
    path.write_text(json.dumps(kept), encoding="utf-8")
    assert "keptword" in matcher_module.Matcher(bundle.content, bundle.model).idf
    # a new sample (or new word lists, conditions or code) is a new key: tokenised anew, and kept in place of the old
    grown = _model_with(bundle.model, "PainIntent", "does the needle pen smart")
    again = matcher_module.Matcher(bundle.content, grown)
    assert "keptword" not in again.idf and again.match("does the needle pen smart").intent == "PainIntent"
    assert json.loads(path.read_text(encoding="utf-8"))["key"] != kept["key"]


def test_kept_tokens_match_exactly_as_tokens_made_anew(tmp_path, monkeypatch):
    from shared.store import current
    from shared.understanding import matcher as matcher_module
    from shared.understanding.evaluation import evaluate, read_cases
    bundle = current()
    monkeypatch.setattr(matcher_module, "TOKENS_FOLDER", tmp_path)
    made = matcher_module.Matcher(bundle.content, bundle.model)
    kept = matcher_module.Matcher(bundle.content, bundle.model)  # reads what `made` kept
    cases = read_cases(Path(__file__).parent / "data" / "questions-dev.jsonl")
    assert [(o.picked, o.match.score) for o in evaluate(made, cases)] == \
        [(o.picked, o.match.score) for o in evaluate(kept, cases)]
