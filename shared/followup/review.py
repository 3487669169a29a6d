"""Questions the line could not answer, kept for staff to review: list, teach, dismiss, purge."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from shared.followup.callbacks import now, utc
from shared.followup.db import Database
from shared.followup.redact import redact
from shared.followup.tables import callbacks, fallback_counts, review_items

if TYPE_CHECKING:
    from shared.core.content import Content
    from shared.models.checks import Finding

MAX_TEXT_CHARS = 500
ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
       "seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


@dataclass(frozen=True)
class ReviewItem:
    """Identical open texts grouped: `id` is the newest of them (any id of the group works)."""

    id: int
    text: str
    count: int
    heard_as: str | None
    score: float
    channel: str
    locale: str
    first_seen: datetime
    last_seen: datetime

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "text": self.text, "count": self.count, "heard_as": self.heard_as,
                           "score": round(self.score, 3), "channel": self.channel, "locale": self.locale,
                           "first_seen": self.first_seen.isoformat(), "last_seen": self.last_seen.isoformat()})


def record_unanswered(db: Database, words: str, heard_as: str | None, score: float, channel: str, locale: str) -> int:
    """Store what was heard, redacted first (numbers, e-mail addresses); nothing about the caller."""
    text = redact(words)[:MAX_TEXT_CHARS]
    with db.begin() as conn:
        result = conn.execute(insert(review_items).values(text=text, heard_as=heard_as, score=float(score),
                                                          channel=channel, locale=locale, seen_at=now()))
        return int(result.inserted_primary_key[0])


def record_fallback(db: Database, channel: str, locale: str) -> None:
    """Alexa's FallbackIntent carries no words: count them per day instead."""
    today = now().date()
    key = (fallback_counts.c.day == today) & (fallback_counts.c.channel == channel) & (fallback_counts.c.locale == locale)
    add_one = update(fallback_counts).where(key).values(count=fallback_counts.c.count + 1)
    with db.begin() as conn:
        if conn.execute(add_one).rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(insert(fallback_counts).values(day=today, channel=channel, locale=locale, count=1))
            except IntegrityError:  # another process counted the day's first one meanwhile
                conn.execute(add_one)


def fallbacks_per_day(db: Database) -> list[tuple[date, str, str, int]]:
    query = select(fallback_counts.c.day, fallback_counts.c.channel, fallback_counts.c.locale,
                   fallback_counts.c.count).order_by(fallback_counts.c.day)
    with db.begin() as conn:
        return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def open_items(db: Database) -> list[ReviewItem]:
    """Open items, identical texts grouped, most frequent first (then the most recent)."""
    query = select(review_items).where(review_items.c.status == "open").order_by(review_items.c.id)
    groups: dict[tuple[str, str, str], list] = {}
    with db.begin() as conn:
        for row in conn.execute(query):
            groups.setdefault((row.locale, row.channel, row.text), []).append(row)
    items = [ReviewItem(rows[-1].id, text, len(rows), rows[-1].heard_as, rows[-1].score, channel, locale,
                        utc(rows[0].seen_at), utc(rows[-1].seen_at))
             for (locale, channel, text), rows in groups.items()]
    return sorted(items, key=lambda item: (-item.count, -item.last_seen.timestamp()))


def find_open(db: Database, item_id: int) -> Row | None:
    with db.begin() as conn:
        return conn.execute(select(review_items).where(review_items.c.id == item_id,
                                                       review_items.c.status == "open")).first()


def close(db: Database, item_id: int, status: str) -> int:
    """Mark the item and every open item with the same text `status`; how many were closed (0: no such item)."""
    row = find_open(db, item_id)
    if row is None:
        return 0
    same = (review_items.c.status == "open") & (review_items.c.text == row.text) & \
           (review_items.c.locale == row.locale) & (review_items.c.channel == row.channel)
    with db.begin() as conn:
        return conn.execute(update(review_items).where(same).values(status=status)).rowcount


def purge(db: Database, older_than_days: int) -> dict[str, int]:
    """Delete review items seen, callbacks done, and fallback counts older than `older_than_days`."""
    cutoff = now() - timedelta(days=older_than_days)
    with db.begin() as conn:
        return {
            "review items": conn.execute(delete(review_items).where(review_items.c.seen_at < cutoff)).rowcount,
            "callbacks": conn.execute(delete(callbacks).where(callbacks.c.done_at < cutoff)).rowcount,
            "fallback counts": conn.execute(delete(fallback_counts).where(fallback_counts.c.day < cutoff.date())).rowcount,
        }


# ---------------------------------------------------------------- teaching the model

def number_words(n: int) -> str:
    if n < 20:
        return ONES[n]
    return TENS[n // 10] + ("" if n % 10 == 0 else f" {ONES[n % 10]}")


def as_sample(text: str) -> str:
    """A review text as a sample utterance: lower-cased, [number]/[email] dropped, numbers spelled out
    (redaction left at most two digits in a row), nothing but letters, spaces and apostrophes."""
    text = re.sub(r"\[(number|email)\]", " ", text.lower())
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()[-2:]))} ", text)
    return " ".join(re.sub(r"[^a-z' ]", " ", text).split()).strip("'")


@dataclass(frozen=True)
class Taught:
    sample: str
    model: Path
    warnings: list[str]
    closed: int


class Refused(ValueError):
    """The sample would break the model (or duplicate a sample); the message says why."""


def teach(db: Database, item_id: int, intent: str, content_path: Path, models_dir: Path,
          guard: Callable[[dict, "Content"], None] | None = None) -> Taught:
    """Add the item's text to INTENT's samples in the source model, check it as `models check` does
    (an error refuses, warnings are reported), write it atomically, rebuild what `models build`
    derives, and mark the item (and its identical texts) taught. `guard(data, content)` may refuse
    the new model before it is written (the staff console holds the accuracy floors so)."""
    from shared.models.build import SOURCE_LOCALE
    from shared.models.reading import read_model_json

    row = find_open(db, item_id)
    if row is None:
        raise Refused(f"no open review item {item_id}")
    sample = as_sample(row.text)
    if not sample:
        raise Refused(f"nothing left to teach in {row.text!r} once numbers and e-mail addresses are removed")
    path = models_dir / f"{SOURCE_LOCALE}.json"  # the other English models are built from it
    data = read_model_json(path)
    intents = data["interactionModel"]["languageModel"]["intents"]
    target = next((i for i in intents if i["name"] == intent), None)
    if target is None:
        raise Refused(f"{intent} is not an intent of {path} (known: {', '.join(i['name'] for i in intents)})")
    if sample in target.get("samples", []):
        raise Refused(f"{sample!r} is already a sample of {intent}")
    target.setdefault("samples", []).append(sample)
    findings = save_model(data, path, content_path, models_dir, guard)
    where = f"samples[{len(target['samples']) - 1}]"
    warnings = [str(f.problem) for f in findings if f.problem.path.endswith(where)
                and f".intents[{intents.index(target)}]." in f.problem.path]
    return Taught(sample, path, warnings, close(db, item_id, "taught"))


def save_model(data: dict, path: Path, content_path: Path, models_dir: Path,
               guard: Callable[[dict, "Content"], None] | None = None) -> list["Finding"]:
    """Check source model data as `models check` does (an error refuses), let `guard` refuse it, write
    it atomically and rebuild what `models build` derives; returns the warnings."""
    from shared.core.content import ContentError, load_content
    from shared.models.build import build, derived_files, dumps, write_atomically
    from shared.models.checks import check_model_data
    try:
        content = load_content(content_path)
        findings = check_model_data(data, str(path), content, with_matcher=True)
    except ContentError as exc:
        raise Refused(str(exc)) from None
    errors = [str(f.problem) for f in findings if f.error]
    if errors:
        raise Refused("\n".join(errors))
    if guard is not None:
        guard(data, content)
    write_atomically(path, dumps(data))
    try:
        build(derived_files(content, models_dir))
    except ContentError as exc:
        raise Refused(str(exc)) from None
    return findings
