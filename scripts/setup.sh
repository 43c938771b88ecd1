#!/usr/bin/env bash
# Idempotent set-up on Debian/Ubuntu: the system libraries Qt needs (only when missing),
# a virtual environment in .venv, and Assister Log installed into it (editable).
#   scripts/setup.sh          app set-up
#   scripts/setup.sh --test   app + test tools (poppler, mupdf, libfiu, Xvfb, shellcheck)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libxkbcommon0 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
          libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          python3-venv python3-pip)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(poppler-utils qpdf openssl zbar-tools fiu-utils libfiu0 xvfb xauth desktop-file-utils binutils appstream age mupdf-tools shellcheck)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3-venv/pip are only needed when the interpreter lacks them (e.g. pyenv builds have both).
if python3 -c "import venv, ensurepip" 2>/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == python3-venv || "$p" == python3-pip ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
extras=""; [[ "${1:-}" == "--test" ]] && extras="[test]"
stamp=".venv/.installed${extras:+-test}"
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q -e ".${extras}" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import assister_log, sqlcipher3, PySide6, reportlab" # fail loudly if the install failed
  touch "$stamp"
fi
