"""Locales beyond en-US: a translated content file holds words only, and takes its facts from en-US.

A file that says `facts_from: en-US` gets from that file, before it is validated: the clinic's
phone numbers, `facts`, every condition's `verdict` and every activity's `wait_days`. A number or
verdict is so written once, and a translation cannot drift from it. What a translation could still
get wrong is checked here, so `clinic-voice content check` and every load refuse it:

- a topic, condition, activity or aftercare step missing (or one en-US doesn't have);
- a fact, verdict or window given again with another value;
- an answer or step that uses other fact placeholders than its en-US twin ("{sessions_min} to
  {sessions_max}" must be there in Spanish too), or writes a digit by hand instead.
"""
from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, Iterator, Mapping

from shared.core.content import Problem, json_path

SUPPORTED = ("en-US", "es-US")  # the locales both channels speak; others fall back to en-US
SOURCE_KEY = "facts_from"
_DIGIT = re.compile(r"\d")


def supported(locale: str | None) -> str:
    """`locale` if we speak it, else the default (a forged or unknown value never raises)."""
    return locale if locale in SUPPORTED else SUPPORTED[0]


def with_shared_facts(data: Any, path: Path) -> Any:
    """`data` with the facts, verdicts and windows of the file named by `facts_from` filled in
    (ContentError naming file, path and reason when the two disagree)."""
    if not isinstance(data, dict) or SOURCE_KEY not in data:
        return data
    from shared.core.content import ContentError, read_content_data
    source_path = path.with_name(f"{data[SOURCE_KEY]}.yaml")
    source = read_content_data(source_path)
    merged = {k: v for k, v in data.items() if k != SOURCE_KEY}
    try:
        merged["clinic"] = {**source["clinic"], **data.get("clinic", {})}
        merged["facts"] = {**source["facts"], **data.get("facts", {})}
        for section, field in (("conditions", "verdict"), ("activities", "wait_days")):
            merged[section] = {key: ({field: source[section][key][field]} if field in source[section].get(key, {})
                                     else {}) | (item or {})
                               for key, item in (data.get(section) or {}).items()}
    except (TypeError, KeyError, AttributeError):
        return merged  # a broken file: the schema check names what is wrong
    problems = list(parity_problems(source, merged, str(path)))
    if problems:
        raise ContentError(problems)
    return merged


def _placeholders(text: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}
    except ValueError:
        return set()  # the content check names broken braces


def parity_problems(source: Mapping[str, Any], data: Mapping[str, Any], file: str) -> Iterator[Problem]:
    """Everything in which `data` (a translation, facts merged in) differs from `source` but words."""
    for name in ("facts",):
        for key, value in source[name].items():
            if data[name].get(key) != value:
                yield Problem(file, f"$.{name}.{key}", f"{data[name].get(key)!r} differs from {value!r} in en-US")
    for section, field in (("topics", None), ("conditions", "verdict"), ("activities", "wait_days")):
        theirs, ours = source[section], data.get(section) or {}
        for key in sorted(set(theirs) - set(ours)):
            yield Problem(file, f"$.{section}", f"{key!r} is missing (en-US has it)")
        for key in sorted(set(ours) - set(theirs)):
            yield Problem(file, f"$.{section}.{key}", "en-US has no such key")
        for key in sorted(set(theirs) & set(ours)):
            if field and theirs[key].get(field) != (ours[key] or {}).get(field):
                yield Problem(file, json_path((section, key, field)),
                              f"{(ours[key] or {}).get(field)!r} differs from {theirs[key].get(field)!r} in en-US")
    yield from _text_problems(source, data, file)


def _text_problems(source: Mapping[str, Any], data: Mapping[str, Any], file: str) -> Iterator[Problem]:
    """Same fact placeholders as the en-US twin, and no digit written by hand."""
    pairs: list[tuple[tuple, Any, Any]] = []
    for key, topic in (data.get("topics") or {}).items():
        twin = source["topics"].get(key) or {}
        pairs.append((("topics", key, "answer"), twin.get("answer"), topic.get("answer")))
        steps, twin_steps = topic.get("steps") or [], twin.get("steps") or []
        if len(steps) != len(twin_steps):
            yield Problem(file, json_path(("topics", key, "steps")),
                          f"{len(steps)} steps; en-US has {len(twin_steps)}")
        pairs += [(("topics", key, "steps", i), a, b) for i, (a, b) in enumerate(zip(twin_steps, steps))]
    for key in ("answer", "emergency_answer"):
        pairs.append((("safety", key), source["safety"].get(key), (data.get("safety") or {}).get(key)))
    for section, field in (("conditions", "note"), ("activities", "advice")):
        for key, item in (data.get(section) or {}).items():
            pairs.append(((section, key, field), (source[section].get(key) or {}).get(field), (item or {}).get(field)))
    for where, theirs, ours in pairs:
        if not isinstance(ours, str):
            if isinstance(theirs, str):
                yield Problem(file, json_path(where), "missing (en-US has it)")
            continue
        if _DIGIT.search(ours):
            yield Problem(file, json_path(where), "a digit written by hand: use the en-US placeholders for facts")
        if isinstance(theirs, str) and _placeholders(theirs) != _placeholders(ours):
            yield Problem(file, json_path(where), f"uses {sorted(_placeholders(ours))}; en-US uses "
                                                  f"{sorted(_placeholders(theirs))}")
