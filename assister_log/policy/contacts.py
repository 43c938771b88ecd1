"""Policy data that is not a rule: the public contacts the policy and MNsure's pages name,
their labels as printed, and the attestation wording a record is sealed with.

Sources: ``../shared/domain/facts.md`` (MNsure's assister, broker and complaint pages).
Organisations change numbers, so every contact is also an editable vault setting
(``services/settings.py``); these are the defaults and the words printed beside them.
"""

from __future__ import annotations

from assister_log.domain.serialization import clean_text
from assister_log.errors import BadInput

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

DEFAULT_ATTESTATION = (
    "I attest that this record is true and complete to the best of my knowledge, and that I "
    "wrote it from my own observation of the interaction."
)

# A record is sealed only with an attestation (the "signed" of credible notes).
ATTESTATION_MAX_CHARS = 2_000
ATTESTATION_MISSING = "Finalizing needs an attestation: confirm the record is true and complete."


def require_attestation(text: str) -> str:
    """The attestation as it is sealed (cleaned, at most ``ATTESTATION_MAX_CHARS``); an empty
    one raises ``BadInput``. What finalizing checks before sealing (today in
    ``storage/vault.py``'s ``finalize``, which should call this)."""
    attestation = clean_text(text, "the attestation", ATTESTATION_MAX_CHARS, multiline=True)
    if not attestation.strip():
        raise BadInput(ATTESTATION_MISSING)
    return attestation
