"""Staff commands: `models check|build|export`, `try`, `eval`."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from interaction_models import MODELS_DIR
from shared.core.content import DEFAULT_LOCALE, ContentError, content_path, load_content
from shared.core.locales import SUPPORTED
from shared.models.reading import read_model_json


def _content_file(locale: str = DEFAULT_LOCALE) -> Path:
    """The content file the commands check for `locale`: CLINIC_CONTENT_DIR's, as the server would serve
    it, or the shipped one; en-GB and the other derived locales speak en-US's."""
    locale = locale if content_path(locale).exists() else DEFAULT_LOCALE
    folder = os.environ.get("CLINIC_CONTENT_DIR")
    return Path(folder) / content_path(locale).name if folder else content_path(locale)


def _models_dir() -> Path:
    return Path(os.environ.get("CLINIC_MODELS_DIR") or MODELS_DIR)


def _content_or_exit(locale: str = DEFAULT_LOCALE):
    try:
        return load_content(_content_file(locale))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)


def models_check(args: argparse.Namespace) -> int:
    from shared.models.build import hand_edited, model_locales
    from shared.models.checks import Finding, check_model_data
    from shared.where import located
    locales = args.locales or model_locales(_models_dir())
    errors = 0
    for locale in locales:
        path, content = _models_dir() / f"{locale}.json", _content_or_exit(locale)
        try:
            findings = check_model_data(read_model_json(path), str(path), content, with_matcher=True)
        except ContentError as exc:
            print("\n".join(f"error: {p}" for p in exc.problems))
            errors += len(exc.problems)
            continue
        findings = [Finding(p, f.error) for p, f in zip(located([f.problem for f in findings]), findings)]
        for finding in findings:
            print(finding)
        errors += sum(f.error for f in findings)
        if not any(f.error for f in findings):
            print(f"{path}: ok ({sum(not f.error for f in findings)} warnings)")
    edited = [p for p in hand_edited(_models_dir()) if Path(p.file).stem in locales]
    for problem in edited:
        print(f"error: {problem}")
    return 1 if errors or edited else 0


def models_build(args: argparse.Namespace) -> int:
    from shared.models.build import build, derived_files, hand_edited, out_of_date
    if edited := hand_edited(_models_dir()):
        print("\n".join(f"refused: {p}" for p in edited), file=sys.stderr)
        return 1
    try:
        files = derived_files(_content_or_exit(), _models_dir())
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.check:
        stale = out_of_date(files)
        for path in stale:
            print(f"{path}: out of date (run: clinic-voice models build)")
        return 1 if stale else 0
    changed = build(files)
    print("\n".join(f"wrote {p}" for p in changed) if changed else "all derived files are up to date")
    return 0


def models_train(args: argparse.Namespace) -> int:
    """Retrain the classifier of each language on its samples and labelled sets (or, with --check, say
    which is stale): run from the repository folder, after samples, word lists or labelled sets change."""
    from shared.store import current
    from shared.understanding.classifier import classifier_path, digest, labelled_sets, load_classifier, train, training_pairs
    from shared.models.build import write_atomically
    folder = Path(args.sets)
    if not folder.is_dir():
        print(f"clinic-voice: no labelled sets in {folder}/ (run from the repository folder, or give --sets)", file=sys.stderr)
        return 1
    stale = 0
    unknown = [locale for locale in args.locales if locale not in SUPPORTED]
    if unknown:
        print(f"clinic-voice: no classifier for {', '.join(unknown)} (one of: {', '.join(SUPPORTED)})", file=sys.stderr)
        return 1
    for locale in args.locales or SUPPORTED:  # one per language: en-GB, en-CA... use en-US's
        matcher, path = current(locale).matcher, classifier_path(locale)
        pairs = training_pairs(matcher, labelled_sets(locale, folder))
        kept = load_classifier(path)
        if kept is not None and kept.digest == digest(pairs):
            print(f"{path}: up to date ({len(pairs)} examples)")
            continue
        if args.check:
            print(f"{path}: out of date (run: clinic-voice models train)")
            stale += 1
            continue
        try:
            write_atomically(path, train(pairs).to_bytes())
            path.chmod(0o644)  # read by the server and by Lambda, like the other data files
        except RuntimeError as exc:
            print(f"clinic-voice: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {path} ({len(pairs)} examples)")
    return 1 if stale else 0


def models_export(args: argparse.Namespace) -> int:
    from shared.models.build import build, export_files
    try:
        files = export_files(Path(args.dir), os.environ)
    except KeyError as exc:
        print(f"clinic-voice: set {exc.args[0]} first (used in interaction_models/skill.json)", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"clinic-voice: {exc}", file=sys.stderr)
        return 1
    build(files)
    print(f"wrote an ASK CLI project to {args.dir}: run `ask deploy` there")
    return 0


@dataclass(frozen=True)
class Attempt:
    """What the phone line makes of a phrase (`clinic-voice try` and the console's Try page)."""

    intent: str | None
    decision: str
    score: float
    slots: dict
    nearest: list[tuple[float, str, str]]
    alexa_says: str
    phone_says: str


def attempt(bundle, text: str) -> Attempt:
    """Which intent and slots, how sure, the nearest utterances, and what each channel would answer."""
    from shared.core import intents
    match = bundle.matcher.match(text, explain=True)
    alexa, phone = replies(bundle.content, match.intent or intents.FALLBACK, match.slots, str(match.decision))
    return Attempt(match.intent, str(match.decision), match.score, dict(match.slots or {}), list(match.nearest),
                   alexa, phone)


def replies(content, intent: str, slots: dict, decision: str = "answer") -> tuple[str, str]:
    """Alexa's SSML, and the phone's words with its keys (a "Did you want...?" when it is unsure)."""
    from ivr.routes import keys_words
    from shared.core.dialogue import State, confirm, respond
    from skill.handlers import ssml
    answer = respond(content, intent, slots)
    reply = confirm(content, intent, slots, State()) if decision == "confirm" else answer
    return ssml(answer.speech), f"{reply.speech} {keys_words(content, reply.state)}"


def try_phrase(args: argparse.Namespace) -> int:
    """What the phone matcher makes of a phrase, and what each channel would answer."""
    from shared.store import default_store
    seen = attempt(default_store().check(args.locale), args.text)
    print(f"intent:   {seen.intent or '(declined: fallback)'}  [{seen.decision}, score {seen.score:.2f}]")
    print(f"slots:    {seen.slots or '-'}")
    print("nearest utterances:")
    for score, intent, sample in seen.nearest:
        print(f"  {score:.2f}  {intent:<24} {sample}")
    print(f"alexa says: {seen.alexa_says}")
    print(f"phone says: {seen.phone_says}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """Each file's full report, then (for several files) one summary line per set."""
    from shared.understanding.evaluation import (DEFAULT_EVAL_FILE, alexa_stand_in, curve, evaluate, read_cases,
                                                 report, summary)
    from shared.store import default_store
    paths = [Path(f) for f in args.files] or [DEFAULT_EVAL_FILE]
    try:
        sets = [(path, read_cases(path)) for path in paths]
    except (OSError, ValueError) as exc:
        print(f"clinic-voice: {exc}", file=sys.stderr)
        return 1
    matcher = default_store().check(args.locale).matcher
    evaluate(matcher, sets[0][1][:5])  # warm up caches so timings are of steady state
    summaries = []
    for path, cases in sets:
        outcomes = evaluate(matcher, cases)
        print(f"{path} ({len(cases)} questions)\n\n{report(outcomes)}\n")
        if args.curve:
            print(curve(outcomes) + "\n")
        if args.alexa:
            print(alexa_stand_in(matcher, cases) + "\n")
        summaries.append(f"  {path.name}: {summary(outcomes)}")
    if len(sets) > 1:
        print("per set:\n" + "\n".join(summaries))
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    models = commands.add_parser("models", help="check, build and export the Alexa interaction models")
    sub = models.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="check models against Alexa's rules, the schema, the code and content",
                           description="Print every problem as file: JSON path: reason. Exit 1 on any error.")
    check.add_argument("locales", nargs="*", metavar="LOCALE", help="e.g. en-US (default: every model)")
    check.set_defaults(run=models_check)
    build = sub.add_parser("build", help="write derived files (slot values, other English locales)",
                           description="Rebuild slot types from the content and en-GB/en-CA/en-AU/en-IN from en-US.")
    build.add_argument("--check", action="store_true", help="only check: exit 1 if a derived file is out of date")
    build.set_defaults(run=models_build)
    train_ = sub.add_parser("train", help="retrain the phone's classifier on the samples and labelled sets",
                            description="Fit the phone matcher's second opinion (shared/understanding/classifier.py) on "
                                        "each language's sample utterances and tests/data/questions-*.jsonl. Needs "
                                        "scikit-learn (the test extra); run from the repository folder.")
    train_.add_argument("locales", nargs="*", metavar="LOCALE", help="en-US or es-US (default: both)")
    train_.add_argument("--sets", default=str(Path("tests") / "data"), metavar="DIR",
                        help="folder of labelled sets (default: tests/data)")
    train_.add_argument("--check", action="store_true", help="only check: exit 1 if a classifier is out of date")
    train_.set_defaults(run=models_train)
    export = sub.add_parser("export", help="write an ASK CLI project for `ask deploy`",
                            description="Needs CLINIC_PRIVACY_POLICY_URL (https) and ALEXA_ENDPOINT (a Lambda ARN or an "
                                        "https URL; then ALEXA_SSL_CERTIFICATE_TYPE: Trusted, Wildcard or "
                                        "SelfSigned, default Trusted) in the environment.")
    export.add_argument("dir", metavar="DIR")
    export.set_defaults(run=models_export)
    attempt = commands.add_parser("try", help="show what the phone matcher and each channel make of a phrase",
                                  description="Which intent and slots, how sure, the nearest utterances, and the replies.")
    attempt.add_argument("text", help="what a patient says, in quotes")
    attempt.add_argument("--locale", default=DEFAULT_LOCALE, choices=SUPPORTED, help="language of the line (default en-US)")
    attempt.set_defaults(run=try_phrase)
    ev = commands.add_parser("eval", help="measure the phone matcher on labelled questions",
                             description="Per set: accuracy, confirm rate and unsafe misses (problem reports given a topic, "
                                         "out-of-scope questions answered), per label, confusion matrix, misses, timing.")
    ev.add_argument("files", nargs="*", metavar="FILE", help="JSON lines (default: tests/data/questions-dev.jsonl)")
    ev.add_argument("--locale", default=DEFAULT_LOCALE, choices=SUPPORTED, help="language of the questions (default en-US)")
    ev.add_argument("--curve", action="store_true", help="also print accuracy against the decline threshold")
    ev.add_argument("--alexa", action="store_true",
                    help="also route each question by the sample utterances alone, a stand-in for Alexa's recogniser")
    ev.set_defaults(run=run_eval)
