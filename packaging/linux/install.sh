#!/usr/bin/env bash
# Install Assister Log from this unpacked folder, for the current user (no root needed):
#   program  ~/.local/opt/assister-log/   (a copy of this folder)
#   command  ~/.local/bin/assister-log
#   menu     ~/.local/share/applications, icons in ~/.local/share/icons/hicolor
# Run again to update. Your records (the vault, in ~/.local/share/AssisterLog/vault unless you
# chose another folder) are not in the program folder and are never touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id=org.assisterlog.AssisterLog
data="${XDG_DATA_HOME:-$HOME/.local/share}"
dest="$HOME/.local/opt/assister-log"
bin="$HOME/.local/bin"
if [[ "$here" != "$dest" ]]; then
  rm -rf "$dest.new" && mkdir -p "$dest.new"
  cp -a "$here/assister-log" "$here/_internal" "$here/uninstall.sh" "$here/README.txt" "$dest.new/"
  [[ -f "$here/VERSION" ]] && cp "$here/VERSION" "$dest.new/"
  rm -rf "$dest" && mv "$dest.new" "$dest"
fi
mkdir -p "$bin" "$data/applications" "$data/metainfo"
ln -sfn "$dest/assister-log" "$bin/assister-log"
sed "s|^Exec=assister-log|Exec=$dest/assister-log|" "$here/share/applications/$app_id.desktop" \
  > "$data/applications/$app_id.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/"
(cd "$here/share/icons" && find hicolor -type f) | while read -r icon; do
  install -D -m 644 "$here/share/icons/$icon" "$data/icons/$icon"
done
if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$data/applications" || true; fi
if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t "$data/icons/hicolor" || true; fi
echo "Installed Assister Log $(cat "$dest/VERSION" 2>/dev/null) in $dest"
echo "Start it from the applications menu, or run: assister-log"
case ":$PATH:" in *":$bin:"*) ;; *) echo "(add $bin to PATH to run it by name)";; esac
