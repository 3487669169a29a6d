#!/usr/bin/env bash
# Set up a virtualenv with the project, then run the product: the local server on the shipped content.
# Without TWILIO_AUTH_TOKEN set, it runs in --dev mode (signature checks off, said loudly).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
if [ -z "${TWILIO_AUTH_TOKEN:-}" ]; then set -- --dev "$@"; fi
exec .venv/bin/clinic-voice serve "$@"
