"""The timeline, a step's result in a line, and events as lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from assister_log.domain.model import Incident, TimelineEvent
from assister_log.policy import wording
from assister_log.policy.checks import StepResult, StepState
from assister_log.policy.timing import reference_now, stored_time_problems
from assister_log.reports.layout import grid_table, join_markup
from assister_log.reports.page import FRAME_WIDTH
from assister_log.reports.sections.checklist import level_word
from assister_log.reports.styles import Cell, Markup, m, muted, p
from assister_log.reports.text import para
from assister_log.reports.times import clock, local, offset_text, when


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
    problems = stored_time_problems(incident, zone)
    flagged = {
        id(incident.timeline[t.target]): t.text for t in problems if isinstance(t.target, int)
    }
    rows: list[list[Cell]] = []
    for event in chosen:
        note_parts = [para(event.note)] if event.note else []
        note_parts += _edit_lines(event, zone)
        if id(event) in flagged:
            note_parts.append(
                f'<font color="#A3151F" size="7.5"><b>Time to check:</b> '
                f"{para(flagged[id(event)])}</font>"
            )
        rows.append(
            [
                Markup(f'<font color="#A3151F"><b>{para(clock(event.at, zone, ref))}</b></font>')
                if id(event) in flagged
                else clock(event.at, zone, ref),
                wording.EVENT_LABELS[event.event],
                join_markup(note_parts) if note_parts else Markup(""),
            ]
        )
    table = grid_table(
        ["Time", "What happened", "Note"],
        rows,
        [0.95 * inch, 2.35 * inch, FRAME_WIDTH - 3.3 * inch],
    )
    out: list[Flowable] = [table]
    if problems:
        _now, against = reference_now(incident)
        listed = "<br/>".join(f"• {para(t.text)}" for t in problems)
        out.append(
            m(
                f"<b>Times that do not add up</b> (checked against the interaction's Began and "
                f"Ended and {para(against)}):<br/>{listed}"
            )
        )
    if not caption:
        return out
    note = p(
        f"Times are local time ({offset_text(ref_local)}) on {ref_local:%a %Y-%m-%d} unless a "
        "date is shown. Corrected entries keep their original time and note.",
        "intro",
    )
    return [note, *out]


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
            f"{level_word(step.rule.level)}</font>"
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
