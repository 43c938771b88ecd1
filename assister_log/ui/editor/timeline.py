"""The timeline, in one of two modes behind a visible switch. Written up afterwards (an
interaction with an end time): the procedure's steps as a checklist at whole minutes
(``editor.checklist``). Live, while it happens: one button per procedure step stamps the time
now, to the second. In both, steps can be added at another time and corrected later, and a
correction keeps the original visible (``domain.editing``)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain import editing
from assister_log.domain.model import EventKind, Incident, TimelineEvent
from assister_log.policy.procedures import EVENTS_BY_PROCEDURE
from assister_log.policy.wording import EVENT_LABELS
from assister_log.services.ui_support import local_now

from assister_log.ui import keep
from assister_log.ui.common import (
    EnumCombo,
    add_row,
    confirm,
    line_edit,
    local_text,
    main_button,
    named,
    text_edit,
    tidy,
    wrapped,
)
from assister_log.ui.editor.checklist import ChecklistPanel, first_index
from assister_log.ui.editor.times import (
    TimeField,
    error_label,
    show_error,
    step_problem,
    suggested_time,
)


def _history(event: TimelineEvent) -> str:
    lines = []
    for edit in event.edits:
        note = edit.previous_note or "(no note)"
        lines.append(
            f"Corrected {local_text(edit.edited_at, seconds=True)}; before: "
            f"{local_text(edit.previous_at, seconds=True)} – {note}"
        )
    return "\n".join(lines)


def _now() -> datetime:
    return local_now().replace(microsecond=0)


def _added(before: Incident, after: Incident) -> TimelineEvent | None:
    """The event ``after`` has that ``before`` does not (duplicates counted)."""
    for event in after.timeline:
        if after.timeline.count(event) > before.timeline.count(event):
            return event
    return None


class EventDialog(QDialog):
    """Add a step at a chosen time, or correct one (time and note; the kind stays). Only the
    procedure's own steps are offered; the time is typed at minute precision ("6:15 pm",
    "18:15") and must fall between Began and Ended (steps that follow the interaction, such
    as reporting a threat, may come after Ended) and not after now."""

    def __init__(
        self,
        parent: QWidget | None,
        kinds: tuple[EventKind, ...],
        event: TimelineEvent | None = None,
        *,
        incident: Incident | None = None,
        kind: EventKind | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        correcting = event is not None
        title = "Correct a timeline step" if correcting else "Add a step at another time"
        self.setWindowTitle(title)
        named(self, title)
        self._incident = incident
        layout = QVBoxLayout(self)
        form = QFormLayout()
        offered = kinds if event is None or event.event in kinds else (*kinds, event.event)
        self.kind = EnumCombo({k: EVENT_LABELS[k] for k in offered})
        add_row(form, "&Step:", self.kind)
        self.at = TimeField("Time")
        add_row(form, "&Time:", self.at, "e.g. 6:15 pm or 18:15; a date first is optional")
        form.addRow("", self.at.message)
        self.note = text_edit("Note", lines=3)
        add_row(form, "&Note (optional):", self.note)
        layout.addLayout(form)
        self.problem = error_label()
        layout.addWidget(self.problem)
        if event is not None:
            self.kind.set_value(event.event)
            self.kind.setEnabled(False)
            self.at.set_value(event.at)
            self.note.setPlainText(event.note)
            layout.addWidget(
                wrapped(
                    "The record keeps the time and note as they were before this correction, "
                    "with the time of the correction."
                )
            )
            if event.edits:
                history = QLabel(_history(event))
                history.setWordWrap(True)
                history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                layout.addWidget(QLabel("Earlier corrections:"))
                layout.addWidget(history)
        else:
            if kind is not None:
                self.kind.set_value(kind)
            elif incident is not None:
                self.kind.set_value(next_step(incident, kinds))
            self._suggest()
            self.kind.currentIndexChanged.connect(lambda _i: self._suggest())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(
            "Correct" if correcting else "Add the step", QDialogButtonBox.ButtonRole.AcceptRole
        )
        for button in buttons.buttons():
            named(button, button.text().replace("&", ""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        main_button(self, buttons, self.ok)
        self.at.changed.connect(self._check)
        self.at.textEdited.connect(lambda _t: self._check())
        self.kind.currentIndexChanged.connect(lambda _i: self._check())
        self._check()
        self.at.setFocus()
        self.at.selectAll()

    def _suggest(self) -> None:
        if self._incident is not None:
            self.at.set_value(suggested_time(self._incident, self.kind.value()))
            self.at.selectAll()

    def _check(self) -> None:
        text = ""
        if not self.at.readable:
            text = ""  # the field's own message says what to type
            self.ok.setEnabled(False)
            show_error(self.problem, "")
            return
        at = self.at.value()
        if at is not None and self._incident is not None:
            text = step_problem(
                self.kind.value(), at, self._incident.occurred_at, self._incident.ended_at
            )
        show_error(self.problem, text)
        self.ok.setEnabled(at is not None and not text)

    def accept(self) -> None:
        self._check()
        if self.ok.isEnabled():
            super().accept()

    def values(self) -> tuple[EventKind, datetime, str]:
        at = self.at.value()
        assert at is not None
        return (self.kind.value(), at, tidy(self.note.toPlainText(), multiline=True))


def next_step(incident: Incident, kinds: tuple[EventKind, ...]) -> EventKind:
    """The first of the procedure's steps the timeline does not show yet."""
    done = {e.event for e in incident.timeline}
    return next((k for k in kinds if k not in done), kinds[0])


class TimelinePanel(QGroupBox):
    """Edits ``incident.timeline`` through ``domain.editing``; ``changed`` carries the new
    incident. ``get_incident`` returns the editor's current draft."""

    changed = Signal(object)
    stamped = Signal(object)  # EventKind, after a live stamp

    def __init__(self, get_incident: Callable[[], Incident], parent: QWidget | None = None):
        super().__init__("Timeline", parent)
        named(self, "Timeline")
        self._get = get_incident
        incident = get_incident()
        self.kinds = EVENTS_BY_PROCEDURE[incident.procedure]
        layout = QVBoxLayout(self)
        switch = QHBoxLayout()
        self.after_mode = QRadioButton("Written up afterwards")
        self.live_mode = QRadioButton("Live: stamp now")
        named(self.after_mode, "Timeline mode: written up afterwards, a checklist at whole minutes")
        named(self.live_mode, "Timeline mode: live, each step stamped now to the second")
        for mode in (self.after_mode, self.live_mode):
            switch.addWidget(mode)
            mode.clicked.connect(lambda _=False: self.set_mode(self.after_mode.isChecked()))
        switch.addStretch(1)
        layout.addLayout(switch)
        self.help = wrapped()
        layout.addWidget(self.help)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add at &another time…")
        self.correct_button = QPushButton("&Correct…")
        self.remove_button = QPushButton("Remove")
        for button in (self.add_button, self.correct_button, self.remove_button):
            named(button, button.text().replace("&", "").replace("…", ""))
            row.addWidget(button)
        named(self.add_button, "Add a step at another time")
        named(self.correct_button, "Correct the selected step")
        named(self.remove_button, "Remove the selected step")
        self.checklist = ChecklistPanel(self.kinds, get_incident, self._commit)
        layout.addWidget(self.checklist)
        self.live_box = QWidget()
        live = QVBoxLayout(self.live_box)
        live.setContentsMargins(0, 0, 0, 0)
        self.note = line_edit(
            "Note for the next step", placeholder="Note for the next step (optional)"
        )
        live.addWidget(self.note)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.buttons: dict[EventKind, QPushButton] = {}
        for i, kind in enumerate(self.kinds):
            label = EVENT_LABELS[kind]
            button = QPushButton(textwrap.fill(label, 30))
            named(button, f"Stamp now: {label}")
            button.setAutoDefault(False)
            button.setToolTip(f"{label} – stamps the time now")
            button.clicked.connect(lambda _=False, k=kind: self.stamp(k))
            grid.addWidget(button, i // 2, i % 2)
            self.buttons[kind] = button
        live.addLayout(grid)
        layout.addWidget(self.live_box)
        layout.addLayout(row)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Time", "Step", "Note"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.setColumnWidth(1, 190)
        self.tree.setMinimumHeight(120)
        named(self.tree, "Timeline steps")
        self.tree.itemActivated.connect(lambda *_: self.correct_selected())
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.tree, 1)
        self.add_button.clicked.connect(lambda: self.add_at_time())
        self.correct_button.clicked.connect(self.correct_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.dialog: EventDialog | None = None
        self.show_timeline(incident)
        # A reopened draft: the checklist when it has an end time, else live.
        self.set_mode(incident.ended_at is not None)

    # --------------------------------------------------------------------- mode

    @property
    def checklist_mode(self) -> bool:
        return self.after_mode.isChecked()

    def set_mode(self, checklist: bool) -> None:
        """The checklist (written up afterwards) or the stamp buttons (live)."""
        self.after_mode.setChecked(checklist)
        self.live_mode.setChecked(not checklist)
        self.checklist.setVisible(checklist)
        self.live_box.setVisible(not checklist)
        if checklist:
            self.help.setText(
                "Tick each step that happened, at the time shown (a suggestion, in italics, "
                "until the step is ticked), or type its time: 6:15 pm or 18:15. Recorded steps "
                "are listed below."
            )
            self.checklist.refresh(self._get())
        else:
            self.help.setText(
                "Press a step as it happens: it is stamped now, to the second. A note typed "
                "first goes with it."
            )

    # ------------------------------------------------------------------ display

    def show_timeline(self, incident: Incident, select: int | None = None) -> None:
        self.tree.clear()
        day = incident.occurred_at.astimezone().date()
        for i, event in enumerate(incident.timeline):
            mark = " ✎" if event.edits else ""
            local = event.at.astimezone()
            clock = "%H:%M:%S" if local.second else "%H:%M"  # as printed: typed minutes
            when = local.strftime(clock if local.date() == day else f"%m-%d {clock}")
            item = QTreeWidgetItem([when + mark, EVENT_LABELS[event.event], event.note])
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            history = _history(event)
            tip = f"{local_text(event.at, seconds=True)} {EVENT_LABELS[event.event]}"
            tip += f"\n{event.note}" if event.note else ""
            if history:
                tip += "\n" + history
            for column in range(3):
                item.setToolTip(column, tip)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        if select is not None and (chosen := self.tree.topLevelItem(select)) is not None:
            self.tree.setCurrentItem(chosen)
        self._selection_changed()

    def mark_problems(self, rows: set[int]) -> None:
        """⚠ on the steps whose time does not add up (the compliance panel says why); the
        checklist's rows say it too."""
        if self.checklist_mode:
            self.checklist.refresh(self._get())
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is None:
                continue
            text = item.text(0).removeprefix("⚠ ")
            item.setText(0, f"⚠ {text}" if row in rows else text)

    def select_step(self, index: int) -> None:
        if self.checklist_mode:
            timeline = self._get().timeline
            if 0 <= index < len(timeline):
                kind = timeline[index].event
                if first_index(self._get(), kind) == index and self.checklist.focus_row(kind):
                    return
        item = self.tree.topLevelItem(index)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_to_step(self, kind: EventKind) -> None:
        """Resolve a finding about ``kind``: select the step if the timeline has it (its
        time is the problem: Enter corrects it), else offer to add it."""
        incident = self._get()
        if self.checklist_mode and self.checklist.focus_row(kind):
            return
        for index, event in enumerate(incident.timeline):
            if event.event is kind:
                self.select_step(index)
                return
        self.add_at_time(kind if kind in self.kinds else None)

    def _selection_changed(self) -> None:
        has = self._selected() is not None
        self.correct_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _selected(self) -> int | None:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        index: int = item.data(0, Qt.ItemDataRole.UserRole)
        return index

    def _index_of(self, incident: Incident, event: TimelineEvent) -> int:
        for i, e in enumerate(incident.timeline):
            if e is event:
                return i
        return len(incident.timeline) - 1

    def _commit(self, incident: Incident, focus: TimelineEvent | None = None) -> None:
        select = self._index_of(incident, focus) if focus is not None else None
        self.show_timeline(incident, select)
        if self.checklist_mode:
            self.checklist.refresh(incident)
        self.changed.emit(incident)

    # ------------------------------------------------------------------- actions

    def stamp(self, kind: EventKind) -> None:
        incident = self._get()
        note = tidy(self.note.text()).strip()
        updated = editing.stamp_event(incident, kind, _now(), note)
        self.note.clear()
        new = _added(incident, updated)
        self._commit(updated, new)
        self.stamped.emit(new)

    def add_at_time(self, kind: EventKind | None = None) -> None:
        self.dialog = dialog = EventDialog(self, self.kinds, incident=self._get(), kind=kind)
        keep.track(dialog, "add-step", incident=self._get().incident_id)

        def done() -> None:
            kind, at, note = dialog.values()
            incident = self._get()
            updated = editing.stamp_event(incident, kind, at, note)
            new = _added(incident, updated)
            self._commit(updated, new)
            self.stamped.emit(new)

        dialog.accepted.connect(done)
        dialog.open()

    def correct_selected(self) -> None:
        index = self._selected()
        if index is None:
            return
        incident = self._get()
        event = incident.timeline[index]
        self.dialog = dialog = EventDialog(self, self.kinds, event, incident=incident)
        keep.track(dialog, "correct-step", incident=incident.incident_id, index=str(index))

        def done() -> None:
            _kind, at, note = dialog.values()  # the stored time, unless a new one was typed
            current = self._get()
            updated = editing.edit_event(current, index, at=at, note=note, edited_at=_now())
            self._commit(updated, _added(current, updated))

        dialog.accepted.connect(done)
        dialog.open()

    def remove_selected(self) -> None:
        index = self._selected()
        if index is None:
            return
        event = self._get().timeline[index]

        def remove() -> None:
            self._commit(editing.remove_event(self._get(), index))

        confirm(
            self,
            "Remove this step?",
            f"Remove “{EVENT_LABELS[event.event]}” at {local_text(event.at, seconds=True)} "
            "from the draft? Use this for a step pressed by mistake; to fix a time or note, "
            "use Correct instead.",
            "Remove",
            remove,
        )
