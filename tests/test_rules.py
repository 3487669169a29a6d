"""Rules over the content: suitability, aftercare timing, sessions, redness, emergencies."""
from __future__ import annotations

import pytest

from shared.core import rules
from shared.core.rules import Timing, Verdict


@pytest.mark.parametrize("said, verdict", [
    ("active acne", Verdict.NOT_RECOMMENDED), ("pimples", Verdict.NOT_RECOMMENDED),
    ("a breakout", Verdict.NOT_RECOMMENDED), ("Breakouts", Verdict.NOT_RECOMMENDED),
    ("keloid scars", Verdict.NOT_RECOMMENDED), ("a history of keloids", Verdict.NOT_RECOMMENDED),
    ("an infection", Verdict.NOT_RECOMMENDED), ("cold sores", Verdict.NOT_RECOMMENDED),
    ("dark skin", Verdict.SUITABLE), ("darker skin tone", Verdict.SUITABLE), ("darker skin tones", Verdict.SUITABLE),
    ("oily skin", Verdict.SUITABLE), ("acne scars", Verdict.SUITABLE),
    ("rosacea", Verdict.NOT_COVERED), ("pregnancy", Verdict.NOT_COVERED), ("I'm pregnant", Verdict.NOT_COVERED),
    ("eczema", Verdict.NOT_COVERED), ("isotretinoin", Verdict.NOT_COVERED), ("Accutane", Verdict.NOT_COVERED),
    ("a bad elbow", Verdict.NOT_COVERED),
])
def test_suitability_verdicts(content, said, verdict):
    assert rules.suitability(content, said).kind == verdict


def test_not_recommended_refers_to_a_dermatologist(content):
    assert "dermatologist" in rules.suitability(content, "pimples").text
    assert "not recommended" in rules.suitability(content, "pimples").text


def test_not_covered_never_guesses(content):
    text = rules.suitability(content, "rosacea").text
    assert "rosacea" in text and "dermatologist" in text
    assert "safe" not in text and "not recommended" not in text


def test_unknown_condition_reads_back_short_values_only(content):
    assert "my elbow" in rules.suitability(content, "my elbow").text
    long_value = "x" * (rules.MAX_ECHOED_VALUE + 1)
    assert long_value not in rules.suitability(content, long_value).text


def test_acne_scars_is_not_confused_with_active_acne(content):
    assert rules.find_condition(content, "my acne scars").key == "acne_scars"
    assert rules.find_condition(content, "acne").key == "active_acne"


@pytest.mark.parametrize("activity, days, kind", [
    ("makeup", 0, Timing.WAIT), ("makeup", 1, Timing.OK), ("foundation", 2, Timing.OK),
    ("retinol", 2, Timing.WAIT), ("retinol", 3, Timing.CAUTIOUS), ("retinol", 4, Timing.CAUTIOUS),
    ("retinol", 5, Timing.OK), ("glycolic acid", 4, Timing.CAUTIOUS), ("acids", 6, Timing.OK),
    ("retinol", None, Timing.GENERAL), ("sunscreen", 0, Timing.ADVICE),
    ("exercise", 2, Timing.NOT_COVERED), ("skydiving", 2, Timing.NOT_COVERED),
])
def test_aftercare_timing_windows(content, activity, days, kind):
    assert rules.timing(content, activity, days).kind == kind


def test_cautious_answer_names_the_safe_day(content):
    text = rules.timing(content, "retinol", 3).text
    assert "day 5" in text and "dermatologist" in text


def test_sessions_and_redness_come_from_the_content(content):
    assert rules.sessions(content) == (3, 6)
    assert rules.redness_hours(content) == (24, 48)
    assert "24 to 48 hours" in content.topics["DowntimeIntent"].answer

