"""Phrasings written by the reviewers of the safety rules to break them (tests/data/probes/: each line
"R<tab>a problem report" or "Q<tab>an ordinary question"). The rules were then tuned on them, so these
are regression limits, not held-out figures: a change may not miss more reports, nor take more
ordinary questions for reports, than the limits below (the counts when they were set)."""
from __future__ import annotations

from pathlib import Path

import pytest

from shared.store import current

PROBES = Path(__file__).parent / "data" / "probes"
SAFE = ("ComplicationIntent", "FrontDeskIntent")
# file -> (reports not given the safety answer or a person, ordinary questions given it)
LIMITS = {"review1-en.tsv": (1, 11), "review1-en-2.tsv": (1, 11), "review1-es.tsv": (0, 2),
          "review2-en.tsv": (7, 12), "review2-es.tsv": (2, 4), "review3-en.tsv": (0, 33),
          "review3-es.tsv": (2, 15), "review4-en.tsv": (6, 5), "review5-en.tsv": (9, 60),
          "review5-es.tsv": (0, 10), "review6-en.tsv": (3, 10), "review6-es.tsv": (0, 4),
          "review7-en.tsv": (0, 3), "review7-es.tsv": (0, 3), "review8-en.tsv": (0, 0), "review8-es.tsv": (0, 0),
          "review9-en.tsv": (0, 0), "review9-es.tsv": (0, 0), "review10-en.tsv": (6, 74), "review10-es.tsv": (2, 21)}
# review10 (545 probes written against round forty-nine's later rules): its ordinary questions are adversarial
# (a temp job, an emergency at work, a fever phobia, a form about fainting), most of them alarms before the
# round too; the reports left are questions about later with no telling word ("temp's up, is it going to be
# the microneedling") and "is it going to be an allergy" after effects told without a treatment named.
# Tightened when the classifier joined the matcher (reports missed: review1-en 2->1, review4-en 10->8,
# review6-en 6->3, review7-es 2->0); review3-es took one more alarm ("¿la piel se pone muy roja?", said
# without "my": the classifier hears the present tense as a report). Retrained on this session's second
# round of sets, review5-en and review7-en took one alarm each ("I've seen people on TikTok with red faces
# after micro needling, what is it exactly"): a doubtful topic, then words of oneself after a treatment.
# After a review, words of oneself after a treatment that the samples can't place keep no topic from the
# classifier: reports missed fell again (review3-en 1->0, review4-en 8->6, review5-es 1->0) for one more
# alarm in review5-en, review6-en, review6-es and review7-es.
# A `telling` clause just before an outcome, with no question before it, tells it ("there's tiny raised
# marks, are they going to be permanent?", blind set CL): review2-es missed two reports fewer ("mi amiga se
# hizo el microneedling ayer y tiene ampollas, ¿se le va a quitar?") for one alarm more, a sister's hives
# after her treatment told before "¿me puede pasar a mí?".
# Twelfth session's Alexa samples for reports with a question attached (blind set CN), retrained: review4-en
# took one alarm more ("is it very red afterwards?": "very" and "afterwards", no asking phrase the signs knew),
# and gave it back when "is it very", "is it really"... became asking phrases.
# Thirteenth session (blind round five), retrained with 11 Alexa samples in second-language English: review4-en
# took one alarm more ("when should I worry about swelling?": "something to worry about" now a report sample).
# review7-en: two of its six are booking for a relative ("can I book my mum in for next Tuesday"), which
# reach the front desk since relatives' names carry no topic (matcher.yaml stop words): a person, not a report


def test_every_probe_file_has_limits():
    assert sorted(p.name for p in PROBES.glob("*.tsv")) == sorted(LIMITS)


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_probes_stay_within_their_limits(name):
    matcher = current("es-US" if "-es" in name else "en-US").matcher
    missed, alarms = [], []
    for line in (PROBES / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tag, text = line.split("\t", 1)
        match = matcher.match(text)
        safe = match.intent in SAFE and match.decision.value == "answer"
        if tag == "R" and not safe:
            missed.append(f"{text} -> {match.intent}")
        elif tag == "Q" and safe:
            alarms.append(text)
    most_missed, most_alarms = LIMITS[name]
    assert len(missed) <= most_missed, missed
    assert len(alarms) <= most_alarms, alarms
