"""Editing the content file as text, so what staff wrote by hand stays as it was: comments, layout,
quoting. Only the characters of the values that change are rewritten (their positions come from
`yaml.compose`), and the result is read back to make sure it says what was meant."""
from __future__ import annotations

import json
import re
import string
import textwrap
from typing import Any

import yaml

FOLD_WIDTH = 100
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same nodes and marks, ~20x faster


def load(text: str) -> Any:
    return yaml.load(text, Loader=LOADER)


class Unsafe(ValueError):
    """A value that would not read back as written; `field` is the form field it came from."""

    def __init__(self, field: str):
        self.field = field
        super().__init__("this text cannot be written safely")


def number_paths(data: dict) -> dict[str, tuple]:
    """Each number placeholder and where its value sits: `facts:` entries and activities' waiting days."""
    paths: dict[str, tuple] = {name: ("facts", name) for name in data.get("facts", {})}
    for key, activity in (data.get("activities") or {}).items():
        for end in ("min", "max"):
            if end in (activity or {}).get("wait_days", {}):
                paths[f"{key}_{end}_days"] = ("activities", key, "wait_days", end)
    return paths


def get_path(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def placeholders(text: str) -> list[str]:
    try:
        return list(dict.fromkeys(f for _, f, _, _ in string.Formatter().parse(text) if f))
    except ValueError:
        return []


def _node(root: yaml.Node, path: tuple) -> yaml.Node:
    for step in path:
        if isinstance(root, yaml.SequenceNode):
            root = root.value[step]
        else:
            root = next(value for key, value in root.value if key.value == step)
    return root


def _replace(text: str, node: yaml.Node, new: str) -> str:
    return text[:node.start_mark.index] + new + text[node.end_mark.index:]


def _folded(ends_line: bool, words: str, key_column: int) -> str:
    """`words` as a folded block (`>-`) indented under its key, wrapped for reading; `ends_line`: the
    value it replaces took its line break with it (a block does, a quoted one-liner doesn't)."""
    indent = " " * (key_column + 2)
    lines = textwrap.wrap(words, FOLD_WIDTH - len(indent), break_long_words=False, break_on_hyphens=False)
    block = ">-\n" + "".join(f"{indent}{line}\n" for line in lines)
    return block if ends_line else block.rstrip("\n")


def _plain(words: str) -> str:
    """A one-line scalar as it was written (plain), or double-quoted where plain would read otherwise."""
    try:
        if load(f"- {words}") == [words]:
            return words
    except yaml.YAMLError:
        pass
    return json.dumps(words, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def edited_content(text: str, key: str, answer: str, numbers: dict[str, int], steps: list[str] | None = None) -> str:
    """The content file's text with one topic's answer (and steps) and some numbers changed, everything
    else (comments, layout) as it was: only the changed values' own characters are rewritten."""
    data = load(text)
    topic, paths = data["topics"][key], number_paths(data)
    edits: list[tuple[tuple, object]] = [(paths[name], int(value)) for name, value in numbers.items()
                                         if get_path(data, paths[name]) != int(value)]
    if " ".join(answer.split()) != " ".join(topic["answer"].split()):
        edits.append((("topics", key, "answer"), " ".join(answer.split())))
    edits += [(("topics", key, "steps", i), " ".join(step.split())) for i, step in enumerate(steps or [])
              if i < len(topic.get("steps", [])) and " ".join(step.split()) != topic["steps"][i]]
    root = yaml.compose(text, Loader=LOADER)
    nodes = sorted(((_node(root, path), path, value) for path, value in edits),
                   key=lambda item: item[0].start_mark.index, reverse=True)  # from the end: offsets stay right
    for node, path, value in nodes:
        if isinstance(value, int):
            text = _replace(text, node, str(value))
        elif path[-1] == "answer":
            key_node = next(k for k, v in _node(root, path[:-1]).value if v is node)
            text = _replace(text, node, _folded(text[node.end_mark.index - 1] == "\n", value, key_node.start_mark.column))
        else:
            text = _replace(text, node, _plain(value))
    written = load(text)["topics"][key]
    for path, value in edits:  # never write what would read back otherwise
        if path[:2] == ("topics", key) and get_path(written, path[2:]) != value:
            raise Unsafe(field_of("$." + ".".join(map(str, path)), key, {}))
    return text


def field_of(problem_path: str, key: str, paths: dict[str, tuple]) -> str:
    """The form field a problem is about ('' for none): answer, step:N or n:PLACEHOLDER."""
    if problem_path.startswith(f"$.topics.{key}.answer"):
        return "answer"
    if step := re.match(rf"\$\.topics\.{key}\.steps(?:\[|\.)(\d+)", problem_path):
        return f"step:{step.group(1)}"
    for name, path in paths.items():
        if problem_path.startswith("$." + ".".join(path)):
            return f"n:{name}"
    return ""
