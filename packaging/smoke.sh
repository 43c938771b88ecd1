#!/usr/bin/env bash
# Run the BUILT bundle (not the source tree): --version, --smoke-test (temporary vault, a record
# of each procedure, finalize, every PDF kind, seal chain), a portable-mode run, the desktop
# app up to its unlock window (offscreen), and the static bundle check (files present,
# excluded Qt modules absent, libraries resolvable, size).
#   packaging/smoke.sh [BUNDLE_DIR]      default dist/assister-log (packaging/build.sh makes it)
set -euo pipefail
cd "$(dirname "$0")/.."
bundle="${1:-dist/assister-log}"
exe="$bundle/assister-log"
[[ -x "$exe" ]] || { echo "smoke.sh: no bundle at $bundle: run packaging/build.sh first" >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen
# Never touch the real user folders: crash reports and any default vault go to a temp home.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_STATE_HOME="$scratch/state" \
       XDG_CACHE_HOME="$scratch/cache" ASSISTER_LOG_CRASH_DIR="$scratch/crash"
mkdir -p "$HOME"
unset ASSISTER_LOG_HOME ASSISTER_LOG_PASSPHRASE ASSISTER_LOG_TESTING

fail() { echo "smoke.sh: FAILED: $*" >&2; exit 1; }

# 1. --version matches the version the bundle was built from (and the source, when present)
expected=$(cat "$bundle/VERSION" 2>/dev/null || true)
if [[ -f assister_log/__init__.py ]]; then
  source_version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' assister_log/__init__.py)
  [[ -z "$expected" || "$expected" == "$source_version" ]] \
    || fail "bundle was built from $expected but the source is $source_version: rebuild"
  expected="${expected:-$source_version}"
fi
got=$("$exe" --version)
[[ "$got" == "assister-log $expected" ]] || fail "--version printed '$got', expected 'assister-log $expected'"
echo "ok: --version -> $got"

# 2. the self-test: exit 0 and its line
start=$(date +%s%N)
out=$("$exe" --smoke-test 2>&1) || fail "--smoke-test exited $?: $out"
[[ "$out" == *"smoke test passed"* ]] || fail "--smoke-test said: $out"
echo "ok: --smoke-test ($(( ($(date +%s%N) - start) / 1000000 )) ms) -> $out"

# 3. portable mode: a marker beside the executable puts the vault beside it
portable="$scratch/stick"
cp -a "$bundle" "$portable"
: > "$portable/portable.txt"
printf 'portable smoke passphrase 2024\nportable smoke passphrase 2024\n' \
  | "$portable/assister-log" init --passphrase-stdin --name "Smoke Test" --role navigator >/dev/null \
  || fail "init in portable mode"
[[ -d "$portable/vault" ]] || fail "portable mode did not create $portable/vault"
[[ ! -e "$XDG_DATA_HOME/AssisterLog" ]] || fail "portable mode wrote to the user data folder"
echo "ok: portable mode keeps the vault in <bundle>/vault"

# 4. the desktop app starts from the bundle and shows its unlock window (offscreen)
python3 packaging/measure_start.py --bundle "$bundle" --runs 1 --require-window \
  || fail "the frozen desktop app did not show its unlock window"

# 5. static checks of the bundle
python3 packaging/check_bundle.py "$bundle"
echo "smoke.sh: all passed"
