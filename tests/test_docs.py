"""Every path the README, the docs and the code's comments name exists in the repository (issue 18:
a newcomer who follows a path must find it)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = ("shared", "skill", "ivr", "clinic_voice", "interaction_models", "tests", "bench", "docs", "deploy", "scripts", ".ci")
PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(top) for top in TOP) + r")/[\w./*-]*[\w*])")
# Named on purpose though absent: what a tool writes and our script removes again.
MADE_AND_REMOVED = {"docs/bst/test_output"}


def documents() -> list[Path]:
    code = [path for top in TOP if top not in ("docs", ".ci") for path in (ROOT / top).glob("**/*.py")
            if path != Path(__file__).resolve()]  # this file names a missing path on purpose
    return [*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), ROOT / "serverless.yml", ROOT / "pyproject.toml",
            ROOT / ".ci" / "run", *code]


def named_paths(text: str) -> set[str]:
    """Repository paths in `text`; `../shared/...` is the team folder beside the repository, not ours."""
    return {m.group(1).rstrip(".") for m in PATH.finditer(text) if text[max(0, m.start(1) - 3):m.start(1)] != "../"}


def exists(named: str) -> bool:
    """A file or folder, a pattern that matches one ("tests/test_reminders_*.py"), or a Lambda handler
    ("skill/lambda_function.lambda_handler": module.function)."""
    module = re.sub(r"\.\w+$", "", named) + ".py"
    return any(ROOT.glob(named)) or (ROOT / module).exists() or named in MADE_AND_REMOVED


def test_the_path_pattern_finds_paths_and_skips_the_team_folder():
    assert named_paths("see `docs/deploy.md`, and ../shared/eval/README.md") == {"docs/deploy.md"}
    assert exists("tests/test_*.py") and not exists("docs/nothing-here.md")


def test_every_path_the_docs_and_comments_name_exists():
    missing = sorted(f"{doc.relative_to(ROOT)}: {named}" for doc in documents()
                     for named in named_paths(doc.read_text(encoding="utf-8", errors="replace")) if not exists(named))
    assert missing == []
