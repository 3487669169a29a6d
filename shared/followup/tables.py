"""The tables. Minimal data: a callback holds the number to call and what the call was about; a review
item holds redacted words and what the line made of them, never the caller's number or call SID."""
from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

callbacks = Table(
    "callbacks", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False, index=True),
    Column("topic", String(64)),             # the intent the call was last about, if any
    Column("locale", String(16), nullable=False),
    Column("reason", String(16), nullable=False),  # no_front_desk, busy, no-answer, failed
    Column("done_at", DateTime(timezone=True), index=True),
)

review_items = Table(
    "review_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("text", String(500), nullable=False),
    Column("heard_as", String(64)),          # the best guess (intent or out_of_scope)
    Column("score", Float, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
    Column("status", String(16), nullable=False, server_default="open"),  # open, taught, dismissed
)

fallback_counts = Table(
    "fallback_counts", metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("count", Integer, nullable=False),
    UniqueConstraint("day", "channel", "locale"),
)

# The staff console (clinic_voice/console): who may sign in, and every change they made.
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),   # argon2id
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("user", String(64), nullable=False),
    Column("action", String(32), nullable=False),    # answer, phrasing, teach, callback, review, undo, user...
    Column("target", String(128), nullable=False, index=True),  # what was changed: answer:pain, samples:PainIntent...
    Column("summary", String(500), nullable=False),   # one readable line; never a caller's number
    Column("file", String(255)),                      # the staff-edited file, for file changes
    Column("before", Text),                           # the whole file before and after (undo, diff)
    Column("after", Text),
    Column("undone_by", Integer),                     # the audit entry that undid this one
)
