"""The few helpers the unlock screen needs, apart from ``common`` so that it stays cheap to
import: PySide6 initialises a widget class (and all its enums) when its name is first
imported, and the unlock window must appear about as fast as an empty window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

# Not imported here: ``PySide6.QtCore.Qt``. The first use of any enum of the Qt namespace
# builds all of them (~10 ms on an old laptop); the unlock window is shown before that.


def named(widget: QWidget, name: str, description: str = "") -> QWidget:
    """Give ``widget`` the name a screen reader announces (and a description if useful)."""
    widget.setAccessibleName(name.replace("&", "").rstrip(":").strip())
    if description:
        widget.setAccessibleDescription(description)
    return widget


def wrapped(text: str = "", *, selectable: bool = False, rich: bool = False) -> QLabel:
    from PySide6.QtCore import Qt

    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * (1.35 if level == 1 else 1.12))
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def secret_field(name: str) -> QLineEdit:
    """A password field: dots on screen; Qt gives assistive technology no text for it and
    disables copy and cut."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(1100)  # passphrase.MAX_LENGTH (1024) plus room to say it is too long
    named(edit, name)
    return edit
