"""HarfBuzz shaping run by run (one font, one direction per run), and cutting runs wider than a
line at grapheme/syllable boundaries.

reportlab's own shaper shapes a whole word with its first font, so ``abc(مرحبا)`` would come
out as ``.notdef`` glyphs, and it guesses direction, which reverses Arabic-Indic digits.
Chinese, Burmese, Khmer and Lao have no spaces, and long hashes none either: such runs are
cut between glyph clusters, never inside one.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedFragWord, ShapedStr, makeShapedFragWord

from assister_log.reports.text.frags import Frag, FragWord, is_text

_hb_fonts: dict[tuple[str, float], Any] = {}


def _hb_font(name: str, size: float) -> Any:
    key = (name, size)
    font = _hb_fonts.get(key)
    if font is None:
        # TTFont.hbFont also installs the private-glyph hook used below.
        font = _hb_fonts[key] = pdfmetrics.getFont(name).hbFont(size)
    return font


@lru_cache(maxsize=16384)
def shape_run(font_name: str, font_size: float, text: str, rtl: bool | None) -> ShapedStr:
    """HarfBuzz-shape one single-font, single-direction run into reportlab's ShapedStr.

    ``rtl=None`` lets HarfBuzz guess the direction from the script. Glyph clusters are
    graphemes (MONOTONE_GRAPHEMES), so a run can be cut between clusters safely. Glyphs
    without a cmap entry (ligatures, contextual forms) get a private code point, as in
    reportlab's own shaper; ``.notdef`` would show up as glyph id 0.
    """
    ttf = pdfmetrics.getFont(font_name)
    hb_font = _hb_font(font_name, font_size)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_GRAPHEMES
    buf.add_str(text)
    buf.guess_segment_properties()
    if rtl is not None:
        buf.direction = "rtl" if rtl else "ltr"
    # Latin, Cyrillic, Greek: no ligatures, so "office" copies as "office", not "oﬃce".
    features = _NO_LIGATURES if buf.script in _LIGATURE_FREE else {}
    uharfbuzz.shape(hb_font, buf, features)
    face = ttf.face
    chars: list[str] = []
    data: list[ShapeData] = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        owners = face.glyphToChar.get(gid)
        code = (
            owners[0]
            if owners
            else ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, pos.x_advance)
        )
        data.append(
            ShapeData(
                info.cluster,
                ttf.pdfScale(pos.x_advance),
                ttf.pdfScale(pos.y_advance),
                ttf.pdfScale(pos.x_offset),
                ttf.pdfScale(pos.y_offset),
                face.charWidths[code],
            )
        )
        chars.append(chr(code))
    drawn = "".join(chars)
    # Glyphs that do not spell the text, or marks placed by offset (which extractors take
    # for a word gap): the text object writes the text itself as /ActualText.
    if drawn != (text[::-1] if buf.direction == "rtl" else text) or any(
        sd.x_advance == 0 for sd in data
    ):
        _mark_actual_text(text, data, rtl=buf.direction == "rtl")
    shaped = ShapedStr(drawn, shapeData=data)
    shaped._source = text  # for line breaking; slices of the string do not keep it
    return shaped


_LIGATURE_FREE = frozenset(("Latn", "Cyrl", "Grek"))
_NO_LIGATURES = {"liga": False, "clig": False, "dlig": False}


def _mark_actual_text(text: str, data: list[ShapeData], *, rtl: bool) -> None:
    """The glyphs do not spell ``text``: give each its cluster's span of the text, which
    the text object writes as ``/ActualText`` (``text.textobject``).

    One span per cluster, not per run: right-to-left glyphs are drawn in display order and
    readers (poppler) put the letters of a span left to right, then reorder the line. A
    right-to-left cluster of several characters (lam-alef) keeps its glyph's own code, a
    presentation form that NFKC unfolds in reading order; as a span, poppler would reverse it.
    """
    starts = sorted({sd.cluster for sd in data})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    for sd in data:
        if rtl and ends[sd.cluster] - sd.cluster > 1:
            continue
        # ShapeData is a namedtuple subclass without __slots__: it takes an attribute
        sd.actual = (text, sd.cluster, ends[sd.cluster])


def _shaped_width(shaped: ShapedStr, font_size: float) -> float:
    return float(sum(sd.x_advance for sd in shaped.__shapeData__)) * font_size / 1000


def shape_word(word: FragWord) -> FragWord:
    if isinstance(word, ShapedFragWord):
        return word
    width = 0.0
    pieces: list[tuple[Frag, Any]] = []
    for frag, text in word[1:]:
        if text and is_text(frag):
            level = getattr(frag, "_bidiLevel", None)
            shaped = shape_run(
                frag.fontName, frag.fontSize, text, None if level is None else bool(level & 1)
            )
            width += _shaped_width(shaped, frag.fontSize)
            pieces.append((frag, shaped))
        else:
            if hasattr(frag, "cbDefn"):
                width += float(getattr(frag.cbDefn, "width", 0) or 0)
            pieces.append((frag, text))
    return makeShapedFragWord(word)([width, *pieces])


def _units(frag: Frag, shaped: Any) -> list[tuple[Frag, Any, float]]:
    """Cut one shaped piece into glyph clusters, in logical order."""
    if not isinstance(shaped, ShapedStr) or len(shaped) < 2:
        return [(frag, shaped, _piece_width(frag, shaped))]
    data = shaped.__shapeData__
    units: list[tuple[Frag, Any, float]] = []
    start = 0
    for i in range(1, len(shaped) + 1):
        if i == len(shaped) or data[i].cluster != data[start].cluster:
            part = shaped[start:i]
            units.append((frag, part, _shaped_width(part, frag.fontSize)))
            start = i
    # The frag's bidi level, not the string: slices of a shaped run lose their attributes.
    rtl = bool(getattr(frag, "_bidiLevel", 0) & 1)
    if rtl:
        units.reverse()
    source = getattr(shaped, "_source", None)
    if source:
        units = _keep_punctuation_attached(units, source, rtl)
    return units


def _keep_punctuation_attached(
    units: list[tuple[Frag, Any, float]], source: str, rtl: bool
) -> list[tuple[Frag, Any, float]]:
    """Closing punctuation stays on the line of what precedes it, opening with what follows."""
    merged: list[tuple[Frag, Any, float]] = []
    carry: tuple[Frag, Any, float] | None = None
    for unit in units:
        cluster = unit[1].__shapeData__[0].cluster
        first = source[cluster] if cluster < len(source) else ""
        category = unicodedata.category(first) if first else ""
        if carry is not None:
            unit = _join_units(carry, unit, rtl)
            carry = None
        if category in ("Pe", "Pf", "Po") and merged:
            merged[-1] = _join_units(merged[-1], unit, rtl)
        elif category in ("Ps", "Pi"):
            carry = unit
        else:
            merged.append(unit)
    if carry is not None:
        merged.append(carry)
    return merged


def _join_units(
    a: tuple[Frag, Any, float], b: tuple[Frag, Any, float], rtl: bool
) -> tuple[Frag, Any, float]:
    return (a[0], (b[1] + a[1]) if rtl else (a[1] + b[1]), a[2] + b[2])


def _piece_width(frag: Frag, text: Any) -> float:
    if isinstance(text, ShapedStr):
        return _shaped_width(text, frag.fontSize)
    if text and is_text(frag):
        return float(pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize))
    return 0.0


def split_long_words(words: list[FragWord], limit: float) -> list[FragWord]:
    if all(w[0] <= limit for w in words):
        return words
    out: list[FragWord] = []
    for word in words:
        if word[0] <= limit or not isinstance(word, ShapedFragWord) or len(word) < 2:
            out.append(word)
            continue
        units = [u for frag, text in word[1:] for u in _units(frag, text)]
        if len(units) < 2:
            out.append(word)
            continue
        for unit in units[:-1]:
            out.append(ShapedFragWord([unit[2], (unit[0], unit[1])]))
        last = units[-1]
        out.append(makeShapedFragWord(word)([last[2], (last[0], last[1])]))
    return out
