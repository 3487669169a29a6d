"""Staff accounts: names and argon2 password hashes in the `users` table; five wrong passwords in a
row lock an account for fifteen minutes (the right password then fails too, until the time is up)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from shared.followup.callbacks import now, utc
from shared.followup.db import Database
from shared.followup.tables import users

MAX_FAILURES = 5
LOCK_MINUTES = 15
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A name or password that cannot be used; the message says why."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    locked_until: datetime | None


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not (`locked_until` set while the account is locked)."""

    user: User | None
    locked_until: datetime | None = None
    just_locked: bool = False   # this failure locked the account


def check_name(name: str) -> str:
    if not (1 <= len(name) <= 64 and set(name) <= NAME_CHARS):
        raise AccountError(f"{name!r}: a user name is 1 to 64 lower-case letters, digits, '.', '_' or '-'")
    return name


def add_user(db: Database, name: str, password: str) -> User:
    check_name(name)
    if len(password) < 8:
        raise AccountError("a password needs 8 characters at least")
    new_id = None
    with db.begin() as conn:  # the refusal is raised outside: the database did not fail
        try:
            with conn.begin_nested():
                new_id = conn.execute(insert(users).values(name=name, password_hash=_hasher.hash(password),
                                                           created_at=now())).inserted_primary_key[0]
        except IntegrityError:
            pass
    if new_id is None:
        raise AccountError(f"there is already a user {name!r}")
    return User(int(new_id), name, None)


def remove_user(db: Database, name: str) -> bool:
    with db.begin() as conn:
        return conn.execute(delete(users).where(users.c.name == name)).rowcount == 1


def list_users(db: Database) -> list[User]:
    with db.begin() as conn:
        rows = conn.execute(select(users.c.id, users.c.name, users.c.locked_until).order_by(users.c.name))
        return [User(r.id, r.name, utc(r.locked_until) if r.locked_until else None) for r in rows]


def get_user(db: Database, user_id: int) -> User | None:
    with db.begin() as conn:
        row = conn.execute(select(users.c.id, users.c.name, users.c.locked_until).where(users.c.id == user_id)).first()
    return User(row.id, row.name, None) if row else None


def sign_in(db: Database, name: str, password: str) -> SignIn:
    """Check a password; count a failure, lock on the fifth; an unknown name costs a hash too."""
    with db.begin() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        _verify(_DUMMY, password)  # the same time as a known name: names cannot be probed
        return SignIn(None)
    locked = utc(row.locked_until) if row.locked_until else None
    if locked and locked > now():
        return SignIn(None, locked)
    if _verify(row.password_hash, password):
        with db.begin() as conn:
            conn.execute(update(users).where(users.c.id == row.id).values(failed_logins=0, locked_until=None))
        return SignIn(User(row.id, row.name, None))
    failures = (0 if locked else row.failed_logins) + 1
    until = now() + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
    with db.begin() as conn:
        conn.execute(update(users).where(users.c.id == row.id)
                     .values(failed_logins=0 if until else failures, locked_until=until))
    return SignIn(None, until, until is not None)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY = _hasher.hash("not anyone's password")
