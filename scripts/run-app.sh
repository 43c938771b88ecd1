#!/usr/bin/env bash
# Set up, then run the app: the desktop window when a screen is there, otherwise
# `assister-log demo` (a demo vault in a temporary folder, with sample records and PDFs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec .venv/bin/assister-log "$@"
else
  echo "No screen found: running 'assister-log demo' instead of the window."
  exec .venv/bin/assister-log demo "$@"
fi
