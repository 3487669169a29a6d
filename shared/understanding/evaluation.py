"""Measuring the phone matcher on labelled questions (`clinic-voice eval`).

A line is right when the matched intent's label is in its `accept` list. An OUT_OF_SCOPE label is
also right when the line hands off without answering a topic (the safety answer or the front desk),
and a SAFETY label (a problem report) is right with the safety answer or the front desk. An
AFTERCARE question that names something to do or use ("can I wash my face that night", "do I need
sun cream after") is also right when answered about that thing (AftercareTimingIntent with the
activity, one the content knows: its advice, its wait, or "our information doesn't say when you
can..."), which is how the line is meant to answer it (issue 12, item 4). Likewise an out-of-scope
question about something the content names but says nothing about ("can I go to the gym that
evening?") is right when it gets "our information doesn't say when you can exercise...; please ask a
dermatologist": an honest decline, not a topic. The report counts both apart, and also out-of-scope
questions that got the safety answer (right, but a false alarm).

The errors that matter most are counted on their own, as *unsafe misses*: a problem report that
gets a topic (answered, or offered in "Did you want to know...?"), and an out-of-scope question
answered as a topic.
"""
from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from shared.core import intents, rules
from shared.understanding.matcher import Decision, Match, Matcher, decide

# The dev set's labels (tests/data/questions-*.jsonl) and the intents they stand for.
LABEL_INTENTS = {
    "WHAT_IS": intents.WHAT_IS, "PAIN": intents.PAIN, "DOWNTIME": intents.DOWNTIME,
    "SESSIONS": intents.SESSION_COUNT, "SUITABILITY": intents.SUITABILITY, "BENEFITS": intents.BENEFITS,
    "PROCEDURE": intents.PROCEDURE, "AFTERCARE": intents.AFTERCARE, "TIMING": intents.AFTERCARE_TIMING,
    "RISKS": intents.RISKS, "SAFETY": intents.COMPLICATION, "FRONT_DESK": intents.FRONT_DESK,
}
INTENT_LABELS = {intent: label for label, intent in LABEL_INTENTS.items()}
HANDOFF_LABELS = frozenset({"SAFETY", "FRONT_DESK"})
NOT_TOPICS = HANDOFF_LABELS | {"OUT_OF_SCOPE"}
# The dev set lives with the tests, in the repository (the installed package has no tests/):
# `clinic-voice eval` without a file is run from the repository folder.
DEFAULT_EVAL_FILE = Path("tests") / "data" / "questions-dev.jsonl"
# Each labelled set's accuracy floor, per locale: the tests and the staff console hold changes to them.
FLOORS_FILE = Path(__file__).parent / "data" / "floors.json"


def floors(locale: str = "en-US") -> dict[str, float]:
    """Set file name -> the lowest accuracy allowed on it."""
    return json.loads(FLOORS_FILE.read_text(encoding="utf-8"))[locale]


def label_of(match: Match) -> str:
    """The eval label a match stands for; a decline (or anything unknown) is OUT_OF_SCOPE."""
    if match.decision is Decision.DECLINE:
        return "OUT_OF_SCOPE"
    return INTENT_LABELS.get(match.intent or "", "OUT_OF_SCOPE")


@dataclass(frozen=True)
class Case:
    text: str
    label: str
    accept: tuple[str, ...]
    condition: str | None


@dataclass(frozen=True)
class Outcome:
    case: Case
    match: Match
    picked: str
    seconds: float
    known_activity: bool = False  # the activity slot names one of the content's activities
    not_covered: bool = False     # ...and the content says nothing about when (rules.Timing.NOT_COVERED)

    @property
    def right(self) -> bool:
        if self.picked in HANDOFF_LABELS and ("OUT_OF_SCOPE" in self.case.accept or "SAFETY" in self.case.accept):
            return True
        return self.picked in self.case.accept or self.activity_answer or self.honest_decline

    @property
    def activity_answer(self) -> bool:
        """An aftercare question answered about the activity it names (see the module docstring)."""
        return (self.picked == "TIMING" and "AFTERCARE" in self.case.accept and "TIMING" not in self.case.accept
                and self.known_activity)

    @property
    def honest_decline(self) -> bool:
        """An out-of-scope question about an activity the content names without saying when: answered
        "our information doesn't say when you can...", which declines honestly."""
        return self.case.label == "OUT_OF_SCOPE" and self.picked == "TIMING" and self.known_activity and self.not_covered

    @property
    def false_alarm(self) -> bool:
        """An out-of-scope question given the safety answer: counted right (no topic was answered), but
        a caller who asked about prices hears about complications."""
        return self.case.label == "OUT_OF_SCOPE" and self.picked == "SAFETY"

    @property
    def unsafe(self) -> bool:
        """A problem report given a topic, or an out-of-scope question answered as one."""
        if self.picked in NOT_TOPICS:
            return False
        if self.case.label == "SAFETY":
            return True
        return self.case.label == "OUT_OF_SCOPE" and not self.right and self.match.decision is Decision.ANSWER


def read_cases(path: Path) -> list[Case]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            cases.append(Case(d["text"], d["intent"], tuple(d.get("accept") or [d["intent"]]), d.get("condition")))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: line {n}: not an eval case: {exc}") from None
    return cases


def evaluate(matcher: Matcher, cases: list[Case]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        start = time.perf_counter()
        match = matcher.match(case.text)
        known = matcher.names_known_activity(match.slots)
        not_covered = known and rules.timing(matcher.content, match.slots["activity"], None).kind is rules.Timing.NOT_COVERED
        outcomes.append(Outcome(case, match, label_of(match), time.perf_counter() - start, known, not_covered))
    return outcomes


def accuracy(outcomes: list[Outcome]) -> float:
    return sum(o.right for o in outcomes) / len(outcomes) if outcomes else 0.0


def confirm_rate(outcomes: list[Outcome]) -> float:
    return sum(o.match.decision is Decision.CONFIRM for o in outcomes) / len(outcomes) if outcomes else 0.0


def summary(outcomes: list[Outcome]) -> str:
    """One line: the figures a set is judged by."""
    unsafe = [o for o in outcomes if o.unsafe]
    reports = sum(o.unsafe and o.case.label == "SAFETY" for o in unsafe)
    return (f"accuracy {accuracy(outcomes):.1%} ({sum(o.right for o in outcomes)}/{len(outcomes)}), "
            f"asked to confirm {confirm_rate(outcomes):.1%}, unsafe misses {len(unsafe)} "
            f"(problem reports given a topic {reports}, out of scope answered {len(unsafe) - reports})")


def alexa_stand_in(matcher: Matcher, cases: list[Case]) -> str:
    """One line: what Alexa would do if its recogniser ranked intents as the samples alone do
    (`Matcher.by_samples`): problem reports it routes to ComplicationIntent, and the other questions
    it routes right. Alexa has no sign lists, so its samples must carry problem reports on their own."""
    picked = [(case, INTENT_LABELS.get(matcher.by_samples(case.text) or "", "OUT_OF_SCOPE")) for case in cases]
    reports = [label in HANDOFF_LABELS for case, label in picked if case.label == "SAFETY"]
    others = [label in case.accept for case, label in picked if case.label != "SAFETY"]
    return (f"Alexa stand-in (samples alone): problem reports to the complication answer {sum(reports)}/{len(reports)}, "
            f"other questions right {sum(others)}/{len(others)}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def report(outcomes: list[Outcome]) -> str:
    """The printed evaluation: overall and per label, confusion matrix, misses, confirms, latency."""
    lines = [summary(outcomes), f"aftercare questions answered about the activity they name: "
             f"{sum(o.activity_answer for o in outcomes)}; out-of-scope questions declined by \"our information doesn't "
             f"say\": {sum(o.honest_decline for o in outcomes)}; out-of-scope questions given the safety answer: "
             f"{sum(o.false_alarm for o in outcomes)}", "", "per label:"]
    by_label: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_label[o.case.label].append(o)
    for label in sorted(by_label):
        group = by_label[label]
        lines.append(f"  {label:<14} {accuracy(group):6.1%}  ({sum(o.right for o in group)}/{len(group)})")
    labels = sorted({o.case.label for o in outcomes} | {o.picked for o in outcomes})
    confusion = Counter((o.case.label, o.picked) for o in outcomes)
    width = max(len(label) for label in labels)
    lines += ["", "confusion (rows: labelled, columns: picked):",
              " " * (width + 2) + " ".join(f"{label[:5]:>5}" for label in labels)]
    for row in labels:
        lines.append(f"  {row:<{width}} " + " ".join(f"{confusion[(row, col)] or '.':>5}" for col in labels))
    misses = [o for o in outcomes if not o.right]
    lines += ["", f"misses ({len(misses)}; UNSAFE marks an unsafe miss):"]
    for o in misses:
        flag = "UNSAFE " if o.unsafe else ""
        lines.append(f"  {flag}[{o.case.label} -> {o.picked}, {o.match.decision} {o.match.score:.2f}] {o.case.text}")
    times = [o.seconds * 1000 for o in outcomes]
    lines += ["", f"matching time: p50 {percentile(times, 0.5):.3f} ms, p99 {percentile(times, 0.99):.3f} ms, "
              f"mean {statistics.fmean(times):.3f} ms"]
    return "\n".join(lines)


def curve(outcomes: list[Outcome], thresholds: list[float] | None = None) -> str:
    """How accuracy and wrong answers move with the decline threshold (scores below it decline).

    `wrong answers` counts questions answered as a topic that is not acceptable: the costly error.
    """
    thresholds = thresholds or [round(0.20 + 0.02 * i, 2) for i in range(26)]
    lines = ["threshold  accuracy  answered  wrong answers"]
    for t in thresholds:
        labels = [("OUT_OF_SCOPE" if decide(o.match.candidate or OUT, o.match.score, t, t) is Decision.DECLINE
                   else INTENT_LABELS.get(o.match.candidate or "", "OUT_OF_SCOPE")) if o.match.candidate else o.picked
                  for o in outcomes]
        right = sum(label in o.case.accept for label, o in zip(labels, outcomes))
        answered = sum(label != "OUT_OF_SCOPE" for label in labels)
        wrong = sum(label != "OUT_OF_SCOPE" and label not in o.case.accept for label, o in zip(labels, outcomes))
        lines.append(f"  {t:.2f}     {right / len(outcomes):6.1%}   {answered:4d}      {wrong:4d}")
    return "\n".join(lines)


OUT = "OUT_OF_SCOPE"
