"""The database: engine per URL, short timeouts, migrations, and the embedded default.

Without DATABASE_URL the line uses SQLite at `var/clinic-voice.db` under the project root, created and
migrated on first use, so a fresh clone serves with no step of its own. A database named by
DATABASE_URL (PostgreSQL in production) is migrated only by `clinic-voice db upgrade`.

Writes happen while a caller waits, so every connection is bounded: SQLite waits at most
SQLITE_BUSY_SECONDS for a lock; PostgreSQL gives up connecting after CONNECT_SECONDS and on any
statement after STATEMENT_MS. After a failure the database is left alone for BACKOFF_SECONDS, so a
dead server costs one slow turn, not every turn.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = PROJECT_ROOT / "var" / "clinic-voice.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_SECONDS = 0.25
CONNECT_SECONDS = 2        # libpq's smallest useful connect_timeout
STATEMENT_MS = 500
BACKOFF_SECONDS = 30.0
T = TypeVar("T")


class DatabaseBehind(RuntimeError):
    """The database named by DATABASE_URL needs `clinic-voice db upgrade`."""


class Unavailable(RuntimeError):
    """A recent failure: the database is being left alone for a while."""


class Database:
    def __init__(self, url: str | None = None, path: Path | None = None):
        """`url` None: the embedded SQLite database at `path` (default DEFAULT_PATH)."""
        self.embedded, self.path = url is None, path or DEFAULT_PATH
        self.url = url or f"sqlite:///{self.path}"
        self._ready = False
        self._failed_at = 0.0
        self._lock = threading.Lock()

    @cached_property
    def engine(self) -> Engine:
        if self.url.startswith("sqlite"):
            engine = create_engine(self.url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        connect_args = {}
        if self.url.startswith("postgresql"):
            connect_args = {"connect_timeout": CONNECT_SECONDS, "options": f"-c statement_timeout={STATEMENT_MS}"}
        return create_engine(self.url, connect_args=connect_args, pool_size=2, max_overflow=2,
                             pool_timeout=1, pool_recycle=300)

    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction; the embedded database is created and migrated first if it is new or behind."""
        if time.monotonic() - self._failed_at < BACKOFF_SECONDS:
            raise Unavailable("the database failed moments ago")
        try:
            if self.embedded and not self._ready:
                self._first_use()
            with self.engine.begin() as conn:
                yield conn
        except Exception:
            self._failed_at = time.monotonic()
            raise

    def _first_use(self) -> None:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)  # var/ on a fresh clone
                if self.revision() != head():
                    self.upgrade()
                self._ready = True

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> str:
        from alembic import command
        if self.embedded:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.engine.begin() as conn:
            config = _alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        self._ready = True
        return head()

    def check_current(self) -> None:
        """Raise DatabaseBehind unless the schema is at the newest migration (embedded: migrate it)."""
        if self.embedded:
            self._first_use()
            return
        current = self.revision()
        if current != head():
            raise DatabaseBehind(f"the database ({self.safe_url()}) is at revision {current or 'none'}, "
                                 f"the code needs {head()}: run `clinic-voice db upgrade` first")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL: readers never block the writer; synchronous=NORMAL: a commit costs no fsync."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config():
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


_head: str | None = None


def head() -> str:
    global _head
    if _head is None:
        from alembic.script import ScriptDirectory
        _head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    return _head  # type: ignore[return-value]


_databases: dict[str | None, Database] = {}
_databases_lock = threading.Lock()


def database(url: str | None = None) -> Database:
    """The process-wide Database for `url` (None: the embedded default)."""
    with _databases_lock:
        if url not in _databases:
            _databases[url] = Database(url)
        return _databases[url]


def attempt(what: str, write: Callable[..., T], *args: Any) -> T | None:
    """Run a write for a call in progress; on any failure log `what` and the error's type (never the
    arguments: they may hold a caller's number or words) and return None."""
    try:
        return write(*args)
    except Unavailable:
        log.warning("%s not recorded: the database failed moments ago", what)
    except Exception as exc:
        log.warning("%s not recorded: %s", what, type(exc).__name__)
    return None
