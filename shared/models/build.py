"""Deriving files from the sources staff edit: slot types from the content, other English locales
from en-US, and an ASK CLI project for `ask deploy`. Writes are deterministic and atomic."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from interaction_models import MODELS_DIR
from shared.core.content import Content, ContentError, Problem
from shared.models.checks import check_model_data
from shared.models.reading import SLOT_TYPE_SOURCES, read_model_json, slot_values

SOURCE_LOCALE = "en-US"
DERIVED_LOCALES = ("en-GB", "en-CA", "en-AU", "en-IN")
# What `models build` last wrote to each derived model (a digest each), so a hand edit there is
# reported instead of overwritten. It records outputs only: editing code never makes it stale.
BUILT_RECORD = "built.json"
OWN_SOURCE_LOCALES = ("es-US",)  # written for their speakers, with their own content: not derived from en-US
MANIFEST_PATH = MODELS_DIR / "skill.json"
MANIFEST_SETTINGS = ("CLINIC_PRIVACY_POLICY_URL", "ALEXA_ENDPOINT")
SSL_CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")
ASK_RESOURCES = {"askcliResourcesVersion": "2020-03-31",
                 "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}}}


def dumps(data: Any) -> str:
    """The one JSON layout for every file we write: 2-space indent, trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a crash leaves the old file or the new one.
    Text is written as UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode() if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def with_derived_types(model: dict[str, Any], content: Content) -> dict[str, Any]:
    """The model with its custom slot types (conditions, activities) rebuilt from the content."""
    out = copy.deepcopy(model)
    lm = out["interactionModel"]["languageModel"]
    kept = [t for t in lm.get("types", []) if t["name"] not in SLOT_TYPE_SOURCES]
    derived = [{"name": name, "values": slot_values(content, name)} for name in sorted(SLOT_TYPE_SOURCES)]
    lm["types"] = sorted(kept + derived, key=lambda t: t["name"])
    return out


def derived_files(content: Content, models_dir: Path = MODELS_DIR) -> dict[Path, str]:
    """Every derived model file and the text it should have, in a stable order. ContentError (file,
    path, reason) if the source model fails its checks: nothing is derived from a broken source."""
    source_path = models_dir / f"{SOURCE_LOCALE}.json"
    source = with_derived_types(read_model_json(source_path), content)
    errors = [f.problem for f in check_model_data(source, str(source_path), content) if f.error]
    if errors:
        raise ContentError(errors)
    text = dumps(source)
    files = {models_dir / f"{locale}.json": text for locale in (SOURCE_LOCALE, *DERIVED_LOCALES)}
    files.update({path: model_text for path, _, model_text in own_source_models(content, models_dir)})
    files[models_dir / BUILT_RECORD] = dumps({f"{locale}.json": _digest(text) for locale in DERIVED_LOCALES})
    return files


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _built_digests(models_dir: Path) -> dict[str, str]:
    """{file name: digest} of the derived models as `models build` last wrote them (empty if unknown)."""
    try:
        built = json.loads((models_dir / BUILT_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return built if isinstance(built, dict) else {}


def hand_edited(models_dir: Path = MODELS_DIR) -> list[Problem]:
    """Derived models that differ from what `models build` last wrote: someone edited them by hand,
    and the next build would silently overwrite the edit."""
    built = _built_digests(models_dir)
    problems = []
    for locale in DERIVED_LOCALES:
        path = models_dir / f"{locale}.json"
        if path.name in built and path.exists() and _digest(path.read_text(encoding="utf-8")) != built[path.name]:
            problems.append(Problem(str(path), "$", f"edited by hand, but {locale} is built from {SOURCE_LOCALE}: "
                                    f"make the change in {models_dir / (SOURCE_LOCALE + '.json')}, then run "
                                    "clinic-voice models build (which would overwrite this file)"))
    return problems


def own_source_models(content: Content, models_dir: Path = MODELS_DIR) -> list[tuple[Path, Path, str]]:
    """(model file, content file, model text) of each own-source model (es-US), its slot types rebuilt
    from its own locale's content."""
    from shared.core.content import load_content
    out = []
    for locale in OWN_SOURCE_LOCALES:
        path, content_file = models_dir / f"{locale}.json", Path(content.source).with_name(f"{locale}.yaml")
        if not path.exists() or not content_file.exists():
            continue
        own_content = load_content(content_file)
        model = with_derived_types(read_model_json(path), own_content)
        errors = [f.problem for f in check_model_data(model, str(path), own_content) if f.error]
        if errors:
            raise ContentError(errors)
        out.append((path, content_file, dumps(model)))
    return out


def out_of_date(files: Mapping[Path, str]) -> list[Path]:
    return [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]


def build(files: Mapping[Path, str]) -> list[Path]:
    """Write the files that changed; returns them."""
    changed = out_of_date(files)
    for path in changed:
        write_atomically(path, files[path])
    return changed


def check_export_settings(settings: Mapping[str, str]) -> None:
    """ValueError saying what is wrong: the privacy policy must be an https URL, the endpoint a Lambda
    ARN or an https URL, the certificate type one the ASK manifest knows."""
    if not _https(settings.get("CLINIC_PRIVACY_POLICY_URL", "")):
        raise ValueError("CLINIC_PRIVACY_POLICY_URL must be an https:// URL")
    endpoint = settings.get("ALEXA_ENDPOINT", "")
    if not (endpoint.startswith("arn:aws:lambda:") or _https(endpoint)):
        raise ValueError("ALEXA_ENDPOINT must be a Lambda ARN (arn:aws:lambda:...) or an https:// URL")
    if settings.get("ALEXA_SSL_CERTIFICATE_TYPE", "Trusted") not in SSL_CERTIFICATE_TYPES:
        raise ValueError(f"ALEXA_SSL_CERTIFICATE_TYPE must be one of {', '.join(SSL_CERTIFICATE_TYPES)}")


def _https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in url)


def manifest(settings: Mapping[str, str], locales: list[str]) -> dict[str, Any]:
    """skill.json with ${SETTINGS} filled in and every model locale published; KeyError names a missing
    setting, ValueError a wrong one. An https endpoint gets the sslCertificateType the manifest requires."""
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    missing = [name for name in MANIFEST_SETTINGS if f"${{{name}}}" in text and not settings.get(name)]
    if missing:
        raise KeyError(", ".join(missing))
    check_export_settings(settings)
    data = json.loads(re.sub(r"\$\{(\w+)\}", lambda m: json.dumps(settings[m.group(1)])[1:-1], text))
    endpoint = data["manifest"]["apis"]["custom"]["endpoint"]
    if endpoint["uri"].startswith("https://"):
        endpoint["sslCertificateType"] = settings.get("ALEXA_SSL_CERTIFICATE_TYPE", "Trusted")
    info = data["manifest"]["publishingInformation"]["locales"]
    privacy = data["manifest"]["privacyAndCompliance"]["locales"]
    for locale in locales:
        info.setdefault(locale, copy.deepcopy(info[SOURCE_LOCALE]))
        privacy.setdefault(locale, copy.deepcopy(privacy[SOURCE_LOCALE]))
    return data


def model_locales(models_dir: Path = MODELS_DIR) -> list[str]:
    return sorted(p.stem for p in models_dir.glob("*.json") if re.fullmatch(r"[a-z]{2}-[A-Z]{2}", p.stem))


def export_files(target: Path, settings: Mapping[str, str], models_dir: Path = MODELS_DIR) -> dict[Path, str]:
    """An ASK CLI project: ask-resources.json, skill-package/skill.json and the interaction models."""
    locales = model_locales(models_dir)
    files = {target / "ask-resources.json": dumps(ASK_RESOURCES),
             target / "skill-package" / "skill.json": dumps(manifest(settings, locales))}
    for locale in locales:
        files[target / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"] = \
            (models_dir / f"{locale}.json").read_text(encoding="utf-8")
    return files
