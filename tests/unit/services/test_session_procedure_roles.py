"""The profile's role limits the procedures a record can be started under (issue 12): the
MNsure-staff procedure is for MNsure contact-center staff only. The services refuse in one
line, whichever front end asks (the app's New incident, ``add --from-json``)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from assister_log.domain.model import Procedure, Role
from assister_log.errors import BadInput
from assister_log.services.session import Session
from tests.conftest import EXAMPLES, PROFILE

REFUSAL = "The staff procedure is for MNsure contact-center staff; your profile says Navigator."


def _example(name: str) -> object:
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


def test_a_navigator_cannot_start_a_staff_record(session: Session) -> None:
    assert session.require_profile().role is Role.NAVIGATOR
    with pytest.raises(BadInput) as refused:
        session.new_draft(Procedure.STAFF_CALL)
    assert refused.value.message == REFUSAL
    with pytest.raises(BadInput) as refused:
        session.add_from_data(_example("staff-call"))
    assert refused.value.message == REFUSAL
    assert session.count() == 0  # nothing half-made


def test_assisters_of_every_kind_are_refused(session: Session) -> None:
    for role, label in (
        (Role.BROKER, "Certified broker"),
        (Role.CAC, "Certified application counselor"),
    ):
        session.set_profile(replace(PROFILE, role=role))
        with pytest.raises(BadInput, match=f"your profile says {label}\\.$"):
            session.new_draft(Procedure.STAFF_CALL)


def test_mnsure_staff_write_the_staff_record(staff_session: Session) -> None:
    incident = staff_session.add_from_data(_example("staff-call"))
    assert incident.author.role is Role.MNSURE_STAFF
    assert staff_session.new_draft(Procedure.STAFF_CALL).procedure is Procedure.STAFF_CALL


def test_assister_procedures_stay_open_to_assisters(session: Session) -> None:
    for name in ("inappropriate-interaction", "suspected-fraud"):
        session.add_from_data(_example(name))
    assert session.new_draft(Procedure.SUSPECTED_FRAUD).procedure is Procedure.SUSPECTED_FRAUD
    assert session.count() == 3
