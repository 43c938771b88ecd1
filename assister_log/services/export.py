"""Export a record as a PDF: gather what the renderer needs from the vault, render, and write
the file atomically (temp file beside the target, then rename) with owner-only permissions.

The suggested file name carries only the kind, the record id and the date: never a name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assister_log import clock
from assister_log.domain.model import GroundKind, Incident, Procedure
from assister_log.errors import BadInput
from assister_log.policy.checks import checklist
from assister_log.reports import kinds as document_kinds
from assister_log.reports.base import ReportInput, renderer_for
from assister_log.services.session import Session
from assister_log.storage import atomic

# Derived from reports.kinds (the one list of document kinds); the GUI and the demo read these.
KINDS = document_kinds.KIND_IDS
KIND_TITLES = {k.id: k.title for k in document_kinds.KINDS}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")


def kinds_for(incident: Incident) -> list[str]:
    """The documents that make sense for this record (the export dialog offers these)."""
    kinds = [document_kinds.RECORD.id]
    if incident.procedure is Procedure.SUSPECTED_FRAUD or incident.ground(
        GroundKind.SUSPECTED_FRAUD
    ):
        kinds.append(document_kinds.FRAUD_REFERRAL.id)
    if incident.procedure is Procedure.STAFF_CALL:
        kinds.append(document_kinds.STAFF_MEMO.id)
    return kinds


def suggested_filename(kind: str, incident: Incident, when: datetime | None = None) -> str:
    stamp = (when or clock.now()).strftime("%Y-%m-%d")
    doc = document_kinds.by_id(kind)
    return f"{doc.file_stem}-{incident.incident_id}-{stamp}{doc.suffix}"


def report_input(
    session: Session, incident_id: str, *, generated_at: datetime | None = None
) -> ReportInput:
    incident = session.get(incident_id)
    images = {
        a.attachment_id: session.attachment_bytes(a.attachment_id)
        for a in incident.attachments
        if a.media_type in IMAGE_TYPES
    }
    return ReportInput(
        incident=incident,
        checklist=tuple(checklist(incident)),
        contacts=session.contacts(),
        images=images,
        generated_at=generated_at or clock.now(),
    )


def render_pdf(
    session: Session, incident_id: str, kind: str, *, password: str | None = None
) -> bytes:
    return _render(report_input(session, incident_id), kind, password)


def _render(data: ReportInput, kind: str, password: str | None) -> bytes:
    if kind not in KINDS:
        raise BadInput(f"Unknown document kind {kind!r}; use one of: {', '.join(KINDS)}.")
    if kind not in kinds_for(data.incident):
        raise BadInput(
            f"A {document_kinds.by_id(kind).description} does not apply to this record's procedure; "
            f"choose one of: {', '.join(kinds_for(data.incident))}."
        )
    return renderer_for(kind)(password=password).render(data)


def export_pdf(
    session: Session, incident_id: str, kind: str, out: Path, *, password: str | None = None
) -> Path:
    """Render and write; ``out`` may be an existing folder (a neutral name is chosen)."""
    data = report_input(session, incident_id)
    pdf = _render(data, kind, password)
    out = out.expanduser()
    if out.is_dir():
        out = out / suggested_filename(kind, data.incident)
    elif not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist: create it or choose another.")
    atomic.atomic_write_bytes(out, pdf, what="the PDF")
    return out
