"""Alexa reminders: ReminderIntent sets one through the Reminders API, asking for permission first.

The plan (which activity, which day, the words) is `shared.core.reminders`; this module only talks to
Alexa: the permission (a voice `Connections.SendRequest` AskFor, or a consent card), the device's
time zone (Settings API, `System.timeZone`) and the reminder itself, both at the request's
`apiEndpoint` through the service client factory. A failing API gets a spoken sentence, never an error.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from functools import partial
from urllib.parse import parse_qsl, urlencode

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse
from ask_sdk_model.ui import AskForPermissionsConsentCard

from shared.core import reminders
from shared.core.content import Content
from shared.settings import Settings
from skill.handlers import _content, render, session_state, slot_value, ssml

log = logging.getLogger(__name__)
SCOPE = "alexa::alerts:reminders:skill:readwrite"
API_TIMEOUT_SECONDS = 3.0  # Alexa waits 8 s for the whole answer


class TimedApiClient(ApiClient):
    """ask-sdk's DefaultApiClient with a timeout (it has none), imported on first use: it pulls in
    `requests`, which most requests (and so the Lambda cold start) never need."""

    def __init__(self, timeout: float = API_TIMEOUT_SECONDS):
        self.timeout, self._client = timeout, None

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        if self._client is None:
            from ask_sdk_core.api_client import DefaultApiClient

            class Timed(DefaultApiClient):
                def _resolve_method(inner, req):  # noqa: N805 (the SDK's own hook)
                    return partial(super()._resolve_method(req), timeout=self.timeout)

            self._client = Timed()
        return self._client.invoke(request)


def granted(handler_input: HandlerInput) -> bool:
    """context.System.user.permissions.scopes[SCOPE].status == GRANTED."""
    user = getattr(handler_input.request_envelope.context.system, "user", None)
    scopes = getattr(getattr(user, "permissions", None), "scopes", None) or {}
    status = getattr(scopes.get(SCOPE), "status", None)
    return getattr(status, "value", status) == "GRANTED"


def device_zone(handler_input: HandlerInput, settings: Settings):
    """The device's time zone from the Settings API; CLINIC_TIMEZONE when it can't be read."""
    name = None
    try:
        device_id = handler_input.request_envelope.context.system.device.device_id
        name = handler_input.service_client_factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as exc:  # no device, no token, an API error or a timeout: the clinic's zone will do
        log.info("alexa time zone not read: %s", type(exc).__name__)
    return reminders.zone(name if isinstance(name, str) else None, settings.clinic_timezone)


def request_time(handler_input: HandlerInput) -> datetime:
    """The request's timestamp (Alexa's clock), else now."""
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def failure_phrase(exc: Exception) -> str:
    """The sentence for a failed call to the Reminders API, by HTTP status."""
    status = getattr(exc, "status_code", None)
    if status in (401, 403):
        return "reminder_not_allowed"
    return "reminder_busy" if status == 429 else "reminder_failed"


def reminder_request(handler_input: HandlerInput, plan: reminders.Plan, now: datetime):
    from ask_sdk_model.services.reminder_management import (
        AlertInfo, PushNotification, PushNotificationStatus, ReminderRequest, SpokenInfo, SpokenText, Trigger,
        TriggerType)
    locale = str(getattr(handler_input.request_envelope.request, "locale", None) or "en-US")
    trigger = Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=plan.at.replace(tzinfo=None),
                      time_zone_id=plan.at.tzinfo.key)  # type: ignore[union-attr]
    return ReminderRequest(request_time=now.replace(tzinfo=None), trigger=trigger,
                           alert_info=AlertInfo(SpokenInfo([SpokenText(locale=locale, text=plan.text)])),
                           push_notification=PushNotification(PushNotificationStatus.ENABLED))


def ask_permission(handler_input: HandlerInput, slots: dict[str, str]) -> Response:
    """Ask by voice (AskFor); the reminder asked for rides in the token to the Connections.Response."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective
    payload = {"@type": "AskForPermissionsConsentRequest", "@version": "1", "permissionScope": SCOPE}
    directive = SendRequestDirective(name="AskFor", payload=payload, token=urlencode(sorted(slots.items())))
    return handler_input.response_builder.add_directive(directive).response


def consent_card(handler_input: HandlerInput, content: Content) -> Response:
    """For a device that can't ask by voice: the Alexa app's consent card, and why."""
    said = content.say("reminder_permission")
    builder = handler_input.response_builder
    builder.speak(ssml(said)).set_card(AskForPermissionsConsentCard(permissions=[SCOPE]))
    return builder.set_should_end_session(True).response


def set_reminder(handler_input: HandlerInput, slots: dict[str, str], accepted: bool = False) -> Response:
    """Plan, check the permission, read the time zone, create the reminder; say what happened.
    `accepted`: the person just said yes to AskFor (never ask twice in a row)."""
    content, settings = _content(handler_input), Settings.from_env()
    activity, days = slots.get("activity"), reminders.days_of(slots)
    now = request_time(handler_input)
    outcome = reminders.plan(content, activity, days, now.astimezone(reminders.zone(None, settings.clinic_timezone)))
    if outcome.kind is not reminders.Kind.DUE:  # nothing to set: no permission needed to say so
        return render(handler_input, reminders.reply(content, outcome, slots))
    if not (accepted or granted(handler_input)):
        log.info("alexa reminder: permission missing, asking")
        return ask_permission(handler_input, slots)
    outcome = reminders.plan(content, activity, days, now.astimezone(device_zone(handler_input, settings)))
    if outcome.plan is None:
        return render(handler_input, reminders.reply(content, outcome, slots))
    try:
        client = handler_input.service_client_factory.get_reminder_management_service()
        client.create_reminder(reminder_request(handler_input, outcome.plan, now.astimezone(outcome.plan.at.tzinfo)))
    except Exception as exc:  # ServiceException (HTTP status) or ApiClientException (network, timeout)
        log.warning("alexa reminder not set: %s %s", type(exc).__name__, getattr(exc, "status_code", ""))
        phrase = failure_phrase(exc)
        response = render(handler_input, reminders.reply(content, outcome, slots, content.say(phrase)))
        if phrase == "reminder_not_allowed":  # the way to allow it: the consent card in the Alexa app
            response.card = AskForPermissionsConsentCard(permissions=[SCOPE])
        return response
    log.info("alexa reminder set: activity=%s", outcome.plan.activity.key)
    return render(handler_input, reminders.reply(content, outcome, slots))


def intent_slots(handler_input: HandlerInput) -> dict[str, str]:
    intent = handler_input.request_envelope.request.intent
    slots = {key: slot_value(slot) for key, slot in (getattr(intent, "slots", None) or {}).items()}
    return {key: value for key, value in slots.items() if value}


class ReminderHandler(AbstractRequestHandler):
    """ReminderIntent, or an activity named right after "What should I remind you about?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_request_type("IntentRequest")(handler_input):
            return False
        request = handler_input.request_envelope.request
        wanted = reminders.requested(getattr(request.intent, "name", "") or "", intent_slots(handler_input),
                                     session_state(handler_input))
        return wanted is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        slots = reminders.requested(request.intent.name, intent_slots(handler_input), session_state(handler_input))
        return set_reminder(handler_input, slots or {})


class PermissionResponseHandler(AbstractRequestHandler):
    """The answer to AskFor: accepted sets the reminder asked for; denied says so; a device that
    could not ask gets the consent card."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return is_request_type("Connections.Response")(handler_input) and getattr(request, "name", None) == "AskFor"

    def handle(self, handler_input: HandlerInput) -> Response:
        request, content = handler_input.request_envelope.request, _content(handler_input)
        answer = (getattr(request, "payload", None) or {}).get("status")
        code = str(getattr(getattr(request, "status", None), "code", "") or "")
        log.info("alexa permission answer: code=%s status=%s", code[:4], str(answer)[:20])
        if code not in ("", "200"):
            return consent_card(handler_input, content)
        slots = {k: v for k, v in parse_qsl(str(getattr(request, "token", "") or ""))[:4] if k in ("activity", "days")}
        if answer == "ACCEPTED" or granted(handler_input):
            return set_reminder(handler_input, slots, accepted=True)
        said = content.say("reminder_denied")
        return render(handler_input, reminders.reply(content, reminders.Outcome(reminders.Kind.NO_WAIT, said), slots))


HANDLERS: tuple[AbstractRequestHandler, ...] = (ReminderHandler(), PermissionResponseHandler())

