"""Who, when and where: the channel, the times, the place and the other party."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Incident, Party
from assister_log.policy import wording as w
from assister_log.policy.timing import SLACK_S, clock_text, minute
from assister_log.services.ui_support import local_now

from assister_log.ui.common import (
    EnumCombo,
    add_row,
    line_edit,
    named,
    text_edit,
    tidy,
    wrapped,
)
from assister_log.ui.editor.times import TimeField, error_label, show_error


class WhoSection(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.author = wrapped()
        layout.addWidget(self.author)

        when = QGroupBox("When and where")
        named(when, "When and where")
        form = QFormLayout(when)
        self.channel = EnumCombo(w.CHANNEL_LABELS)
        add_row(form, "How:", self.channel)
        self.occurred = TimeField("Began")
        add_row(
            form,
            "&Began:",
            self.occurred,
            "When the interaction began (local time), e.g. 6:15 pm or 18:15",
        )
        form.addRow("", self.occurred.message)
        ended_row = QHBoxLayout()
        self.has_ended = QCheckBox("Ended at")
        named(self.has_ended, "The interaction has an end time")
        self.ended = TimeField("Ended at")
        self.ended.setPlaceholderText("empty while it goes on; e.g. 6:40 pm")
        ended_row.addWidget(self.has_ended)
        ended_row.addWidget(self.ended, 1)
        form.addRow("Ended:", ended_row)
        form.addRow("", self.ended.message)
        self.times_message = error_label()
        self.times_message.setObjectName("timesMessage")
        form.addRow("", self.times_message)
        self._valid: tuple[datetime, datetime | None] | None = None
        self.location = line_edit("Where", placeholder="e.g. Brian Coyle Center, table 2")
        add_row(form, "Whe&re:", self.location)
        layout.addWidget(when)

        who = QGroupBox("The other party")
        named(who, "The other party")
        form = QFormLayout(who)
        self.party_kind = EnumCombo(w.PARTY_LABELS)
        add_row(form, "Who:", self.party_kind)
        self.name = line_edit("Name", placeholder="as given; leave empty if unknown")
        add_row(form, "Name:", self.name)
        self.case_number = line_edit("Case or application number")
        add_row(form, "Case / application no.:", self.case_number)
        self.phone = line_edit("Phone")
        add_row(form, "Phone:", self.phone)
        self.language = line_edit("Language")
        add_row(form, "Language:", self.language)
        self.interpreter = line_edit("Interpreter")
        add_row(form, "Interpreter:", self.interpreter)
        self.date_of_birth = line_edit(
            "Date of birth", placeholder="only if needed (fraud referral)"
        )
        add_row(form, "Date of birth:", self.date_of_birth)
        self.address = text_edit("Address", lines=2)
        add_row(form, "Address:", self.address)
        layout.addWidget(
            wrapped("There is no field for a Social Security number on purpose: never record it.")
        )
        layout.addWidget(who)
        layout.addStretch(1)

        for edit in (
            self.location,
            self.name,
            self.case_number,
            self.phone,
            self.language,
            self.interpreter,
            self.date_of_birth,
        ):
            edit.textEdited.connect(self.changed)
        self.address.textChanged.connect(self.changed)
        self.channel.currentIndexChanged.connect(self.changed)
        self.party_kind.currentIndexChanged.connect(self.changed)
        self.occurred.changed.connect(self._times_changed)
        self.ended.changed.connect(self._ended_typed)
        self.has_ended.toggled.connect(self._ended_toggled)

    # ------------------------------------------------------------------- times

    def _times_changed(self) -> None:
        began = self.occurred.value()
        if began is not None:
            self.ended.set_default_date(began.astimezone().date())
        self._check_times()
        self.changed.emit()

    def _ended_typed(self) -> None:
        if self.ended.value() is not None and not self.has_ended.isChecked():
            self.has_ended.blockSignals(True)
            self.has_ended.setChecked(True)
            self.has_ended.blockSignals(False)
        self._times_changed()

    def _ended_toggled(self, on: bool) -> None:
        if on and self.ended.value() is None:
            began = self.occurred.value()
            self.ended.set_value(None)
            self.ended.setFocus()
            if began is not None:
                self.ended.set_default_date(began.astimezone().date())
        elif not on:
            self.ended.set_value(None)
        self._times_changed()

    def times_problem(self) -> str:
        """Why Began and Ended do not add up, or "" (also shown under the fields)."""
        began = self.occurred.value()
        ended = self.ended.value() if self.has_ended.isChecked() else None
        if began is None:
            return ""
        now = local_now()
        if ended is not None and minute(ended) < minute(began):
            return (
                f"Ended ({clock_text(ended)}) is before Began ({clock_text(began)}): correct "
                "one of them. Until then the record keeps the times it had."
            )
        for label, value in (("Began", began), ("Ended", ended)):
            if value is not None and (value - now).total_seconds() > SLACK_S:
                return f"{label} ({clock_text(value)}) is after now ({clock_text(now)})."
        return ""

    def _check_times(self) -> None:
        show_error(self.times_message, self.times_problem())

    def load(self, incident: Incident) -> None:
        a = incident.author
        role = w.ROLE_LABELS[a.role]
        org = f", {a.organisation}" if a.organisation else ""
        self.author.setText(f"Written by {a.name} ({role}{org}).")
        widgets = (self.channel, self.occurred, self.ended, self.has_ended, self.party_kind)
        for widget in widgets:
            widget.blockSignals(True)
        self.channel.set_value(incident.channel)
        self.occurred.set_value(incident.occurred_at)
        self.has_ended.setChecked(incident.ended_at is not None)
        self.ended.set_value(incident.ended_at)
        self.ended.set_default_date(incident.occurred_at.astimezone().date())
        self._valid = (incident.occurred_at, incident.ended_at)
        p = incident.party
        self.party_kind.set_value(p.kind)
        for widget in widgets:
            widget.blockSignals(False)
        self.location.setText(incident.location)
        self.name.setText(p.name)
        self.case_number.setText(p.case_number)
        self.phone.setText(p.phone)
        self.language.setText(p.language)
        self.interpreter.setText(p.interpreter)
        self.date_of_birth.setText(p.date_of_birth)
        self.address.blockSignals(True)
        self.address.setPlainText(p.address)
        self.address.blockSignals(False)

    def set_ended_if_empty(self, at: datetime) -> None:
        """The live "ended" button also fills the end time, if none is set."""
        if not self.has_ended.isChecked():
            self.has_ended.blockSignals(True)
            self.has_ended.setChecked(True)
            self.has_ended.blockSignals(False)
            self.ended.set_value(at)
            self._times_changed()

    def apply(self, incident: Incident) -> Incident:
        occurred = self.occurred.value() or incident.occurred_at
        ended = self.ended.value() if self.has_ended.isChecked() else None
        if ended is not None and minute(ended) >= minute(occurred):
            ended = max(ended, occurred)  # the same minute as shown: seconds apart at most
            self._valid = (occurred, ended)
        elif ended is not None:
            # Never moved silently: the message under the fields (and the compliance panel)
            # says so, and the record keeps its last consistent times until it is fixed.
            occurred, ended = self._valid or (incident.occurred_at, incident.ended_at)
        else:
            self._valid = (occurred, ended)
        party = Party(
            kind=self.party_kind.value(),
            name=tidy(self.name.text()).strip(),
            case_number=tidy(self.case_number.text()).strip(),
            phone=tidy(self.phone.text()).strip(),
            language=tidy(self.language.text()).strip(),
            interpreter=tidy(self.interpreter.text()).strip(),
            date_of_birth=tidy(self.date_of_birth.text()).strip(),
            address=tidy(self.address.toPlainText(), multiline=True),
        )
        return replace(
            incident,
            channel=self.channel.value(),
            occurred_at=occurred,
            ended_at=ended,
            location=tidy(self.location.text()).strip(),
            party=party,
        )
