"""Callback requests: recorded while the caller waits, listed and closed by staff."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select, update

from shared.followup.db import Database
from shared.followup.tables import callbacks


def now() -> datetime:
    return datetime.now(timezone.utc)


def utc(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Callback:
    id: int
    number: str
    requested_at: datetime
    topic: str | None
    locale: str
    reason: str


def request_callback(db: Database, number: str, topic: str | None, locale: str, reason: str) -> int:
    """Record a request; raises on any database failure (the caller is then told the clinic's number)."""
    with db.begin() as conn:
        result = conn.execute(insert(callbacks).values(number=number[:32], requested_at=now(), topic=topic,
                                                       locale=locale, reason=reason))
        return int(result.inserted_primary_key[0])


def open_callbacks(db: Database) -> list[Callback]:
    """Requests not yet done, oldest first."""
    query = select(callbacks.c.id, callbacks.c.number, callbacks.c.requested_at, callbacks.c.topic,
                   callbacks.c.locale, callbacks.c.reason).where(callbacks.c.done_at.is_(None)).order_by(callbacks.c.id)
    with db.begin() as conn:
        return [Callback(r.id, r.number, utc(r.requested_at), r.topic, r.locale, r.reason) for r in conn.execute(query)]


def mark_done(db: Database, callback_id: int) -> bool:
    """False if there is no open request with that id."""
    with db.begin() as conn:
        result = conn.execute(update(callbacks).where(callbacks.c.id == callback_id, callbacks.c.done_at.is_(None))
                              .values(done_at=now()))
        return result.rowcount == 1
