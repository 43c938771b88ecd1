"""Procedure-specific facts: the MNsure staff call (recording, assister on the call) and the
fraud referral (reporter or anonymous, public program, other agencies, the no-discussion
instruction)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import (
    FraudReferral,
    Incident,
    Profile,
    ReporterDetails,
    StaffCallDetails,
)
from assister_log.policy import wording as w
from assister_log.policy.procedures import DetailsSection as Section
from assister_log.policy.procedures import details_sections

from assister_log.ui.common import (
    LimitedTextEdit,
    add_row,
    line_edit,
    named,
    policy_text,
    text_edit,
    tidy,
    wrapped,
)


def _check(text: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(text)
    return box


class StaffCallBox(QGroupBox):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__("Staff call")
        named(self, "Staff call details")
        form = QFormLayout(self)
        self.recording_available = _check("A recording of the call is available")
        self.recording_reference = line_edit("Recording reference")
        self.reminder_mentioned = _check("The reminder told the caller the call is being recorded")
        self.assister_on_call = _check("The call involved a certified assister")
        form.addRow(self.recording_available)
        add_row(form, "Recording reference:", self.recording_reference)
        form.addRow(self.reminder_mentioned)
        form.addRow(self.assister_on_call)
        form.addRow(
            wrapped(
                "If a certified assister was involved, the Broker Relations Director or the "
                "Senior Director of Partner and Board Relations must be notified."
            )
        )
        for box in (self.recording_available, self.reminder_mentioned, self.assister_on_call):
            box.toggled.connect(self.changed)
        self.recording_reference.textEdited.connect(self.changed)

    def load(self, details: StaffCallDetails) -> None:
        for box, value in (
            (self.recording_available, details.recording_available),
            (self.reminder_mentioned, details.reminder_mentioned_recording),
            (self.assister_on_call, details.assister_on_call),
        ):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        self.recording_reference.setText(details.recording_reference)

    def details(self) -> StaffCallDetails:
        return StaffCallDetails(
            recording_available=self.recording_available.isChecked(),
            recording_reference=tidy(self.recording_reference.text()).strip(),
            reminder_mentioned_recording=self.reminder_mentioned.isChecked(),
            assister_on_call=self.assister_on_call.isChecked(),
        )


class FraudBox(QGroupBox):
    changed = Signal()

    def __init__(self, profile: Profile) -> None:
        super().__init__("Fraud referral")
        named(self, "Fraud referral details")
        self._profile = profile
        layout = QVBoxLayout(self)
        self.anonymous = _check("Refer anonymously (leave my details out of the referral)")
        layout.addWidget(self.anonymous)
        self.reporter_box = QGroupBox("Reporter (optional)")
        named(self.reporter_box, "Reporter")
        form = QFormLayout(self.reporter_box)
        self.reporter_name = line_edit("Reporter name")
        self.reporter: dict[str, QLineEdit | LimitedTextEdit] = {
            "name": self.reporter_name,
            "mailing_address": text_edit("Reporter mailing address", lines=2),
            "day_phone": line_edit("Reporter day phone"),
            "evening_phone": line_edit("Reporter evening phone"),
            "best_time": line_edit("Best time to call"),
            "email": line_edit("Reporter email"),
        }
        labels = {
            "name": "Name:",
            "mailing_address": "Mailing address:",
            "day_phone": "Day phone:",
            "evening_phone": "Evening phone:",
            "best_time": "Best time to call:",
            "email": "Email:",
        }
        for key, edit in self.reporter.items():
            name = edit.accessibleName()
            add_row(form, labels[key], edit)
            edit.setAccessibleName(name)
        self.fill = QPushButton("Fill in from my profile")
        named(self.fill, "Fill in the reporter from my profile")
        self.fill.clicked.connect(self.fill_from_profile)
        form.addRow(self.fill)
        layout.addWidget(self.reporter_box)
        form2 = QFormLayout()
        self.public_program = _check(
            "A public program is involved (Medical Assistance or MinnesotaCare)"
        )
        form2.addRow(self.public_program)
        self.other_agencies = text_edit("Other agencies already notified", lines=2)
        add_row(form2, "Other agencies notified:", self.other_agencies)
        self.response = text_edit("The consumer's response to the accuracy reminder", lines=2)
        add_row(form2, "Response to the reminder:", self.response)
        layout.addLayout(form2)
        layout.addWidget(policy_text(f"Policy: {w.NO_DISCUSSION_INSTRUCTION}"))
        self.no_discussion = _check(
            "I will not discuss it with co-workers until debriefed by law enforcement"
        )
        layout.addWidget(self.no_discussion)
        for box in (self.anonymous, self.public_program, self.no_discussion):
            box.toggled.connect(self.changed)
        self.anonymous.toggled.connect(lambda on: self.reporter_box.setEnabled(not on))
        for edit in self.reporter.values():
            if isinstance(edit, LimitedTextEdit):
                edit.textChanged.connect(self.changed)
            else:
                edit.textEdited.connect(self.changed)
        self.other_agencies.textChanged.connect(self.changed)
        self.response.textChanged.connect(self.changed)

    def fill_from_profile(self) -> None:
        p = self._profile
        if not self.reporter_name.text():
            self.reporter_name.setText(p.name)
        self.changed.emit()

    @staticmethod
    def _text(edit: QLineEdit | LimitedTextEdit) -> str:
        if isinstance(edit, LimitedTextEdit):
            return tidy(edit.toPlainText(), multiline=True)
        return tidy(edit.text()).strip()

    def load(self, fraud: FraudReferral) -> None:
        self.blockSignals(True)
        self.anonymous.setChecked(fraud.anonymous)
        self.reporter_box.setEnabled(not fraud.anonymous)
        for key, edit in self.reporter.items():
            value = getattr(fraud.reporter, key)
            if isinstance(edit, LimitedTextEdit):
                edit.setPlainText(value)
            else:
                edit.setText(value)
        self.public_program.setChecked(fraud.public_program)
        self.other_agencies.setPlainText(fraud.other_agencies_notified)
        self.response.setPlainText(fraud.response_to_reminder)
        self.no_discussion.setChecked(fraud.no_discussion_acknowledged)
        self.blockSignals(False)

    def details(self) -> FraudReferral:
        return FraudReferral(
            anonymous=self.anonymous.isChecked(),
            reporter=ReporterDetails(
                **{key: self._text(edit) for key, edit in self.reporter.items()}
            ),
            public_program=self.public_program.isChecked(),
            other_agencies_notified=self._text(self.other_agencies),
            response_to_reminder=self._text(self.response),
            no_discussion_acknowledged=self.no_discussion.isChecked(),
        )


class DetailsSection(QScrollArea):
    """Shown as its own tab when the procedure (or the record) has such details."""

    changed = Signal()

    def __init__(self, incident: Incident, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.staff: StaffCallBox | None = None
        self.fraud: FraudBox | None = None
        sections = details_sections(incident)  # which ones: the procedure's spec (policy)
        if Section.STAFF_CALL in sections:
            self.staff = StaffCallBox()
            self.staff.changed.connect(self.changed)
            layout.addWidget(self.staff)
        if Section.FRAUD_REFERRAL in sections:
            self.fraud = FraudBox(incident.author)
            self.fraud.changed.connect(self.changed)
            layout.addWidget(self.fraud)
        layout.addStretch(1)
        self.setWidget(inner)
        named(self, self.title)

    @property
    def title(self) -> str:
        if self.staff and self.fraud:
            return "Call and referral"
        return "Staff call" if self.staff else "Fraud referral"

    @property
    def relevant(self) -> bool:
        return self.staff is not None or self.fraud is not None

    def load(self, incident: Incident) -> None:
        if self.staff is not None:
            self.staff.load(incident.staff_call or StaffCallDetails())
        if self.fraud is not None:
            self.fraud.load(incident.fraud or FraudReferral())

    def apply(self, incident: Incident) -> Incident:
        if self.staff is not None:
            incident = replace(incident, staff_call=self.staff.details())
        if self.fraud is not None:
            incident = replace(incident, fraud=self.fraud.details())
        return incident
