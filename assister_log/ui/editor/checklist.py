"""The after-the-fact checklist: for an interaction that has ended, the procedure's own steps
as rows (done ☐, the time at HH:MM, an optional note), with Began and Ended as defaults.

Ticking a row (or typing a time and leaving the field) adds the step at that minute through
``domain.editing``; unticking removes it; a new time or note for a step already recorded is a
correction (``editing.edit_event``: the earlier time and note stay on the record). Nothing is
ever changed without the user doing it: a time that does not add up (outside Began–Ended,
after now) is recorded as typed, said on the row, and listed by the compliance panel."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain import editing
from assister_log.domain.model import EventKind, Incident, TimelineEvent
from assister_log.policy.timing import AFTERWARDS, minute
from assister_log.policy.wording import EVENT_LABELS
from assister_log.services.ui_support import local_now

from assister_log.ui.common import line_edit, named, tidy
from assister_log.ui.editor.times import TimeField, error_label, show_error, step_problem

# What the panel asks of the timeline: the new incident and the step to select, if any.
Commit = Callable[[Incident, TimelineEvent | None], None]


def first_index(incident: Incident, kind: EventKind) -> int | None:
    """The timeline index of the first step of ``kind`` (the one its row shows)."""
    return next((i for i, e in enumerate(incident.timeline) if e.event is kind), None)


def row_default(incident: Incident, kind: EventKind, kinds: tuple[EventKind, ...]) -> datetime:
    """Where an unticked row starts: Ended for "interaction ended"; else the latest step
    recorded before this one in the procedure's order, or Began; a step that follows the
    interaction starts no earlier than Ended. Whole minutes, never after now."""
    now = minute(local_now())
    ended = incident.ended_at
    if kind is EventKind.INTERACTION_ENDED and ended is not None:
        return min(minute(ended.astimezone()), now)
    earlier = set(kinds[: kinds.index(kind)]) if kind in kinds else set()
    times = [e.at for e in incident.timeline if e.event in earlier]
    start = max(times, default=incident.occurred_at)
    if ended is not None and kind in AFTERWARDS and kinds.index(kind) > _ended_position(kinds):
        start = max(start, ended)
    return min(minute(start.astimezone()), now)


def _ended_position(kinds: tuple[EventKind, ...]) -> int:
    if EventKind.INTERACTION_ENDED in kinds:
        return kinds.index(EventKind.INTERACTION_ENDED)
    return len(kinds)


class ChecklistRow:
    """The widgets of one step: done, time, note, and the row's message."""

    def __init__(self, kind: EventKind) -> None:
        label = EVENT_LABELS[kind]
        self.kind = kind
        self.done = QCheckBox(textwrap.fill(label, 34))
        named(self.done, f"Done: {label}")
        self.at = TimeField(f"Time: {label}")
        self.at.setPlaceholderText("HH:MM")
        self._narrow = self.at.fontMetrics().horizontalAdvance("00:00 pm") + 20
        self.at.setMinimumWidth(self._narrow)
        self.at.setMaximumWidth(self._narrow)
        self.at.textChanged.connect(self._fit)
        self._suggested: bool | None = None
        self.show_suggested(True)
        self.at.textEdited.connect(lambda _text: self.show_suggested(False))
        self.note: QLineEdit = line_edit(f"Note: {label}", placeholder="Note (optional)")
        self.message = error_label()

    def _fit(self, text: str) -> None:
        """Wide enough for what it shows: HH:MM, or a date too when the step is on another
        day (or the user types one)."""
        wide = self.at.fontMetrics().horizontalAdvance(text) + 20
        self.at.setMaximumWidth(max(self._narrow, wide))
        self.at.setMinimumWidth(max(self._narrow, wide))

    def show_suggested(self, suggested: bool) -> None:
        """An unticked row's time is a suggestion (Began, Ended or the step before): shown
        in italics and said so, until the row is ticked or a time is typed."""
        if suggested == self._suggested:
            return
        self._suggested = suggested
        font = self.at.font()
        font.setItalic(suggested)
        self.at.setFont(font)
        self.at.setAccessibleDescription(
            ("Suggested time; tick the step or type its time. " if suggested else "")
            + "e.g. 6:15 pm or 18:15; a date first is optional"
        )


class ChecklistPanel(QWidget):
    """The rows of ``kinds``; ``commit`` hands a changed incident to the timeline."""

    def __init__(
        self,
        kinds: tuple[EventKind, ...],
        get_incident: Callable[[], Incident],
        commit: Commit,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._kinds = kinds
        self._get = get_incident
        self._commit = commit
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.rows: dict[EventKind, ChecklistRow] = {}
        previous: QWidget | None = None
        for i, kind in enumerate(kinds):
            row = ChecklistRow(kind)
            grid.addWidget(row.done, 2 * i, 0)
            grid.addWidget(row.at, 2 * i, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.note, 2 * i, 2, Qt.AlignmentFlag.AlignTop)
            messages = QVBoxLayout()
            messages.setContentsMargins(24, 0, 0, 0)
            messages.addWidget(row.at.message)
            messages.addWidget(row.message)
            grid.addLayout(messages, 2 * i + 1, 0, 1, 3)
            row.done.clicked.connect(lambda on, r=row: self._ticked(r, on))
            row.at.editingFinished.connect(lambda r=row: self._time_left(r))
            row.note.editingFinished.connect(lambda r=row: self._note_left(r))
            self.rows[kind] = row
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        layout.addLayout(grid)
        for row in self.rows.values():  # Tab follows the rows: done, time, note
            for widget in (row.done, row.at, row.note):
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget

    # ------------------------------------------------------------------ display

    def refresh(self, incident: Incident) -> None:
        """Show ``incident``'s steps; what the user is typing is left alone."""
        self._loading = True
        home = incident.occurred_at.astimezone().date()
        for kind, row in self.rows.items():
            index = first_index(incident, kind)
            event = incident.timeline[index] if index is not None else None
            row.done.setChecked(event is not None)
            row.at.set_home(home)
            focused = QApplication.focusWidget()
            if not row.at.typed and focused is not row.at:
                row.at.set_value(event.at if event else row_default(incident, kind, self._kinds))
            row.show_suggested(event is None and not row.at.typed)
            if event is not None and focused is not row.note:
                row.note.setText(event.note)
            text = ""
            if event is not None:
                text = step_problem(kind, event.at, incident.occurred_at, incident.ended_at)
            show_error(row.message, text)
        self._loading = False

    def focus_row(self, kind: EventKind) -> bool:
        row = self.rows.get(kind)
        if row is None:
            return False
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(row.at)
        row.at.setFocus(Qt.FocusReason.OtherFocusReason)
        row.at.selectAll()
        return True

    # ------------------------------------------------------------------ actions

    def _ticked(self, row: ChecklistRow, on: bool) -> None:
        incident = self._get()
        index = first_index(incident, row.kind)
        if on and index is None:
            at = row.at.value()
            if not row.at.readable or at is None:
                row.done.setChecked(False)
                row.at.finish()  # says under the field what it could not read
                row.at.setFocus()
                return
            self._add(incident, row, at)
        elif not on and index is not None:
            self._commit(editing.remove_event(incident, index), None)
        else:
            self.refresh(incident)

    def _time_left(self, row: ChecklistRow) -> None:
        if self._loading or not row.at.typed or not row.at.readable:
            return  # untouched, or the field says what it could not read
        at = row.at.value()
        if at is None:
            return
        incident = self._get()
        index = first_index(incident, row.kind)
        if index is None:
            clicking = QApplication.mouseButtons() != Qt.MouseButton.NoButton
            if clicking and QApplication.focusWidget() is row.done:
                return  # a click on the row's box is on its way: it adds the step
            self._add(incident, row, at)
            return
        event = incident.timeline[index]
        if at == event.at:
            self.refresh(incident)
            return
        updated = editing.edit_event(
            incident, index, at=at, note=event.note, edited_at=local_now().replace(microsecond=0)
        )
        self._commit(updated, _changed(incident, updated))

    def _note_left(self, row: ChecklistRow) -> None:
        if self._loading:
            return
        incident = self._get()
        index = first_index(incident, row.kind)
        if index is None:
            return  # the note goes with the step when it is added
        event = incident.timeline[index]
        note = tidy(row.note.text()).strip()
        if note == event.note:
            return
        if not event.note:  # a first note replaces nothing: not a correction
            updated = editing.add_note(incident, index, note)
            self._commit(updated, _changed(incident, updated))
            return
        updated = editing.edit_event(
            incident,
            index,
            at=event.at,
            note=note,
            edited_at=local_now().replace(microsecond=0),
        )
        self._commit(updated, _changed(incident, updated))

    def _add(self, incident: Incident, row: ChecklistRow, at: datetime) -> None:
        note = tidy(row.note.text()).strip()
        updated = editing.stamp_event(incident, row.kind, at, note)
        self._commit(updated, _changed(incident, updated))


def _changed(before: Incident, after: Incident) -> TimelineEvent | None:
    """The event ``after`` has that ``before`` does not (duplicates counted)."""
    for event in after.timeline:
        if after.timeline.count(event) > before.timeline.count(event):
            return event
    return None
