"""Finalize (seal a draft after an attestation, showing what will be sealed and what is still
open) and Add addendum (the only change a finalized record accepts)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Incident
from assister_log.policy.checks import Finding
from assister_log.policy.rules import Level
from assister_log.policy.timing import TimeProblem
from assister_log.services.settings import DEFAULT_ATTESTATION

from assister_log.ui.common import add_row, heading, main_button, named, text_edit, tidy, wrapped
from assister_log.ui.editor.compliance import finding_text, problem_text, summary_text
from assister_log.ui.geometry import fit_dialog
from assister_log.ui.record_html import record_html

# Typed to seal a record while required steps are open: one checkbox is not enough.
SEAL_WORD = "SEAL"


class FinalizeDialog(QDialog):
    """The record as it will be sealed (the detail pane's rendering) beside the attestation.
    With required findings open, or times that do not add up, it names each of them and the
    Finalize button waits for the typed word as well as the checkbox. Each named item is a
    link, as in the compliance panel: activating it closes the dialog and emits ``go_to``
    with it, so the editor shows the field or step that resolves it."""

    go_to = Signal(object)  # a Finding or a TimeProblem

    def __init__(
        self,
        parent: QWidget | None,
        incident: Incident,
        findings: list[Finding],
        problems: Sequence[TimeProblem] = (),
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Finalize the record")
        named(self, "Finalize the record", "What will be sealed, and the attestation")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Finalize the record", 2))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setHtml(record_html(incident, sealing=True))
        named(self.preview, "What will be sealed", "The record as finalizing seals it")
        splitter.addWidget(self.preview)

        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(
            wrapped(
                "A finalized record is sealed: it can no longer be edited, only added to with "
                "addenda. Read it once more (left) before you finalize."
            )
        )
        open_findings = [f for f in findings if f.is_open]
        required = [f for f in open_findings if f.level is Level.REQUIRED]
        self.needs_word = bool(required or problems)
        self.summary = wrapped(summary_text(findings, len(problems)))
        column.addWidget(self.summary)
        self.required = QListWidget()
        self.required.setWordWrap(True)
        named(self.required, "Required steps the record does not show")
        self._targets: dict[QListWidget, list[Finding | TimeProblem]] = {}
        self._targets[self.required] = [*problems, *required]
        for problem in problems:
            self.required.addItem(problem_text(problem))
        for finding in required:
            self.required.addItem(finding_text(finding))
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        named(self.findings, "Other open findings")
        advised = [f for f in open_findings if f.level is not Level.REQUIRED]
        self._targets[self.findings] = list(advised)
        for finding in advised:
            self.findings.addItem(finding_text(finding))
        for each in (self.required, self.findings):
            each.itemActivated.connect(lambda _item, shown=each: self._go_to(shown))
        if self.needs_word:
            column.addWidget(
                wrapped(
                    "The policy requires steps this record does not show, or its times do not "
                    "add up. If a step did not happen, Cancel and record a justified deviation "
                    "in the compliance panel; or finalize the record as it is: it will print "
                    "these findings."
                )
            )
            column.addWidget(self.required, 2)
        else:
            self.required.hide()
        if self.findings.count():
            column.addWidget(self.findings, 1)
        else:
            self.findings.hide()
        form = QFormLayout()
        self.attestation = text_edit("Attestation", lines=4, limit=2_000)
        self.attestation.setPlainText(DEFAULT_ATTESTATION)
        add_row(form, "&Attestation:", self.attestation)
        column.addLayout(form)
        self.confirm = QCheckBox("I confirm the attestation above")
        named(self.confirm, self.confirm.text())
        column.addWidget(self.confirm)
        self.word = QLineEdit()
        self.word.setMaxLength(40)
        self.word_label = QLabel(
            f"Type {SEAL_WORD} to finalize with {len(required) + len(problems)} required "
            f"item{'s' if len(required) + len(problems) != 1 else ''} open:"
        )
        self.word_label.setWordWrap(True)
        self.word_label.setBuddy(self.word)
        named(self.word, f"Type {SEAL_WORD} to finalize with required items open")
        column.addWidget(self.word_label)
        column.addWidget(self.word)
        self.word_label.setVisible(self.needs_word)
        self.word.setVisible(self.needs_word)
        column.addStretch(0)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        label = "Finalize with open findings" if open_findings or problems else "Finalize"
        self.ok = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            named(button, button.text())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        main_button(self, buttons, self.ok)
        QWidget.setTabOrder(self.confirm, self.word)
        self.confirm.toggled.connect(self._update)
        self.attestation.textChanged.connect(self._update)
        self.word.textChanged.connect(self._update)
        self._update()
        fit_dialog(self, QSize(1100, 700))
        # Space ticks the confirmation, then Enter finalizes (the attestation is editable);
        # with required items open, Tab reaches the word and Enter there finalizes.
        self.confirm.setFocus()

    def _go_to(self, shown: QListWidget) -> None:
        row = shown.currentRow()
        targets = self._targets[shown]
        if 0 <= row < len(targets):
            self.reject()
            self.go_to.emit(targets[row])

    @property
    def word_typed(self) -> bool:
        return self.word.text().strip().upper() == SEAL_WORD

    def _update(self) -> None:
        self.ok.setEnabled(
            self.confirm.isChecked()
            and bool(self.attestation.toPlainText().strip())
            and (not self.needs_word or self.word_typed)
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
