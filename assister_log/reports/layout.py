"""Story, headings, boxes and tables: how the documents lay out on the page.

* Every table starts from :func:`text.table_style` (reportlab's Table would put a
  non-embedded Helvetica into the PDF), repeats its header row and may split inside a row, so
  a long note cannot make a row taller than a page.
* Section headings keep with what follows (``keepWithNext`` plus a conditional page break),
  so no heading is left alone at the foot of a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

# reportlab's own measure of a list of flowables (frame spacing, indenters, generated
# content), which its KeepTogether uses; no public equivalent. Checked against reportlab 5.1.
from reportlab.platypus.flowables import _listWrapOn

from assister_log.reports.page import FRAME_HEIGHT, FRAME_WIDTH
from assister_log.reports.styles import (
    ALERT_BG,
    ALERT_LINE,
    GRID,
    HEADER_BG,
    LABEL_BG,
    LABEL_WIDTH,
    NOTE_BG,
    RULE,
    Cell,
    Markup,
    cell,
    p,
    st,
)
from assister_log.reports.text import TextParagraph, paragraph, table_style


class Story:
    """A document's flowables, with numbered section headings that never end a page."""

    def __init__(self) -> None:
        self.items: list[Flowable] = []
        self._number = 0

    def add(self, *flowables: Flowable | None) -> None:
        self.items.extend(f for f in flowables if f is not None)

    def extend(self, flowables: Iterable[Flowable]) -> None:
        self.items.extend(flowables)

    def section(self, title: str, *, numbered: bool = True, room: float = 1.1 * inch) -> None:
        """A section heading; at least ``room`` points of the page must follow it."""
        if numbered:
            self._number += 1
            title = f"{self._number}. {title}"
        self.items.append(CondPageBreak(room))
        self.items.extend(heading(title))

    def subsection(self, title: str | Markup) -> None:
        self.items.append(CondPageBreak(0.9 * inch))
        style = st()["subsection"]
        self.items.append(
            TextParagraph(title, style) if isinstance(title, Markup) else paragraph(title, style)
        )


class _Rule(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A hairline under a section heading that stays with the heading."""

    def __init__(self, color: Any = RULE, thickness: float = 0.6, space: float = 5) -> None:
        super().__init__()
        self.color = color
        self.thickness = thickness
        self.space = space
        self.keepWithNext = 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.thickness + self.space

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        y = self.space
        self.canv.line(0, y, self.width, y)
        self.canv.restoreState()


class KeepWithFirstPart(KeepTogether):  # type: ignore[misc]  # reportlab is untyped
    """What keep-with-next chains become (``doc.keepTogetherClass``).

    reportlab moves a whole chain to the next page when it does not fit, even when its last
    flowable is a 10-page table, leaving most of a page blank. Here a short chain (at most
    half a page) still moves whole, but a long one starts where it is: the heading and notes
    stay with the first part of what follows (at least :attr:`MIN_FIRST` points of it).
    """

    MIN_FIRST = 48

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        content = self._content
        if len(content) > 1 and getattr(self, "_H", 0) > 0.5 * FRAME_HEIGHT:
            heads, last = content[:-1], content[-1]
            _, used = _listWrapOn(heads, availWidth, self.canv)
            # a margin for the spacing the frame adds between flowables
            room = availHeight - used - _space_before(last) - 14
            if room > self.MIN_FIRST:
                last.wrapOn(self.canv, availWidth, room)
                parts = last.splitOn(self.canv, availWidth, room)
                if len(parts) > 1:
                    _, first = parts[0].wrapOn(self.canv, availWidth, room)
                    if self.MIN_FIRST <= first <= room:
                        return [*heads, *parts]
        return list(super().split(availWidth, availHeight))


def _space_before(flowable: Flowable) -> float:
    try:
        return float(flowable.getSpaceBefore())
    except Exception:
        return 0.0


def together(flowables: Sequence[Flowable]) -> list[Flowable]:
    """Keep ``flowables`` on one page when they fit (each keeps with the next).

    Preferred to a nested KeepTogether, which reports an infinite height and so breaks the
    keep-with-next chain of a heading placed before it.
    """
    items = list(flowables)
    for item in items[:-1]:
        item.keepWithNext = 1
    return items


def heading(title: str) -> list[Flowable]:
    """Heading text and its rule; both keep with the next flowable."""
    return [paragraph(title, st()["section"]), _Rule()]


def title_block(title: str, subtitle_lines: Sequence[str]) -> list[Flowable]:
    out: list[Flowable] = [p(title, "title")]
    out += [p(line, "subtitle") for line in subtitle_lines]
    out.append(Spacer(1, 6))
    return out


class SplitTable(Table):  # type: ignore[misc]  # reportlab is untyped
    """A Table that splits between rows, and inside a row only when it must.

    Near the foot of a page (less than 40% of a page left) a row that does not fit moves to
    the next page whole; with more room, or for a row taller than a page, the row is split,
    leaving at least :attr:`IN_ROW_MIN` points on each side (no slivers of a box).
    """

    IN_ROW_MIN = 36

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["splitInRow"] = self.IN_ROW_MIN
        super().__init__(*args, **kwargs)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if availHeight >= 0.4 * FRAME_HEIGHT:
            parts = list(super().split(availWidth, availHeight))
            if parts or getattr(self, "_height", 0) <= availHeight:
                return parts
            # reportlab refuses an in-row split that would leave less than splitInRow below
            # it: a row a few points taller than the page could then never be placed (a
            # 6,300-character quote). Split higher up, so that both parts keep IN_ROW_MIN.
            return list(super().split(availWidth, availHeight - self.IN_ROW_MIN))
        self.splitInRow = 0
        try:
            parts = list(super().split(availWidth, availHeight))
        finally:
            self.splitInRow = self.IN_ROW_MIN
        for part in parts:
            if isinstance(part, Table):
                part.splitInRow = self.IN_ROW_MIN
        return parts


def boxed(
    flowables: Sequence[Flowable],
    *,
    background: Any = NOTE_BG,
    line: Any = RULE,
    width: float = FRAME_WIDTH,
    padding: float = 7,
    bar: bool = False,
) -> Table:
    """Flowables in a light box (``bar``: a strong line on the left only)."""
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("LEFTPADDING", (0, 0), (-1, -1), padding + (2 if bar else 0)),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding - 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding - 1),
    ]
    if bar:
        commands.append(("LINEBEFORE", (0, 0), (0, -1), 2.5, line))
    else:
        commands.append(("BOX", (0, 0), (-1, -1), 0.6, line))
    return SplitTable([[list(flowables)]], colWidths=[width], style=table_style(*commands))


def alert(flowables: Sequence[Flowable], width: float = FRAME_WIDTH) -> Table:
    return boxed(flowables, background=ALERT_BG, line=ALERT_LINE, width=width, bar=True)


def kv_table(
    rows: Sequence[tuple[str, Cell]],
    *,
    width: float = FRAME_WIDTH,
    label_width: float = LABEL_WIDTH,
) -> Table:
    """Label/value rows: labels in a shaded column of the same width everywhere."""
    data = [[p(label, "label"), cell(value)] for label, value in rows]
    style = table_style(
        ("GRID", (0, 0), (-1, -1), 0.35, GRID),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (0, -1), 4.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    )
    return SplitTable(
        data, colWidths=[label_width, width - label_width], style=style, hAlign="LEFT"
    )


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table with a shaded header row that repeats on every page it spans."""
    data: list[list[Any]] = [[p(h, "header") for h in header]]
    data += [[cell(v) for v in row] for row in rows]
    style = table_style(
        ("GRID", (0, 0), (-1, -1), 0.35, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *extra,
    )
    return SplitTable(data, colWidths=list(widths), style=style, repeatRows=1, hAlign="LEFT")


def join_markup(parts: Iterable[str], sep: str = "<br/>") -> Markup:
    return Markup(sep.join(part for part in parts if part))


def split_widths(total: float, *fractions: float) -> list[float]:
    widths = [total * f for f in fractions]
    widths.append(total - sum(widths))
    return widths
