"""Export a record as PDF: the documents that fit it (termination record, fraud referral
packet, staff memo), an explicit choice between a password-protected (AES-256) and a
plaintext file, a save dialog that remembers nothing, and progress while it renders.
The PDF itself is ``services.export``'s work."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Incident
from assister_log.services import export
from assister_log.services.session import Session

from assister_log.ui.common import add_row, named, secret_field, wrapped
from assister_log.ui.files import FileChooser
from assister_log.ui.tasks import TaskRunner

MIN_PASSWORD = 8


class ExportDialog(QDialog):
    exported = Signal(object)  # Path
    failed = Signal(object)  # exception

    def __init__(
        self,
        parent: QWidget | None,
        session: Session,
        incident: Incident,
        files: FileChooser,
        runner: TaskRunner,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Export a PDF")
        named(self, "Export a PDF")
        self._session = session
        self._incident = incident
        self._files = files
        self._runner = runner
        self.progress: QProgressDialog | None = None
        layout = QVBoxLayout(self)

        kinds = QGroupBox("Document")
        named(kinds, "Document")
        kinds_layout = QVBoxLayout(kinds)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for kind in export.kinds_for(incident):
            button = QRadioButton(export.KIND_TITLES[kind])
            named(button, export.KIND_TITLES[kind])
            self.kind_group.addButton(button)
            kinds_layout.addWidget(button)
            self.kind_buttons[kind] = button
        next(iter(self.kind_buttons.values())).setChecked(True)
        layout.addWidget(kinds)

        protect = QGroupBox("Protection")
        named(protect, "Protection")
        protect_layout = QVBoxLayout(protect)
        self.protected = QRadioButton("Protect with a password (AES-256)")
        self.plaintext = QRadioButton("Plaintext PDF: anyone who gets the file can read it")
        named(self.protected, self.protected.text())
        named(self.plaintext, self.plaintext.text())
        self.protection_group = QButtonGroup(self)
        self.protection_group.addButton(self.protected)
        self.protection_group.addButton(self.plaintext)
        protect_layout.addWidget(self.protected)
        form = QFormLayout()
        self.password = secret_field("PDF password")
        self.password_again = secret_field("Repeat the PDF password")
        add_row(form, "&Password:", self.password)
        add_row(form, "&Repeat it:", self.password_again)
        self.password.setAccessibleName("PDF password")
        self.password_again.setAccessibleName("Repeat the PDF password")
        protect_layout.addLayout(form)
        protect_layout.addWidget(
            wrapped(
                "Tell the recipient the password another way (a phone call), never in the "
                "same email as the file."
            )
        )
        protect_layout.addWidget(self.plaintext)
        layout.addWidget(protect)
        self.hint = wrapped()
        layout.addWidget(self.hint)
        layout.addWidget(
            wrapped(
                "The suggested file name holds the kind of document, the record number and "
                "today's date, never a name. Assister Log does not remember where you save."
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            "Choose where to save…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        for each in buttons.buttons():
            named(each, each.text().replace("…", ""))
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for widget in (self.protected, self.plaintext):
            widget.toggled.connect(self._update)
        self.password.textChanged.connect(self._update)
        self.password_again.textChanged.connect(self._update)
        self._update()

    @property
    def kind(self) -> str:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def _update(self) -> None:
        protected = self.protected.isChecked()
        self.password.setEnabled(protected)
        self.password_again.setEnabled(protected)
        ok = False
        if protected:
            first, again = self.password.text(), self.password_again.text()
            if len(first) < MIN_PASSWORD:
                self.hint.setText(f"Use a password of at least {MIN_PASSWORD} characters.")
            elif first != again:
                self.hint.setText("The two passwords differ.")
            else:
                self.hint.setText("✓ The PDF will be encrypted with this password.")
                ok = True
        elif self.plaintext.isChecked():
            self.hint.setText("The PDF will not be encrypted.")
            ok = True
        else:
            self.hint.setText("Choose password protection or a plaintext PDF.")
        self.save_button.setEnabled(ok)

    def choose(self) -> None:
        if not self.save_button.isEnabled():
            return
        name = export.suggested_filename(self.kind, self._incident)
        self._files.save_file(
            self, "Save the PDF", name, "PDF files (*.pdf)", "pdf", self.export_to
        )

    def export_to(self, path: Path) -> None:
        kind = self.kind
        password = self.password.text() if self.protected.isChecked() else None
        session, incident_id = self._session, self._incident.incident_id
        self.progress = QProgressDialog("Writing the PDF…", "", 0, 0, self)
        self.progress.setCancelButton(None)
        self.progress.setWindowTitle("Export")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        named(self.progress, "Writing the PDF")
        self.progress.setValue(0)
        self.setEnabled(False)
        self._runner.run(
            lambda: export.export_pdf(session, incident_id, kind, path, password=password),
            self._done,
            self._failed,
        )

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.setEnabled(True)

    def _done(self, path: Path) -> None:
        self._close_progress()
        self.password.clear()
        self.password_again.clear()
        self.exported.emit(path)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        self.failed.emit(error)
