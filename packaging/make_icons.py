"""Generate the application icons from the SVG master.

    python3 packaging/make_icons.py        (needs rsvg-convert: apt-get install librsvg2-bin)

Writes, beside resources/icons/assister-log.svg:
- assister-log-<N>.png for N in SIZES (the Linux hicolor sizes, and the sources of the rest);
- assister-log.ico (Windows: 16-256, PNG-compressed entries, Windows Vista and later);
- assister-log.icns (macOS: 16-1024 incl. the @2x variants, PNG entries, macOS 10.7 and later).

The .ico and .icns writers are here (a few lines each) so the result is the same on every
machine and needs neither ImageMagick nor icnsutils. The generated files are committed; run
this again after changing the SVG.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
MASTER = ICONS / "assister-log.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns element types holding PNG data, and the pixel size each holds
ICNS_TYPES = (
    (b"icp4", 16),
    (b"ic11", 32),  # 16 and 16@2x
    (b"icp5", 32),
    (b"ic12", 64),  # 32 and 32@2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128 and 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256 and 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512 and 512@2x
)


def png_path(size: int) -> Path:
    return ICONS / f"assister-log-{size}.png"


def render(size: int, out: Path) -> bytes:
    subprocess.run(
        [
            "rsvg-convert",
            "--width",
            str(size),
            "--height",
            str(size),
            "--output",
            str(out),
            str(MASTER),
        ],
        check=True,
    )
    return out.read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + ICONDIRENTRY per image + the PNG data (a size of 256 is written as 0)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("make_icons: rsvg-convert not found (apt-get install librsvg2-bin)", file=sys.stderr)
        return 1
    pngs = {size: render(size, png_path(size)) for size in SIZES}
    tmp = ICONS / ".assister-log-1024.png"
    try:
        pngs[1024] = render(1024, tmp)
    finally:
        tmp.unlink(missing_ok=True)
    (ICONS / "assister-log.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "assister-log.icns").write_bytes(icns_bytes(pngs))
    for size, data in sorted(pngs.items()):
        if png_size(data) != (size, size):
            print(f"make_icons: {size} rendered as {png_size(data)}", file=sys.stderr)
            return 1
    print(f"make_icons: {len(SIZES)} PNGs, assister-log.ico, assister-log.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
