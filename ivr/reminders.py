"""Phone reminders: a text scheduled for 9:00 clinic time on the day the wait is over.

After a timing answer the caller hears "Press 8, or say remind me, ..."; a direct request ("text me a
reminder when I can use retinol again") works too. The text goes out through Twilio's Message
Scheduling (Messaging Service, ScheduleType fixed, SendAt in UTC) to the number that called. Without
TWILIO_MESSAGING_SERVICE_SID nothing is offered, and a request gets the timing answer instead.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Mapping

from ivr import sms
from shared.core import intents, reminders
from shared.core.content import Content
from shared.core.dialogue import Reply, State, respond
from shared.settings import Settings

log = logging.getLogger(__name__)
KEY = "8"                # "press 8 ... to get a text"


def available(settings: Settings) -> bool:
    return bool(settings.twilio_messaging_service_sid and settings.twilio_account_sid and settings.twilio_auth_token)


def clinic_now(settings: Settings) -> datetime:
    return datetime.now(reminders.zone(None, settings.clinic_timezone))


def keys(settings: Settings, state: State, text_me: str) -> dict[str, str]:
    """Keys that mean something after a timing answer (8: remind me) or a reminder (9: the steps now)."""
    last = state.last.intent if state.last else None
    if last == intents.AFTERCARE_TIMING and available(settings):
        return {KEY: intents.REMINDER}
    return {"9": text_me} if last == intents.REMINDER else {}


def with_offer(content: Content, settings: Settings, reply: Reply) -> Reply:
    """A timing answer, plus "press 8 ... to get a text" when a reminder could be scheduled for it."""
    if reply.intent != intents.AFTERCARE_TIMING or not available(settings) or not reply.state.last:
        return reply
    slots = reply.state.last.slot_map
    outcome = reminders.plan(content, slots.get("activity"), reminders.days_of(slots), clinic_now(settings))
    if outcome.plan is None:
        return reply
    offer = content.phone_says("reminder_offer", activity=outcome.plan.activity.name)
    ending = content.say("anything_else")
    head = reply.speech[:-len(ending)].strip() if reply.speech.endswith(ending) else reply.speech
    return reply._replace(speech=f"{head} {offer} {ending}".strip())


def text_reminder(content: Content, settings: Settings, state: State, slots: Mapping[str, str], to: str) -> Reply:
    """Schedule the reminder text for `slots` to `to`; the Reply says what happened."""
    if not available(settings):
        return respond(content, intents.AFTERCARE_TIMING, slots, state)
    now = clinic_now(settings)
    slots = dict(slots)
    outcome = reminders.plan(content, slots.get("activity"), reminders.days_of(slots), now)
    if outcome.plan is None:
        return reminders.reply(content, outcome, slots)
    if not reminders.schedulable(outcome.plan.at, now):
        return reminders.reply(content, outcome, slots, content.phone_says("reminder_out_of_window"))
    sent = sms.send_text(settings, to, outcome.plan.text, send_at=reminders.utc_iso(outcome.plan.at))
    log.info("reminder text %s: activity=%s", "scheduled" if sent else "not scheduled", outcome.plan.activity.key)
    said = (content.phone_says("reminder_texted", **outcome.plan.day_words(content.locale[:2])) if sent
            else content.phone_says("reminder_text_failed"))
    return reminders.reply(content, outcome, slots, said)
