"""The content and interaction model in service, per locale, reloaded when staff edit the files.

A running server asks `current(locale)` on every request. At most once a second (or when told
to, e.g. on SIGHUP) it looks at the files' modification times; an edited file is loaded and
checked, and only a file that passes replaces the one in service. A broken edit is logged with
file and path, and the last good version keeps serving.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from interaction_models import MODELS_DIR
from shared.content import CONTENT_DIR, DEFAULT_LOCALE, Content, ContentError, load_content
from shared.model_check import load_checked_model
from shared.models import InteractionModel
from shared.settings import Settings

log = logging.getLogger(__name__)
CHECK_INTERVAL_SECONDS = 1.0


@dataclass(frozen=True)
class Bundle:
    """What one locale answers with: content, interaction model, and the phone matcher over both."""

    content: Content
    model: InteractionModel

    @cached_property
    def matcher(self):  # -> shared.matcher.Matcher (imported lazily: Alexa never needs it)
        from shared.matcher import Matcher
        return Matcher(self.content, self.model)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


class Store:
    def __init__(self, content_dir: Path | None = None, models_dir: Path | None = None,
                 interval: float = CHECK_INTERVAL_SECONDS):
        self.content_dir = Path(content_dir or os.environ.get("CLINIC_CONTENT_DIR") or CONTENT_DIR)
        self.models_dir = Path(models_dir or os.environ.get("CLINIC_MODELS_DIR") or MODELS_DIR)
        self.interval = interval
        self.clinic_name = Settings.from_env().clinic_name
        self._bundles: dict[str, Bundle] = {}
        self._checked: dict[str, float] = {}
        self._stamps: dict[str, tuple[float, float]] = {}  # file times last looked at, good or not
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

    def current(self, locale: str = DEFAULT_LOCALE) -> Bundle:
        """The bundle in service; the first call loads it and raises ContentError if it is broken."""
        now = time.monotonic()
        bundle = self._bundles.get(locale)
        if bundle is not None and now - self._checked.get(locale, 0.0) < self.interval:
            return bundle
        with self._lock:
            self._checked[locale] = now
            return self._refresh(locale)

    def reload(self) -> None:
        """Check every loaded locale now (the SIGHUP handler calls this)."""
        with self._lock:
            for locale in list(self._bundles):
                self._refresh(locale)

    def _refresh(self, locale: str) -> Bundle:
        content_file, model_file = self.paths(locale)
        stamp = (_mtime(content_file), _mtime(model_file))
        old = self._bundles.get(locale)
        if old is not None and self._stamps.get(locale) == stamp:
            return old
        self._stamps[locale] = stamp  # a broken edit is reported once, not on every check
        try:
            content = load_content(content_file, clinic_name=self.clinic_name)
            new = Bundle(content, load_checked_model(model_file, content))
            new.matcher  # build it now, off later requests' path, and prove it builds
        except ContentError as exc:
            if old is None:
                raise
            for problem in exc.problems:
                log.error("not loaded, the last good version stays in service: %s", problem)
            return old
        if old is not None:
            log.info("reloaded %s and %s", content_file, model_file)
        self._bundles[locale] = new
        return new


_default: Store | None = None
def default_store() -> Store:
    """The process-wide store (created on first use, so tests can set the environment first)."""
    global _default
    if _default is None:
        _default = Store()
    return _default


def current(locale: str = DEFAULT_LOCALE) -> Bundle:
    return default_store().current(locale)
