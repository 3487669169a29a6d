"""The phone line's webhook (blueprint `phone`, under /ivr/): one call turn per request.

Twilio posts the caller's speech (`SpeechResult`) or key (`Digits`) to the action URL of the last
<Gather>; the conversation state rides in that URL's query string (Twilio signs it, so it can't
be forged). Every request's X-Twilio-Signature is checked first (see `check_signature`).
"""
from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, current_app, g, request
from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException

from ivr import sms, twiml
from ivr.language import SPANISH, call_locale, lang_query, language_offer, wants_spanish
from shared.dialogue import Reply, State, confirm, respond, welcome
from shared.matcher import OUT_OF_SCOPE, Decision, Match
from shared.store import Bundle, current

log = logging.getLogger(__name__)
phone = Blueprint("phone", __name__, url_prefix="/ivr")
TURN_PATH = "/ivr/turn"
TEXT_ME = "TextMe"            # phone-only: send the aftercare steps by text message
MISSES_BEFORE_TRANSFER = 2
MAX_SPEECH_CHARS = 500
LOW_CONFIDENCE = 0.4  # Twilio's speech Confidence below this: a topic is confirmed, not answered

NAVIGATION_KEYS = {"1": "AMAZON.NextIntent", "2": "AMAZON.RepeatIntent", "3": "AMAZON.PreviousIntent", "9": TEXT_ME}
OFFER_KEYS = {"1": "AMAZON.YesIntent", "2": "AMAZON.NoIntent"}


@dataclass(frozen=True)
class Heard:
    """What the caller's turn amounts to."""

    intent: str | None = None
    slots: dict | None = None
    unsure: bool = False       # ask to confirm before answering
    miss: str | None = None    # "no_input", "no_match", "fallback" (out of scope) or "no_key" (a key that means nothing now)


def xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def settings():
    return current_app.config["SETTINGS"]


# ---------------------------------------------------------------- security

@phone.before_request
def check_signature() -> None:
    """403 unless X-Twilio-Signature matches the public URL Twilio called and the posted form."""
    if settings().dev:
        log.warning("DEV MODE: Twilio signature check is OFF")
        return
    query = request.query_string.decode("latin-1")
    base = (settings().public_url or request.host_url).rstrip("/")
    url = f"{base}{request.path}" + (f"?{query}" if query else "")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not signature_matches(settings().twilio_auth_token, url, form(), signature):
        log.warning("refused request with a missing or wrong Twilio signature: path=%s", request.path)
        abort(403)


@lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def signature_matches(token: str, url: str, form: dict[str, str], signature: str) -> bool:
    """One HMAC for the exact URL first; twilio's full check (with and without :443) only if that fails."""
    validator = _validator(token)
    return hmac.compare_digest(validator.compute_signature(url, form), signature) or \
        validator.validate(url, form, signature)


def form() -> dict[str, str]:
    """Twilio's urlencoded POST fields, parsed once per request (werkzeug's form parser costs ~0.2 ms)."""
    if "form" not in g:
        body = request.get_data(cache=True).decode("utf-8", errors="replace")
        try:
            g.form = dict(parse_qsl(body, keep_blank_values=True, max_num_fields=100))
        except ValueError:
            abort(400, "too many form fields")
    return g.form


@lru_cache(maxsize=1024)
def state_in(query: bytes) -> tuple[State, int]:
    """The conversation state and the misses in a row, from the action URL's query string (signed, so
    ours; calls pass through a few hundred distinct ones, and parsing them is slow)."""
    try:
        args = dict(parse_qsl(query.decode("utf-8", errors="replace"), max_num_fields=20))
    except ValueError:
        args = {}
    miss = args.get("miss", "")
    return State.from_dict(args), int(miss) if miss.isdigit() and len(miss) == 1 else 0


def call_sid() -> str:
    sid = form().get("CallSid", "")
    if not sid:
        abort(400, "CallSid is missing")
    return sid[:64]


# ---------------------------------------------------------------- understanding a turn

def key_map(bundle: Bundle, state: State) -> dict[str, str]:
    """Which key means what right now: yes/no for a question, navigation in aftercare, else the menu."""
    if state.offer:
        keys = dict(OFFER_KEYS)
        if state.step is not None:
            keys.update({"3": "AMAZON.PreviousIntent", "9": TEXT_ME})
    elif state.step is not None:
        keys = dict(NAVIGATION_KEYS)
    else:
        keys = dict(bundle.content.phone["menu"])
    keys["0"] = "FrontDeskIntent"
    return keys


def hear(bundle: Bundle, state: State, digits: str, speech: str, confidence: float) -> tuple[Heard, Match | None]:
    """A key by what it means now; speech through the matcher. A topic heard with low confidence is
    confirmed; a problem report or a command never waits for a confirmation."""
    if digits:
        intent = key_map(bundle, state).get(digits[:1])
        return (Heard(intent) if intent else Heard(miss="no_key")), None
    if not speech:
        return Heard(miss="no_input"), None
    match = bundle.matcher.match(speech[:MAX_SPEECH_CHARS])
    if match.intent is None:
        return Heard(miss="fallback" if match.candidate == OUT_OF_SCOPE else "no_match"), match
    doubtful_topic = confidence < LOW_CONFIDENCE and match.intent in bundle.content.phrases["topic_names"]
    unsure = match.decision is Decision.CONFIRM or doubtful_topic
    return Heard(match.intent, match.slots, unsure=unsure), match


def speech_confidence(value: str) -> float:
    """Twilio's Confidence (0 to 1); missing or odd means no doubt from it."""
    try:
        number = float(value)
    except ValueError:
        return 1.0
    return number if 0.0 <= number <= 1.0 else 1.0


# ---------------------------------------------------------------- saying it

def keys_words(bundle: Bundle, state: State, full: bool = True) -> str:
    """The keys that work now. In the aftercare steps the full list is said once, with the first
    step (and again on help or a miss); later steps end with the spoken hint alone."""
    phone_says = bundle.content.phone_says
    if state.offer and state.offer.intent == "FrontDeskIntent":
        return phone_says("safety_keys")
    if state.offer and state.step is not None:
        return phone_says("aftercare_keys_last")
    if state.offer:
        return phone_says("offer_keys")
    if state.step is not None:
        return phone_says("aftercare_keys") if full else ""
    return phone_says("after_answer")


def listen(bundle: Bundle, text: str, state: State, misses: int = 0, then: tuple[str, str, str] | None = None) -> Response:
    query = state.to_dict() | ({"miss": str(misses)} if misses else {}) | lang_query(bundle)
    return xml(twiml.gather(bundle.content, text, twiml.action_url(TURN_PATH, query), bundle.hints, then))


def transfer(bundle: Bundle, before: str = "") -> Response:
    """To the front desk; with no number configured, promise a call back and end politely."""
    number, phone_says = settings().front_desk_number, bundle.content.phone_says
    if number:
        return xml(twiml.dial(bundle.content, f"{before} {phone_says('transfer')}".strip(), number))
    return xml(twiml.hang_up(bundle.content, f"{before} {phone_says('callback')}".strip()))


def answer(bundle: Bundle, reply: Reply) -> Response:
    if reply.intent == "FrontDeskIntent":
        return transfer(bundle)
    if reply.end:
        return xml(twiml.hang_up(bundle.content, reply.speech))
    first_look = reply.state.step in (None, 0) or reply.intent == "AMAZON.HelpIntent"
    return listen(bundle, f"{reply.speech} {keys_words(bundle, reply.state, full=first_look)}".strip(), reply.state)


def missed(bundle: Bundle, state: State, misses: int, kind: str) -> Response:
    """No input or no match: re-prompt differently; after the second miss in a row, the front desk.
    A key that means nothing now repeats the keys that do (it is no miss of understanding)."""
    c = bundle.content
    if kind == "no_key":
        return listen(bundle, f"{c.phone_says('no_key')} {keys_words(bundle, state)}", state, misses)
    misses += 1
    if misses >= MISSES_BEFORE_TRANSFER:
        return transfer(bundle)
    if kind == "fallback":
        return listen(bundle, f"{c.say('fallback')} {c.phone_says('after_answer')}", replace(state, offer=None), misses)
    keep = state if kind == "no_input" else replace(state, offer=None)
    keys = keys_words(bundle, keep) if keep.step is not None or keep.offer else ""
    return listen(bundle, f"{c.phone_says(kind)} {keys}".strip(), keep, misses)


def text_steps(bundle: Bundle, state: State) -> Response:
    c = bundle.content
    body = c.phone_says("sms_body", steps=" ".join(f"{i}. {s}" for i, s in enumerate(c.aftercare_steps, 1)))
    sent = sms.send_text(settings(), form().get("From", ""), body)
    said = c.phone_says("sms_sent" if sent else "sms_failed")
    reply = respond(c, "AMAZON.RepeatIntent", {}, replace(state, offer=None)) if state.step is not None else None
    if reply is None:
        return listen(bundle, f"{said} {c.say('anything_else')}", State())
    return listen(bundle, f"{said} {reply.speech} {keys_words(bundle, reply.state)}", reply.state)


# ---------------------------------------------------------------- routes

@phone.post("/voice")
def incoming_call() -> Response:
    sid, bundle = call_sid(), current(call_locale())
    log.info("call started: sid=%s", sid)
    c = bundle.content
    return listen(bundle, c.phone_says("greeting"), welcome(c).state, then=language_offer(bundle))


@phone.post("/turn")
def turn() -> Response:
    sid, bundle = call_sid(), current(call_locale())
    state, misses = state_in(request.query_string)
    if wants_spanish(bundle, state, form().get("Digits", "").strip(), form().get("SpeechResult", "")):
        spanish = current(SPANISH)
        return listen(spanish, spanish.content.phone_says("greeting"), welcome(spanish.content).state)
    heard, match = hear(bundle, state, form().get("Digits", "").strip(),
                        form().get("SpeechResult", "").strip(), speech_confidence(form().get("Confidence", "")))
    log.info("call turn: sid=%s intent=%s decision=%s score=%.2f", sid, heard.intent or heard.miss,
             match.decision if match else "keys", match.score if match else 1.0)
    if heard.miss:
        return missed(bundle, state, misses, heard.miss)
    if heard.intent == TEXT_ME:
        return text_steps(bundle, state)
    if heard.unsure:
        return answer(bundle, confirm(bundle.content, heard.intent, heard.slots, state))
    return answer(bundle, respond(bundle.content, heard.intent, heard.slots, state))


@phone.errorhandler(Exception)
def apologise(error: Exception) -> Response:
    """Never Twilio's 'application error': HTTP errors stay errors, anything else is an apology."""
    if isinstance(error, HTTPException):
        return error  # type: ignore[return-value]
    log.exception("call turn failed")
    bundle = current(call_locale())
    return listen(bundle, f"{bundle.content.say('error')} {bundle.content.say('anything_else')}", State())
