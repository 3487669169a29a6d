"""The phone matcher's second opinion (shared/understanding/classifier.py): trained by `clinic-voice models
train` on the samples and the labelled sets, shipped as weights, scored in plain Python."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clinic_voice.cli import main
from shared.store import current
from shared.understanding.classifier import (classifier_path, labelled_sets, load_classifier, train,
                                             training_pairs)
from shared.understanding.matcher import Decision

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


def test_weights_written_read_back_the_same(tmp_path):
    shipped = load_classifier(classifier_path("es-US"))
    path = tmp_path / "classifier.json"
    path.write_text(shipped.to_json(), encoding="utf-8")
    assert load_classifier(path) == shipped
    assert load_classifier(tmp_path / "missing.json") is None


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
])
def test_questions_the_samples_alone_missed_get_their_topic(locale, said, intent):
    match = current(locale).matcher.match(said)
    assert (match.intent, match.decision) == (intent, Decision.ANSWER)


@pytest.mark.parametrize("locale, said", [
    ("en-US", "what is it, it's getting worse"),                       # a topic named, a report told
    ("es-US", "me salieron unas vejiguitas con agua alrededor de la boca como las que le salen a uno con la gripa"),
    ("es-US", "la carita de mi hermana no se ve bien desde el tratamiento en unas partes parece carne viva"),
])
def test_the_classifier_never_talks_a_report_into_a_topic(locale, said):
    match = current(locale).matcher.match(said)
    assert (match.intent, match.decision) == ("ComplicationIntent", Decision.ANSWER)


def test_near_an_out_of_scope_example_stays_declined():
    """Staff's out-of-scope examples are their word on what the line doesn't cover: a question close to
    one is declined, whatever the classifier makes of its words ("laser" is in "is it a laser?")."""
    assert current("en-US").matcher.match("do you do lasers").decision is Decision.DECLINE
