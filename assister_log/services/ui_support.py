"""Use-case helpers the desktop app needs that are not Qt: which grounds and timeline steps
belong to a procedure, checking a draft the editor assembled before it is stored, checking a
secret without reopening the vault, and the app's display preferences (kept in the vault,
never in QSettings). Candidates to move into ``policy`` / ``Session`` once they settle."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assister_log.domain.model import EventKind, GroundKind, Incident, Procedure
from assister_log.domain.serialization import incident_from_storage, incident_to_dict
from assister_log.errors import from_os_error
from assister_log.services.session import Session, restore

# The one-click timeline buttons per procedure, in the order the procedure runs.
EVENTS_BY_PROCEDURE: dict[Procedure, tuple[EventKind, ...]] = {
    Procedure.INAPPROPRIATE_INTERACTION: (
        EventKind.BEHAVIOUR_STARTED,
        EventKind.REMINDER_GIVEN,
        EventKind.FURTHER_ATTEMPT,
        EventKind.ISSUE_RESOLVED_ADVISED,
        EventKind.BEHAVIOUR_CONTINUED,
        EventKind.REDIRECTED,
        EventKind.INTERACTION_ENDED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.LAW_ENFORCEMENT_NOT_CALLED,
        EventKind.THREAT_REPORTED,
        EventKind.COMPLAINT_FILED,
        EventKind.OTHER,
    ),
    Procedure.STAFF_CALL: (
        EventKind.BEHAVIOUR_STARTED,
        EventKind.REMINDER_GIVEN,
        EventKind.FURTHER_ATTEMPT,
        EventKind.ISSUE_RESOLVED_ADVISED,
        EventKind.BEHAVIOUR_CONTINUED,
        EventKind.REDIRECTED,
        EventKind.INTERACTION_ENDED,
        EventKind.RECORDING_PRESERVED,
        EventKind.LEADERSHIP_NOTIFIED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.OTHER,
    ),
    Procedure.SUSPECTED_FRAUD: (
        EventKind.FRAUDULENT_ENTRY_REQUESTED,
        EventKind.ACCURACY_REMINDER,
        EventKind.ASSISTANCE_CONTINUED,
        EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
        EventKind.BEHAVIOUR_STARTED,
        EventKind.INTERACTION_ENDED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.LAW_ENFORCEMENT_NOT_CALLED,
        EventKind.THREAT_REPORTED,
        EventKind.EVIDENCE_PRESERVED,
        EventKind.FRAUD_REFERRED,
        EventKind.COMPLAINT_FILED,
        EventKind.OTHER,
    ),
}

_BEHAVIOUR = (GroundKind.THREAT, GroundKind.VERBAL_ABUSE, GroundKind.UNRELATED_MATTERS)

# The grounds a procedure offers; a fraud record may also show behaviour (a threat).
GROUNDS_BY_PROCEDURE: dict[Procedure, tuple[GroundKind, ...]] = {
    Procedure.INAPPROPRIATE_INTERACTION: _BEHAVIOUR,
    Procedure.STAFF_CALL: _BEHAVIOUR,
    Procedure.SUSPECTED_FRAUD: (GroundKind.SUSPECTED_FRAUD, *_BEHAVIOUR),
}


def local_now() -> datetime:
    """Now, aware, in the computer's time zone (what the timeline stamps)."""
    return datetime.now(UTC).astimezone()


def checked_draft(incident: Incident) -> Incident:
    """The draft as the vault will read it back, or BadInput naming the field to fix.

    The editor builds records field by field; storing one the reader would refuse (an empty
    quote, an end before the start, a control character) would make it unreadable later.
    Round-tripping through the storage format applies every rule ``serialization`` has.
    """
    return incident_from_storage(incident_to_dict(incident))


def verify_secret(session: Session, secret: str) -> None:
    """WrongSecret unless ``secret`` opens this vault (the passphrase or the recovery key).

    Asked before changing the passphrase or the recovery key, so that someone at an
    unattended, unlocked laptop cannot take the vault over. Costs one Argon2 run.
    """
    from assister_log.storage import keyfile
    from assister_log.storage.vault import KEY_FILE

    kf = keyfile.parse(keyfile.read(session.vault.folder / KEY_FILE))
    keyfile.unlock(kf, secret)


def remove_attachment(session: Session, incident_id: str, attachment_id: str) -> Incident:
    """Remove an attachment from a draft (a wrong file chosen); returns the stored draft."""
    session.vault.remove_attachment(incident_id, attachment_id)
    return session.get(incident_id)


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
