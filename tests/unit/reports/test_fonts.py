"""The bundled faces: present, licensed, TrueType, registered once, and asked in order."""

from __future__ import annotations

import subprocess
import sys

import pytest
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from assister_log.paths import resource
from assister_log.reports import fonts


def test_register_fonts_is_idempotent() -> None:
    fonts.register_fonts()
    first = {name: pdfmetrics.getFont(name) for name in fonts.font_names()}
    fonts.register_fonts()
    assert all(pdfmetrics.getFont(name) is font for name, font in first.items())


def test_every_face_is_bundled_listed_and_licensed() -> None:
    folder = resource("fonts")
    readme = (folder / "README.md").read_text("utf-8")
    files = [
        f
        for face in fonts.FACES
        for f in (face.regular, face.bold, face.italic, face.bold_italic)
        if f
    ]
    for name in files:
        assert (folder / name).is_file(), name
        assert name in readme, f"{name} missing from resources/fonts/README.md"
    for licence in ("LICENSE-Noto-OFL.txt", "LICENSE-NanumGothic.txt",
                    "LICENSE-WenQuanYi.txt", "LICENSE-DejaVu.txt"):  # fmt: skip
        assert (folder / licence).is_file(), licence
        assert licence in readme
    shipped = {p.name for p in folder.iterdir() if p.suffix in (".ttf", ".ttc", ".otf")}
    assert shipped == set(files), "only the faces in use are bundled"


def test_bundle_stays_lean() -> None:
    folder = resource("fonts")
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 16_000_000


def test_faces_have_truetype_outlines() -> None:
    """reportlab refuses CFF outlines (most OpenType CJK fonts); every bundled face loads."""
    for face in fonts.FACES:
        font = TTFont(f"check-{face.name}", str(resource("fonts", face.regular)),
                      subfontIndex=face.subfont_index)  # fmt: skip
        assert font.face.charToGlyph


@pytest.mark.parametrize(
    ("char", "face"),
    [
        ("A", fonts.BODY),
        ("ễ", fonts.BODY),
        ("Ж", fonts.BODY),
        ("—", fonts.BODY),
        ("م", fonts.ARABIC),
        ("٣", fonts.ARABIC),
        ("ሰ", fonts.ETHIOPIC),
        ("က", fonts.MYANMAR),
        ("ၡ", fonts.MYANMAR),  # Sgaw Karen
        ("ស", fonts.KHMER),
        ("ສ", fonts.LAO),
        ("你", fonts.CJK),
        ("，", fonts.CJK),
        ("안", fonts.HANGUL),
        ("ㄱ", fonts.HANGUL),
    ],
)
def test_covering_font_follows_the_fallback_order(char: str, face: str) -> None:
    assert fonts.covering_font(char) == face, fonts.describe(char)


def test_uncovered_characters_have_no_font() -> None:
    assert fonts.covering_font("🙂") is None
    assert fonts.covering_font("\ue000") is None  # private use
    with pytest.raises(ValueError):
        fonts.covering_font("ab")


def test_bold_and_italic_map_within_each_family() -> None:
    assert tt2ps(fonts.BODY, 1, 0) == fonts.BOLD
    assert tt2ps(fonts.BODY, 0, 1) == fonts.ITALIC
    assert tt2ps(fonts.BODY, 1, 1) == fonts.BOLD_ITALIC
    assert tt2ps(fonts.ARABIC, 1, 0) == f"{fonts.ARABIC}-Bold"
    assert tt2ps(fonts.ARABIC, 0, 1) == fonts.ARABIC  # no italic Arabic: upright
    assert tt2ps(fonts.HANGUL, 1, 0) == fonts.HANGUL  # no bold bundled
    assert ps2tt(fonts.HANGUL) == (fonts.HANGUL.lower(), 0, 0)  # still reads as regular
    assert ps2tt(fonts.BOLD) == (fonts.BODY.lower(), 1, 0)
    assert fonts.bold_of(fonts.CJK) == fonts.CJK


def test_reports_never_import_qt() -> None:
    code = (
        "import sys\n"
        "import assister_log.reports.fonts, assister_log.reports.text\n"
        "import assister_log.reports.page, assister_log.reports.specimen\n"
        "import assister_log.reports.termination_record, assister_log.reports.encryption\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
