"""The policy checklist from ``policy.checks``: criteria, then the procedure's steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable

from assister_log.policy.checks import StepResult, StepState
from assister_log.policy.rules import Level
from assister_log.reports.layout import grid_table, join_markup
from assister_log.reports.page import FRAME_WIDTH
from assister_log.reports.styles import DEVIATION_BG, MISSING_BG, Cell, Markup, p
from assister_log.reports.text import para
from assister_log.reports.times import clock, local, offset_text, when

_STATE_WORDS = {
    StepState.DONE: "Done",
    StepState.DEVIATION: "Deviation",
    StepState.MISSING: "MISSING",
}


def level_word(level: Level) -> str:
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
            f"{level_word(step.rule.level)}</font>"
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
