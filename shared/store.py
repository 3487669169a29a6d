"""The content and interaction model in service, per locale, reloaded when staff edit the files.

A running server asks on every request: `content(locale)` (Alexa needs only the content) or
`current(locale)` (the phone: content, model and the matcher over both). At most once a second
(or when told to, e.g. on SIGHUP) it looks at the files' modification times; an edited file is
loaded and checked, and only a file that passes replaces the one in service. A broken edit is
logged once with file and path, and the last good version keeps serving.

The phone's bundle is stamped with the content object in service (not only with file times), so it
is rebuilt whenever the content changes and both channels serve one version. With a state folder
(`clinic-voice serve` gives one: CLINIC_STATE_DIR, default var/), every file that passes is also
kept there, and a broken file is replaced by that copy: a worker started after a broken edit serves the last good
version, not the one the server started with.
"""
from __future__ import annotations

import logging
import os
import re
import threading
import time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generic, TypeVar

from interaction_models import MODELS_DIR
from shared.core.content import CONTENT_DIR, DEFAULT_LOCALE, Content, ContentError, load_content
from shared.settings import Settings

if TYPE_CHECKING:
    from shared.models.reading import InteractionModel

log = logging.getLogger(__name__)
CHECK_INTERVAL_SECONDS = 1.0
LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
T = TypeVar("T")


class Bundle:
    """What the phone answers with: content, interaction model, and the matcher over both."""

    def __init__(self, content: Content, model: "InteractionModel"):
        self.content, self.model = content, model

    def __eq__(self, other: object) -> bool:
        """The same content and model (a touched but unchanged file keeps the bundle and its matcher)."""
        return isinstance(other, Bundle) and (self.content, self.model) == (other.content, other.model)

    __hash__ = None  # type: ignore[assignment]  # equal by value, and content and model hold dicts

    @cached_property
    def matcher(self):  # -> shared.understanding.matcher.Matcher, built on first use (~30 ms)
        from shared.understanding.matcher import Matcher
        return Matcher(self.content, self.model)


def _stat(path: Path) -> tuple[int, int, int]:
    """Modification time, size and inode: a save within one clock tick or by rename still differs."""
    try:
        st = path.stat()
    except OSError:
        return (-1, -1, -1)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class _Reloading(Generic[T]):
    """One value in service (e.g. en-US content): reloaded when its stamp changes."""

    def __init__(self, stamp: Callable[[], tuple], load: Callable[[tuple, bool], T], interval: float,
                 describe: Callable[[], str]):
        """`load(stamp, schema)`: schema=False on the first load (a cold start: see build_content), True
        on a reload."""
        self.stamp_now, self.load, self.interval, self.describe = stamp, load, interval, describe
        self.value: T | None = None
        self.stamp: tuple | None = None   # what was last looked at (file stats, content), good or not
        self.checked = 0.0
        self.lock = threading.Lock()

    def get(self, force: bool = False) -> T:
        now = time.monotonic()
        if self.value is not None and not force and now - self.checked < self.interval:
            return self.value
        with self.lock:
            self.checked = now
            stamp = self.stamp_now()
            if self.value is not None and stamp == self.stamp:
                return self.value
            self.stamp = stamp  # a broken edit is reported once, not on every check
            try:
                new = self.load(stamp, self.value is not None)
            except ContentError as exc:
                if self.value is None:
                    raise
                for problem in exc.problems:
                    log.error("not loaded, the last good version stays in service: %s", problem)
                return self.value
            if new == self.value:  # e.g. a broken content edit left the bundle as it was
                return self.value
            if self.value is not None:
                log.info("reloaded %s", self.describe())
            self.value = new
            return new


class Store:
    def __init__(self, content_dir: Path | None = None, models_dir: Path | None = None,
                 interval: float = CHECK_INTERVAL_SECONDS, state_dir: Path | None = None):
        self.content_dir = Path(content_dir or os.environ.get("CLINIC_CONTENT_DIR") or CONTENT_DIR)
        self.models_dir = Path(models_dir or os.environ.get("CLINIC_MODELS_DIR") or MODELS_DIR)
        self.kept_dir = Path(state_dir) / "last-good" if state_dir else None
        self.interval = interval
        self.clinic_name = Settings.from_env().clinic_name
        self._slots: dict[tuple[str, str], _Reloading] = {}
        self._lock = threading.Lock()
        self._reload_asked = False
        self._locales: frozenset[str] | None = None

    def paths(self, locale: str) -> tuple[Path, Path]:
        """Content and model file for `locale`, falling back to the default locale's."""
        content = self.content_dir / f"{locale}.yaml"
        model = self.models_dir / f"{locale}.json"
        if not content.exists():
            content = self.content_dir / f"{DEFAULT_LOCALE}.yaml"
        if not model.exists():
            model = self.models_dir / f"{DEFAULT_LOCALE}.json"
        return content, model

    def content(self, locale: str = DEFAULT_LOCALE) -> Content:
        """The content in service; the first call raises ContentError if the file is broken."""
        self._reload_if_asked()
        return self._slot("content", self.served_locale(locale)).get()

    def current(self, locale: str = DEFAULT_LOCALE) -> Bundle:
        """Content and model in service (the model is checked against the content in service)."""
        self._reload_if_asked()
        return self._slot("bundle", self.served_locale(locale)).get()

    def served_locale(self, locale: str) -> str:
        """`locale` if there is content for it, else the default: request data never names a file,
        and never adds a slot (a request's locale is whatever the sender wrote)."""
        if self._locales is None:
            self._locales = frozenset(p.stem for p in self.content_dir.glob("*.yaml")
                                      if LOCALE.fullmatch(p.stem)) | {DEFAULT_LOCALE}
        return locale if locale in self._locales else DEFAULT_LOCALE

    def reload(self) -> None:
        """Look at every file now (what a SIGHUP leads to, on the next request)."""
        for (kind, locale), slot in sorted(self._slots.items(), key=lambda item: item[0][0] != "content"):
            slot.get(force=True)

    def ask_reload(self) -> None:
        """Safe in a signal handler: only sets a flag; the next request reloads, outside signal context."""
        self._reload_asked = True

    def _reload_if_asked(self) -> None:
        """Only at the entry points: the reload must never start inside a slot's check (its lock is held)."""
        if self._reload_asked:
            self._reload_asked = False
            self.reload()

    def _slot(self, kind: str, locale: str) -> _Reloading:
        slot = self._slots.get((kind, locale))
        if slot is None:
            with self._lock:
                slot = self._slots.setdefault((kind, locale), self._make(kind, locale))
        return slot

    def _make(self, kind: str, locale: str) -> _Reloading:
        if kind == "content":
            return _Reloading(lambda: (_stat(self.paths(locale)[0]),),
                         lambda stamp, schema: self._load_kept(
                             "content", self.paths(locale)[0], lambda path: load_content(path, self.clinic_name, schema)),
                         self.interval, lambda: str(self.paths(locale)[0]))
        # stamped with the content in service (checked now), so a content edit always rebuilds the bundle
        return _Reloading(lambda: (self._slot("content", locale).get(force=True), _stat(self.paths(locale)[1])),
                     lambda stamp, schema: self._bundle(stamp[0], self.paths(locale)[1], schema),
                     self.interval, lambda: str(self.paths(locale)[1]))

    def _bundle(self, content: Content, model_path: Path, schema: bool = True) -> Bundle:
        from shared.models.checks import load_checked_model  # the phone's path only: Alexa needs no model
        return Bundle(content, self._load_kept("models", model_path,
                                               lambda path: load_checked_model(path, content, schema)))

    def _load_kept(self, kind: str, path: Path, load: Callable[[Path], T]) -> T:
        """`load(path)`; with a state folder, a file that passes is kept there, and a broken one is
        replaced by the kept copy (logged), so every worker, new or old, serves the last good version."""
        if self.kept_dir is None:
            return load(path)
        kept = self.kept_dir / kind / path.name
        before = _stat(path)
        try:
            value = load(path)
        except ContentError as exc:
            if not kept.exists():
                raise
            for problem in exc.problems:
                log.error("not loaded, the last good version stays in service: %s", problem)
            return load(kept)
        try:
            data = path.read_text(encoding="utf-8")  # it just loaded, so it decodes
            if _stat(path) == before and (not kept.exists() or kept.read_text(encoding="utf-8") != data):
                from shared.models.build import write_atomically
                write_atomically(kept, data)
        except OSError as exc:  # a read-only or full disk must not stop the answer
            log.warning("could not keep a last good copy of %s: %s", path, exc)
        return value

    def check(self, locale: str = DEFAULT_LOCALE) -> Bundle:
        """The bundle in service, once its files passed every check, JSON Schema included (else
        ContentError): `clinic-voice serve` starts with this, as staff may have edited the files."""
        from shared.models.checks import load_checked_model
        content_file, model_file = self.paths(locale)
        load_checked_model(model_file, load_content(content_file, self.clinic_name), schema=True)
        return self.current(locale)


_default: Store | None = None


def default_store() -> Store:
    """The process-wide store (created on first use, so tests can set the environment first)."""
    global _default
    if _default is None:
        _default = Store()
    return _default


def use_store(store: Store) -> Store:
    """Make `store` the process-wide one (the server's has a state folder)."""
    global _default
    _default = store
    return store


def current(locale: str = DEFAULT_LOCALE) -> Bundle:
    return default_store().current(locale)


def current_content(locale: str = DEFAULT_LOCALE) -> Content:
    return default_store().content(locale)
