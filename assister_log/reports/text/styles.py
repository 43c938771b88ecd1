"""The base paragraph styles (bundled fonts, ``shaping=1``) and the table style every table
starts from."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from assister_log.reports import fonts


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


@lru_cache(maxsize=1)
def cached_styles() -> dict[str, ParagraphStyle]:
    return styles()
