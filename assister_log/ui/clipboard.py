"""Copying a secret (the recovery key) to the clipboard: marked so clipboard managers that
honour the hint skip it, and cleared after 30 s, on lock and on quit, if it is still there."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 30_000


class SecretClipboard(QObject):
    def __init__(self, parent: QObject | None = None, clear_after_ms: int = CLEAR_AFTER_MS):
        super().__init__(parent)
        self._secret: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_after_ms)
        self._timer.timeout.connect(self.clear)

    def copy(self, secret: str) -> None:
        data = QMimeData()
        data.setText(secret)
        # KDE Klipper and several other clipboard managers leave such entries out of history.
        data.setData("x-kde-passwordManagerHint", b"secret")
        QGuiApplication.clipboard().setMimeData(data)
        self._secret = secret
        self._timer.start()

    def clear(self) -> None:
        """Empty the clipboard if it still holds the secret we put there."""
        self._timer.stop()
        if self._secret is None:
            return
        clipboard = QGuiApplication.clipboard()
        if clipboard.text() == self._secret:
            clipboard.clear()
        self._secret = None

    @property
    def holding(self) -> bool:
        return self._secret is not None
