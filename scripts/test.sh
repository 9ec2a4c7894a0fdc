#!/usr/bin/env bash
# The test suite on a fresh machine: install what it needs, then run it (extra args go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/python -m pytest -q "$@"
