"""A minimal sRGB ICC profile (version 2.1, display class), written here rather than bundled.

It is what the PDF/A OutputIntent of a final PDF embeds (``reports.pdfa``): the colours the
documents draw are DeviceRGB/DeviceGray and mean sRGB. Writing the profile in code keeps a
third-party file and its licence out of the app; the values are those of IEC 61966-2-1 and
of the sRGB profiles everyone ships:

* media white point and PCS illuminant D50 (0.9642, 1.0, 0.8249);
* the sRGB primaries adapted to D50 with the Bradford transform, as s15Fixed16 numbers
  (the same as in the HP/Microsoft "sRGB IEC61966-2.1" profile);
* one tone curve shared by the three channels: 1024 samples of the sRGB transfer function
  (linear below 0.04045, ``((v + 0.055) / 1.055) ** 2.4`` above).

Tags: ``desc``, ``cprt``, ``wtpt``, ``rXYZ``/``gXYZ``/``bXYZ``, ``rTRC``/``gTRC``/``bTRC``,
which is what ICC.1:2001-04 requires of a three-component matrix/TRC display profile. The
header's date is fixed, so the bytes (and every final PDF's profile) are the same each time.
lcms (through Pillow's ImageCms) reads it as sRGB in ``tests/unit/reports/test_pdfa.py``.
"""

from __future__ import annotations

import functools
import struct

DESCRIPTION = "sRGB IEC61966-2.1"
COPYRIGHT = "No copyright: written by Assister Log from the IEC 61966-2-1 values; use freely"

_D50 = (0.9642, 1.0, 0.8249)
# Bradford-adapted sRGB primaries (X, Y, Z of red, green, blue), as s15Fixed16.
_PRIMARIES = {
    b"rXYZ": (0x6FA2, 0x38F5, 0x0390),
    b"gXYZ": (0x6299, 0xB785, 0x18DA),
    b"bXYZ": (0x24A0, 0x0F84, 0xB6CF),
}
_CURVE_POINTS = 1024


def _s15(value: float) -> int:
    return round(value * 65536)


def _xyz(raw: tuple[int, int, int]) -> bytes:
    return b"XYZ \0\0\0\0" + struct.pack(">3i", *raw)


def _text_description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + struct.pack(">II", 0, 0)  # no Unicode description
        + struct.pack(">HB", 0, 0)  # no ScriptCode description
        + b"\0" * 67
    )


def _srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _curve() -> bytes:
    samples = [
        round(_srgb_to_linear(i / (_CURVE_POINTS - 1)) * 65535) for i in range(_CURVE_POINTS)
    ]
    return b"curv\0\0\0\0" + struct.pack(f">I{_CURVE_POINTS}H", _CURVE_POINTS, *samples)


def _pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


@functools.cache
def srgb_profile() -> bytes:
    """The profile's bytes (about 2.6 kB), the same on every call."""
    curve = _curve()
    elements: list[tuple[bytes, bytes]] = [
        (b"desc", _text_description(DESCRIPTION)),
        (b"cprt", b"text\0\0\0\0" + COPYRIGHT.encode("ascii") + b"\0"),
        (b"wtpt", _xyz((_s15(_D50[0]), _s15(_D50[1]), _s15(_D50[2])))),
        *((sig, _xyz(raw)) for sig, raw in _PRIMARIES.items()),
        (b"rTRC", curve),
    ]
    shared = {b"gTRC": b"rTRC", b"bTRC": b"rTRC"}  # the three channels share one curve
    count = len(elements) + len(shared)
    offset = 128 + 4 + 12 * count
    table: list[tuple[bytes, int, int]] = []
    body = b""
    where: dict[bytes, tuple[int, int]] = {}
    for sig, data in elements:
        where[sig] = (offset + len(body), len(data))
        table.append((sig, *where[sig]))
        body += _pad(data)
    for sig, same in shared.items():
        table.append((sig, *where[same]))
    tags = struct.pack(">I", count) + b"".join(
        struct.pack(">4sII", sig, at, size) for sig, at, size in table
    )
    size = 128 + len(tags) + len(body)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"  # preferred CMM: none
        + bytes((2, 0x10, 0, 0))  # version 2.1.0
        + b"mntr"  # display device profile
        + b"RGB "
        + b"XYZ "  # profile connection space
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0)  # fixed creation date
        + b"acsp"
        + b"\0\0\0\0"  # primary platform: none
        + struct.pack(">I", 0)  # flags: not embedded-only, may be used independently
        + b"\0\0\0\0" * 2  # device manufacturer and model
        + b"\0" * 8  # device attributes: reflective, glossy, positive, colour
        + struct.pack(">I", 0)  # rendering intent: perceptual
        + struct.pack(">3i", _s15(_D50[0]), _s15(_D50[1]), _s15(_D50[2]))
        + b"\0\0\0\0"  # creator
        + b"\0" * 44  # reserved (the profile ID is version 4)
    )
    assert len(header) == 128
    return header + tags + body
