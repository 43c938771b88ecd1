"""A password-protected PDF declares a version that includes AES-256 revision 6 (issue 14,
item 5): PDF 2.0, or PDF 1.7 with Adobe's extension level 8 (``/Extensions << /ADBE <<
/BaseVersion /1.7 /ExtensionLevel 8 >> >>``; level 3 was revision 5). Checked on what qpdf
writes and on the signed file a user gets, with pikepdf, qpdf, pdfinfo and pdfsig."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from assister_log.reports.encryption import encrypt_pdf
from assister_log.services.export import export_pdf
from assister_log.services.session import Session
from tests.conftest import EXAMPLES

PASSWORD = "PDF password 2026"
R6_ADBE_LEVEL = 8


def version_problem(data: bytes, password: str) -> str | None:
    """None when the file's declared version covers its AES-256 R6 encryption."""
    header = data[:16].split(b"\n", 1)[0].split(b"\r", 1)[0]
    if not header.startswith(b"%PDF-"):
        return "no PDF header"
    with pikepdf.open(io.BytesIO(data), password=password) as pdf:
        if pdf.encryption.R != 6 or pdf.encryption.V != 5:
            return f"not R6/V5: {pdf.encryption}"
        declared = header[5:].decode("ascii")
        catalog = pdf.Root.get("/Version")
        if catalog is not None and str(catalog).lstrip("/") > declared:
            declared = str(catalog).lstrip("/")  # the catalog may raise the header's version
        if declared >= "2.0":
            return None
        if declared != "1.7":
            return f"declares PDF {declared}"
        extensions = pdf.Root.get("/Extensions")
        adbe = None if extensions is None else extensions.get("/ADBE")
        if adbe is None:
            return "PDF 1.7 without the /ADBE extension entry"
        if str(adbe.get("/BaseVersion")) != "/1.7":
            return f"/ADBE base version {adbe.get('/BaseVersion')}"
        if int(adbe.get("/ExtensionLevel", 0)) < R6_ADBE_LEVEL:
            return f"/ADBE extension level {adbe.get('/ExtensionLevel')} < {R6_ADBE_LEVEL}"
    return None


def _blank_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _without_extensions(data: bytes) -> bytes:
    """The same file with its catalog's /Extensions key renamed (same length, so every
    offset still holds; dictionaries are not encrypted, only strings and streams)."""
    assert b"/Extensions" in data
    return data.replace(b"/Extensions", b"/Extensionx")


def test_the_encrypted_file_declares_pdf_1_7_with_extension_level_8() -> None:
    data = encrypt_pdf(_blank_pdf(), PASSWORD)
    assert data.startswith(b"%PDF-1.7\n")
    assert version_problem(data, PASSWORD) is None
    with pikepdf.open(io.BytesIO(data), password=PASSWORD) as pdf:
        assert pdf.pdf_version == "1.7" and pdf.extension_level == R6_ADBE_LEVEL
        adbe = pdf.Root.Extensions.ADBE
        assert adbe.BaseVersion == pikepdf.Name("/1.7") and adbe.ExtensionLevel == 8


def test_the_check_can_fail() -> None:
    """Control: the same file with its extension entry removed is caught."""
    stripped = _without_extensions(encrypt_pdf(_blank_pdf(), PASSWORD))
    assert version_problem(stripped, PASSWORD) == "PDF 1.7 without the /ADBE extension entry"


needs = pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("qpdf") and shutil.which("pdfinfo")),
    reason="poppler-utils and qpdf are installed by scripts/setup.sh --test",
)


@needs
def test_the_signed_password_pdf_a_user_gets_declares_a_covering_version(
    session: Session, tmp_path: Path
) -> None:
    incident_id = session.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id
    session.finalize(incident_id)
    out = export_pdf(session, incident_id, "record", tmp_path / "r.pdf", password=PASSWORD)
    data = out.read_bytes()
    assert version_problem(data, PASSWORD) is None
    with pikepdf.open(out, password=PASSWORD) as pdf:
        # pyHanko's signature (ECDSA, ISO 32002) raises the catalog to PDF 2.0; qpdf's
        # ADBE entry stays for readers of the 1.7 header.
        assert str(pdf.Root.Version) == "/2.0"
        assert int(pdf.Root.Extensions.ADBE.ExtensionLevel) == R6_ADBE_LEVEL
    info = subprocess.run(
        ["pdfinfo", "-upw", PASSWORD, str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "PDF version:     2.0" in info and "algorithm:AES-256" in info
    shown = subprocess.run(
        ["qpdf", "--show-encryption", f"--password={PASSWORD}", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "R = 6" in shown and "file encryption method: AESv3" in shown
    checked = subprocess.run(
        ["qpdf", "--check", f"--password={PASSWORD}", str(out)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sig = subprocess.run(
        ["pdfsig", "-upw", PASSWORD, str(out)], capture_output=True, text=True
    ).stdout
    assert "Signature is Valid" in sig and "Total document signed" in sig
    # control: the final file's check fails, too, once its ADBE entry and the catalog's
    # /Version are gone (a 1.7 header alone does not cover R6)
    stripped = _without_extensions(data).replace(b"/Version /2.0", b"/Versiox /2.0")
    assert version_problem(stripped, PASSWORD) == "PDF 1.7 without the /ADBE extension entry"
