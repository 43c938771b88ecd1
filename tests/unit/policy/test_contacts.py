"""Contacts and the attestation: the defaults a vault starts with, and the attestation check
finalizing applies (the vault must agree with the policy's helper until it calls it)."""

from __future__ import annotations

import json

import pytest

from assister_log.errors import BadInput
from assister_log.policy import contacts
from assister_log.services.session import Session
from tests.conftest import EXAMPLES


def test_every_contact_has_a_label() -> None:
    assert set(contacts.CONTACT_LABELS) == set(contacts.DEFAULT_CONTACTS)


def test_attestation_is_required_and_bounded() -> None:
    text = contacts.DEFAULT_ATTESTATION
    assert contacts.require_attestation(text) == text
    with pytest.raises(BadInput, match="needs an attestation"):
        contacts.require_attestation(" \n ")
    with pytest.raises(BadInput, match="limit is 2,000"):
        contacts.require_attestation("x" * (contacts.ATTESTATION_MAX_CHARS + 1))
    assert contacts.require_attestation("x" * contacts.ATTESTATION_MAX_CHARS)


def test_finalizing_applies_the_policys_attestation_check(staff_session: Session) -> None:
    session = staff_session  # a staff call, written by MNsure staff
    data = json.loads((EXAMPLES / "staff-call.json").read_text("utf-8"))
    draft = session.add_from_data(data)
    for bad in (" \n ", "x" * (contacts.ATTESTATION_MAX_CHARS + 1)):
        with pytest.raises(BadInput) as policy_says:
            contacts.require_attestation(bad)
        with pytest.raises(BadInput) as vault_says:
            session.finalize(draft.incident_id, bad)
        assert str(vault_says.value) == str(policy_says.value)
    final = session.finalize(draft.incident_id, "  I attest.\n")
    assert final.attestation == contacts.require_attestation("  I attest.\n")
