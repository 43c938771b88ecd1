"""Evidence bundles out of the vault, and checks of bundles, QR statements and signed PDFs
that need no vault at all (docs/evidence-format.md)."""

from __future__ import annotations

import io
from pathlib import Path

from assister_log import clock
from assister_log.domain.serialization import (
    canonical_bytes,
    canonical_record_bytes,
    sealed_content,
    time_text,
)
from assister_log.errors import BadInput, IntegrityFailure, KnownError, from_os_error
from assister_log.services.session import Session
from assister_log.storage import atomic, chain, evidence
from assister_log.storage.evidence import BundleError, Summary

MAX_BUNDLE_BYTES = evidence.MAX_TOTAL
MAX_PDF_BYTES = 512 * 1024 * 1024


def bundle_bytes(session: Session, incident_id: str) -> bytes:
    vault = session.vault
    incident = session.get(incident_id)
    if not incident.is_final:
        raise BadInput(
            f"Record {incident.incident_id} is a draft: only finalized (sealed) records have an "
            "evidence bundle."
        )
    problems = vault.verify_record(incident.incident_id)
    if problems:
        raise IntegrityFailure(
            f"Record {incident.incident_id} fails verification ({problems[0]}): no evidence "
            "bundle is written; run `assister-log verify`."
        )
    entries = vault.chain_entries_of(incident.incident_id)
    signatures = vault.chain_signatures([e.position for e in entries])
    addendum_entries = [e for e in entries if e.kind.value == "addendum"]
    by_position = {a.seal.position: a for a in incident.addenda if a.seal is not None}
    addenda = [
        canonical_bytes(chain.addendum_payload(incident.incident_id, by_position[e.position]))
        for e in addendum_entries
    ]
    data = evidence.BundleInput(
        record_id=incident.incident_id,
        record_bytes=canonical_record_bytes(sealed_content(incident)),
        addenda=addenda,
        attachments={
            a.attachment_id: session.attachment_bytes(a.attachment_id) for a in incident.attachments
        },
        entries=entries,
        signatures={e.position: signatures[e.position] for e in entries},
        public_der=vault.public_key_der(),
        created_at=time_text(clock.now()),
    )
    out = io.BytesIO()
    evidence.write(data, out, vault.sign)
    return out.getvalue()


def export_evidence(session: Session, incident_id: str, out: Path) -> Path:
    data = bundle_bytes(session, incident_id)
    out = out.expanduser()
    if out.is_dir():
        out = out / f"evidence-{incident_id.strip().upper()}-{clock.now():%Y-%m-%d}.zip"
    elif not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist: create it or choose another.")
    atomic.atomic_write_bytes(out, data, what="the evidence bundle")
    return out


def _read(path: Path, limit: int, what: str) -> bytes:
    try:
        if not path.is_file():
            raise BadInput(f"{path} is not a regular file: give the path of the {what}.")
        if path.stat().st_size > limit:
            raise BadInput(f"{path} is larger than any {what} Assister Log writes.")
        return path.read_bytes()
    except OSError as error:
        raise from_os_error(error, f"the file {path.name}", reading=True) from None


def check_file(
    path: Path, *, qr: str | None = None, pdf: Path | None = None, pdf_password: str | None = None
) -> Summary:
    """Check a bundle (and optionally a QR statement and a PDF against it); IntegrityFailure
    names the first problem."""
    data = _read(path, MAX_BUNDLE_BYTES, "evidence bundle")
    try:
        summary = evidence.check(data, qr=qr)
    except BundleError as error:
        raise IntegrityFailure(f"Not genuine: {error}.") from None
    if pdf is not None:
        _check_pdf(_read(pdf, MAX_PDF_BYTES, "PDF"), summary, pdf_password)
    return summary


def _check_pdf(data: bytes, summary: Summary, password: str | None) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from assister_log.storage import signing

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            if password is None:
                raise IntegrityFailure(
                    "The PDF is password-protected: give its password with --password-stdin."
                )
            reader.decrypt(password)
        signatures = reader.embedded_signatures
        if not signatures:
            raise IntegrityFailure("Not genuine: the PDF carries no signature.")
        signed = signatures[-1]
        cert = signed.signer_cert
        # The vault's certificate is self-signed: it is trusted here only as itself, and what
        # ties it to the record is its key, compared with the bundle's below.
        context = ValidationContext(trust_roots=[cert], allow_fetching=False)
        status = validate_pdf_signature(signed, signer_validation_context=context)
        cert_key = cert.public_key.dump()
    except KnownError:
        raise
    except Exception as error:  # pyHanko raises many kinds for a broken file
        raise IntegrityFailure(
            f"Not genuine: the PDF's signature cannot be read ({error.__class__.__name__})."
        ) from None
    if not (status.intact and status.valid):
        raise IntegrityFailure("Not genuine: the PDF was changed after it was signed.")
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        raise IntegrityFailure("Not genuine: the PDF has content added after its signature.")
    if signing.fingerprint(cert_key) != summary.fingerprint:
        raise IntegrityFailure("Not genuine: the PDF was signed by another key than the bundle's.")
