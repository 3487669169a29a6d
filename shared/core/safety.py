"""Is the person reporting a problem after a treatment? Decided before any topic is matched.

A problem report must reach the safety answer (or a person) whatever words it uses, so this looks
for the signs of one rather than for whole sentences, from the content's `safety.signs` lists:

- an emergency sign (trouble breathing, swelling of the lips or throat, fever, spreading redness);
- a symptom the article never calls normal (pus, blisters, a rash, new scars, ...);
- a complaint ("it ruined my skin", "something went wrong");
- something getting worse ("the swelling isn't going down") with an expected effect, said of
  oneself, or after a treatment ("my acne got worse after my session");
- an expected effect (redness, swelling, peeling) lasting past the article's window: "day four";
- swelling said strongly ("my face is all swollen"): more than the article's slight swelling.

A question asked in general ("can it cause scarring?", "will I be swollen?") is not a report:
it is a risk or downtime question, unless it also speaks of the person's own present state
("is it normal that I have lumps a week later?"). A doubt between the two falls on the safe side.
"""
from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from functools import lru_cache
from typing import Callable, Mapping, NamedTuple

from shared.core.text import DURATION_WORDS, elapsed_days, stem, words

BARE_AFTER = frozenset({"despues"})  # "después" said alone names no treatment had (English "after" tells more often)


class Concern(StrEnum):
    EMERGENCY = "emergency"  # lead with emergency services
    PROBLEM = "problem"      # the complication answer, and a person


Signs = Mapping[str, tuple[str, ...]]  # kind -> phrases, as in the content
TOLD = frozenset({"after", "lasting", "emergency", "symptom", "expected", "swelling"})  # an effect or a treatment had
OUTCOMES = frozenset({"symptom", "complaint", "worse", "harm", "emergency"})  # what a question can ask about, or a caller tell
FELT_OR_SEEN = OUTCOMES | frozenset({"expected", "swelling", "lasting", "unhappy", "intense", "airway"})  # anything told of skin or body
NEGATABLE = frozenset({"symptom", "emergency", "complaint", "unhappy", "expected", "swelling", "intense"})  # "not really"
BLOCK_ASKING_TOPIC = frozenset({"symptom", "complaint", "emergency", "swelling", "intense", "unhappy"})  # told, not asked

# Content lists read for their place in the sentence (see the comment above `safety:` in the content).
INTENSE = "intense"      # "really", "very": also left out when reading a phrase ("is very wrong")
NOT_SIGNS = "not_signs"  # names that contain a sign word but report nothing ("cold sore")
AILMENT = "ailment"      # "cold sore", "spots": a named ailment, read before `not_signs` blank it out
NERVES = "nerves"        # "scared of", "nervous": fear of a treatment or what it may do; read first, and the
                         # words it covers are no sign
FEELINGS = "feelings"    # "I'm shaking", "in tears": the caller's state of mind, read first and taken as `nerves`
                         # (in "I'm in tears about it, will it hurt?" no complaint), but fearing nothing after it
READ_BEFORE_BLANKING = frozenset({AILMENT, NERVES, FEELINGS})
FEARING = "fearing"      # `nerves` ending in one of FEAR_LINKS ("scared of", "worried it'll", "miedo de"): an
                         # outcome right after it is feared, not told ("terrified of making things worse")
FEAR_LINKS = ("of", "about", "getting", "making", "ruining", "it'll", "i'll", "could", "might", "de", "que")
NEGATION = "negation"    # "not", "haven't got": the sign right after it is denied ("no pus, just red")
DISMISSED = "dismissed"  # "or anything": right after a sign that a `dismissing` word came just before...
DISMISSING = "dismissing"  # ..."no", "not": the sign is waved away ("no burning or anything, I'm just...")
DISMISSING_REACH = 3     # "not worried about [infection] or anything": the words in between
SOFT_ASKING = "soft_asking"  # "just wondering", "cuánto te dura": asks, but keeps a sign said of no one
                             # from being general ("just wondering, is oozing normal?" still reports)
DENIED = "denied"        # a sign was denied: with nothing else wrong told, the turn is no report
ASKING_TOPIC = "asking_topic"  # "what is microneedling", "how does it compare": asking, unless something bad is told
SPECULATING = "speculating"    # "could it", "will microneedling": an outcome a few words after is asked about
WONDERING = "wondering"  # "could it be", "when will it stop": asking about a state already there
TELLING = "telling"      # "it's", "there are": a clause that tells, between a question and an outcome
PRESENT = "present"      # "like this", "are": just after an outcome, it is there now
POINTING = "pointing"    # "these": just before an outcome, the one there now
PRESUPPOSING = "presupposing"  # "the", "my": right before a symptom, one already there ("is the oozing normal?")
HISTORY = "history"      # "I get", "last year", "my friend": what came before tells of no treatment had
LONG_HAD = "long_had"    # "for years", "from the sun", "desde niña": a condition had long before any treatment
CONDITIONAL = "conditional"  # "if it's", "what if": what follows is supposed, not told
FUTURE = "future"        # "will my", "do my": a question about later, not about now
CHECKING = "checking"    # "is that usual?", "what should I do?": a question about what was just told
WORD_ORDER_ONLY = frozenset({FEARING, NOT_SIGNS, NEGATION, DISMISSED, DISMISSING, ASKING_TOPIC, SPECULATING, TELLING, PRESENT, POINTING, HISTORY,
                             CONDITIONAL, CHECKING, PRESUPPOSING})  # read for position only, never a kind of the turn
SPECULATION_REACH = 4  # "could microneedling [make my breakouts] worse": the words in between
QUESTION_REACH = 6     # further than this after a question, an outcome is told, not asked about
DATED_REACH = 3       # "blisters [came up] after the treatment": the words between a symptom and its date
TOLD_REACH = 2        # "there's [tiny] raised marks": a `telling` clause this near before an outcome, with no question before it, tells it
PRESENT_REACH = 1      # "the scabs are huge", "blisters like this"

# Kinds found from word order, not content lists.
SPECULATED = "speculated"        # an outcome asked about with "could it"...: `harm`
TOLD_OUTCOME = "told_outcome"    # a symptom or complaint told, with a question about it
HARM_IN_HISTORY = "harm_in_history"  # a harm told after `history` ("a bad reaction to fillers at another clinic")
EFFECT_CHECKED = "effect_checked"  # an expected effect, then a question about it ("hot and swollen on day four, is that usual?")
EMERGENCY_TOLD = "emergency_told"  # an emergency sign told well past any supposition ("what if it was the cream?
                                   # my lips feel thick and I'm struggling to swallow")
QUESTIONS = ("asking", ASKING_TOPIC, SPECULATING, CHECKING, FUTURE, CONDITIONAL, "wanting", "hypothetical")
OPENERS = (*QUESTIONS, WONDERING, SOFT_ASKING, HISTORY, NERVES, FEARING, NEGATION)  # after these, what is said is no report told first
MILD_SYMPTOM = "mild_symptom"  # a `mild` word next to a symptom: its amount ("only a tiny bit crusty"), not
MILD_REACH = 1                 # another effect's ("do you look really raw after, or just a bit pink?")
ELSEWHERE = "elsewhere"  # a question after what came before, with no treatment had but one `history` names
                         # ("I had a chemical peel last year that burned me, so what is microneedling?")
# With any of these, an effect or words of oneself alone are not taken for a report: said mildly, of a
# treatment still to come, as a question, or of another treatment.
HOLD_BACK = frozenset({"mild", "wanting", NERVES, "asking", SOFT_ASKING, ELSEWHERE})
QUESTIONS_ASKED = frozenset({"hypothetical", SPECULATED, FUTURE})  # kinds of a harm asked about, not told


@lru_cache(maxsize=8)
def _index(signs: tuple[tuple[str, tuple[str, ...]], ...], stemmer: Callable[[str], str] = stem) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """first stemmed word -> (stemmed phrase, kind) for every sign phrase (built once per content)."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for kind, phrases in signs:
        for phrase in phrases:
            stems = tuple(stemmer(w) for w in words(phrase))
            if stems:
                by_first[stems[0]].append((stems, kind))
    return {first: tuple(entries) for first, entries in by_first.items()}


def kinds_found(signs: Signs, said: str, stemmer: Callable[[str], str] = stem) -> set[str]:
    """The kinds of sign whose phrases occur in `said`, comparing stemmed whole words, read in order:
    a sign right after a `negation` is denied ("not broken out right now"); an outcome a few words
    after `speculating` is asked about ("could microneedling make my breakouts worse?": `harm`, and the
    turn is SPECULATED), unless it is told: in a turn `wondering` about a state already there ("could
    it be infected?", "when will it stop bleeding?"), after a `telling` clause ("will it scar? it's
    blistering") or before a `present` word ("blisters like this"). A symptom or complaint told so, or
    before a question ("blisters, do people get that?"), is a TOLD_OUTCOME: a report with a question
    about it; before a question, not with hopes, a harm asked about or `history` ("I get hives from
    some creams, could it give me a reaction?"), unless a treatment had is named."""
    matches, tokens = _sign_matches(signs, said, stemmer)
    matches = _without_hopes_inside(matches)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end, kind in matches:
        spans[kind].append((start, end))
    found, asked, told_outcome = _read_in_order(matches, spans)
    if told_outcome or _ailment_checked(spans, asked) or _ailment_told_since(spans, tokens, stemmer) \
            or _ailment_from_treatment(spans, tokens, stemmer) or _symptom_dated_first(spans, tokens, stemmer):
        found.add(TOLD_OUTCOME)
    if spans[HISTORY] and spans["harm"] and min(s for s, _ in spans[HISTORY]) < min(s for s, _ in spans["harm"]):
        found.add(HARM_IN_HISTORY)
    if _told_of_elsewhere(spans, tokens, stemmer):
        found.add(ELSEWHERE)
    if not spans[HISTORY] and any(end <= c for kind in ("expected", "swelling") for _, end in spans[kind] for c, _ in spans[CHECKING]):
        found.add(EFFECT_CHECKED)
    if any(_near(span, spans["mild"], MILD_REACH) for span in spans["symptom"]):
        found.add(MILD_SYMPTOM)
    found -= WORD_ORDER_ONLY
    # a worsening within a comparison asked about is asked ("does it hurt more than waxing?"); one that runs
    # on past it is told ("ahora me duele más que el primer día")
    told_worse = any(not any(s - 1 <= start and end <= e + 1 for s, e in spans[ASKING_TOPIC])
                     for start, end in spans["worse"])
    if spans[ASKING_TOPIC] and not found & BLOCK_ASKING_TOPIC and not told_worse:
        found.add("asking")  # "is it more painful on the forehead?" asks; "what is it, it's getting worse" tells
        found.discard("worse")  # ...and the worsening it asks about is none told, nor asked of a state
        asked.pop("worse", None)  # told first ("my skin's so touchy from the cold, will the needles hurt more?")
    told = found & TOLD
    if all(e - s == 1 and tokens[s] in _bare_after(stemmer) for s, e in spans["after"]):
        told -= {"after"}  # a bare "after" names no treatment had: "¿me puede salir el herpes después?" asks
    if asked and not told:
        found |= {"harm", SPECULATED}
    elif _told_apart(told, {**spans, "after": _treatments_had(spans["after"], tokens, stemmer)}, asked):
        found |= set(asked)  # "my face is swollen, will it get worse?": told first, so taken as told
        # (not a day alone: "the next day" in "can I go to the gym the next day, I'm scared of ruining it")
    # else the effect told is inside the outcome asked about: "would that bit hurt more?" asks about pain
    return found


def _sign_matches(signs: Signs, said: str, stemmer: Callable[[str], str]
                  ) -> tuple[list[tuple[int, int, str]], list[str]]:
    """(start, end, kind) of every sign phrase in `said`, in word positions, and the stemmed words.
    `not_signs` blank out the words they cover first ("cold sore" is no sore skin), but an `ailment` is
    read before that, and so is an emergency sign that reaches past the nerves or feelings it shares words
    with ("I'm shaking" is nerves; "I'm shaking and sweating" a fever)."""
    items = tuple(sorted(signs.items()))
    index, skip = _index(items, stemmer), _intensifiers(items, stemmer)
    tokens = [stemmer(w) for w in words(said)]
    before_blanking = _phrases_in(index, tokens, skip)
    kept = [(s, e, NERVES if kind == FEELINGS else kind) for s, e, kind in before_blanking if kind in READ_BEFORE_BLANKING]
    kept += [(s, e, FEARING) for s, e, kind in before_blanking if kind == NERVES and tokens[e - 1] in _fear_links(stemmer)]
    felt = {i for s, e, kind in before_blanking if kind in (NERVES, FEELINGS) for i in range(s, e)}
    kept += [(s, e, kind) for s, e, kind in before_blanking if kind == "emergency"  # "i'm shaking [and sweating]"
             and felt.intersection(range(s, e)) and not felt.issuperset(range(s, e))]
    for start, end, kind in before_blanking:
        if kind in (NOT_SIGNS, NERVES, FEELINGS):
            tokens[start:end] = [""] * (end - start)
    return [m for m in _phrases_in(index, tokens, skip) if m[2] not in READ_BEFORE_BLANKING] + kept, tokens


@lru_cache(maxsize=8)
def _intensifiers(signs: tuple[tuple[str, tuple[str, ...]], ...], stemmer: Callable[[str], str] = stem) -> frozenset[str]:
    """The one-word `intense` phrases ("very", "really"), stemmed: a phrase is still read with one inside."""
    return frozenset(stemmer(p) for kind, phrases in signs if kind == INTENSE for p in phrases if len(words(p)) == 1)


def _phrases_in(index: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]], tokens: list[str],
                skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every phrase in `tokens`; a phrase of several words is also found with
    intensifiers (`skip`) inside it: "something is very wrong" has "is wrong", "burn really easily" "burn easily"."""
    found = _phrases_at(index, tokens)
    kept = [i for i, token in enumerate(tokens) if token not in skip]
    if len(kept) == len(tokens):
        return found
    more = {(kept[start], kept[end - 1] + 1, kind) for start, end, kind in _phrases_at(index, [tokens[i] for i in kept])
            if end - start > 1}
    return found + sorted(more - set(found))


def _phrases_at(index: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]], tokens: list[str]) -> list[tuple[int, int, str]]:
    return [(i, i + len(phrase), kind) for i, token in enumerate(tokens) for phrase, kind in index.get(token, ())
            if tuple(tokens[i:i + len(phrase)]) == phrase]


def _read_in_order(matches: list[tuple[int, int, str]], spans: Mapping[str, list[tuple[int, int]]]
                   ) -> tuple[set[str], dict[str, list[tuple[int, int]]], bool]:
    """The kinds told, the outcomes asked about, and whether a symptom, complaint or worsening was told
    with a question about it ("the treated area is blistering, will it scar?"; not a hope, "I have bumps, will
    it make them go away?", a harm asked, "...could it make them darker?", or history, "last year"); a
    worsening of a treatment had is told before any question, about it or not ("the swelling hasn't gone
    down at all, when could I put foundation on?"), and so is a symptom that went on for a while ("me sangró
    toda la noche, ¿va a dejar cicatriz?"); an outcome inside a harm asked about is asked with it ("could the
    needles... make my acne [worse]"); an emergency sign said first, or after a `telling` clause with nothing
    that asks before it, is told whatever is asked after it ("I've got spots and a fever, is it going to get
    worse?"); a supposition after words of oneself asks about what was told, not a hope ("I woke up with weepy
    bits, is it going to scar?")."""
    negated_at = {end for start, end in spans[NEGATION] if start > 0 or end > 1}  # "isn't swelling of the lips dangerous?" asks
    dismissed_at = {start for start, _ in spans[DISMISSED]}
    dismissing_ends = [end for _, end in spans[DISMISSING]]
    question_ends = [end for kind in (SPECULATING, FEARING, "asking") for _, end in spans[kind]]
    speculation_ends = [end for kind in (SPECULATING, FEARING) for _, end in spans[kind]]
    asked_after = [s for kind in (CHECKING, WONDERING, FUTURE) for s, _ in spans[kind]] + speculation_ends
    future_ends = [end for _, end in spans[FUTURE]]
    presupposed_at = {end for _, end in spans[PRESUPPOSING]}
    supposition_ends = [end for kind in ("hypothetical", CONDITIONAL) for _, end in spans[kind]]
    opened_at = [s for kind in (*OPENERS, DISMISSING) for s, _ in spans[kind]]
    found: set[str] = set()
    asked: dict[str, list[tuple[int, int]]] = defaultdict(list)
    told_outcome = told_before_a_question = worse_before_a_question = complaint_before_a_question = False
    during = spans["during"]
    for start, end, kind in matches:
        dismissed = end in dismissed_at and any(0 <= start - e <= DISMISSING_REACH for e in dismissing_ends)
        if kind in NEGATABLE and (start in negated_at or dismissed):
            found.add(DENIED)
            continue
        if kind == "after" and any(s <= start <= e for s, e in during):
            continue  # "while they're doing the treatment", "durante la sesión": the treatment named by "during", not one had
        if kind == "after" and any(s <= start and end <= e for s, e in spans[HISTORY] + spans[LONG_HAD]):
            continue  # "years ago", "desde la adolescencia": a time inside what came before, no treatment had
        if kind not in OUTCOMES:
            found.add(kind)
            continue
        if any(s <= start and end <= e for s, e in asked.get("harm", ())):
            asked[kind].append((start, end))  # inside a harm asked about: "could the needles... make my acne [worse]"
            continue
        told = _told_around(start, end, question_ends, spans, presupposed=kind == "symptom" and start in presupposed_at)
        if not told and _soon_after(start, speculation_ends):
            asked[kind].append((start, end))
            continue
        found.add(kind)
        if kind == "emergency" and told and not any(0 <= start - e <= QUESTION_REACH for e in supposition_ends):
            found.add(EMERGENCY_TOLD)
        if kind == "emergency" and (start == 0 or any(s < start for s, _ in spans[TELLING])) and not any(s < start for s in opened_at):
            found.add(EMERGENCY_TOLD)  # told before anything asks or supposes: "I've got spots and a fever, is it going to get worse?"
        if kind in {"symptom", "complaint", "worse"}:
            told_outcome |= told
            not_asked = not _soon_after(start, question_ends + future_ends)  # "...if I'll be [in agony]" asks
            before_a_question = not_asked and any(start < e for e in asked_after)
            if kind == "worse":  # ...or before any question at all ("hasn't gone down, when can I wear foundation?")
                worse_before_a_question |= before_a_question or not_asked and any(s > start for s, _ in spans["asking"])
            else:
                told_before_a_question |= before_a_question
                complaint_before_a_question |= before_a_question and kind == "complaint"
                # ...and one that went on for a while is an event told, whatever is asked after it
                # ("me sangró toda la noche, ¿va a dejar cicatriz?")
                told_outcome |= before_a_question and any(end <= s <= end + 1 for s, _ in spans["lasting"])
    # a supposition ("va a", "will it") inside words wondering whether a state there now will go ("se va a
    # quitar") or asking what to do about it ("¿aplico mupirocina o voy a urgencias?") hopes for nothing, unless
    # a harm is named in the turn ("se me queda marcada fácil, ¿me puede quedar alguna marca para siempre?");
    # a condition had long ago (`long_had`) is a hope's ground, as `history` is
    about_now = spans[WONDERING] + spans[CHECKING]
    supposing = [h for h in spans["hypothetical"] if spans["harm"] or not any(s <= h[0] and h[1] <= e for s, e in about_now)]
    # ...and a supposition or a harm asked after words of oneself, not supposed themselves ("I woke up with weepy
    # bits, is it going to scar?"; not "if I'm broken out, can it spread the spots?"), asks about what was told
    own_words = [s for s, _ in spans["personal"] if not any(c <= s <= e for c, e in spans[CONDITIONAL])]
    hoping = bool(spans["wanting"] or spans[HISTORY] or spans[LONG_HAD] or (supposing or asked) and not own_words)
    own_after = [a for a in spans["after"] if not _soon_after(a[0], [e for _, e in spans[HISTORY]])]
    # a worsening before a question is told only of a treatment had ("hasn't gone down after three days,
    # should I come in?"), not of a condition ("my melasma has come back, would it help?")
    # ...and a complaint before a question that is no hope is told ("me arruinaron la cara, ¿quién me va
    # a responder por esto?"; not "my acne has been a nightmare for years, will this help?")
    complaint_told = complaint_before_a_question and not (spans["wanting"] or spans[HISTORY])
    return found, asked, (told_outcome or told_before_a_question and bool(own_after or not hoping)
                          or worse_before_a_question and bool(own_after) or complaint_told)


def _told_apart(told: set[str], spans: Mapping[str, list[tuple[int, int]]], asked: Mapping[str, list[tuple[int, int]]]) -> bool:
    """Whether any of the `told` kinds is said outside the outcomes asked about: in "would that bit hurt
    more?" the `expected` "hurt" is part of the worsening asked, and tells nothing."""
    inside = [span for spans_asked in asked.values() for span in spans_asked]
    return any(not any(a <= s and e <= b for a, b in inside) for kind in told for s, e in spans[kind])


def _ailment_checked(spans: Mapping[str, list[tuple[int, int]]], asked: Mapping[str, list[tuple[int, int]]]) -> bool:
    """A named ailment, then a question about it ("a cold sore since the session, what should I do?"); not
    one inside an outcome asked about ("¿no me va a dar un brote de granos? ¿es común eso?")."""
    inside = [span for spans_asked in asked.values() for span in spans_asked]
    return any(start < c for start, end in spans[AILMENT] for c, _ in spans[CHECKING]
               if not any(a <= start and end <= b for a, b in inside))


def _ailment_told_since(spans: Mapping[str, list[tuple[int, int]]], tokens: list[str], stemmer: Callable[[str], str]) -> bool:
    """A named ailment told as there now and dated from a treatment ("I've got a cold sore coming up on
    my lip since the treatment, can I still use my retinol?"): `telling` just before it, "since"
    ("desde") or "after the..." a few words after it ("...on my lip after the treatment"; not "after it
    heals"), and no `history` ("I've had spots since I was a teenager" tells of none had)."""
    since, after = {stemmer("since"), stemmer("desde")}, stemmer("after")
    naming = {stemmer(word) for word in ("the", "my", "her", "his", "microneedling", "treatment", "session")}
    dated = [a for a, _ in spans["after"] if tokens[a] in since
             or tokens[a] == after and a + 1 < len(tokens) and tokens[a + 1] in naming]
    return not spans[HISTORY] and any(
        any(0 <= start - e <= 1 for _, e in spans[TELLING]) and any(end <= a <= end + QUESTION_REACH for a in dated)
        for start, end in spans[AILMENT])


def _symptom_dated_first(spans: Mapping[str, list[tuple[int, int]]], tokens: list[str], stemmer: Callable[[str], str]) -> bool:
    """A symptom said first and dated from a treatment had ("blisters came up after the treatment, can I
    shower?", "broke out in a rash after the session, what results should I expect?"): told, though no
    words of oneself say whose; not after anything that asks, supposes, fears or tells of before."""
    opened = [s for kind in OPENERS for s, _ in spans[kind]]
    had = _treatments_had(spans["after"], tokens, stemmer)
    return any(not any(s < start for s in opened) and any(end <= a <= end + DATED_REACH for a, _ in had)
               for start, end in spans["symptom"])


def _ailment_from_treatment(spans: Mapping[str, list[tuple[int, int]]], tokens: list[str],
                            stemmer: Callable[[str], str]) -> bool:
    """A named ailment told as what a treatment had left ("how many sessions would I need? I ask because
    the first one has given me a raised scar"): a treatment named as its giver ("...given me", "left me
    with") at most two words before it; not a treatment merely named ("my appointment with active acne")."""
    giving = {stemmer("me"), stemmer("with")}
    had = [(s, e) for s, e in _treatments_had(spans["after"], tokens, stemmer) if tokens[e - 1] in giving]
    return not spans[HISTORY] and any(0 <= start - e <= 2 for start, _ in spans[AILMENT] for _, e in had)


def _without_hopes_inside(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Inside "how do I get rid of" (`checking`) or "no se me quita" (`worse`), a hope ("get rid of",
    "me quita") or `history` ("i get") is none; inside "riesgo de que se me" (`speculating`) or "I'm
    prone to" (`history`), words of oneself ("se me", "I'm") are part of the question or the history, as
    they are right after `speculating` ("riesgo de que la piel [se me] ponga más oscura") or a fear ("me da
    miedo que [me] quede peor") and right before `nerves` ("I'm so worried about"), part of the fear;
    so is an intensifier inside `speculating` ("qué [tan] común es quedar hinchada").
    Inside an emergency sign, a swelling, a worsening or a complaint ("me voy a desmayar", "is the size of a
    golf ball", "va a más", "voy a poner una queja"), words that would ask ask nothing."""
    covering = [(s, e) for s, e, kind in matches if kind in (CHECKING, "worse")]
    asking = [(s, e) for s, e, kind in matches if kind in (SPECULATING, HISTORY)]
    asked_before = [(s, e) for s, e, kind in matches if kind in (SPECULATING, FEARING)]
    fear_starts = [s for s, _, kind in matches if kind == FEARING]
    signs_said = [(s, e) for s, e, kind in matches if kind in ("emergency", "swelling", "worse", "complaint")]

    def within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    def part_of_a_question(start: int, end: int) -> bool:
        return (within(start, end, asking)
                or any(s <= start <= e and end <= e + 2 for s, e in asked_before)
                or any(0 <= s - end <= 1 for s in fear_starts))
    return [(start, end, kind) for start, end, kind in matches
            if not (kind in ("wanting", HISTORY) and within(start, end, covering))
            and not (kind in ("personal", TELLING) and part_of_a_question(start, end))
            and not (kind == "intense" and within(start, end, asking))
            and not (kind in QUESTIONS and within(start, end, signs_said))]


def _told_of_elsewhere(spans: Mapping[str, list[tuple[int, int]]], tokens: list[str], stemmer: Callable[[str], str]) -> bool:
    """A question after what came before ("after my chemical peel I was flaking for a week, is it like
    that?"): `history` and a question, nothing told of one's skin now, and any treatment had named right
    next to the history phrase, not apart from it ("a facial was fine, but now after microneedling...")."""
    if not spans[HISTORY] or spans[TELLING] or spans["personal"] or not any(spans[kind] for kind in QUESTIONS):
        return False
    return all(_near(a, spans[HISTORY], reach=1) for a in _treatments_had(spans["after"], tokens, stemmer))


def _near(span: tuple[int, int], others: list[tuple[int, int]], reach: int) -> bool:
    """Whether `span` overlaps or is within `reach` words of any of `others` ("after [my] chemical peel")."""
    return any(max(0, span[0] - end, start - span[1]) <= reach for start, end in others)


def _treatments_had(after: list[tuple[int, int]], tokens: list[str], stemmer: Callable[[str], str]) -> list[tuple[int, int]]:
    """The `after` spans that name a treatment had, not a duration alone ("years ago", "for a week")."""
    return [(s, e) for s, e in after if e - s > 1 or tokens[s] not in _durations(stemmer)]


@lru_cache(maxsize=4)
def _fear_links(stemmer: Callable[[str], str]) -> frozenset[str]:
    return frozenset(stemmer(w) for w in FEAR_LINKS)


@lru_cache(maxsize=4)
def _durations(stemmer: Callable[[str], str]) -> frozenset[str]:
    return frozenset(stemmer(w) for w in DURATION_WORDS)


@lru_cache(maxsize=4)
def _bare_after(stemmer: Callable[[str], str]) -> frozenset[str]:
    return frozenset(stemmer(w) for w in BARE_AFTER)


def _soon_after(start: int, ends: list[int]) -> bool:
    """Whether a phrase starting at `start` comes within SPECULATION_REACH words after one that ends at any of `ends`."""
    return any(0 <= start - end <= SPECULATION_REACH for end in ends)


def _told_around(start: int, end: int, question_ends: list[int], spans: Mapping[str, list[tuple[int, int]]],
                 presupposed: bool = False) -> bool:
    """An outcome at start..end told rather than asked: a few words after a question `wondering` about a
    state already there ("could it be infected?"), after a `telling` clause or words of oneself between
    the question before it and it ("will it scar? it's blistering"), just after a `telling` clause with
    no question before it ("there's tiny raised marks, are they going to be permanent?"; not with a condition
    had long ago after it: "my skin went blotchy in the sun as a kid"), or next to a `present` word ("this
    rash", "blisters like this"); but never just after a `conditional` ("what happens if it's blistering?")."""
    # a `present` word inside words that ask: "...se puede infectar, ¿es cierto?", "...a mess, what are the risks?"
    asking_at = {i for s, e in spans["asking"] for i in range(s, e)}
    cond_ends = [e for _, e in spans[CONDITIONAL] if e <= start]
    if _soon_after(start, cond_ends) and not any(max(cond_ends) <= s < start for s, _ in spans[TELLING]):
        return False  # "what happens if it's blistering?"; but "how do I know if it's infected, it's yellow"
    if any(s < start < e for kind in ("asking", CONDITIONAL) for s, e in spans[kind]):
        return False  # inside the words that ask or suppose it: "...un cosquilleo [o pica] feo?", "while i [have infection]"
    if presupposed or any(e == start for kind in ("lasting", "personal") for _, e in spans[kind]):
        return True  # "is the oozing normal?": a symptom right after `presupposing`; "still crusted", "my face is raw": there now
    if any(s < start <= e + SPECULATION_REACH for kind in (WONDERING, CHECKING) for s, e in spans[kind]):
        return True  # "could it be infected?", "what should I put on the blisters?", "how long will these marks last?"
    asked_at = max((e for e in question_ends if e <= start), default=None)
    if asked_at is not None and any(asked_at <= s and e <= start for kind in (TELLING, "personal") for s, e in spans[kind]):
        return True
    running_into = [] if spans[HISTORY] else spans[TELLING]  # "my skin has [gone] darker"; not "a mi amiga le [salieron] manchas"
    long_before = any(s >= end for s, _ in spans[LONG_HAD])  # "my skin went blotchy in the sun as a kid"
    if asked_at is None and not long_before and (any(0 <= start - e <= TOLD_REACH for _, e in spans[TELLING])
                                                 or any(s < start < e for s, e in running_into)):
        return True  # "there's tiny raised marks, are they going to be permanent?": told before any question
    supposed = cond_ends or any(s < start for s, _ in spans["hypothetical"])
    if asked_at is not None and start - asked_at > QUESTION_REACH and not supposed:
        return True  # "do you do follow-ups? something is very wrong with my face": a new sentence that tells
    return any(0 <= start - e <= PRESENT_REACH for _, e in spans[POINTING]) \
        or any(end <= s <= end + PRESENT_REACH for s, _ in spans[PRESENT] if s not in asking_at)


class SignsFound(NamedTuple):
    """The kinds of sign in one turn, found once and then asked about (a phone turn asks several
    questions of the same words)."""

    kinds: frozenset[str]
    days: float | None  # how long ago it started, if said ("day four")

    @classmethod
    def of(cls, signs: Signs, said: str, stemmer: Callable[[str], str] = stem) -> "SignsFound":
        return cls(frozenset(kinds_found(signs, said, stemmer)), elapsed_days(said))

    @property
    def general(self) -> bool:
        """"Does it sting a lot?", "can it cause scarring?": a question, not a report of one's own
        state (a hypothetical counts as general: "if I have spots, ...")."""
        found = self.kinds
        if ELSEWHERE in found and not {"complaint", TOLD_OUTCOME} <= found:
            return True  # "I had a peel last year that burned me, so what is microneedling?"
        if MILD_SYMPTOM in found and "hypothetical" not in found:
            return False  # "it's only a tiny bit crusty, should I do something?": the amount of one's own symptom
        if TOLD_OUTCOME in found:
            return False  # "the treated area is blistering, will it scar?": a question after a report
        about_later = self.asks_about_later and not found & {"symptom", "lasting", "worse"}
        supposes = "hypothetical" in found and WONDERING not in found  # "va a ser alergia?" wonders about what is there
        return "asking" in found and ("personal" not in found or supposes or about_later)

    @property
    def asks_about_later(self) -> bool:
        """"Will my lips swell after it?": a question about later, not about a state already there."""
        return FUTURE in self.kinds and WONDERING not in self.kinds

    @property
    def treatment_to_come(self) -> bool:
        """Hopes or nerves about a treatment not yet had ("would it fade my dark spots?", "my daughter's
        scared it'll hurt"): benefits, suitability or pain, not a report; but a complaint, a worsening, an
        emergency sign, a treatment had, or a symptom of one's own told rather than asked about are."""
        found = self.kinds
        if "after" in found or found & {"complaint", "emergency"}:
            return False
        if {LONG_HAD, "wanting"} <= found:
            return True  # a condition had long, with a hope for it ("dark spots from the sun for years, would it fade them?")
        told = "asking" not in found and "hypothetical" not in found
        if told and "personal" in found and found & {"symptom", "worse"}:
            return False  # "my skin's gone darker in patches", "no se me quita": told of, not asked about
        if "wanting" in found:
            return True
        return NERVES in found and TOLD_OUTCOME not in found  # "I'm scared, is it normal my face has yellow crust?" tells

    @property
    def about_the_treatment(self) -> bool:
        """The treatment itself ("is pinpoint bleeding normal while they do it?"), not what came after
        nor a complaint about it ("I want to complain, my skin got burned during the session"), nor the
        eyes or lips ("something got in her eye during the treatment and she sees blurred"), nor a symptom told
        with a question about later ("my face blistered during the session, will I scar?"); words of oneself only in a
        question about a treatment to come ("during the session what will I feel, burning?")."""
        found = self.kinds
        return ("during" in found and not found & {"after", "worse", "complaint", "emergency", "airway"}
                and not {TOLD_OUTCOME, FUTURE} <= found
                and ("personal" not in found or self.asks_about_later and "lasting" not in found))

    @property
    def asks_about_harm(self) -> bool:
        """"Could it scar me?", "would it make my pigmentation worse?": a general question naming a bad
        outcome, which the risks answer covers (not hopes for a result: "can it help my scars?")."""
        if self.kinds & {"wanting", HARM_IN_HISTORY}:
            return False  # hopes, or a harm had elsewhere ("I had a bad reaction to fillers at another clinic, do you...")
        if self.general and "harm" in self.kinds:
            return True
        return SPECULATED in self.kinds and self.days is None and "personal" not in self.kinds

    @property
    def sounds_like_report(self) -> bool:
        """An effect said of one's own skin after a treatment ("sore since Monday's appointment"), or
        any words of oneself since a treatment ("she's not good after her session yesterday"), not
        mildly, not as a question, a supposition or about later ("will people tell if I pop to the shops
        the next day?"): when no topic is a sure match, it is taken for a report."""
        return ((bool(self.kinds & {"expected", "swelling"}) and bool(self.kinds & {"after", "personal"})
                 or {"after", "personal"} <= self.kinds)
                and not self.kinds & (HOLD_BACK | {"hypothetical"}) and not self.asks_about_later)

    @property
    def only_denied(self) -> bool:
        """"No tengo alergias, ¿puedo usar la crema?": a sign denied, and nothing else wrong or felt told."""
        return DENIED in self.kinds and not self.kinds & (FELT_OR_SEEN | {"after", AILMENT})

    @property
    def could_be_report(self) -> bool:
        """Whether a doubtful match to the complication answer may stand: not when the words are mild
        ("slightly pink the day after" is the article's normal) or ask a question, and name nothing worse;
        nor when nothing in them speaks of skin, a treatment or oneself ("purple monkey dishwasher")."""
        if self.kinds & {"symptom", "complaint", "emergency", "worse"}:
            return True
        return (bool(self.kinds & {"expected", "swelling", "after", "personal", "unhappy"}) and not self.kinds & HOLD_BACK
                and not self.asks_about_later)

    def sounds_normal(self, normal_days: int) -> bool:
        """A question about the article's normal effects inside its window ("a bit red the day
        after, is that expected?"): the downtime answer, which also says when to call."""
        return (bool(self.kinds & {"expected", "swelling"}) and "mild" in self.kinds
                and not self.kinds & {"symptom", "complaint", "emergency", "airway", "worse", "intense", "unhappy", "harm", "hypothetical"}
                and (self.days or 0) <= normal_days and not self.treatment_to_come)

    def past_the_window(self, normal_days: int) -> bool:
        """An effect, a symptom or a worsening said to have lasted past the article's window, of oneself
        or with "still", or then asked about ("hot and swollen on day four, is that usual?"; not hearsay: "the
        nurse said three days, is that common?"): a report even as a question ("is it normal to still be red on
        day five?"), but not a question about days to come ("will I be peeling on day four?")."""
        found = self.kinds
        return ((self.days or 0) > normal_days and bool(found & {"worse", "expected", "swelling", "lasting", "symptom", "unhappy"})
                and bool(found & {"personal", "lasting", "symptom", WONDERING, EFFECT_CHECKED}
                         or not found & {"asking", "hypothetical", SOFT_ASKING})
                and not (self.asks_about_later and "hypothetical" in found) and not self.treatment_to_come)

    def concern(self, normal_days: int) -> Concern | None:
        """The concern reported, or None when this is no problem report. `normal_days`: how long the
        article's expected redness and swelling last (48 hours: 2)."""
        found = self.kinds
        if ELSEWHERE in found and not found & {"lasting", "worse", "emergency", WONDERING, TOLD_OUTCOME}:
            return None  # "after my chemical peel I was flaking for a week, is microneedling like that?"
        past_window = self.past_the_window(normal_days)
        if {"emergency", "personal", "after"} <= found:
            return Concern.EMERGENCY  # "I've felt faint since the session, will it pass?"
        about_later = self.asks_about_later
        if {"airway", "swelling"} <= found and found & {"personal", WONDERING} and not about_later:
            return Concern.EMERGENCY  # "when will the swelling in her lips go down?": there now
        if EMERGENCY_TOLD in found or "emergency" in found and "hypothetical" not in found and not about_later:
            return Concern.EMERGENCY  # told, even with a question: "is the fever normal?" ("could it give me a fever?" asks)
        if self.general and not past_window:
            return None  # a question in general: risks, downtime
        if {"airway", "swelling"} <= found and not about_later:
            return Concern.EMERGENCY
        if past_window:
            return Concern.PROBLEM
        if self.about_the_treatment:
            return None
        if {"swelling", "intense"} <= found:
            return Concern.PROBLEM  # more than the article's slight swelling
        if {"swelling", "personal"} <= found and not found & (HOLD_BACK | {"hypothetical", FUTURE}):
            return Concern.PROBLEM  # "tengo la cara hinchada": one's own swelling told, not asked about nor said mildly
        # more than the expected effects, told and not asked ("it really really hurts after the treatment");
        # not with words of oneself, where it is often a condition ("...tengo la piel muy seca por la edad")
        if {"expected", "intense", "after"} <= found and not found & (HOLD_BACK | {"hypothetical", FUTURE, "personal"}):
            return Concern.PROBLEM
        if self.treatment_to_come:
            return None
        if {AILMENT, "after"} <= found and (TOLD_OUTCOME in found or "personal" in found and not found & (HOLD_BACK | {"hypothetical"})):
            return Concern.PROBLEM  # "I've got a cold sore since the treatment", "I'm getting spots after it",
            # "got a cold sore two days after microneedling, typical really?" (told, then asked about)
        if found & {"symptom", "complaint"} or {"unhappy", "after"} <= found:
            return Concern.PROBLEM
        if {"harm", AILMENT, "after"} <= found and not found & (HOLD_BACK | QUESTIONS_ASKED):
            return Concern.PROBLEM  # "a mi hija le salieron queloides después de la sesión": a harm told, not asked
        if "worse" in found and found & {"expected", "personal", "after", AILMENT}:
            return Concern.PROBLEM  # "acne's way worse now"
        return None


def assess(signs: Signs, normal_days: int, said: str, stemmer: Callable[[str], str] = stem) -> Concern | None:
    """The concern in `said` (already normalised speech), or None when it is no problem report;
    `stemmer`: the content's language's (the sign lists are in that language)."""
    return SignsFound.of(signs, said, stemmer).concern(normal_days)
