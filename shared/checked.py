"""A record of the shipped files that passed every check, so a cold start need not check them again.

`clinic-voice models build` writes `checked.json` beside the models: for each content and model file,
a fingerprint of its bytes together with the schemas and check code that passed it. At load time a
file whose fingerprint is in the record skips re-validation (no jsonschema import, no model checks:
about 130 ms of a Lambda cold start). Any edit, to the file or to a schema, changes the fingerprint,
and the file is checked in full as before. `models build --check` (CI) fails when the record is stale.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
RECORD_PATH = PACKAGE_DIR.parent / "interaction_models" / "checked.json"
# Whatever decides whether a file passes: a change to any of these invalidates the record.
CHECKERS = ("schema/content.schema.json", "schema/interaction-model.schema.json", "content.py", "model_check.py",
            "models.py", "dialogue.py")


@lru_cache(maxsize=1)
def _checker_digest() -> bytes:
    digest = hashlib.sha256()
    for name in CHECKERS:
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.digest()


def fingerprint(*files: Path) -> str:
    """One fingerprint over the checkers and the given files' bytes (a model is checked against content)."""
    return fingerprint_bytes(*(Path(file).read_bytes() for file in files))


def fingerprint_bytes(*blobs: bytes) -> str:
    digest = hashlib.sha256(_checker_digest())
    for blob in blobs:
        digest.update(hashlib.sha256(blob).digest())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _record(path: Path = RECORD_PATH) -> dict[str, Any]:
    """{fingerprint: parsed data or None}: what passed, with the content already parsed."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return {fp: record["parsed"].get(fp) for fp in record["checked"]}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def already_checked(*files: Path) -> bool:
    try:
        return fingerprint(*files) in _record()
    except OSError:
        return False


def parsed(file: Path) -> tuple[bool, Any]:
    """(True, data) when `file` passed the checks as it is now; its parsed data if recorded."""
    try:
        fp = fingerprint(file)
    except OSError:
        return False, None
    record = _record()
    return fp in record, record.get(fp)


def record_text(checked: list[str], parsed_data: dict[str, Any], derived: dict[str, str]) -> str:
    """`derived`: each built file's name and the digest of what `models build` wrote to it."""
    return json.dumps({"checked": sorted(set(checked)), "parsed": parsed_data, "derived": derived},
                      indent=2, sort_keys=True) + "\n"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def built_digests(path: Path = RECORD_PATH) -> dict[str, str]:
    """{file name: digest} of the derived files as `models build` last wrote them (empty if unknown)."""
    try:
        derived = json.loads(path.read_text(encoding="utf-8")).get("derived")
    except (OSError, ValueError, AttributeError):
        return {}
    return derived if isinstance(derived, dict) else {}
