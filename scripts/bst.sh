#!/usr/bin/env bash
# Bespoken's unit tests (docs/bst/*.test.yml) against the local server's /alexa, leaving the work tree
# as it was: bespoken-tools is installed into a temporary folder (not package.json or node_modules/),
# the server is started in dev mode only if nothing answers on port 8000 (and stopped afterwards), and
# bst's docs/bst/test_output/ is removed. Needs npm and the npm registry. Exits 0 when every test
# suite passed: bst itself exits 1 offline, when it can't send its usage statistics.
set -euo pipefail
cd "$(dirname "$0")/.."
BST_VERSION="2.6.7"
BASE="http://127.0.0.1:8000"
tools="$(mktemp -d)"
server=""

cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tools" docs/bst/test_output
}
trap cleanup EXIT

answers() { curl -s -o /dev/null --max-time 2 "$BASE/alexa" -X POST -d '{}'; }

echo "installing bespoken-tools@$BST_VERSION into $tools" >&2
npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  "bespoken-tools@$BST_VERSION" >&2

if answers; then
  echo "using the server already running at $BASE" >&2
else
  echo "starting the local server in dev mode (log: $tools/server.log)" >&2
  bash scripts/serve.sh --dev >"$tools/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    answers && break
    kill -0 "$server" 2>/dev/null || { cat "$tools/server.log" >&2; exit 1; }
    sleep 0.5
  done
  answers || { echo "the server did not answer at $BASE" >&2; cat "$tools/server.log" >&2; exit 1; }
fi

(cd docs/bst && "$tools/node_modules/.bin/bst" test) 2>&1 | tee "$tools/bst.out" || true
grep -q "^Test Suites:" "$tools/bst.out" && ! grep -q "^Test Suites:.*failed" "$tools/bst.out"
