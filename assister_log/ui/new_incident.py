"""New incident: which procedure (the profile's role limits it) and whether the interaction
is happening now (live stamping) or has ended (Began and Ended typed here; the editor then
shows the procedure's steps as a checklist)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Procedure, Role
from assister_log.policy import wording as w
from assister_log.policy.procedures import default_procedure
from assister_log.policy.timing import SLACK_S, clock_text, minute

from assister_log.ui.common import (
    add_row,
    main_button,
    named,
    wrapped,
)
from assister_log.ui.editor.times import TimeField, error_label, show_error


class NewIncidentDialog(QDialog):
    """Which procedure, and is it happening now or has it ended? The procedure decides the
    grounds, the timeline steps and the checks; the profile's role limits it
    (``policy.procedures``): a procedure the role may not follow is shown greyed out with the
    reason beneath it. "It has ended" (the default) takes Began and Ended here, at whole
    minutes, and the editor opens on the after-the-fact checklist; "happening now" starts a
    live record (it began now; each step is stamped as it happens)."""

    def __init__(self, parent: QWidget | None, role: Role | None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("New incident")
        named(self, "New incident")
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped("Which procedure did you follow?"))
        self.group = QButtonGroup(self)
        self.buttons: dict[Procedure, QRadioButton] = {}
        self.reasons: dict[Procedure, QLabel] = {}
        default = default_procedure(role)
        for procedure in Procedure:
            refusal = None if role is None else w.procedure_refusal(procedure, role)
            button = QRadioButton(w.PROCEDURE_LABELS[procedure])
            title = w.PROCEDURE_TITLES[procedure]
            named(
                button, w.PROCEDURE_LABELS[procedure], f"{title}. {refusal}" if refusal else title
            )
            button.setEnabled(refusal is None)
            self.group.addButton(button)
            layout.addWidget(button)
            hint = wrapped(title)
            hint.setContentsMargins(24, 0, 0, 6 if refusal is None else 0)
            layout.addWidget(hint)
            reason = wrapped(refusal or "")
            reason.setObjectName("procedureRefused")
            reason.setContentsMargins(24, 0, 0, 6)
            reason.setVisible(refusal is not None)
            layout.addWidget(reason)
            self.buttons[procedure] = button
            self.reasons[procedure] = reason
        self.buttons[default].setChecked(True)

        layout.addSpacing(6)
        layout.addWidget(wrapped("Is it happening now, or has it ended?"))
        self.when_group = QButtonGroup(self)
        self.has_ended = QRadioButton("It has &ended — I am writing it up")
        self.live = QRadioButton("It is happening &now — I will stamp each step as it happens")
        named(self.has_ended, "It has ended — I am writing it up")
        named(self.live, "It is happening now — I will stamp each step as it happens")
        self.when_group.addButton(self.has_ended)
        self.when_group.addButton(self.live)
        layout.addWidget(self.has_ended)
        self.times = QWidget()
        form = QFormLayout(self.times)
        form.setContentsMargins(24, 0, 0, 6)
        self.began = TimeField("Began")
        add_row(form, "&Began:", self.began, "When it began, e.g. 6:15 pm or 18:15")
        form.addRow("", self.began.message)
        self.ended = TimeField("Ended")
        add_row(form, "En&ded:", self.ended, "When it ended; a time alone is on Began's date")
        form.addRow("", self.ended.message)
        layout.addWidget(self.times)
        layout.addWidget(self.live)
        self.problem = error_label()
        layout.addWidget(self.problem)
        layout.addSpacing(6)
        self.setMinimumWidth(480)
        self.has_ended.setChecked(True)
        self._tried = False
        self.has_ended.toggled.connect(self._mode_changed)
        self.began.changed.connect(self._began_changed)
        for field in (self.began, self.ended):
            field.changed.connect(self._check)
            field.editingFinished.connect(self._check)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = ok = buttons.addButton(
            "&Start the record", QDialogButtonBox.ButtonRole.AcceptRole
        )
        for each in buttons.buttons():
            named(each, each.text())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        main_button(self, buttons, ok)
        self.buttons[default].setFocus()

    @property
    def procedure(self) -> Procedure:
        return next(p for p, b in self.buttons.items() if b.isChecked())

    def interaction_times(self) -> tuple[datetime | None, datetime | None]:
        """Began and Ended as typed (whole minutes), or (None, None) for a live record."""
        if self.live.isChecked():
            return None, None
        return self.began.value(), self.ended.value()

    def _mode_changed(self, ended: bool) -> None:
        self.times.setVisible(ended)
        self._check()
        if ended:
            self.began.setFocus()

    def _began_changed(self) -> None:
        began = self.began.value()
        if began is not None:
            self.ended.set_default_date(began.date())

    def _problem(self) -> tuple[str, QWidget | None]:
        """What stops the record from starting, and the field to fix; empty fields only
        once the user has tried to start it."""
        if self.live.isChecked():
            return "", None
        fields = (("Began", self.began), ("Ended", self.ended))
        for (_label, field), verb in zip(fields, ("began", "ended"), strict=True):
            if not field.text().strip():
                if not self._tried:
                    return "", None
                return (
                    f"Type when it {verb} (e.g. 6:15 pm), or choose “It is happening now”.",
                    field,
                )
            if not field.readable:
                return "", field  # the field's own message says what it could not read
        began, ended = self.began.value(), self.ended.value()
        assert began is not None and ended is not None
        if minute(ended) < minute(began):
            return f"Ended ({clock_text(ended)}) is before Began ({clock_text(began)}).", self.ended
        now = datetime.now().astimezone()
        for (label, field), value in zip(fields, (began, ended), strict=True):
            if (value - now).total_seconds() > SLACK_S:
                return f"{label} ({clock_text(value)}) is after now ({clock_text(now)}).", field
        return "", None

    def _check(self) -> tuple[str, QWidget | None]:
        text, field = self._problem()
        show_error(self.problem, text)
        return text, field

    def accept(self) -> None:
        self._tried = True
        for field in (self.began, self.ended):
            if field.text().strip():
                field.finish()
        _text, wrong = self._check()
        if wrong is not None:
            wrong.setFocus()
            if isinstance(wrong, TimeField):
                wrong.selectAll()
            return
        super().accept()
