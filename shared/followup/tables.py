"""The tables. Minimal data: a callback holds the number to call and what the call was about; a review
item holds redacted words and what the line made of them, never the caller's number or call SID."""
from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, UniqueConstraint

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
