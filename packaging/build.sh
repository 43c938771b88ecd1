#!/usr/bin/env bash
# Build the one-folder bundle dist/assister-log/ with PyInstaller and print its size.
#   packaging/build.sh            uses .venv/bin/python (scripts/setup.sh makes it)
#   PYTHON=/path/python packaging/build.sh
# PyInstaller is installed into that environment when it is missing (pip, from PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
if [[ ! -x "$PYTHON" ]] && ! command -v "$PYTHON" >/dev/null; then
  echo "build.sh: no Python at $PYTHON: run scripts/setup.sh first" >&2
  exit 1
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "Installing PyInstaller into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
  "$PYTHON" -m pip install -q "pyinstaller>=6.10"
fi
version=$("$PYTHON" -c "import assister_log; print(assister_log.__version__)")
echo "Building Assister Log $version (PyInstaller $("$PYTHON" -m PyInstaller --version))"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/assister-log.spec
bundle=dist/assister-log
[[ -d "$bundle" ]] || { echo "build.sh: $bundle was not made" >&2; exit 1; }
[[ "$(cat "$bundle/VERSION")" == "$version" ]] || { echo "build.sh: $bundle/VERSION is wrong" >&2; exit 1; }
size_kb=$(du -sk "$bundle" | cut -f1)
echo "Built $bundle in $(( $(date +%s) - start )) s: $(( size_kb / 1024 )) MB ($size_kb KiB), $(find "$bundle" -type f | wc -l) files"
