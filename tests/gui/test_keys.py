"""Keys and focus (issue 12): Enter is the main action in the first-run wizard, New
incident, Finalize and Addendum; the main button comes before Cancel in the Tab order;
Alt+letter keys are unique on every screen; on the lock screen the focus never jumps to the
High-contrast checkbox while the passphrase is checked or during the wait."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from assister_log.domain.model import Procedure, Role
from tests.conftest import PASSPHRASE
from tests.gui.conftest import load_example, mnemonic_clashes, settle, type_text, type_time

from assister_log.ui.finalize import AddendumDialog, FinalizeDialog
from assister_log.ui.first_run import FirstRunWizard
from assister_log.ui.new_incident import NewIncidentDialog
from assister_log.ui.unlock import UnlockWindow


def _enter(widget: QWidget | None = None) -> None:
    target = widget or QApplication.focusWidget()
    assert target is not None
    QTest.keyClick(target, Qt.Key.Key_Return)


def _active(qtbot, window: QWidget) -> None:
    """Window activation is asynchronous, also offscreen."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)


def _results(dialog: QDialog) -> list[int]:
    results: list[int] = []
    dialog.finished.connect(results.append)
    return results


def _tab_after(widget: QWidget) -> QWidget:
    following = widget.nextInFocusChain()
    while following.focusPolicy() == Qt.FocusPolicy.NoFocus or not following.isVisible():
        following = following.nextInFocusChain()
    return following


def test_enter_starts_the_record(qtbot, main_window) -> None:
    main_window.new_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, NewIncidentDialog)
    results = _results(dialog)
    _active(qtbot, dialog)
    assert dialog.ok.isDefault()
    cancel = next(b for b in dialog.findChildren(type(dialog.ok)) if b.text() == "Cancel")
    assert _tab_after(dialog.ok) is cancel
    assert mnemonic_clashes(dialog) == {}
    assert dialog.has_ended.isChecked()  # the default: written up afterwards
    _enter()  # no times yet: said, and the focus goes to Began
    assert results == [] and QApplication.focusWidget() is dialog.began
    assert "began" in dialog.problem.text()
    day = (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d")
    type_time(dialog.began, f"{day} 9:40")
    assert _tab_after(dialog.began) is dialog.ended  # one Tab per time field
    type_time(dialog.ended, "9:55")
    _enter()
    assert results == [QDialog.DialogCode.Accepted]
    assert main_window.editor is not None  # a record was made
    assert main_window.editor.current().procedure is Procedure.INAPPROPRIATE_INTERACTION
    assert main_window.editor.current().ended_at is not None


def test_new_incident_escape_still_cancels(qtbot) -> None:
    dialog = NewIncidentDialog(None, Role.NAVIGATOR)
    qtbot.addWidget(dialog)
    results = _results(dialog)
    dialog.open()
    _active(qtbot, dialog)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert results == [QDialog.DialogCode.Rejected]


def test_finalize_with_space_then_enter(qtbot, session, main_window) -> None:
    example = load_example(session, "inappropriate-interaction")
    main_window.open_editor(example.incident_id)
    editor = main_window.editor
    editor.finalize_button.click()
    dialog = editor.finalize_dialog
    assert isinstance(dialog, FinalizeDialog)
    results = _results(dialog)
    _active(qtbot, dialog)
    cancel = next(b for b in dialog.findChildren(type(dialog.ok)) if b.text() == "Cancel")
    assert _tab_after(dialog.ok) is cancel
    assert QApplication.focusWidget() is dialog.confirm
    _enter()  # not confirmed yet: nothing happens
    assert results == []
    QTest.keyClick(dialog.confirm, Qt.Key.Key_Space)
    assert dialog.confirm.isChecked()
    _enter()
    assert results == [QDialog.DialogCode.Accepted]
    assert session.get(example.incident_id).is_final


def test_addendum_ctrl_enter_adds_it(qtbot, session, main_window) -> None:
    example = load_example(session, "staff-call")
    session.finalize(example.incident_id, "I confirm.")
    main_window.list_page.refresh(example.incident_id)
    main_window.list_page.addendum_button.click()
    dialog = main_window.dialog
    assert isinstance(dialog, AddendumDialog)
    results = _results(dialog)
    _active(qtbot, dialog)
    cancel = next(b for b in dialog.findChildren(type(dialog.ok)) if b.text() == "Cancel")
    assert _tab_after(dialog.ok) is cancel
    assert QApplication.focusWidget() is dialog.body
    type_text(dialog.body, "The caller phoned back.")
    _enter(dialog.body)  # a new line in the text, not the end of the dialog
    assert results == [] and dialog.body.toPlainText().endswith("\n")
    type_text(dialog.reason, "New facts")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert results == [QDialog.DialogCode.Accepted]
    assert session.get(example.incident_id).addenda[-1].text.startswith("The caller phoned back.")


def test_wizard_runs_on_enter(qtbot, tools, tmp_path: Path) -> None:
    wizard = FirstRunWizard(tmp_path / "v", tools.runner, tools.files, tools.clipboard)
    qtbot.addWidget(wizard)
    wizard.show()
    _active(qtbot, wizard)
    created: list[object] = []
    wizard.completed.connect(created.append)
    assert mnemonic_clashes(wizard) == {}
    type_text(wizard.passphrase.first, PASSPHRASE)
    type_text(wizard.passphrase.second, PASSPHRASE)
    _enter(wizard.passphrase.second)
    assert wizard.step == 1
    assert QApplication.focusWidget() is wizard.profile.name
    assert mnemonic_clashes(wizard) == {}  # Alt+N was both Name and Next
    _enter(wizard.profile.name)  # no name yet: stays
    assert wizard.step == 1
    type_text(wizard.profile.name, "Jamie Ortiz")
    _enter(wizard.profile.name)
    assert wizard.step == 2
    assert mnemonic_clashes(wizard) == {}
    _enter(wizard.contacts)
    settle(qtbot, tools.runner)
    qtbot.waitUntil(lambda: wizard.step == 3, timeout=15_000)
    assert mnemonic_clashes(wizard) == {}
    wizard.recovery.written.setFocus()
    QTest.keyClick(wizard.recovery.written, Qt.Key.Key_Space)
    assert wizard.recovery.is_confirmed
    _enter(wizard.recovery.written)  # Enter on the ticked box: Start, not untick
    assert created and created[0] is wizard.session
    wizard.session.close()


def test_lock_screen_focus_stays_in_the_field(qtbot, tmp_path: Path) -> None:
    window = UnlockWindow(tmp_path)
    qtbot.addWidget(window)
    window.delay_unit_ms = 30
    toggled: list[bool] = []
    window.high_contrast_toggled.connect(toggled.append)
    window.show()
    _active(qtbot, window)
    qtbot.waitUntil(window.field.hasFocus, timeout=2_000)
    type_text(window.field, "wrong one")
    _enter(window.field)  # checking: the field holds still, keeps the focus
    assert window.field.isReadOnly()
    assert QApplication.focusWidget() is window.field
    QTest.keyClick(window.field, Qt.Key.Key_Space)
    window.failed("That did not open the vault.")
    window.failures = 3  # the next failure waits
    type_text(window.field, "wrong two")
    _enter(window.field)
    window.failed("That did not open the vault.")
    assert window._remaining > 0
    assert QApplication.focusWidget() is window.field  # waiting: still here
    type_text(window.field, "typed during the wait")
    assert window.field.text() == "typed during the wait"
    assert toggled == [] and not window.contrast.isChecked()
    assert mnemonic_clashes(window) == {}
    window.allow_close()


def test_alt_letters_are_unique_on_the_main_screens(qtbot, session, main_window) -> None:
    example = load_example(session, "suspected-fraud")
    main_window.list_page.refresh(example.incident_id)
    assert mnemonic_clashes(main_window) == {}
    main_window.open_editor(example.incident_id)
    editor = main_window.editor
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        assert mnemonic_clashes(main_window) == {}, editor.tabs.tabText(index)
