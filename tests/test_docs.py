"""Every path the README, the docs, the scripts and the code's comments name exists in the repository
(issue 18: a newcomer who follows a path must find it)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = ("shared", "skill", "ivr", "clinic_voice", "interaction_models", "tests", "bench", "docs", "deploy", "scripts", ".ci")
# A path at a word's start (so "../shared/eval", the team folder beside the repository, is not ours).
PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(top) for top in TOP) + r")/[\w./*-]*[\w*])")
# Named on purpose though absent from a fresh clone: what a tool writes and our script removes again,
# and what running the code leaves beside the files (bytecode, the YAML files' parsed copies).
GENERATED = ("docs/bst/test_output", "__pycache__", "__yamlcache__")
FILE_ENDINGS = ("md", "py", "yml", "yaml", "json", "txt", "sh", "png", "toml", "jsonl", "html", "css", "js", "ini")


def documents() -> list[Path]:
    code = [path for top in TOP if top not in ("docs", ".ci") for path in (ROOT / top).glob("**/*.py")
            if path != Path(__file__).resolve()]  # this file names a missing path on purpose
    others = [*(ROOT / "docs").glob("**/*.md"), *(ROOT / "scripts").glob("*.sh"), *(ROOT / "deploy").glob("*.yml")]
    return [*ROOT.glob("*.md"), ROOT / "serverless.yml", ROOT / "pyproject.toml", ROOT / ".ci" / "run", *others, *code]


def named_paths(text: str) -> set[str]:
    return {m.group(1).rstrip(".") for m in PATH.finditer(text)}


def exists(named: str) -> bool:
    """A file or folder, a pattern that matches one ("tests/test_reminders_*.py"), what running the code
    leaves behind, or a Lambda handler ("skill/lambda_function.lambda_handler": module.function)."""
    if any(part in named for part in GENERATED) or any(ROOT.glob(named)):
        return True
    module, _, name = named.rpartition(".")
    return bool(module) and name not in FILE_ENDINGS and (ROOT / f"{module}.py").exists()


def test_the_path_pattern_finds_paths_and_skips_the_team_folder():
    assert named_paths("see `docs/deploy.md`, and ../shared/eval/README.md") == {"docs/deploy.md"}
    assert exists("tests/test_*.py") and exists("skill/lambda_function.lambda_handler")
    assert not exists("docs/nothing-here.md") and not exists("skill/lambda_function.json")


def test_every_path_the_docs_and_comments_name_exists():
    missing = sorted(f"{doc.relative_to(ROOT)}: {named}" for doc in documents()
                     for named in named_paths(doc.read_text(encoding="utf-8", errors="replace")) if not exists(named))
    assert missing == []
