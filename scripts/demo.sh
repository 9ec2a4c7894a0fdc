#!/usr/bin/env bash
# The main job on a fresh machine: install, import samples/ into ./deliberations.db, search it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/delib import samples/
.venv/bin/delib search "subvention association" --limit 5
