"""Small text tools shared by the rules and the speech matcher: normalising, stemming, phrase lookup."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_APOSTROPHE = re.compile(r"[’‘`]")

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "none": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fourteen": 14, "twenty": 20, "thirty": 30, "couple": 2, "few": 3, "several": 3,
}
ORDINAL_DAYS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
}


@lru_cache(maxsize=8192)  # words repeat: callers say the same few hundred
def stem(word: str) -> str:
    """A deliberately light stemmer: plural and a few verb endings, so 'tones' meets 'tone'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lowercase words without punctuation ("Micro-needling's" -> ["micro", "needling's"])."""
    text = _APOSTROPHE.sub("'", text.lower()).replace("-", " ").replace("/", " ")
    return [w.strip("'") for w in _NON_WORD.sub(" ", text).split() if w.strip("'")]


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A regex finding any of `phrases` (space-separated words) as whole words, the longest first."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not ordered:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\S)")


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


@dataclass(frozen=True)
class PhraseIndex:
    """Finds the longest known phrase inside a text, comparing stemmed words."""

    entries: tuple[tuple[tuple[str, ...], str], ...]  # (stemmed words, key), longest first
    by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict, compare=False)

    @staticmethod
    def normalise(phrase: str) -> str:
        return " ".join(stems(phrase))

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> "PhraseIndex":
        unique = {tuple(stems(phrase)): key for phrase, key in pairs if stems(phrase)}
        entries = tuple(sorted(unique.items(), key=lambda e: (-len(e[0]), e[0])))
        by_first: dict[str, list] = {}
        for entry in entries:
            by_first.setdefault(entry[0][0], []).append(entry)
        return cls(entries, {k: tuple(v) for k, v in by_first.items()})

    def find(self, text: str) -> tuple[str, str] | None:
        """(key, the phrase as stemmed) of the longest phrase that occurs in `text`, else None."""
        return self.find_in(stems(text))

    def find_all(self, text: str) -> list[str]:
        """The keys of every non-overlapping known phrase in `text`, longest first."""
        return self.substitute(" ".join(words(text)), lambda key: key)[1]

    def substitute(self, text: str, replacement: Callable[[str], str], limit: int = 99) -> tuple[str, list[str]]:
        """`text` (space-separated words) with up to `limit` known phrases, longest first, replaced by
        `replacement(key)`; and the keys replaced. Replacements are never matched again."""
        words_ = text.split()
        stemmed = [stem(w) for w in words_]
        keys: list[str] = []
        while len(keys) < limit and (hit := self.locate(stemmed)) is not None:
            key, start, end = hit
            keys.append(key)
            words_[start:end] = [replacement(key)]
            stemmed[start:end] = ["|"]  # a placeholder no phrase starts with
        return " ".join(words_), keys

    def find_in(self, tokens: list[str]) -> tuple[str, str] | None:
        hit = self.locate(tokens)
        return (hit[0], " ".join(tokens[hit[1]:hit[2]])) if hit else None

    def locate(self, tokens: list[str]) -> tuple[str, int, int] | None:
        """(key, start, end) of the longest phrase in `tokens` (the earliest among equals)."""
        best: tuple[str, int, int] | None = None
        for i, token in enumerate(tokens):
            for phrase, key in self.by_first.get(token, ()):
                n = len(phrase)
                if (best is None or n > best[2] - best[1]) and tuple(tokens[i:i + n]) == phrase:
                    best = (key, i, i + n)
                    break
        return best



_UNIT_DAYS = {"day": 1, "days": 1, "night": 1, "nights": 1, "week": 7, "weeks": 7}
_SAME_DAY = {"today", "tonight", "immediately", "straight", "same"}


def _number(token: str) -> int | None:
    if token.isdigit() and len(token) <= 3:
        return int(token)
    return NUMBER_WORDS.get(token)


MAX_DAYS = 365
_MINUS = re.compile(r"(?<!\w)-\s*(?=\d)")
_NEGATIVE = re.compile(r"(?<!\w)-\s*\d|\b(?:minus|negative)\b")


def spoken_minus(text: str) -> str:
    """'-5 days' as 'minus 5 days': normalising speech drops the '-', which would leave day 5."""
    return _MINUS.sub("minus ", text) if "-" in text else text


def parse_days(text: str | None) -> int | None:
    """Days after a session from a slot value or speech: '3', 'two days', 'a week', 'the next day'.
    A negative or absurd day ('-5', 'minus two', '9000') is not understood: None, never day 5."""
    if text and _NEGATIVE.search(text.lower()):
        return None
    days = _days(words(text or ""))
    return days if days is None or days <= MAX_DAYS else None


def _days(tokens: list[str]) -> int | None:
    for i, token in enumerate(tokens):
        value = _number(token)
        unit = next((t for t in tokens[i + 1:i + 3] if t != "of"), None)
        if value is not None and unit in _UNIT_DAYS:
            return value * _UNIT_DAYS[unit]
        if value is not None and unit in ("hour", "hours"):
            return value // 24
        if token in ORDINAL_DAYS and unit == "day":
            return ORDINAL_DAYS[token]
    if "tomorrow" in tokens or any(tokens[i:i + 2] in (["next", "day"], ["following", "day"], ["next", "morning"])
                                   for i in range(len(tokens))):
        return 1
    if _SAME_DAY & set(tokens) or "right after" in " ".join(tokens):
        return 0
    bare = [_number(t) for t in tokens if t.isdigit() or (t in NUMBER_WORDS and t not in ("a", "an"))]
    return bare[0] if len(bare) == 1 else None


_ELAPSED_UNITS = {"hour": 1 / 24, "hours": 1 / 24, "day": 1, "days": 1, "night": 1, "nights": 1,
                  "week": 7, "weeks": 7, "fortnight": 14, "month": 30, "months": 30}


def elapsed_days(text: str | None) -> float | None:
    """How long ago something started, in days, when said with a unit: 'ten days', 'a week later',
    'day four', '72 hours', 'the third day'. A bare number ('3 sessions') is no duration."""
    tokens = words(text or "")
    for i, token in enumerate(tokens):
        after = next((t for t in tokens[i + 1:i + 3] if t != "of"), "")
        value = _number(token)
        if value is not None and after in _ELAPSED_UNITS and not (token in ("a", "an") and after.endswith("s")):
            return value * _ELAPSED_UNITS[after]
        if token == "day" and _number(after) is not None and after not in ("a", "an"):
            return float(_number(after))  # type: ignore[arg-type]
        if token in ORDINAL_DAYS and after == "day":
            return float(ORDINAL_DAYS[token])
        if token in ("days", "weeks", "months") and after in ("later", "after", "on", "now", "since", "ago"):
            return 3 * _ELAPSED_UNITS[token]  # "days later": at least a few
        if token in ("fortnight", "week", "month") and i > 0 and tokens[i - 1] in ("last", "this", "whole"):
            return _ELAPSED_UNITS[token]
    return None
