"""Issue 11: every exported PDF is signed (PAdES, the vault's key) and its seal can be
checked by tools we did not write: poppler's pdfsig, zbarimg for the QR code."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from assister_log.errors import IntegrityFailure
from assister_log.services import evidence as evidence_service
from assister_log.services.export import export_pdf
from assister_log.services.session import Session
from tests.conftest import EXAMPLES

needs = pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="poppler-utils and zbar-tools are installed by scripts/setup.sh --test",
)


@pytest.fixture
def sealed(session: Session) -> str:
    incident_id = session.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id
    session.finalize(incident_id)
    return incident_id


def pdfsig(path: Path, *extra: str) -> str:
    done = subprocess.run(["pdfsig", *extra, str(path)], capture_output=True, text=True)
    return done.stdout


@needs
@pytest.mark.parametrize("kind", ["record", "fraud-referral"])
def test_pdfsig_reports_the_whole_file_signed_and_valid(
    session: Session, sealed: str, tmp_path: Path, kind: str
) -> None:
    out = export_pdf(session, sealed, kind, tmp_path / f"{kind}.pdf")
    report = pdfsig(out)
    assert "Signature is Valid" in report and "Total document signed" in report
    assert "Assister Log vault key" in report
    assert "Jamie" not in report  # the certificate carries no name


@needs
def test_password_protected_pdfs_are_signed_too(
    session: Session, sealed: str, tmp_path: Path
) -> None:
    out = export_pdf(session, sealed, "record", tmp_path / "r.pdf", password="PDF password 2026")
    with pikepdf.open(out, password="PDF password 2026") as pdf:
        assert pdf.encryption.R == 6
    report = pdfsig(out, "-upw", "PDF password 2026")
    assert "Signature is Valid" in report and "Total document signed" in report


def test_a_draft_pdf_is_signed(staff_session: Session, tmp_path: Path) -> None:
    session = staff_session  # a staff memo, written by MNsure staff
    draft = session.add_from_json_file(EXAMPLES / "staff-call.json").incident_id
    out = export_pdf(session, draft, "staff-memo", tmp_path / "m.pdf")
    assert b"/ETSI.CAdES.detached" in out.read_bytes()


@needs
def test_the_printed_qr_checks_against_the_bundle(
    session: Session, sealed: str, tmp_path: Path
) -> None:
    out = export_pdf(session, sealed, "record", tmp_path / "r.pdf")
    bundle = tmp_path / "e.zip"
    bundle.write_bytes(evidence_service.bundle_bytes(session, sealed))
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(out), str(tmp_path / "p")], check=True)
    texts = []
    for page in sorted(tmp_path.glob("p-*.png")):
        done = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True)
        texts += [t for t in done.stdout.decode().splitlines() if t.startswith("ALSEAL1.")]
    assert len(texts) == 1, texts
    summary = evidence_service.check_file(bundle, qr=texts[0], pdf=out)
    assert summary.record_id == sealed


def test_text_overlaid_after_export_is_detected(
    session: Session, sealed: str, tmp_path: Path
) -> None:
    """The review's attack: text drawn over a page left the QR code identical."""
    out = export_pdf(session, sealed, "record", tmp_path / "r.pdf")
    bundle = tmp_path / "e.zip"
    bundle.write_bytes(evidence_service.bundle_bytes(session, sealed))
    evidence_service.check_file(bundle, pdf=out)
    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"BT /F1 24 Tf 100 700 Td (FORGED) Tj ET"))
        buffer = io.BytesIO()
        pdf.save(buffer)
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(buffer.getvalue())
    with pytest.raises(IntegrityFailure, match="Not genuine"):
        evidence_service.check_file(bundle, pdf=forged)
    # An incremental update that keeps the signed bytes is reported too.
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(out.read_bytes() + b"\n% appended after signing\n")
    with pytest.raises(IntegrityFailure):
        evidence_service.check_file(bundle, pdf=appended)
