"""The lines under a document's title: procedure, policy, when it was generated, status."""

from __future__ import annotations

from datetime import datetime, tzinfo

from assister_log.domain.model import Incident
from assister_log.policy import wording
from assister_log.reports.base import ReportInput
from assister_log.reports.times import when


def procedure_lines(data: ReportInput, zone: tzinfo | None) -> list[str]:
    """The subtitle every document carries: the procedure, the policy, when it was printed."""
    incident = data.incident
    return [
        f"{wording.PROCEDURE_TITLES[incident.procedure]} — {wording.POLICY_TITLE}",
        generated_line(data.generated_at, zone),
    ]


def status_text(incident: Incident) -> str:
    if incident.is_final:
        return "Finalized (sealed)"
    return "DRAFT — not finalized, not sealed; it can still change"


def generated_line(generated_at: datetime, zone: tzinfo | None) -> str:
    return f"Generated {when(generated_at, zone)} by Assister Log"
