"""The skill over HTTP: `POST /alexa`, with Alexa's request verification (a Flask blueprint)."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, jsonify, request

from skill.lambda_function import WrongSkill, handle_event
from skill.verify import AlexaVerifier, VerificationFailed, load_roots

log = logging.getLogger(__name__)
alexa = Blueprint("alexa", __name__)


def _refuse(status: int, reason: str) -> Response:
    log.warning("alexa request refused (%s): %s", status, reason)
    response = jsonify(error=reason)
    response.status_code = status
    return response


def _verifier() -> AlexaVerifier:
    """One verifier per app (its certificate cache lives as long as the app)."""
    ext = current_app.extensions
    if "alexa_verifier" not in ext:
        ext["alexa_verifier"] = AlexaVerifier(load_roots(current_app.config["SETTINGS"].alexa_trusted_roots))
    return ext["alexa_verifier"]


@alexa.post("/alexa")
def alexa_endpoint() -> Response:
    settings = current_app.config["SETTINGS"]
    body = request.get_data(cache=False)
    event = _json(body)
    if settings.dev:
        log.warning("DEV MODE: Alexa request verification is OFF")
    else:
        try:
            _verifier().verify(body, request.headers.get("SignatureCertChainUrl"),
                               request.headers.get("Signature-256"), _timestamp(event))
        except VerificationFailed as exc:
            return _refuse(400, f"verification failed: {exc}")
    if _request(event) is None:
        return _refuse(400, "not an Alexa request envelope (malformed JSON or no request object)")
    try:
        return jsonify(handle_event(event, skill_id=settings.alexa_skill_id))
    except WrongSkill as exc:
        return _refuse(400, str(exc))


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _request(event: object) -> dict | None:
    """The envelope's `request` object, if the body is an envelope with one."""
    request_ = event.get("request") if isinstance(event, dict) else None
    return request_ if isinstance(request_, dict) else None


def _timestamp(event: object) -> object:
    return (_request(event) or {}).get("timestamp")
