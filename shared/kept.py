"""Results kept on disk between processes, each with the key it was made from: a YAML file's parsed
data (key: the file's text) and the matcher's tokens of every sample utterance (key: checksums of the
samples, the word lists and the code that tokenises them).

A kept result is used only while its key is exactly the same, so any change is computed anew. Where
the folder can't be written (a Lambda package is read only: `content check` and `models check` before
packaging fill it), nothing is kept and nothing fails. They cut a new process's start: no YAML parser,
and no tokenising of two thousand samples (`python bench/run.py`, "matcher load").
"""
from __future__ import annotations

import json
import os
from pathlib import Path


def read_kept(path: Path, key: str) -> object | None:
    """What was kept in `path` for `key`, or None (nothing kept, another key, or an unreadable file)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("data") if isinstance(kept, dict) and kept.get("key") == key else None


def keep(path: Path, key: str, data: object, mode: int = 0o644) -> None:
    """Keep `data` for `key`, only if JSON gives it back unchanged (no dates, no keys that aren't
    strings...); `mode`: who may read it (the file it came from's, so Lambda can)."""
    try:
        text = json.dumps({"key": key, "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    if data is None or json.loads(text)["data"] != data:
        return
    from shared.models.build import write_atomically
    try:
        write_atomically(path, text)
        os.chmod(path, mode & 0o777)
    except OSError:
        pass  # a read-only package or a full disk: the next process computes it again
