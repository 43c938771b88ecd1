#!/usr/bin/env bash
# macOS: "Assister Log.app" and dist/assister-log-<version>-macos-<arch>.dmg. Run on a Mac
# (Apple silicon; sqlcipher3 publishes macOS wheels for arm64 only), from any folder:
#   python3.11 -m venv .venv && .venv/bin/pip install -e . "pyinstaller>=6.10"
#   packaging/macos/build-app.sh
# Signing (optional): CODESIGN_IDENTITY="Developer ID Application: ..." signs with the
# hardened runtime; NOTARY_PROFILE=<notarytool keychain profile> also notarizes and staples.
# Without them the app is ad-hoc signed: it runs on the building Mac, and elsewhere only after
# right-click > Open (Gatekeeper).
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ "$(uname -s)" == Darwin ]] || { echo "build-app.sh: needs macOS (hdiutil, codesign)" >&2; exit 1; }
PYTHON="${PYTHON:-.venv/bin/python}"
version=$("$PYTHON" -c "import assister_log; print(assister_log.__version__)")
arch=$(uname -m)
app="dist/Assister Log.app"

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/assister-log.spec
[[ -d "$app" ]] || { echo "build-app.sh: $app was not made" >&2; exit 1; }

# The version in the bundle must be the package's (the spec sets it; check, do not trust).
plist_version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
[[ "$plist_version" == "$version" ]] || { echo "Info.plist says $plist_version, package $version" >&2; exit 1; }

if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
  codesign --force --deep --timestamp --options runtime \
    --entitlements packaging/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" "$app"
else
  codesign --force --deep --sign - "$app"
fi
codesign --verify --deep --strict "$app"

# The built app, not the source tree: version and the no-window self-test.
exe="$app/Contents/MacOS/assister-log"
[[ "$("$exe" --version)" == "assister-log $version" ]]
QT_QPA_PLATFORM=offscreen "$exe" --smoke-test

stage=build/dmg
rm -rf "$stage" && mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
cat > "$stage/Read me.txt" <<TXT
Assister Log $version

Drag "Assister Log" onto "Applications" to install it.
Your records are kept, encrypted, in ~/Library/Application Support/AssisterLog/vault.
Deleting the app from Applications does not delete them.
TXT
dmg="dist/assister-log-$version-macos-$arch.dmg"
rm -f "$dmg"
hdiutil create -volname "Assister Log $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
  codesign --timestamp --sign "$CODESIGN_IDENTITY" "$dmg"
  if [[ -n "${NOTARY_PROFILE:-}" ]]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
  fi
fi
hdiutil verify "$dmg"
echo "Built $dmg ($(du -m "$dmg" | cut -f1) MB); app $(du -sm "$app" | cut -f1) MB"
