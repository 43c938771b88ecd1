"""High contrast: follow the platform's contrast preference where Qt reports it, or the
View menu's toggle (kept in the vault), or ``--high-contrast`` / ASSISTER_LOG_HIGH_CONTRAST=1
before a vault is open. The palette is white on black with yellow focus and selection."""

from __future__ import annotations

import os
from typing import Any

# Qt classes are imported inside the functions: importing a Qt class name initialises it and
# its enums (and runs PySide's import hook), which the unlock window should not wait for.

ENV = "ASSISTER_LOG_HIGH_CONTRAST"

_STYLE = """
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView {
    border: 1px solid #ffffff;
}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus,
QAbstractSpinBox:focus, QAbstractItemView:focus, QPushButton:focus, QToolButton:focus {
    border: 2px solid #ffff00;
}
QLineEdit:disabled, QComboBox:disabled, QAbstractSpinBox:disabled { border: 1px dashed #a0a0a0; }
QCheckBox::indicator, QRadioButton::indicator, QGroupBox::indicator {
    width: 14px; height: 14px; border: 2px solid #ffffff; background: #000000;
}
QRadioButton::indicator { border-radius: 9px; }
QCheckBox::indicator:checked, QRadioButton::indicator:checked, QGroupBox::indicator:checked {
    background: #ffff00;
}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled { border: 2px dashed #a0a0a0; }
QCheckBox:focus, QRadioButton:focus { color: #ffff00; }
QPushButton, QToolButton { border: 1px solid #ffffff; padding: 4px 10px; }
QPushButton:disabled, QToolButton:disabled { border: 1px dashed #a0a0a0; color: #a0a0a0; }
QGroupBox { border: 1px solid #ffffff; margin-top: 1.4em; padding-top: 4px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
"""


def platform_prefers_high_contrast() -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    hints = QGuiApplication.styleHints()
    try:
        return hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast
    except AttributeError:  # Qt older than 6.10
        return False


def requested_at_start(argv: list[str]) -> bool:
    return "--high-contrast" in argv or os.environ.get(ENV) == "1"


def high_contrast_palette() -> Any:
    from PySide6.QtGui import QColor, QPalette

    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    cyan, grey = QColor("#00ffff"), QColor("#a0a0a0")
    p = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, black)
        p.setColor(group, QPalette.ColorRole.WindowText, white)
        p.setColor(group, QPalette.ColorRole.Base, black)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor("#1a1a1a"))
        p.setColor(group, QPalette.ColorRole.Text, white)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor("#c8c8c8"))
        p.setColor(group, QPalette.ColorRole.Button, black)
        p.setColor(group, QPalette.ColorRole.ButtonText, white)
        p.setColor(group, QPalette.ColorRole.BrightText, yellow)
        p.setColor(group, QPalette.ColorRole.Highlight, yellow)
        p.setColor(group, QPalette.ColorRole.HighlightedText, black)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, black)
        p.setColor(group, QPalette.ColorRole.ToolTipText, white)
        p.setColor(group, QPalette.ColorRole.Link, cyan)
        p.setColor(group, QPalette.ColorRole.LinkVisited, cyan)
        p.setColor(group, QPalette.ColorRole.Light, white)
        p.setColor(group, QPalette.ColorRole.Midlight, grey)
        p.setColor(group, QPalette.ColorRole.Mid, grey)
        p.setColor(group, QPalette.ColorRole.Dark, white)
        p.setColor(group, QPalette.ColorRole.Shadow, white)
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        p.setColor(disabled, role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(disabled, role, grey)
    p.setColor(disabled, QPalette.ColorRole.Highlight, grey)
    p.setColor(disabled, QPalette.ColorRole.HighlightedText, black)
    return p


class Theme:
    """Switches the whole application between its normal look and high contrast."""

    def __init__(self, app: Any) -> None:  # the QApplication
        self._app = app
        self._normal: tuple[str, Any, str] | None = (
            None  # style, palette, sheet: kept at first switch
        )
        self.high_contrast = False

    def set_high_contrast(self, on: bool) -> None:
        if on == self.high_contrast:
            return
        self.high_contrast = on
        if self._normal is None:
            self._normal = (self._app.style().name(), self._app.palette(), self._app.styleSheet())
        self._style_name, self._palette, self._sheet = self._normal
        if on:
            self._app.setStyle("Fusion")
            self._app.setPalette(high_contrast_palette())
            self._app.setStyleSheet(self._sheet + _STYLE)
        else:
            self._app.setStyleSheet(self._sheet)
            self._app.setStyle(self._style_name)
            self._app.setPalette(self._palette)
