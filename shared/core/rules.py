"""Rules over the content: suitability by condition, what is allowed N days after a session, sessions.

Plain functions: they take the content and what the person said, and return the words to say.
Nothing here knows a medical fact of its own; every number and verdict comes from the content.
"""
from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from shared.core.content import Activity, Condition, Content

MAX_ECHOED_VALUE = 40  # a slot value longer than this is not read back to the person


class Verdict(StrEnum):
    SUITABLE = "suitable"
    NOT_RECOMMENDED = "not_recommended"
    NOT_COVERED = "not_covered"


class Timing(StrEnum):
    OK = "ok"                    # the window has passed
    WAIT = "wait"                # too soon
    CAUTIOUS = "cautious"        # inside the article's range (e.g. day 3-4 of "3 to 5 days")
    GENERAL = "general"          # no day given: state the window
    ADVICE = "advice"            # the article gives advice but no window
    NOT_COVERED = "not_covered"  # the article says nothing about it


class Answer(NamedTuple):
    kind: str
    text: str


# When several conditions are named, answer for the most cautious one.
CAUTION = {"not_recommended": 0, "not_covered": 1, "suitable": 2}


def find_condition(content: Content, said: str | None) -> Condition | None:
    """The content's condition named in `said` (by name or synonym), or None.

    "rosacea, and I want to treat acne scars" names two: the answer must be about rosacea."""
    if not said:
        return None
    named = [content.conditions[key] for key in content.condition_index.find_all(said)]
    return min(named, key=lambda c: CAUTION[c.verdict]) if named else None


def find_activity(content: Content, said: str | None) -> Activity | None:
    if not said:
        return None
    found = content.activity_index.find(said)
    return content.activities[found[0]] if found else None


def _echo(content: Content, said: str | None) -> str:
    """What the person called it, if short enough to read back; else a neutral phrase."""
    said = " ".join((said or "").split())
    ok = 0 < len(said) <= MAX_ECHOED_VALUE
    return said if ok else content.say("unknown_condition")


def suitability(content: Content, said: str) -> Answer:
    """Suitable / not recommended / not covered for a named condition; unknown means not covered."""
    condition = find_condition(content, said)
    if condition is None:
        return Answer(Verdict.NOT_COVERED, content.say("verdict_not_covered", condition=_echo(content, said)))
    text = content.say(f"verdict_{condition.verdict}", condition=condition.name)
    return Answer(Verdict(condition.verdict), f"{text} {condition.note}" if condition.note else text)


# "1 day", "3 to 5 days" per language (day, days, to).
WAIT_WORDS = {"en": ("day", "days", "to"), "es": ("día", "días", "a")}


def _wait_words(activity: Activity, language: str = "en") -> str:
    low, high = activity.wait_min, activity.wait_max
    day, days, to = WAIT_WORDS.get(language, WAIT_WORDS["en"])
    unit = day if high == 1 else days
    return f"{low} {unit}" if low == high else f"{low} {to} {high} {unit}"


def timing(content: Content, activity_said: str, days: int | None) -> Answer:
    """Can the person do `activity_said` `days` days after a session? From the article's windows."""
    activity = find_activity(content, activity_said)
    if activity is None:
        return Answer(Timing.NOT_COVERED, content.say("timing_not_covered", activity=_echo(content, activity_said)))
    if activity.advice:
        return Answer(Timing.ADVICE, activity.advice)
    if activity.wait_min is None or activity.wait_max is None:
        return Answer(Timing.NOT_COVERED, content.say("timing_not_covered", activity=activity.name))
    words = {"activity": activity.name, "wait": _wait_words(activity, content.locale[:2]), "days": days, "max_days": activity.wait_max}
    if days is None:
        kind = Timing.GENERAL
    elif days >= activity.wait_max:
        kind = Timing.OK
    elif days >= activity.wait_min:
        kind = Timing.CAUTIOUS
    else:
        kind = Timing.WAIT
    return Answer(kind, content.say(f"timing_{kind}", **words))


def sessions(content: Content) -> tuple[int, int]:
    """How many sessions most people need: (fewest, most)."""
    return content.facts["sessions_min"], content.facts["sessions_max"]


def redness_hours(content: Content) -> tuple[int, int]:
    """How long redness and slight swelling usually last, in hours: (shortest, longest)."""
    return content.facts["redness_min_hours"], content.facts["redness_max_hours"]


def normal_days(content: Content) -> int:
    """How many days after a session redness and slight swelling are still the article's normal."""
    return redness_hours(content)[1] // 24
