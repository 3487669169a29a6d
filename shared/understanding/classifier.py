"""A linear classifier over the matcher's tokens, trained on the sample utterances *and* on every
labelled question the team has written (tests/data/questions-*.jsonl): the matcher's second opinion.

Why: the nearest-sample matcher knows only the ~2,400 samples, which must stay short and few for
Alexa; the labelled sets hold over 27,000 questions phrased the way people really ask. Trained on them, a
plain logistic regression over word pairs ranks unseen questions far better (measured on sets written
after training, docs/measurements/classifier-measured-once.txt). The matcher blends the two
(`Matcher._ranked`), and keeps everything else: the safety signs first, commands, slots, thresholds.

Training needs scikit-learn (`pip install -e '.[test]'`) and the repository's labelled sets: it is
`clinic-voice models train`, run after samples, word lists or labelled sets change. Answering needs
only this module: the weights are a file in `data/` (`classifier.<locale>.bin`), with a digest of what
they were trained on, so `clinic-voice models train --check` (and the tests) tell when they are stale.
The file is one line of JSON (digest, classes, intercepts, rows, the weights' scale, the payload's
SHA-256) and then the arrays as raw little-endian bytes: read straight into arrays, where base64 in JSON
took ~30 ms of the matcher's ~95 ms load (`python bench/run.py`, "matcher load"); the checksum catches
any damage. The weights are kept as 16-bit integers times one scale (`WEIGHT_STEPS`): half the memory of
float32 (1.6 MB less in an English phone worker), every probability within ~0.1% of the float ones, and
not one answer changed on any labelled set when it was measured.
The scoring reproduces scikit-learn's TfidfVectorizer (word 1-2 grams, sublinear tf, smooth idf, l2
norm) and the softmax of its LogisticRegression, in plain Python: ~20 features per question, so
a few microseconds. Features are kept as 64-bit keys (`feature_key`) in one sorted array, not as
~42,000 strings in a dict: 8 bytes each in a phone worker instead of ~150 (the worker was 12 MB larger
with the strings, over the benchmark's memory target); a gram is found by hashing it and bisecting.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import math
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from shared.understanding.matcher import Matcher

DATA_DIR = Path(__file__).parent / "data"
C = 10.0  # inverse regularisation: 3 and 30 measured within a point of it on the unseen sets
MAX_ITER = 3000
KEY_TYPE = "Q"  # unsigned 64-bit: `feature_key`
IDF_TYPE = "f"  # float32
WEIGHT_TYPE = "h"  # signed 16-bit: a weight is its value times `Classifier.scale`
WEIGHT_STEPS = 32767  # the largest weight's size in steps of the scale


def classifier_path(locale: str) -> Path:
    """The weights for a locale: English ones share en-US's (en-GB, en-CA... speak en-US's samples)."""
    return DATA_DIR / f"classifier.{'en-US' if locale.startswith('en') else locale}.bin"


def feature_key(gram: str) -> int:
    """A feature's stable 64-bit key (Python's own hash() changes between processes)."""
    return int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")


def features(tokens: Iterable[str]) -> dict[str, int]:
    """Word unigrams and bigrams with their counts (as TfidfVectorizer with ngram_range=(1, 2))."""
    words = " ".join(tokens).split()
    grams: dict[str, int] = {}
    for gram in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]:
        grams[gram] = grams.get(gram, 0) + 1
    return grams


@dataclass(frozen=True)
class Classifier:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    keys: array                 # row -> `feature_key` of its feature, ascending
    idf: array                  # row -> idf
    weights: array              # row-major: row * len(classes) + class, in steps of `scale`
    scale: float                # what one step of a weight is worth
    digest: str                 # of the training pairs (see `digest`)

    def probabilities(self, tokens: Iterable[str]) -> dict[str, float]:
        """Intent -> probability (softmax over the classes); {} when it knows fewer than half the words
        (speech-recognition garbage, or talk of something else: "purple monkey dishwasher")."""
        grams = features(tokens)
        row_of = {gram: self.row(gram) for gram in grams}
        rows = [(row_of[gram], n) for gram, n in grams.items() if row_of[gram] is not None]
        words = [gram for gram in grams if " " not in gram]
        if 2 * sum(row_of[word] is not None for word in words) < len(words) or not rows:
            return {}
        values = [(row, (1.0 + math.log(n)) * self.idf[row]) for row, n in rows]
        norm = math.sqrt(sum(v * v for _, v in values)) or 1.0
        k = len(self.classes)
        scores = list(self.intercepts)
        for row, v in values:
            base, v = row * k, v / norm * self.scale
            for c in range(k):
                scores[c] += v * self.weights[base + c]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps)}

    def row(self, gram: str) -> int | None:
        """The row of a word or word pair seen in training, or None."""
        key = feature_key(gram)
        at = bisect.bisect_left(self.keys, key)
        return at if at < len(self.keys) and self.keys[at] == key else None

    def to_bytes(self) -> bytes:
        """The file `load_classifier` reads: a JSON header line, then the arrays' bytes."""
        payload = b"".join(_little(values) for values in (self.keys, self.idf, self.weights))
        header = {"digest": self.digest, "classes": list(self.classes), "intercepts": list(self.intercepts),
                  "rows": len(self.keys), "scale": self.scale, "sha256": hashlib.sha256(payload).hexdigest()}
        return json.dumps(header).encode() + b"\n" + payload


def _little(values: array) -> bytes:
    """The array's items (keys, idf or weights), little-endian whatever the machine."""
    little = array(values.typecode, values)
    if sys.byteorder == "big":
        little.byteswap()
    return little.tobytes()


def _layout(rows: int, classes: int) -> tuple[tuple[str, int], ...]:
    """(typecode, how many) of the payload's arrays, in order: keys, idf, weights."""
    return (KEY_TYPE, rows), (IDF_TYPE, rows), (WEIGHT_TYPE, rows * classes)


def _arrays(payload: memoryview, rows: int, classes: int) -> tuple[array, ...]:
    """keys, idf and weights, cut from the payload in that order."""
    out = []
    for typecode, count in _layout(rows, classes):
        values = array(typecode)
        size = values.itemsize * count
        values.frombytes(payload[:size])
        payload = payload[size:]
        if sys.byteorder == "big":
            values.byteswap()
        out.append(values)
    return tuple(out)


def load_classifier(path: Path) -> Classifier | None:
    """The weights in `path`, or None where there are none or they are damaged (the matcher then ranks
    by samples alone, and `clinic-voice models train` writes them again)."""
    try:
        header_line, _, rest = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        classes, rows = tuple(header["classes"]), int(header["rows"])
        payload = memoryview(rest)
        if (len(classes) < 2 or len(header["intercepts"]) != len(classes)
                or len(payload) != sum(array(t).itemsize * n for t, n in _layout(rows, len(classes)))
                or hashlib.sha256(payload).hexdigest() != header["sha256"]):
            return None
        keys, idf, weights = _arrays(payload, rows, len(classes))
        return Classifier(classes, tuple(float(b) for b in header["intercepts"]), keys, idf, weights,
                          float(header["scale"]), str(header["digest"]))
    except (OSError, ValueError, KeyError, TypeError):  # ValueError: bad JSON or numbers
        return None


def digest(pairs: Sequence[tuple[str, str]]) -> str:
    """What the weights were trained on: the (tokens, intent) pairs and the settings, hashed."""
    text = json.dumps({"pairs": list(map(list, pairs)), "C": C, "max_iter": MAX_ITER}, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def train(pairs: Sequence[tuple[str, str]]) -> Classifier:
    """Fit on (space-joined tokens, intent) pairs; needs scikit-learn."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise RuntimeError("training the classifier needs scikit-learn: pip install -e '.[test]'") from None
    texts, labels = [t for t, _ in pairs], [label for _, label in pairs]
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False)
    model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(vectoriser.fit_transform(texts), labels)
    by_key = sorted((feature_key(feature), int(column)) for feature, column in vectoriser.vocabulary_.items())
    if any(a == b for (a, _), (b, _) in zip(by_key, by_key[1:])):
        raise RuntimeError("two features share a key: widen feature_key's digest")  # 1 in ~10^10 at this size
    columns = [column for _, column in by_key]
    coefficients = model.coef_.T[columns].ravel()  # rows in key order, as `keys`
    scale = float(abs(coefficients).max()) / WEIGHT_STEPS or 1.0
    return Classifier(tuple(model.classes_), tuple(float(b) for b in model.intercept_),
                      array(KEY_TYPE, (key for key, _ in by_key)), array(IDF_TYPE, vectoriser.idf_[columns]),
                      array(WEIGHT_TYPE, (coefficients / scale).round().astype(int)), scale, digest(pairs))


def labelled_sets(locale: str, folder: Path) -> list[Path]:
    """The labelled question sets of a locale's language in `folder` (tests/data in the repository)."""
    spanish = locale.startswith("es")
    return sorted(p for p in folder.glob("questions-*.jsonl") if ("-es-" in p.name) == spanish)


def training_pairs(matcher: "Matcher", sets: Iterable[Path]) -> list[tuple[str, str]]:
    """(tokens, intent) for every sample utterance and out-of-scope example, and every labelled question
    (its label's intent: a problem report is ComplicationIntent), tokenised as the matcher does."""
    from shared.understanding.evaluation import LABEL_INTENTS, read_cases
    from shared.understanding.matcher import OUT_OF_SCOPE
    pairs = [(" ".join(matcher.sample_tokens(sample)), intent) for intent, sample in matcher.examples]
    for path in sets:
        for case in read_cases(path):
            said = matcher.normalise(case.text)
            slots, slotted = matcher.extract_slots(said)
            tokens = matcher.classifier_tokens(said, slotted if slots else None)
            pairs.append((" ".join(tokens), LABEL_INTENTS.get(case.label, OUT_OF_SCOPE)))
    return pairs

