"""The phone matcher on real questions: accuracy floors (no timings), and the behaviours that matter."""
from __future__ import annotations

from pathlib import Path

import pytest

from shared.core.dialogue import respond
from shared.understanding.evaluation import DEFAULT_EVAL_FILE, accuracy, evaluate, floors, read_cases
from shared.core.intents import BUILTIN_INTENTS, CUSTOM_INTENTS
from shared.understanding.matcher import ANSWER_AT, CONFIRM_AT, Decision, data_path, load_matcher_data
from shared.store import current

DATA = Path(__file__).parent / "data"
# Floors at (just under) the figures reached, in shared/understanding/data/floors.json (the staff console
# refuses a change that would drop a set below its floor); a change that lowers one fails here. Issue 12
# lowered three on purpose: washing your face gets the honest "our information doesn't say" (dev labels it
# AFTERCARE), a suitability question naming a cold sore gets the safety answer (B), and one suitability
# question about dark marks gets the risks answer (E); issue 12's held-out sets (g, j, k, l, m, n) were each
# measured once before being tuned on (README has those figures). Spanish (es-US matcher): the dev copy and
# our own tuning sets were tuned on; the held-out set was written before any Spanish tuning and measured
# once at 95.8% with two out-of-scope questions answered, which were then fixed (README). Since the classifier
# learns from every set (eleventh session), each floor is a point under the figure reached, never under the
# floor before it: a retrain that moves a line or two passes, a real regression doesn't; every problem report
# is still held to the safety answer or a person by test_no_unsafe_misses.
FLOORS = floors("en-US")
SPANISH_FLOORS = floors("es-US")


@pytest.fixture(scope="module")
def matcher():
    return current().matcher


@pytest.mark.parametrize("name", sorted(SPANISH_FLOORS))
def test_spanish_accuracy_floor_and_no_unsafe_misses(name):
    outcomes = evaluate(current("es-US").matcher, read_cases(DATA / name))
    assert [f"{o.case.text} -> {o.picked}" for o in outcomes if o.unsafe] == []
    assert accuracy(outcomes) >= SPANISH_FLOORS[name], [f"{o.case.text} -> {o.picked}" for o in outcomes if not o.right]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_floor(matcher, name):
    outcomes = evaluate(matcher, read_cases(DATA / name))
    misses = [f"{o.case.text} -> {o.picked}" for o in outcomes if not o.right]
    assert accuracy(outcomes) >= FLOORS[name], misses


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_unsafe_misses(matcher, name):
    """No problem report given a topic, no out-of-scope question answered as one: on every set."""
    unsafe = [f"{o.case.text} -> {o.picked}" for o in evaluate(matcher, read_cases(DATA / name)) if o.unsafe]
    assert unsafe == []


def test_default_eval_file_is_the_dev_copy(monkeypatch):
    monkeypatch.chdir(DATA.parent.parent)  # `clinic-voice eval` is run from the repository folder
    assert DEFAULT_EVAL_FILE.resolve() == DATA / "questions-dev.jsonl" and len(read_cases(DEFAULT_EVAL_FILE)) == 95


def test_dev_lines_are_not_copied_into_the_models():
    from interaction_models import model_path
    from shared.core.text import words
    import json
    lm = json.loads(model_path("en-US").read_text())["interactionModel"]["languageModel"]
    samples = {" ".join(words(s)) for i in lm["intents"] for s in i.get("samples", [])}
    copied = [c.text for c in read_cases(DEFAULT_EVAL_FILE) if " ".join(words(c.text)) in samples]
    assert len(copied) <= 6, copied  # only the canonical one-liners anyone would write ("does microneedling hurt")


@pytest.mark.parametrize("said, intent", [
    ("is micro kneeling painful", "PainIntent"),
    ("what's the after care", "AftercareIntent"),
    ("how does micro needle ing work", "WhatIsIntent"),
    ("how many micro needling sessions do I need", "SessionCountIntent"),
])
def test_speech_recognition_slips(matcher, said, intent):
    assert matcher.match(said).intent == intent


@pytest.mark.parametrize("heard, meant", [
    ("what are the bene fits of it", "what are the benefits of it"),  # only the whole is a known word
    ("will it take all after noon", "will it take all afternoon"),
    ("do i have to hide a way", "do i have to hide a way"),            # two known words stay apart
    ("can i wear make up", "can i wear makeup"),                       # the word lists' own fixes still apply
])
def test_a_word_the_recogniser_split_is_joined_only_when_the_whole_is_known(matcher, heard, meant):
    assert matcher.normalise(heard) == meant


@pytest.mark.parametrize("said, intent", [
    ("what was that one more time", "AMAZON.RepeatIntent"),  # "what was that | one more time", not "...that one | more"
    ("okay yes go on", "AMAZON.YesIntent"),
    ("no thanks that's everything", "AMAZON.NoIntent"),
    ("yes please if it's not too much trouble", "AMAZON.YesIntent"),  # set BL: politeness around a yes
    ("no that's okay", "AMAZON.NoIntent"),
    ("could you go over that again", "AMAZON.RepeatIntent"),
])
def test_commands_said_together_are_read_so_that_every_word_is_one(matcher, said, intent):
    assert matcher.match(said).intent == intent


@pytest.mark.parametrize("said, intent", [
    ("ok so what is this microneedling then", "WhatIsIntent"),  # "ok" opening a turn is no "is it ok?"
    ("alright, what exactly is microneedling", "WhatIsIntent"),
    ("is it ok for darker skin", "SuitabilityIntent"),           # inside the question it still asks
    ("can it soften my fine lines", "BenefitsIntent"),           # "fine lines" are wrinkles, not "fine" (safe)
])
def test_ok_opening_a_turn_is_a_discourse_marker(matcher, said, intent):
    assert matcher.match(said).intent == intent


@pytest.mark.parametrize("said", [
    "how much does it cost", "do you do botox", "where are you located", "tell me a joke",
    "what is radiofrequency microneedling", "do you take insurance", "zzzz qqqq", "",
])
def test_out_of_scope_is_declined(matcher, said):
    match = matcher.match(said)
    assert match.intent is None and match.decision is Decision.DECLINE


def test_condition_slot_from_a_long_question(matcher):
    match = matcher.match("I have keloids on my shoulder, can I still have microneedling on my face?")
    assert match.intent == "SuitabilityIntent" and match.slots == {"condition": "keloids"}


def test_taking_pills_is_not_drinking():
    """"Tomar" alone is taking medicine as often as drinking: only a drink named is the alcohol activity."""
    matcher = current("es-US").matcher
    assert "activity" not in matcher.match("mi abuela toma pastillas para la presión, puede hacérselo").slots
    assert matcher.match("cuándo puedo tomar cerveza").slots.get("activity") == "alcohol"


@pytest.mark.parametrize("locale, said", [
    ("en-US", "when i cut myself i get thick raised scars, does that rule me out"),
    ("es-US", "tengo una cicatriz gruesa de esas que crecen, de la cesárea, ¿puedo hacérmelo en la cara?"),
])
def test_thick_raised_scars_are_a_history_of_keloids(locale, said):
    """A keloid described, not named: the answer for a history of keloids, not the acne-scar pitch."""
    match = current(locale).matcher.match(said)
    assert match.intent == "SuitabilityIntent" and match.slots == {"condition": "keloids"}


def test_most_cautious_condition_wins(matcher):
    match = matcher.match("is it safe if I have rosacea and want to treat my acne scars")
    assert match.slots["condition"] == "rosacea"


def test_activity_and_days(matcher):
    match = matcher.match("can I wear foundation two days after")
    assert match.intent == "AftercareTimingIntent" and match.slots == {"activity": "makeup", "days": "2"}


@pytest.mark.parametrize("said, activity", [("when can i go back to the gym", "exercise"),
                                             ("can i go swimming after microneedling", "swimming")])
def test_activities_the_article_does_not_cover_are_timing_questions(matcher, content, said, activity):
    """...so the answer says the information doesn't cover it and refers to a dermatologist."""
    match = matcher.match(said)
    assert match.intent == "AftercareTimingIntent" and match.slots == {"activity": activity}
    assert "dermatologist" in respond(content, match.intent, match.slots).speech


@pytest.mark.parametrize("said, activity", [
    ("can i wash my face after", "washing your face"), ("when can i go back to the gym", "exercise"),
    ("when can i use my vitamin c serum again", "serums like vitamin C"),
])
def test_activities_the_article_does_not_cover_get_one_honest_sentence(matcher, content, said, activity):
    match = matcher.match(said)
    assert match.intent == "AftercareTimingIntent"
    for reply in (respond(content, match.intent, match.slots), respond(content, "AftercareTimingIntent", {"activity": activity})):
        assert reply.speech.startswith(content.say("timing_not_covered", activity=activity))
        assert reply.state.step is None


def test_an_aftercare_question_answered_about_the_activity_it_names_counts_as_right(matcher, content):
    """The eval counts "do I need sun cream afterwards" (labelled AFTERCARE) right when the line answers
    about sunscreen (the timing intent with the activity: its advice); a timing answer that names no
    activity would not count."""
    from shared.understanding.evaluation import Case, Outcome
    from shared.understanding.matcher import Match
    case = Case("do i need sun cream afterwards", "AFTERCARE", ("AFTERCARE",), None)
    slots, _ = matcher.extract_slots(matcher.normalise(case.text))
    assert slots == {"activity": "sunscreen"}
    about_it = Match("AftercareTimingIntent", slots, 0.7, Decision.ANSWER)
    assert Outcome(case, about_it, "TIMING", 0.0, True).right and Outcome(case, about_it, "TIMING", 0.0, True).activity_answer
    assert not Outcome(case, about_it, "TIMING", 0.0, known_activity=False).right  # a guess at an unknown thing
    assert respond(content, about_it.intent, about_it.slots).speech.startswith(content.activities["sunscreen"].advice)
    unnamed = about_it._replace(slots={})
    assert not Outcome(case, unnamed, "TIMING", 0.0).right
    assert [o.activity_answer for o in evaluate(matcher, [case])] == [matcher.match(case.text).intent == "AftercareTimingIntent"]


def test_filler_words_do_not_outweigh_a_condition(matcher):
    match = matcher.match("i have a cold sore right now")
    assert match.intent == "SuitabilityIntent" and match.slots == {"condition": "infection"}


def test_safety_comes_first(matcher):
    assert matcher.match("what is microneedling, also my face won't stop bleeding").intent == "ComplicationIntent"


def test_commands_said_alone(matcher):
    assert matcher.match("next please").intent == "AMAZON.NextIntent"
    assert matcher.match("that's all, goodbye").intent == "AMAZON.StopIntent"
    assert matcher.match("what's next for my skin after the treatment").intent != "AMAZON.NextIntent"


@pytest.mark.parametrize("said, intent", [
    ("wait what was that, the car's loud", "AMAZON.RepeatIntent"),  # background speech after a command
    ("no thanks, the dog is barking", "AMAZON.NoIntent"),
    ("no thanks, but does it hurt", "PainIntent"),                   # a question after it is no noise
    ("yes, and my face is swollen", "ComplicationIntent"),
    ("so what is micro needling anyway", "WhatIsIntent"),            # "what" opens a question
])
def test_words_no_sample_knows_after_a_command_are_noise(matcher, said, intent):
    assert matcher.match(said).intent == intent


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_commands_name_intents_or_phone_actions(locale):
    from ivr.routes import Action
    named = set(load_matcher_data(data_path(locale)).commands.values())
    assert named <= {*CUSTOM_INTENTS, *BUILTIN_INTENTS, *Action}


def test_middle_band_asks_to_confirm(matcher):
    outcomes = [o for name in ("questions-heldout-cd.jsonl", "questions-heldout-cf.jsonl", "questions-heldout-ce.jsonl")
                for o in evaluate(matcher, read_cases(DATA / name))]
    confirms = [o for o in outcomes if o.match.decision is Decision.CONFIRM]
    assert confirms and all(o.match.score >= CONFIRM_AT for o in confirms)
    assert any(o.match.score < ANSWER_AT for o in confirms)


@pytest.mark.parametrize("said, near_tie", [
    ("how long does it last", True),                 # the redness (downtime) or the results (benefits)
    ("how many sessions will I need", False),         # a clear lead
])
def test_a_topic_barely_ahead_of_the_next_is_confirmed_not_answered(matcher, said, near_tie):
    """Near-ties between topics are where wrong answers come from: a topic less than ANSWER_MARGIN
    ahead of the next is offered ("Did you want to know...?"), even when its score would answer."""
    match = matcher.match(said)
    assert match.score >= ANSWER_AT
    assert match.decision is (Decision.CONFIRM if near_tie else Decision.ANSWER)


def test_eval_command_prints_every_figure(capsys):
    from clinic_voice.cli import main
    assert main(["eval", "--curve"]) == 0
    out = capsys.readouterr().out
    for part in ("accuracy ", "asked to confirm ", "unsafe misses 0 (problem reports given a topic 0, "
                 "out of scope answered 0)", "per label:", "confusion (rows: labelled, columns: picked):", "misses (",
                 "matching time: p50", "threshold  accuracy"):
        assert part in out, part
    accuracy_line = next(line for line in out.splitlines() if line.startswith("accuracy "))
    assert float(accuracy_line.split()[1].rstrip("%")) >= 100 * FLOORS["questions-dev.jsonl"]


def test_eval_command_refuses_a_bad_file(tmp_path, capsys):
    from clinic_voice.cli import main
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n')
    assert main(["eval", str(bad)]) == 1
    assert "line 1: not an eval case" in capsys.readouterr().err


def test_eval_alexa_prints_the_stand_in_line(capsys):
    from clinic_voice.cli import main
    assert main(["eval", "--alexa", str(DATA / "questions-safety-dev.jsonl")]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("Alexa stand-in"))
    reached, reports = map(int, line.split("complication answer ")[1].split(",")[0].split("/"))
    assert reports > 0 and reached >= 0.9 * reports


@pytest.mark.parametrize("locale, said, intent", [
    # a question naming its topic gets it, whatever else is said
    ("en-US", "I had a horrible chemical peel last year that burned me, so before I try anything else, what actually is microneedling?",
     "WhatIsIntent"),
    ("en-US", "my daughter got me a voucher for a derma pin thing and I have no clue what it is", "WhatIsIntent"),
    ("es-US", "mi comadre me habló del microneedling pero yo ni sé qué es", "WhatIsIntent"),
    # sets AO-AQ, measured once: how safe, asked with nerves; the appointment's length; a home device
    ("en-US", "my fiancé's nervous about it, how safe is it really", "RisksIntent"),
    ("en-US", "how long will i be there for", "ProcedureIntent"),
    ("en-US", "my boyfriend had it done today, what does he need to do to look after his skin", "AftercareIntent"),
    ("en-US", "is a home derma roller the same thing", None),
    ("en-US", "is microneedling the same as a derma roller", "WhatIsIntent"),
    # Spanish sets AC-AD: a sign denied is no report; "sirve para" a concern is a benefit
    ("es-US", "no tengo alergias, ¿cuántas sesiones necesito?", "SessionCountIntent"),
    # set CK: a word said twice running counts once (a stammer, a restart)
    ("en-US", "does does it hurt", "PainIntent"),
    ("en-US", "um not not right now", "AMAZON.NoIntent"),
    # the treatment's name alone: "Did you want to know what it is?"
    ("es-US", "el micro nidlin", "WhatIsIntent"),
    ("es-US", "¿sirve para las cicatrices del acné?", "BenefitsIntent"),
    ("es-US", "¿sirve el microneedling para todo tipo de piel?", "SuitabilityIntent"),  # every skin type: who can have it
    ("es-US", "tengo la piel morenita, ¿me lo puedo hacer?", "SuitabilityIntent"),  # a diminutive of "morena"
    # one word said alone, once taken by a sample whose other words are all stop words ("it's just not
    # healing", "is the appointment quick": both dropped); "quién" stems like the stop word "quisiera"
    ("en-US", "sessions", "SessionCountIntent"),
    ("en-US", "recovery", "DowntimeIntent"),
    ("es-US", "¿quién se lo puede hacer?", "SuitabilityIntent"),
    # sets AR-AS and Spanish AE-AF: a topic named outright with nothing wrong told; a risk asked with "se me"
    ("en-US", "I've seen it all over tiktok but like what even is it lol", "WhatIsIntent"),
    ("es-US", "hay riesgo de que se me infecte la piel", "RisksIntent"),
    # sets AT-AU and Spanish AG-AH: booking and waiting are no topic; a topic named after someone else's treatment
    ("en-US", "How long is the wait for an appointment?", None),
    ("en-US", "My friend said she got her face needled last week, what even is that?", "WhatIsIntent"),
    ("en-US", "does micro needling heart", "PainIntent"),
    ("es-US", "¿Cómo hago una cita?", None),
    # sets BV-BW: another topic answered but not sure (< SURE_AT) gives way to the one named outright;
    # "or better not" asks whether, not what is better; English words in a Spanish call
    ("en-US", "my brother had the my crow needling done what even is it", "WhatIsIntent"),
    ("es-US", "tengo acné activo, ¿puedo o mejor no?", "SuitabilityIntent"),
    ("es-US", "is it painful el treatment", "PainIntent"),
    ("es-US", "alexa downsides del microneedling", "RisksIntent"),
    # sets BY-BZ: a condition named with nothing else sure is offered suitability, not declined
    ("en-US", "i had a keloid on my neck after a piercing ages ago, does that matter", "SuitabilityIntent"),
    # a condition of one's own is suitability, not risks; "could I get an infection" stays risks
    ("en-US", "I've got a bit of acne right now, a few spots on my forehead, can I still have it", "SuitabilityIntent"),
    ("en-US", "could i get an infection from it", "RisksIntent"),
    # a harm asked about after something told never gets the benefits pitch (red since the treatment: the
    # safety answer, which says when to call)
    ("en-US", "my face has been red since the treatment, will it scar", "ComplicationIntent"),
    # set AZ: Caribbean speech as a recogniser writes it; pink "as if I'd caught the sun" is a simile
    ("es-US", "mi esposa se lo hizo el jueve y tiene los ojo tan hinchao que casi no los abre", "ComplicationIntent"),
    ("es-US", "me puede quedar cicatri por las aguja", "RisksIntent"),
    ("es-US", "cuanto cuehta", None),  # the price: declined, not the procedure
    ("es-US", "me lo hicieron ayer y hoy ando rosadita como si hubiera agarrado sol, eso es normal", "DowntimeIntent"),
])
def test_questions_get_their_topic_whatever_else_is_said(locale, said, intent):
    match = current(locale).matcher.match(said)
    assert (match.intent if match.decision.value != "decline" else None) == intent


def test_an_opening_yes_or_no_needs_words_after_it():
    matcher = current("en-US").matcher
    for said in ("", "no", "yes please"):
        assert matcher.opening_reply(said, matcher.match(said)) is None  # said alone: a command, not an opening
