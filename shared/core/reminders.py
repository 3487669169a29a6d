"""Reminders from the aftercare rules, the same for both channels: which activity, which day, what to say.

A reminder falls on the first local day the wait's upper end has passed (retinol, "3 to 5 days": day 5
after the session; the next session: `facts.session_spacing_months` later), at 9:00 local time. The
channel delivers it: an Alexa reminder (skill/reminders.py) or a scheduled text (ivr/reminders.py).
Nothing here knows a number of its own: every wait comes from the content.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING, Mapping

from shared.core import intents, rules
from shared.core.content import Activity, Content
from shared.core.dialogue import Question, Reply, State
from shared.core.text import parse_days

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

NEXT_SESSION = "next_session"      # the content's activity for the next session (no wait_days: months)
REMIND_AT = time(9, 0)             # local time of day of every reminder
SCHEDULE_MIN = timedelta(minutes=15)  # Twilio Message Scheduling: at least 15 minutes ahead...
SCHEDULE_MAX = timedelta(days=35)     # ...and at most 35 days


class Kind(StrEnum):
    ASK = "ask"            # no activity named: ask which
    NO_WAIT = "no_wait"    # the article gives no wait for it: say so, set nothing
    PASSED = "passed"      # the wait is already over
    DUE = "due"            # a reminder can be set: `plan`


@dataclass(frozen=True)
class Plan:
    activity: Activity
    at: datetime           # 9:00 on the day, aware, in the person's time zone
    text: str              # what the reminder (or text message) says, naming the clinic and the activity

    def day_words(self, language: str = "en") -> dict[str, str]:
        """{day}, {date} and {activity} for the confirmation ("on Saturday morning, November 28";
        "el sábado por la mañana, 28 de noviembre")."""
        weekdays, months, date_format = DATE_WORDS.get(language, DATE_WORDS["en"])
        date_words = date_format.format(month=months[self.at.month - 1], day=self.at.day)
        return {"day": weekdays[self.at.weekday()], "date": date_words, "activity": self.activity.name}


# Day and month names per language (not the process's locale: one server speaks both).
DATE_WORDS = {
    "en": (("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
           ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"), "{month} {day}"),
    "es": (("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
           ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
            "noviembre", "diciembre"), "{day} de {month}"),
}


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    speech: str            # what to say now (for DUE: the confirmation, once the channel has set it)
    plan: Plan | None = None


def zone(name: str | None, fallback: str) -> ZoneInfo:
    """The device's (or clinic's) time zone; an unknown name falls back, never raises."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only for a reminder: its import reads the tz paths
    for candidate in (name, fallback, "UTC"):
        try:
            return ZoneInfo(candidate) if candidate else ZoneInfo(fallback)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_day(content: Content, activity: Activity, session_day: date) -> date | None:
    """The first day the wait's upper end has passed; None if the content gives no wait for it."""
    if activity.key == NEXT_SESSION:
        months = content.facts.get("session_spacing_months")
        return add_months(session_day, months) if months else None
    if activity.wait_max is None or activity.advice:
        return None
    return session_day + timedelta(days=activity.wait_max)


def plan(content: Content, activity_said: str | None, days: int | None, now: datetime) -> Outcome:
    """What to do for "remind me about `activity_said`, my session was `days` days ago" at `now` (aware,
    in the person's time zone); `days` None means the session was today."""
    if not activity_said:
        return Outcome(Kind.ASK, content.say("reminder_ask_activity"))
    activity = rules.find_activity(content, activity_said)
    name = activity.name if activity else rules._echo(content, activity_said)
    day = due_day(content, activity, now.date() - timedelta(days=max(days or 0, 0))) if activity else None
    if activity is None or day is None:
        return Outcome(Kind.NO_WAIT, content.say("reminder_no_wait", activity=name))
    wait = rules._wait_words(activity) if activity.wait_max is not None else ""
    at = datetime.combine(day, REMIND_AT, tzinfo=now.tzinfo)
    if at <= now:
        return Outcome(Kind.PASSED, content.say("reminder_passed", activity=name, wait=wait) if wait
                       else content.say("reminder_no_wait", activity=name))
    text = (content.say("reminder_session_text") if activity.key == NEXT_SESSION
            else content.say("reminder_text", activity=name, wait=wait))
    due = Plan(activity, at, text)
    return Outcome(Kind.DUE, content.say("reminder_set", **due.day_words(content.locale[:2])), due)


def schedulable(at: datetime, now: datetime) -> bool:
    """Within Twilio's Message Scheduling window: 15 minutes to 35 days ahead."""
    return SCHEDULE_MIN <= at - now <= SCHEDULE_MAX


def utc_iso(at: datetime) -> str:
    """`SendAt` for Twilio: UTC, ISO-8601 ("2026-11-30T14:00:00Z")."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def requested(intent: str, slots: Mapping[str, str] | None, state: State) -> dict[str, str] | None:
    """The reminder asked for this turn, as ReminderIntent slots, or None if this turn asks for none.

    Besides ReminderIntent itself: naming an activity right after "What should I remind you about?"
    (Alexa and the phone may hear that as a timing question); "remind me" alone after a timing
    answer takes that answer's activity and days."""
    slots = dict(slots or {})
    last = state.last
    if intent == intents.REMINDER:
        if not slots.get("activity") and last and last.intent == intents.AFTERCARE_TIMING:
            return {**last.slot_map, **slots}
        return slots
    if intent == intents.AFTERCARE_TIMING and last and last.intent == intents.REMINDER and not last.slots and slots.get("activity"):
        return slots
    return None


def reply(content: Content, outcome: Outcome, slots: Mapping[str, str], speech: str | None = None) -> Reply:
    """A Reply for the channel to render: asking keeps the question pending, anything else asks what else."""
    title = content.topics[intents.AFTERCARE].title
    said = speech or outcome.speech
    if outcome.kind is Kind.ASK:
        return Reply(said, title, said, said, State(last=Question(intents.REMINDER)), intents.REMINDER)
    remembered = State(last=Question(intents.REMINDER, tuple(sorted(slots.items()))))
    return Reply(f"{said} {content.say('anything_else')}", title, said, content.say("reprompt"),
                 remembered, intents.REMINDER)


def days_of(slots: Mapping[str, str]) -> int | None:
    return parse_days(slots.get("days"))
