"""Redaction before anything a caller said is stored: numbers and e-mail addresses go."""
from __future__ import annotations

import re

EMAIL = re.compile(r"\S+@\S+\.\S+|\S+ at \S+ dot (?:com|org|net|edu|co)\b", re.IGNORECASE)
# A run of digits (3 or more in all), possibly split by spaces, dashes, dots or brackets: "555 123 4567".
DIGITS = re.compile(r"\+?\(?\d[\d\s().-]*\d\)?")
DIGIT_WORDS = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPOKEN_DIGITS = re.compile(rf"\b{DIGIT_WORDS}(?:[\s-]+{DIGIT_WORDS}){{2,}}\b", re.IGNORECASE)


def _number(match: re.Match[str]) -> str:
    return "[number]" if sum(ch.isdigit() for ch in match.group()) >= 3 else match.group()


def redact(text: str) -> str:
    """E-mail addresses become [email]; runs of 3 or more digits (or spoken digits) become [number]."""
    text = EMAIL.sub("[email]", text)
    text = SPOKEN_DIGITS.sub("[number]", text)
    return " ".join(DIGITS.sub(_number, text).split())
