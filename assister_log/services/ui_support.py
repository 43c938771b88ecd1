"""Use-case helpers the desktop app needs that are not Qt: restoring over a damaged vault,
and the app's display preferences (kept in the vault, never in QSettings)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from assister_log import clock
from assister_log.errors import from_os_error
from assister_log.services.session import Session, restore


def local_now() -> datetime:
    """Now, aware, in the computer's time zone (what the timeline stamps)."""
    return clock.now()


_PREFERENCES = "ui_preferences"


def preference(session: Session, key: str, default: Any = None) -> Any:
    """A display preference (e.g. high contrast), kept encrypted in the vault."""
    stored = session.vault.get_setting(_PREFERENCES) or {}
    return stored.get(key, default) if isinstance(stored, dict) else default


def set_preference(session: Session, key: str, value: Any) -> None:
    stored = session.vault.get_setting(_PREFERENCES) or {}
    if not isinstance(stored, dict):
        stored = {}
    stored[key] = value
    session.vault.set_setting(_PREFERENCES, stored)


def restore_replacing(backup_file: Path, folder: Path, secret: str) -> tuple[int, Path | None]:
    """Restore a backup into ``folder``, which may hold a damaged vault: that one is first
    renamed aside (``<name>.damaged-<time>``, kept, never deleted) and put back if the
    restore fails. Returns the record count and where the damaged vault went."""
    import os

    aside: Path | None = None
    if folder.exists() and any(folder.iterdir()):
        stamp = local_now().strftime("%Y%m%dT%H%M%S")
        aside = folder.with_name(f"{folder.name}.damaged-{stamp}")
        try:
            os.rename(folder, aside)
        except OSError as error:
            raise from_os_error(error, f"the folder {folder}") from None
    try:
        records = restore(backup_file, folder, secret)
    except BaseException:
        if aside is not None and not folder.exists():
            os.rename(aside, folder)
        raise
    return records, aside
