"""User text to reportlab Paragraphs that print in every script MNsure serves.

Two steps, because Paragraph markup alone cannot do it:

1. :func:`para` makes user text safe markup: NFC, controls and invisible format characters
   removed, XML-escaped, newlines as ``<br/>``. It does *not* pick fonts: reportlab's
   ``<font name=...>`` resets bold/italic, so a run chosen there would print regular inside a
   bold heading.
2. :class:`TextParagraph` (a Paragraph) does the rest after the markup is parsed, so it also
   works for labels and values composed by renderers (``f"<b>Name:</b> {para(name)}"``):

   * font fallback, cluster by cluster (a base and its combining marks stay together), keeping
     each fragment's bold/italic: NotoSans -> Arabic -> Ethiopic -> Myanmar -> Khmer -> Lao ->
     WenQuanYi (Han) / NanumGothic (Hangul); a character no bundled face has prints as
     ``[U+XXXX]`` instead of a missing-glyph box;
   * bidi levels per paragraph from python-bidi (Unicode Bidirectional Algorithm);
   * shaping with HarfBuzz run by run: one font and one direction per run. reportlab's own
     shaper shapes a whole word with its first font, so ``abc(مرحبا)`` would come out as
     ``.notdef`` glyphs, and it guesses direction, which reverses Arabic-Indic digits;
   * line breaking in *logical* order by reportlab, then each line is reordered visually
     (UBA rule L2). Reordering a whole paragraph before breaking would put the first words
     of a wrapped Arabic paragraph on its last line;
   * runs wider than a line (Chinese, Burmese, Khmer, Lao have no spaces; long hashes) are cut
     at grapheme/syllable boundaries, never inside a cluster.

Usage::

    st = styles()
    story = [
        TextParagraph("Interaction termination record", st["heading1"]),
        TextParagraph(f"<b>Consumer:</b> {para(party_name)}", st["body"]),
        paragraph(quote, "body"),                       # same as TextParagraph(para(quote), ...)
        Table(rows, style=table_style(("GRID", (0, 0), (-1, -1), 0.3, colors.grey))),
    ]

Tables must start from :func:`table_style`: reportlab's Table sets Helvetica on every cell.

Normalisation is NFC, not the NFKC that STYLE.md suggests: NFKC rewrites what people wrote
(full-width letters, ligatures, superscripts, Arabic presentation forms) and a verbatim quote
must print as entered. Passphrases are NFKC-normalised elsewhere; printed text is not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

import uharfbuzz
from bidi import get_display
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import (
    ShapeData,
    ShapedFragWord,
    ShapedStr,
    _sdSimple,
    makeShapedFragWord,
)
from reportlab.platypus import TableStyle
from reportlab.platypus.paragraph import (
    _FK_BREAK,
    Paragraph,
    ParaLines,
    _getFragWords,
    _HSFrag,
    _processed_frags,
)

from assister_log.reports import fonts

# reportlab's fragment objects (ParaFrag/ABag) and frag words are untyped.
Frag = Any
FragWord = Any

_KEEP_FORMAT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: they change how a word is shaped
_KEEP_SPACES = frozenset("\u00a0\u202f")  # no-break spaces keep their meaning
# Invisible characters that only select a variant: dropped when the chosen face lacks them.
_IGNORABLE = re.compile("[\u034f\u180b-\u180f\u200c\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Characters that may make a paragraph need reordering (R, AL and AN classes live here).
_MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


# --------------------------------------------------------------------------- user text


@lru_cache(maxsize=4096)
def _clean_char(ch: str) -> str:
    if ch == "\n":
        return ch
    if ch in "\t\x0b\x0c":
        return " "
    category = unicodedata.category(ch)
    if category in ("Zl", "Zp") or ch == "\x85":
        return "\n"
    if category == "Zs":
        # reportlab only breaks lines on a few space characters; widths are not worth it.
        return ch if ch in _KEEP_SPACES else " "
    if category in ("Cc", "Cs"):
        return ""
    if category == "Cf":
        # Bidi embeddings/overrides/isolates could make a name read reversed; soft hyphens,
        # BOMs, word joiners and the like print nothing useful.
        return ch if ch in _KEEP_FORMAT else ""
    cp = ord(ch)
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return ""  # noncharacters
    return ch


def clean_text(text: str) -> str:
    """NFC-normalised ``text`` with newlines unified and control/format characters removed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(_clean_char(ch) for ch in text)


def para(text: str, *, bold: bool = False) -> str:
    """Safe Paragraph markup for arbitrary user text (prints literally, e.g. ``<b>Ann & Bo</b>``).

    Render it with :class:`TextParagraph` (or :func:`paragraph`), which chooses fonts, shapes
    and orders right-to-left text; a plain reportlab Paragraph does none of that.
    """
    markup = escape(clean_text(text)).replace("\n", "<br/>")
    return f"<b>{markup}</b>" if bold and markup else markup


def is_rtl(text: str) -> bool:
    """True when the first strong character of ``text`` is right-to-left (UBA rules P2/P3)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


# --------------------------------------------------------------------------- styles


def styles() -> dict[str, ParagraphStyle]:
    """Fresh paragraph styles, all on the bundled fonts and all with ``shaping=1``.

    ``autoLeading="max"`` lets a line holding tall scripts (Myanmar, Khmer, stacked
    Vietnamese marks) grow instead of colliding with its neighbours.
    """
    fonts.register_fonts()
    common: dict[str, Any] = {
        "fontName": fonts.BODY,
        "bulletFontName": fonts.BODY,
        "shaping": 1,
        "autoLeading": "max",
        "hyphenationLang": "",
        "embeddedHyphenation": 0,
        "uriWasteReduce": 0,
        "textColor": colors.black,
    }
    body = ParagraphStyle("body", fontSize=10, leading=13, spaceAfter=4, **common)
    result = {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=2),
        "heading1": ParagraphStyle(
            "heading1",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=6,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "heading2": ParagraphStyle(
            "heading2",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=13,
            leading=16.5,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "heading3": ParagraphStyle(
            "heading3",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "label": ParagraphStyle(
            "label",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=8,
            leading=10.5,
            spaceAfter=0,
            textColor=colors.HexColor("#444444"),
        ),
        "mono": ParagraphStyle(
            "mono",
            parent=body,
            fontName=fonts.MONO,
            fontSize=8,
            leading=10.5,
            spaceAfter=0,
        ),
    }
    return result


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A TableStyle starting on the body face.

    reportlab's Table sets its cell font (Helvetica by default) even when every cell is a
    Paragraph, which puts a non-embedded Helvetica into the PDF: always start from this.
    """
    fonts.register_fonts()
    base: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    return TableStyle([*base, *commands])


# --------------------------------------------------------------------------- the flowable


class TextParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A Paragraph that prints any script: font fallback, bidi, shaping (see module doc).

    Same constructor as reportlab's Paragraph. Pass user text through :func:`para` first.
    A paragraph whose first strong character is right-to-left is right-aligned when its
    style says left (or justify).
    """

    frags: list[Any]
    style: Any
    # (wrap widths, lines) already broken for this paragraph by the split that made it
    _broken: tuple[list[float], list[Any]] | None = None

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle | None = None,
        bulletText: str | None = None,
        frags: list[Any] | None = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        fonts.register_fonts()
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._logical_text: str | None = None
        if self.frags and not _processed_frags(self.frags):
            self._logical_text = "".join(
                "\n" if getattr(f, "lineBreak", False) else f.text
                for f in self.frags
                if _is_text(f) or getattr(f, "lineBreak", False)
            )
            words, rtl_base = _prepare(self.frags)
            self.frags = words
            if rtl_base and self.style.alignment in (TA_LEFT, TA_JUSTIFY):
                self.style = ParagraphStyle(
                    f"{self.style.name}-rtl", parent=self.style, alignment=TA_RIGHT
                )
        self._bidi = _needs_reordering(self.frags)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """reportlab's split, plus: both parts keep the lines already broken.

        reportlab re-breaks both parts after every page break, which makes one long paragraph
        quadratic (a 73-page narrative took a minute, now 3.5 s). The lines are reused when a
        part is wrapped at the same width, as it is in the next frame of the same layout.
        """
        parts: list[Any] = super().split(availWidth, availHeight)
        if len(parts) == 2 and isinstance(parts[1], TextParagraph) and hasattr(self, "blPara"):
            lines = self.blPara.lines
            done = len(parts[0].blPara.lines)
            if self.blPara.kind == 1 and done < len(lines) and len(self._wrapWidths) == 2:
                later = self._wrapWidths[1]
                parts[0]._broken = (list(self._wrapWidths), lines[:done])
                offset = lines[done].sFW
                rest = [line.clone(sFW=line.sFW - offset) for line in lines[done:]]
                parts[1]._broken = ([later, later], rest)
        return parts

    def breakLines(self, width: Any) -> Any:
        widths: list[float] = list(width) if isinstance(width, (list, tuple)) else [width]
        broken = getattr(self, "_broken", None)
        if broken is not None and _same_widths(widths, broken[0]):
            return ParaLines(kind=1, lines=broken[1])
        self._broken = None  # the frags change below; those lines would no longer match them
        if self.frags and _processed_frags(self.frags):
            self.frags = _split_long_words(self.frags, min(widths))
        lines = super().breakLines(width)
        if self._bidi and lines.kind == 1:
            _reorder_lines(lines.lines, self.frags)
        return lines

    def getPlainText(self, identify: Any = None) -> str:
        if self._logical_text is not None:
            return self._logical_text
        return str(super().getPlainText(identify))


def _same_widths(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-6 for x, y in zip(a, b, strict=True))


def paragraph(
    text: str, style: ParagraphStyle | str = "body", *, bold: bool = False
) -> TextParagraph:
    """A :class:`TextParagraph` of user ``text`` in ``style`` (a style or a key of styles())."""
    if isinstance(style, str):
        style = _cached_styles()[style]
    return TextParagraph(para(text, bold=bold), style)


@lru_cache(maxsize=1)
def _cached_styles() -> dict[str, ParagraphStyle]:
    return styles()


# --------------------------------------------------------------------------- preparation


def _is_text(frag: Frag) -> bool:
    return (
        hasattr(frag, "text")
        and not hasattr(frag, "cbDefn")
        and not getattr(frag, "lineBreak", False)
    )


def _prepare(frags: list[Frag]) -> tuple[list[FragWord], bool]:
    """Parsed fragments -> shaped frag words (reportlab's 'processed frags')."""
    frags = _apply_fallback(frags)
    rtl_base = False
    if any(_is_text(f) and _MAYBE_RTL.search(f.text) for f in frags):
        frags, rtl_base = _annotate_levels(frags)
    return [_shape_word(w) for w in _getFragWords(frags)], rtl_base


# -- font fallback


def _clusters(text: str) -> Iterator[str]:
    """A base character with the marks and joiners that follow it."""
    start = 0
    for i in range(1, len(text)):
        ch = text[i]
        if ch in _KEEP_FORMAT or unicodedata.category(ch) in ("Mn", "Mc", "Me"):
            continue
        yield text[start:i]
        start = i
    if text:
        yield text[start:]


@lru_cache(maxsize=1)
def _family_names() -> dict[str, str]:
    return {face.name.lower(): face.name for face in fonts.FACES}


def _family(font_name: str) -> tuple[str | None, int, int]:
    """(bundled family or None, bold, italic) of a registered font name."""
    try:
        family, bold, italic = ps2tt(font_name)
    except ValueError:
        return None, 0, 0
    return _family_names().get(family), bold, italic


@lru_cache(maxsize=256)
def _variant(family: str, bold: int, italic: int) -> str:
    return str(tt2ps(family, bold, italic))


def _is_neutral(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PSZN" and unicodedata.bidirectional(ch) not in (
        "L",
        "R",
        "AL",
    )


Runs = tuple[tuple[str, str], ...]  # (face, text) pairs
_GENERAL = frozenset((fonts.BODY, fonts.MONO))


@lru_cache(maxsize=16384)
def _cluster_runs(cluster: str, own: str | None, previous: str | None) -> Runs:
    """How to print one cluster; ``own`` is the fragment's family, ``previous`` the face of
    the cluster before it. Usually one (face, text) pair; characters no face can draw with
    the cluster's base become ``[U+XXXX]`` in the body face."""
    needed = _IGNORABLE.sub("", cluster) or cluster
    candidates: list[str] = []
    if previous is not None and _is_neutral(cluster[0]):
        candidates.append(previous)  # punctuation and spaces stay with the run they are in
    if own is not None and (own not in _GENERAL or fonts.covering_font(cluster[0]) == fonts.BODY):
        # The style's face, unless it is a general one (body, mono) and the cluster belongs
        # to a script that has its own face: DejaVu Sans Mono has Arabic, but no joining.
        candidates.append(own)
    candidates += _faces_for_char(cluster[0])
    for face in candidates:
        if all(fonts.covers(face, ch) for ch in needed):
            return ((face, _drop_uncovered_ignorables(cluster, face)),)
    base_face = fonts.covering_font(cluster[0])
    runs: list[tuple[str, str]] = []
    for ch in cluster:
        if base_face is not None and fonts.covers(base_face, ch):
            face, shown = base_face, ch
        elif _IGNORABLE.match(ch):
            continue
        else:
            face, shown = fonts.BODY, _stand_in(ch)
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + shown)
        else:
            runs.append((face, shown))
    return tuple(runs)


def _faces_for_char(ch: str) -> list[str]:
    first = fonts.covering_font(ch)
    if first is None:
        return []
    order = list(fonts.FALLBACK_ORDER)
    return [first] + [f for f in order if f != first and fonts.covers(f, ch)]


def _stand_in(ch: str) -> str:
    return f"[U+{ord(ch):04X}]"


def _drop_uncovered_ignorables(cluster: str, face: str) -> str:
    if not _IGNORABLE.search(cluster):
        return cluster
    return "".join(ch for ch in cluster if fonts.covers(face, ch) or not _IGNORABLE.match(ch))


def _apply_fallback(frags: list[Frag]) -> list[Frag]:
    out: list[Frag] = []
    for frag in frags:
        if not _is_text(frag) or not frag.text:
            out.append(frag)
            continue
        own, bold, italic = _family(frag.fontName)
        text = frag.text
        if (
            own is not None
            and fonts.covers_all(own, text)
            and (own not in _GENERAL or fonts.covers_all(fonts.BODY, text))
        ):
            out.append(frag)
            continue
        runs: list[list[str]] = []  # [face, text]
        previous: str | None = None
        for cluster in _clusters(text):
            for face, shown in _cluster_runs(cluster, own, previous):
                if runs and runs[-1][0] == face:
                    runs[-1][1] += shown
                else:
                    runs.append([face, shown])
                previous = face
        for face, shown in runs:
            if shown:
                out.append(frag.clone(text=shown, fontName=_variant(face, bold, italic)))
    return out


# -- bidi levels

_LEVELS_BLOCK = re.compile(r"^    levels: \[\n(.*?)^    \],$", re.M | re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Resolved UBA embedding level of each character of one paragraph (no newlines).

    python-bidi 0.6 returns its calculated levels (per UTF-8 byte) when asked with
    ``debug=True``; we read the first byte of each character.
    """
    if not text:
        return []
    dump = get_display(text, base_dir="R" if rtl else "L", debug=True)
    match = _LEVELS_BLOCK.search(str(dump))
    per_byte = [int(v) for v in _LEVEL.findall(match.group(1))] if match else []
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi did not return one level per byte")
    levels = []
    offset = 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels


# Whitespace runs and the text between them; a no-break space is not a break (as in reportlab).
_TOKENS = re.compile(r"[^\S\xa0]+|(?:[^\s]|\xa0)+")


def _uba_paragraphs(frags: list[Frag]) -> Iterator[tuple[list[Frag], Frag | None]]:
    group: list[Frag] = []
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            yield group, frag
            group = []
        else:
            group.append(frag)
    yield group, None


def _annotate_levels(frags: list[Frag]) -> tuple[list[Frag], bool]:
    """Split fragments where the bidi level or whitespace changes; tag each with its level."""
    out: list[Frag] = []
    rtl_base: bool | None = None
    for group, line_break in _uba_paragraphs(frags):
        texts = [f.text if _is_text(f) else "\ufffc" for f in group]
        joined = "".join(texts)
        rtl = is_rtl(joined)
        if rtl_base is None and any(unicodedata.bidirectional(c) in "LRAL" for c in joined):
            rtl_base = rtl
        base = 1 if rtl else 0
        levels = bidi_levels(joined, rtl)
        pos = 0
        for frag, text in zip(group, texts, strict=True):
            if not _is_text(frag):
                frag._bidiLevel = levels[pos]
                frag._bidiBase = base
                out.append(frag)
                pos += 1
                continue
            for token in _TOKENS.finditer(text):
                a, b = token.span()
                here = levels[pos + a : pos + b]
                if min(here) == max(here):
                    out.append(frag.clone(text=token.group(), _bidiLevel=here[0], _bidiBase=base))
                    continue
                start = a
                for i in range(a + 1, b + 1):
                    if i == b or levels[pos + i] != levels[pos + start]:
                        out.append(
                            frag.clone(
                                text=text[start:i], _bidiLevel=levels[pos + start], _bidiBase=base
                            )
                        )
                        start = i
            pos += len(text)
        if line_break is not None:
            out.append(line_break)
    return out, bool(rtl_base)


def _level(frag: Frag) -> int:
    return int(getattr(frag, "_bidiLevel", getattr(frag, "_bidiBase", 0)))


def _needs_reordering(words: list[FragWord]) -> bool:
    if not words or not _processed_frags(words):
        return False
    return any(_level(f) > 0 for w in words for f, _ in w[1:])


# -- shaping

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
    uharfbuzz.shape(hb_font, buf, {})
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
    shaped = ShapedStr("".join(chars), shapeData=data)
    shaped._source = text  # for line breaking; slices of the string do not keep it
    return shaped


def _shaped_width(shaped: ShapedStr, font_size: float) -> float:
    return float(sum(sd.x_advance for sd in shaped.__shapeData__)) * font_size / 1000


def _shape_word(word: FragWord) -> FragWord:
    if isinstance(word, ShapedFragWord):
        return word
    width = 0.0
    pieces: list[tuple[Frag, Any]] = []
    for frag, text in word[1:]:
        if text and _is_text(frag):
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


# -- long runs


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
    if text and _is_text(frag):
        return float(pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize))
    return 0.0


def _split_long_words(words: list[FragWord], limit: float) -> list[FragWord]:
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


# -- visual order per line


def visual_order(levels: list[int]) -> list[int]:
    """UBA rule L2: indices of the items in display order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(levels) if min(levels) % 2 else min(levels) + 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def _reorder_lines(lines: list[Any], words: list[FragWord]) -> None:
    starts = [line.sFW for line in lines] + [len(words)]
    for i, line in enumerate(lines):
        line.words = _visual_line(line.words, words[starts[i] : starts[i + 1]])


_SAME_FRAG = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def _style_key(frag: Frag) -> tuple[Any, ...]:
    """What reportlab's sameFrag compares: fragments with equal keys can share one run."""
    values = frag.__dict__
    return tuple(values.get(k) for k in _SAME_FRAG)


def _join_shaped(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    if not any(isinstance(p, ShapedStr) for p in parts):
        return "".join(parts)
    data: list[Any] = []
    for p in parts:
        data.extend(p.__shapeData__ if isinstance(p, ShapedStr) else [_sdSimple] * len(p))
    return ShapedStr("".join(parts), shapeData=data)


def _visual_line(old: list[Frag], words: list[FragWord]) -> list[Frag]:
    atoms: list[tuple[Frag, Any, int]] = []
    for word in words:
        pieces = word[1:]
        if not pieces or getattr(pieces[0][0], "_fkind", None) == _FK_BREAK:
            continue
        for frag, text in pieces:
            if text or hasattr(frag, "cbDefn"):
                atoms.append((frag, text, _level(frag)))
        if isinstance(word, _HSFrag):
            frag = pieces[-1][0]
            atoms.append((frag, " ", _level(frag)))
    while atoms and atoms[-1][1] == " ":  # rule L1: trailing whitespace is not shown
        atoms.pop()
    out: list[Frag] = []
    texts: list[list[Any]] = []  # the pieces of each out frag, joined once at the end
    key: tuple[Any, ...] | None = None
    for index in visual_order([a[2] for a in atoms]):
        frag, text, _ = atoms[index]
        if hasattr(frag, "cbDefn"):
            out.append(frag.clone())
            texts.append([])
            key = None
            continue
        frag_key = _style_key(frag)
        if frag_key == key:
            texts[-1].append(text)
        else:
            out.append(frag.clone())
            texts.append([text])
            key = frag_key
    for frag, parts in zip(out, texts, strict=True):
        if parts:
            frag.text = _join_shaped(parts)
    if old and getattr(old[-1], "_fkind", None) == _FK_BREAK:
        out.append(old[-1])
    return out
