"""The unlock screen: one field for the passphrase or the recovery key, one generic message
when it does not open (never which part was wrong), and a growing wait after repeated
failures (0, 1, 2, 4, 8, 16, 30 s). Light on purpose: it imports no vault code, so it
appears as fast as an empty window; the vault code loads in the background meanwhile.
For the same reason nothing here touches the ``Qt`` namespace's enums before the window is
shown (see ``basics``): labels hold fixed text or escaped rich text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log import APP_NAME

from assister_log.ui.basics import heading, named, secret_field

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

MAX_DELAY_S = 30


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def failure_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` failed attempts in a row."""
    if failures <= 1:
        return 0
    return min(1 << (failures - 2), MAX_DELAY_S)


class UnlockWindow(QWidget):
    unlock_requested = Signal(str)
    high_contrast_toggled = Signal(bool)
    quit_requested = Signal()

    def __init__(self, vault_dir: Path, high_contrast: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} – locked")
        named(self, f"{APP_NAME} – locked")
        self.failures = 0
        self.delay_unit_ms = 1000  # tests shorten the wait
        self._remaining = 0
        self._message = ""
        self._busy = False
        self._quitting_ok = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(10)
        layout.addWidget(heading(APP_NAME))
        layout.addWidget(_label("The vault is locked. Type your passphrase to open it."))
        self.field = secret_field("Passphrase or recovery key")
        self.field.setPlaceholderText("Passphrase or recovery key")
        self.field.setMinimumWidth(380)
        caption = QLabel("&Passphrase or recovery key:")
        caption.setBuddy(self.field)
        layout.addWidget(caption)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        self.button = QPushButton("&Unlock")
        self.button.setDefault(True)
        named(self.button, "Unlock")
        row.addWidget(self.button)
        layout.addLayout(row)
        self.status = _label()
        self.status.setObjectName("unlockStatus")
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 2)
        layout.addWidget(self.status)
        hint = _label(
            "Forgot the passphrase? Type the recovery key (8 groups of 4 letters and digits) "
            "in the same field."
        )
        layout.addWidget(hint)
        # Escaped rich text: a folder name is shown as written, whatever it contains.
        folder = str(vault_dir).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.folder = _label(f"<small>Vault: {folder}</small>")
        layout.addWidget(self.folder)
        self.contrast = QCheckBox("High contrast")
        named(self.contrast, "High contrast")
        self.contrast.setChecked(high_contrast)
        self.contrast.toggled.connect(self.high_contrast_toggled)
        layout.addWidget(self.contrast)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(self.delay_unit_ms)
        self.timer.timeout.connect(self._tick)
        self.button.clicked.connect(self.submit)
        self.field.returnPressed.connect(self.submit)
        self.field.textChanged.connect(lambda _t: self._update_button())
        self._update_button()
        self.field.setFocus()

    def _update_button(self) -> None:
        # The field is never disabled: Qt would move the focus on to the next control (the
        # High contrast checkbox), where a retyped passphrase's spaces toggle it. While the
        # secret is checked the field is read-only; during the wait it takes typing, and only
        # the Unlock button (and Enter) wait.
        waiting = self._remaining > 0
        self.field.setReadOnly(self._busy)
        self.button.setEnabled(not waiting and not self._busy and bool(self.field.text()))

    def submit(self) -> None:
        if self._busy or self._remaining > 0 or not self.field.text():
            return
        self._busy = True
        self.show_status("Unlocking…")
        self._update_button()
        from PySide6.QtCore import Qt

        self.setCursor(Qt.CursorShape.BusyCursor)
        self.unlock_requested.emit(self.field.text())

    def failed(self, text: str, *, count: bool = True) -> None:
        """The secret did not open the vault (``count``) or something else went wrong."""
        self._busy = False
        self.unsetCursor()
        self.field.clear()
        if count:
            self.failures += 1
            self._remaining = failure_delay(self.failures)
        if self._remaining:
            self.timer.setInterval(self.delay_unit_ms)
            self.timer.start()
        self._message = text
        self._show()
        self._update_button()
        if not self._remaining:
            self.field.setFocus()

    def show_status(self, text: str) -> None:
        """A message under the field, always as plain text."""
        from PySide6.QtCore import Qt

        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setText(text)

    def _show(self) -> None:
        text = self._message
        if self._remaining:
            unit = "second" if self._remaining == 1 else "seconds"
            text += f"\nYou can try again in {self._remaining} {unit}."
        self.show_status(text)

    def _tick(self) -> None:
        self._remaining = max(0, self._remaining - 1)
        self._show()
        if not self._remaining:
            self.timer.stop()
            self._update_button()
            self.field.setFocus()

    def succeeded(self) -> None:
        self._busy = False
        self.unsetCursor()
        self.field.clear()
        self.failures = 0
        self.status.clear()

    def idle(self) -> None:
        """Back to typing after a message about something other than the secret."""
        self._busy = False
        self.unsetCursor()
        self.status.clear()
        self._update_button()

    def allow_close(self) -> None:
        self._quitting_ok = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quitting_ok:
            event.accept()
            return
        event.ignore()
        self.quit_requested.emit()
