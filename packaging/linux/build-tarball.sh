#!/usr/bin/env bash
# Linux tarball: dist/assister-log-<version>-linux-x86_64.tar.gz from the one-folder bundle.
#   packaging/build.sh && packaging/linux/build-tarball.sh
# The tarball unpacks to one folder that runs as it is (./assister-log), can be installed for
# the current user with ./install.sh (menu entry and icons; ./uninstall.sh removes them, never
# the vault), or made portable with `touch portable.txt` (vault kept in ./vault).
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=dist/assister-log
[[ -x "$bundle/assister-log" ]] || { echo "build-tarball.sh: run packaging/build.sh first" >&2; exit 1; }
version=$(cat "$bundle/VERSION")
arch=$(uname -m)
name="assister-log-$version-linux-$arch"
stage="build/tarball/$name"
rm -rf "build/tarball" && mkdir -p "$stage"
cp -a "$bundle/." "$stage/"
app_id=org.assisterlog.AssisterLog
install -D -m 644 resources/desktop/$app_id.desktop "$stage/share/applications/$app_id.desktop"
install -D -m 644 resources/desktop/$app_id.metainfo.xml "$stage/share/metainfo/$app_id.metainfo.xml"
install -D -m 644 resources/icons/assister-log.svg "$stage/share/icons/hicolor/scalable/apps/$app_id.svg"
for png in resources/icons/assister-log-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$stage/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
install -m 755 packaging/linux/install.sh packaging/linux/uninstall.sh "$stage/"
sed "s/@VERSION@/$version/g" packaging/linux/README-linux.txt > "$stage/README.txt"
tar -C build/tarball --owner=0 --group=0 --numeric-owner -czf "dist/$name.tar.gz" "$name"
echo "Built dist/$name.tar.gz: $(du -m "dist/$name.tar.gz" | cut -f1) MB (unpacked $(du -sm "$stage" | cut -f1) MB)"
