"""Errors: a known situation gets a calm message; a bug gets a copyable report without record
data, and the draft is saved first."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from assister_log.domain.model import Procedure
from assister_log.errors import DiskFull, WrongSecret
from tests.gui.conftest import type_text, unnamed_controls

from assister_log.ui import errors


def test_known_error_gets_its_message(qtbot) -> None:
    box = errors.handle(None, DiskFull("The disk is full while writing the PDF: free some space."))
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == "The disk is full"
    assert box.text() == "The disk is full while writing the PDF: free some space."
    box.close()
    box = errors.handle(None, WrongSecret("The passphrase is wrong."))
    assert box.windowTitle() == "Could not unlock"
    box.close()


def test_unexpected_error_report_has_no_record_data(
    qtbot, session, main_window, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("ASSISTER_LOG_CRASH_DIR", str(tmp_path))
    draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    main_window.open_editor(draft.incident_id)
    editor = main_window.editor
    editor.autosave.setInterval(60_000)
    type_text(editor.who.name, "Hodan Abdi")
    try:
        raise ValueError(f"could not parse {editor.who.name.text()}'s quote")
    except ValueError as error:
        dialog = errors.handle(main_window, error, save_drafts=main_window.save_drafts)
    assert isinstance(dialog, errors.CrashDialog)
    assert unnamed_controls(dialog) == []
    report = dialog.report.toPlainText()
    assert "builtins.ValueError" in report and "test_errors.py" in report
    assert "Hodan" not in report
    assert "Your draft was saved" in dialog.findChildren(type(editor.title))[0].text()
    assert session.get(draft.incident_id).party.name == "Hodan Abdi"
    saved = list(tmp_path.glob("crash-*.txt"))
    assert len(saved) == 1 and "Hodan" not in saved[0].read_text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == report
    dialog.close()


def test_excepthook_routes_to_the_dialogs(qtbot, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ASSISTER_LOG_CRASH_DIR", str(tmp_path))
    saved = []
    original = sys.excepthook
    try:
        hook = errors.install_excepthook(lambda: None, lambda: saved.append(1) or True)
        assert sys.excepthook is hook
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:
            hook(type(error), error, error.__traceback__)
        assert saved == [1]
        from PySide6.QtWidgets import QApplication

        crash = [w for w in QApplication.topLevelWidgets() if isinstance(w, errors.CrashDialog)]
        assert crash and crash[0].isVisible()
    finally:
        sys.excepthook = original
        from PySide6.QtWidgets import QApplication

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, errors.CrashDialog):
                widget.close()
