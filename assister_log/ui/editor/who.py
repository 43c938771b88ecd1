"""Who, when and where: the channel, the times, the place and the other party."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Incident, Party
from assister_log.policy import wording as w

from assister_log.ui.common import (
    EnumCombo,
    add_row,
    from_qdatetime,
    line_edit,
    named,
    text_edit,
    tidy,
    to_qdatetime,
    wrapped,
)


def datetime_edit(name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    named(edit, name)
    return edit


def _keep(stored: datetime | None, shown: datetime) -> datetime:
    if stored is not None and abs((shown - stored).total_seconds()) < 60:
        return stored
    return shown


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
        self.occurred = datetime_edit("Began")
        add_row(form, "&Began:", self.occurred, "When the interaction began (local time)")
        ended_row = QHBoxLayout()
        self.has_ended = QCheckBox("Ended at")
        named(self.has_ended, "The interaction has an end time")
        self.ended = datetime_edit("Ended at")
        ended_row.addWidget(self.has_ended)
        ended_row.addWidget(self.ended, 1)
        form.addRow("Ended:", ended_row)
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
        self.occurred.dateTimeChanged.connect(self._occurred_changed)
        self.ended.dateTimeChanged.connect(self.changed)
        self.has_ended.toggled.connect(self._ended_toggled)

    def _occurred_changed(self) -> None:
        # An end before the start would make the record unreadable: keep it after.
        self.ended.setMinimumDateTime(self.occurred.dateTime())
        self.changed.emit()

    def _ended_toggled(self, on: bool) -> None:
        self.ended.setEnabled(on)
        self.changed.emit()

    def load(self, incident: Incident) -> None:
        a = incident.author
        role = w.ROLE_LABELS[a.role]
        org = f", {a.organisation}" if a.organisation else ""
        self.author.setText(f"Written by {a.name} ({role}{org}).")
        widgets = (self.channel, self.occurred, self.ended, self.has_ended, self.party_kind)
        for widget in widgets:
            widget.blockSignals(True)
        self.channel.set_value(incident.channel)
        self.occurred.setDateTime(to_qdatetime(incident.occurred_at))
        self.ended.setMinimumDateTime(self.occurred.dateTime())
        self.has_ended.setChecked(incident.ended_at is not None)
        self.ended.setEnabled(incident.ended_at is not None)
        self.ended.setDateTime(to_qdatetime(incident.ended_at or incident.occurred_at))
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
            self.ended.setDateTime(to_qdatetime(at))
            self.has_ended.setChecked(True)

    def apply(self, incident: Incident) -> Incident:
        occurred = from_qdatetime(self.occurred.dateTime())
        ended = from_qdatetime(self.ended.dateTime()) if self.has_ended.isChecked() else None
        # The editor shows minutes: keep the stored time (and its offset) unless changed.
        occurred = _keep(incident.occurred_at, occurred)
        if ended is not None:
            ended = max(_keep(incident.ended_at, ended), occurred)
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
