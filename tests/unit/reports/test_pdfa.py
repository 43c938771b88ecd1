"""Final PDFs are PDF/A-2b in structure (issue 13, item 6); drafts and password-protected
PDFs do not claim it.

What is checked here, with pikepdf reading the exported (signed) files and not the code that
wrote them: the XMP says part 2, conformance B and repeats the Info dictionary; the sRGB
OutputIntent embeds an RGB display profile that lcms reads as sRGB; nothing is transparent;
every font is embedded and its ``/Widths`` agree with the embedded program's advances; the
trailer has a file ID; the version is at most 1.7; the signature still validates (pdfsig).
mupdf (``mutool``) opens and draws every kind without an error. No PDF/A validator
(veraPDF) is installed here: this is the structure, not a validation.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageCms

from assister_log.reports import icc, pdfa
from assister_log.reports.base import renderer_for
from assister_log.services.export import export_pdf, report_input
from assister_log.services.session import Session
from tests.conftest import EXAMPLES, add_as_author
from tests.unit.reports.test_signed_pdfs import needs, pdfsig

PASSWORD = "PDF password 2026"
KINDS = ("record", "fraud-referral", "staff-memo")
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": pdfa.PDFA_NAMESPACE,
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
# The Info dictionary of reports.metadata (and reportlab's /Trapped): nothing else.
INFO_KEYS = {
    "/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate",
    "/ModDate", "/Trapped",
}  # fmt: skip


def _png_with_alpha() -> bytes:
    image = Image.new("RGBA", (120, 80), (200, 30, 30, 255))
    image.paste((30, 30, 200, 90), (60, 0, 120, 80))  # half see-through
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def records(session: Session) -> dict[str, str]:
    """A finalized record for each kind (the fraud one with a PNG that has alpha), and a
    draft."""
    ids = {}
    for kind, name in (
        ("record", "inappropriate-interaction"),
        ("fraud-referral", "suspected-fraud"),
        ("staff-memo", "staff-call"),
    ):
        data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
        incident_id = add_as_author(session, data).incident_id  # a staff call by MNsure staff
        if kind == "fraud-referral":
            session.attach_bytes(incident_id, "screenshot.png", _png_with_alpha(), "image/png")
        session.finalize(incident_id)
        ids[kind] = incident_id
    staff_call = json.loads((EXAMPLES / "staff-call.json").read_text("utf-8"))
    ids["draft"] = add_as_author(session, staff_call).incident_id
    return ids


@pytest.fixture
def exported(session: Session, records: dict[str, str], tmp_path: Path) -> dict[str, Path]:
    out = {
        kind: export_pdf(session, records[kind], kind, tmp_path / f"{kind}.pdf") for kind in KINDS
    }
    out["draft"] = export_pdf(session, records["draft"], "staff-memo", tmp_path / "draft.pdf")
    out["password"] = export_pdf(
        session, records["record"], "record", tmp_path / "password.pdf", password=PASSWORD
    )
    return out


def xmp_of(pdf: pikepdf.Pdf) -> ET.Element:
    return ET.fromstring(pdf.Root.Metadata.read_bytes())


def xmp_value(root: ET.Element, path: str) -> str:
    found = root.find(f".//rdf:Description/{path}", NS)
    assert found is not None, path
    return "".join(found.itertext()).strip()


def pdf_instant(value: str) -> datetime:
    return datetime.strptime(value.replace("'", ""), "D:%Y%m%d%H%M%S%z")


def test_final_pdfs_say_pdfa_2b_and_repeat_the_info_dictionary(exported: dict[str, Path]) -> None:
    for kind in KINDS:
        with pikepdf.open(exported[kind]) as pdf:
            xmp = xmp_of(pdf)
            assert xmp_value(xmp, "pdfaid:part") == "2", kind
            assert xmp_value(xmp, "pdfaid:conformance") == "B", kind
            info = pdf.docinfo
            assert set(info.keys()) <= INFO_KEYS, kind
            assert str(info["/Author"]) == "Assister Log"  # the app, never a person
            assert "Jamie" not in pdf.Root.Metadata.read_bytes().decode("utf-8")
            assert xmp_value(xmp, "dc:title/rdf:Alt/rdf:li") == str(info["/Title"])
            assert xmp_value(xmp, "dc:creator/rdf:Seq/rdf:li") == str(info["/Author"])
            assert xmp_value(xmp, "dc:description/rdf:Alt/rdf:li") == str(info["/Subject"])
            assert xmp_value(xmp, "pdf:Keywords") == str(info["/Keywords"])
            assert xmp_value(xmp, "xmp:CreatorTool") == str(info["/Creator"])
            # Signing leaves the metadata as rendered: pyHanko would append itself to the
            # Info /Producer only, and take the time twice for the two modification dates.
            assert xmp_value(xmp, "pdf:Producer") == str(info["/Producer"])
            assert "pyHanko" not in str(info["/Producer"])
            for xmp_key, info_key in (
                ("xmp:CreateDate", "/CreationDate"),
                ("xmp:ModifyDate", "/ModDate"),
            ):
                stamp = datetime.fromisoformat(xmp_value(xmp, xmp_key))
                assert stamp == pdf_instant(str(info[info_key])), (kind, xmp_key)
                assert stamp.utcoffset() == pdf_instant(str(info[info_key])).utcoffset()


def test_final_pdfs_have_the_srgb_output_intent(exported: dict[str, Path]) -> None:
    for kind in KINDS:
        with pikepdf.open(exported[kind]) as pdf:
            intents = list(pdf.Root.OutputIntents)
            assert len(intents) == 1
            intent = intents[0]
            assert intent.S == pikepdf.Name.GTS_PDFA1
            assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
            profile = intent.DestOutputProfile
            assert int(profile.N) == 3
            data = profile.read_bytes()
            assert data[12:16] == b"mntr" and data[16:20] == b"RGB " and data[36:40] == b"acsp"
            assert data == icc.srgb_profile()


def _objects(pdf: pikepdf.Pdf) -> list[Any]:
    return [obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))]


def test_nothing_in_a_final_pdf_is_transparent(exported: dict[str, Path]) -> None:
    for kind in KINDS:
        with pikepdf.open(exported[kind]) as pdf:
            images = 0
            for obj in _objects(pdf):
                assert "/SMask" not in obj or obj.SMask == pikepdf.Name.None_, kind
                for key in ("/CA", "/ca"):
                    if key in obj:
                        assert Decimal(str(obj[key])) >= 1, (kind, key)
                if "/BM" in obj:
                    assert obj.BM in (pikepdf.Name.Normal, pikepdf.Name.Compatible)
                group = obj.get("/Group")
                assert group is None or group.get("/S") != pikepdf.Name.Transparency
                if obj.get("/Subtype") == pikepdf.Name.Image:
                    images += 1
                    assert "/Mask" not in obj
            assert kind != "fraud-referral" or images >= 1  # the PNG with alpha, flattened


def _hmtx_advances(font_program: bytes) -> tuple[int, dict[int, int]]:
    """(units per em, code -> advance) of an embedded TrueType subset, read from its own
    tables: reportlab subsets map codes with a format-6 (trimmed) cmap."""
    count = struct.unpack(">H", font_program[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack(">4sIII", font_program[12 + 16 * i : 28 + 16 * i])
        tables[tag] = font_program[offset : offset + length]
    units = struct.unpack(">H", tables[b"head"][18:20])[0]
    full = struct.unpack(">H", tables[b"hhea"][34:36])[0]
    hmtx = tables[b"hmtx"]
    advances = [struct.unpack(">H", hmtx[4 * i : 4 * i + 2])[0] for i in range(full)]
    cmap = tables[b"cmap"]
    for i in range(struct.unpack(">H", cmap[2:4])[0]):
        offset = struct.unpack(">I", cmap[8 + 8 * i : 12 + 8 * i])[0]
        if struct.unpack(">H", cmap[offset : offset + 2])[0] == 6:
            first, n = struct.unpack(">HH", cmap[offset + 6 : offset + 10])
            glyphs = struct.unpack(f">{n}H", cmap[offset + 10 : offset + 10 + 2 * n])
            return units, {first + k: advances[min(g, full - 1)] for k, g in enumerate(glyphs)}
    raise AssertionError("no format-6 cmap in the subset")


def test_every_font_is_embedded_and_its_widths_match_the_program(
    exported: dict[str, Path],
) -> None:
    for kind in KINDS:
        with pikepdf.open(exported[kind]) as pdf:
            fonts = [obj for obj in _objects(pdf) if obj.get("/Type") == pikepdf.Name.Font]
            assert fonts
            for font in fonts:
                assert font.Subtype == pikepdf.Name.TrueType, font.get("/BaseFont")
                descriptor = font.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                units, advances = _hmtx_advances(descriptor.FontFile2.read_bytes())
                first = int(font.FirstChar)
                for index, width in enumerate(font.Widths):
                    code = first + index
                    if code in advances:
                        program = advances[code] * 1000 / units
                        assert abs(float(width) - program) <= 1, (font.BaseFont, code)


def test_final_pdfs_have_an_id_and_declare_at_most_pdf_1_7(exported: dict[str, Path]) -> None:
    for kind in KINDS:
        assert exported[kind].read_bytes()[:9] in (b"%PDF-1.4\n", b"%PDF-1.7\n")
        with pikepdf.open(exported[kind]) as pdf:
            assert len(pdf.trailer.ID) == 2
            assert str(pdf.Root.get("/Version", "/1.4")) <= "/1.7"
            assert "/ISO_" not in pdf.Root.get("/Extensions", {})
            assert not pdf.is_encrypted


@needs
def test_the_signature_still_validates(exported: dict[str, Path]) -> None:
    for kind in KINDS:
        report = pdfsig(exported[kind])
        assert "Signature is Valid" in report and "Total document signed" in report, kind


def test_drafts_and_password_protected_pdfs_do_not_claim_pdfa(
    exported: dict[str, Path],
) -> None:
    for name, password in (("draft", ""), ("password", PASSWORD)):
        with pikepdf.open(exported[name], password=password) as pdf:
            assert pdf.is_encrypted == (name == "password")
            assert "/OutputIntents" not in pdf.Root
            # pyHanko writes an XMP packet of its own for them: it names no PDF/A part
            if "/Metadata" in pdf.Root:
                assert not pdfa.claims_pdfa(pdf.Root.Metadata.read_bytes())
    assert not pdfa.claims_pdfa(exported["draft"].read_bytes())


def _mutool_errors(*args: str) -> list[str]:
    done = subprocess.run(["mutool", *args], capture_output=True, text=True, check=False)
    lines = [
        line
        for line in (done.stderr + ("" if done.returncode == 0 else f"exit {done.returncode}"))
        .strip()
        .splitlines()
        # Debian's mupdf is built without lcms2: it says so for every PDF it opens.
        if line and line != "warning: ICC support is not available"
    ]
    return lines


@pytest.mark.skipif(shutil.which("mutool") is None, reason="mupdf-tools: scripts/setup.sh --test")
def test_mupdf_opens_and_draws_every_kind_without_errors(exported: dict[str, Path]) -> None:
    for name, path in exported.items():
        password = ["-p", PASSWORD] if name == "password" else []
        assert _mutool_errors("info", *password, str(path)) == [], name
        assert _mutool_errors("draw", "-q", *password, "-o", "/dev/null", str(path)) == [], name


def test_the_profile_is_srgb_to_lcms() -> None:
    profile = icc.srgb_profile()
    assert len(profile) == struct.unpack(">I", profile[:4])[0]
    assert profile[8:12] == bytes((2, 0x10, 0, 0))  # version 2.1
    cms = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    assert ImageCms.getProfileDescription(cms).strip() == "sRGB IEC61966-2.1"
    transform = ImageCms.buildTransform(
        cms, ImageCms.createProfile("sRGB"), "RGB", "RGB", renderingIntent=1
    )
    ramp = Image.new("RGB", (256, 3))
    for x in range(256):
        ramp.putpixel((x, 0), (x, 0, 0))
        ramp.putpixel((x, 1), (0, x, 255 - x))
        ramp.putpixel((x, 2), (x, x, x))
    converted = ImageCms.applyTransform(ramp, transform)
    assert converted is not None
    assert max(abs(a - b) for a, b in zip(ramp.tobytes(), converted.tobytes(), strict=True)) <= 1


def test_xmp_dates_keep_the_instant_and_the_offset() -> None:
    assert pdfa.xmp_date("D:20260302201500+00'00'") == "2026-03-02T20:15:00+00:00"
    assert pdfa.xmp_date("D:20260302141500-06'00'") == "2026-03-02T14:15:00-06:00"
    assert pdfa.xmp_date("D:20260302201500Z") == "2026-03-02T20:15:00Z"
    with pytest.raises(ValueError):
        pdfa.xmp_date("D:2026")


def test_pikepdf_pdfa_validator_finds_nothing_before_signing(
    session: Session, records: dict[str, str]
) -> None:
    """pikepdf's own PDF/A checker (its optional dependencies are test dependencies) on the
    rendered, unsigned files: it does not check signature fields (/AcroForm)."""
    import pikepdf.pdfa as validator

    for kind in KINDS:
        pdf = renderer_for(kind)(password=None).render(report_input(session, records[kind]))
        report = validator.validate_written(io.BytesIO(pdf), "2b")
        assert report.passed, (kind, report.findings)
