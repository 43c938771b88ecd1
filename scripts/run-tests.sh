#!/usr/bin/env bash
# Set up, then run every check: lint, types, the whole test suite (slow tests included, with
# CI-sized trial counts), and the benchmark runner in quick mode (kept working, not judged).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen ASSISTER_LOG_TRIALS="${ASSISTER_LOG_TRIALS:-ci}"
.venv/bin/ruff check assister_log tests bench scripts packaging
.venv/bin/ruff format --check assister_log tests bench scripts packaging
.venv/bin/mypy
.venv/bin/pytest "$@"
if [[ -d bench ]] && [[ -f bench/__main__.py ]]; then
  .venv/bin/python -m bench --quick
fi
