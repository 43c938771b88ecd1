"""The compliance panel: what the policy asks for that the draft does not show yet, each
with its clause, refreshed as the draft changes; and a justified deviation for a step that
was not followed for a reason (``domain.editing.record_deviation``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain import editing
from assister_log.domain.model import Incident
from assister_log.policy.checks import Finding, evaluate
from assister_log.policy.rules import Level
from assister_log.policy.timing import TimeProblem
from assister_log.services.ui_support import local_now

from assister_log.ui import keep
from assister_log.ui.common import confirm, main_button, named, text_edit, tidy, wrapped


def problem_text(problem: TimeProblem) -> str:
    return f"⚠ Time: {problem.text}\n    Open it to correct the time."


def finding_text(finding: Finding) -> str:
    level = "Required" if finding.level is Level.REQUIRED else "Advised"
    if finding.deviation is not None:
        return (
            f"✓ Deviation recorded: {finding.title} ({finding.clause})\n"
            f"    Justification: {finding.deviation.justification}"
        )
    return f"● {level}: {finding.title} ({finding.clause})\n    {finding.message}"


def summary_text(findings: list[Finding], problems: int = 0) -> str:
    open_ = [f for f in findings if f.is_open]
    times = f" {problems} time{'s' if problems != 1 else ''} to check." if problems else ""
    if not open_:
        return "✓ No open findings: the record shows every step the policy asks for." + times
    required = sum(1 for f in open_ if f.level is Level.REQUIRED)
    advised = len(open_) - required
    parts = []
    if required:
        parts.append(f"{required} required")
    if advised:
        parts.append(f"{advised} advised")
    noun = "finding" if len(open_) == 1 else "findings"
    return (
        f"{len(open_)} open {noun} ({', '.join(parts)}).{times} Open one to go where it is fixed."
    )


class DeviationDialog(QDialog):
    def __init__(self, parent: QWidget | None, finding: Finding) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Record a justified deviation")
        named(self, "Record a justified deviation")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{finding.title}</b>"))
        layout.addWidget(wrapped(f"{finding.message}\n{finding.clause}"))
        layout.addWidget(
            wrapped(
                "Say why this step was not followed, e.g. “The consumer left before I could "
                "give the reminder” or “Immediate danger: I ended the meeting at once.”"
            )
        )
        self.justification = text_edit("Justification", lines=4)
        if finding.deviation is not None:
            self.justification.setPlainText(finding.deviation.justification)
        layout.addWidget(self.justification)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Record deviation", QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            named(button, button.text())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        main_button(self, buttons, self.ok)
        self.justification.setFocus()
        self.justification.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.justification.toPlainText().strip()))

    @property
    def text(self) -> str:
        return tidy(self.justification.toPlainText(), multiline=True)


class CompliancePanel(QGroupBox):
    """Findings are links: activating one (Enter, double-click) emits ``go_to`` with the
    finding (or the time problem) so the editor shows the field or step that resolves it;
    a justified deviation is the secondary choice, on its button."""

    changed = Signal(object)  # the incident with a deviation recorded or withdrawn
    go_to = Signal(object)  # a Finding or a TimeProblem

    def __init__(self, get_incident: Callable[[], Incident], parent: QWidget | None = None):
        super().__init__("Compliance with the policy", parent)
        named(self, "Compliance with the policy")
        self._get = get_incident
        self.findings: list[Finding] = []
        self.problems: list[TimeProblem] = []
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.summary = wrapped()
        self.summary.setObjectName("complianceSummary")
        left.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        named(self.list, "Open findings")
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 3)
        left.addWidget(self.list, 1)
        layout.addLayout(left, 1)
        column = QVBoxLayout()
        self.go_button = QPushButton("&Jump to it")
        named(self.go_button, "Go to the field or step that resolves the selected finding")
        column.addWidget(self.go_button)
        self.go_button.clicked.connect(self.activate)
        self.deviate_button = QPushButton("Record justified\n&deviation…")
        self.withdraw_button = QPushButton("Withdraw\ndeviation")
        named(self.deviate_button, "Record justified deviation for the selected finding")
        named(self.withdraw_button, "Withdraw the deviation of the selected finding")
        column.addWidget(self.deviate_button)
        column.addWidget(self.withdraw_button)
        column.addStretch(1)
        layout.addLayout(column)
        self.deviate_button.clicked.connect(self.record_deviation)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.list.currentRowChanged.connect(lambda _row: self._buttons())
        self.list.itemActivated.connect(lambda _item: self.activate())
        self.dialog: DeviationDialog | None = None

    def refresh(self, incident: Incident, problems: list[TimeProblem] | None = None) -> None:
        selected = self.selected()
        code = selected.code if selected else None
        findings = evaluate(incident)
        self.problems = list(problems or [])
        # Times that do not add up first, then open findings in policy order, then
        # documented deviations.
        self.findings = [f for f in findings if f.is_open] + [f for f in findings if not f.is_open]
        self.summary.setText(summary_text(findings, len(self.problems)))
        self.list.clear()
        for problem in self.problems:
            item = QListWidgetItem(problem_text(problem))
            self.list.addItem(item)
        for finding in self.findings:
            item = QListWidgetItem(finding_text(finding))
            item.setData(Qt.ItemDataRole.UserRole, finding.code)
            self.list.addItem(item)
            if finding.code == code:
                self.list.setCurrentItem(item)
        self._buttons()

    def selected(self) -> Finding | None:
        row = self.list.currentRow() - len(self.problems)
        return self.findings[row] if 0 <= row < len(self.findings) else None

    def selected_problem(self) -> TimeProblem | None:
        row = self.list.currentRow()
        return self.problems[row] if 0 <= row < len(self.problems) else None

    def select(self, code: str) -> None:
        for row, finding in enumerate(self.findings):
            if finding.code == code:
                self.list.setCurrentRow(row + len(self.problems))

    def activate(self) -> None:
        """Go to what resolves the current row (the primary action of a finding)."""
        target: Finding | TimeProblem | None = self.selected_problem() or self.selected()
        if target is not None:
            self.go_to.emit(target)

    def _buttons(self) -> None:
        finding = self.selected()
        self.go_button.setEnabled(finding is not None or self.selected_problem() is not None)
        self.deviate_button.setEnabled(finding is not None)
        self.withdraw_button.setEnabled(finding is not None and finding.deviation is not None)

    def record_deviation(self) -> None:
        finding = self.selected()
        if finding is None:
            return
        self.dialog = dialog = DeviationDialog(self, finding)
        keep.track(dialog, "deviation", incident=self._get().incident_id, code=finding.code)

        def done() -> None:
            updated = editing.record_deviation(
                self._get(), finding.code, dialog.text, local_now().replace(microsecond=0)
            )
            self.changed.emit(updated)

        dialog.accepted.connect(done)
        dialog.open()

    def withdraw(self) -> None:
        finding = self.selected()
        if finding is None or finding.deviation is None:
            return
        confirm(
            self,
            "Withdraw the deviation?",
            f"Withdraw the justification for “{finding.title}”? The finding becomes open again.",
            "Withdraw",
            lambda: self.changed.emit(editing.withdraw_deviation(self._get(), finding.code)),
        )
