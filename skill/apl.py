"""Screens: every answer, and each aftercare step, also shown on devices with APL.

`show` adds an `Alexa.Presentation.APL.RenderDocument` directive (the document in `apl/answer.json`)
when the device's supportedInterfaces include `Alexa.Presentation.APL`; devices without a screen get
none. Touching "Next" on screen sends a UserEvent that `NextButtonHandler` answers like saying "next".
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from shared.core import intents
from shared.core.dialogue import Reply, respond
from skill.handlers import _content, render, session_state

DOCUMENT_PATH = Path(__file__).resolve().parent / "apl" / "answer.json"
TOKEN = "clinicAnswer"
NEXT = "next"            # the SendEvent argument of the Next button
NEXT_LABEL = "Next"


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def has_screen(handler_input: HandlerInput) -> bool:
    device = getattr(handler_input.request_envelope.context.system, "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def datasource(handler_input: HandlerInput, reply: Reply) -> dict[str, Any]:
    """What the document shows: the step text and "Step 2 of 6" while reading the steps, else the answer."""
    content = _content(handler_input)
    step, steps = reply.state.step, content.aftercare_steps
    reading = step is not None and 0 <= step < len(steps)
    label = content.say("aftercare_step", number=step + 1, total=len(steps), step="").strip() if reading else ""
    return {"answer": {"clinic": content.clinic_name, "title": reply.card_title,
                       "step": label.rstrip("."), "text": steps[step] if reading else reply.card_text,
                       "next": bool(reading and step < len(steps) - 1), "nextLabel": NEXT_LABEL}}


def show(handler_input: HandlerInput, reply: Reply) -> None:
    """Add the RenderDocument directive for `reply` if the device has a screen."""
    if reply.end or not has_screen(handler_input):
        return
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
    handler_input.response_builder.add_directive(
        RenderDocumentDirective(token=TOKEN, document=document(), datasources=datasource(handler_input, reply)))


class NextButtonHandler(AbstractRequestHandler):
    """The Next button: the same as saying "next"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (is_request_type("Alexa.Presentation.APL.UserEvent")(handler_input)
                and NEXT in (getattr(request, "arguments", None) or []))

    def handle(self, handler_input: HandlerInput) -> Response:
        return render(handler_input, respond(_content(handler_input), intents.NEXT, {}, session_state(handler_input)))


HANDLERS: tuple[AbstractRequestHandler, ...] = (NextButtonHandler(),)
