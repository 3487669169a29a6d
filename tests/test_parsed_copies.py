"""YAML files parsed once are read again from a JSON copy, only while their text is unchanged."""
from __future__ import annotations

import json
from datetime import date

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
    assert json.loads(parsed_copy(path).read_text(encoding="utf-8"))["text"] == "topics: {}\n"


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
