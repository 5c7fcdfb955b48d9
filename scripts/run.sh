#!/usr/bin/env bash
# The run command: bash scripts/run.sh [pilotage serve args...]
# Creates .venv if needed, installs the project into it, then starts the app
# (`pilotage serve`: creates the SQLite schema, loads the demo data on first start,
# serves on http://127.0.0.1:8050 and prints the URL and the demo login).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_venv
venv_pip_install -e .

step "pilotage serve $*"
exec .venv/bin/pilotage serve "$@"
