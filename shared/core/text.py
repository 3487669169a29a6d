"""Small text tools shared by the rules and the speech matcher: normalising, stemming, phrase lookup."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable, Mapping, NamedTuple

_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_APOSTROPHE = re.compile(r"[’‘`]")

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "none": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "couple": 2, "few": 3, "several": 3,
    # Spanish (accents folded, see `words`): "hace cuatro dias", "una semana"
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "veinte": 20, "veinticuatro": 24, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "par": 2, "varios": 3, "varias": 3,
}
ORDINAL_DAYS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    # Spanish (accents folded): "el quinto día"
    "primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4, "quinto": 5, "sexto": 6,
    "septimo": 7,
}
ORDINAL_UNITS = frozenset({"day", "dia", "morning", "night", "noche"})  # "the third morning" is day three


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


def fold_accents(text: str) -> str:
    """'cuánto' -> 'cuanto', 'sí' -> 'si': callers and speech recognition drop accents, so we do too."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# Words Snowball would cut to another word's stem: the past of "poner" ("me puso una crema") to "pus";
# the subjunctive of "hacer" ("me dijo que me lo hiciera": not yet had) to the past's "hic" ("me lo hice");
# "verdad" (a question's tag) to the "verd" of "verdes" (green, a colour told); "dicen" (hearsay: "dicen
# que") to the "dic" of "dice" ("mi doctor dice que", "mi esposo dice que": a report passed on); the
# infinitives "empeorar" and "quedar" (asked: "¿puede empeorar el acné?", "por no quedar como la que no
# sabe") to the stems of "empeora" and "quedé" (told).
KEPT_WHOLE = frozenset({"puse", "puso", "pusiste", "pusimos", "pusieron", "pusiera", "pusieran", "pusieras",
                        "hiciera", "hicieras", "hicieran", "hiciese", "hicieses", "hiciesen", "verdad", "dicen",
                        "empeorar", "empeorarme", "empeorarle", "empeorarla", "empeorarlo", "quedar",
                        "siente", "sienten",  # "se siente" (it feels) is not "siento" (I feel)
                        "complicado", "complicada", "complicados", "complicadas",  # hard, not "complicaciones"
                        # subjunctive: "me da miedo que me queden manchas", "para que no se me irrite" suppose
                        "queden", "salgan", "infecte", "infecten", "irrite", "irriten"})


@lru_cache(maxsize=4)
def stemmer_for(locale: str) -> Callable[[str], str]:
    """The stemmer for a locale: our light English one, or Snowball's for other languages."""
    if locale.startswith("en"):
        return stem
    import snowballstemmer
    snowball = snowballstemmer.stemmer({"es": "spanish"}[locale[:2]])

    @lru_cache(maxsize=8192)
    def stem_other(word: str) -> str:
        if word in KEPT_WHOLE:
            return word
        out = snowball.stemWord(word)
        return out[:-1] if len(out) > 3 and out.endswith("s") else out  # folded 'dias' meets 'dia'
    return stem_other


def words(text: str) -> list[str]:
    """Lowercase words without punctuation or accents ("Micro-needling's" -> ["micro", "needling's"])."""
    text = _APOSTROPHE.sub("'", fold_accents(text.lower())).replace("-", " ").replace("/", " ")
    return [w.strip("'") for w in _NON_WORD.sub(" ", text).split() if w.strip("'")]


PhraseTable = dict[str, tuple[tuple[tuple[str, ...], str], ...]]


def phrase_table(replacements: Mapping[str, str]) -> PhraseTable:
    """first word -> (the phrase's words, its replacement), the longest phrase first. A table, not one
    big regex: compiling a regex of every speech fix cost a new process several milliseconds."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, replacement in replacements.items():
        said = tuple(phrase.split())
        if said:
            table.setdefault(said[0], []).append((said, replacement))
    return {first: tuple(sorted(found, key=lambda f: (-len(f[0]), f[0]))) for first, found in table.items()}


def replace_phrases(said: str, table: PhraseTable) -> str:
    """`said` (space-separated words) with each phrase of `table` replaced, from the left, the longest
    phrase at a word first; what a replacement says is not looked at again."""
    heard, out, i = said.split(), [], 0
    while i < len(heard):
        phrase, replacement = next(((p, r) for p, r in table.get(heard[i], ()) if tuple(heard[i:i + len(p)]) == p),
                                   ((heard[i],), heard[i]))
        out.append(replacement)
        i += len(phrase)
    return " ".join(word for word in out if word)


def stems(text: str, stemmer: Callable[[str], str] = stem) -> list[str]:
    return [stemmer(w) for w in words(text)]


class PhraseIndex(NamedTuple):
    """Finds the longest known phrase inside a text, comparing stemmed words."""

    entries: tuple[tuple[tuple[str, ...], str], ...]  # (stemmed words, key), longest first
    by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # the entries by their first word
    stemmer: Callable[[str], str]

    @staticmethod
    def normalise(phrase: str) -> str:
        return " ".join(stems(phrase))

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]], stemmer: Callable[[str], str] = stem) -> "PhraseIndex":
        unique = {tuple(stems(phrase, stemmer)): key for phrase, key in pairs if stems(phrase, stemmer)}
        entries = tuple(sorted(unique.items(), key=lambda e: (-len(e[0]), e[0])))
        by_first: dict[str, list] = {}
        for entry in entries:
            by_first.setdefault(entry[0][0], []).append(entry)
        return cls(entries, {k: tuple(v) for k, v in by_first.items()}, stemmer)

    def find(self, text: str) -> tuple[str, str] | None:
        """(key, the phrase as stemmed) of the longest phrase that occurs in `text`, else None."""
        return self.find_in(stems(text, self.stemmer))

    def find_all(self, text: str) -> list[str]:
        """The keys of every non-overlapping known phrase in `text`, longest first."""
        return self.substitute(" ".join(words(text)), lambda key: key)[1]

    def substitute(self, text: str, replacement: Callable[[str], str], limit: int = 99) -> tuple[str, list[str]]:
        """`text` (space-separated words) with up to `limit` known phrases, longest first, replaced by
        `replacement(key)`; and the keys replaced. Replacements are never matched again."""
        words_ = text.split()
        stemmed = [self.stemmer(w) for w in words_]
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



_UNIT_DAYS = {"day": 1, "days": 1, "night": 1, "nights": 1, "week": 7, "weeks": 7,
              "dia": 1, "dias": 1, "noche": 1, "noches": 1, "semana": 7, "semanas": 7}
_SAME_DAY = {"today", "tonight", "immediately", "straight", "same", "hoy", "mismo", "enseguida"}


_ARTICLES = frozenset({"a", "an", "un", "una", "uno", "par"})


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
        if token in ORDINAL_DAYS and unit in ORDINAL_UNITS:
            return ORDINAL_DAYS[token]
    if "tomorrow" in tokens or "manana" in tokens or any(
            tokens[i:i + 2] in (["next", "day"], ["following", "day"], ["next", "morning"], ["dia", "siguiente"],
                                ["otro", "dia"]) for i in range(len(tokens))):
        return 1
    if _SAME_DAY & set(tokens) or "right after" in " ".join(tokens):
        return 0
    bare = [_number(t) for t in tokens if t.isdigit() or (t in NUMBER_WORDS and t not in _ARTICLES)]
    return bare[0] if len(bare) == 1 else None


_ELAPSED_UNITS = {"hour": 1 / 24, "hours": 1 / 24, "day": 1, "days": 1, "night": 1, "nights": 1,
                  "week": 7, "weeks": 7, "fortnight": 14, "month": 30, "months": 30,
                  "hora": 1 / 24, "horas": 1 / 24, "dia": 1, "dias": 1, "noche": 1, "noches": 1,
                  "semana": 7, "semanas": 7, "mes": 30, "meses": 30}
DURATION_WORDS = frozenset(_ELAPSED_UNITS) | {"ago", "later"}  # say how long, not what was had


def elapsed_days(text: str | None) -> float | None:
    """How long ago something started, in days, when said with a unit: 'ten days', 'a week later',
    'day four', '72 hours', 'forty eight hours', 'the third day', or from a weekday said of the
    treatment to another ('had it done saturday, still red wednesday': 4), or 'last thursday' (3). A bare number
    ('3 sessions') is no duration, nor is a time to come ('in two weeks', 'en dos semanas').
    Of several, the longest: "it was meant to go after 48 hours, it's day five" is day 5."""
    tokens = [_unit_of(token) for token in words(text or "")]
    found = [days for i in range(len(tokens)) if (days := _elapsed_at(tokens, i)) is not None
             and not FREQUENCY_WORDS.intersection(tokens[max(0, i - 3):i]) and not _said_to_come(tokens, i)
             and not _gap_or_to_come(tokens, i) and not _counts_else(tokens, i)]
    named = [i for i, token in enumerate(tokens) if token in WEEKDAYS]
    treated = [i for i in named if PAST_MARKERS.intersection(tokens[max(0, i - 6):i])
               and not TO_COME_MARKERS.intersection(tokens[max(0, i - 6):i])]
    if len(named) >= 2 and treated:  # "had it done saturday ... wednesday", "red on sunday, had it done wednesday"
        treatment = WEEKDAYS[tokens[treated[0]]]
        found += [(WEEKDAYS[tokens[i]] - treatment) % 7 for i in named if WEEKDAYS[tokens[i]] != treatment]
    found += [LAST_WEEKDAY_DAYS for i in named if i and tokens[i - 1] == "last"]  # "and it was last thursday"
    return max(found) if found else None


def _said_to_come(tokens: list[str], i: int) -> bool:
    """Whether the duration said at tokens[i] is a time from now ("in two weeks", "dentro de dos semanas")."""
    return (i > 0 and tokens[i - 1] in TO_COME_BEFORE) or tokens[max(0, i - 2):i] == ["dentro", "de"]


def _gap_or_to_come(tokens: list[str], i: int) -> bool:
    """Whether the duration said at tokens[i] is a gap between sessions ("a month apart") or counts from
    one to come ("five days after my next appointment", "cinco días después de mi próxima cita")."""
    ahead = tokens[i + 1:i + 7]
    if GAP_WORDS.intersection(ahead[:3]) or ahead[1:2] in (["before"], ["antes"]) or ahead[1:3] in BETWEEN_SESSIONS:
        return True  # ...or a wait before something ("five days before the retinol", "tres días antes de la boda")
    relative = next((k for k, t in enumerate(ahead[:3]) if t in RELATIVE_WORDS), None)
    return relative is not None and bool(NEXT_WORDS.intersection(ahead[relative + 1:relative + 4]))


def _counts_else(tokens: list[str], i: int) -> bool:
    """Whether the duration said at tokens[i] counts something other than time since a treatment: days
    free ("two days off", "dos días libres") or a pregnancy ("twenty weeks pregnant", "cinco meses de embarazo")."""
    ahead = tokens[i + 2:i + 4]
    return (bool(ahead) and ahead[0] in COUNTED_ELSE) or ahead == ["de", "embarazo"] \
        or tokens[max(0, i - 2):i] == ["embarazada", "de"]  # "estoy embarazada de cinco meses"


def _unit_of(token: str) -> str:
    """"last week's one" says a week as "last week" does."""
    return token[:-2] if token.endswith("'s") and token[:-2] in _ELAPSED_UNITS else token


LAST_WEEKDAY_DAYS = 3  # "last thursday": not yesterday (that would be said), so past the article's 48 hours
FREQUENCY_WORDS = frozenset({"once", "twice", "times", "every", "vez", "veces", "cada"})  # "once a month" is how often
TO_COME_BEFORE = frozenset({"in", "en", "within"})  # "my wedding is in two weeks", "la boda es en dos semanas": still to come
GAP_WORDS = frozenset({"apart", "between", "separacion", "diferencia"})  # "a month apart", "un mes de diferencia"
BETWEEN_SESSIONS = (["entre", "sesiones"], ["entre", "sesion"], ["entre", "una"], ["entre", "cada"])  # "un mes entre una y otra"; not "tres días entre rojo y rosado"
NEXT_WORDS = frozenset({"next", "proxima", "proximo", "siguiente"})       # "five days after my next appointment"
RELATIVE_WORDS = frozenset({"after", "before", "despues", "antes"})     # ...counted from what follows them
COUNTED_ELSE = frozenset({"off", "pregnant", "along", "libres", "embarazada"})  # "two days off", "twenty weeks pregnant"

PAST_MARKERS = frozenset({"had", "since", "from", "did", "done", "hice", "hizo", "desde", "fue", "fui"})  # not "a wedding saturday"
TO_COME_MARKERS = frozenset({"if", "will", "going", "gonna", "booked"})  # "if I have it done on wednesday"
# (not Spanish "si": said without its accent it is also "sí", yes; "si me lo hago el jueves" names no past marker anyway)
WEEKDAYS = {name: n for names in (("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
                                  ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"))
            for n, name in enumerate(names)} | {"weekend": 6}  # "had it at the weekend, it's wednesday": from sunday, the fewest days


def _beyond(tokens: list[str], i: int) -> bool:
    """"redness past two days", "more than 48 hours": longer than the number (not "over the past two days")."""
    before = tokens[max(0, i - 2):i]
    return before[-1:] in (["past"], ["over"], ["beyond"]) and before[:1] != ["the"] or before in (["more", "than"], ["longer", "than"])


def _elapsed_at(tokens: list[str], i: int) -> float | None:
    """The duration said starting at tokens[i], if any."""
    token, value = tokens[i], _number(tokens[i])
    rest = tokens[i + 1:]
    units = rest[1:] if rest[:1] == ["y"] else rest  # "setenta y dos" says "seventy two"
    if value is not None and value >= 20 and value % 10 == 0 and units and (_number(units[0]) or 0) in range(1, 10):
        value, rest = value + (_number(units[0]) or 0), units[1:]  # "forty eight", "setenta y dos"
    after = next((t for t in rest[:2] if t not in ("of", "full", "whole", "entire", "good")), "")  # "a full week"
    if value is not None and after in _ELAPSED_UNITS and not (token in ("a", "an") and after.endswith("s")):
        return value * _ELAPSED_UNITS[after] + (0.5 if _beyond(tokens, i) else 0)
    if token in ("day", "dia") and _number(after) is not None and after not in ("a", "an", "un", "una"):
        return float(_number(after))  # type: ignore[arg-type]  # "day four", "el día seis"
    if token in ORDINAL_DAYS and after in ORDINAL_UNITS:
        return float(ORDINAL_DAYS[token])
    if token in ("days", "weeks", "months") and after in ("later", "after", "on", "now", "since", "ago") \
            and not any(_number(t) is not None for t in tokens[max(0, i - 2):i]) \
            and tokens[i - 1:i] != ["the"]:  # "a couple of days after" is 2; "in the days after" is no time told
        return 3 * _ELAPSED_UNITS[token]  # "days later": at least a few
    if token in ("fortnight", "week", "month") and i > 0 and tokens[i - 1] in ("last", "this", "whole"):
        return _ELAPSED_UNITS[token]
    if token in ("semana", "mes") and (tokens[i - 1:i] == ["al"] or tokens[max(0, i - 2):i] == ["a", "la"]):
        return _ELAPSED_UNITS[token]  # "a la semana todavía está roja", "al mes"
    return None
