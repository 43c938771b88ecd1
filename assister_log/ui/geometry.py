"""Windows that fit the screen they open on: the main window takes the screen's available
geometry (maximized on a screen under ``TALL_ENOUGH`` pixels high, e.g. a 1366×768 laptop,
so the status bar with the backup warning and the compliance panel stay visible), a dialog
never grows past the screen, and the main window's geometry survives a lock and a restart
(kept in the vault's display preferences, never in QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

TALL_ENOUGH = 900  # below this many pixels of available height, the main window is maximized
PREFERRED = QSize(1280, 800)
FRAME_ALLOWANCE = 40  # title bar and borders the window manager adds around a window


def screen_of(window: QWidget) -> QScreen | None:
    return window.screen() or QGuiApplication.primaryScreen()


def fitted(available: QRect, preferred: QSize = PREFERRED) -> QRect:
    """The rectangle (client area) a window of ``preferred`` size gets on a screen with
    ``available`` geometry: at most the preferred size, never larger than the screen minus
    the frame, centred."""
    width = min(preferred.width(), available.width() - FRAME_ALLOWANCE // 2)
    height = min(preferred.height(), available.height() - FRAME_ALLOWANCE)
    rect = QRect(0, 0, max(width, 200), max(height, 200))
    rect.moveCenter(available.center())
    return rect


def should_maximize(available: QRect) -> bool:
    return available.height() < TALL_ENOUGH


def fit_main_window(window: QWidget, preferred: QSize = PREFERRED) -> None:
    """Size ``window`` for its screen before it is shown."""
    screen = screen_of(window)
    if screen is None:
        window.resize(preferred)
        return
    available = screen.availableGeometry()
    window.setGeometry(fitted(available, preferred))
    if should_maximize(available):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def fit_dialog(dialog: QWidget, preferred: QSize) -> None:
    """Resize a dialog to ``preferred``, shrunk to its screen."""
    screen = screen_of(dialog)
    if screen is None:
        dialog.resize(preferred)
        return
    rect = fitted(screen.availableGeometry(), preferred)
    dialog.resize(rect.size())


# ------------------------------------------------------------------- keep and restore


def saved_geometry(window: QWidget) -> str:
    """The window's geometry (position, size, maximized) as text for the preferences."""
    return bytes(window.saveGeometry().toBase64().data()).decode("ascii")


def restore_geometry(window: QWidget, saved: object) -> bool:
    """Put back a geometry from ``saved_geometry``; the result still fits the screen (a
    geometry saved on a bigger monitor is pulled back onto this one)."""
    if not isinstance(saved, str) or not saved:
        return False
    data = QByteArray.fromBase64(saved.encode("ascii"))
    if not window.restoreGeometry(data):
        return False
    screen = screen_of(window)
    if screen is not None and not window.isMaximized():
        available = screen.availableGeometry()
        if not available.contains(window.frameGeometry()):
            window.setGeometry(fitted(available, window.size()))
    return True
