"""Load, validate and render a clinic content file (one per locale).

A content file is YAML that staff edit. It is refused, with every problem named by file, JSON
path and reason, when it breaks the JSON Schema shipped in `shared/schema/` or one of the rules
that a schema cannot express (placeholders, min <= max, intent names, ambiguous synonyms).
"""
from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from shared.core.intents import CUSTOM_INTENTS, TOPIC_INTENTS
from shared.core.text import PhraseIndex, stemmer_for
from shared.kept import keep, read_kept
from shared.where import did_you_mean

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # shared/: its content/ and schema/ folders
CONTENT_DIR = PACKAGE_DIR / "content"
SCHEMA_PATH = PACKAGE_DIR / "schema" / "content.schema.json"
DEFAULT_LOCALE = "en-US"
MAX_SPOKEN_WORDS = 50  # a caller hears an answer once: about 20 seconds

# Placeholders filled in when the answer is given (not when the file is loaded): which phrase gets which.
_TIMING = frozenset({"activity", "wait", "days", "max_days"})
RUNTIME_PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("phrases", "confirm"): frozenset({"topic"}),
    ("phrases", "verdict_suitable"): frozenset({"condition"}),
    ("phrases", "verdict_not_recommended"): frozenset({"condition"}),
    ("phrases", "verdict_not_covered"): frozenset({"condition"}),
    ("phrases", "aftercare_step"): frozenset({"number", "total", "step"}),
    **{("phrases", f"timing_{kind}"): _TIMING for kind in ("ok", "wait", "cautious", "general", "not_covered")},
    ("phone", "sms_body"): frozenset({"steps"}),
    **{(section, f"reminder_{kind}"): frozenset({"activity", "wait", "day", "date"})
       for section, kind in (("phrases", "no_wait"), ("phrases", "passed"), ("phrases", "text"),
                             ("phrases", "set"), ("phone", "offer"), ("phone", "texted"))},
    ("phone", "call_us"): frozenset({"phone", "hours"}),
}


# The records a cold start builds (here, in the matcher, dialogue, settings...) are NamedTuples, not frozen
# dataclasses: defining one of those costs ~1.4 ms, and importing `dataclasses` ~13 ms more (bench/run.py).
class Problem(NamedTuple):
    """One thing wrong with a staff-edited file: where (JSON path, and line and column once located,
    see shared/where.py), why, and what to do about it."""

    file: str
    path: str
    reason: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        path = "" if self.path == "$" and self.line else f" {self.path}:"
        return f"{where}:{path} {self.reason}" + (f" (to fix: {self.hint})" if self.hint else "")


class ContentError(ValueError):
    """A content (or model) file that must not be loaded; `problems` says why, where and what to do."""

    def __init__(self, problems: list[Problem]):
        from shared.where import located  # only when something is wrong
        self.problems = located(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Topic(NamedTuple):
    key: str
    intent: str
    title: str
    answer: str
    offer: str


class Condition(NamedTuple):
    key: str
    name: str
    verdict: str  # suitable | not_recommended | not_covered
    synonyms: tuple[str, ...]
    note: str | None = None


class Activity(NamedTuple):
    key: str
    name: str
    synonyms: tuple[str, ...]
    wait_min: int | None = None
    wait_max: int | None = None
    advice: str | None = None


class Content(NamedTuple):
    """A validated content file with its placeholders filled in."""

    source: str
    locale: str
    clinic_name: str
    clinic_phone: str
    clinic_phone_spoken: str
    clinic_hours: str
    topics: dict[str, Topic]  # by intent name
    aftercare_steps: tuple[str, ...]
    conditions: dict[str, Condition]
    activities: dict[str, Activity]
    safety_title: str
    safety_answer: str
    emergency_answer: str
    safety_signs: dict[str, tuple[str, ...]]  # see shared/core/safety.py
    phrases: dict[str, Any]
    phone: dict[str, Any]
    facts: dict[str, int]

    @property
    def condition_index(self) -> PhraseIndex:
        """Finds conditions by name or synonym (built on first use: a Spanish index needs the Spanish
        stemmer, ~80 ms to load, which a call's greeting never does)."""
        return _index(_names(self.conditions.values()), self.locale)

    @property
    def activity_index(self) -> PhraseIndex:
        return _index(_names(self.activities.values()), self.locale)

    def say(self, name: str, **values: object) -> str:
        """A phrase by name, with its runtime placeholders filled in."""
        return self.phrases[name].format(**values) if values else self.phrases[name]

    def phone_says(self, name: str, **values: object) -> str:
        return self.phone[name].format(**values) if values else self.phone[name]


# ---------------------------------------------------------------- validation

@lru_cache(maxsize=1)
def _validator():
    import jsonschema  # ~90 ms to import: only where the schema is checked (see content_problems)
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def json_path(parts: Iterable[object]) -> str:
    """`$.topics.pain.answer` / `$.topics.aftercare.steps[2]` from a list of keys and indexes."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_problems(data: object, file: str) -> list[Problem]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [Problem(file, json_path(e.absolute_path), e.message) for e in errors]


def _strings(node: object, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*path, i))


def base_placeholders(data: Mapping[str, Any]) -> dict[str, object]:
    """Values every answer may use: clinic details, facts, activity windows."""
    clinic = data["clinic"]
    values: dict[str, object] = {
        "clinic_name": clinic["name"], "clinic_phone": clinic["phone"],
        "clinic_phone_spoken": clinic["phone_spoken"], **data["facts"],
    }
    for key, activity in data["activities"].items():
        if "wait_days" in activity:
            values[f"{key}_min_days"] = activity["wait_days"]["min"]
            values[f"{key}_max_days"] = activity["wait_days"]["max"]
    return values


def _placeholder_problems(data: Mapping[str, Any], file: str) -> Iterator[Problem]:
    base = set(base_placeholders(data))
    for path, text in _strings({k: data[k] for k in ("topics", "phrases", "phone", "safety", "conditions", "activities")}):
        if "{" not in text and "}" not in text:
            continue  # most strings: no placeholder, no brace to break
        known = base | RUNTIME_PLACEHOLDERS.get(tuple(path[:2]), frozenset())
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
        except ValueError as exc:
            yield Problem(file, json_path(path), f"broken placeholder braces: {exc}")
            continue
        for name in names:
            if name not in known:
                yield Problem(file, json_path(path), f"unknown placeholder {{{name}}}; known: {', '.join(sorted(known))}")


def _range_problems(data: Mapping[str, Any], file: str) -> Iterator[Problem]:
    facts = data["facts"]
    for key, low in facts.items():
        high_key = key.replace("_min", "_max", 1)
        if "_min" in key and high_key in facts and low > facts[high_key]:
            yield Problem(file, f"$.facts.{key}", f"{low} is more than {high_key} ({facts[high_key]})")
    for key, activity in data["activities"].items():
        wait = activity.get("wait_days")
        if wait and wait["min"] > wait["max"]:
            yield Problem(file, f"$.activities.{key}.wait_days", "min is more than max")


def _intent_problems(data: Mapping[str, Any], file: str) -> Iterator[Problem]:
    for key, topic in data["topics"].items():
        if topic["offer"] not in TOPIC_INTENTS.values():
            yield Problem(file, f"$.topics.{key}.offer",
                          f"{topic['offer']!r} is not a topic intent{did_you_mean(topic['offer'], TOPIC_INTENTS.values())}")
        elif topic["offer"] not in data["phrases"]["offers"]:
            yield Problem(file, f"$.topics.{key}.offer", f"no phrases.offers.{topic['offer']} to ask it with")
    for digit, intent in data["phone"]["menu"].items():
        if intent not in CUSTOM_INTENTS:
            yield Problem(file, f"$.phone.menu.{digit}", f"{intent!r} is not an intent{did_you_mean(intent, CUSTOM_INTENTS)}")
    for section in ("topic_names", "offers"):
        for intent in data["phrases"][section]:
            if intent not in CUSTOM_INTENTS:
                yield Problem(file, f"$.phrases.{section}.{intent}",
                              f"{intent!r} is not an intent of this skill{did_you_mean(intent, CUSTOM_INTENTS)}")
    for intent in TOPIC_INTENTS.values():
        if intent not in data["phrases"]["topic_names"]:
            yield Problem(file, "$.phrases.topic_names", f"missing {intent}")


def _synonym_problems(data: Mapping[str, Any], file: str) -> Iterator[Problem]:
    for section in ("conditions", "activities"):
        seen: dict[str, str] = {}
        for key, item in data[section].items():
            for phrase in (key.replace("_", " "), item["name"].lower(), *item["synonyms"]):
                other = seen.setdefault(PhraseIndex.normalise(phrase), key)
                if other != key:
                    yield Problem(file, f"$.{section}.{key}.synonyms", f"{phrase!r} also names {other}")


RULE_CHECKS = (_placeholder_problems, _range_problems, _intent_problems, _synonym_problems)


def content_problems(data: object, file: str, schema: bool = True) -> list[Problem]:
    """Every problem in parsed content data; empty when it may be loaded. `schema=False` runs the
    rules only, and raises KeyError, TypeError... on data the schema would refuse (see build_content)."""
    problems = schema_problems(data, file) if schema else []
    if problems:
        return problems
    if not isinstance(data, Mapping):
        raise TypeError("content is not a mapping")
    return [problem for check in RULE_CHECKS for problem in check(data, file)]


def length_warnings(content: "Content") -> list[Problem]:
    """Answers longer than a caller can take in at once (they load, but staff should shorten them)."""
    spoken = [(f"$.topics.{t.key}.answer", t.answer) for t in content.topics.values()]
    spoken += [(f"$.topics.aftercare.steps[{i}]", step) for i, step in enumerate(content.aftercare_steps)]
    spoken += [("$.safety.answer", content.safety_answer)]
    spoken += [(f"$.activities.{a.key}.advice", a.advice) for a in content.activities.values() if a.advice]
    spoken += [(f"$.conditions.{c.key}.note", c.note) for c in content.conditions.values() if c.note]
    return [Problem(content.source, path, f"{len(text.split())} words, longer than the phone's limit of "
                    f"{MAX_SPOKEN_WORDS}: a caller hears it once") for path, text in spoken
            if len(text.split()) > MAX_SPOKEN_WORDS]


# ---------------------------------------------------------------- loading

def read_data(path: Path) -> object:
    """Parse a YAML (or JSON) file, turning syntax errors into a Problem. What a file parsed to is kept
    as JSON (`parsed_copy`), so a new process reads it again without the YAML parser."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(file, "$", f"cannot read file: {exc}")]) from None
    data = read_kept(parsed_copy(path), text)
    if data is None:
        data = parse_yaml(text, file)
        keep(parsed_copy(path), text, data, path.stat().st_mode)
    return data


def parse_yaml(text: str, file: str) -> object:
    import yaml  # ~25 ms to import: lazily, so a process that never parses a YAML file doesn't pay it
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~6x faster
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = Problem(file, "$", f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                          mark.line + 1 if mark else None, mark.column + 1 if mark else None)
        raise ContentError([problem]) from None


# ---------------------------------------------------------------- parsed files kept as JSON
# `shared/content/__yamlcache__/en-US.yaml.json` keeps what en-US.yaml parsed to, with the file's text
# as its key (`shared/kept.py`): an edit is parsed (and checked) anew; a file that does not parse is never kept.

PARSED_FOLDER = "__yamlcache__"


def parsed_copy(path: Path) -> Path:
    return path.parent / PARSED_FOLDER / f"{path.name}.json"


class _KeepRuntime(dict):
    """format_map helper: leaves runtime placeholders such as {days} for later."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # only runtime placeholders get here: the checks refuse any other


_COUNTED = re.compile(r"\b(\d+) (day|hour|minute|session|week|month)s?\b")


def agree(text: str) -> str:
    """Nouns after a number agree with it ("1 day", "2 days"), so changing a number in `facts` or
    `activities` never leaves "Avoid makeup for 2 day"."""
    return _COUNTED.sub(lambda m: f"{m[1]} {m[2]}" + ("" if m[1] == "1" else "s"), text)


def _render(node: Any, values: Mapping[str, object]) -> Any:
    """Every string of `node` with its placeholders filled in, spaces tidied and counted nouns agreeing."""
    keep = _KeepRuntime(values)  # once, not per string: the sign lists alone hold thousands of strings

    def render(node: Any) -> Any:
        if isinstance(node, str):
            return agree(" ".join((node.format_map(keep) if "{" in node else node).split()))
        if isinstance(node, Mapping):
            return {k: render(v) for k, v in node.items()}
        if isinstance(node, list):
            return [render(v) for v in node]
        return node
    return render(node)


def _names(items: Iterable[Condition | Activity]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(key, name, synonyms) of each item: what its index is built from, and the cache's key."""
    return tuple((item.key, item.name, item.synonyms) for item in items)


@lru_cache(maxsize=16)
def _index(names: tuple[tuple[str, str, tuple[str, ...]], ...], locale: str = DEFAULT_LOCALE) -> PhraseIndex:
    """Every way to name an item: its key in words, its name and its synonyms (once per version of them)."""
    return PhraseIndex.build(((phrase, key) for key, name, synonyms in names
                              for phrase in (key.replace("_", " "), name, *synonyms)), stemmer_for(locale))


def build_content(data: Mapping[str, Any], file: str, schema: bool = True) -> Content:
    """Turn data into a Content object; raises ContentError when invalid.

    `schema=False` skips the JSON Schema (importing jsonschema costs ~90 ms of a cold start): the
    rules and the build run on their own, and data too malformed for them is checked against the
    schema after all, so a bad file is refused with the same problems either way.
    """
    try:
        problems = content_problems(data, file, schema)
        if not problems:
            return _built(data, file)
    except (KeyError, TypeError, AttributeError, IndexError):
        if schema:
            raise
        return build_content(data, file, schema=True)
    raise ContentError(problems)


def _built(data: Mapping[str, Any], file: str) -> Content:
    d = _render(data, base_placeholders(data))
    conditions = {k: Condition(k, c["name"], c["verdict"], tuple(c["synonyms"]), c.get("note"))
                  for k, c in d["conditions"].items()}
    activities = {k: Activity(k, a["name"], tuple(a["synonyms"]), a.get("wait_days", {}).get("min"),
                              a.get("wait_days", {}).get("max"), a.get("advice"))
                  for k, a in d["activities"].items()}
    return Content(
        source=file, locale=d["locale"], clinic_name=d["clinic"]["name"], clinic_phone=d["clinic"]["phone"],
        clinic_phone_spoken=d["clinic"]["phone_spoken"], clinic_hours=d["clinic"]["hours"],
        topics={TOPIC_INTENTS[k]: Topic(k, TOPIC_INTENTS[k], t["title"], t["answer"], t["offer"])
                for k, t in d["topics"].items()},
        aftercare_steps=tuple(d["topics"]["aftercare"]["steps"]),
        conditions=conditions, activities=activities,
        safety_title=d["safety"]["title"], safety_answer=d["safety"]["answer"],
        emergency_answer=d["safety"]["emergency_answer"],
        safety_signs={kind: tuple(phrases) for kind, phrases in d["safety"]["signs"].items()},
        phrases=d["phrases"], phone=d["phone"], facts=dict(d["facts"]),
    )


def load_content(path: Path | str, clinic_name: str | None = None, schema: bool = True) -> Content:
    """Load and check a content file; `clinic_name` (CLINIC_NAME) overrides the file's clinic name;
    `schema=False`: rules only (a process's first load; see content_problems)."""
    path = Path(path)
    data = read_content_data(path)
    from shared.core.locales import with_shared_facts  # a translation takes facts from en-US (shared/core/locales.py)
    data = with_shared_facts(data, path)
    if clinic_name and isinstance(data, dict) and isinstance(data.get("clinic"), dict):
        data = {**data, "clinic": {**data["clinic"], "name": clinic_name}}
    return build_content(data, str(path), schema)  # type: ignore[arg-type]


def read_content_data(path: Path) -> object:
    """A content file as parsed, once per version of the file: a translation's load reads en-US's
    facts, and the phone's greeting loads both, so en-US is not parsed twice (~10 ms each). What it
    returns is shared: read it, never change it."""
    try:
        st = path.stat()
    except OSError:
        return read_data(path)  # read_data names the problem
    return _parsed(path, (st.st_mtime_ns, st.st_size, st.st_ino))


@lru_cache(maxsize=8)
def _parsed(path: Path, version: tuple[int, int, int]) -> object:
    return read_data(path)


def content_path(locale: str = DEFAULT_LOCALE) -> Path:
    return CONTENT_DIR / f"{locale}.yaml"


@lru_cache(maxsize=8)
def shipped_content(locale: str = DEFAULT_LOCALE) -> Content:
    """The content shipped in the package, loaded once per process."""
    return load_content(content_path(locale))
