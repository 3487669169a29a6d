"""Checking an interaction model against Alexa's rules, its JSON Schema, and our code and content.

Errors are what the Alexa console would reject or what would break a channel: the model is not
loaded. Warnings (thin intents, utterances the phone matcher sends elsewhere) don't block.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from shared.core.content import PACKAGE_DIR, Content, ContentError, Problem, json_path
from shared.core.intents import BUILTIN_INTENTS, CUSTOM_INTENTS, TOPIC_INTENTS
from shared.where import did_you_mean
from shared.models.reading import SLOT_TYPE_SOURCES, InteractionModel, parse_model, read_model_json, slot_values

SCHEMA_PATH = PACKAGE_DIR / "schema" / "interaction-model.schema.json"
LAUNCH_WORDS = {"launch", "ask", "tell", "load", "begin", "enable", "open", "start", "play", "resume", "run", "use"}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app"}
LETTER = "a-zß-öø-ÿ"  # lowercase Latin letters with accents: Spanish (es-US) samples and invocation
INVOCATION = re.compile(rf"^[{LETTER}][{LETTER} .']*[{LETTER}.]$")
UTTERANCE = re.compile(rf"^[A-ZÀ-ÖØ-Þ{LETTER} .'{{}}_]+$")
SLOT_REF = re.compile(r"{([^{}]*)}")
MIN_SAMPLES = 15


class Finding(NamedTuple):
    problem: Problem
    error: bool

    def __str__(self) -> str:
        return f"{'error' if self.error else 'warning'}: {self.problem}"


@lru_cache(maxsize=1)
def _validator():
    import jsonschema  # ~90 ms to import: only where the schema is checked (see check_model_data)
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _lm(path: str) -> str:
    return f"$.interactionModel.languageModel{path}"


def _invocation_problems(name: str) -> Iterator[str]:
    if not INVOCATION.match(name):
        yield "must be lowercase letters and spaces (periods and apostrophes allowed)"
    words = name.split()
    if len(words) < 2:
        yield "must have at least two words"
    if bad := sorted((LAUNCH_WORDS | WAKE_WORDS) & set(words)):
        yield f"must not contain launch phrases or wake words: {', '.join(bad)}"


def alexa_rule_findings(data: dict[str, Any], file: str) -> Iterator[Finding]:
    lm = data["interactionModel"]["languageModel"]
    for reason in _invocation_problems(lm["invocationName"]):
        yield Finding(Problem(file, _lm(".invocationName"), reason), True)
    types = {t["name"] for t in lm.get("types", [])}
    seen: dict[str, str] = {}
    names = [i["name"] for i in lm["intents"]]
    for i, intent in enumerate(lm["intents"]):
        declared = {s["name"] for s in intent.get("slots", [])}
        own: set[str] = set()
        for j, slot in enumerate(intent.get("slots", [])):
            if not slot["type"].startswith("AMAZON.") and slot["type"] not in types:
                yield Finding(Problem(file, _lm(f".intents[{i}].slots[{j}].type"), f"slot type {slot['type']!r} is not defined in types"), True)
        for k, sample in enumerate(intent.get("samples", [])):
            where = _lm(f".intents[{i}].samples[{k}]")
            if not UTTERANCE.match(sample):
                yield Finding(Problem(file, where, f"{sample!r}: only letters, spaces, apostrophes, periods and {{slots}} are allowed (spell numbers out)"), True)
            for ref in SLOT_REF.findall(sample):
                if ref not in declared:
                    yield Finding(Problem(file, where, f"{sample!r} uses slot {{{ref}}} that {intent['name']} does not declare"), True)
            key = " ".join(sample.lower().split())
            owner = seen.setdefault(key, intent["name"])
            if owner != intent["name"] or key in own:
                where_else = f"a duplicate within {owner}" if owner == intent["name"] else f"also a sample of {owner}"
                yield Finding(Problem(file, where, f"{sample!r} is {where_else}"), True)
            own.add(key)
    for builtin in BUILTIN_INTENTS:
        if builtin not in names:
            yield Finding(Problem(file, _lm(".intents"), f"required built-in intent {builtin} is missing"), True)
    for name in sorted({n for n in names if names.count(n) > 1}):
        yield Finding(Problem(file, _lm(".intents"), f"intent {name} is defined more than once"), True)


def code_findings(data: dict[str, Any], file: str, content: Content) -> Iterator[Finding]:
    from shared.core.dialogue import HANDLERS  # the code side of the contract
    model = parse_model(data, file)
    lm_intents = data["interactionModel"]["languageModel"]["intents"]
    for i, intent in enumerate(lm_intents):
        name = intent["name"]
        if name not in HANDLERS:
            known = [n for n in HANDLERS if n.startswith("AMAZON.") == name.startswith("AMAZON.")]
            yield Finding(Problem(file, _lm(f".intents[{i}].name"), f"{name} has no handler in the code{did_you_mean(name, known)}"), True)
        elif not name.startswith("AMAZON.") and len(intent.get("samples", [])) < MIN_SAMPLES:
            yield Finding(Problem(file, _lm(f".intents[{i}].samples"), f"{name} has only {len(intent.get('samples', []))} sample utterances (fewer than {MIN_SAMPLES})"), False)
    for key, intent_name in TOPIC_INTENTS.items():
        if intent_name not in model.intents:
            yield Finding(Problem(file, _lm(".intents"), f"content topic {key!r} is not reachable: no {intent_name}"), True)
    for intent_name in CUSTOM_INTENTS:
        if intent_name not in model.intents:
            yield Finding(Problem(file, _lm(".intents"), f"{intent_name} is missing"), True)
    yield from _slot_value_findings(data, file, content)


def _slot_value_findings(data: dict[str, Any], file: str, content: Content) -> Iterator[Finding]:
    types = {t["name"]: (i, t) for i, t in enumerate(data["interactionModel"]["languageModel"].get("types", []))}
    for type_name, section in SLOT_TYPE_SOURCES.items():
        if type_name not in types:
            yield Finding(Problem(file, _lm(".types"), f"slot type {type_name} is missing (run: clinic-voice models build)"), True)
            continue
        index, declared = types[type_name]
        have = {(v.get("id"), v["name"]["value"]) for v in declared["values"]}
        phrases = {s.lower() for v in declared["values"] for s in (v["name"]["value"], *v["name"].get("synonyms", []))}
        for value in slot_values(content, type_name):
            where = _lm(f".types[{index}].values")
            if (value["id"], value["name"]["value"]) not in have:
                yield Finding(Problem(file, where, f"{section[:-1] if section != 'activities' else 'activity'} {value['id']!r} from the content is missing (run: clinic-voice models build)"), True)
            elif missing := sorted(set(value["name"]["synonyms"]) - phrases):
                yield Finding(Problem(file, where, f"synonyms of {value['id']!r} missing: {', '.join(missing)} (run: clinic-voice models build)"), True)


def matcher_findings(data: dict[str, Any], file: str, content: Content) -> Iterator[Finding]:
    """Warnings: samples the phone matcher would send to another intent."""
    from shared.understanding.matcher import Matcher
    model = parse_model(data, file)
    matcher = Matcher(content, model)
    fill = {"{condition}": "keloids", "{activity}": "retinol", "{days}": "three"}
    for i, intent in enumerate(data["interactionModel"]["languageModel"]["intents"]):
        for k, sample in enumerate(intent.get("samples", [])):
            said = sample
            for slot, value in fill.items():
                said = said.replace(slot, value)
            got = matcher.match(said).intent
            if got is not None and got != intent["name"]:
                yield Finding(Problem(file, _lm(f".intents[{i}].samples[{k}]"), f"{sample!r}: the phone matcher picks {got}"), False)


def check_model_data(data: Any, file: str, content: Content, with_matcher: bool = False,
                     schema: bool = True) -> list[Finding]:
    """Every finding for parsed model data; schema errors stop the other checks. `schema=False` skips
    the JSON Schema (jsonschema costs ~90 ms of a cold start) unless the data is too malformed for the
    other checks, so a bad model is refused with the same findings either way."""
    if schema:
        errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            return [Finding(Problem(file, json_path(e.absolute_path), e.message), True) for e in errors]
    try:
        findings = [*alexa_rule_findings(data, file), *code_findings(data, file, content)]
    except (KeyError, TypeError, AttributeError, IndexError, ContentError):
        if schema:
            raise
        return check_model_data(data, file, content, with_matcher, schema=True)
    if with_matcher and not any(f.error for f in findings):
        findings.extend(matcher_findings(data, file, content))
    return findings


def load_checked_model(path: Path, content: Content, schema: bool = True) -> InteractionModel:
    """The model at `path` if it has no errors, else ContentError naming file, path and reason."""
    data = read_model_json(path)
    errors = [f.problem for f in check_model_data(data, str(path), content, schema=schema) if f.error]
    if errors:
        raise ContentError(errors)
    return parse_model(data, str(path))
