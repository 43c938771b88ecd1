"""Settings kept inside the encrypted vault (never in QSettings or plain files). The public
contact defaults and the attestation wording are policy data (``policy/contacts.py``);
organisations change numbers: all are editable."""

from __future__ import annotations

from typing import Any

from assister_log.policy.contacts import CONTACT_LABELS, DEFAULT_ATTESTATION, DEFAULT_CONTACTS

__all__ = [
    "CONTACT_LABELS",
    "DEFAULT_ATTESTATION",
    "DEFAULT_AUTOLOCK_MINUTES",
    "DEFAULT_BACKUP_REMINDER_DAYS",
    "DEFAULT_CONTACTS",
    "DEFAULT_RETENTION_YEARS",
    "merged_contacts",
]

DEFAULT_AUTOLOCK_MINUTES = 5
DEFAULT_RETENTION_YEARS = 6
DEFAULT_BACKUP_REMINDER_DAYS = 7


def merged_contacts(stored: dict[str, Any] | None) -> dict[str, str]:
    contacts = dict(DEFAULT_CONTACTS)
    for key, value in (stored or {}).items():
        if key in contacts and isinstance(value, str):
            contacts[key] = value
    return contacts
