"""Alexa handlers: a thin adapter from request envelopes to the conversation core in `shared`.

One generic handler serves every intent the core knows (a table, not a class per intent; see
docs/architecture.md); classes exist only where behaviour differs: launch, session end, errors.
"""
from __future__ import annotations

import html
import logging
import re
from typing import Any

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response, ResponseEnvelope
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from shared.core import intents
from shared.core.content import DEFAULT_LOCALE, Content
from shared.core.dialogue import Reply, State, respond, welcome
from shared.settings import Settings
from shared.store import current_content

log = logging.getLogger(__name__)
MAX_SSML_CHARS = 8000  # Alexa refuses longer output speech
ENTITY_MATCH = StatusCode.ER_SUCCESS_MATCH


NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # XML 1.0 forbids these


def ssml(text: str) -> str:
    """Plain text as SSML: characters XML forbids dropped and the rest escaped, so '&', '<', quotes or
    control characters in content or slot values can't break it; cut to Alexa's limit first."""
    limit = MAX_SSML_CHARS - len("<speak></speak>")
    text = NOT_IN_XML.sub("", text)[:limit]
    body = html.escape(text)
    while len(body) > limit:  # escapes lengthened it: cut the text (never an escape in half) and again
        text = text[:len(text) - (len(body) - limit)]
        body = html.escape(text)
    return f"<speak>{body}</speak>"


def _content(handler_input: HandlerInput) -> Content:
    locale = getattr(handler_input.request_envelope.request, "locale", None) or DEFAULT_LOCALE
    return current_content(str(locale))


def render(handler_input: HandlerInput, reply: Reply) -> Response:
    """A Reply as an Alexa response: SSML speech, a Simple card, a reprompt while listening."""
    builder = handler_input.response_builder
    builder.speak(ssml(reply.speech)).set_card(SimpleCard(reply.card_title, reply.card_text))
    if reply.end:
        builder.set_should_end_session(True)
    else:
        builder.ask(ssml(reply.reprompt or reply.speech))
    if handler_input.request_envelope.session is not None:
        handler_input.attributes_manager.session_attributes = {} if reply.end else reply.state.to_dict()
    from skill.apl import show  # lazily: it builds on this module
    show(handler_input, reply)
    return builder.response


def session_state(handler_input: HandlerInput) -> State:
    """The conversation state carried in session attributes (none outside a session)."""
    session = handler_input.request_envelope.session
    return State.from_dict(getattr(session, "attributes", None) if session is not None else None)


def slot_value(slot: Any) -> str | None:
    """Entity resolution's canonical name first, then what the person said, else None."""
    if slot is None:
        return None
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        if getattr(getattr(authority, "status", None), "code", None) == ENTITY_MATCH and authority.values:
            return authority.values[0].value.name
    value = getattr(slot, "value", None)
    return value if isinstance(value, str) and value.strip() and value != "?" else None


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return render(handler_input, welcome(_content(handler_input)))


class IntentHandler(AbstractRequestHandler):
    """Every intent, known or not: the core answers unknown ones with its fallback."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = handler_input.request_envelope.request.intent
        name = getattr(intent, "name", None) or ""
        slots = {key: slot_value(slot) for key, slot in (getattr(intent, "slots", None) or {}).items()}
        state = session_state(handler_input)
        reply = respond(_content(handler_input), name, slots, state)
        log.info("alexa intent=%s answered=%s", name[:60], reply.intent)
        if name == intents.FALLBACK:
            count_fallback(getattr(handler_input.request_envelope.request, "locale", None) or DEFAULT_LOCALE)
        return render(handler_input, reply)


def count_fallback(locale: str) -> None:
    """Alexa's fallback carries no words: count it for the day (a failure is only logged)."""
    settings = Settings.from_env()
    if settings.review_log:
        from shared.followup.db import attempt, database
        from shared.followup.review import record_fallback
        attempt("fallback count", record_fallback, database(settings.database_url), "alexa", locale[:16])


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None)
        log.info("alexa session ended: reason=%s error=%s", getattr(request, "reason", None),
                 getattr(error, "object_type", None) or getattr(error, "type", None))
        return handler_input.response_builder.response


class OtherRequestHandler(AbstractRequestHandler):
    """Request types this skill doesn't use (e.g. a display event): answer briefly, don't crash."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("alexa request type not handled: %s", handler_input.request_envelope.request.object_type)
        return render(handler_input, respond(_content(handler_input), intents.FALLBACK))


class ApologyHandler(AbstractExceptionHandler):
    """Any error: apologise in speech and keep listening; the details go to the log only."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("alexa request failed")
        try:
            content = _content(handler_input)
            apology, listen = content.say("error"), content.say("reprompt")
        except Exception:  # the content itself may be what failed; say something all the same
            apology, listen = "Sorry, something went wrong. Please try again.", "What would you like to know?"
        builder = handler_input.response_builder
        return builder.speak(ssml(apology)).ask(ssml(listen)).response


def build_skill() -> CustomSkill:
    """The skill's handlers. The skill id is checked before (skill/lambda_function.py `for_this_skill`)."""
    from skill import apl, reminders  # they build on this module
    builder = CustomSkillBuilder(api_client=reminders.TimedApiClient())  # service clients: Reminders, Settings
    for handler in (LaunchHandler(), *reminders.HANDLERS, *apl.HANDLERS, IntentHandler(), SessionEndedHandler(),
                    OtherRequestHandler()):
        builder.add_request_handler(handler)
    builder.add_exception_handler(ApologyHandler())
    return builder.create()


def apology_response() -> dict[str, Any]:
    """A valid response envelope for a request that could not even be read."""
    content = current_content(DEFAULT_LOCALE)
    builder = ResponseFactory()
    builder.speak(ssml(content.say("error"))).ask(ssml(content.say("reprompt")))
    return DefaultSerializer().serialize(ResponseEnvelope(version="1.0", response=builder.response))
