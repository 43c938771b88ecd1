"""Export a record as a PDF: gather what the renderer needs from the vault, render, sign
with the vault's key (PAdES), and write the file atomically (temp file beside the target,
then rename) with owner-only permissions. A sealed record that fails verification is not
exported: its PDF would print a seal that no longer holds.

The suggested file name carries only the kind, the record id and the date: never a name.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assister_log import clock
from assister_log.domain.model import Incident
from assister_log.errors import BadInput, IntegrityFailure
from assister_log.policy.checks import checklist
from assister_log.policy.procedures import documents_for
from assister_log.reports import kinds as document_kinds
from assister_log.reports import signing as pdf_signing
from assister_log.reports.base import ReportInput, SealEvidence, renderer_for
from assister_log.services.session import Session
from assister_log.storage import atomic
from assister_log.storage.signing import fingerprint

# Derived from reports.kinds (the one list of document kinds); the GUI and the demo read these.
KINDS = document_kinds.KIND_IDS
PDF_KINDS = tuple(k.id for k in document_kinds.PDF_KINDS)
KIND_TITLES = {k.id: k.title for k in document_kinds.KINDS}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")


def kinds_for(incident: Incident) -> list[str]:
    """The documents that make sense for this record (the export dialog offers these): the
    policy's documents for it, then the evidence bundle once it is sealed."""
    kinds = list(documents_for(incident))
    if incident.is_final:
        kinds.insert(1, document_kinds.EVIDENCE.id)
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
        seal=seal_evidence(session, incident),
    )


def seal_evidence(session: Session, incident: Incident) -> SealEvidence | None:
    """What the seal block prints; IntegrityFailure when the record fails verification."""
    if not incident.is_final or incident.seal is None:
        return None
    vault = session.vault
    problems = vault.verify_record(incident.incident_id)
    if problems:
        raise IntegrityFailure(
            f"Record {incident.incident_id} fails verification ({problems[0]}): it is not "
            "exported, because its seal no longer holds; run `assister-log verify` and restore "
            "the vault from a backup."
        )
    entry = next(
        e
        for e in vault.chain_entries_of(incident.incident_id)
        if e.position == incident.seal.position
    )
    from assister_log.services.org import received

    receipt = received(session, incident.incident_id)
    return SealEvidence(
        key_fingerprint=fingerprint(vault.public_key_der()),
        entry_payload=entry.payload().decode("ascii"),
        qr_statement=vault.qr_statement(incident.incident_id),
        received_by=receipt.organisation if receipt else None,
        received_at=receipt.received_at if receipt else None,
    )


def render_pdf(
    session: Session, incident_id: str, kind: str, *, password: str | None = None
) -> bytes:
    """The signed PDF's bytes."""
    return _sign(session, _render(report_input(session, incident_id), kind, password), password)


def _sign(session: Session, pdf: bytes, password: str | None) -> bytes:
    private_pkcs8, certificate = session.vault.pdf_signer()
    return pdf_signing.sign_pdf(
        pdf, pdf_signing.PdfSigner(private_pkcs8, certificate), password=password
    )


def _render(data: ReportInput, kind: str, password: str | None) -> bytes:
    if kind == document_kinds.EVIDENCE.id:
        raise BadInput("An evidence bundle is not a PDF: export it with --kind evidence.")
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
    """Render, sign and write; ``out`` may be an existing folder (a neutral name is chosen).
    ``kind="evidence"`` writes the record's evidence bundle instead of a PDF."""
    if kind == document_kinds.EVIDENCE.id:
        from assister_log.services.evidence import export_evidence

        return export_evidence(session, incident_id, out)
    return write_pdf(session, report_input(session, incident_id), kind, out, password=password)


def write_pdf(
    session: Session, data: ReportInput, kind: str, out: Path, *, password: str | None = None
) -> Path:
    """Render ``data``, sign it with this vault's key and write it atomically."""
    pdf = _sign(session, _render(data, kind, password), password)
    out = out.expanduser()
    if out.is_dir():
        out = out / suggested_filename(kind, data.incident)
    elif not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist: create it or choose another.")
    atomic.atomic_write_bytes(out, pdf, what="the PDF")
    return out
