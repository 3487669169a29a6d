"""The audit log: every change made through the console (or `users add|remove`), who made it and
when, and for a file change the whole file before and after, so it can be shown as a diff and undone."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from shared.followup.callbacks import now, utc
from shared.followup.db import Database
from shared.followup.tables import audit_log


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    user: str
    action: str
    target: str
    summary: str
    file: str | None
    before: str | None
    after: str | None
    undone_by: int | None

    def diff(self) -> str:
        """A unified diff of the file change ('' for a change that is not to a file)."""
        if self.before is None or self.after is None:
            return ""
        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True),
                                            f"{Path(self.file).name} before", f"{Path(self.file).name} after", n=2))

    @property
    def undoable(self) -> bool:
        return self.undone_by is None and self.action in UNDOABLE


UNDOABLE = frozenset({"answer", "phrasing", "teach", "undo", "callback", "dismiss"})


def record(db: Database, user: str, action: str, target: str, summary: str, file: str | None = None,
           before: str | None = None, after: str | None = None) -> int:
    with db.begin() as conn:
        return int(conn.execute(insert(audit_log).values(
            at=now(), user=user, action=action, target=target, summary=summary[:500], file=file,
            before=before, after=after)).inserted_primary_key[0])


def _entry(row) -> Entry:
    return Entry(row.id, utc(row.at), row.user, row.action, row.target, row.summary, row.file, row.before,
                 row.after, row.undone_by)


def entries(db: Database, limit: int = 200) -> list[Entry]:
    """The newest first."""
    with db.begin() as conn:
        return [_entry(r) for r in conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))]


def entry(db: Database, entry_id: int) -> Entry | None:
    with db.begin() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.id == entry_id)).first()
    return _entry(row) if row else None


def last_change(db: Database, target: str) -> Entry | None:
    """The newest entry for `target` (who last changed that thing, and when)."""
    with db.begin() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.target == target)
                           .order_by(audit_log.c.id.desc()).limit(1)).first()
    return _entry(row) if row else None


def last_file_change(db: Database, file: str) -> Entry | None:
    with db.begin() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.file == file)
                           .order_by(audit_log.c.id.desc()).limit(1)).first()
    return _entry(row) if row else None


def mark_undone(db: Database, entry_id: int, by: int) -> None:
    with db.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == entry_id).values(undone_by=by))
