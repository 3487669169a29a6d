"""The phone line's language understanding: what a caller said -> intent, slots and how sure.

Alexa does its own NLU from the interaction model; on the phone we do the same from the same
model's sample utterances and slot values, plus a little data of our own (`data/matcher.yaml`, and
`data/matcher.es-US.yaml` with Snowball's Spanish stemmer for es-US):
speech-recognition fixes, stop words, synonyms, command words, out-of-scope examples, and questions
that name their topic outright (`asking_for`).

How it decides, in order:
1. A problem report after a treatment (`shared/core/safety.py`: "my lips are swelling", "still red on
   day four", "it ruined my skin") -> ComplicationIntent, always, whatever else was said.
2. A short command said alone ("next", "yes", "operator") -> that intent.
3. Slots are found (condition, activity, days) and replaced by placeholders, as in the samples.
4. TF-IDF cosine against every sample utterance and every out-of-scope example; an intent's
   score blends its best utterance with the best few, and then with the probability a classifier
   trained on the samples and every labelled question gives it (`classifier.py`: the matcher's
   second opinion, which knows how people really ask). Out-of-scope winning means decline.
5. The score picks: answer (>= ANSWER_AT), confirm (>= CONFIRM_AT), or decline. Short of an answer,
   the article's normal effects said mildly get the downtime answer, words of oneself since a
   treatment the safety answer, and a question naming its topic outright that topic (`_when_unsure`,
   `_asked_for`); the last also when another topic is answered but not sure (< SURE_AT). A condition
   named with nothing else sure offers suitability for it rather than declining.
"""
from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter, defaultdict
from enum import StrEnum
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from shared.core import content as content_module, intents, rules, safety, text as text_module
from shared.core.content import Content
from shared.kept import keep, read_kept
from shared.models.reading import InteractionModel
from shared.understanding.classifier import Classifier, classifier_path, load_classifier
from shared.core.text import PhraseTable, parse_days, phrase_table, replace_phrases, stem, stemmer_for, words

DATA_PATH = Path(__file__).resolve().parent / "data" / "matcher.yaml"
TOKENS_FOLDER = DATA_PATH.parent / "__matchercache__"  # every sample's tokens, kept between processes
TOKENISING_CODE = (Path(__file__), Path(text_module.__file__), Path(content_module.__file__))
OUT_OF_SCOPE = "OUT_OF_SCOPE"
SLOT_TOKENS = {"condition": "slotcondition", "activity": "slotactivity", "days": "slotday"}
MAX_WORDS = 60  # a caller's turn longer than this is cut (Twilio sends at most a few sentences)...
HEAD_WORDS = 20  # ...to its first words (who, which treatment, when) and its last (what is wrong now, the question)

# Thresholds chosen from the dev set's score curve (see `clinic-voice eval` and the README), on the samples'
# scores; since the classifier they apply to the blend, and held-out sets were measured again on it.
ANSWER_AT = 0.50
CONFIRM_AT = 0.30
ANSWER_MARGIN = 0.05   # a topic answered outright is at least this far ahead of the next one
SURE_AT = 0.70         # a topic this close to a sample is answered even when the question names another
NEVER_CONFIRMED = frozenset({intents.COMPLICATION, intents.FRONT_DESK})  # a report or a person: never "did you mean"
TOP_K = 3              # an intent's score: best utterance blended with the mean of its best TOP_K
BEST_WEIGHT = 0.7
CENTROID_WEIGHT = 0.2  # ...and with the intent's centroid, so a one-word question finds its topic
CLASSIFIER_WEIGHT = 0.5  # ...and then half and half with the classifier's probability (0.3 and 0.7 measured no better)
TREATMENT_NAME = "microneedling"  # as speech is normalised in both languages ("micro kneeling", "micro nidlin")
OPENING_WORDS = 6       # a yes or no that opens a turn is said within its first words (`opening_reply`)
AS_WRITTEN = 0.9        # a sample this near (cosine) leaves the classifier out: the samples decide
REPORT_SURE = 0.75      # a report the classifier is this sure of stands though the signs hear a treatment to come, or only oneself
REPORT_NEGLIGIBLE = 0.10  # ...and a report it gives less than this is the samples' to keep first only where the signs hear one
TOPICS_AT_LEAST = 0.25   # ...whose opinion of the topics counts, in words that report nothing, where it gives them this much
UNKNOWN_WORD_IDF = 3.5  # weight of a word no utterance has: lowers similarity, but not too much
SLOT_IDF = 3.0         # a slot placeholder weighs like a fairly rare word

# A word cut off and restarted, as the recogniser writes it: "the whole c- course", "sh- should i", "my f- my face"
CUT_OFF = re.compile(r"(?<![\w'-])[^\W\d_]{1,3}-(?=\s)")
STUTTERED = re.compile(r"(?<![\w'-])((?:([^\W\d_]{1,2})-)+)(?=\2)")  # "c-cooking", "n-n-needled": the sound said before its word

HESITATIONS = frozenset({"er", "erm", "um", "uh", "uhm", "em"})  # "that's er that's everything": a restart
STRETCHED = re.compile(r"(\w)\1{2,}")  # a letter written three or more times running: "byeee", "sooo"

# "when can I use my hyaluronic serum again": what they want to do, when the content doesn't know it,
# so the answer can name it ("our information doesn't say...") instead of asking again.
UNKNOWN_ACTIVITY = re.compile(r"\b(?:use|wear|put on|apply|go back to|start|go to|get|have|do)\s+(?:my |a |an |the |some )?"
                              r"(?P<thing>[a-z' ]{3,40}?)\s*(?:\bagain\b|\bafter|\bfollowing\b|\bpost\b|\bonce\b|$)")

GENERIC_THINGS = frozenset({"it", "that", "this", "things", "stuff", "products", "product", "skincare", "routine",
                            "my routine", "normal", "anything"})
COMMAND_FILLER = frozenset({"please", "thanks", "thank", "you", "um", "uh", "oh", "ok", "okay", "well", "just", "and", "then",
                            "i", "think", "actually", "sorry", "most", "kind", "cheers", "mate", "love", "so", "erm", "hmm", "now",
                            "right", "ta", "hang", "on", "got", "it", "po", "mm", "mmm", "hm", "er", "wait",
                            "por", "favor", "gracias", "eh", "este", "pues", "y", "entonces", "mire", "oiga",
                            "alexa", "can", "could", "dear", "for", "honey", "hon", "darling", "sweetheart",
                            "ma'am", "maam", "madam", "sir", "if", "kindly", "whatever", "heck", "ag", "man", "hey",
                            "salamat", "shukran", "ji", "mean", "hold", "fine", "alright", "ope", "yall", "real",
                            "quick", "much", "many", "very", "in", "ooh", "ooo", "mon", "oya", "abeg", "lovely",
                            "hello", "lot", "ah", "aw", "och", "brah", "bruddah", "sistah",
                            "lah", "leh", "lor", "already",  # Singapore and Malaysia: "can lah", "no already thanks"
                            "k", "kk", "ngl", "lol", "tbh", "fr", "lowkey", "gotchu", "gotcha",  # texting words said aloud
                            "eish",  # South African surprise
                            "merci",  # Quebec English: "non merci", "oui merci"
                            "acha", "accha", "achha", "yaar", "chalo", "only",  # Urdu and Hindi English: "no i'm fine only"
                            "ay", "naku", "uhm",  # Taglish surprise: "ay hindi"; a hesitation
                            "period", "punto",  # a full stop said aloud by someone dictating ("nope period")
                            "duw", "tidy", "mun", "doamne", "bruh", "istg",  # Welsh, Romanian, texting: "tidy, what's next"
                            "la", "pet", "hinny", "cher", "mais", "y'all", "honestly",  # Scouse, Geordie, Cajun: "yeah la", "mais non"
                            "nu", "spasibo", "bozhe",  # Russian and Ukrainian English: "net spasibo", "nu no"
                            "obrigada", "obrigado", "beijo", "gente", "nossa",  # Brazilian English: "não, obrigada"
                            "tamam", "ela", "allora",  # Turkish, Greek, Italian English: "tamam, next one"
                            "inshallah", "mashallah", "bon", "mesi", "tanpri",  # Somali, Haitian English: "bon, continue"
                            "wallah", "yalla", "khalas", "habibi", "habibti", "yani",  # Arabic English: "yalla go on"
                            "ben", "euh", "tsé", "oui",  # Quebec English: "ben non", "not right now oui"
                            "baby", "chile", "deadass",  # "naw that's all thank you baby"
                            "reckon",  # Southern US: "nope reckon that covers it"
                            "awright", "aright", "like", "literally", "totally", "precisely", "honestly",  # "awright go on", "literally yes please"
                            # a yes or no passed on for someone else ("yeah she says yes please"; and `relatives`)
                            "she", "he", "they", "she's", "he's", "they're", "we", "we're", "we'll", "i'll", "says",
                            "said", "her", "him", "them", "us", "ask", "my"})

OPENING_MARKERS = frozenset({"ok", "okay", "alright", "so", "well", "um", "uh", "oh", "and"})  # "ok so what is it"
# "Which hurts less, laser or waxing?": a choice between treatments; with none of ours named, not our pain
CHOICE_OPENERS = ("which hurts", "which is more painful", "which is less painful", "que duele menos", "que duele mas",
                  "que es mas doloroso", "que es menos doloroso", "cual duele")
QUESTION_OPENERS = frozenset({"what", "como", "mas", "otro"})  # commands alone, but "what is it anyway" asks
QUESTION_WORDS = frozenset({"how", "what", "when", "why", "which", "can", "could", "will", "would", "should", "does", "do",
                            "como", "cuando", "cuanto", "cuantos", "cuantas", "puedo", "debo"})  # words that ask
ASIDE_NEAREST = 0.5  # an aside ("I've got to go, the dog's out") nearer a sample than this may be a question
ASIDE_NEVER = safety.FELT_OR_SEEN | {"asking", safety.SOFT_ASKING}  # kinds of sign no aside has: a report or a question


class Decision(StrEnum):
    ANSWER = "answer"
    CONFIRM = "confirm"
    DECLINE = "decline"


class Match(NamedTuple):
    intent: str | None                 # None when declined
    slots: dict[str, str]
    score: float
    decision: Decision
    nearest: tuple[tuple[float, str, str], ...] = ()  # (score, intent, utterance)
    candidate: str | None = None       # the best-scoring intent (or OUT_OF_SCOPE) before thresholds


def decide(intent: str, score: float, answer_at: float | None = None, confirm_at: float | None = None) -> Decision:
    """Answer, confirm or decline by score; the out-of-scope examples winning always declines."""
    answer_at = ANSWER_AT if answer_at is None else answer_at
    confirm_at = CONFIRM_AT if confirm_at is None else confirm_at
    if intent == OUT_OF_SCOPE or score < confirm_at:
        return Decision.DECLINE
    return Decision.ANSWER if score >= answer_at else Decision.CONFIRM


class MatcherData(NamedTuple):
    asr_fixes: dict[str, str]          # normalised wrong phrase -> right phrase
    asr_table: PhraseTable             # the wrong phrases by first word, the longest first
    stop_words: frozenset[str]
    canonical: dict[str, str]
    commands: dict[str, str]           # normalised phrase -> intent
    out_of_scope: tuple[str, ...]
    asking_for: tuple[tuple[str, str], ...] = ()  # (normalised phrase, intent): a question that names its topic
    filler: frozenset[str] = COMMAND_FILLER       # words around a command (with the locale's `relatives`)
    respellings: tuple[tuple[re.Pattern[str], str], ...] = ()  # a whole word as heard -> as spelt ("ehta" -> "esta")
    dropped_endings: tuple[str, ...] = ()  # a final letter speech drops: "despue" is "despues" where only that is known
    longest_command: int = 0  # how many words the longest command phrase has ("i didn't quite catch that one")
    other_treatments: tuple[str, ...] = ()  # "laser", "botox": what one of them does is no answer of ours
    refers_back: frozenset[str] = frozenset()  # "it", "this": words that may stand for our treatment
    corrections: tuple[str, ...] = ()  # "scratch that", "borra eso": a reply said again after them


def data_path(locale: str) -> Path:
    """The matcher data for a locale: `data/matcher.<locale>.yaml` if there is one (es-US), else English."""
    path = DATA_PATH.with_name(f"matcher.{locale}.yaml")
    return path if path.exists() else DATA_PATH


@lru_cache(maxsize=4)
def load_matcher_data(path: Path = DATA_PATH, stem: Callable[[str], str] = stem) -> MatcherData:
    from shared.core.content import read_data
    raw: dict[str, Any] = read_data(path)  # type: ignore[assignment]
    canonical: dict[str, str] = {}
    for group in raw["synonyms"]:
        head = stem(group[0])
        for word in group:
            canonical[" ".join(stem(w) for w in words(word))] = head
    fixes = {" ".join(words(k)): " ".join(words(v)) for k, v in raw["asr_fixes"].items()}
    commands = {" ".join(words(p)): intent for intent, phrases in raw["commands"].items() for p in phrases}
    commands = {phrase.replace("'", ""): intent for phrase, intent in commands.items()} | commands  # "whats next"
    table = phrase_table(fixes)
    # read as speech is (slips fixed), so "what actually is microneedling" is looked for as it will be heard
    asking_for = tuple(dict.fromkeys((replace_phrases(" ".join(words(p)), table), intent)
                                     for intent, phrases in raw.get("asking_for", {}).items() for p in phrases))
    relatives = raw.get("relatives", [])
    respellings = tuple((re.compile(pattern), spelt) for pattern, spelt in raw.get("respellings", []))
    dropped = tuple(raw.get("dropped_endings", []))
    return MatcherData(fixes, table, frozenset(stem(w) for w in raw["stop_words"] + relatives), canonical, commands,
                       tuple(raw["out_of_scope"]), asking_for,
                       COMMAND_FILLER | frozenset(relatives) | frozenset(f"{w}'s" for w in relatives), respellings, dropped,
                       max((len(phrase.split()) for phrase in commands), default=0),
                       tuple(" ".join(words(p)) for p in raw.get("other_treatments", [])),
                       frozenset(raw.get("refers_back", [])),
                       tuple(" ".join(words(p)) for p in raw.get("corrections", [])))


def _stammered(word: str, after: str) -> bool:
    """A first sound said before the word it starts ("n" in "n next one"): a letter that is no word of
    its own ("a", "i", and in Spanish "y", "o", "e", "u" are), heard right before a word beginning with it."""
    return len(word) == 1 and word not in "aiyoeu" and len(after) > 1 and after.startswith(word)


class Matcher:
    def __init__(self, content: Content, model: InteractionModel, data: MatcherData | None = None):
        self.stem = stemmer_for(content.locale)
        self.content = content
        self.data = data or load_matcher_data(data_path(content.locale), self.stem)
        self.normal_days = rules.normal_days(content)
        examples = [(intent.name, sample) for intent in model.intents.values() for sample in intent.samples]
        examples += [(OUT_OF_SCOPE, sample) for sample in self.data.out_of_scope]
        self.examples = examples
        token_lists = self._sample_tokens(examples)
        self.idf = self._idf(token_lists)
        slot_tokens = set(SLOT_TOKENS.values())
        self.example_slots = [frozenset(slot_tokens.intersection(tokens)) for tokens in token_lists]
        self._slotted: dict[frozenset[str], frozenset[int]] = {}
        self.postings, self.centroids = self._postings(token_lists)
        self.classifier: Classifier | None = load_classifier(classifier_path(content.locale))

    # ------------------------------------------------------------ text -> tokens

    def _sample_tokens(self, examples: list[tuple[str, str]]) -> list[list[str]]:
        """Every sample's tokens: most of a new matcher's cost, so kept between processes
        (`shared/kept.py`) under a digest of everything that decides them."""
        path, key = TOKENS_FOLDER / f"{self.content.locale}.json", self._tokens_key(examples)
        kept = read_kept(path, key)
        if isinstance(kept, list) and len(kept) == len(examples):
            return kept
        token_lists = [self.sample_tokens(sample) for _, sample in examples]
        keep(path, key, token_lists)
        return token_lists

    def _tokens_key(self, examples: list[tuple[str, str]]) -> str:
        """The samples, the word lists, the conditions' names and the code that tokenises them, by two
        checksums and the length: a key that tells versions apart, not a guard against forgery (whoever
        can write the kept file can write the code), and zlib loads in a fraction of hashlib's 4 ms."""
        data = self.data
        decided_by = {"examples": examples, "asr_fixes": data.asr_fixes, "stop_words": sorted(data.stop_words),
                      "canonical": data.canonical, "locale": self.content.locale,
                      "conditions": {key: [c.name, *c.synonyms] for key, c in sorted(self.content.conditions.items())}}
        text = json.dumps(decided_by, sort_keys=True, ensure_ascii=False).encode()
        text += b"".join(path.read_bytes() for path in TOKENISING_CODE)
        return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}-{len(text)}"

    def normalise(self, text: str) -> str:
        """Lowercase words with speech-recognition slips fixed: 'micro kneeling' -> 'microneedling'; a
        stutter or a restart read once: a word said twice running ('does does it hurt'), or with a hesitation
        between ("that's er that's everything"), a stammered first sound opening the turn ('n n no thanks'),
        a word cut off and started again ('the whole c- course') or its first sound said before it ('c-cooking');
        and a word drawn out as written read as the word it draws out: 'okay byeee'."""
        text = CUT_OFF.sub(" ", STUTTERED.sub("", text or ""))
        heard = [self._respelt(word) for word in words(text)] if self.data.respellings else words(text)
        heard = [self._unstretched(word) if STRETCHED.search(word) else word for word in heard]
        heard = [word for i, word in enumerate(heard) if i == 0 or word != heard[i - 1]]
        heard = [word for i, word in enumerate(heard) if not self._restarted(heard, i)]
        if len(heard) > 1 and _stammered(heard[0], heard[1]):
            heard = heard[1:]
        if len(heard) > MAX_WORDS:
            heard = heard[:HEAD_WORDS] + heard[HEAD_WORDS - MAX_WORDS:]
        said = " ".join(heard)
        joined = self._joined(replace_phrases(said, self.data.asr_table))
        return self._completed(joined) if self.data.dropped_endings else joined

    @staticmethod
    def _restarted(heard: list[str], i: int) -> bool:
        """Whether heard[i] is a word, or the hesitation after it, said again after the hesitation:
        "is the uh the pain worse" reads "is the pain worse"."""
        if i + 2 < len(heard) and heard[i + 1] in HESITATIONS and heard[i + 2] == heard[i]:
            return True
        return 0 < i < len(heard) - 1 and heard[i] in HESITATIONS and heard[i + 1] == heard[i - 1]

    def _respelt(self, word: str) -> str:
        """A word as spelt, when the recogniser wrote it as said (`respellings`: "ehta" -> "esta")."""
        for pattern, spelt in self.data.respellings:
            word = pattern.sub(spelt, word)
        return word

    def _unstretched(self, word: str) -> str:
        """A word drawn out as written ("byeee", "pleeease", "okayyy") as the word the samples, content or
        commands know with the drawn-out letter twice or once ("sooo" is "so", "goood" is "good"); a word
        known as heard, or unknown either way, stays ("zzz")."""
        known = self.vocabulary
        if word in known:
            return word
        return next((w for w in (STRETCHED.sub(r"\1\1", word), STRETCHED.sub(r"\1", word)) if w in known), word)

    def _completed(self, said: str) -> str:
        """Words with a final letter the speaker dropped put back ("las aguja", "despue", "cicatri"), where
        the word as heard is unknown and with the letter it is a word the samples or the content know."""
        known = self.vocabulary
        return " ".join(word if word in known or len(word) < 3
                        else next((word + end for end in self.data.dropped_endings if word + end in known), word)
                        for word in said.split())

    def _joined(self, said: str) -> str:
        """A word the recogniser split in two joined again where only the whole is a word the samples
        or the content know ("bene fits", "fill ers", "blis tering"); two known words stay apart, and
        a little word is no half ("a head ache" is not "ahead ache"). Never changes a sample: all of
        its words are known."""
        heard, known, stop_words = said.split(), self.vocabulary, self.data.stop_words
        out: list[str] = []
        i = 0
        while i < len(heard):
            pair = heard[i] + heard[i + 1] if i + 1 < len(heard) else ""
            if pair in known and (heard[i] not in known or heard[i + 1] not in known) \
                    and self.stem(heard[i]) not in stop_words and self.stem(heard[i + 1]) not in stop_words:
                out.append(pair)
                i += 2
            else:
                out.append(heard[i])
                i += 1
        return " ".join(out)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The words of the samples, of the content's condition and activity names, of its safety signs
        and of the commands (built on first use: a matcher loaded with its kept tokens does not pay for it)."""
        names = chain.from_iterable([item.name, *item.synonyms] for item in
                                    chain(self.content.conditions.values(), self.content.activities.values()))
        signs = chain.from_iterable(self.content.safety_signs.values())
        texts = chain((s for _, s in self.examples), names, signs, self.data.commands)
        return frozenset(chain.from_iterable(words(text) for text in texts))

    def tokens(self, text: str) -> list[str]:
        """Stemmed, canonical topic words (stop words removed). "ok" opening a turn is a discourse
        marker, not "is it ok?" (a synonym of safe): "ok so what even is microneedling" asks what it is."""
        canonical, stop_words = self.data.canonical, self.data.stop_words
        heard = text.split()
        while heard and heard[0] in OPENING_MARKERS:
            heard = heard[1:]
        stems = [self.stem(w) for w in heard]
        out: list[str] = []
        i, n = 0, len(stems)
        while i < n:
            pair = f"{stems[i]} {stems[i + 1]}" if i + 1 < n else None
            two = pair in canonical
            token = canonical[pair] if two else canonical.get(stems[i], stems[i])
            if token not in stop_words:
                out.append(token)
            i += 2 if two else 1
        return out

    def sample_tokens(self, sample: str) -> list[str]:
        """A sample utterance's tokens, its {slots} as placeholders (what `_rank` compares questions to)."""
        return self.tokens(self._placeholders(sample))

    def _placeholders(self, sample: str) -> str:
        for slot, token in SLOT_TOKENS.items():
            sample = sample.replace("{" + slot + "}", token)
        return self.canonical_conditions(self.normalise(sample))

    def canonical_conditions(self, said: str) -> str:
        """Conditions by their canonical names, in samples and in speech alike: "cold sore" is an
        infection (not "sore", i.e. pain), "scarring" is "acne scars"."""
        return self.content.condition_index.substitute(said, lambda key: key.replace("_", " "))[0]

    @staticmethod
    def _idf(token_lists: list[list[str]]) -> dict[str, float]:
        n = len(token_lists)
        df = Counter(chain.from_iterable(map(set, token_lists)))
        idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
        return idf | {token: SLOT_IDF for token in SLOT_TOKENS.values()}

    def _postings(self, token_lists: list[list[str]]
                  ) -> tuple[dict[str, list[tuple[int, float]]], dict[str, list[tuple[str, float]]]]:
        """token -> [(sample, weight in the sample's normalised vector)], and token -> [(intent, weight
        in the intent's normalised centroid)]: one pass over the samples, as it is most of a new
        matcher's cost once their tokens are kept."""
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for i, ((intent, _), tokens) in enumerate(zip(self.examples, token_lists)):
            total = sums[intent]
            for token, weight in self._vector(tokens).items():
                postings[token].append((i, weight))
                total[token] += weight
        centroids: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for intent, vector in sums.items():
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for token, weight in vector.items():
                centroids[token].append((intent, weight / norm))
        return postings, centroids

    def _vector(self, tokens: Iterable[str]) -> dict[str, float]:
        idf = self.idf
        counts: dict[str, float] = {}
        for token in tokens:
            counts[token] = counts.get(token, 0.0) + idf.get(token, UNKNOWN_WORD_IDF)
        norm = math.sqrt(sum([v * v for v in counts.values()])) or 1.0
        return {t: v / norm for t, v in counts.items()}

    # ------------------------------------------------------------ slots

    def extract_slots(self, said: str) -> tuple[dict[str, str], str]:
        """Slots found in normalised speech, and the speech with each slot replaced by its placeholder."""
        slots: dict[str, str] = {}
        condition = rules.find_condition(self.content, said)
        if condition:
            slots["condition"] = condition.key.replace("_", " ")
            said, _ = self.content.condition_index.substitute(said, lambda key: SLOT_TOKENS["condition"])
        said, activities = self.content.activity_index.substitute(said, lambda key: SLOT_TOKENS["activity"], limit=1)
        if activities:
            slots["activity"] = activities[0].replace("_", " ")
        if "activity" in slots:
            days = parse_days(said)
            if days is not None:
                slots["days"] = str(days)
                said = f"{said} {SLOT_TOKENS['days']}"
        return slots, said

    # ------------------------------------------------------------ matching

    def match(self, text: str, explain: bool = False) -> Match:
        """`explain` also finds the nearest sample utterances (for staff; the phone line needs none)."""
        said = self.normalise(text or "")
        if not said:
            return Match(None, {}, 0.0, Decision.DECLINE)
        signs = safety.SignsFound.of(self.content.safety_signs, said, self.stem)
        first = self._before_topics(said, signs)
        if first:
            return first
        slots, slotted = self.extract_slots(said)
        ranked, nearest = self._ranked(said, slots, slotted if slots else None, signs, explain)
        if not ranked:
            if self._only_the_treatment(said):  # "microneedling?": "Did you want to know what it is?"
                return Match(intents.WHAT_IS, {}, CONFIRM_AT, Decision.CONFIRM, nearest, intents.WHAT_IS)
            return Match(None, slots, 0.0, Decision.DECLINE, nearest)
        intent, score = ranked[0]
        intent = self._corrected(intent, slots, signs)
        decision = decide(intent, score)
        if intent == intents.BENEFITS and self._about_another_treatment(said) \
                or intent == intents.PAIN and self._choice_between_others(said):
            return Match(None, slots, score, Decision.DECLINE, nearest, intent)  # "does laser help with dark spots?"
        if intent == intents.FRONT_DESK and decision is Decision.CONFIRM and signs.could_be_report:
            decision = Decision.ANSWER  # "I need to talk to somebody about how my treatment turned out": no "did you mean"
        if decision is not Decision.ANSWER:
            # with an activity named, only the article's normal effects said mildly settle it ("pink as if
            # I'd caught the sun, the day after"): not "when can I go in the sun, I had it yesterday"
            settled = (self._when_unsure(signs, nearest, intent) or self._asked_for(said, nearest)) if "activity" not in slots \
                else self._normal_effects(signs, nearest, intent)
            if settled:
                return settled
        elif decision is Decision.ANSWER and not self._slots_for(intent, slots) \
                and (self._near_tie(ranked) or self._named_elsewhere(said, intent, score)):
            # (the first ranked stands for the classifier's opinion in `_asks_when`)
            if ranked[1:2] and ranked[1][0] == intents.COMPLICATION and signs.sounds_like_report and "personal" in signs.kinds \
                    and not self._asks_when(slots, signs, {intent: score}):
                return self._taken_for_report(nearest)  # "why am I still swollen?": one's own state, a near-tie
            settled = self._asked_for(said, nearest)
            if settled:
                return settled
            decision = Decision.CONFIRM
        if decision is Decision.DECLINE and "condition" in slots and intent != OUT_OF_SCOPE:
            # "I had a keloid on my ear years ago, does that matter?": offer suitability for the condition named
            return Match(intents.SUITABILITY, self._slots_for(intents.SUITABILITY, slots), score, Decision.CONFIRM,
                         nearest, intents.SUITABILITY)
        if decision is Decision.DECLINE:
            return Match(None, slots, score, decision, nearest, intent)
        if intent in (intents.AFTERCARE_TIMING, intents.REMINDER) and "activity" not in slots:
            slots = {**slots, **self._unknown_activity(said)}
        return Match(intent, self._slots_for(intent, slots), score, decision, nearest, intent)

    def _before_topics(self, said: str, signs: safety.SignsFound) -> Match | None:
        """What is decided before any topic: a problem report, a command said alone, or a general
        question naming a bad outcome ("could it scar me?": the risks answer)."""
        concern = signs.concern(self.normal_days)
        if concern:
            return Match(intents.COMPLICATION, {"concern": concern.value}, 1.0, Decision.ANSWER)
        command = self._command(said)
        if command:
            return Match(command, {}, 1.0, Decision.ANSWER)
        if signs.asks_about_harm:
            return Match(intents.RISKS, {}, 1.0, Decision.ANSWER)
        return None

    def _ranked(self, said: str, slots: dict[str, str], slotted: str | None, signs: safety.SignsFound,
                explain: bool) -> tuple[list[tuple[str, float]], tuple]:
        """Intents by score. A condition named without an activity is no timing question ("I'm on
        Accutane, is that a no-go?"); the complication answer stays first only where the words may
        report a problem, and then a doubt about it falls on the safe side."""
        heard, heard_slotted = self._token_lists(said, slotted)
        by_samples, nearest, closest = self._best_of(heard, heard_slotted, explain)
        opinion = self._opinion(heard if heard_slotted is None else heard_slotted, signs, by_samples, closest, slots)
        ranked = self._blended(by_samples, opinion, signs, slots)
        if ranked and ranked[0][0] == intents.COMPLICATION:
            if self._no_report_told(signs, ranked[0], by_samples, opinion) or self._asks_when(slots, signs, opinion):
                ranked = self._blended(by_samples, opinion, signs, slots, report=False)
            elif signs.kinds & safety.OUTCOMES or not self._named_topic(said):
                if decide(*ranked[0]) is Decision.CONFIRM:  # a doubt falls on the safe side
                    ranked[0] = (intents.COMPLICATION, ANSWER_AT)
            else:  # "my sister had it done, what even is it?": nothing wrong told, a topic named
                ranked = self._blended(by_samples, opinion, signs, slots, report=False)
        return ranked, nearest

    def _asks_when(self, slots: dict[str, str], signs: safety.SignsFound, opinion: dict[str, float]) -> bool:
        """An activity named, no sign but words of oneself since a treatment inside the article's window,
        and the classifier hears a timing question ("I had it Saturday, can I wear foundation to church on
        Sunday?"; not "I think I'm allergic to the serum they used"): it asks when, and reports nothing."""
        return ("activity" in slots and signs.kinds == {"after", "personal"} and (signs.days or 0) <= self.normal_days
                and bool(opinion) and max(opinion, key=opinion.__getitem__) == intents.AFTERCARE_TIMING)

    def _token_lists(self, said: str, slotted: str | None) -> tuple[list[str], list[str] | None]:
        """The tokens ranked: of the words as said (conditions by their canonical names), and, when slots
        were found, with slot placeholders as in the samples."""
        return self.tokens(self.canonical_conditions(said)), (None if slotted is None else self.tokens(slotted))

    def classifier_tokens(self, said: str, slotted: str | None) -> list[str]:
        """What the classifier reads: the words with slot placeholders where slots were found, as in
        the samples (`classifier.training_pairs` reads labelled questions the same way; `_ranked` passes
        the lists it already has)."""
        heard, heard_slotted = self._token_lists(said, slotted)
        return heard if heard_slotted is None else heard_slotted

    def _opinion(self, tokens: list[str], signs: safety.SignsFound, by_samples: list[tuple[str, float]],
                 closest: float, slots: dict[str, str]) -> dict[str, float]:
        """The classifier's probabilities (none without one). A sample said as written, or nearly (a taught
        phrase with a number after it), is the samples' to decide; words of oneself after a treatment that
        the samples can't place keep no topic from it, only a report ("my face is infect ted after the
        treatment": `_when_unsure` gives the safety answer), unless they ask when of an activity
        (`_asks_when`: "me lo hice el sábado, ¿puedo ponerme base el domingo?")."""
        if not self.classifier or closest >= AS_WRITTEN:
            return {}
        opinion = self.classifier.probabilities(tokens)
        if signs.sounds_like_report and not self._asks_when(slots, signs, opinion) \
                and not (by_samples and decide(*by_samples[0]) is Decision.ANSWER):
            return {intent: p for intent, p in opinion.items() if intent == intents.COMPLICATION}
        return opinion

    def _no_report_told(self, signs: safety.SignsFound, first: tuple[str, float], by_samples: list[tuple[str, float]],
                        opinion: dict[str, float]) -> bool:
        """The complication answer ranked first, but the signs say nothing wrong is told: a general question
        ("do people ever react badly?"), the treatment itself, a sign denied, the article's normal effects
        said mildly inside its window and not said to last ("barely puffy and pink the day after, but it
        doesn't bother me": the downtime answer, which says when to call), a doubtful match in words
        that report nothing ("purple monkey dishwasher"), hopes for a treatment to come (unless the
        classifier is sure: "...la primera me dejó la piel abierta"), or a report the classifier raised alone,
        short of sure, from words that only speak of oneself or of a condition had long ("since I'm calling
        anyway, what are your prices", "ever since I was a teenager I've had oily skin"), or no sign at all
        while the classifier hears a topic ("how spread out are the sessions": "spread" is a report sample's)."""
        unsure = decide(*first) is Decision.CONFIRM
        raised = not by_samples or by_samples[0][0] != intents.COMPLICATION
        sure = opinion.get(intents.COMPLICATION, 0.0) >= REPORT_SURE
        normal = signs.sounds_normal(self.normal_days) and "lasting" not in signs.kinds
        return (signs.general or signs.about_the_treatment or signs.only_denied or normal
                or unsure and not signs.could_be_report
                or signs.treatment_to_come and not sure
                or raised and signs.kinds <= {"personal", safety.LONG_HAD} and not sure
                or not signs.kinds and bool(opinion) and max(opinion, key=opinion.__getitem__) != intents.COMPLICATION)

    @staticmethod
    def _as_no_report(opinion: dict[str, float]) -> dict[str, float]:
        """The classifier's opinion of the topics, as if it knew no report was told; none where it gives
        the topics next to nothing (its choice among them would be noise)."""
        rest = 1.0 - opinion.get(intents.COMPLICATION, 0.0)
        return {i: p / rest for i, p in opinion.items() if i != intents.COMPLICATION} if rest >= TOPICS_AT_LEAST else {}

    def _blended(self, by_samples: list[tuple[str, float]], opinion: dict[str, float], signs: safety.SignsFound,
                 slots: dict[str, str], report: bool = True) -> list[tuple[str, float]]:
        """The samples' ranking blended with the classifier's probabilities, the samples' first kept first
        where `_keeps_lead` says so. With `report` False (the signs say no report is told), the topics
        alone, with the classifier's opinion of them as if it knew no report was told."""
        if not report:
            by_samples = [r for r in by_samples if r[0] != intents.COMPLICATION]
            opinion = self._as_no_report(opinion)
        ranked = by_samples
        if opinion:
            scores = dict(by_samples)
            blended = {intent: CLASSIFIER_WEIGHT * opinion.get(intent, 0.0) + (1 - CLASSIFIER_WEIGHT) * scores.get(intent, 0.0)
                       for intent in {*opinion, *scores}}
            first = by_samples[0] if by_samples else (None, 0.0)
            if self._keeps_lead(first, opinion, signs, report):
                blended[first[0]] = max(max(blended.values()), first[1])
            ranked = sorted(blended.items(), key=lambda r: (-r[1], r[0] != first[0], r[0]))
        if "condition" in slots and "activity" not in slots:
            ranked = [r for r in ranked if r[0] not in (intents.AFTERCARE_TIMING, intents.REMINDER)]
        return ranked

    @staticmethod
    def _keeps_lead(first: tuple[str | None, float], opinion: dict[str, float], signs: safety.SignsFound,
                    report: bool) -> bool:
        """Whether the samples' first stays first whatever the classifier says: a report, in words that
        could report one or with a score that would answer ("what is it, it's getting worse"), unless the
        classifier all but rules a report out and the signs tell nothing wrong ("someone said it feels like
        sandpaper, is that true?", "I'm sorry to bother you, but what is this needling business?"; but not
        displeasure of oneself: "I'm not okay"); a request
        for a person the classifier hears as a report or a request ("I need to talk to somebody about how
        my treatment turned out") or said with words that may report a problem ("put me through to someone,
        I had the treatment and I'm worried"); a question near one of staff's out-of-scope examples ("do you
        do lasers")."""
        intent, score = first
        if intent == intents.COMPLICATION:
            told = signs.kinds & safety.OUTCOMES or signs.sounds_like_report or {"unhappy", "personal"} <= signs.kinds
            negligible = opinion.get(intent, 1.0) < REPORT_NEGLIGIBLE and not told
            return report and not negligible and (signs.could_be_report or decide(intent, score) is Decision.ANSWER)
        if intent == intents.FRONT_DESK:  # ...or in words that may report one ("...I had it and I'm worried")
            return max(opinion, key=opinion.__getitem__) in NEVER_CONFIRMED or signs.sounds_like_report
        return intent == OUT_OF_SCOPE and score >= SURE_AT

    @staticmethod
    def _near_tie(ranked: list[tuple[str, float]]) -> bool:
        """A topic barely ahead of the next one: confirmed, not answered, as near-ties are where wrong
        topics come from ("is it dangerous at all": risks or suitability). Never a report or a person;
        `match` also answers a topic whose slot was named ("I get breakouts, can I still have it?")."""
        (intent, score), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        return intent not in NEVER_CONFIRMED and score - runner_up < ANSWER_MARGIN

    @staticmethod
    def _corrected(intent: str, slots: dict[str, str], signs: safety.SignsFound) -> str:
        """The ranked topic, where the signs say the samples' neighbour is meant: a condition the caller
        says they have, with no harm, nerves or general question about it, asks whether they can have the
        treatment, not its risks ("I've got a few angry spots right now, can I still book in?"; "could I get
        an infection?" asks the risks); a harm asked about never gets the benefits pitch ("...will it scar?")."""
        kinds = signs.kinds
        if intent == intents.RISKS and "condition" in slots and "personal" in kinds and not kinds & {"harm", "nerves", "asking"}:
            return intents.SUITABILITY
        if intent == intents.BENEFITS and "harm" in kinds and "wanting" not in kinds:
            return intents.RISKS
        return intent

    def _named_elsewhere(self, said: str, intent: str, score: float) -> bool:
        """A topic answered without being a sure match while the question names another outright
        ("my sister had it done, what even is it?": what it is, not the procedure)."""
        return score < SURE_AT and intent not in NEVER_CONFIRMED and self._named_topic(said) not in (None, intent)

    def _when_unsure(self, signs: safety.SignsFound, nearest: tuple, candidate: str) -> Match | None:
        """No topic is a sure match (a confirm or a decline): the article's normal effects said mildly
        get the downtime answer (which says when to call); an effect said of one's own skin after a
        treatment, the safety answer, rather than "did you want to know..." or "I can't help with that"."""
        if signs.sounds_like_report and not signs.sounds_normal(self.normal_days):
            return self._taken_for_report(nearest)
        return self._normal_effects(signs, nearest, candidate)

    def _normal_effects(self, signs: safety.SignsFound, nearest: tuple, candidate: str) -> Match | None:
        """The article's normal effects said mildly, inside its window: the downtime answer, unless what
        is asked is out of scope ("a bit pink still from yesterday, anyway how much is the next one": the
        decline, which offers a person)."""
        if signs.sounds_normal(self.normal_days) and candidate != OUT_OF_SCOPE:
            return Match(intents.DOWNTIME, {}, ANSWER_AT, Decision.ANSWER, nearest, intents.DOWNTIME)
        return None

    @staticmethod
    def _taken_for_report(nearest: tuple) -> Match:
        """No topic is sure and the words may report a problem: the safe side."""
        return Match(intents.COMPLICATION, {"concern": safety.Concern.PROBLEM.value}, ANSWER_AT, Decision.ANSWER, nearest)

    def _asked_for(self, said: str, nearest: tuple) -> Match | None:
        """A question that names its topic outright ("what is microneedling?", "is it a laser?") is that
        topic when nothing is a sure match, whatever else the caller mentions (a peel, a voucher)."""
        intent = self._named_topic(said)
        return Match(intent, {}, ANSWER_AT, Decision.ANSWER, nearest, intent) if intent else None

    def _about_another_treatment(self, said: str) -> bool:
        """Another treatment named, and nothing that may stand for ours ("does laser help with dark spots",
        "¿el láser sirve para las manchas?"; not "would it help my scars like the laser did?"): what it
        does is no benefit of microneedling, so the question is declined (a person offered). Only for the
        benefits: other topics are often asked by comparison ("is the recovery like a chemical peel's?")."""
        padded = f" {said} "
        if self._names_ours(padded.replace(" worth it ", " worth ")):  # "is a hydrafacial worth it": no "it" of ours
            return False
        return any(f" {name} " in padded for name in self.data.other_treatments)

    def _choice_between_others(self, said: str) -> bool:
        """"¿Qué duele menos, la depilación láser o la cera?": which of two other things hurts less, with
        nothing that may stand for ours (not "which hurts more, this or waxing?")."""
        return said.startswith(CHOICE_OPENERS) and not self._names_ours(said)

    def _names_ours(self, said: str) -> bool:
        """Whether any word may stand for our treatment: its name, or "it", "this", "las agujas"..."""
        heard = said.split()
        return TREATMENT_NAME in heard or bool(self.data.refers_back.intersection(heard))

    def _named_topic(self, said: str) -> str | None:
        """The intent whose `asking_for` phrase the words contain, if any."""
        padded = f" {said} "
        return next((intent for phrase, intent in self.data.asking_for if f" {phrase} " in padded), None)

    def by_samples(self, text: str) -> str | None:
        """The intent the sample utterances alone rank first: a stand-in for Alexa's recogniser, which
        has the samples and slot values but none of the phone's sign lists, commands or thresholds."""
        said = self.normalise(text or "")
        slots, slotted = self.extract_slots(said)
        ranked, _, _ = self._best_of(*self._token_lists(said, slotted if slots else None), False)
        return ranked[0][0] if ranked else None

    def names_known_activity(self, slots: dict[str, str]) -> bool:
        """Whether the activity slot names one of the content's activities (as `extract_slots` fills
        it), not a guess at something the content doesn't know (`_unknown_activity`)."""
        return slots.get("activity") in {key.replace("_", " ") for key in self.content.activities}

    @staticmethod
    def _unknown_activity(said: str) -> dict[str, str]:
        found = UNKNOWN_ACTIVITY.search(said)
        thing = found.group("thing").strip() if found else ""
        return {"activity": thing} if thing and thing not in GENERIC_THINGS else {}

    def _best_of(self, heard: list[str], tokens: list[str] | None, explain: bool):
        """Rank intents on the words as said and, when slots were found, on `tokens` with slot placeholders;
        each intent keeps its better score ("acne scars" can be a benefit question or a condition).
        Also the nearest samples (with `explain`) and how close the nearest one is."""
        ranked, nearest, closest = self._rank(heard, explain=explain)
        if tokens is None:
            return ranked, nearest, closest
        with_slots, nearest_slotted, closest_slotted = self._rank(
            tokens, frozenset(SLOT_TOKENS.values()).intersection(tokens), explain)
        best = dict(ranked)
        for intent, score in with_slots:
            best[intent] = max(score, best.get(intent, 0.0))
        merged = sorted(best.items(), key=lambda r: -r[1])
        near = sorted({*nearest, *nearest_slotted}, key=lambda n: -n[0])[:3]
        return merged, tuple(near), max(closest, closest_slotted)

    def _command(self, said: str) -> str | None:
        """A command said alone, or a few said together ("that's all, goodbye"), with filler around it.
        Small words that mean go on ("ok", "sure", "uh huh", "please") are yes; the dialogue reads
        yes by what was asked (an offer, or the aftercare steps)."""
        said = self._said_again(said)
        if said in self.data.commands:
            return self.data.commands[said]
        tokens = said.split()
        parsed: dict[int, bool] = {}  # position -> whether the words from there on are all commands and filler
        found: list[tuple[str, str]] = []  # (intent, the words that said it)
        i = 0
        while i < len(tokens):
            phrase = self._longest_command(tokens, i, parsed)
            if tokens[i] in self.data.filler:  # "sorry what was that": skip "sorry" if that says more
                if self._parses(tokens, i + 1, parsed) and not (phrase and self._parses(tokens, i + len(phrase.split()), parsed)):
                    i += 1  # "could you repeat that | one", "wait could you repeat that | last bit": the filler
                    continue  # skipped, as the rest then reads as commands ("repeat that one", "repeat that last bit")
                after_filler = self._longest_command(tokens, i + 1, parsed)
                if after_filler and len(after_filler.split()) + 1 > len(phrase.split()):
                    phrase, i = after_filler, i + 1
            if not phrase:
                if found and found[-1][1] not in QUESTION_OPENERS and (self._only_noise(tokens[i:]) or self._reason_given(found, tokens[i:])):
                    break  # "what was that, the car's loud": words no sample knows, after a command
                if tokens[i] not in self.data.filler:
                    start = self._command_after_noise(tokens, i, parsed, found)
                    if start is None:
                        return None  # a word that is no command: this is a question, not a command
                    i = start  # "my hearing aid whistled, what was that last bit": noise, then a command
                    continue
                i += 1
                continue
            found.append((self.data.commands[phrase], phrase))
            i += len(phrase.split())
            if phrase.endswith(" about"):
                break  # "i missed the bit about 48 hours": what follows says what the command is about
        # Filler that is also a command ("please", "ok", "got it") counts only when nothing else was said.
        found = [f for f in found if not self.data.filler.issuperset(f[1].split())] or found
        return self._one_command([intent for intent, _ in found])

    def _said_again(self, said: str) -> str:
        """A reply as said again after a correction ("yeah, scratch that, no" is "no"); as said, with none."""
        padded = f" {said} "
        cuts = [padded.rfind(f" {phrase} ") + len(phrase) + 2 for phrase in self.data.corrections if f" {phrase} " in padded]
        return padded[max(cuts):].strip() or said if cuts else said

    def _only_the_treatment(self, said: str) -> bool:
        """The treatment's name said alone, with filler or an article at most ("um, the microneedling?"),
        not a question all of stop words ("me puedo hacer el microneedling")."""
        others = [word for word in said.split() if word not in self.data.filler]
        return TREATMENT_NAME in others and len(others) <= 2

    def opening_reply(self, text: str, whole: Match) -> str | None:
        """Yes or no said first, then talk that reports nothing and asks nothing the line can answer
        surely ("no no that's fine, I've got to pick the kids up"): the reply to a yes/no question just
        asked (the phone line asks only then). Not when the whole turn reports something, asks for a
        person or is answered as a topic ("no, I'm disgusted with the result"; "yes but I'm pregnant,
        is that ok?"), nor when the rest asks a topic of its own ("no, but how many sessions would I
        need?"). The shortest opening is tried first, so the rest keeps every word after the yes or no."""
        if whole.intent in NEVER_CONFIRMED or whole.decision is Decision.ANSWER:
            return None
        tokens = self.normalise(text or "").split()
        for k in range(1, min(len(tokens) - 1, OPENING_WORDS) + 1):
            reply = self._command(" ".join(tokens[:k]))
            if reply in (intents.YES, intents.NO):
                rest = self.match(" ".join(tokens[k:]))
                asks = rest.intent in NEVER_CONFIRMED or bool(rest.slots) \
                    or rest.decision is Decision.ANSWER and rest.score >= SURE_AT  # "...what if I'm on Accutane"
                return None if asks else reply
        return None

    def _command_after_noise(self, tokens: list[str], i: int, parsed: dict[int, bool],
                             found: list[tuple[str, str]]) -> int | None:
        """Where a request to repeat starts that runs to the end of the turn, after words from tokens[i]
        that are background: most of them in no sample ("my hearing aid whistled"), or, between two
        requests to repeat (`found` before them), an `_aside` that asks nothing and leaves the treatment
        unnamed ("pardon, the bus was too loud, repeat that"; not "what? my face is swollen, say that
        again", "sorry, what is microneedling, repeat that" nor "pardon, how many days before I look like
        myself again"). None otherwise."""
        start = next((j for j in range(i + 1, len(tokens)) if self._commands_at(tokens, j) and self._parses(tokens, j, parsed)), None)
        if start is None or self.data.commands[self._longest_command(tokens, start, parsed)] != intents.REPEAT:
            return None  # only "say that again" follows noise; "I'm on Accutane, is that ok?" is a question
        if not found:
            return start if self._only_noise(tokens[i:start], most=True) else None
        asked_again = all(intent == intents.REPEAT and phrase not in QUESTION_OPENERS for intent, phrase in found)
        between = tokens[i:start]
        asks = QUESTION_WORDS.intersection(between) or TREATMENT_NAME in between
        return start if asked_again and not asks and self._aside(between) else None

    def _aside(self, words_: list[str]) -> bool:
        """Words said aside, not to the line: near no sample, telling of nothing felt or seen ("the dog's
        barking"; not "my face is swelling up", a report) and asking nothing ("he wants to know if...")."""
        kinds = safety.SignsFound.of(self.content.safety_signs, " ".join(words_), self.stem).kinds
        return not kinds & ASIDE_NEVER and self._rank(self.tokens(" ".join(words_)))[2] < ASIDE_NEAREST

    def _only_noise(self, words_: list[str], most: bool = False) -> bool:
        """Words with topic words, none of which (with `most`, under half) occurs in any sample: background
        speech ("the car's loud"), not a question ("is microneedling" has no topic word left: it goes on the question)."""
        if "condition" in self.extract_slots(" ".join(words_))[0]:
            return False  # "una persona con queloides...": a condition the samples name only as {condition}
        topic_words = [token for token in self.tokens(" ".join(words_))
                       if most or token in self.idf or token not in self.data.filler]  # "what is microneedling eh"
        known = sum(token in self.idf for token in topic_words)
        return bool(topic_words) and (known * 2 < len(topic_words) if most else not known)

    def _reason_given(self, found: list[tuple[str, str]], rest: list[str]) -> bool:
        """After saying one is leaving or asking to hear it again, the reason, an `_aside` ("stop, I've got
        to go, he's fallen off the slide", "can you repeat that, my hat was over my ear"; "I have to go, my
        face is swelling up" is a report). A command of a word or two gives none ("para, ¿para qué sirve?"), but
        for two asking again with no word that asks on either side ("missed that, a lorry went past"; not
        "cómo dijo, que deja la piel brillosa", "sorry what, would you recommend...")."""
        said, phrase = found[-1]
        length = len(phrase.split())
        two_to_hear_again = (said == intents.REPEAT and length == 2
                             and not QUESTION_WORDS.intersection([phrase.split()[0], *rest]))
        if said not in (intents.STOP, intents.CANCEL, intents.REPEAT) or length < 3 and not two_to_hear_again:
            return False
        if said == intents.REPEAT and any(self._commands_at(rest, j) for j in range(len(rest))):
            return False  # "you cut out, but yes please": a reply follows, no reason
        return self._aside(rest)

    def _longest_command(self, tokens: list[str], i: int, parsed: dict[int, bool]) -> str:
        """The longest command phrase starting at tokens[i] after which the rest
        still reads as commands and filler ("what was that | one more time", not "what was that one |
        more | time"); the longest one if none does; "" if there is none."""
        phrases = self._commands_at(tokens, i)
        return next((p for p in phrases if self._parses(tokens, i + len(p.split()), parsed)), phrases[0] if phrases else "")

    def _commands_at(self, tokens: list[str], i: int) -> list[str]:
        """The command phrases starting at tokens[i], longest first."""
        candidates = (" ".join(tokens[i:i + n]) for n in range(min(self.data.longest_command, len(tokens) - i), 0, -1))
        return [phrase for phrase in candidates if phrase in self.data.commands]

    def _parses(self, tokens: list[str], j: int, parsed: dict[int, bool]) -> bool:
        """Whether the words from tokens[j] on are all commands and filler (worked out only as far as
        asked: a question stops at its first word that is neither)."""
        if j >= len(tokens):
            return True
        if j not in parsed:
            parsed[j] = (tokens[j] in self.data.filler and self._parses(tokens, j + 1, parsed)
                         or any(self._parses(tokens, j + len(p.split()), parsed) for p in self._commands_at(tokens, j)))
        return parsed[j]

    @staticmethod
    def _one_command(in_order: list[str]) -> str | None:
        """What a few commands said together (in the order said) mean: where they disagree, the last,
        as people correct themselves ("no wait, yes, sorry, yes I do", "yeah no, that's all")."""
        found = set(in_order)
        if found == {intents.YES, intents.NEXT}:  # "yeah go on"
            return intents.YES
        if found == {intents.PREVIOUS, intents.REPEAT}:  # "go back, I missed it": the step just read
            return intents.REPEAT
        if found and found <= {intents.NO, intents.STOP, intents.CANCEL} and intents.STOP in found:
            return intents.STOP  # "that's all, goodbye", "never mind, I'm done"
        return in_order[-1] if in_order else None

    def _rank(self, tokens: list[str], slots: frozenset[str] | None = None, explain: bool = False
              ) -> tuple[list[tuple[str, float]], tuple[tuple[float, str, str], ...], float]:
        """Intents by similarity, (with `explain`) the nearest samples, and the nearest one's similarity. With `slots`, only
        samples whose slots were all found take part. Only samples that share a word with the
        question are scored (a few dozen of well over a thousand): the others score 0."""
        query = self._vector(tokens)
        sims: dict[int, float] = {}
        for token, weight in query.items():
            for i, w in self.postings.get(token, ()):
                sims[i] = sims.get(i, 0.0) + weight * w
        if slots is not None:
            allowed = self._taking_part(slots)
            sims = {i: sim for i, sim in sims.items() if i in allowed}
        by_intent: dict[str, list[float]] = defaultdict(list)
        for i, sim in sims.items():
            by_intent[self.examples[i][0]].append(sim)
        centroid: dict[str, float] = {}
        for token, weight in query.items():
            for intent, w in self.centroids.get(token, ()):
                centroid[intent] = centroid.get(intent, 0.0) + weight * w
        ranked = []
        for intent, scores in by_intent.items():
            top = sorted(scores, reverse=True)[:TOP_K]
            # an intent's best sample blended with its best few; unrelated out-of-scope examples: the nearest alone
            local = top[0] if intent == OUT_OF_SCOPE else BEST_WEIGHT * top[0] + (1 - BEST_WEIGHT) * sum(top) / TOP_K
            ranked.append((intent, (1 - CENTROID_WEIGHT) * local + CENTROID_WEIGHT * centroid.get(intent, 0.0)))
        ranked.sort(key=lambda r: -r[1])
        closest = max(sims.values(), default=0.0)
        if not explain:
            return ranked, (), closest
        best = sorted(sims, key=sims.__getitem__, reverse=True)[:3]
        return ranked, tuple((round(sims[i], 3), *self.examples[i]) for i in best), closest

    def _taking_part(self, slots: frozenset[str]) -> frozenset[int]:
        """The samples that have slots, all of them among `slots` (cached: 8 subsets at most)."""
        if slots not in self._slotted:
            self._slotted[slots] = frozenset(i for i, have in enumerate(self.example_slots) if have and have <= slots)
        return self._slotted[slots]

    @staticmethod
    def _slots_for(intent: str, slots: dict[str, str]) -> dict[str, str]:
        wanted = {intents.SUITABILITY: ("condition",), intents.AFTERCARE_TIMING: ("activity", "days"),
                  intents.REMINDER: ("activity", "days")}.get(intent, ())
        return {k: v for k, v in slots.items() if k in wanted}
