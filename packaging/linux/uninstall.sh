#!/usr/bin/env bash
# Remove Assister Log installed by install.sh for the current user. The vault (your records)
# is NOT removed: it stays where it is, so a later install opens it again.
set -euo pipefail
app_id=org.assisterlog.AssisterLog
data="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -rf "$HOME/.local/opt/assister-log"
[[ -L "$HOME/.local/bin/assister-log" ]] && rm -f "$HOME/.local/bin/assister-log"
rm -f "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml"
find "$data/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$data/applications" || true; fi
echo "Assister Log was removed."
echo "Your vault was left in place: $data/AssisterLog/vault (unless you chose another folder)."
echo "Delete that folder yourself only if you no longer need the records or have a backup."
