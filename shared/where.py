"""Where a problem sits in a staff-edited file, and what to do about it.

A problem found in parsed data names a JSON path (`$.topics.pain.answer`); staff need the line and
column in the YAML or JSON file they edit, and a plain hint. `located` adds both; ContentError calls
it, so every command and the server report problems the same way. Used only when something is wrong.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from shared.core.content import Problem

_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")

# (words in the reason, what to do): the first that matches gives the hint.
HINTS: tuple[tuple[str, str], ...] = (
    ("'\\t'", "use spaces, not tabs, to indent"),   # PyYAML's words; libyaml's are the next
    ("tab character", "use spaces, not tabs, to indent"),
    ("mapping values are not allowed", "put text that contains ': ' in quotes, or check the indentation"),
    ("could not find expected ':'", "write each entry as `name: value`; check this line and the one above"),
    ("expected <block end>", "line entries of the same level up with the same number of spaces"),
    ("did not find expected key", "line entries of the same level up with the same number of spaces"),
    ("did not find expected node content", "a value is missing here, or a [ or { is not closed"),
    ("found unexpected end of stream", "close the quote that was opened"),
    ("Expecting ',' delimiter", "a comma is missing between two entries (at the end of the line above?)"),
    ("Expecting property name", "remove the comma after the last entry, and put names in double quotes"),
    ("Expecting value", "a value is missing here, or there is one comma too many"),
    ("Unterminated string", "close the string with a double quote"),
    ("Invalid control character", "a string can't hold a real line break or tab: write \\n or \\t"),
    ("Extra data", "something follows the end of the file's outer { }: remove it"),
    ("is a required property", "add it"),
    ("was unexpected", "check the spelling, or remove it"),
    ("is not one of", "use one of the values listed"),
    ("is not of type 'integer'", "write a whole number, without quotes"),
    ("is not of type 'string'", "write text (in quotes if it starts with a digit or a special character)"),
    ("should be non-empty", "add at least one entry"),
    ("unknown placeholder", "use one of the known placeholders, or add the number under facts:"),
)


def hint(reason: str) -> str | None:
    if "Intent$'" in reason:  # a misspelt intent name in the content
        from shared.core.intents import CUSTOM_INTENTS
        return f"use one of {', '.join(CUSTOM_INTENTS)}"
    return next((what for words, what in HINTS if words in reason), None)


def did_you_mean(name: str, valid: Iterable[str]) -> str:
    """'; did you mean X?' and the valid names, for a misspelt name."""
    import difflib
    valid = sorted(valid)
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    return (f"; did you mean {close[0]}?" if close else "") + f" (valid: {', '.join(valid)})"


def steps(path: str) -> list[str | int]:
    """`$.topics.aftercare.steps[2]` -> ['topics', 'aftercare', 'steps', 2]."""
    return [name if name else int(index) for name, index in _STEP.findall(path)]


@lru_cache(maxsize=4)
def _tree(text: str) -> Any:
    import yaml
    try:  # a tab is one column, as a space: replacing them keeps every position and lets JSON with tabs parse
        return yaml.compose(text.replace("\t", " "), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def position(text: str, path: str) -> tuple[int, int] | None:
    """1-based (line, column) of the node at `path` in YAML or JSON `text` (JSON is YAML), or of the
    deepest part of the path that exists; None if the text doesn't parse."""
    import yaml
    node = _tree(text)
    if node is None:
        return None
    mark = node.start_mark
    for step in steps(path):
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if found is None:
                break
            mark, node = found[0].start_mark, found[1]  # point at the key: "answer:" is where to look
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


def located(problems: Sequence["Problem"]) -> list["Problem"]:
    """The problems with line, column and hint filled in where they can be (each file read once)."""
    texts: dict[str, Any] = {}
    out = []
    for problem in problems:
        changes: dict[str, Any] = {}
        if problem.line is None:
            if problem.file not in texts:
                try:
                    texts[problem.file] = Path(problem.file).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    texts[problem.file] = None
            where = position(texts[problem.file], problem.path) if texts[problem.file] is not None else None
            if where:
                changes.update(line=where[0], column=where[1])
        if problem.hint is None and (what := hint(problem.reason)):
            changes["hint"] = what
        out.append(problem._replace(**changes) if changes else problem)
    return out
