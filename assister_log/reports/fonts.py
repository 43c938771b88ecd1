"""The TrueType fonts every PDF embeds, and which face covers which character.

reportlab ships only Vera (no Vietnamese, Cyrillic, Arabic, Ethiopic, Myanmar...), cannot embed
CFF-outline fonts, and silently falls back to the non-embedded standard-14 Helvetica. So we
register our own TrueType faces from ``resources/fonts`` and pick, per character, the first
face in a fixed order whose cmap has it. Coverage is snapshotted at registration because
reportlab's shaper later adds private-use code points to a face's ``charToGlyph``.
"""

from __future__ import annotations

import struct
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from assister_log.errors import KnownError
from assister_log.paths import resource

# The base family (Latin incl. Vietnamese, Cyrillic, Greek): styles use these names.
BODY = "NotoSans"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"
BOLD_ITALIC = "NotoSans-BoldItalic"
# For hashes and identifiers: fixed width, distinct 0/O and 1/l.
MONO = "DejaVuSansMono"

# Per-script fallback faces (regular names; "<name>-Bold" where a bold face is bundled).
ARABIC = "NotoSansArabic"
ETHIOPIC = "NotoSansEthiopic"
MYANMAR = "NotoSansMyanmar"  # Burmese and Karen (U+1000-U+109F incl. U+1060-U+109F)
KHMER = "NotoSansKhmer"
LAO = "NotoSansLao"
HANGUL = "NanumGothic"
CJK = "WenQuanYiMicroHei"


@dataclass(frozen=True)
class Face:
    """One bundled family: the regular file, an optional bold file, optional italics."""

    name: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    subfont_index: int = 0

    @property
    def bold_name(self) -> str:
        return f"{self.name}-Bold" if self.bold else self.name


# Bold faces are bundled where they are small; Korean and Chinese bold would add ~10 MB, so
# <b> maps to the regular face there (still the right glyphs, just not heavier).
FACES: tuple[Face, ...] = (
    Face(
        BODY,
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSans-Italic.ttf",
        "NotoSans-BoldItalic.ttf",
    ),
    Face(ARABIC, "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    Face(ETHIOPIC, "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    Face(MYANMAR, "NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf"),
    Face(KHMER, "NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf"),
    Face(LAO, "NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"),
    Face(HANGUL, "NanumGothic.ttf"),
    Face(CJK, "wqy-microhei.ttc", subfont_index=0),
    Face(MONO, "DejaVuSansMono.ttf"),
)

# The order in which faces are asked for a character. NanumGothic also carries Hanja and
# WenQuanYi also carries Hangul: Hangul goes to Nanum, everything else Han to WenQuanYi, so a
# Chinese name is never printed in two designs. MONO is only used where a style asks for it.
FALLBACK_ORDER: tuple[str, ...] = (BODY, ARABIC, ETHIOPIC, MYANMAR, KHMER, LAO, CJK, HANGUL)

_HANGUL_RANGES = (
    (0x1100, 0x11FF),  # Jamo
    (0x3130, 0x318F),  # Compatibility Jamo
    (0xA960, 0xA97F),  # Jamo Extended-A
    (0xAC00, 0xD7AF),  # Syllables
    (0xD7B0, 0xD7FF),  # Jamo Extended-B
    (0xFFA0, 0xFFDC),  # half-width Hangul
)

_lock = threading.Lock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Register every bundled face with reportlab (once per process; later calls are free).

    Also registers each family with ``addMapping`` so ``<b>``/``<i>`` inside Paragraph
    markup pick the bold/italic face, or stay on the regular one where none is bundled.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for face in FACES:
            _register_face(face)
        _registered = True


def _load(name: str, filename: str, subfont_index: int = 0) -> TTFont:
    path = resource("fonts", filename)
    # TTFont raises TTFError for CFF (PostScript-outline) fonts, which reportlab cannot embed,
    # and for a missing or unreadable file: the user's situation is a damaged install.
    try:
        font = TTFont(name, str(path), subfontIndex=subfont_index)
    except (TTFError, OSError):
        raise KnownError(
            f"The program's font file {filename} is missing or damaged: reinstall Assister Log."
        ) from None
    _fix_trailing_advances(font.face)
    pdfmetrics.registerFont(font)
    return font


def _fix_trailing_advances(face: Any) -> None:
    """Give the glyphs after the last full ``hmtx`` entry their advance in font units.

    A TrueType ``hmtx`` lists advances for the first ``numberOfHMetrics`` glyphs only; the
    rest share the last. reportlab 5.1 (``TTFontFile.extractInfo``) stores for them the advance
    already scaled to 1/1000 em, and its subsetter writes that into the embedded font's
    ``hmtx``: in DejaVuSansMono and WenQuanYi Micro Hei (2048 units per em) the embedded
    glyphs were 602 units wide where the ``/Widths`` say 1233/2048 em, which PDF/A forbids
    (ISO 19005-2, 6.2.11.5). Only the subset's table changes; reportlab's widths were right.
    """
    count = struct.unpack(">H", face.get_table("hhea")[34:36])[0]
    metrics = face.hmetrics
    if 0 < count < len(metrics):
        advance = metrics[count - 1][0]
        metrics[count:] = [(advance, lsb) for _aw, lsb in metrics[count:]]


def _register_face(face: Face) -> None:
    regular = _load(face.name, face.regular, face.subfont_index)
    _coverage[face.name] = frozenset(regular.face.charToGlyph)
    bold = italic = bold_italic = face.name
    if face.bold:
        bold = face.bold_name
        _load(bold, face.bold)
    if face.italic:
        italic = f"{face.name}-Italic"
        _load(italic, face.italic)
    if face.bold_italic:
        bold_italic = f"{face.name}-BoldItalic"
        _load(bold_italic, face.bold_italic)
    elif face.bold:
        bold_italic = bold
    # Regular last: addMapping also records name -> (family, bold, italic) and the last call
    # wins, so a face standing in for its own bold must still read as regular.
    addMapping(face.name, 1, 1, bold_italic)
    addMapping(face.name, 0, 1, italic)
    addMapping(face.name, 1, 0, bold)
    addMapping(face.name, 0, 0, face.name)


def font_names() -> tuple[str, ...]:
    """Every registered font name (regular, bold, italic faces)."""
    register_fonts()
    names: list[str] = []
    for face in FACES:
        names.append(face.name)
        if face.bold:
            names.append(face.bold_name)
        if face.italic:
            names.append(f"{face.name}-Italic")
        if face.bold_italic:
            names.append(f"{face.name}-BoldItalic")
    return tuple(names)


def covers(font: str, char: str) -> bool:
    """Whether the regular face ``font`` has a glyph for the single character ``char``."""
    register_fonts()
    return ord(char) in _coverage[font]


def covers_all(font: str, text: str) -> bool:
    """Whether the regular face ``font`` has a glyph for every character of ``text``."""
    register_fonts()
    return _coverage[font].issuperset(map(ord, text))


def _is_hangul(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _HANGUL_RANGES)


@lru_cache(maxsize=8192)
def covering_font(char: str) -> str | None:
    """The first face in :data:`FALLBACK_ORDER` with a glyph for ``char``, or None.

    None means no bundled font can draw it: callers print a visible stand-in rather than
    let a missing-glyph box or a standard-14 font into the PDF.
    """
    if len(char) != 1:
        raise ValueError("covering_font takes exactly one character")
    register_fonts()
    cp = ord(char)
    if _is_hangul(cp) and cp in _coverage[HANGUL]:
        return HANGUL
    for name in FALLBACK_ORDER:
        if cp in _coverage[name]:
            return name
    return None


def bold_of(font: str) -> str:
    """The bold face of a registered regular face (itself when none is bundled)."""
    for face in FACES:
        if face.name == font:
            return face.bold_name
    raise KeyError(font)


def describe(char: str) -> str:
    """A short label for logs and test messages: ``U+0645 ARABIC LETTER MEEM``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '?')}"
