"""`clinic-voice`: the command line for staff and engineers."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from clinic_voice import followup_cli, serve, staff
from clinic_voice.console import cli as console_cli
from shared.core.content import DEFAULT_LOCALE, ContentError, content_path, length_warnings, load_content


def content_check(args: argparse.Namespace) -> int:
    """Validate content files; print every problem as `file: path: reason`."""
    files = args.files or sorted(content_path(DEFAULT_LOCALE).parent.glob("*.yaml"))  # every locale
    failed = False
    for file in files:
        try:
            content = load_content(Path(file))
        except ContentError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        for warning in length_warnings(content):
            print(f"warning: {warning}")
        print(f"{file}: ok ({len(content.topics)} topics, {len(content.conditions)} conditions, "
              f"{len(content.activities)} activities, {len(content.aftercare_steps)} aftercare steps)")
        if content.locale != DEFAULT_LOCALE:  # shared/core/locales.py refused it otherwise
            print(f"  same facts, verdicts, waiting windows, topics, conditions, activities and steps as {DEFAULT_LOCALE}")
    return 1 if failed else 0


def _add_content(commands: argparse._SubParsersAction) -> None:
    content = commands.add_parser("content", help="check the clinic's content files")
    sub = content.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="validate content files against the schema and the rules",
                           description="Validate content files. Exit 1 and print file, path and reason on a bad file.")
    check.add_argument("files", nargs="*", metavar="FILE", help="content file(s); default: every shipped locale")
    check.set_defaults(run=content_check)


COMMAND_GROUPS: list[Callable[[argparse._SubParsersAction], None]] = [_add_content, serve.add_commands, staff.add_commands,
                                                                   followup_cli.add_commands, console_cli.add_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-voice", description="Voice FAQ assistant for a skin clinic.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMAND_GROUPS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as exc:  # a broken content or model file: file, path and reason, no traceback
        print(f"clinic-voice: refused:\n{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
