"""The use cases the CLI and the desktop app share. One place each: log, save a draft,
check against the policy, finalize, add an addendum, attach evidence, search, back up,
restore, change the passphrase, retention. Neither front end runs SQL or policy logic."""

from __future__ import annotations

import builtins
import json
import mimetypes
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assister_log import clock
from assister_log.domain.model import (
    Attachment,
    Channel,
    Incident,
    Party,
    PartyKind,
    Procedure,
    Profile,
    Status,
)
from assister_log.domain.serialization import (
    loads_user_json,
    parse_new_incident,
    profile_from_dict,
)
from assister_log.errors import BadInput, KnownError
from assister_log.policy.checks import Finding, StepResult, checklist, evaluate
from assister_log.policy.procedures import spec
from assister_log.policy.timing import TimeProblem, stored_time_problems
from assister_log.policy.wording import procedure_refusal
from assister_log.services import settings as defaults
from assister_log.services.presentation import zone_for
from assister_log.storage import backup as backup_store
from assister_log.storage import safe_read, session_marker
from assister_log.storage.attachments import MAX_ATTACHMENT_BYTES, attachment_too_big
from assister_log.storage.chain import MIN_RETENTION_YEARS
from assister_log.storage.kdf import KdfParams
from assister_log.storage.restore import restore_backup
from assister_log.storage.vault import Filters, Summary, Vault

MAX_JSON_BYTES = 16 * 1024 * 1024


class Session:
    """An unlocked vault and what a user can do with it."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # ---------------------------------------------------------------- open / close

    @classmethod
    def create(
        cls, folder: Path, passphrase: str, profile: Profile, *, params: KdfParams | None = None
    ) -> tuple[Session, str]:
        # The profile is written with the vault, in one transaction: a failure (a full disk)
        # must not leave a vault without it, which `init` would then refuse to redo.
        settings = {"profile": _profile_dict(profile)}
        vault, recovery = Vault.create(folder, passphrase, params=params, settings=settings)
        return cls(vault), recovery

    @classmethod
    def unlock(cls, folder: Path, secret: str) -> Session:
        return cls(Vault.open(folder, secret))

    def close(self) -> None:
        self.vault.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self.vault.is_open

    def unclean_end_notice(self, verify_hint: str) -> str | None:
        """One line when the session before this one did not end cleanly (killed, crashed,
        power cut), else None. ``verify_hint`` says how to check, in the front end's words.
        Known at open only: the next open finds this session's marker removed."""
        unclean = self.vault.store.unclean_end
        return None if unclean is None else session_marker.describe(unclean, verify_hint)

    # -------------------------------------------------------------------- settings

    def profile(self) -> Profile | None:
        stored = self.vault.get_setting("profile")
        return None if stored is None else profile_from_dict(stored)

    def require_profile(self) -> Profile:
        profile = self.profile()
        if profile is None:
            raise KnownError(
                "No author profile is set: run `assister-log init` or set it in the app."
            )
        return profile

    def set_profile(self, profile: Profile) -> None:
        self.vault.set_setting("profile", _profile_dict(profile))

    def contacts(self) -> dict[str, str]:
        return defaults.merged_contacts(self.vault.get_setting("contacts"))

    def set_contacts(self, contacts: dict[str, str]) -> None:
        self.vault.set_setting("contacts", defaults.merged_contacts(contacts))

    def autolock_minutes(self) -> int:
        return int(self.vault.get_setting("autolock_minutes", defaults.DEFAULT_AUTOLOCK_MINUTES))

    def set_autolock_minutes(self, minutes: int) -> None:
        if not 1 <= minutes <= 240:
            raise BadInput("Auto-lock must be between 1 and 240 minutes.")
        self.vault.set_setting("autolock_minutes", minutes)

    def retention_years(self) -> int:
        return int(self.vault.get_setting("retention_years", defaults.DEFAULT_RETENTION_YEARS))

    def set_retention_years(self, years: int) -> None:
        if not MIN_RETENTION_YEARS <= years <= 50:
            raise BadInput(
                f"Retention must be between {MIN_RETENTION_YEARS} years (CMS requires at least "
                "six) and 50 years."
            )
        self.vault.set_setting("retention_years", years)

    def last_verified_backup(self) -> datetime | None:
        value = self.vault.get_setting("last_verified_backup")
        return None if value is None else datetime.fromisoformat(value)

    def backup_overdue(self) -> bool:
        last = self.last_verified_backup()
        days = int(
            self.vault.get_setting("backup_reminder_days", defaults.DEFAULT_BACKUP_REMINDER_DAYS)
        )
        return last is None or clock.now() - last > timedelta(days=days)

    # --------------------------------------------------------------------- records

    def new_draft(
        self,
        procedure: Procedure,
        *,
        channel: Channel | None = None,
        party: Party | None = None,
        occurred_at: datetime | None = None,
        ended_at: datetime | None = None,
    ) -> Incident:
        """A blank draft for the editor, saved at once so nothing typed later is lost.

        Live ("happening now"): it began now and has no end. Written up afterwards: the
        Began and Ended the user typed (checked here, whichever front end asks)."""
        author = self.require_profile()
        _may_follow(procedure, author)
        stamp = clock.now()
        _check_times(occurred_at, ended_at, stamp)
        if channel is None:
            channel = spec(procedure).default_channel
        data: dict[str, Any] = {
            "procedure": procedure.value,
            "channel": channel.value,
            "occurred_at": (occurred_at or stamp).isoformat(),
            "party": {"kind": PartyKind.CONSUMER.value},
        }
        if ended_at is not None:
            data["ended_at"] = ended_at.isoformat()
        incident = parse_new_incident(
            data, incident_id=self.vault.new_id(), author=author, recorded_at=stamp
        )
        if party is not None:
            incident = replace(incident, party=party)
        return self.vault.save_draft(incident)

    def add_from_data(self, data: object) -> Incident:
        author = self.require_profile()
        incident = parse_new_incident(
            data, incident_id=self.vault.new_id(), author=author, recorded_at=clock.now()
        )
        _may_follow(incident.procedure, author)
        return self.vault.save_draft(incident)

    def add_from_json_file(self, path: Path) -> Incident:
        """A record file: regular (never a pipe or device), at most MAX_JSON_BYTES, checked
        before reading (``safe_read``)."""
        raw = safe_read.read_regular(
            path, MAX_JSON_BYTES, f"the file {path.name}", lambda size: _json_too_big(path, size)
        )
        return self.add_from_data(loads_user_json(raw, path.name))

    def save_draft(self, incident: Incident) -> Incident:
        return self.vault.save_draft(incident)

    def get(self, incident_id: str) -> Incident:
        return self.vault.get(incident_id)

    def list(
        self,
        filters: Filters | None = None,
        query: str = "",
        *,
        sort: str = "occurred",
        descending: bool = True,
        limit: int = 200,
        offset: int = 0,
    ) -> builtins.list[Summary]:
        return self.vault.summaries(
            filters, query, sort=sort, descending=descending, limit=limit, offset=offset
        )

    def count(self, filters: Filters | None = None, query: str = "") -> int:
        return self.vault.count(filters, query)

    def check(self, incident_id: str) -> builtins.list[Finding]:
        return evaluate(self.get(incident_id))

    def time_problems(self, incident_id: str) -> builtins.list[TimeProblem]:
        """The record's times that do not add up (``policy.timing``), judged against its
        seal time, or its last save for a draft."""
        incident = self.get(incident_id)
        return stored_time_problems(incident, zone_for(incident))  # in the PDF's time zone

    def checklist(self, incident_id: str) -> builtins.list[StepResult]:
        return checklist(self.get(incident_id))

    def finalize(
        self, incident_id: str, attestation: str = defaults.DEFAULT_ATTESTATION
    ) -> Incident:
        return self.vault.finalize(incident_id, attestation)

    def addendum(self, incident_id: str, text: str, reason: str) -> Incident:
        return self.vault.add_addendum(incident_id, text, reason)

    def delete_draft(self, incident_id: str) -> None:
        self.vault.delete_draft(incident_id)

    def attach_file(self, incident_id: str, path: Path, description: str = "") -> Attachment:
        """A regular file of at most MAX_ATTACHMENT_BYTES, refused before any read when it is
        a pipe, device or folder, or larger (``safe_read``)."""
        data = safe_read.read_regular(
            path, MAX_ATTACHMENT_BYTES, f"the file {path.name}", attachment_too_big
        )
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return self.vault.add_attachment(incident_id, path.name, data, media_type, description)

    def attach_bytes(
        self, incident_id: str, filename: str, data: bytes, media_type: str, description: str = ""
    ) -> Attachment:
        return self.vault.add_attachment(incident_id, filename, data, media_type, description)

    def attachment_bytes(self, attachment_id: str) -> bytes:
        return self.vault.attachment_bytes(attachment_id)

    def remove_attachment(self, incident_id: str, attachment_id: str) -> Incident:
        """Remove a wrongly chosen file from a draft; returns the stored draft."""
        self.vault.remove_attachment(incident_id, attachment_id)
        return self.get(incident_id)

    def verify_secret(self, secret: str) -> None:
        """WrongSecret unless ``secret`` (passphrase or recovery key) opens this vault.

        Asked before changing the passphrase or the recovery key, so that someone at an
        unattended, unlocked laptop cannot take the vault over. Costs one Argon2 run."""
        self.vault.verify_secret(secret)

    # ---------------------------------------------------------------- vault tools

    def verify(self) -> builtins.list[str]:
        return self.vault.verify()

    def backup(self, out: Path) -> backup_store.BackupReport:
        report = self.vault.write_backup(out)
        self.vault.set_setting("last_verified_backup", clock.now().isoformat())
        return report

    def change_passphrase(self, new_passphrase: str) -> None:
        self.vault.change_passphrase(new_passphrase)

    def new_recovery_key(self) -> str:
        return self.vault.new_recovery_key()

    def retention_due(self) -> builtins.list[Summary]:
        """Finalized records past retention: both the interaction and its seal are older than
        the retention period (verify checks the seal's age from the chain alone)."""
        years = max(self.retention_years(), MIN_RETENTION_YEARS)
        cutoff = clock.now() - timedelta(days=round(365.25 * years))
        sealed = self.vault.sealed_before(cutoff)
        return [s for s in self.vault.finalized_before(cutoff) if s.incident_id in sealed]

    def purge(self, incident_ids: builtins.list[str]) -> int:
        due = {s.incident_id for s in self.retention_due()}
        early = [i for i in incident_ids if i not in due]
        if early:
            raise BadInput(
                f"Record {early[0]} is not past the retention period; only records past it "
                "can be purged."
            )
        return self.vault.purge(incident_ids, max(self.retention_years(), MIN_RETENTION_YEARS))

    def export_json(self, incident_id: str) -> str:
        from assister_log.domain.serialization import incident_to_dict

        return json.dumps(incident_to_dict(self.get(incident_id)), ensure_ascii=False, indent=2)


def _may_follow(procedure: Procedure, author: Profile) -> None:
    """A new record is refused in one line when the author's role may not follow its
    procedure (``policy.procedures``: the staff procedure is for MNsure contact-center
    staff; a navigator never signs a staff memo)."""
    refusal = procedure_refusal(procedure, author.role)
    if refusal is not None:
        raise BadInput(refusal)


# A time within the current minute is not "after now" (the UI's time fields use the same).
NOW_SLACK = timedelta(seconds=59)


def _check_times(occurred: datetime | None, ended: datetime | None, now: datetime) -> None:
    """Began and Ended of a record written afterwards, refused in one line when they cannot
    be right: no time zone, Ended without Began or before it, or either after now."""
    if ended is not None and occurred is None:
        raise BadInput("An end time needs the time the interaction began.")
    for label, value in (("Began", occurred), ("Ended", ended)):
        if value is None:
            continue
        if value.tzinfo is None or value.utcoffset() is None:
            raise BadInput(f"{label} needs a time zone.")
        if value - now > NOW_SLACK:
            raise BadInput(f"{label} ({value:%Y-%m-%d %H:%M}) is after now.")
    if occurred is not None and ended is not None and ended < occurred:
        raise BadInput(
            f"Ended ({ended:%Y-%m-%d %H:%M}) is before Began ({occurred:%Y-%m-%d %H:%M})."
        )


def _json_too_big(path: Path, size: int) -> str:
    return (
        f"{path.name} is {size / 1e6:.0f} MB or more; a record file is at most "
        f"{MAX_JSON_BYTES // 1_000_000} MB."
    )


def _profile_dict(profile: Profile) -> dict[str, str]:
    if not profile.name.strip():
        raise BadInput("The profile needs your name: it prints on every record.")
    return {
        "name": profile.name,
        "role": profile.role.value,
        "credential_id": profile.credential_id,
        "organisation": profile.organisation,
        "site": profile.site,
    }


def restore(backup_file: Path, target: Path, secret: str) -> int:
    return restore_backup(backup_file, target, secret)


def status_counts(session: Session) -> dict[Status, int]:
    return {status: session.count(Filters(status=status)) for status in Status}
