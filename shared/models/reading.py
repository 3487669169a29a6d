"""Alexa interaction models: reading them, and deriving their slot types from the content.

The same file feeds Alexa (through the console or ASK CLI) and the phone matcher, so staff
edit phrasing once: `interaction_models/<locale>.json`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from shared.core.content import Content, ContentError, Problem

CONDITION_TYPE = "ConditionType"
ACTIVITY_TYPE = "ActivityType"
# Which content section fills which custom slot type.
SLOT_TYPE_SOURCES = {CONDITION_TYPE: "conditions", ACTIVITY_TYPE: "activities"}


class IntentModel(NamedTuple):
    name: str
    samples: tuple[str, ...]
    slots: dict[str, str]  # slot name -> slot type


class InteractionModel(NamedTuple):
    source: str
    invocation_name: str
    intents: dict[str, IntentModel]
    types: dict[str, list[dict[str, Any]]]  # slot type name -> values


def read_model_json(path: Path) -> dict[str, Any]:
    """Parse a model file; a syntax error becomes a Problem naming file, line and column."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(str(path), "$", f"cannot read file: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise ContentError([Problem(str(path), "$", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    return data


def parse_model(data: Any, file: str) -> InteractionModel:
    """The parts of a model the code uses; a model of the wrong shape is refused with its path."""
    try:
        language = data["interactionModel"]["languageModel"]
        intents = {i["name"]: IntentModel(i["name"], tuple(i.get("samples", [])),
                                          {s["name"]: s["type"] for s in i.get("slots", [])})
                   for i in language["intents"]}
        types = {t["name"]: t.get("values", []) for t in language.get("types", [])}
        return InteractionModel(file, language["invocationName"], intents, types)
    except (KeyError, TypeError) as exc:
        raise ContentError([Problem(file, "$.interactionModel.languageModel",
                                    f"not an Alexa interaction model: missing or wrong {exc}")]) from None


def slot_values(content: Content, type_name: str) -> list[dict[str, Any]]:
    """The values of a custom slot type, derived from the content (ids are content keys)."""
    items = getattr(content, SLOT_TYPE_SOURCES[type_name])
    values = []
    for key, item in sorted(items.items()):
        value = key.replace("_", " ") if content.locale.startswith("en") else item.name.lower()  # keys are English
        synonyms = sorted({s for s in (item.name.lower(), *item.synonyms) if s != value})
        values.append({"id": key, "name": {"value": value, "synonyms": synonyms}})
    return values
