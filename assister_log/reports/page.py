"""The page: Letter size, margins, and the furniture every page of every document carries.

:func:`numbered_canvas` makes a Canvas class for ``doc.build(story, canvasmaker=...)`` that
prints the document title and record id at the top, the private-data notice and
"Page X of Y" at the bottom, and a light diagonal DRAFT on every page of a draft.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from assister_log import APP_NAME
from assister_log.reports import fonts

PRIVATE_DATA_NOTICE = (
    "Private data under the Minnesota Government Data Practices Act (Minn. Stat. ch. 13). "
    "Keep it encrypted; share only as the law allows."
)

# Space the furniture needs: give the document template at least these margins.
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 22 * mm
SIDE_MARGIN = 18 * mm

PAGE_SIZE = letter
FRAME_WIDTH = PAGE_SIZE[0] - 2 * SIDE_MARGIN
FRAME_HEIGHT = PAGE_SIZE[1] - TOP_MARGIN - BOTTOM_MARGIN


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Buffers pages so each can say "Page X of Y" once Y is known.

    Configure through :func:`numbered_canvas`; the class attributes are its settings.
    """

    record_id: str = ""
    heading: str = APP_NAME
    draft: bool = False
    footer_text: str = PRIVATE_DATA_NOTICE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fonts.register_fonts()
        # Without this the canvas starts in Helvetica, which pdffonts lists as not embedded.
        if kwargs.get("initialFontName") is None:
            kwargs["initialFontName"] = fonts.BODY
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_furniture(number, total)
            super().showPage()
        super().save()

    def draw_furniture(self, number: int, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        if self.draft:
            self._draw_draft_mark(width, height)
        self.setFillColor(colors.HexColor("#333333"))
        self.setStrokeColor(colors.HexColor("#999999"))
        self.setLineWidth(0.4)
        top = height - 12 * mm
        self.setFont(fonts.BOLD, 8.5)
        self.drawString(SIDE_MARGIN, top, _printable(self.heading))
        if self.record_id:
            self.setFont(fonts.MONO, 8.5)
            self.drawRightString(width - SIDE_MARGIN, top, f"Record {_printable(self.record_id)}")
        self.line(SIDE_MARGIN, top - 2.5 * mm, width - SIDE_MARGIN, top - 2.5 * mm)
        bottom = 12 * mm
        self.line(SIDE_MARGIN, bottom + 4 * mm, width - SIDE_MARGIN, bottom + 4 * mm)
        self.setFont(fonts.BODY, 7)
        page = f"Page {number} of {total}"
        page_width = self.stringWidth(page, fonts.BODY, 8)
        self._draw_fitted(
            self.footer_text, SIDE_MARGIN, bottom, width - 2 * SIDE_MARGIN - page_width - 6 * mm
        )
        self.setFont(fonts.BODY, 8)
        self.drawRightString(width - SIDE_MARGIN, bottom, page)
        if self.draft:
            self.setFont(fonts.BOLD, 8)
            self.setFillColor(colors.HexColor("#B00020"))
            self.drawCentredString(width / 2, top, "DRAFT")
        self.restoreState()

    def _draw_fitted(self, text: str, x: float, y: float, room: float) -> None:
        """The footer notice on one line, or two if the page is narrow."""
        text = _printable(text)
        if self.stringWidth(text, fonts.BODY, 7) <= room:
            self.drawString(x, y, text)
            return
        words = text.split()
        first: list[str] = []
        while words and self.stringWidth(" ".join([*first, words[0]]), fonts.BODY, 7) <= room:
            first.append(words.pop(0))
        self.drawString(x, y + 4, " ".join(first))
        self.drawString(x, y - 4, " ".join(words))

    def _draw_draft_mark(self, width: float, height: float) -> None:
        self.saveState()
        self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
        self.setFont(fonts.BOLD, 110)
        self.translate(width / 2, height / 2)
        self.rotate(45)
        self.drawCentredString(0, -38, "DRAFT")
        self.restoreState()


def numbered_canvas(
    record_id: str,
    *,
    draft: bool,
    heading: str = APP_NAME,
    footer_text: str = PRIVATE_DATA_NOTICE,
) -> type[NumberedCanvas]:
    """A canvas class for ``doc.build(story, canvasmaker=numbered_canvas(...))``.

    ``record_id`` and ``heading`` print on every page; keep them to identifiers and the kind
    of document (no names), since a printed page may travel alone.
    """
    return type(
        "RecordCanvas",
        (NumberedCanvas,),
        {
            "record_id": record_id,
            "draft": draft,
            "heading": heading,
            "footer_text": footer_text,
        },
    )


def _printable(text: str) -> str:
    """Text the canvas can draw without shaping: NFC, covered by NotoSans, one line."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return "".join(ch if fonts.covers(fonts.BODY, ch) else "?" for ch in text)
