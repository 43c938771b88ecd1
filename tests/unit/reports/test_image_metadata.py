"""No image metadata reaches a PDF (issue 13, item 4): a photo's EXIF names who took it and
where; the anonymous fraud packet must not. The pixels print unchanged and upright.

The PDF's image streams are read back with pikepdf, not with the code that wrote them.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageChops

from assister_log.reports import images as report_images
from tests.unit.reports.test_documents import attachment, example, render, report

ARTIST = "Jamie Ortiz the reporter"
CAMERA = "Pixel-Reporter-Phone"
COMMENT = b"taken by jamie at home"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b"dc:creator='Jamie Ortiz XMP'/></rdf:RDF></x:xmpmeta>"
)
MARKERS = (
    ARTIST.encode(),
    CAMERA.encode(),
    COMMENT,
    b"Jamie",
    b"Exif\x00\x00",
    b"xmpmeta",
    b"ICC_PROFILE",
)


def picture(width: int = 240, height: int = 160) -> Image.Image:
    """Left half red, right half blue: which way up it prints can be seen."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (width // 2, 0, width, height))
    return image


def tagged_jpeg(orientation: int = 1, *, trailer: bytes = b"") -> bytes:
    exif = Image.Exif()
    exif[0x013B] = ARTIST  # Artist
    exif[0x0110] = CAMERA  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (44.0, 1.0, 22.5)  # GPSLatitude
    gps[3] = "W"
    gps[4] = (92.0, 28.0, 11.0)
    out = io.BytesIO()
    icc = b"\x00" * 128 + b"desc Jamie's calibrated phone profile"
    picture().save(out, "JPEG", quality=90, exif=exif, icc_profile=icc, comment=COMMENT, xmp=XMP)
    return out.getvalue() + trailer


def image_streams(pdf: bytes) -> list[tuple[pikepdf.Stream, bytes]]:
    """(image object, raw stream bytes) of every image XObject in the file."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                found.append((obj, bytes(obj.read_raw_bytes())))
    return found


def test_the_test_photo_really_carries_the_reporter() -> None:
    data = tagged_jpeg()
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert exif[0x013B] == ARTIST and exif.get_ifd(0x8825)
    for marker in MARKERS:
        assert marker in data, marker


@pytest.mark.parametrize("orientation", [1, 6, 5])
def test_anonymous_packet_images_carry_no_metadata(orientation: int) -> None:
    photo = tagged_jpeg(orientation)
    files = (attachment("photo.jpg", photo, "image/jpeg", 1),)
    incident = example("suspected-fraud", attachments=files)
    assert incident.fraud is not None
    incident = replace(incident, fraud=replace(incident.fraud, anonymous=True))
    for kind in ("fraud-referral", "record"):
        pdf = render(kind, report(incident, images={"att-1": photo}))
        streams = image_streams(pdf)
        assert len(streams) == 1
        obj, raw = streams[0]
        for marker in MARKERS:
            assert marker not in raw, marker
        assert ARTIST.encode() not in pdf and CAMERA.encode() not in pdf
        # what a viewer decodes has no metadata either
        if obj.get("/Filter") == "/DCTDecode":
            with Image.open(io.BytesIO(raw)) as embedded:
                assert not embedded.getexif()
                assert not {"exif", "xmp", "icc_profile", "comment"} & set(embedded.info)
    # the vault's bytes (and so the hash printed) are the original's
    assert files[0].sha256 == hashlib.sha256(photo).hexdigest()


def test_jpeg_pixels_are_the_files_and_trailing_pictures_are_cut() -> None:
    second = tagged_jpeg()  # e.g. a phone's multi-picture trailer with its own EXIF
    photo = tagged_jpeg(trailer=second)
    stripped = report_images.strip_jpeg_metadata(photo)
    assert len(stripped) < len(second)
    for marker in MARKERS:
        assert marker not in stripped
    with Image.open(io.BytesIO(photo)) as a, Image.open(io.BytesIO(stripped)) as b:
        assert a.size == b.size
        assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def test_progressive_and_cmyk_jpegs_keep_their_pictures() -> None:
    out = io.BytesIO()
    picture().save(out, "JPEG", progressive=True, exif=Image.Exif(), comment=COMMENT)
    progressive = out.getvalue()
    out = io.BytesIO()
    picture().convert("CMYK").save(out, "JPEG", comment=COMMENT)
    cmyk = out.getvalue()
    for data in (progressive, cmyk):
        prepared = report_images.prepare_image(data)
        assert prepared.filters == ("DCTDecode",)
        assert COMMENT not in prepared.data
        with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(prepared.data)) as b:
            assert ImageChops.difference(a, b).getbbox() is None
    assert report_images.prepare_image(cmyk).invert  # Adobe APP14 kept


def _left_is_red(image: Any) -> bool:
    rgb = image.convert("RGB")
    w, h = rgb.size
    left, right = rgb.getpixel((w // 8, h // 2)), rgb.getpixel((w - w // 8, h // 2))
    return bool(left[0] > 150 and right[2] > 150)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8, 2, 5])
def test_photos_print_upright_per_their_exif(orientation: int) -> None:
    """The photo is stored turned against its orientation tag, as a camera does: printed
    upright, it shows red on the left again."""
    inverse = {
        1: Image.Transpose.ROTATE_90,  # placeholder: not used
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }
    stored = picture() if orientation == 1 else picture().transpose(inverse[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = ARTIST
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=95, exif=exif)
    flowable = report_images.EvidenceImage(out.getvalue(), 1000, 1000)
    assert (flowable.draw_width, flowable.draw_height) == (240, 160)
    prepared = flowable.prepared
    assert ARTIST.encode() not in prepared.data
    if prepared.filters == ("DCTDecode",):
        with Image.open(io.BytesIO(prepared.data)) as raw:
            turned = raw.rotate(-90 * prepared.turns, expand=True)
    else:
        mode = "L" if prepared.colorspace == "DeviceGray" else "RGB"
        import zlib

        turned = Image.frombytes(
            mode, (prepared.width, prepared.height), zlib.decompress(prepared.data)
        )
    assert turned.size == (240, 160)
    assert _left_is_red(turned)
