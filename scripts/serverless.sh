#!/usr/bin/env bash
# `npx serverless ARGS...` (package, deploy) with bytecode that still counts inside the Lambda package.
#
# The package's zip stamps every file 1980-01-01, so Python's usual bytecode (checked against the
# source's time) is stale on Lambda, which can't write __pycache__ either: every cold start would
# compile every module again, ours and the dependencies' (measured on the unzipped package, medians:
# the skill's cold start 375 ms, 186 ms with this; the phone's 608 ms, 272 ms). Bytecode checked against the source's contents (PEP 552) holds:
# compileall writes ours, and SOURCE_DATE_EPOCH makes pip write the dependencies' that way when
# serverless-python-requirements installs them. Its cache (~/.cache/serverless-python-requirements)
# keeps what an earlier install wrote: delete it once if it was built without this script.
set -euo pipefail
cd "$(dirname "$0")/.."
runtime="$(sed -n 's/^  runtime: python\([0-9.]*\).*/\1/p' serverless.yml)"   # the Lambda runtime's Python
venv="$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$runtime" != "$venv" ]; then
  echo "scripts/serverless.sh: .venv has Python $venv but the Lambda runtime is python$runtime; bytecode and" \
       "compiled dependencies would not match. Create .venv with python$runtime." >&2
  exit 1
fi
.venv/bin/python -m compileall -q -f --invalidation-mode checked-hash shared skill ivr interaction_models
# The models check loads every file and builds every matcher: it leaves the YAML files' parsed copies
# and the matchers' sample tokens (shared/kept.py) for the package, so a cold start needs neither.
.venv/bin/clinic-voice models check > /dev/null
PATH="$PWD/.venv/bin:$PATH" SOURCE_DATE_EPOCH=315532800 SLS_TELEMETRY_DISABLED="${SLS_TELEMETRY_DISABLED:-1}" \
  npx serverless "$@"
