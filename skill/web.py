"""The skill over HTTP: `POST /alexa`, with Alexa's request verification (a Flask blueprint)."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, jsonify, request

from skill.lambda_function import application_id, for_this_skill, handle_event, too_deep
from skill.verify import AlexaVerifier, VerificationFailed, load_roots

log = logging.getLogger(__name__)
alexa = Blueprint("alexa", __name__)


def _refuse(status: int, reason: str) -> Response:
    """A bare error: the reason goes to the log only (it would tell a prober which check failed)."""
    log.warning("alexa request refused (%s): %s", status, reason)
    return Response(status=status)


def _verifier() -> AlexaVerifier:
    """One verifier per app (its certificate cache lives as long as the app)."""
    ext = current_app.extensions
    if "alexa_verifier" not in ext:
        ext["alexa_verifier"] = AlexaVerifier(load_roots(current_app.config["SETTINGS"].alexa_trusted_roots))
    return ext["alexa_verifier"]


@alexa.post("/alexa")
def alexa_endpoint() -> Response:
    """Cheap checks first (envelope, skill id, then the verifier's URL and timestamp checks), so a
    forged request never costs a certificate download."""
    settings = current_app.config["SETTINGS"]
    body = request.get_data(cache=False)
    event = _json(body)
    if _request(event) is None:
        return _refuse(400, "not an Alexa request envelope (malformed or too deeply nested JSON, or no request object)")
    if not for_this_skill(event, settings.alexa_skill_id):
        return _refuse(400, f"request for another skill: {str(application_id(event))[:80]}")
    if settings.dev:
        log.warning("DEV MODE: Alexa request verification is OFF")
    else:
        try:
            _verifier().verify(body, request.headers.get("SignatureCertChainUrl"),
                               request.headers.get("Signature-256"), _timestamp(event))
        except VerificationFailed as exc:
            return _refuse(400, f"verification failed: {exc}")
    return jsonify(handle_event(event))


def _json(body: bytes) -> object:
    """The parsed body, or None if it is not JSON or nests deeper than any envelope does."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return None if too_deep(event) else event


def _request(event: object) -> dict | None:
    """The envelope's `request` object, if the body is an envelope with one."""
    request_ = event.get("request") if isinstance(event, dict) else None
    return request_ if isinstance(request_, dict) else None


def _timestamp(event: object) -> object:
    return (_request(event) or {}).get("timestamp")
