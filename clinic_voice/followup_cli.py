"""Staff commands for what the line remembers: `db upgrade`, `callbacks list|done`,
`review list|teach|dismiss|purge`. The staff console (a later issue) calls the same functions."""
from __future__ import annotations

import argparse
import json
import sys

from shared.settings import Settings


def _db():
    from shared.followup.db import database
    return database(Settings.from_env().database_url)


def _ready():
    """The database, checked to be at the newest migration (the embedded default is migrated here)."""
    db = _db()
    db.check_current()
    return db


def db_upgrade(args: argparse.Namespace) -> int:
    db = _db()
    print(f"{db.safe_url()}: at revision {db.upgrade()}")
    return 0


def callbacks_list(args: argparse.Namespace) -> int:
    from shared.followup.callbacks import open_callbacks
    requests = open_callbacks(_ready())
    for r in requests:
        if args.json:
            print(json.dumps({"id": r.id, "number": r.number, "requested_at": r.requested_at.isoformat(),
                              "topic": r.topic, "locale": r.locale, "reason": r.reason}))
        else:
            print(f"{r.id:>5}  {r.requested_at:%Y-%m-%d %H:%M}  {r.number:<16} {r.topic or '-':<22} {r.reason}")
    if not requests and not args.json:
        print("no open callback requests")
    return 0


def callbacks_done(args: argparse.Namespace) -> int:
    from shared.followup.callbacks import mark_done
    if not mark_done(_ready(), args.id):
        print(f"clinic-voice: no open callback request {args.id}", file=sys.stderr)
        return 1
    print(f"callback {args.id} done")
    return 0


def review_list(args: argparse.Namespace) -> int:
    from shared.followup.review import fallbacks_per_day, open_items
    db = _ready()
    items = open_items(db)
    for item in items:
        print(item.to_json() if args.json else
              f"{item.id:>5}  x{item.count:<3} {item.heard_as or '-':<22} {item.score:.2f}  {item.text}")
    if not args.json:
        if not items:
            print("no open review items")
        for day, channel, locale, count in fallbacks_per_day(db):
            print(f"{channel} fallbacks {day} {locale}: {count}")
    return 0


def review_teach(args: argparse.Namespace) -> int:
    from shared.followup.review import Refused, teach
    from shared.store import default_store
    store = default_store()
    content, _ = store.paths("en-US")
    try:
        taught = teach(_ready(), args.id, args.intent, content, store.models_dir)
    except Refused as exc:
        print(f"clinic-voice: refused: {exc}", file=sys.stderr)
        return 1
    for warning in taught.warnings:
        print(f"warning: {warning}")
    print(f"added {taught.sample!r} to {args.intent} in {taught.model} and rebuilt the derived models; "
          f"{taught.closed} item(s) marked taught")
    return 0


def review_dismiss(args: argparse.Namespace) -> int:
    from shared.followup.review import close
    closed = close(_ready(), args.id, "dismissed")
    if not closed:
        print(f"clinic-voice: no open review item {args.id}", file=sys.stderr)
        return 1
    print(f"{closed} item(s) dismissed")
    return 0


def review_purge(args: argparse.Namespace) -> int:
    from shared.followup.review import purge
    days = Settings.from_env().review_retention_days if args.older_than is None else args.older_than
    deleted = purge(_ready(), days)
    print(f"deleted, older than {days} days: " + ", ".join(f"{n} {what}" for what, n in deleted.items()))
    return 0


def run_safely(command):
    """A database that is behind or unreachable is one line of explanation, not a traceback."""
    def run(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        from shared.followup.db import DatabaseBehind
        try:
            return command(args)
        except DatabaseBehind as exc:
            print(f"clinic-voice: {exc}", file=sys.stderr)
            return 1
        except (SQLAlchemyError, OSError) as exc:
            print(f"clinic-voice: the database is not reachable: {type(exc).__name__}: {str(exc).splitlines()[0]}",
                  file=sys.stderr)
            return 1
    return run


def add_commands(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="the database of callbacks and questions to review")
    sub = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("upgrade", help="apply the migrations (DATABASE_URL, else var/clinic-voice.db)",
                   description="Bring the database up to the newest schema.").set_defaults(run=run_safely(db_upgrade))

    calls = commands.add_parser("callbacks", help="callers waiting for the clinic to call back")
    sub = calls.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="open requests, oldest first", description="Open callback requests, oldest first.")
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(run=run_safely(callbacks_list))
    done = sub.add_parser("done", help="mark a request done", description="Mark callback request ID done.")
    done.add_argument("id", type=int, metavar="ID")
    done.set_defaults(run=run_safely(callbacks_done))

    review = commands.add_parser("review", help="questions the line could not answer")
    sub = review.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="open items, most frequent first",
                             description="Open items, identical texts grouped with a count, most frequent first.")
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(run=run_safely(review_list))
    teach = sub.add_parser("teach", help="add the item's words as a sample of INTENT",
                           description="Add the item's text as a sample of INTENT in the en-US model, check it as "
                                       "`models check` does, rebuild what `models build` derives, mark it taught.")
    teach.add_argument("id", type=int, metavar="ID")
    teach.add_argument("intent", metavar="INTENT")
    teach.set_defaults(run=run_safely(review_teach))
    dismiss = sub.add_parser("dismiss", help="close an item without teaching it", description="Dismiss item ID.")
    dismiss.add_argument("id", type=int, metavar="ID")
    dismiss.set_defaults(run=run_safely(review_dismiss))
    purge = sub.add_parser("purge", help="delete old items and done callbacks",
                           description="Delete review items and fallback counts older than DAYS, and callbacks done "
                                       "more than DAYS ago (default REVIEW_RETENTION_DAYS, 30).")
    purge.add_argument("--older-than", type=int, metavar="DAYS")
    purge.set_defaults(run=run_safely(review_purge))
