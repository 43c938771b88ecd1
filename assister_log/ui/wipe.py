"""Empty every widget under a window before it is destroyed at lock time, so no record text
stays in a widget or an undo stack while the vault is locked (item models over the vault
are cleared by their owners)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)


def wipe_widgets(root: QWidget) -> None:
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        blocked = widget.blockSignals(True)
        try:
            if isinstance(widget, QLineEdit):
                widget.clear()
                widget.setModified(False)
            elif isinstance(widget, QPlainTextEdit | QTextEdit):  # QTextBrowser too
                widget.clear()
                widget.document().clearUndoRedoStacks()
            elif isinstance(widget, QListWidget | QTreeWidget | QTableWidget):
                widget.clear()
            elif isinstance(widget, QComboBox) and widget.isEditable():
                widget.clearEditText()
            elif isinstance(widget, QLabel):
                widget.clear()
                widget.setAccessibleName("")
            widget.setToolTip("")
            widget.setAccessibleDescription("")
        finally:
            widget.blockSignals(blocked)
