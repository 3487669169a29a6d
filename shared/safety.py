"""Is the person reporting a problem after a treatment? Decided before any topic is matched.

A problem report must reach the safety answer (or a person) whatever words it uses, so this looks
for the signs of one rather than for whole sentences, from the content's `safety.signs` lists:

- an emergency sign (trouble breathing, swelling of the lips or throat, fever, spreading redness);
- a symptom the article never calls normal (pus, blisters, a rash, new scars, ...);
- a complaint ("it ruined my skin", "something went wrong");
- something getting worse ("the swelling isn't going down") with an expected effect, said of
  oneself, or after a treatment ("my acne got worse after my session");
- an expected effect (redness, swelling, peeling) lasting past the article's window: "day four".

A question asked in general ("can it cause scarring?", "will I be swollen?") is not a report:
it is a risk or downtime question, unless it also speaks of the person's own present state
("is it normal that I have lumps a week later?"). A doubt between the two falls on the safe side.
"""
from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import Mapping

from shared.text import elapsed_days, phrase_pattern, stem, words

# The kinds of phrase in the content's `safety.signs`.
SIGN_KINDS = ("emergency", "airway", "swelling", "symptom", "complaint", "worse", "expected", "asking",
              "personal", "wanting", "after")


class Concern(StrEnum):
    EMERGENCY = "emergency"  # lead with emergency services
    PROBLEM = "problem"      # the complication answer, and a person


def stemmed(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


@lru_cache(maxsize=8)
def _patterns(signs: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, re.Pattern[str]]:
    return {kind: phrase_pattern(stemmed(p) for p in phrases) for kind, phrases in signs}


def patterns(signs: Mapping[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    """One compiled pattern per kind of sign (cached per content version)."""
    return _patterns(tuple(sorted(signs.items())))


def _found(signs: Mapping[str, tuple[str, ...]], said: str) -> dict[str, bool]:
    text = stemmed(said)
    return {kind: bool(text and p.search(text)) for kind, p in patterns(signs).items()}


def asks_in_general(signs: Mapping[str, tuple[str, ...]], said: str) -> bool:
    """"Does it sting a lot?", "can it cause scarring?": a question, not a report of one's own state."""
    found = _found(signs, said)
    return found["asking"] and not found["personal"]


def assess(signs: Mapping[str, tuple[str, ...]], normal_days: int, said: str) -> Concern | None:
    """The concern in `said` (already normalised speech), or None when it is no problem report.

    `normal_days`: how long the article's expected redness and swelling last (48 hours: 2)."""
    found = _found(signs, said)
    if found["asking"] and not found["personal"]:
        return None  # a question in general: risks, downtime
    if found["emergency"] or (found["airway"] and found["swelling"]):
        return Concern.EMERGENCY
    if found["wanting"] and not found["after"]:
        return None  # hoping for a result before a treatment: benefits, suitability
    late = (elapsed_days(said) or 0) > normal_days
    if found["symptom"] or found["complaint"]:
        return Concern.PROBLEM
    if found["worse"] and (found["expected"] or found["personal"] or found["after"]):
        return Concern.PROBLEM
    if found["expected"] and late:
        return Concern.PROBLEM
    return None
