"""The phone matcher's second opinion (shared/understanding/classifier.py): trained by `clinic-voice models
train` on the samples and the labelled sets, shipped as weights, scored in plain Python."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clinic_voice.cli import main
from shared.store import current
from shared.understanding import classifier as classifier_module
from shared.understanding.classifier import (classifier_path, features, labelled_sets, load_classifier, train,
                                             training_pairs)
from shared.understanding.matcher import Decision, Matcher

DATA = Path(__file__).parent / "data"


def test_the_shipped_classifiers_are_trained_on_todays_samples_and_sets(capsys):
    assert main(["models", "train", "--check", "--sets", str(DATA)]) == 0
    assert capsys.readouterr().out.count("up to date") == 2


def test_a_new_labelled_question_makes_the_classifier_out_of_date(tmp_path, capsys):
    for path in DATA.glob("questions-es-*.jsonl"):
        shutil.copy(path, tmp_path)
    (tmp_path / "questions-es-new.jsonl").write_text(
        json.dumps({"text": "me arde la cara desde ayer", "intent": "SAFETY"}) + "\n", encoding="utf-8")
    assert main(["models", "train", "--check", "--sets", str(tmp_path), "es-US"]) == 1
    assert "out of date (run: clinic-voice models train)" in capsys.readouterr().out


def test_training_without_the_sets_says_where_to_run_it(tmp_path, capsys):
    assert main(["models", "train", "--sets", str(tmp_path / "nowhere")]) == 1
    assert "no labelled sets in" in capsys.readouterr().err


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_training_again_gives_the_shipped_weights(locale):
    """The weights are derived, not hand-made: the same pairs give the same classifier."""
    pairs = training_pairs(current(locale).matcher, labelled_sets(locale, DATA))
    retrained, shipped = train(pairs), load_classifier(classifier_path(locale))
    assert shipped is not None and retrained.digest == shipped.digest and retrained.classes == shipped.classes
    for text, _ in pairs[::97]:
        again, kept = retrained.probabilities(text.split()), shipped.probabilities(text.split())
        assert again.keys() == kept.keys() and all(abs(again[k] - kept[k]) < 0.01 for k in again), text


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_it_has_learnt_what_it_was_taught(locale):
    """Scored in plain Python, the weights give back the intents they were fitted to (a scoring that
    strayed from scikit-learn's would not)."""
    classifier = load_classifier(classifier_path(locale))
    pairs = training_pairs(current(locale).matcher, labelled_sets(locale, DATA))
    opinions = [classifier.probabilities(text.split()) for text, _ in pairs]
    right = sum(bool(o) and max(o, key=o.__getitem__) == intent for o, (_, intent) in zip(opinions, pairs))
    assert right >= 0.95 * len(pairs)


def test_the_plain_python_scoring_is_scikit_learns():
    """The same probabilities as scikit-learn's own pipeline, fitted the same way on the same pairs (to
    0.2%: the weights are kept in 16-bit steps)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    pairs = training_pairs(current("es-US").matcher, labelled_sets("es-US", DATA))[::5]
    ours = train(pairs)
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False)
    theirs = LogisticRegression(C=classifier_module.C, max_iter=classifier_module.MAX_ITER).fit(
        vectoriser.fit_transform([t for t, _ in pairs]), [i for _, i in pairs])
    texts = [t for t, _ in pairs[::7] if all(ours.row(w) is not None for w in features(t.split()))]
    for text, row in zip(texts, theirs.predict_proba(vectoriser.transform(texts))):
        mine = ours.probabilities(text.split())
        assert all(abs(mine[c] - p) < 2e-3 for c, p in zip(theirs.classes_, row)), text


def _with_header(data: bytes, change) -> bytes:
    line, _, payload = data.partition(b"\n")
    header = json.loads(line)
    change(header)
    return json.dumps(header).encode() + b"\n" + payload


def _swapped_first_keys(data: bytes) -> bytes:
    line, _, payload = data.partition(b"\n")
    return line + b"\n" + payload[8:16] + payload[:8] + payload[16:]


@pytest.mark.parametrize("damage", [
    lambda b: _with_header(b, lambda h: h.pop("sha256")),                      # a key missing
    lambda b: b"not json at all!" + b[b.index(b"\n"):],                        # no header
    lambda b: b[:-8],                                                          # too few values
    lambda b: _with_header(b, lambda h: h.update(classes=h["classes"][:3])),  # weights for other classes
    lambda b: _swapped_first_keys(b),                # keys out of order (no gram would be found): the checksum
    lambda b: b[:b.index(b"\n")],                                              # the header alone
    lambda b: b"[1, 2",                                                        # a file cut short
])
def test_damaged_weights_are_no_weights(tmp_path, damage):
    path = tmp_path / "classifier.es-US.bin"
    path.write_bytes(damage(classifier_path("es-US").read_bytes()))
    assert load_classifier(path) is None


def test_without_weights_the_line_ranks_by_its_samples():
    bundle = current("en-US")
    matcher = Matcher(bundle.content, bundle.model)
    matcher.classifier = None  # as with no weights file
    assert matcher.match("does it hurt").intent == "PainIntent"
    assert matcher.match("my lips are swelling up and it's hard to breathe").intent == "ComplicationIntent"


def test_english_locales_share_english_weights_and_others_have_none():
    assert classifier_path("en-GB") == classifier_path("en-US") and classifier_path("es-US").name == "classifier.es-US.bin"
    assert load_classifier(classifier_path("fr-FR")) is None


def test_weights_written_read_back_the_same(tmp_path):
    shipped = load_classifier(classifier_path("es-US"))
    path = tmp_path / "classifier.bin"
    path.write_bytes(shipped.to_bytes())
    assert load_classifier(path) == shipped
    assert load_classifier(tmp_path / "missing.bin") is None


def test_words_it_mostly_does_not_know_get_no_opinion():
    matcher = current("en-US").matcher
    opinion = matcher.classifier.probabilities
    assert opinion(matcher.tokens("purple monkey dishwasher")) == {}
    stinging = opinion(matcher.tokens("does it sting much"))
    assert max(stinging, key=stinging.__getitem__) == "PainIntent"


@pytest.mark.parametrize("locale, said, intent", [
    # sets CD, CF and BG, which the samples alone got wrong
    ("en-US", "honestly is three enough or is that a sales pitch", "SessionCountIntent"),
    ("en-US", "i run every morning can i run the day after", "AftercareTimingIntent"),
    ("es-US", "cuántas veces tendría que venir para las marcas del acné", "SessionCountIntent"),
    # nearest to a report's sample, but no word that could tell one, and the classifier all but rules
    # one out (REPORT_NEGLIGIBLE): the topic, not the safety answer
    ("en-US", "someone said it feels like sandpaper rubbed on your face is that true", "PainIntent"),
    ("es-US", "me lo hacen en toda la cara o nomas donde tengo cicatrices", "ProcedureIntent"),
])
def test_questions_the_samples_alone_missed_get_their_topic(locale, said, intent):
    match = current(locale).matcher.match(said)
    assert (match.intent, match.decision) == (intent, Decision.ANSWER)


@pytest.mark.parametrize("locale, said", [
    ("en-US", "what is it, it's getting worse"),                       # a topic named, a report told
    ("es-US", "me salieron unas vejiguitas con agua alrededor de la boca como las que le salen a uno con la gripa"),
    # a treatment to come, but the last one told of, and the classifier sure of a report (REPORT_SURE)
    ("es-US", "hola tengo cita pa la segunda sesion pero la primera me dejo la piel abierta en la quijada igual me la puedo hacer"),
    # words of oneself after a treatment the samples can't place: no topic from the classifier
    ("en-US", "my face is infect ted after the treatment"),
    ("en-US", "my melasma is darker now"),  # the samples would answer it as a report: never demoted
    ("es-US", "la carita de mi hermana no se ve bien desde el tratamiento en unas partes parece carne viva"),
])
def test_the_classifier_never_talks_a_report_into_a_topic(locale, said):
    match = current(locale).matcher.match(said)
    assert (match.intent, match.decision) == ("ComplicationIntent", Decision.ANSWER)


def test_near_an_out_of_scope_example_stays_declined():
    """Staff's out-of-scope examples are their word on what the line doesn't cover: a question close to
    one is declined, whatever the classifier makes of its words ("laser" is in "is it a laser?")."""
    assert current("en-US").matcher.match("do you do lasers").decision is Decision.DECLINE
