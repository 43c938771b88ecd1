"""Finalize (issue 12, item 3): the dialog shows what will be sealed, as the detail pane
renders it; with required findings open it names them and asks for a typed word before the
Finalize button enables, so an empty record is never sealed with one checkbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from assister_log.domain.model import Procedure
from assister_log.policy.checks import evaluate
from assister_log.policy.rules import Level
from tests.gui.conftest import load_example, type_text, unnamed_controls
from tests.gui.test_editor import open_draft
from tests.gui.test_times_gui import _ended_call

from assister_log.ui.finalize import SEAL_WORD, FinalizeDialog


def _dialog(editor) -> FinalizeDialog:
    editor.finalize_button.click()
    dialog = editor.finalize_dialog
    assert isinstance(dialog, FinalizeDialog) and dialog.isVisible()
    return dialog


def test_an_empty_record_needs_the_typed_word(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    incident_id = editor.incident_id
    dialog = _dialog(editor)
    assert unnamed_controls(dialog) == []
    # The preview is the record as the detail pane shows it.
    preview = dialog.preview.toPlainText()
    assert incident_id in preview and "Grounds (in the policy's words)" in preview
    assert "No ground chosen yet." in preview and "Not written yet." in preview
    # The required findings are named, one by one.
    required = [
        f for f in evaluate(session.get(incident_id)) if f.is_open and f.level is Level.REQUIRED
    ]
    assert required
    named = [dialog.required.item(i).text() for i in range(dialog.required.count())]
    assert len(named) == len(required)
    for finding, line in zip(required, named, strict=True):
        assert finding.title in line
    assert f"Type {SEAL_WORD}" in dialog.word_label.text()
    # One checkbox is not enough.
    dialog.confirm.setChecked(True)
    assert not dialog.ok.isEnabled()
    type_text(dialog.word, SEAL_WORD[:-1])
    assert not dialog.ok.isEnabled()
    type_text(dialog.word, SEAL_WORD[-1])
    assert dialog.ok.isEnabled()
    dialog.confirm.setChecked(False)
    assert not dialog.ok.isEnabled()
    dialog.confirm.setChecked(True)
    results: list[int] = []
    dialog.finished.connect(results.append)
    QTest.keyClick(dialog.word, Qt.Key.Key_Return)  # Enter in the word field finalizes
    assert results == [QDialog.DialogCode.Accepted]
    assert session.get(incident_id).is_final


def test_a_wrong_word_never_seals(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.STAFF_CALL)
    dialog = _dialog(editor)
    dialog.confirm.setChecked(True)
    for typed in ("seal it", "SEALED", "yes"):
        dialog.word.clear()
        type_text(dialog.word, typed)
        assert not dialog.ok.isEnabled(), typed
    dialog.word.clear()
    type_text(dialog.word, f" {SEAL_WORD.lower()} ")  # case and spaces do not matter
    assert dialog.ok.isEnabled()
    dialog.reject()
    assert not session.get(editor.incident_id).is_final


def test_a_complete_record_needs_only_the_checkbox(qtbot, session, main_window) -> None:
    example = load_example(session, "inappropriate-interaction")
    main_window.open_editor(example.incident_id)
    dialog = _dialog(main_window.editor)
    assert dialog.required.count() == 0 and not dialog.word.isVisible()
    assert "Nguyễn Thị Ánh" in dialog.preview.toPlainText()
    assert not dialog.ok.isEnabled()
    dialog.confirm.setChecked(True)
    assert dialog.ok.isEnabled()
    dialog.reject()


def test_times_that_do_not_add_up_are_named_too(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    _ended_call(editor)
    editor.timeline.buttons[next(iter(editor.timeline.buttons))].click()  # now: after it ended
    dialog = _dialog(editor)
    named = [dialog.required.item(i).text() for i in range(dialog.required.count())]
    assert any(line.startswith("⚠ Time:") for line in named)
    dialog.reject()


def test_the_dialog_fits_a_laptop_screen(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.SUSPECTED_FRAUD)
    dialog = _dialog(editor)
    screen = QApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    dialog.reject()


def test_a_named_finding_is_a_link_to_its_fix(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    dialog = _dialog(editor)
    row = next(
        i for i in range(dialog.required.count()) if "ground" in dialog.required.item(i).text()
    )
    dialog.required.setCurrentRow(row)
    dialog.required.itemActivated.emit(dialog.required.item(row))  # Enter / double-click
    assert not dialog.isVisible() and not session.get(editor.incident_id).is_final
    assert editor.tabs.currentWidget() is editor.grounds


def test_double_clicking_a_finding_in_the_panel_goes_to_its_fix(qtbot, session, main_window):
    """Issue 12: double-clicking a finding opened 'Record a justified deviation'. It goes to
    the field that resolves it; the deviation stays on its own button."""
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    editor.tabs.setCurrentWidget(editor.narrative)
    panel = editor.compliance
    panel.select("ground-behaviour")
    item = panel.list.currentItem()
    center = panel.list.visualItemRect(item).center()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert editor.tabs.currentWidget() is editor.grounds
    assert panel.dialog is None
