"""Small building blocks every screen uses: accessible names, form rows, multi-line fields
that Tab leaves, local times, and non-blocking message boxes (no nested event loops, so a
lock can always tear a window down safely)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast, overload

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from assister_log import clock

# Re-exported, so that a screen imports its helpers from one place.
from assister_log.ui.basics import heading as heading
from assister_log.ui.basics import named as named
from assister_log.ui.basics import secret_field as secret_field
from assister_log.ui.basics import wrapped as wrapped

T = TypeVar("T")
E = TypeVar("E")

# The limits of assister_log.domain.serialization (a test checks they agree).
SHORT_TEXT = 500
NOTE_TEXT = 10_000
NARRATIVE_TEXT = 400_000


def tidy(text: str, *, multiline: bool = False) -> str:
    """Text from a widget, made storable: control characters (a pasted tab in a one-line
    field, a form feed) become spaces instead of making the save fail."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n")
    keep = {"\n", "\t"} if multiline else set()
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs":
            out.append("\ufffd")
        elif category == "Cc" and ch not in keep:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def add_row(
    form: QFormLayout,
    label: str,
    widget: QWidget,
    description: str = "",
    *,
    field: QLayout | None = None,
) -> QLabel:
    """A labelled form row; the label is the field's buddy and its accessible name.
    ``field`` replaces the widget in the row when it sits in a layout with buttons."""
    caption = QLabel(label)
    caption.setBuddy(widget)
    # One line: QFormLayout does not give a wrapped label the height of its second line (the
    # first-run contacts page showed labels cut in half); the label column takes the width.
    caption.setWordWrap(False)
    named(widget, label, description)
    if description:
        widget.setToolTip(description)
    if field is not None:
        form.addRow(caption, field)
    else:
        form.addRow(caption, widget)
    return caption


class EnumCombo(QComboBox, Generic[T]):
    """A combo box of enum values (Qt would hand a StrEnum back as a plain str). With
    ``none_label`` its first item stands for ``None``."""

    @overload
    def __init__(self: EnumCombo[E], labels: Mapping[E, str]) -> None: ...

    @overload
    def __init__(
        self: EnumCombo[E | None], labels: Mapping[E, str], *, none_label: str
    ) -> None: ...

    def __init__(self, labels: Mapping[Any, str], *, none_label: str | None = None) -> None:
        super().__init__()
        self._values: list[Any] = []
        if none_label is not None:
            self.addItem(none_label)
            self._values.append(None)
        for value, label in labels.items():
            self.addItem(label)
            self._values.append(value)

    def value(self) -> T:
        index = self.currentIndex()
        if 0 <= index < len(self._values):
            return cast(T, self._values[index])
        # Unreachable in the app (a combo of non-empty labels always has a current item);
        # kept as it was: no current item reads as None.
        return cast(T, None)

    def set_value(self, value: T) -> None:
        if value in self._values:
            self.setCurrentIndex(self._values.index(value))


def line_edit(name: str, *, max_length: int = SHORT_TEXT, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    named(edit, name)
    return edit


def search_field(name: str, placeholder: str) -> QLineEdit:
    """A search line with Qt's clear button, the button named too (Qt leaves it unnamed,
    so a screen reader reached a nameless button)."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    named(edit, name)
    for clear in edit.findChildren(QToolButton):  # Qt's clear button
        named(clear, "Clear the search")
    return edit


class LimitedTextEdit(QPlainTextEdit):
    """A multi-line field that Tab leaves, holding at most ``limit`` characters (like
    QLineEdit.maxLength: an over-long paste is cut at input time, with a visible note,
    rather than failing later when the draft is saved)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._enforce)

    def _enforce(self) -> None:
        text = self.toPlainText()
        if len(text) <= self.limit:
            return
        self.blockSignals(True)
        cursor = self.textCursor()
        position = min(cursor.position(), self.limit)
        self.setPlainText(text[: self.limit])
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        self.blockSignals(False)
        self.setToolTip(
            f"This field holds at most {self.limit:,} characters; attach longer text as a file."
        )
        self.textChanged.emit()


def text_edit(
    name: str, *, lines: int = 3, placeholder: str = "", limit: int = NOTE_TEXT
) -> LimitedTextEdit:
    """A multi-line field that Tab leaves (keyboard users move on with Tab; a tab
    character in a record is never needed)."""
    edit = LimitedTextEdit(limit)
    edit.setPlaceholderText(placeholder)
    metrics = edit.fontMetrics()
    edit.setMinimumHeight(metrics.lineSpacing() * lines + 12)
    named(edit, name)
    return edit


def policy_text(text: str) -> QLabel:
    """The policy's own words beside a choice, set apart in italics."""
    label = wrapped(text)
    font = label.font()
    font.setItalic(True)
    label.setFont(font)
    label.setContentsMargins(18, 0, 0, 4)
    return label


def monospace() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def backup_text(session: Any) -> str:
    last = session.last_verified_backup()
    text = f"Last verified backup: {local_text(last) if last else 'never'}"
    if session.backup_overdue():
        text += " – time for a new backup (File → Back up…)"
    return text


# ------------------------------------------------------------------- dialog buttons

SUBMIT_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def main_button(dialog: QDialog, box: QDialogButtonBox, ok: QPushButton) -> None:
    """Make ``ok`` the dialog's main button once ``box`` is in the dialog's layout: Enter
    presses it (the default button; a disabled one does nothing), Tab reaches it before
    Cancel, and Ctrl+Enter presses it even from a multi-line field, where Enter is a new
    line. Buttons keep the platform's order on screen."""
    for button in box.buttons():
        if isinstance(button, QPushButton) and button is not ok:
            button.setDefault(False)
    ok.setAutoDefault(True)
    ok.setDefault(True)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    if cancel is not None:
        QWidget.setTabOrder(ok, cancel)

    def submit() -> None:
        if ok.isEnabled() and ok.isVisible():
            ok.click()

    for keys in SUBMIT_KEYS:
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(submit)


# ------------------------------------------------------------------------------ times


def local_now() -> datetime:
    return clock.now()


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())


def from_qdatetime(value: QDateTime) -> datetime:
    """An aware local datetime (the record keeps the offset it was written with)."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC).astimezone()


def local_text(value: datetime | None, *, seconds: bool = False) -> str:
    if value is None:
        return ""
    local = value.astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


# ------------------------------------------------------------------- message boxes

_PARENTLESS: set[QWidget] = set()


def keep_until_closed(dialog: QDialog) -> None:
    """A dialog without a parent would vanish with its Python wrapper; hold it until done."""
    if dialog.parent() is None:
        _PARENTLESS.add(dialog)
        dialog.finished.connect(lambda _result: _PARENTLESS.discard(dialog))


def message(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    details: str = "",
) -> QMessageBox:
    """Show a message without blocking (``open``, never ``exec``)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setInformativeText(details)
    named(box, title)
    for button in box.buttons():
        named(button, button.text())
    keep_until_closed(box)
    box.open()
    return box


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    yes_text: str,
    on_yes: Callable[[], None],
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> QMessageBox:
    """Ask before doing something; ``on_yes`` runs only if the user picks ``yes_text``."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    named(box, title)
    named(yes, yes_text)
    named(no, "Cancel")

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(finished)
    keep_until_closed(box)
    box.open()
    return box
