"""Page furniture on every page, neutral metadata, AES-256 protection (by qpdf)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from assister_log import __version__
from assister_log.errors import BadInput
from assister_log.reports.encryption import (
    PasswordTooLong,
    encrypt_pdf,
    prepare_password,
    saslprep,
)
from assister_log.reports.kinds import KINDS
from assister_log.reports.metadata import apply_metadata, neutral_metadata
from assister_log.reports.page import PRIVATE_DATA_NOTICE, numbered_canvas
from assister_log.reports.text import TextParagraph, para, styles

CANARY = "Zyxwvut Canary-4471"
PASSWORD = "correct horse ✓ Ñandú"


def story(pages_of_text: int = 3) -> list[Any]:
    body = styles()["body"]
    text = f"{CANARY} said the call was over. " * 60
    return [TextParagraph(para(text), body) for _ in range(pages_of_text * 2)]


def pages_text(pdf: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    if password is not None:
        assert reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def test_every_page_says_page_x_of_y_and_the_record(build: Any) -> None:
    pdf = build(story(), canvasmaker=numbered_canvas("R-2025-000123", draft=False,
                                                      heading="Interaction termination record"))  # fmt: skip
    texts = pages_text(pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        flat = " ".join(text.split())
        assert f"Page {number} of {len(texts)}" in flat
        assert "Record R-2025-000123" in flat
        assert "Interaction termination record" in flat
        assert "Minnesota Government Data Practices Act" in flat
        assert "DRAFT" not in flat


def test_drafts_are_marked_on_every_page(build: Any) -> None:
    pdf = build(story(), canvasmaker=numbered_canvas("R-1", draft=True))
    texts = pages_text(pdf)
    assert len(texts) >= 3
    assert all(text.count("DRAFT") >= 2 for text in texts)  # header word and diagonal mark


def test_footer_wraps_on_a_narrow_page(poppler: Any) -> None:
    buf = io.BytesIO()
    maker = numbered_canvas("R-7", draft=False)
    c = maker(buf, pagesize=A5)
    c.drawString(100, 300, "x")
    c.showPage()
    c.save()
    flat = " ".join(poppler.text(buf.getvalue()).split())
    assert " ".join(PRIVATE_DATA_NOTICE.split()) in flat
    assert "Page 1 of 1" in flat


def test_furniture_uses_only_embedded_fonts(build: Any, poppler: Any) -> None:
    pdf = build(story(1), canvasmaker=numbered_canvas("R-1", draft=True))
    for row in poppler.fonts(pdf):
        assert row.embedded and "Helvetica" not in row.name, row


def test_metadata_is_neutral_and_carries_no_record_text(build: Any) -> None:
    pdf = build(story(1))
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Assister Log — interaction termination record"
    assert meta.author == "Assister Log"
    assert meta.producer == meta.creator == f"Assister Log {__version__}"
    assert all(CANARY not in str(v) for v in meta.values())
    assert neutral_metadata("fraud-referral")["title"].endswith("fraud referral packet")
    assert neutral_metadata("staff-memo")["subject"] == "Staff call-termination memo"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        neutral_metadata(CANARY)


def test_apply_metadata_to_a_canvas(poppler: Any) -> None:
    buf = io.BytesIO()
    c = Canvas(buf, initialFontName="NotoSans")
    apply_metadata(c, "staff-memo")
    c.drawString(100, 100, "x")
    c.save()
    info = poppler.run("pdfinfo", buf.getvalue())
    assert "Assister Log — staff call-termination memo" in info
    assert f"Producer:        Assister Log {__version__}" in info


# --------------------------------------------------------------------------- encryption


def test_an_empty_password_is_refused() -> None:
    with pytest.raises(BadInput):
        prepare_password("")
    with pytest.raises(BadInput):
        encrypt_pdf(b"%PDF-1.4 not read", "\u00ad")  # maps to nothing under SASLprep


def test_aes256_pdf_opens_only_with_the_password(build: Any, poppler: Any) -> None:
    pdf = build_encrypted(build, PASSWORD)
    assert CANARY.encode() not in pdf
    assert b"interaction termination record" not in pdf  # metadata strings are encrypted too
    assert b"/AESV3" in pdf and b"/R 6" in pdf
    texts = pages_text(pdf, PASSWORD)
    assert CANARY in texts[0]
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.decrypt("wrong password")
    info = poppler.run("pdfinfo", pdf, "-upw", PASSWORD)
    assert "AES-256" in info
    assert CANARY in poppler.text(pdf, "-upw", PASSWORD)


def build_encrypted(build: Any, password: str) -> bytes:
    return encrypt_pdf(build(story(1), canvasmaker=numbered_canvas("R-9", draft=False)), password)


def test_encryption_is_r6_with_every_permission_and_neutral_metadata(build: Any) -> None:
    pdf = build_encrypted(build, PASSWORD)
    assert pdf.startswith(b"%PDF-1.7")
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(pdf))
    with pikepdf.open(io.BytesIO(pdf), password=PASSWORD) as doc:
        enc = doc.encryption
        assert (enc.V, enc.R, enc.bits) == (5, 6, 256)
        assert enc.stream_method.name == enc.string_method.name == "aesv3"
        assert int(doc.trailer.Encrypt.P) == -4  # bits 3-12 set: every permission
        assert all(doc.allow)  # printing, copying, editing, assembly
        assert doc.extension_level >= 8  # AES-256 as PDF 1.7 extension level 8 declares it
        assert "/Metadata" not in doc.Root  # no XMP: only the neutral Info strings
        info = {str(k): str(v) for k, v in doc.docinfo.items()}
    assert info["/Title"] == "Assister Log — interaction termination record"
    assert info["/Producer"] == f"Assister Log {__version__}"
    assert all(CANARY not in v for v in info.values())


def test_encrypted_file_passes_qpdf_check(build: Any, tmp_path: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    path = tmp_path / "e.pdf"
    path.write_bytes(build_encrypted(build, PASSWORD))
    shown = subprocess.run(
        ["qpdf", f"--password={PASSWORD}", "--show-encryption", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "R = 6" in shown and "P = -4" in shown
    assert "stream encryption method: AESv3" in shown
    assert "string encryption method: AESv3" in shown
    check = subprocess.run(
        ["qpdf", f"--password={PASSWORD}", "--check", str(path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_prepared_password_opens_the_file(build: Any) -> None:
    """SASLprep happens before qpdf sees the password: what readers type is what opens it."""
    pdf = build_encrypted(build, "ｐａｓｓ\u00a0word\u00ad")
    assert PdfReader(io.BytesIO(pdf)).decrypt("pass word")
    with pikepdf.open(io.BytesIO(pdf), password="pass word") as doc:
        assert len(doc.pages) >= 1


def test_passwords_are_prepared_like_pdf_readers_do() -> None:
    assert saslprep("ｐａｓｓ\u00a0word\u00ad") == "pass word"
    with pytest.raises(BadInput):
        saslprep("tab\there")
    with pytest.raises(BadInput):
        saslprep("abc مرحبا")  # mixed directions fail RFC 3454 section 6
    with pytest.raises(PasswordTooLong):
        prepare_password("密" * 43)  # 129 bytes of UTF-8
    assert prepare_password("密" * 42) == "密" * 42


def test_metadata_names_every_kind_in_the_registry() -> None:
    for kind in KINDS:
        meta = neutral_metadata(kind.id)
        assert meta["subject"] == kind.title
        assert meta["title"] == f"Assister Log — {kind.description}"
