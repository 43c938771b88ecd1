"""Nothing typed in a dialog is lost to a lock (issue 12, item 4).

A lock (idle, Ctrl+L, the desktop's own lock) closes every window, dialogs included. A dialog
that holds what the user is writing — a step added at another time, a correction, a justified
deviation, an addendum — is *tracked* when it opens: ``track(dialog, action, **args)`` names
how to open it again (an action the main window knows, plus plain-text arguments such as the
record id). At the lock, ``snapshot`` reads the tracked dialog that is open: its text fields,
choices and check boxes, in widget order; the controller writes that into the vault's
encrypted settings (``KEY``), never to memory kept across the lock nor to disk outside the
vault. After the next unlock the main window opens the same dialog again and ``restore``
puts the values back, then the setting is cleared.

Not tracked, on purpose: password fields (an export password is typed again), the finalize
confirmation (sealing is a deliberate act after unlock) and dialogs with nothing typed.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

KEY = "dialog_in_progress"  # the vault setting (encrypted) that holds one snapshot
_PROPERTY = "assisterLogResume"


def track(dialog: QDialog, action: str, **args: str) -> None:
    """``dialog`` is to be reopened by ``action`` with ``args`` after a lock."""
    dialog.setProperty(_PROPERTY, json.dumps({"action": action, "args": args}))


def _fields(dialog: QDialog) -> list[QWidget]:
    """The dialog's editable fields, in a stable order (creation order of the children)."""
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox, QRadioButton)
    found = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
    # A combo box's own line edit is read through the combo box.
    return [w for w in found if not isinstance(w.parent(), QComboBox)]


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    return None


def _typed(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.isModified() and bool(widget.text().strip())
    if isinstance(widget, QPlainTextEdit):
        return bool(widget.toPlainText().strip())
    return False


def snapshot(dialog: QDialog) -> dict[str, Any] | None:
    """What to keep of a tracked, open dialog; None when it is not tracked, holds a
    password, or nothing was typed in it."""
    raw = dialog.property(_PROPERTY)
    if not isinstance(raw, str) or not dialog.isVisible():
        return None
    fields = _fields(dialog)
    if any(
        isinstance(w, QLineEdit) and w.echoMode() is not QLineEdit.EchoMode.Normal for w in fields
    ):
        return None
    if not any(_typed(w) for w in fields):
        return None
    kept: dict[str, Any] = json.loads(raw)
    kept["fields"] = [[type(w).__name__, w.accessibleName(), _value(w)] for w in fields]
    return kept


def open_snapshot() -> dict[str, Any] | None:
    """The snapshot of the tracked dialog open now, if any (the lock is about to close it)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            kept = snapshot(widget)
            if kept is not None:
                return kept
    return None


def resume(main: Any, kept: dict[str, Any]) -> None:
    """Open again, in the main window ``main``, the dialog a snapshot was taken of, and put
    its values back; the status bar says so (or that it could not be done)."""
    action, args = kept.get("action"), kept.get("args")
    if not isinstance(args, dict):
        return
    incident = args.get("incident")
    editor: Any = main.editor
    in_editor = editor is not None and editor.incident_id == incident
    dialog: QDialog | None = None
    if action == "addendum" and isinstance(incident, str):
        main.add_addendum(incident)
        dialog = main.dialog
    elif action == "add-step" and in_editor:
        editor.timeline.add_at_time()
        dialog = editor.timeline.dialog
    elif action == "correct-step" and in_editor and str(args.get("index", "")).isdigit():
        index = int(args["index"])
        if index < len(editor.current().timeline):
            editor.timeline.select_step(index)
            editor.timeline.correct_selected()
            dialog = editor.timeline.dialog
    elif action == "deviation" and in_editor and isinstance(args.get("code"), str):
        editor.compliance.select(args["code"])
        if editor.compliance.selected() is not None:
            editor.compliance.record_deviation()
            dialog = editor.compliance.dialog
    if dialog is not None and restore(dialog, kept):
        main.statusBar().showMessage(
            "Opened again what you were writing when the app locked.", 15_000
        )
    else:
        if dialog is not None:
            dialog.reject()
        main.statusBar().showMessage(
            "What was typed in a dialog when the app locked could not be put back: the "
            "record it belonged to changed.",
            15_000,
        )


def restore(dialog: QDialog, kept: dict[str, Any]) -> bool:
    """Put the kept values back into a freshly opened dialog of the same kind. The fields
    must match (type and name, in order); if the dialog changed shape, nothing is put back
    and False is returned so the caller can say so."""
    fields = _fields(dialog)
    values = kept.get("fields")
    if not isinstance(values, list) or len(values) != len(fields):
        return False
    for widget, entry in zip(fields, values, strict=True):
        if not isinstance(entry, list) or len(entry) != 3:
            return False
        if entry[0] != type(widget).__name__ or entry[1] != widget.accessibleName():
            return False
    for widget, (_kind, _name, value) in zip(fields, values, strict=True):
        if isinstance(widget, QLineEdit) and isinstance(value, str):
            widget.setText(value)
            widget.setModified(True)
            widget.textEdited.emit(value)  # the field reads and checks it as if typed
            widget.editingFinished.emit()
        elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
            widget.setPlainText(value)
        elif isinstance(widget, QComboBox) and isinstance(value, int):
            if widget.isEnabled() and 0 <= value < widget.count():
                widget.setCurrentIndex(value)
        elif isinstance(widget, QAbstractButton) and isinstance(value, bool) and widget.isEnabled():
            widget.setChecked(value)
    return True
