"""Who writes a test record. The staff procedure is for MNsure contact-center staff only
(``policy.procedures``), so a test that means a staff call writes it as a staff member;
``add_as_author`` lets a staff call sit beside an assister's records in one test vault.
Plain Python (no pytest), so subprocess helpers such as the reliability writer can use it."""

from __future__ import annotations

from typing import Any

from assister_log.domain.model import Incident, Procedure, Profile, Role
from assister_log.policy.procedures import may_follow
from assister_log.services.session import Session

STAFF_PROFILE = Profile(
    "Sam Lindqvist", Role.MNSURE_STAFF, "MNS-4471", "MNsure Contact Center", "St. Paul"
)


def add_as_author(session: Session, data: Any) -> Incident:
    """Add a record (JSON data) written by an author who may follow its procedure: the
    vault's own profile when its role may, else STAFF_PROFILE. The record copies its author
    when it is made; the vault keeps its own profile."""
    own = session.require_profile()
    procedure = data.get("procedure") if isinstance(data, dict) else None
    if procedure not in set(Procedure) or may_follow(Procedure(procedure), own.role):
        return session.add_from_data(data)  # also whatever the parser refuses
    session.set_profile(STAFF_PROFILE)
    try:
        return session.add_from_data(data)
    finally:
        session.set_profile(own)


def new_draft_as_author(session: Session, procedure: Procedure, **options: Any) -> Incident:
    """``Session.new_draft`` by an author who may follow ``procedure`` (as ``add_as_author``)."""
    own = session.require_profile()
    if may_follow(procedure, own.role):
        return session.new_draft(procedure, **options)
    session.set_profile(STAFF_PROFILE)
    try:
        return session.new_draft(procedure, **options)
    finally:
        session.set_profile(own)
