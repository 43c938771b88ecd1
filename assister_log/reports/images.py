"""Evidence images: JPEG passed through undecoded but without its metadata, other images
decoded once and flate-compressed, each stored once per file by content hash.

No metadata of an image file reaches the PDF: a photo's EXIF names its camera, often its
owner (``Artist``, ``Copyright``) and where it was taken (GPS), and an anonymous referral
must not say who took it. A JPEG keeps its compressed picture data byte for byte (the
printed pixels are the file's) and loses every APPn and comment segment except Adobe's
APP14, which says how to decode its colours; anything after the end of the image (a
second picture, a maker's trailer) is cut. Other images are decoded to pixels, which carry
no metadata. EXIF orientation is read first and honoured: quarter turns in the PDF's
drawing matrix for a JPEG, ``ImageOps.exif_transpose`` for the others. The vault keeps the
original bytes and their SHA-256.

:func:`_xobject` builds the image XObject itself (JPEG bytes as they are, the decode array
of an inverted Adobe CMYK JPEG, one object per content hash, turned by EXIF orientation) and
registers it with the canvas's private bookkeeping, the same calls reportlab's own
``drawImage`` makes: ``_doc``, ``_setXObjects``, ``_formsinuse``, ``_code``. There is no
public call that takes a prepared XObject; checked against reportlab 5.1 (``pyproject.toml``
caps it below 5.2).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfutils
from reportlab.platypus import Flowable

from assister_log.reports.styles import GRID


class _Prepared:
    """An image ready to become a PDF image XObject (JPEG passed through undecoded)."""

    __slots__ = ("colorspace", "data", "filters", "height", "invert", "note", "turns", "width")

    def __init__(self) -> None:
        self.width = 0
        self.height = 0
        self.colorspace = "DeviceRGB"
        self.filters: tuple[str, ...] = ()
        self.data = b""
        self.invert = False
        self.turns = 0  # quarter turns clockwise to show the photo upright (EXIF)
        self.note = ""


MAX_PIXELS = 2400  # long side of a decoded (non-JPEG) image as embedded


def _exif_orientation(image: Any) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:
        return 1


# JPEG markers: APPn (0xE0-0xEF) and COM (0xFE) carry metadata; APP14 "Adobe" is kept
# (its transform flag says whether the colours are YCbCr/YCCK). Markers without a length.
_APP14 = 0xEE
_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The JPEG without its APPn/COM segments (APP14 Adobe kept) and with nothing after EOI.

    The scans (compressed picture data) and the tables are copied unchanged. Raise
    ValueError on a malformed stream.
    """
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            raise ValueError("JPEG marker expected")
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            break
        marker = data[i]
        i += 1
        if marker == 0xD9:  # EOI: the end; later bytes are not part of this picture
            out += b"\xff\xd9"
            return bytes(out)
        if marker in _STANDALONE:
            out += bytes((0xFF, marker))
            continue
        if i + 2 > n:
            raise ValueError("truncated JPEG segment")
        length = int.from_bytes(data[i : i + 2], "big")
        end = i + length
        if length < 2 or end > n:
            raise ValueError("bad JPEG segment length")
        segment = data[i:end]
        i = end
        is_metadata = (
            0xE0 <= marker <= 0xEF and not (marker == _APP14 and segment[2:7] == b"Adobe")
        ) or marker == 0xFE
        if not is_metadata:
            out += bytes((0xFF, marker)) + segment
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            start = i
            while i < n - 1:
                if data[i] == 0xFF and data[i + 1] != 0x00 and not 0xD0 <= data[i + 1] <= 0xD7:
                    break
                i += 1
            else:
                i = n
            out += data[start:i]
    # no EOI: a truncated file; decoders show what there is
    out += b"\xff\xd9"
    return bytes(out)


def prepare_image(data: bytes) -> _Prepared:
    """Raise ValueError when the bytes are not an image we can show."""
    from PIL import Image, ImageOps

    prepared = _Prepared()
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        fmt = image.format
        orientation = _exif_orientation(image) if fmt == "JPEG" else 1
        if fmt == "JPEG" and orientation in (1, 3, 6, 8):
            passed = _jpeg_pass_through(data, image.size, orientation)
            if passed is not None:
                return passed
        image.seek(0)
        image = ImageOps.exif_transpose(image) if orientation != 1 else image
        if max(image.size) > MAX_PIXELS:
            image = image.copy()
            image.thumbnail((MAX_PIXELS, MAX_PIXELS))
            prepared.note = f"shown reduced to {image.size[0]}×{image.size[1]} pixels"
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode in ("1", "L", "I;16", "I;16B", "I", "F"):
            image = image.convert("L")
        elif image.mode != "RGB":
            image = image.convert("RGB")
        prepared.width, prepared.height = image.size
        prepared.colorspace = "DeviceGray" if image.mode == "L" else "DeviceRGB"
        prepared.filters = ("FlateDecode",)
        prepared.data = zlib.compress(image.tobytes(), 6)
        return prepared
    except Exception as error:  # any decoder failure: the file is listed, not shown
        raise ValueError("not a displayable image") from error


def _jpeg_pass_through(data: bytes, size: tuple[int, int], orientation: int) -> _Prepared | None:
    """The JPEG's picture data undecoded, without metadata; None when that cannot be done
    safely (the image is then decoded to pixels instead)."""
    try:
        stripped = strip_jpeg_metadata(data)
        _check_decodes(stripped, size)
        info = pdfutils.readJPEGInfo(io.BytesIO(stripped))
    except Exception:
        return None
    prepared = _Prepared()
    prepared.width, prepared.height = int(info[0]), int(info[1])
    components = int(info[2])
    prepared.colorspace = {1: "DeviceGray", 3: "DeviceRGB"}.get(components, "DeviceCMYK")
    # Adobe CMYK JPEGs store inverted values (their APP14 segment is kept).
    prepared.invert = components == 4 and b"Adobe" in stripped[:4096]
    prepared.filters = ("DCTDecode",)
    prepared.data = stripped
    prepared.turns = {1: 0, 3: 2, 6: 1, 8: 3}[orientation]
    return prepared


def _check_decodes(data: bytes, size: tuple[int, int]) -> None:
    """The stripped JPEG still decodes to the same picture size (else ValueError)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as stripped:
        if stripped.size != size:
            raise ValueError("the JPEG changed size without its metadata")
        stripped.draft(stripped.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
        stripped.load()


def _xobject(canv: Any, digest: str, prepared: _Prepared) -> str:
    """Register the image once per document (by content hash); return its resource name."""
    name = f"Evidence{digest[:24]}"
    reg_name = canv._doc.getXObjectName(name)
    if canv._doc.idToObject.get(reg_name) is None:
        obj = pdfdoc.PDFImageXObject(name)
        obj.width, obj.height = prepared.width, prepared.height
        obj.bitsPerComponent = 8
        obj.colorSpace = prepared.colorspace
        obj._filters = prepared.filters
        obj.streamContent = prepared.data
        obj.mask = None
        if prepared.invert:
            obj._decode = [1, 0, 1, 0, 1, 0, 1, 0]
        canv._setXObjects(obj)
        canv._doc.Reference(obj, reg_name)
        canv._doc.addForm(name, obj)
    canv._formsinuse.append(name)
    return str(reg_name)


class EvidenceImage(Flowable):  # type: ignore[misc]
    """An evidence image scaled to fit ``max_width`` × ``max_height``, aspect kept, with a
    hairline frame. Same bytes drawn twice are stored once."""

    def __init__(self, data: bytes, max_width: float, max_height: float) -> None:
        super().__init__()
        self.digest = hashlib.sha256(data).hexdigest()
        self.prepared = prepare_image(data)
        w, h = self.prepared.width, self.prepared.height
        if self.prepared.turns % 2:
            w, h = h, w
        # Never enlarge: one image pixel per point at most, so small screenshots stay sharp.
        scale = min(max_width / w, max_height / h, 1.0)
        self.draw_width = w * scale
        self.draw_height = h * scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.draw_width > avail_width:
            factor = avail_width / self.draw_width
            self.draw_width *= factor
            self.draw_height *= factor
        return self.draw_width, self.draw_height

    def draw(self) -> None:
        canv = self.canv
        name = _xobject(canv, self.digest, self.prepared)
        w, h = self.draw_width, self.draw_height
        canv.saveState()
        turns = self.prepared.turns
        # Place the unrotated image so that after turning it fills (0, 0, w, h).
        if turns == 0:
            canv.translate(0, 0)
            canv.scale(w, h)
        elif turns == 1:  # 90° clockwise
            canv.translate(0, h)
            canv.rotate(-90)
            canv.scale(h, w)
        elif turns == 2:
            canv.translate(w, h)
            canv.rotate(180)
            canv.scale(w, h)
        else:  # 90° counter-clockwise
            canv.translate(w, 0)
            canv.rotate(90)
            canv.scale(h, w)
        canv._code.append(f"/{name} Do")
        canv.restoreState()
        canv.saveState()
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.5)
        canv.rect(0, 0, w, h, stroke=1, fill=0)
        canv.restoreState()


def image_or_none(data: bytes | None, max_width: float, max_height: float) -> EvidenceImage | None:
    if not data:
        return None
    try:
        return EvidenceImage(data, max_width, max_height)
    except ValueError:
        return None
