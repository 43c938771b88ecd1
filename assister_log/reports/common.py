"""Building blocks the three documents share: styles, sections, tables, times, evidence, seal.

Rules every block follows:

* User text becomes Paragraph markup only through :func:`text.para` / :func:`text.paragraph`.
  A cell value given as ``str`` is user (or plain) text and is escaped here; a value given as
  :class:`Markup` was composed by a renderer from escaped pieces; a Flowable is used as is.
* Every table starts from :func:`text.table_style` (reportlab's Table would put a
  non-embedded Helvetica into the PDF), repeats its header row and may split inside a row, so
  a long note cannot make a row taller than a page.
* Times print in the local time of the place the interaction happened, always with the UTC
  offset, so a page read years later in another time zone is unambiguous.
* Section headings keep with what follows (``keepWithNext`` plus a conditional page break),
  so no heading is left alone at the foot of a page.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, TypeAlias

from reportlab.graphics.barcode import qr
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfdoc, pdfutils
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import _listWrapOn

from assister_log.domain.model import (
    Attachment,
    EventKind,
    Ground,
    GroundKind,
    Incident,
    Quote,
    QuoteKind,
    Seal,
    TimelineEvent,
)
from assister_log.policy import wording
from assister_log.policy.checks import StepResult, StepState
from assister_log.policy.rules import Level
from assister_log.reports import fonts
from assister_log.reports.base import ReportInput
from assister_log.reports.canvas import (
    BOTTOM_MARGIN,
    SIDE_MARGIN,
    TOP_MARGIN,
    apply_metadata,
    encrypt_option,
    numbered_canvas,
)
from assister_log.reports.text import TextParagraph, para, paragraph, styles, table_style

PAGE_SIZE = letter
FRAME_WIDTH = PAGE_SIZE[0] - 2 * SIDE_MARGIN
FRAME_HEIGHT = PAGE_SIZE[1] - TOP_MARGIN - BOTTOM_MARGIN
LABEL_WIDTH = 1.65 * inch

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

NOT_RECORDED = "not recorded"


class Markup(str):
    """Paragraph markup composed by a renderer; any user text inside went through para()."""

    __slots__ = ()


Cell: TypeAlias = "str | Markup | Flowable | list[Flowable] | None"


# --------------------------------------------------------------------------- styles


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


# --------------------------------------------------------------------------- times


def zone_for(incident: Incident) -> tzinfo | None:
    """The time zone the record's times print in.

    The computer's own zone (None: DST-aware) when it agrees with the offset the interaction
    was recorded with; otherwise the interaction's own offset, so the times match what the
    author wrote where it happened.
    """
    occurred = incident.occurred_at
    if occurred.tzinfo is None:
        return None
    if occurred.astimezone().utcoffset() == occurred.utcoffset():
        return None
    return occurred.tzinfo


def local(value: datetime, zone: tzinfo | None) -> datetime:
    return value.astimezone(zone)


def offset_text(value: datetime) -> str:
    """``UTC-06:00`` for a zone-aware time."""
    offset = value.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def when(value: datetime | None, zone: tzinfo | None, *, weekday: bool = False) -> str:
    """``2026-03-02 14:31 (UTC-06:00)``; with ``weekday``: ``Mon 2026-03-02 14:31 …``."""
    if value is None:
        return ""
    here = local(value, zone)
    day = here.strftime("%a %Y-%m-%d" if weekday else "%Y-%m-%d")
    return f"{day} {_clock(here)} ({offset_text(here)})"


def clock(value: datetime, zone: tzinfo | None, ref: datetime | None = None) -> str:
    """The time of day, with the date when it differs from ``ref``'s and the offset when
    that differs too."""
    here = local(value, zone)
    if ref is None:
        return when(value, zone)
    ref_here = local(ref, zone)
    text = _clock(here)
    if here.date() != ref_here.date():
        text = f"{here:%Y-%m-%d} {text}"
    if here.utcoffset() != ref_here.utcoffset():
        text = f"{text} ({offset_text(here)})"
    return text


def span(start: datetime, end: datetime | None, zone: tzinfo | None) -> str:
    """``2026-03-02 14:05–14:31 (UTC-06:00), 26 minutes``."""
    if end is None:
        return f"{when(start, zone, weekday=True)}; end time not recorded"
    a, b = local(start, zone), local(end, zone)
    if a.date() == b.date() and a.utcoffset() == b.utcoffset():
        text = f"{a:%a %Y-%m-%d} {_clock(a)}–{_clock(b)} ({offset_text(a)})"
    else:
        text = f"{when(start, zone, weekday=True)} to {when(end, zone, weekday=True)}"
    if end >= start:
        text += f", {duration_words(end - start)}"
    return text


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def duration_words(delta: timedelta) -> str:
    """A duration as people say it: ``12 minutes``, ``3 hours 5 minutes``, ``4 days``."""
    seconds = int(abs(delta).total_seconds())
    if seconds < 60:
        return "less than a minute"
    minutes = seconds // 60
    if minutes < 60:
        return _plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _plural(hours, "hour") + (f" {_plural(minutes, 'minute')}" if minutes else "")
    days, hours = divmod(hours, 24)
    if days < 14:
        return _plural(days, "day") + (f" {_plural(hours, 'hour')}" if hours else "")
    return _plural(days, "day")


def end_of(incident: Incident) -> datetime | None:
    """When the interaction ended: the record's end time, else the 'ended' timeline event."""
    if incident.ended_at is not None:
        return incident.ended_at
    ended = incident.first(EventKind.INTERACTION_ENDED)
    return ended.at if ended else None


def recorded_gap(incident: Incident) -> str:
    """``recorded 12 minutes after the interaction ended`` (or began, or while under way)."""
    recorded = incident.recorded_at
    end = end_of(incident)
    if end is not None:
        if recorded >= end:
            return f"recorded {duration_words(recorded - end)} after the interaction ended"
        if recorded >= incident.occurred_at:
            return (
                "recorded while the interaction was under way, "
                f"{duration_words(end - recorded)} before it ended"
            )
        return f"recorded {duration_words(incident.occurred_at - recorded)} before the start time"
    if recorded >= incident.occurred_at:
        return (
            f"recorded {duration_words(recorded - incident.occurred_at)} after the interaction "
            "began (no end time is recorded)"
        )
    return f"recorded {duration_words(incident.occurred_at - recorded)} before the start time"


# --------------------------------------------------------------------------- structure


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


def procedure_lines(data: ReportInput, zone: tzinfo | None) -> list[str]:
    """The subtitle every document carries: the procedure, the policy, when it was printed."""
    incident = data.incident
    return [
        f"{wording.PROCEDURE_TITLES[incident.procedure]} — {wording.POLICY_TITLE}",
        generated_line(data.generated_at, zone),
    ]


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
            return list(super().split(availWidth, availHeight))
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


# --------------------------------------------------------------------------- people


def author_rows(incident: Incident) -> list[tuple[str, Cell]]:
    a = incident.author
    return [
        ("Name", a.name),
        ("Role", wording.ROLE_LABELS[a.role]),
        (
            "Certification / staff ID",
            a.credential_id,
        ),
        ("Organisation", a.organisation),
        ("Site", a.site),
    ]


def party_rows(
    incident: Incident, *, contact: bool = True, language: bool = True
) -> list[tuple[str, Cell]]:
    party = incident.party
    rows: list[tuple[str, Cell]] = [
        ("Party", wording.PARTY_LABELS[party.kind]),
        ("Name", party.name or muted("not given")),
        ("Case / application number", party.case_number),
    ]
    if party.date_of_birth:
        rows.append(("Date of birth", party.date_of_birth))
    if party.address:
        rows.append(("Address", party.address))
    if contact and party.phone:
        rows.append(("Phone", party.phone))
    if language:
        rows += language_rows(incident)
    return rows


def language_rows(incident: Incident) -> list[tuple[str, Cell]]:
    party = incident.party
    return [
        ("Language", party.language),
        ("Interpreter", party.interpreter or muted("none recorded")),
    ]


def witnesses_table(incident: Incident) -> Flowable:
    if not incident.witnesses:
        return p("No witnesses are recorded.", "body")
    rows = [[w.name, w.role, w.contact] for w in incident.witnesses]
    return grid_table(
        ["Witness", "Role / relation", "Contact"], rows, _split(FRAME_WIDTH, 0.36, 0.32)
    )


def _split(total: float, *fractions: float) -> list[float]:
    widths = [total * f for f in fractions]
    widths.append(total - sum(widths))
    return widths


# --------------------------------------------------------------------------- grounds


def ground_rows(ground: Ground) -> list[tuple[str, Cell]]:
    rows: list[tuple[str, Cell]] = []
    if ground.kind is GroundKind.THREAT:
        rows.append(("Threat against", "; ".join(wording.TARGET_LABELS[t] for t in ground.targets)))
    elif ground.kind is GroundKind.VERBAL_ABUSE:
        rows.append(
            (
                "Language used",
                "; ".join(wording.ABUSE_LABELS[c] for c in ground.categories),
            )
        )
        rows.append(
            (
                "Times it happened",
                f"{ground.occurrences} time{'' if ground.occurrences == 1 else 's'}",
            )
        )
    elif ground.kind is GroundKind.UNRELATED_MATTERS:
        rows.append(
            (
                "What the person wanted",
                wording.WISH_LABELS[ground.wish] if ground.wish is not None else "",
            )
        )
        rows.append(
            (
                "Redirected",
                "; ".join(wording.REDIRECTION_LABELS[r] for r in ground.redirections)
                or muted("no redirection recorded"),
            )
        )
    elif ground.kind is GroundKind.SUSPECTED_FRAUD:
        rows.append(("Information", ground.information))
        rows.append(("Acknowledged as false", yes_no(ground.acknowledged_false)))
        rows.append(
            (
                "Type of suspected fraud",
                "; ".join(wording.FRAUD_TYPE_LABELS[t] for t in ground.fraud_types),
            )
        )
    if ground.detail:
        rows.append(("Details", ground.detail))
    return rows


def policy_words(ground_kind: GroundKind) -> Flowable:
    """The policy's words for a ground, set apart and attributed."""
    return boxed(
        [
            m(
                f"<b>Policy:</b> {para(wording.GROUND_WORDING[ground_kind])}",
                "policy",
            ),
            p(f"— {wording.POLICY_TITLE}", "note"),
        ],
        bar=True,
        line=RULE,
    )


def grounds_flowables(incident: Incident) -> list[Flowable]:
    if not incident.grounds:
        return [m('<font color="#A3151F"><b>No ground is recorded.</b></font>')]
    out: list[Flowable] = []
    for ground in incident.grounds:
        block: list[Flowable] = [
            p(wording.GROUND_LABELS[ground.kind], "subsection"),
            policy_words(ground.kind),
            Spacer(1, 4),
        ]
        rows = ground_rows(ground)
        if rows:
            block.append(kv_table(rows))
        block.append(Spacer(1, 4))
        out += together(block)
    return out


# --------------------------------------------------------------------------- timeline


def _edit_lines(event: TimelineEvent, zone: tzinfo | None) -> list[str]:
    lines = []
    for index, edit in enumerate(event.edits):
        before = f"“{para(edit.previous_note)}”" if edit.previous_note else "(no note)"
        word = "originally" if index == 0 else "before that"
        lines.append(
            f'<font color="#7A4B00" size="7.5">Corrected on {para(when(edit.edited_at, zone))}; '
            f"{word} {para(clock(edit.previous_at, zone, event.at))} {before}</font>"
        )
    return lines


def timeline_table(
    incident: Incident,
    zone: tzinfo | None,
    events: Sequence[TimelineEvent] | None = None,
    *,
    caption: bool = True,
    empty: str = "No timeline events are recorded.",
) -> list[Flowable]:
    """The timeline in time order: time, what happened (policy label), note and corrections."""
    chosen = sorted(incident.timeline if events is None else events, key=lambda e: e.at)
    if not chosen:
        return [p(empty)]
    ref = incident.occurred_at
    ref_local = local(ref, zone)
    rows: list[list[Cell]] = []
    for event in chosen:
        note_parts = [para(event.note)] if event.note else []
        note_parts += _edit_lines(event, zone)
        rows.append(
            [
                clock(event.at, zone, ref),
                wording.EVENT_LABELS[event.event],
                join_markup(note_parts) if note_parts else Markup(""),
            ]
        )
    table = grid_table(
        ["Time", "What happened", "Note"],
        rows,
        [0.95 * inch, 2.35 * inch, FRAME_WIDTH - 3.3 * inch],
    )
    if not caption:
        return [table]
    note = p(
        f"Times are local time ({offset_text(ref_local)}) on {ref_local:%a %Y-%m-%d} unless a "
        "date is shown. Corrected entries keep their original time and note.",
        "intro",
    )
    return [note, table]


def step_status(
    steps: Sequence[StepResult],
    code: str,
    zone: tzinfo | None,
    ref: datetime,
    *,
    title: bool = False,
) -> Markup:
    """One policy step's result, e.g. ``Done at 09:14 — clause, required`` (after the step's
    title when ``title``); a deviation adds its justification, a missing step the finding."""
    for step in steps:
        if step.rule.code != code:
            continue
        where = (
            f'<font size="8" color="#52606D"> — {para(step.rule.clause)}, '
            f"{_level(step.rule.level)}</font>"
        )
        lead = f"{para(step.rule.title)}: " if title else ""
        if step.state is StepState.DONE:
            at = f" at {para(clock(step.at, zone, ref))}" if step.at else ""
            return Markup(f'{lead}<font color="#1E5E3A"><b>Done</b></font>{at}{where}')
        if step.state is StepState.DEVIATION:
            why = para(step.deviation.justification) if step.deviation else ""
            return Markup(
                f'{lead}<font color="#7A4B00"><b>Deviation</b></font>{where}<br/>'
                f"<b>Justification:</b> {why}"
            )
        return Markup(
            f'{lead}<font color="#A3151F"><b>MISSING</b></font>{where}<br/>{para(step.message)}'
        )
    return muted("not applicable to this record")


def event_lines(
    events: Sequence[TimelineEvent], zone: tzinfo | None, ref: datetime, *, labels: bool = False
) -> Markup:
    """Events as lines ``09:14 — note`` (with the policy's label when ``labels``)."""
    lines = []
    for event in sorted(events, key=lambda e: e.at):
        label = f"{para(wording.EVENT_LABELS[event.event])}: " if labels else ""
        note = para(event.note) if event.note else str(muted("no note"))
        lines.append(f"<b>{para(clock(event.at, zone, ref))}</b> — {label}{note}")
    return join_markup(lines)


# --------------------------------------------------------------------------- checklist

_STATE_WORDS = {
    StepState.DONE: "Done",
    StepState.DEVIATION: "Deviation",
    StepState.MISSING: "MISSING",
}


def _level(level: Level) -> str:
    return "required" if level is Level.REQUIRED else "advised"


def checklist_table(
    steps: Sequence[StepResult], zone: tzinfo | None, ref: datetime
) -> list[Flowable]:
    """The policy checklist from ``policy.checks``: criteria, then the procedure's steps."""
    if not steps:
        return [p("The policy checks returned no steps for this procedure.")]
    criteria = [s for s in steps if not s.rule.procedure_step]
    procedure = [s for s in steps if s.rule.procedure_step]
    rows: list[list[Cell]] = []
    extra: list[tuple[Any, ...]] = []
    counts = {state: 0 for state in StepState}

    def add(step: StepResult, number: str) -> None:
        counts[step.state] += 1
        r = len(rows) + 1
        title = Markup(
            f"<b>{para(step.rule.title)}</b><br/>"
            f'<font size="7.5" color="#52606D">{para(step.rule.clause)} · '
            f"{_level(step.rule.level)}</font>"
        )
        detail: Markup
        if step.state is StepState.DONE:
            done = "Met" if not step.rule.procedure_step else "Done"
            result = Markup(f'<font color="#1E5E3A"><b>{done}</b></font>')
            if step.at is not None:
                result = Markup(f"{result}<br/>at {para(clock(step.at, zone, ref))}")
            detail = Markup("")
        elif step.state is StepState.DEVIATION:
            deviation = step.deviation
            result = Markup('<font color="#7A4B00"><b>Deviation</b></font><br/>documented')
            parts = []
            if deviation is not None:
                parts.append(f"<b>Justification:</b> {para(deviation.justification)}")
                parts.append(
                    f'<font size="7.5" color="#52606D">Justification recorded '
                    f"{para(when(deviation.recorded_at, zone))}</font>"
                )
            if step.message:
                parts.append(
                    f'<font size="7.5" color="#52606D">Policy check: {para(step.message)}</font>'
                )
            detail = join_markup(parts)
            extra.append(("BACKGROUND", (0, r), (-1, r), DEVIATION_BG))
        else:
            result = Markup('<font color="#A3151F"><b>MISSING</b></font>')
            detail = Markup(para(step.message)) if step.message else Markup("")
            extra.append(("BACKGROUND", (0, r), (-1, r), MISSING_BG))
        rows.append([Markup(f"{number}&nbsp; {title}"), result, detail])

    widths = [3.0 * inch, 0.95 * inch, FRAME_WIDTH - 3.95 * inch]
    header = ["Policy step (clause · required or advised)", "Result", "Justification / finding"]
    tables: list[Flowable] = []
    for title, chosen, prefix in (
        ("Criteria: why the interaction was inappropriate", criteria, "C"),
        ("Procedure steps", procedure, ""),
    ):
        if not chosen:
            continue
        rows.clear()
        extra.clear()
        for i, step in enumerate(chosen, 1):
            add(step, f"{prefix}{i}" if prefix else f"{i}.")
        if tables:  # the first group keeps with the heading and notes above it
            tables.append(CondPageBreak(1.3 * inch))
        tables += [
            p(title, "subsection"),
            grid_table(header, list(rows), widths, extra=list(extra)),
        ]
    summary = (
        f"{counts[StepState.DONE]} done or met, {counts[StepState.DEVIATION]} documented "
        f"deviation{'' if counts[StepState.DEVIATION] == 1 else 's'}, "
        f"{counts[StepState.MISSING]} missing."
    )
    return [
        p(
            "Checked against the policy when this document was generated. "
            f"{summary} Times are local time ({offset_text(local(ref, zone))}).",
            "intro",
        ),
        *tables,
    ]


# --------------------------------------------------------------------------- quotes

QUOTE_MARKS = {
    QuoteKind.VERBATIM: "VERBATIM — the person's exact words",
    QuoteKind.PARAPHRASE: "PARAPHRASE — not the exact words",
}


def quote_block(quote: Quote, number: int) -> Flowable:
    who = quote.speaker or "Unnamed speaker"
    meta = f"<b>{para(QUOTE_MARKS[quote.kind])}</b>"
    heading_line = (
        f'<font size="8" color="#52606D">Q{number} · {para(who)}'
        f"{' · ' + para(quote.language) if quote.language else ''}</font>"
    )
    if quote.kind is QuoteKind.VERBATIM:
        text = f"“{para(quote.text)}”"
        line = ACCENT
        background = NOTE_BG
    else:
        text = para(quote.text)
        line = RULE
        background = colors.white
    return boxed(
        [m(f"{heading_line}<br/>{meta}", "cell"), Spacer(1, 2), m(text, "quote")],
        bar=True,
        line=line,
        background=background,
    )


def words_used(s: Story, incident: Incident, speaker: str = "person") -> None:
    """The "Words used" section: what VERBATIM and PARAPHRASE mean, then the quotes."""
    s.section("Words used")
    s.add(
        p(
            f"VERBATIM quotes are the {speaker}'s exact words, in quotation marks; PARAPHRASE "
            "gives the sense, not the words.",
            "intro",
        )
    )
    s.extend(quotes_flowables(incident))


def quotes_flowables(incident: Incident) -> list[Flowable]:
    if not incident.quotes:
        return [p("No words are recorded.")]
    out: list[Flowable] = []
    for i, quote in enumerate(incident.quotes, 1):
        out += [quote_block(quote, i), Spacer(1, 5)]
    return out


# --------------------------------------------------------------------------- narrative


def narrative_flowables(text: str, *, empty: str = "No narrative is recorded.") -> list[Flowable]:
    """Paragraphs split on blank lines (single newlines kept); any length paginates."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    blocks = [b for b in blocks if b.strip()]
    if not blocks:
        return [p(empty)]
    return [p(block, "narrative") for block in blocks]


# --------------------------------------------------------------------------- images


class _Prepared:
    """An image ready to become a PDF image XObject (JPEG passed through undecoded)."""

    __slots__ = ("colorspace", "data", "filters", "height", "invert", "note", "turns", "width")

    def __init__(self) -> None:
        self.width = 0
        self.height = 0
        self.colorspace = "DeviceRGB"
        self.filters: tuple[str, ...] = ()
        self.data = b""
        self.invert = False
        self.turns = 0  # quarter turns clockwise to show the photo upright (EXIF)
        self.note = ""


MAX_PIXELS = 2400  # long side of a decoded (non-JPEG) image as embedded


def _exif_orientation(image: Any) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:
        return 1


def prepare_image(data: bytes) -> _Prepared:
    """Raise ValueError when the bytes are not an image we can show."""
    from PIL import Image, ImageOps

    prepared = _Prepared()
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        fmt = image.format
        orientation = _exif_orientation(image) if fmt == "JPEG" else 1
        if fmt == "JPEG" and orientation in (1, 3, 6, 8):
            info = pdfutils.readJPEGInfo(io.BytesIO(data))
            prepared.width, prepared.height = int(info[0]), int(info[1])
            components = int(info[2])
            prepared.colorspace = {1: "DeviceGray", 3: "DeviceRGB"}.get(components, "DeviceCMYK")
            # Adobe CMYK JPEGs store inverted values.
            prepared.invert = components == 4 and b"Adobe" in data[:4096]
            prepared.filters = ("DCTDecode",)
            prepared.data = data
            prepared.turns = {1: 0, 3: 2, 6: 1, 8: 3}[orientation]
            return prepared
        image.seek(0)
        image = ImageOps.exif_transpose(image) if orientation != 1 else image
        if max(image.size) > MAX_PIXELS:
            image = image.copy()
            image.thumbnail((MAX_PIXELS, MAX_PIXELS))
            prepared.note = f"shown reduced to {image.size[0]}×{image.size[1]} pixels"
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode in ("1", "L", "I;16", "I;16B", "I", "F"):
            image = image.convert("L")
        elif image.mode != "RGB":
            image = image.convert("RGB")
        prepared.width, prepared.height = image.size
        prepared.colorspace = "DeviceGray" if image.mode == "L" else "DeviceRGB"
        prepared.filters = ("FlateDecode",)
        prepared.data = zlib.compress(image.tobytes(), 6)
        return prepared
    except Exception as error:  # any decoder failure: the file is listed, not shown
        raise ValueError("not a displayable image") from error


def _xobject(canv: Any, digest: str, prepared: _Prepared) -> str:
    """Register the image once per document (by content hash); return its resource name."""
    name = f"Evidence{digest[:24]}"
    reg_name = canv._doc.getXObjectName(name)
    if canv._doc.idToObject.get(reg_name) is None:
        obj = pdfdoc.PDFImageXObject(name)
        obj.width, obj.height = prepared.width, prepared.height
        obj.bitsPerComponent = 8
        obj.colorSpace = prepared.colorspace
        obj._filters = prepared.filters
        obj.streamContent = prepared.data
        obj.mask = None
        if prepared.invert:
            obj._decode = [1, 0, 1, 0, 1, 0, 1, 0]
        canv._setXObjects(obj)
        canv._doc.Reference(obj, reg_name)
        canv._doc.addForm(name, obj)
    canv._formsinuse.append(name)
    return str(reg_name)


class EvidenceImage(Flowable):  # type: ignore[misc]
    """An evidence image scaled to fit ``max_width`` × ``max_height``, aspect kept, with a
    hairline frame. Same bytes drawn twice are stored once."""

    def __init__(self, data: bytes, max_width: float, max_height: float) -> None:
        super().__init__()
        self.digest = hashlib.sha256(data).hexdigest()
        self.prepared = prepare_image(data)
        w, h = self.prepared.width, self.prepared.height
        if self.prepared.turns % 2:
            w, h = h, w
        # Never enlarge: one image pixel per point at most, so small screenshots stay sharp.
        scale = min(max_width / w, max_height / h, 1.0)
        self.draw_width = w * scale
        self.draw_height = h * scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.draw_width > avail_width:
            factor = avail_width / self.draw_width
            self.draw_width *= factor
            self.draw_height *= factor
        return self.draw_width, self.draw_height

    def draw(self) -> None:
        canv = self.canv
        name = _xobject(canv, self.digest, self.prepared)
        w, h = self.draw_width, self.draw_height
        canv.saveState()
        turns = self.prepared.turns
        # Place the unrotated image so that after turning it fills (0, 0, w, h).
        if turns == 0:
            canv.translate(0, 0)
            canv.scale(w, h)
        elif turns == 1:  # 90° clockwise
            canv.translate(0, h)
            canv.rotate(-90)
            canv.scale(h, w)
        elif turns == 2:
            canv.translate(w, h)
            canv.rotate(180)
            canv.scale(w, h)
        else:  # 90° counter-clockwise
            canv.translate(w, 0)
            canv.rotate(90)
            canv.scale(h, w)
        canv._code.append(f"/{name} Do")
        canv.restoreState()
        canv.saveState()
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.5)
        canv.rect(0, 0, w, h, stroke=1, fill=0)
        canv.restoreState()


def image_or_none(data: bytes | None, max_width: float, max_height: float) -> EvidenceImage | None:
    if not data:
        return None
    try:
        return EvidenceImage(data, max_width, max_height)
    except ValueError:
        return None


# --------------------------------------------------------------------------- evidence


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KB"
    return f"{n / (1024 * 1024):,.1f} MB"


def evidence_label(index: int) -> str:
    return f"E{index}"


def hash_check(attachment: Attachment, data: bytes | None) -> Markup:
    if data is None:
        return Markup("")
    actual = hashlib.sha256(data).hexdigest()
    if actual == attachment.sha256.lower():
        return Markup(
            '<font size="7.5" color="#1E5E3A">The file printed here matches this SHA-256.</font>'
        )
    return Markup(
        '<font size="7.5" color="#A3151F"><b>Warning: the file printed here does not match '
        f"the recorded SHA-256</b> (it hashes to {actual}).</font>"
    )


def evidence_index(
    incident: Incident,
    images: dict[str, bytes] | Any,
    zone: tzinfo | None,
    *,
    thumbnails: bool = True,
    shown_below: bool = False,
) -> list[Flowable]:
    """One row per attachment: label, thumbnail, file, description, type, size, time added,
    and the SHA-256 in full."""
    if not incident.attachments:
        return [p("No evidence files are attached to this record.")]
    thumb_w = 1.35 * inch
    rows: list[list[Cell]] = []
    for i, attachment in enumerate(incident.attachments, 1):
        data = images.get(attachment.attachment_id)
        thumb: Flowable | None = None
        if thumbnails:
            thumb = image_or_none(data, thumb_w - 8, 1.1 * inch)
        if thumb is None:
            thumb = m(
                muted("image not shown" if data else "not an image: kept in the vault"),
                "cellsmall",
            )
        parts = [
            f"<b>{para(attachment.filename)}</b>",
            para(attachment.description) if attachment.description else "",
            f'<font size="8" color="#52606D">{para(attachment.media_type)} · '
            f"{para(size_text(attachment.size))} · added "
            f"{para(when(attachment.added_at, zone))}</font>",
        ]
        if shown_below and data and isinstance(thumb, EvidenceImage):
            parts.append(
                f'<font size="8" color="#52606D">Shown full size as exhibit '
                f"{evidence_label(i)} below.</font>"
            )
        details: list[Flowable] = [
            m(join_markup(parts), "cell"),
            Spacer(1, 2),
            m(
                f'<font size="7" color="#52606D">SHA-256</font><br/>{para(attachment.sha256)}',
                "hash",
            ),
        ]
        check = hash_check(attachment, data)
        if check:
            details.append(m(check, "cell"))
        rows.append([Markup(f"<b>{evidence_label(i)}</b>"), thumb, details])
    table = grid_table(
        ["#", "Preview", "File, description and SHA-256"],
        rows,
        [0.4 * inch, thumb_w, FRAME_WIDTH - 0.4 * inch - thumb_w],
    )
    return [
        p(
            "Each file is kept encrypted in the author's vault. The SHA-256 is the file's "
            "fingerprint: recompute it on a copy to show the copy is unchanged.",
            "intro",
        ),
        table,
    ]


def exhibit_flowables(
    incident: Incident, images: dict[str, bytes] | Any, title: str = "Exhibits"
) -> list[Flowable]:
    """Every image attachment at the largest size that fits a page, captioned; ``title``
    heads the first exhibit and moves with it."""
    out: list[Flowable] = []
    for i, attachment in enumerate(incident.attachments, 1):
        data = images.get(attachment.attachment_id)
        if not data:
            continue
        image = image_or_none(data, FRAME_WIDTH, FRAME_HEIGHT - 2.2 * inch)
        caption_parts = [
            f"<b>Exhibit {evidence_label(i)}: {para(attachment.filename)}</b>",
            para(attachment.description) if attachment.description else "",
        ]
        caption = m(join_markup(caption_parts), "cell")
        hash_line = m(
            f'<font size="7" color="#52606D">SHA-256 </font>{para(attachment.sha256)}', "hash"
        )
        if image is None:
            body: list[Flowable] = [
                caption,
                p("This file could not be displayed as an image; it is listed above.", "note"),
            ]
        else:
            body = [caption, hash_line, m(hash_check(attachment, data), "cell"), Spacer(1, 4)]
            body.append(image)
            if image.prepared.note:
                body.append(p(f"Image {image.prepared.note}; the SHA-256 is of the file.", "note"))
        if not out and title:
            body.insert(0, p(title, "subsection"))
        out += together([*body, Spacer(1, 10)])
    return out


# --------------------------------------------------------------------------- seal


def seal_payload(incident: Incident, seal: Seal) -> str:
    """What the QR code holds: the seal's values, one per line."""
    return "\n".join(
        [
            "ASSISTER LOG SEAL",
            f"record: {incident.incident_id}",
            f"chain position: {seal.position}",
            f"record sha256: {seal.record_hash}",
            f"entry sha256: {seal.entry_hash}",
            f"previous entry sha256: {seal.previous_hash}",
            f"sealed at: {seal.sealed_at.isoformat()}",
        ]
    )


@lru_cache(maxsize=64)
def _qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    code = qr.QrCode(payload, qrLevel="M")
    code.qr.make()
    return tuple(tuple(bool(v) for v in row) for row in code.qr.modules)


class QrFlowable(Flowable):  # type: ignore[misc]
    """A QR code (reportlab's encoder) drawn as filled runs; no fonts, no Drawing."""

    def __init__(self, payload: str, size: float, border: int = 2) -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        self.border = border

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        modules = _qr_modules(self.payload)
        count = len(modules)
        box = self.size / (count + 2 * self.border)
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        for r, row in enumerate(modules):
            y = self.size - (r + self.border + 1) * box
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    path.rect((start + self.border) * box, y, (c - start) * box, box * 1.02)
                else:
                    c += 1
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


def seal_flowables(incident: Incident, zone: tzinfo | None) -> list[Flowable]:
    seal = incident.seal
    if not incident.is_final or seal is None:
        return [
            alert(
                [
                    m("<b>Not sealed — draft.</b>"),
                    p(
                        "A draft can still change. Finalizing seals the record into the "
                        "vault's tamper-evident chain; the seal (record hash, previous hash, "
                        "chain position) then prints here with a QR code.",
                        "cell",
                    ),
                ]
            )
        ]
    qr_size = 1.55 * inch
    rows: list[tuple[str, Cell]] = [
        ("Record SHA-256", m(para(seal.record_hash), "hash")),
        (
            "Previous entry SHA-256",
            m(
                para(seal.previous_hash)
                + ("<br/>(the chain's first entry)" if seal.position <= 1 else ""),
                "hash",
            ),
        ),
        ("Chain entry SHA-256", m(para(seal.entry_hash), "hash")),
        ("Chain position", str(seal.position)),
        ("Sealed at", when(seal.sealed_at, zone)),
    ]
    left = FRAME_WIDTH - qr_size - 10
    table = Table(
        [
            [
                kv_table(rows, width=left, label_width=1.45 * inch),
                QrFlowable(seal_payload(incident, seal), qr_size),
            ]
        ],
        colWidths=[left + 4, qr_size + 6],
        style=table_style(
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ),
        hAlign="LEFT",
    )
    return [
        table,
        Spacer(1, 4),
        p(
            "The record hash is the SHA-256 of the record as finalized (attestation and "
            "attachment hashes included; addenda are sealed as entries of their own). Each "
            "chain entry includes the previous entry's hash, so changing, removing or "
            "reordering a sealed record breaks the chain; 'assister-log verify' recomputes "
            "it. The QR code holds the same values as text.",
            "note",
        ),
    ]


# --------------------------------------------------------------------------- addenda


def addenda_flowables(incident: Incident, zone: tzinfo | None) -> list[Flowable]:
    if not incident.addenda:
        return [p("No addenda.")]
    total = len(incident.addenda)
    out: list[Flowable] = []
    for i, addendum in enumerate(incident.addenda, 1):
        rows: list[tuple[str, Cell]] = [
            ("Added", when(addendum.at, zone)),
            ("Reason", addendum.reason),
        ]
        if addendum.seal is not None:
            rows.append(("Chain position", str(addendum.seal.position)))
            rows.append(("Entry SHA-256", m(para(addendum.seal.entry_hash), "hash")))
        else:
            rows.append(("Chain position", muted("not sealed")))
        head: list[Flowable] = [
            p(f"Addendum {i} of {total}", "subsection"),
            kv_table(rows),
            Spacer(1, 4),
        ]
        body = narrative_flowables(addendum.text, empty="(empty)")
        out += together([*head, body[0]])
        out += body[1:]
    return out


# --------------------------------------------------------------------------- attestation


def signature_lines(name: str, role: str, *, signer: str = "Signature") -> Table:
    """Lines for a wet signature and the date, with the printed name under the first."""
    gap = 0.3 * inch
    sig_w = FRAME_WIDTH * 0.62
    date_w = FRAME_WIDTH - sig_w - gap
    under = f"{signer}" + (f" — {name}" if name else "") + (f", {role}" if role else "")
    data = [
        [Spacer(1, 26), "", Spacer(1, 26)],
        [p(under, "cellsmall"), "", p("Date", "cellsmall")],
    ]
    return Table(
        data,
        colWidths=[sig_w, gap, date_w],
        style=table_style(
            ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
        ),
        hAlign="LEFT",
    )


def date_line() -> Table:
    """A date line alone (an anonymous referral is not signed)."""
    return Table(
        [[Spacer(1, 26)], [p("Date", "cellsmall")]],
        colWidths=[2.4 * inch],
        style=table_style(
            ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
        ),
        hAlign="LEFT",
    )


def attestation_flowables(
    incident: Incident,
    zone: tzinfo | None,
    *,
    default_text: str,
    name: str | None = None,
    role: str | None = None,
    signer: str = "Signature",
) -> list[Flowable]:
    """The attestation text, how it was given, and signature and date lines."""
    if name is None:
        name = incident.author.name
    if role is None:
        role = wording.ROLE_LABELS[incident.author.role]
    out: list[Flowable] = []
    if incident.is_final and incident.attestation:
        out.append(boxed([p(incident.attestation, "quote")]))
        sealed = incident.seal.sealed_at if incident.seal else incident.updated_at
        out.append(
            p(
                f"Attested in Assister Log when the record was finalized"
                f"{' on ' + when(sealed, zone) if sealed else ''}.",
                "note",
            )
        )
    else:
        out.append(boxed([p(default_text, "quote")]))
        out.append(
            p(
                "Draft: this attestation is given when the record is finalized; "
                "do not sign a draft.",
                "note",
            )
        )
    out.append(Spacer(1, 6))
    out.append(signature_lines(name, role, signer=signer))
    return together(out)


# --------------------------------------------------------------------------- the document


def build_pdf(
    flowables: list[Flowable],
    *,
    kind: str,
    heading_text: str,
    incident: Incident,
    password: str | None,
) -> bytes:
    """Letter pages with the shared furniture, neutral metadata, optional AES-256."""
    encrypt = encrypt_option(password)
    fonts.register_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        encrypt=encrypt,
        allowSplitting=1,
    )
    # No frame padding: tables line up with the header and footer rules.
    frame = Frame(
        SIDE_MARGIN,
        BOTTOM_MARGIN,
        FRAME_WIDTH,
        FRAME_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.keepTogetherClass = KeepWithFirstPart
    apply_metadata(doc, kind)
    doc.build(
        flowables,
        canvasmaker=numbered_canvas(
            incident.incident_id, draft=not incident.is_final, heading=heading_text
        ),
    )
    return buf.getvalue()


def status_text(incident: Incident) -> str:
    if incident.is_final:
        return "Finalized (sealed)"
    return "DRAFT — not finalized, not sealed; it can still change"


def generated_line(generated_at: datetime, zone: tzinfo | None) -> str:
    return f"Generated {when(generated_at, zone)} by Assister Log"


class Document:
    """One printed document: subclasses name their kind and title and build the story."""

    kind: str
    title: str

    def __init__(self, *, password: str | None = None) -> None:
        self.password = password

    def story(self, data: ReportInput) -> list[Flowable]:
        raise NotImplementedError

    def render(self, data: ReportInput) -> bytes:
        return build_pdf(
            self.story(data),
            kind=self.kind,
            heading_text=f"Assister Log · {self.title}",
            incident=data.incident,
            password=self.password,
        )
