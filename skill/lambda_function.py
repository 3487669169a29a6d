"""AWS Lambda entry point of the Alexa skill: `skill/lambda_function.lambda_handler`.

Imports neither Flask nor the Twilio REST client, to keep cold starts short.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from shared.settings import Settings
from skill.handlers import apology_response, build_skill

log = logging.getLogger(__name__)
serializer = DefaultSerializer()
MAX_NESTING = 32  # Alexa's envelopes nest about 10 deep; the SDK's deepcopy fails far deeper


class WrongSkill(Exception):
    """The request was sent to another skill (or names none) while ALEXA_SKILL_ID is set."""


@lru_cache(maxsize=1)
def skill() -> CustomSkill:
    return build_skill()


def for_this_skill(event: Any, skill_id: str | None) -> bool:
    """With ALEXA_SKILL_ID set, only requests naming it are answered (both entry points ask this)."""
    return not skill_id or application_id(event) == skill_id


def application_id(event: Any) -> str | None:
    """context.System.application.applicationId of a raw envelope, if it has one."""
    try:
        value = event["context"]["System"]["application"]["applicationId"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """True if dicts and lists nest more than `limit` deep (level by level: no recursion to overflow)."""
    level = [value]
    for _ in range(limit + 1):
        level = [child for node in level if isinstance(node, (dict, list))
                 for child in (node.values() if isinstance(node, dict) else node)]
        if not level:
            return False
    return True


def flat_attributes(event: dict[str, Any]) -> dict[str, Any]:
    """The envelope with only the string session attributes the skill writes (State.to_dict)."""
    session = event.get("session")
    attributes = session.get("attributes") if isinstance(session, dict) else None
    if not isinstance(attributes, dict) or all(isinstance(v, str) for v in attributes.values()):
        return event
    flat = {k: v for k, v in attributes.items() if isinstance(v, str)}
    return {**event, "session": {**session, "attributes": flat}}


def handle_event(event: Any, context: Any = None) -> dict[str, Any]:
    """Answer one raw envelope (a dict) for this skill; any fault gets a spoken apology."""
    if not isinstance(event, dict) or too_deep(event):
        log.warning("Alexa envelope refused: not an object, or nested more than %d deep", MAX_NESTING)
        return apology_response()
    event = flat_attributes(event)
    try:
        envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    except Exception:  # the SDK raises several types for malformed envelopes
        log.warning("malformed Alexa envelope")
        return apology_response()
    if envelope is None or envelope.request is None:
        log.warning("Alexa envelope without a request")
        return apology_response()
    return serializer.serialize(skill().invoke(request_envelope=envelope, context=context))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Raises WrongSkill for a request to another skill (Lambda reports it; nothing is said)."""
    if not for_this_skill(event, Settings.from_env().alexa_skill_id):
        raise WrongSkill(f"request for another skill: {str(application_id(event))[:80]}")
    return handle_event(event, context)
