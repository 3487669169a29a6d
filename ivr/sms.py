"""'Text me that': the aftercare steps by text message through Twilio's Messages API; and reminders
scheduled for later (Message Scheduling, which needs a Messaging Service)."""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl

from flask import current_app, g, has_app_context, request

from shared.settings import Settings

log = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 3.0  # the caller is waiting on the line
MAX_SMS_CHARS = 1500
SENT_FLAG = "texted"        # in the action URL (signed) once this call has had its text
MAX_REMEMBERED_CALLS = 10_000
FORGET_AFTER_SECONDS = 24 * 3600


def textable(number: str) -> str | None:
    """`number` as E.164 if a text can go to it; None for a withheld caller ('anonymous'), a SIP or
    client identity, or a number that is not a valid phone number."""
    import phonenumbers  # lazily: only when a caller asks for a text

    if not number.startswith("+") or len(number) > 16:
        return None
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class SentTexts:
    """(CallSid, kind) pairs that got a text: a replayed request (same signed URL and form) sends
    nothing. In this process (bounded: the oldest calls are forgotten first) and, with a state
    folder, across workers: one file per pair, created exclusively, removed after a day."""

    def __init__(self, limit: int = MAX_REMEMBERED_CALLS):
        self.limit, self._sent, self._lock = limit, OrderedDict[tuple[str, str], None](), threading.Lock()

    def claim(self, key: tuple[str, str], folder: Path | None) -> bool:
        with self._lock:
            if key in self._sent:
                return False
            self._sent[key] = None
            if len(self._sent) > self.limit:
                self._sent.popitem(last=False)
        if folder is None:
            return True
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _forget_old(folder)
            os.close(os.open(folder / _name(key), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        except OSError as exc:  # a full or read-only disk: this process's record still holds
            log.warning("text record not kept across workers: %s", type(exc).__name__)
        return True

    def release(self, key: tuple[str, str], folder: Path | None) -> None:
        with self._lock:
            self._sent.pop(key, None)
        if folder is not None:
            (folder / _name(key)).unlink(missing_ok=True)


def _name(key: tuple[str, str]) -> str:
    return hashlib.sha256("\0".join(key).encode()).hexdigest()


def _forget_old(folder: Path) -> None:
    """Calls last minutes: a record older than a day can go (so the folder stays small)."""
    old = time.time() - FORGET_AFTER_SECONDS
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < old:
                path.unlink()


sent_texts = SentTexts()


def offered() -> bool:
    """Whether the phone offers texting (key 9): the app's settings, else (`clinic-voice try`) the environment's."""
    return (current_app.config["SETTINGS"] if has_app_context() else Settings.from_env()).texting


@lru_cache(maxsize=1024)
def _flag_in(query: bytes) -> bool:
    return dict(parse_qsl(query.decode("utf-8", errors="replace"), max_num_fields=20)).get(SENT_FLAG) == "1"


def carried() -> dict[str, str]:
    """The sent-text flag for the next action URL: set once this call has had its text."""
    return {SENT_FLAG: "1"} if g.get("texted") or _flag_in(request.query_string) else {}


def send_once(settings: Settings, call_sid: str, caller: str, body: str, kind: str = "aftercare") -> str:
    """At most one text of `kind` per call, only to a valid number; returns the phone phrase that says
    what happened: sms_sent, sms_already_sent, sms_withheld or sms_failed."""
    if not settings.texting:
        return "sms_failed"
    key, folder = (call_sid, kind), settings.state_dir / "texts" if settings.state_dir else None
    if carried() or not sent_texts.claim(key, folder):
        g.texted = True
        return "sms_already_sent"
    to = textable(caller)
    if to is None:
        sent_texts.release(key, folder)
        log.info("text message not sent: the caller's number is withheld or not a phone number")
        return "sms_withheld"
    if not send_text(settings, to, body):
        sent_texts.release(key, folder)
        return "sms_failed"
    g.texted = True
    return "sms_sent"


def send_text(settings: Settings, to: str, body: str, send_at: str | None = None) -> bool:
    """Send `body` to `to` (at `send_at`, UTC ISO-8601, through the Messaging Service, if given); False
    (logged, without the number) when it could not be sent."""
    sender = ({"messaging_service_sid": settings.twilio_messaging_service_sid, "schedule_type": "fixed",
               "send_at": send_at} if send_at else {"from_": settings.twilio_from_number})
    if not (settings.twilio_account_sid and settings.twilio_auth_token and all(sender.values()) and to):
        log.warning("text message not sent: TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID) "
                    "or the caller's number missing")
        return False
    from twilio.http.http_client import TwilioHttpClient  # lazy: the REST client costs ~0.2 s to import
    from twilio.rest import Client

    client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                    http_client=TwilioHttpClient(timeout=SEND_TIMEOUT_SECONDS, max_retries=0))
    if settings.twilio_api_base:
        client.api.base_url = settings.twilio_api_base
    try:
        message = client.messages.create(to=to, body=body[:MAX_SMS_CHARS], **sender)
    except Exception as exc:  # network, timeout, API error: the call goes on either way
        log.warning("text message not sent: %s", type(exc).__name__)
        return False
    log.info("text message sent: sid=%s", message.sid)
    return True
