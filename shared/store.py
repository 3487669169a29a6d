"""The content and interaction model in service, per locale, reloaded when staff edit the files.

A running server asks on every request: `content(locale)` (Alexa needs only the content) or
`current(locale)` (the phone: content, model and the matcher over both). At most once a second
(or when told to, e.g. on SIGHUP) it looks at the files' modification times; an edited file is
loaded and checked, and only a file that passes replaces the one in service. A broken edit is
logged once with file and path, and the last good version keeps serving.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generic, TypeVar

from interaction_models import MODELS_DIR
from shared.content import CONTENT_DIR, DEFAULT_LOCALE, Content, ContentError, load_content
from shared.settings import Settings

if TYPE_CHECKING:
    from shared.models import InteractionModel

log = logging.getLogger(__name__)
CHECK_INTERVAL_SECONDS = 1.0
T = TypeVar("T")


@dataclass(frozen=True)
class Bundle:
    """What the phone answers with: content, interaction model, and the matcher over both."""

    content: Content
    model: "InteractionModel"

    @cached_property
    def matcher(self):  # -> shared.matcher.Matcher, built on first use (~30 ms)
        from shared.matcher import Matcher
        return Matcher(self.content, self.model)

    @cached_property
    def hints(self) -> str:
        """Twilio's speech hints for this content (the same on every turn)."""
        from shared.matcher import speech_hints
        return speech_hints(self.content)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


class _Slot(Generic[T]):
    """One value in service (e.g. en-US content): reloaded when its files' times change."""

    def __init__(self, files: Callable[[], tuple[Path, ...]], load: Callable[[bool], T], interval: float):
        """`load(schema)`: schema=False on the first load (a cold start: see build_content), True on a reload."""
        self.files, self.load, self.interval = files, load, interval
        self.value: T | None = None
        self.stamp: tuple[float, ...] | None = None   # file times last looked at, good or not
        self.checked = 0.0
        self.lock = threading.Lock()

    def get(self, force: bool = False) -> T:
        now = time.monotonic()
        if self.value is not None and not force and now - self.checked < self.interval:
            return self.value
        with self.lock:
            self.checked = now
            stamp = tuple(_mtime(f) for f in self.files())
            if self.value is not None and stamp == self.stamp:
                return self.value
            self.stamp = stamp  # a broken edit is reported once, not on every check
            try:
                new = self.load(self.value is not None)
            except ContentError as exc:
                if self.value is None:
                    raise
                for problem in exc.problems:
                    log.error("not loaded, the last good version stays in service: %s", problem)
                return self.value
            if new == self.value:  # e.g. a broken content edit left the bundle as it was
                return self.value
            if self.value is not None:
                log.info("reloaded %s", ", ".join(str(f) for f in self.files()))
            self.value = new
            return new


class Store:
    def __init__(self, content_dir: Path | None = None, models_dir: Path | None = None,
                 interval: float = CHECK_INTERVAL_SECONDS):
        self.content_dir = Path(content_dir or os.environ.get("CLINIC_CONTENT_DIR") or CONTENT_DIR)
        self.models_dir = Path(models_dir or os.environ.get("CLINIC_MODELS_DIR") or MODELS_DIR)
        self.interval = interval
        self.clinic_name = Settings.from_env().clinic_name
        self._slots: dict[tuple[str, str], _Slot] = {}
        self._lock = threading.Lock()

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
        return self._slot("content", locale).get()

    def current(self, locale: str = DEFAULT_LOCALE) -> Bundle:
        """Content and model in service (the model is checked against the content in service)."""
        return self._slot("bundle", locale).get()

    def reload(self) -> None:
        """Look at every file now (the SIGHUP handler calls this)."""
        for (kind, locale), slot in sorted(self._slots.items(), key=lambda item: item[0][0] != "content"):
            slot.get(force=True)

    def _slot(self, kind: str, locale: str) -> _Slot:
        slot = self._slots.get((kind, locale))
        if slot is None:
            with self._lock:
                slot = self._slots.setdefault((kind, locale), self._make(kind, locale))
        return slot

    def _make(self, kind: str, locale: str) -> _Slot:
        if kind == "content":
            return _Slot(lambda: self.paths(locale)[:1],
                         lambda schema: load_content(self.paths(locale)[0], self.clinic_name, schema), self.interval)
        return _Slot(lambda: self.paths(locale),
                     lambda schema: self._bundle(locale, schema), self.interval)

    def _bundle(self, locale: str, schema: bool = True) -> Bundle:
        from shared.model_check import load_checked_model  # the phone's path only: Alexa needs no model
        content = self.content(locale)
        return Bundle(content, load_checked_model(self.paths(locale)[1], content, schema))

    def check(self, locale: str = DEFAULT_LOCALE) -> Bundle:
        """The bundle in service, once its files passed every check, JSON Schema included (else
        ContentError): `clinic-voice serve` starts with this, as staff may have edited the files."""
        from shared.model_check import load_checked_model
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


def current(locale: str = DEFAULT_LOCALE) -> Bundle:
    return default_store().current(locale)


def current_content(locale: str = DEFAULT_LOCALE) -> Content:
    return default_store().content(locale)
