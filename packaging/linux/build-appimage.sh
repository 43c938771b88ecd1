#!/usr/bin/env bash
# AppImage: build/AppDir from the one-folder bundle, then dist/Assister_Log-<version>-<arch>.AppImage
# with appimagetool.
#   packaging/build.sh && packaging/linux/build-appimage.sh
#   APPIMAGETOOL=/path/to/appimagetool-x86_64.AppImage packaging/linux/build-appimage.sh
# appimagetool is not a Debian or PyPI package: download it once from the AppImage project's
# releases (github.com/AppImage/appimagetool, "appimagetool-x86_64.AppImage"), chmod +x it,
# and put it on PATH or in APPIMAGETOOL. Without it this script stops after making the AppDir
# (which can be checked by running build/AppDir/AppRun --smoke-test).
# Portable mode: a file named portable.txt next to the .AppImage file keeps the vault in a
# "vault" folder next to it (AppRun sets ASSISTER_LOG_HOME; the image itself is read-only).
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=dist/assister-log
[[ -x "$bundle/assister-log" ]] || { echo "build-appimage.sh: run packaging/build.sh first" >&2; exit 1; }
version=$(cat "$bundle/VERSION")
arch=$(uname -m)
app_id=org.assisterlog.AssisterLog
appdir=build/AppDir
rm -rf "$appdir" && mkdir -p "$appdir/usr/lib"
cp -a "$bundle" "$appdir/usr/lib/assister-log"
install -D -m 644 resources/desktop/$app_id.desktop "$appdir/usr/share/applications/$app_id.desktop"
install -D -m 644 resources/desktop/$app_id.metainfo.xml "$appdir/usr/share/metainfo/$app_id.appdata.xml"
install -D -m 644 resources/icons/assister-log.svg "$appdir/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
for png in resources/icons/assister-log-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$appdir/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
cp resources/desktop/$app_id.desktop "$appdir/$app_id.desktop"
cp resources/icons/assister-log-256.png "$appdir/$app_id.png"
ln -s "$app_id.png" "$appdir/.DirIcon"
cat > "$appdir/AppRun" <<'APPRUN'
#!/bin/sh
# AppImage entry: portable mode beside the .AppImage file, then the program.
HERE="$(dirname "$(readlink -f "$0")")"
if [ -n "${APPIMAGE:-}" ] && [ -z "${ASSISTER_LOG_HOME:-}" ] \
   && [ -f "$(dirname "$APPIMAGE")/portable.txt" ]; then
  ASSISTER_LOG_HOME="$(dirname "$APPIMAGE")/vault"
  export ASSISTER_LOG_HOME
fi
exec "$HERE/usr/lib/assister-log/assister-log" "$@"
APPRUN
chmod 755 "$appdir/AppRun"
echo "Made $appdir ($(du -sm "$appdir" | cut -f1) MB)"

tool="${APPIMAGETOOL:-$(command -v appimagetool || command -v appimagetool-x86_64.AppImage || true)}"
if [[ -z "$tool" ]]; then
  echo "appimagetool not found: AppDir left in $appdir (see the top of this script to get it)." >&2
  exit 3
fi
out="dist/Assister_Log-$version-$arch.AppImage"
ARCH="$arch" VERSION="$version" "$tool" --no-appstream "$appdir" "$out"
echo "Built $out: $(du -m "$out" | cut -f1) MB"
