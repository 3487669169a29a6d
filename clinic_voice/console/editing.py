"""What the console changes, and how: every write is checked first (as `content check`, `models check`
and the accuracy floors would), written atomically, followed by the derived files, recorded in the audit
log, and then picked up by the running server (shared/store.py watches the same files).

Two people saving the same thing: each form carries a `version` (a digest of what the page showed);
a save whose version no longer matches is refused with who changed it last and when.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import update

from clinic_voice.console import audit
from clinic_voice.console.yamledit import Unsafe, edited_content, field_of, get_path, load, number_paths, placeholders
from shared.core.content import DEFAULT_LOCALE, Content, ContentError, load_content
from shared.followup.db import PROJECT_ROOT, Database
from shared.followup.review import Refused, save_model
from shared.followup.tables import review_items
from shared.models.build import SOURCE_LOCALE, build, derived_files, write_atomically
from shared.models.reading import parse_model, read_model_json
from shared.store import Store

EVAL_DIR = PROJECT_ROOT / "tests" / "data"   # the labelled question sets (a repository checkout has them)
_lock = threading.Lock()   # one change at a time in this process: check, write and record together


class Invalid(ValueError):
    """A change refused: `problems` maps a form field ('' for the whole form) to the reasons."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(p for ps in problems.values() for p in ps))


class Conflict(ValueError):
    """Someone else saved the same thing since the page was loaded."""


def version(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass
class Console:
    """The files, store and database the console works on (the same as `clinic-voice serve`'s)."""

    store: Store
    db: Database

    @property
    def content_file(self) -> Path:
        return self.store.paths(DEFAULT_LOCALE)[0]

    @property
    def model_file(self) -> Path:
        return self.store.models_dir / f"{SOURCE_LOCALE}.json"

    def shown(self, text: str) -> str:
        """Paths in `text` as staff know them: relative to the folder holding the content and the models
        (the repository: shared/content/en-US.yaml, interaction_models/en-US.json)."""
        root = os.path.commonpath([self.content_file.parent.parent, self.store.models_dir.parent])
        return str(text).replace(root + os.sep, "")

    def changed(self, target: str) -> Conflict:
        last = audit.last_change(self.db, target)
        who = f"{last.user} at {last.at:%Y-%m-%d %H:%M} UTC" if last else "someone outside the console"
        return Conflict(f"changed by {who}; reload")


# ---------------------------------------------------------------- answers and the numbers they use

@dataclass(frozen=True)
class Answer:
    key: str
    title: str
    intent: str
    text: str                      # as written, with {placeholders}
    steps: list[str]               # aftercare: the steps read one at a time (as written)
    numbers: dict[str, int]        # placeholder -> value, for the numbers the answer and steps use
    version: str


def answers(console: Console) -> list[Answer]:
    from shared.core.intents import TOPIC_INTENTS
    data = load(console.content_file.read_text(encoding="utf-8"))
    paths = number_paths(data)
    out = []
    for key, topic in data["topics"].items():
        steps = list(topic.get("steps", []))
        numbers = {name: get_path(data, paths[name]) for text in (topic["answer"], *steps)
                   for name in placeholders(text) if name in paths}
        out.append(Answer(key, topic["title"], TOPIC_INTENTS[key], topic["answer"], steps, numbers,
                          version([topic["answer"], steps, numbers])))
    return out


def checked_content(console: Console, text: str, key: str = "") -> tuple[Content, dict[Path, str]]:
    """Load `text` as the content file (and every locale that takes its facts from it) in a scratch
    folder; the derived model files it leads to. Invalid (problems by form field) if anything fails."""
    real = console.content_file
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for sibling in real.parent.glob("*.yaml"):
            shutil.copy(sibling, folder / sibling.name)
        candidate = folder / real.name
        candidate.write_text(text, encoding="utf-8")
        paths = number_paths(load(text) or {})
        try:
            loaded = [load_content(path) for path in sorted(folder.glob("*.yaml"))]
            content = next(c for c in loaded if Path(c.source) == candidate)
            files = derived_files(content, console.store.models_dir)
        except ContentError as exc:
            problems: dict[str, list[str]] = {}
            for problem in exc.problems:
                where = field_of(problem.path, key, paths) if Path(problem.file) == candidate else ""
                problems.setdefault(where, []).append(str(problem).replace(str(folder), str(real.parent)))
            raise Invalid(problems) from None
    return content, files


def preview(content: Content, intent: str) -> tuple[str, str]:
    """What Alexa (SSML) and the phone (words and keys) would say for `intent` with this content."""
    from clinic_voice.staff import replies
    return replies(content, intent, {})


def save_answer(console: Console, user: str, key: str, answer: str, numbers: dict[str, int], seen: str,
                steps: list[str] | None = None) -> Content:
    """Check and write one topic's answer, steps and numbers; returns the content now in service."""
    target = f"answer:{key}"
    with _lock:
        current = next((a for a in answers(console) if a.key == key), None)
        if current is None:
            raise Invalid({"": [f"no topic {key!r} in {console.content_file}"]})
        if current.version != seen:
            raise console.changed(target)
        before = console.content_file.read_text(encoding="utf-8")
        try:
            after = edited_content(before, key, answer, {n: v for n, v in numbers.items() if n in current.numbers}, steps)
        except Unsafe as exc:
            raise Invalid({exc.field: [str(exc)]}) from None
        if after == before:
            raise Invalid({"": ["nothing changed"]})
        content, files = checked_content(console, after, key)
        write_atomically(console.content_file, after)
        build(files)
        changed = ", ".join([f"{n} {current.numbers[n]} -> {v}" for n, v in numbers.items()
                             if n in current.numbers and current.numbers[n] != v])
        audit.record(console.db, user, "answer", target, f"edited the {key} answer" + (f" ({changed})" if changed else ""),
                     str(console.content_file), before, after)
    console.store.reload()
    return content


# ---------------------------------------------------------------- phrasings (sample utterances)

@dataclass(frozen=True)
class Phrasings:
    intent: str
    samples: list[str]
    version: str


def phrasings(console: Console) -> list[Phrasings]:
    data = read_model_json(console.model_file)
    return [Phrasings(i["name"], list(i.get("samples", [])), version(i.get("samples", [])))
            for i in data["interactionModel"]["languageModel"]["intents"]]


@dataclass
class SampleCheck:
    """What adding a sample would do: errors refuse it; conflicts are shown before it is saved."""

    sample: str
    errors: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _model_with(console: Console, intent: str, change: Callable[[list[str]], None], seen: str) -> dict:
    data = read_model_json(console.model_file)
    target = next((i for i in data["interactionModel"]["languageModel"]["intents"] if i["name"] == intent), None)
    if target is None:
        raise Invalid({"": [f"{intent} is not an intent of {console.model_file}"]})
    if version(target.get("samples", [])) != seen:
        raise console.changed(f"samples:{intent}")
    change(target.setdefault("samples", []))
    return data


def check_sample(console: Console, intent: str, sample: str) -> SampleCheck:
    """Before saving: a duplicate (in any intent) or a broken sample is an error; a sample the phone
    matcher would send to another intent, or answers with another intent today, is a conflict to confirm."""
    from shared.models.checks import check_model_data
    from shared.where import located
    said = " ".join(sample.lower().split())
    result = SampleCheck(said)
    data = read_model_json(console.model_file)
    intents = data["interactionModel"]["languageModel"]["intents"]
    for other in intents:
        if said in other.get("samples", []):
            result.errors.append(f"{said!r} is already a sample of {other['name']}")
    if result.errors or not said:
        result.errors = result.errors or ["write what a patient would say"]
        return result
    now = console.store.current().matcher.match(said)
    if now.intent not in (None, intent) and now.decision == "answer":
        result.conflicts.append(f"today the phone line answers these words with {now.intent} (score {now.score:.2f}); "
                                f"as a sample of {intent} they may move there")
    target = next((i for i in intents if i["name"] == intent), None)
    if target is None:
        result.errors = [f"{intent} is not an intent of {console.model_file}"]
        return result
    target.setdefault("samples", []).append(said)
    where = f".intents[{intents.index(target)}].samples[{len(target['samples']) - 1}]"
    content = console.store.content(DEFAULT_LOCALE)
    findings = check_model_data(data, str(console.model_file), content, with_matcher=True)
    result.errors = [str(problem) for problem in located([f.problem for f in findings if f.error])]
    result.conflicts += [f.problem.reason for f in findings if not f.error and f.problem.path.endswith(where)]
    return result


def change_samples(console: Console, user: str, intent: str, seen: str, add: str = "", remove: str = "") -> list[str]:
    """Add or remove one sample of `intent`; checked, floors held, written, derived models rebuilt.
    Returns the warnings of `models check` for the new model."""
    def change(samples: list[str]) -> None:
        if add:
            samples.append(" ".join(add.lower().split()))
        elif remove in samples:
            samples.remove(remove)
        else:
            raise console.changed(f"samples:{intent}")

    with _lock:
        before = console.model_file.read_text(encoding="utf-8")
        data = _model_with(console, intent, change, seen)
        findings = _save_model(console, data)
        what = f"added {add!r} to" if add else f"removed {remove!r} from"
        audit.record(console.db, user, "phrasing", f"samples:{intent}", f"{what} {intent}", str(console.model_file),
                     before, console.model_file.read_text(encoding="utf-8"))
    console.store.reload()
    return [str(f.problem) for f in findings if not f.error]


def _save_model(console: Console, data: dict) -> list:
    try:
        return save_model(data, console.model_file, console.content_file, console.store.models_dir,
                          lambda data, content: hold_floors(console, data, content))
    except Refused as exc:
        raise Invalid({"": str(exc).splitlines()}) from None


# ---------------------------------------------------------------- accuracy floors

@dataclass(frozen=True)
class Figure:
    name: str
    questions: int
    accuracy: float
    floor: float
    unsafe: int

    @property
    def ok(self) -> bool:
        return self.accuracy >= self.floor and self.unsafe == 0


def figures(matcher, locale: str = DEFAULT_LOCALE, only: set[str] | None = None) -> list[Figure]:
    """Accuracy on each labelled set with a floor (or on the sets named in `only`); none when the
    sets are not in this checkout."""
    from shared.understanding.evaluation import accuracy, evaluate, floors, read_cases
    out = []
    for name, floor in sorted(floors(locale).items()):
        if (EVAL_DIR / name).exists() and (only is None or name in only):
            outcomes = evaluate(matcher, read_cases(EVAL_DIR / name))
            out.append(Figure(name, len(outcomes), accuracy(outcomes), floor, sum(o.unsafe for o in outcomes)))
    return out


def hold_floors(console: Console, data: dict, content: Content) -> None:
    """Refuse a model that drops a set below its floor (and lower than it is now), or adds an unsafe
    miss, with the figures. The model in service is evaluated only on the sets the candidate fails:
    a change that keeps every floor costs one pass over the labelled sets, not two."""
    from shared.understanding.matcher import Matcher
    failing = [f for f in figures(Matcher(content, parse_model(data, "candidate"))) if not f.ok]
    if not failing:
        return
    now = {f.name: f for f in figures(console.store.current().matcher, only={f.name for f in failing})}
    worse = [f for f in failing if f.accuracy < now[f.name].accuracy or f.unsafe > now[f.name].unsafe]
    if worse:
        raise Refused("\n".join(
            f"refused: {f.name} would drop to {f.accuracy:.1%} (floor {f.floor:.1%}, now "
            f"{now[f.name].accuracy:.1%}), {f.unsafe} unsafe miss(es)" for f in worse))


# ---------------------------------------------------------------- teaching, callbacks, review items

def teach(console: Console, user: str, item_id: int, intent: str) -> str:
    """Teach review item `item_id` to `intent` (floors held); returns the sample added."""
    from shared.followup.review import find_open, teach as teach_item
    with _lock:
        row = find_open(console.db, item_id)
        if row is None:
            raise console.changed(f"review:{item_id}")
        before = console.model_file.read_text(encoding="utf-8")
        try:
            taught = teach_item(console.db, item_id, intent, console.content_file, console.store.models_dir,
                                lambda data, content: hold_floors(console, data, content))
        except Refused as exc:
            raise Invalid({"": str(exc).splitlines()}) from None
        audit.record(console.db, user, "teach", f"review:{item_id}", f"taught {taught.sample!r} to {intent}",
                     str(console.model_file), before, console.model_file.read_text(encoding="utf-8"))
    console.store.reload()
    return taught.sample


def dismiss(console: Console, user: str, item_id: int) -> None:
    from shared.followup.review import close
    with _lock:
        if not close(console.db, item_id, "dismissed"):
            raise console.changed(f"review:{item_id}")
        audit.record(console.db, user, "dismiss", f"review:{item_id}", f"dismissed review item {item_id}")


def callback_done(console: Console, user: str, callback_id: int) -> None:
    from shared.followup.callbacks import mark_done
    with _lock:
        if not mark_done(console.db, callback_id):
            raise console.changed(f"callback:{callback_id}")
        audit.record(console.db, user, "callback", f"callback:{callback_id}", f"callback {callback_id} marked done")


# ---------------------------------------------------------------- undo

def undo(console: Console, user: str, entry_id: int) -> str:
    """Undo one change (itself recorded): a file goes back to what it was, if nobody changed it since."""
    with _lock:
        entry = audit.entry(console.db, entry_id)
        if entry is None or not entry.undoable:
            raise Invalid({"": [f"change {entry_id} cannot be undone (already undone?)"]})
        if entry.file is not None:
            _restore(console, entry)
        else:
            _reopen(console, entry)
        summary = f"undid change {entry.id} ({entry.summary})"
        new = audit.record(console.db, user, "undo", entry.target, summary, entry.file, entry.after, entry.before)
        audit.mark_undone(console.db, entry.id, new)
    console.store.reload()
    return summary


def _restore(console: Console, entry: audit.Entry) -> None:
    path = Path(entry.file)
    if path.read_text(encoding="utf-8") != entry.after:
        last = audit.last_file_change(console.db, entry.file)
        who = f"{last.user} at {last.at:%Y-%m-%d %H:%M} UTC" if last and last.id != entry.id else "someone outside the console"
        raise Conflict(f"{path.name} was changed since, by {who}: undo that change first")
    if path == console.content_file:
        _, files = checked_content(console, entry.before)
        write_atomically(path, entry.before)
        build(files)
    else:
        _save_model(console, json.loads(entry.before))
    if entry.action == "teach":
        _reopen(console, entry)


def _reopen(console: Console, entry: audit.Entry) -> None:
    """A callback back to open, or review items (the item and its identical texts) back to open."""
    from sqlalchemy import select

    from shared.followup.tables import callbacks
    kind, _, number = entry.target.partition(":")
    with console.db.begin() as conn:
        if kind == "callback":
            conn.execute(update(callbacks).where(callbacks.c.id == int(number)).values(done_at=None))
            return
        row = conn.execute(select(review_items).where(review_items.c.id == int(number))).first()
        if row is not None:
            conn.execute(update(review_items).where(
                (review_items.c.text == row.text) & (review_items.c.locale == row.locale) &
                (review_items.c.channel == row.channel) & (review_items.c.status == row.status)).values(status="open"))


# ---------------------------------------------------------------- checks

@dataclass
class Report:
    """What `content check`, `models check` and the floors say now: (file, ok, lines) and figures."""

    files: list[tuple[str, bool, list[str]]] = field(default_factory=list)
    figures: dict[str, list[Figure]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _ in self.files) and all(f.ok for fs in self.figures.values() for f in fs)


def checks(console: Console, measure: bool = True) -> Report:
    """The files' checks; with `measure`, also the accuracy on every labelled set against its floor
    (every labelled question matched once: about half a minute, so the page asks for it)."""
    from shared.core.content import length_warnings
    from shared.models.build import hand_edited, model_locales, out_of_date
    from shared.models.checks import check_model_data
    report = Report()
    contents: dict[str, Content] = {}
    for path in sorted(console.content_file.parent.glob("*.yaml")):
        try:
            contents[path.stem] = content = load_content(path)
            report.files.append((str(path), True, [f"warning: {w}" for w in length_warnings(content)]))
        except ContentError as exc:
            report.files.append((str(path), False, [str(p) for p in exc.problems]))
    models_dir = console.store.models_dir
    for locale in model_locales(models_dir):
        path = models_dir / f"{locale}.json"
        content = contents.get(locale) or contents.get(DEFAULT_LOCALE)
        if content is None:
            continue
        findings = check_model_data(read_model_json(path), str(path), content, with_matcher=True)
        report.files.append((str(path), not any(f.error for f in findings),
                             [("error: " if f.error else "warning: ") + str(f.problem) for f in findings]))
    stale = [f"{p}: out of date (run: clinic-voice models build)" for p in out_of_date(
        derived_files(contents[DEFAULT_LOCALE], models_dir))] if DEFAULT_LOCALE in contents else []
    edited = [str(p) for p in hand_edited(models_dir)]
    report.files.append(("derived models", not (stale or edited), stale + edited))
    for locale in contents if measure else ():
        if (models_dir / f"{locale}.json").exists():
            try:
                report.figures[locale] = figures(console.store.current(locale).matcher, locale)
            except ContentError as exc:  # in service: the last good version, or nothing yet
                report.files.append((f"{locale} in service", False, [str(p) for p in exc.problems]))
    return report
