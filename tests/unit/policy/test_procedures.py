"""The per-procedure specification: what each procedure offers, and that the places which
cannot import it (the record parser in ``domain``) agree with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from assister_log.domain.model import (
    Channel,
    EventKind,
    Ground,
    GroundKind,
    Incident,
    Procedure,
    Role,
)
from assister_log.domain.serialization import parse_new_incident
from assister_log.policy import procedures as p
from assister_log.policy import wording as w
from assister_log.policy.codes import BEHAVIOUR_GROUNDS
from assister_log.policy.rules import RULES
from assister_log.reports import kinds
from tests.conftest import PROFILE

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def blank(procedure: Procedure, channel: Channel | None = None) -> Incident:
    data: dict[str, object] = {
        "procedure": procedure.value,
        "channel": (channel or p.spec(procedure).default_channel).value,
        "occurred_at": T0.isoformat(),
        "party": {"kind": "consumer"},
    }
    return parse_new_incident(data, incident_id="AL-TEST0001", author=PROFILE, recorded_at=T0)


def test_every_procedure_has_one_specification() -> None:
    assert set(p.PROCEDURES) == set(Procedure)
    assert all(spec.procedure is procedure for procedure, spec in p.PROCEDURES.items())


@pytest.mark.parametrize("procedure", list(Procedure))
def test_specification_is_consistent(procedure: Procedure) -> None:
    spec = p.spec(procedure)
    assert spec.default_channel in spec.channels
    assert EventKind.INTERACTION_ENDED in spec.events and EventKind.OTHER in spec.events
    assert len(set(spec.events)) == len(spec.events)
    assert set(BEHAVIOUR_GROUNDS) <= set(spec.grounds)
    assert spec.documents[0] == p.RECORD
    assert set(spec.documents) <= set(p.DOCUMENT_ORDER)


def test_documents_are_kinds_the_reports_know() -> None:
    assert set(p.DOCUMENT_ORDER) <= set(kinds.KIND_IDS)


def test_staff_procedure_covers_phone_calls_only() -> None:
    assert p.spec(Procedure.STAFF_CALL).channels == {Channel.PHONE}
    assert p.spec(Procedure.INAPPROPRIATE_INTERACTION).channels == set(Channel)


def test_suspected_fraud_is_only_offered_by_the_fraud_procedure() -> None:
    offering = {
        proc for proc, spec in p.PROCEDURES.items() if GroundKind.SUSPECTED_FRAUD in spec.grounds
    }
    assert offering == {Procedure.SUSPECTED_FRAUD}


@pytest.mark.parametrize("procedure", list(Procedure))
def test_parsed_records_carry_the_procedures_details(procedure: Procedure) -> None:
    """``domain.serialization`` adds the details a procedure's records carry; it cannot import
    the policy, so this ties the two together."""
    incident = blank(procedure)
    assert p.details_sections(incident) == p.spec(procedure).details


def test_details_a_record_carries_anyway_are_shown() -> None:
    incident = blank(Procedure.SUSPECTED_FRAUD)
    with_staff = replace(incident, staff_call=blank(Procedure.STAFF_CALL).staff_call)
    assert p.details_sections(with_staff) == (
        p.DetailsSection.STAFF_CALL,
        p.DetailsSection.FRAUD_REFERRAL,
    )


def test_documents_offered() -> None:
    assert p.documents_for(blank(Procedure.INAPPROPRIATE_INTERACTION)) == (p.RECORD,)
    assert p.documents_for(blank(Procedure.SUSPECTED_FRAUD)) == (p.RECORD, p.FRAUD_REFERRAL)
    assert p.documents_for(blank(Procedure.STAFF_CALL)) == (p.RECORD, p.STAFF_MEMO)
    fraud_on_a_call = replace(
        blank(Procedure.STAFF_CALL), grounds=(Ground(GroundKind.SUSPECTED_FRAUD),)
    )
    assert p.documents_for(fraud_on_a_call) == (p.RECORD, p.FRAUD_REFERRAL, p.STAFF_MEMO)


def test_default_procedure_follows_the_role() -> None:
    assert p.default_procedure(Role.MNSURE_STAFF) is Procedure.STAFF_CALL
    for role in (Role.BROKER, Role.NAVIGATOR, Role.CAC, None):
        assert p.default_procedure(role) is Procedure.INAPPROPRIATE_INTERACTION


def test_every_rule_belongs_to_some_procedure_that_exists() -> None:
    for rule in RULES:
        assert rule.procedures and rule.procedures <= set(Procedure), rule.code


def test_the_staff_procedure_is_for_mnsure_staff_only() -> None:
    """Issue 12: a navigator could pick the MNsure-staff procedure and sign a staff memo as
    'Navigator'. The specification says who may follow each procedure, in one place."""
    assert p.spec(Procedure.STAFF_CALL).roles == {Role.MNSURE_STAFF}
    assert p.may_follow(Procedure.STAFF_CALL, Role.MNSURE_STAFF)
    for role in (Role.NAVIGATOR, Role.BROKER, Role.CAC):
        assert not p.may_follow(Procedure.STAFF_CALL, role)
        assert p.may_follow(Procedure.INAPPROPRIATE_INTERACTION, role)
        assert p.may_follow(Procedure.SUSPECTED_FRAUD, role)
    assert w.procedure_refusal(Procedure.STAFF_CALL, Role.NAVIGATOR) == (
        "The staff procedure is for MNsure contact-center staff; your profile says Navigator."
    )
    assert w.procedure_refusal(Procedure.STAFF_CALL, Role.MNSURE_STAFF) is None
    assert w.procedure_refusal(Procedure.INAPPROPRIATE_INTERACTION, Role.CAC) is None


@pytest.mark.parametrize("procedure", list(Procedure))
def test_a_procedure_closed_to_some_roles_says_who_it_is_for(procedure: Procedure) -> None:
    spec = p.spec(procedure)
    assert spec.roles, "nobody could follow it"
    if spec.roles != set(Role):
        assert spec.roles_note and not spec.roles_note.endswith(".")
        for role in set(Role) - spec.roles:
            refusal = w.procedure_refusal(procedure, role)
            assert refusal is not None and w.ROLE_LABELS[role] in refusal


@pytest.mark.parametrize("role", list(Role))
def test_a_new_record_starts_with_a_procedure_the_role_may_follow(role: Role) -> None:
    assert p.may_follow(p.default_procedure(role), role)
