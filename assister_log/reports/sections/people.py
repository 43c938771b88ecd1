"""Author, party, language and witnesses."""

from __future__ import annotations

from reportlab.platypus import Flowable

from assister_log.domain.model import Incident
from assister_log.policy import wording
from assister_log.reports.layout import grid_table, split_widths
from assister_log.reports.page import FRAME_WIDTH
from assister_log.reports.styles import Cell, muted, p


def author_rows(incident: Incident) -> list[tuple[str, Cell]]:
    a = incident.author
    return [
        ("Name", a.name),
        ("Role", wording.ROLE_LABELS[a.role]),
        (
            "Certification / staff ID",
            a.credential_id,
        ),
        ("Organisation", a.organisation),
        ("Site", a.site),
    ]


def party_rows(
    incident: Incident, *, contact: bool = True, language: bool = True
) -> list[tuple[str, Cell]]:
    party = incident.party
    rows: list[tuple[str, Cell]] = [
        ("Party", wording.PARTY_LABELS[party.kind]),
        ("Name", party.name or muted("not given")),
        ("Case / application number", party.case_number),
    ]
    if party.date_of_birth:
        rows.append(("Date of birth", party.date_of_birth))
    if party.address:
        rows.append(("Address", party.address))
    if contact and party.phone:
        rows.append(("Phone", party.phone))
    if language:
        rows += language_rows(incident)
    return rows


def language_rows(incident: Incident) -> list[tuple[str, Cell]]:
    party = incident.party
    return [
        ("Language", party.language),
        ("Interpreter", party.interpreter or muted("none recorded")),
    ]


def witnesses_table(incident: Incident) -> Flowable:
    if not incident.witnesses:
        return p("No witnesses are recorded.", "body")
    rows = [[w.name, w.role, w.contact] for w in incident.witnesses]
    return grid_table(
        ["Witness", "Role / relation", "Contact"], rows, split_widths(FRAME_WIDTH, 0.36, 0.32)
    )
