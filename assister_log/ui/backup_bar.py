"""The reminder over the list while no recent verified backup exists (issue 12: backup
reachable and a prominent reminder). The status bar keeps the same fact in words."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle

from assister_log.ui.common import local_text, named


class BackupReminder(QFrame):
    """A bar over the list while no recent verified backup exists: the records are on this
    laptop only. "Back up now" is File → Back up…."""

    back_up = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("backupReminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        named(icon, "Warning")
        self.text = QLabel()
        self.text.setWordWrap(True)
        font = self.text.font()
        font.setBold(True)
        self.text.setFont(font)
        self.button = QPushButton("&Back up now…")
        named(self.button, "Back up now")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.back_up)
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        named(self, "Backup reminder")
        self.due = False
        self.hide()

    def show_for(self, last: datetime | None, due: bool, on_list: bool) -> None:
        """Say what the last verified backup is (``last``); shown while a backup is ``due``
        and the list is the page in view."""
        self.due = due
        if last is None:
            self.text.setText(
                "No verified backup yet: these records exist only on this laptop. A lost "
                "or broken laptop loses them."
            )
        else:
            self.text.setText(
                f"The last verified backup is from {local_text(last)}: records written "
                "since exist only on this laptop."
            )
        self.text.setAccessibleName(self.text.text())
        self.place(on_list)

    def place(self, on_list: bool) -> None:
        """Over the list only: in the editor the status bar says it, and the page needs
        room."""
        self.setVisible(self.due and on_list)
