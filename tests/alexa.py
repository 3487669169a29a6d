"""Builds Alexa request envelopes shaped like Amazon's documented examples, and plays a user."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Callable

SKILL_ID = "amzn1.ask.skill.00000000-1111-2222-3333-444444444444"


def envelope(request: dict[str, Any], *, attributes: dict | None = None, new: bool = False,
             skill_id: str = SKILL_ID, locale: str = "en-US", session: bool = True,
             system: dict[str, Any] | None = None, now: datetime | None = None) -> dict[str, Any]:
    """`system` replaces keys of context.System (apiEndpoint, user permissions, device); `now` the timestamp."""
    app = {"applicationId": skill_id}
    user = {"userId": "amzn1.ask.account.TESTUSER"}
    request = {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
               "timestamp": (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "locale": locale, **request}
    body: dict[str, Any] = {
        "version": "1.0",
        "context": {"System": {"application": app, "user": user,
                               "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
                               "apiEndpoint": "https://api.amazonalexa.com", "apiAccessToken": "token",
                               **(system or {})}},
        "request": request,
    }
    if session:
        body["session"] = {"new": new, "sessionId": "amzn1.echo-api.session.TEST", "application": app,
                           "attributes": attributes or {}, "user": user}
    return body


def slot(name: str, value: str | None, resolved: tuple[str, str] | None = None, type_name: str = "ConditionType",
         status: str = "ER_SUCCESS_MATCH") -> dict[str, Any]:
    """A slot as Alexa sends it; `resolved` = (id, canonical name) from entity resolution."""
    out: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        out["value"] = value
    if resolved or status != "ER_SUCCESS_MATCH":
        values = [{"value": {"id": resolved[0], "name": resolved[1]}}] if resolved else []
        out["resolutions"] = {"resolutionsPerAuthority": [{
            "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{type_name}",
            "status": {"code": status}, "values": values}]}
    return out


def intent_request(name: str, slots: dict[str, dict] | None = None) -> dict[str, Any]:
    return {"type": "IntentRequest", "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots or {}}}


LAUNCH = {"type": "LaunchRequest"}


class AlexaUser:
    """Talks to a handler (lambda_handler or the web endpoint), carrying session attributes."""

    def __init__(self, handler: Callable[[dict], dict], system: dict[str, Any] | None = None,
                 now: datetime | None = None, locale: str = "en-US"):
        self.handler, self.attributes, self.new, self.locale = handler, {}, True, locale
        self.system, self.now = system, now  # the device and the clock (see `envelope`)

    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        out = self.handler(envelope(request, attributes=self.attributes, new=self.new, system=self.system, now=self.now,
                                    locale=self.locale))
        self.new = False
        self.attributes = out.get("sessionAttributes") or {}
        return out

    def launch(self) -> dict[str, Any]:
        return self.send(LAUNCH)

    def say(self, intent: str, **slots: str) -> dict[str, Any]:
        return self.send(intent_request(intent, {k: slot(k, v) for k, v in slots.items()}))


def speech(response: dict[str, Any]) -> str:
    """The SSML of a response, checked to be well-formed XML, returned as plain text."""
    from xml.etree import ElementTree
    ssml = response["response"]["outputSpeech"]["ssml"]
    return "".join(ElementTree.fromstring(ssml).itertext())


def reprompt(response: dict[str, Any]) -> str | None:
    from xml.etree import ElementTree
    rp = response["response"].get("reprompt")
    return "".join(ElementTree.fromstring(rp["outputSpeech"]["ssml"]).itertext()) if rp else None
