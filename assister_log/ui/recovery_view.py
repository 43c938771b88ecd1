"""The recovery key, shown once: large and readable, with print, save as PDF and copy (the
clipboard is cleared after 30 s), and a check that it was written down before going on."""

from __future__ import annotations

import html
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.errors import from_os_error

from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.common import message, monospace, named, wrapped
from assister_log.ui.files import FileChooser

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter


def recovery_html(key: str) -> str:
    today = date.today().isoformat()
    return (
        "<h1>Assister Log recovery key</h1>"
        f"<p>Written {today}. This key opens your Assister Log vault if the passphrase is "
        "forgotten. Anyone who has it and your vault files can read your records.</p>"
        f"<p style='font-family: monospace; font-size: 20pt; font-weight: bold;'>"
        f"{html.escape(key)}</p>"
        "<p>Keep this page somewhere safe and apart from the computer (for example locked "
        "away at your organisation). Letters O and I may be typed as 0 and 1; dashes and "
        "spaces do not matter.</p>"
        "<p>If a new recovery key is made later (Vault tools), this one stops working: "
        "destroy this page then.</p>"
    )


class RecoveryKeyView(QWidget):
    confirmed = Signal(bool)

    def __init__(
        self,
        clipboard: SecretClipboard,
        files: FileChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._files = files
        self._key = ""
        self._printer: QPrinter | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            wrapped(
                "This is your recovery key. It opens the vault if you forget the passphrase, "
                "and it is shown only now. Write it down or print it, and keep it apart from "
                "this computer."
            )
        )
        self.key_label = QLabel()
        font = QFont(monospace())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.6)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setWordWrap(True)
        self.key_label.setMargin(12)
        self.key_label.setFrameShape(QLabel.Shape.StyledPanel)
        layout.addWidget(self.key_label)
        row = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.pdf_button = QPushButton("Save as P&DF…")
        self.copy_button = QPushButton("&Copy (cleared after 30 s)")
        for button in (self.print_button, self.pdf_button, self.copy_button):
            named(button, button.text().replace("…", ""))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.print_button.clicked.connect(self.print_key)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.copy_button.clicked.connect(self.copy_key)
        self.status = wrapped()
        layout.addWidget(self.status)
        self.written = QCheckBox(
            "I have written down or printed the recovery key and will keep it safe"
        )
        named(self.written, self.written.text())
        self.written.toggled.connect(self.confirmed.emit)
        layout.addWidget(self.written)

    def set_key(self, key: str) -> None:
        self._key = key
        self.key_label.setText(key)
        self.key_label.setAccessibleName("Recovery key")
        self.written.setChecked(False)
        self.status.clear()

    def clear(self) -> None:
        self._key = ""
        self.key_label.clear()
        self.written.setChecked(False)

    @property
    def is_confirmed(self) -> bool:
        return self.written.isChecked()

    def copy_key(self) -> None:
        self._clipboard.copy(self._key)
        self.status.setText("Copied. The clipboard is cleared in 30 seconds.")

    def _document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(recovery_html(self._key))
        return doc

    def save_pdf(self) -> None:
        self._files.save_file(
            self,
            "Save the recovery key as PDF",
            "assister-log-recovery-key.pdf",
            "PDF files (*.pdf)",
            "pdf",
            self.write_pdf,
        )

    def write_pdf(self, path: Path) -> None:
        writer = QPdfWriter(str(path))
        writer.setTitle("Assister Log recovery key")
        writer.setCreator("Assister Log")
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
        self._document().print_(writer)
        del writer  # flushes and closes the file
        try:
            os.chmod(path, 0o600)
        except OSError as error:
            message(self, "Could not save", from_os_error(error, path.name).message)
            return
        self.status.setText(
            f"Saved to {path}. Print it, then delete the file or keep it somewhere only you "
            "can reach."
        )

    def print_key(self) -> None:
        """Show the print dialog without blocking; ``print_to`` prints once it is accepted."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Assister Log recovery key")
        self._printer = printer  # the dialog refers to it until it closes
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        named(dialog, "Print the recovery key")
        # QPrintDialog.open(receiver, member): Qt connects accepted(QPrinter*) to the slot and
        # disconnects it when the dialog closes. (PySide6 6.11 has no open() without arguments.)
        dialog.open(self, SLOT("print_to(QPrinter*)"))  # type: ignore[arg-type]  # stubs say bytes; the binding takes SLOT()'s str only (bytes raise ValueError)

    @Slot("QPrinter*")  # by name: QtPrintSupport loads only when Print… is pressed
    def print_to(self, printer: QPrinter) -> None:
        self._document().print_(printer)
        self.status.setText("Sent to the printer.")
