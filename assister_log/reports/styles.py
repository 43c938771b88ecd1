"""Colours, the shared paragraph styles, and how a table cell value becomes a paragraph.

A cell value given as ``str`` is user (or plain) text and is escaped here; a value given as
:class:`Markup` was composed by a renderer from escaped pieces; a Flowable is used as is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from assister_log.reports import fonts
from assister_log.reports.text import TextParagraph, para, paragraph, styles

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
ACCENT = colors.HexColor("#1F3A5F")
GRID = colors.HexColor("#C5CCD6")
RULE = colors.HexColor("#8A96A6")
LABEL_BG = colors.HexColor("#F1F3F6")
HEADER_BG = colors.HexColor("#E3E8EF")
MISSING_BG = colors.HexColor("#FBE9EA")
MISSING_INK = colors.HexColor("#A3151F")
DEVIATION_BG = colors.HexColor("#FFF4DC")
DEVIATION_INK = colors.HexColor("#7A4B00")
DONE_INK = colors.HexColor("#1E5E3A")
NOTE_BG = colors.HexColor("#F4F6F9")
ALERT_BG = colors.HexColor("#FFF1D6")
ALERT_LINE = colors.HexColor("#C98A00")

LABEL_WIDTH = 1.65 * inch
NOT_RECORDED = "not recorded"


class Markup(str):
    """Paragraph markup composed by a renderer; any user text inside went through para()."""

    __slots__ = ()


Cell: TypeAlias = "str | Markup | Flowable | list[Flowable] | None"


@lru_cache(maxsize=1)
def st() -> dict[str, ParagraphStyle]:
    """The shared styles (built once per process; styles are never mutated)."""
    base = styles()
    body = base["body"]
    extra = {
        "title": ParagraphStyle(
            "title",
            parent=base["heading1"],
            fontSize=19,
            leading=23,
            spaceBefore=0,
            spaceAfter=2,
            textColor=ACCENT,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=9.5,
            leading=12.5,
            textColor=MUTED,
            spaceAfter=1,
        ),
        "section": ParagraphStyle(
            "section",
            parent=base["heading2"],
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            spaceAfter=2,
            textColor=ACCENT,
        ),
        "subsection": ParagraphStyle(
            "subsection",
            parent=base["heading3"],
            fontSize=10.5,
            leading=13.5,
            spaceBefore=8,
            spaceAfter=3,
            textColor=INK,
        ),
        "cellbold": ParagraphStyle("cellbold", parent=base["cell"], fontName=fonts.BOLD),
        "cellsmall": ParagraphStyle(
            "cellsmall", parent=base["cell"], fontSize=7.5, leading=9.5, textColor=MUTED
        ),
        "header": ParagraphStyle(
            "header", parent=base["label"], fontSize=8, leading=10, textColor=INK
        ),
        "note": ParagraphStyle(
            "note", parent=body, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=3
        ),
        # a note that introduces what follows: never left alone at the foot of a page
        "intro": ParagraphStyle(
            "intro",
            parent=body,
            fontSize=8,
            leading=10.5,
            textColor=MUTED,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "policy": ParagraphStyle(
            "policy",
            parent=body,
            fontName=fonts.ITALIC,
            fontSize=9,
            leading=12,
            textColor=INK,
            spaceAfter=0,
        ),
        "quote": ParagraphStyle(
            "quote", parent=body, fontSize=10.5, leading=14, spaceAfter=0, textColor=INK
        ),
        "hash": ParagraphStyle(
            "hash", parent=base["mono"], fontSize=7, leading=9, splitLongWords=1
        ),
        "narrative": ParagraphStyle("narrative", parent=body, spaceAfter=6),
    }
    return {**base, **extra}


def p(text: str, style: str = "body") -> TextParagraph:
    """A paragraph of plain or user text (always escaped)."""
    return paragraph(text, st()[style])


def m(markup: str, style: str = "body") -> TextParagraph:
    """A paragraph of renderer-composed markup (user text inside must come from para())."""
    return TextParagraph(markup, st()[style])


def muted(text: str) -> Markup:
    return Markup(f'<font color="#52606D">{para(text)}</font>')


def cell(value: Cell, style: str = "cell") -> Flowable | list[Flowable]:
    if isinstance(value, (Flowable, list)):
        return value
    if isinstance(value, Markup):
        return m(value, style)
    if not value:
        return m(muted(NOT_RECORDED), style)
    return p(value, style)


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"
