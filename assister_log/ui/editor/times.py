"""Time fields for a record written after the call: one line each (one Tab), read at minute
precision by ``services.times_input`` ("6:15", "6:15 pm", "18:15", a date first optional),
echoed as ``2026-05-12 18:15`` when the field is left, with an inline message when a time
cannot be read. A stored time keeps its seconds until the user types a new one; nothing is
ever moved silently. ``time_problems`` lists the times that do not add up (Ended before
Began, a step outside Began–Ended, a time after now) for the fields and the compliance
panel."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QLabel, QLineEdit

from assister_log.domain.model import EventKind, Incident
from assister_log.policy import timing
from assister_log.policy.timing import TimeProblem, minute
from assister_log.services.times_input import TimeInputError, format_local, parse_local
from assister_log.services.ui_support import local_now

from assister_log.ui.accessible import announce
from assister_log.ui.common import named


def error_label() -> QLabel:
    """An inline message under a field: empty (hidden) unless something is wrong."""
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("inlineError")
    label.setVisible(False)
    return label


def show_error(label: QLabel, text: str) -> None:
    """Show (or clear) the message; a new one is announced to the screen reader at once."""
    new = bool(text) and text != label.accessibleName()
    label.setText(f"⚠ {text}" if text else "")
    label.setAccessibleName(text)
    label.setVisible(bool(text))
    if new:
        announce(label, text, assertive=True)


class TimeField(QLineEdit):
    """A date and time in one line. ``changed`` fires when the value read changes. A click
    that brings the focus in selects the time, as Tab does, so typing replaces it (a second
    click places the cursor)."""

    changed = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        named(self, name)
        self.setPlaceholderText("e.g. 6:15 pm or 18:15")
        self.setMaxLength(40)
        self.message = error_label()
        self._stored: datetime | None = None
        self._value: datetime | None = None
        self._typed = False
        self._day = local_now().date()
        self._home: date | None = None  # shown as HH:MM alone (the checklist's rows)
        self._select_on_release = False
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finished)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._select_on_release:
            self._select_on_release = False
            if not self.hasSelectedText():  # not a drag that chose part of it
                self.selectAll()

    # --- value

    def set_value(self, value: datetime | None) -> None:
        """Show a stored time (its seconds are kept until the user types another)."""
        self._stored = value
        self._value = value
        self._typed = False
        if value is not None:
            self._day = value.astimezone().date()
        self.setText(self._shown(value.astimezone()) if value is not None else "")
        show_error(self.message, "")

    def set_default_date(self, day: date) -> None:
        """The date a time typed alone falls on (e.g. Began's date for Ended)."""
        self._day = day

    def set_home(self, day: date) -> None:
        """The day the interaction happened: a time typed alone falls on it, and a time on
        it shows as ``HH:MM`` alone (a time on another day keeps its date)."""
        self._home = day
        if not self._typed:
            self._day = day

    def _shown(self, value: datetime) -> str:
        if self._home is not None and value.date() == self._home:
            return value.strftime("%H:%M")
        return format_local(value)

    @property
    def typed(self) -> bool:
        """The user typed in the field since its value was last set."""
        return self._typed

    def value(self) -> datetime | None:
        """The time read (aware, local); the last good one while the text cannot be read."""
        return self._value

    @property
    def readable(self) -> bool:
        return self._read()[1] == ""

    # --- typing

    def _read(self) -> tuple[datetime | None, str]:
        try:
            naive = parse_local(self.text(), self._day)
        except TimeInputError as error:
            return None, str(error)
        return naive.astimezone(), ""

    def _edited(self, _text: str) -> None:
        self._typed = True
        value, error = self._read()
        if error:
            return  # said when the field is left: "6:1" is on its way to "6:15"
        show_error(self.message, "")
        assert value is not None
        self._day = value.date()  # a time typed alone next stays on this date
        if self._stored is not None and value == minute(self._stored.astimezone()):
            value = self._stored  # the same minute as stored: nothing changed
        if value != self._value:
            self._value = value
            self.changed.emit()

    def finish(self) -> None:
        """As when the field is left: the echo, or the message saying what it cannot read."""
        self._finished()

    def _finished(self) -> None:
        if not self._typed:
            return
        value, error = self._read()
        if error:
            show_error(self.message, error)
            return
        show_error(self.message, "")
        assert value is not None
        self.setText(self._shown(value))  # the echo: what was understood


def step_problem(
    kind: EventKind,
    at: datetime,
    began: datetime,
    ended: datetime | None,
    now: datetime | None = None,
) -> str:
    """``policy.timing.step_problem`` against the clock now."""
    return timing.step_problem(kind, at, began, ended, now or local_now())


def time_problems(incident: Incident, now: datetime | None = None) -> list[TimeProblem]:
    """``policy.timing.time_problems`` against the clock now."""
    return timing.time_problems(incident, now or local_now())


def suggested_time(incident: Incident, kind: EventKind) -> datetime:
    """Where a step added afterwards starts: the end for "ended", else just after the last
    step (or at Began), never after now; whole minutes."""
    now = minute(local_now())
    if kind is EventKind.INTERACTION_ENDED and incident.ended_at is not None:
        return min(minute(incident.ended_at), now)
    times = [e.at for e in incident.timeline]
    start = max(times) if times else incident.occurred_at
    return min(minute(start), now)
