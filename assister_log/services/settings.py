"""Settings kept inside the encrypted vault (never in QSettings or plain files), with the
public defaults from MNsure's pages. Organisations change numbers: all are editable."""

from __future__ import annotations

from typing import Any

DEFAULT_CONTACTS: dict[str, str] = {
    "assister_resource_center": "1-833-541-7698 (toll free), 651-539-2098; navigators@mnsure.org",
    "broker_service_line": "1-844-520-8695, option 1; brokers@mnsure.org",
    "anonymous_complaints_line": "1-844-466-7873 (MNsure anonymous complaints line)",
    "compliance_email": "",
    "dhs_oig": (
        "MN DHS Office of Inspector General: 651-431-2650, 1-800-657-3750; OIG Program "
        "Integrity and Oversight Division, PO Box 64982, St. Paul, MN 55164-0982"
    ),
    "contact_center": "651-539-2099, 1-855-366-7873",
    "public_feedback_email": "publicfeedback@mnsure.org",
    "get_help_page": "the Get Help page on mnsure.org",
    "broker_relations_director": "",
    "senior_director_partner_board_relations": "",
}

CONTACT_LABELS: dict[str, str] = {
    "assister_resource_center": "Assister Resource Center",
    "broker_service_line": "Broker Service Line",
    "anonymous_complaints_line": "MNsure anonymous complaints line",
    "compliance_email": "MNsure compliance email",
    "dhs_oig": "DHS Office of Inspector General (public programs)",
    "contact_center": "MNsure Contact Center",
    "public_feedback_email": "Public comments email",
    "get_help_page": "Complaints about MNsure",
    "broker_relations_director": "Broker Relations Director",
    "senior_director_partner_board_relations": "Senior Director of Partner and Board Relations",
}

DEFAULT_AUTOLOCK_MINUTES = 5
DEFAULT_RETENTION_YEARS = 6
DEFAULT_BACKUP_REMINDER_DAYS = 7
DEFAULT_ATTESTATION = (
    "I attest that this record is true and complete to the best of my knowledge, and that I "
    "wrote it from my own observation of the interaction."
)


def merged_contacts(stored: dict[str, Any] | None) -> dict[str, str]:
    contacts = dict(DEFAULT_CONTACTS)
    for key, value in (stored or {}).items():
        if key in contacts and isinstance(value, str):
            contacts[key] = value
    return contacts
