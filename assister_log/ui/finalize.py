"""Finalize (seal a draft after an attestation, showing what is still open) and Add addendum
(the only change a finalized record accepts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from assister_log.policy.checks import Finding
from assister_log.policy.rules import Level
from assister_log.services.settings import DEFAULT_ATTESTATION

from assister_log.ui.common import add_row, heading, main_button, named, text_edit, tidy, wrapped
from assister_log.ui.editor.compliance import finding_text, summary_text


class FinalizeDialog(QDialog):
    def __init__(self, parent: QWidget | None, findings: list[Finding]) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Finalize the record")
        named(self, "Finalize the record")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Finalize the record", 2))
        layout.addWidget(
            wrapped(
                "A finalized record is sealed: it can no longer be edited, only added to with "
                "addenda. Check it once more before you finalize."
            )
        )
        open_findings = [f for f in findings if f.is_open]
        self.summary = wrapped(summary_text(findings))
        layout.addWidget(self.summary)
        if open_findings:
            required = [f for f in open_findings if f.level is Level.REQUIRED]
            if required:
                layout.addWidget(
                    wrapped(
                        "The policy requires steps this record does not show. If they did not "
                        "happen, say why with a justified deviation (Cancel, then “Record "
                        "justified deviation”), or finalize the record as it is: it will print "
                        "these findings."
                    )
                )
            self.findings = QListWidget()
            self.findings.setWordWrap(True)
            named(self.findings, "Open findings")
            for finding in open_findings:
                self.findings.addItem(finding_text(finding))
            layout.addWidget(self.findings, 1)
        form = QFormLayout()
        self.attestation = text_edit("Attestation", lines=4, limit=2_000)
        self.attestation.setPlainText(DEFAULT_ATTESTATION)
        add_row(form, "&Attestation:", self.attestation)
        layout.addLayout(form)
        self.confirm = QCheckBox("I confirm the attestation above")
        named(self.confirm, self.confirm.text())
        layout.addWidget(self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        label = "Finalize with open findings" if open_findings else "Finalize"
        self.ok = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            named(button, button.text())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        main_button(self, buttons, self.ok)
        self.confirm.toggled.connect(self._update)
        self.attestation.textChanged.connect(self._update)
        self._update()
        # Space ticks the confirmation, then Enter finalizes (the attestation is editable).
        self.confirm.setFocus()

    def _update(self) -> None:
        self.ok.setEnabled(
            self.confirm.isChecked() and bool(self.attestation.toPlainText().strip())
        )

    @property
    def text(self) -> str:
        return tidy(self.attestation.toPlainText(), multiline=True)


class AddendumDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Add an addendum")
        named(self, "Add an addendum")
        self.resize(600, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "An addendum adds to a finalized record without changing it: new facts, a "
                "correction, a witness heard later. It is sealed with its own time."
            )
        )
        form = QFormLayout()
        self.body = text_edit("Addendum text", lines=8, limit=100_000)
        self.reason = text_edit("Reason for the addendum", lines=2, limit=2_000)
        add_row(form, "&Text:", self.body)
        add_row(form, "&Reason:", self.reason)
        self.body.setAccessibleName("Addendum text")
        self.reason.setAccessibleName("Reason for the addendum")
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Add addendum", QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            named(button, button.text())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(wrapped("Enter starts a new line; Ctrl+Enter adds the addendum."))
        layout.addWidget(buttons)
        main_button(self, buttons, self.ok)
        self.body.setFocus()
        self.body.textChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(
            bool(self.body.toPlainText().strip()) and bool(self.reason.toPlainText().strip())
        )

    def values(self) -> tuple[str, str]:
        return (
            tidy(self.body.toPlainText(), multiline=True),
            tidy(self.reason.toPlainText(), multiline=True),
        )
