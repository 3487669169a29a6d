"""'Text me that': the aftercare steps by text message through Twilio's Messages API; and reminders
scheduled for later (Message Scheduling, which needs a Messaging Service)."""
from __future__ import annotations

import logging

from shared.settings import Settings

log = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 3.0  # the caller is waiting on the line
MAX_SMS_CHARS = 1500


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
