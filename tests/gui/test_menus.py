"""The File and Help menus (issue 12): backup from File → Back up…, the policy's own text
and a short guide under Help, readable in the app."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from tests.gui.conftest import settle, unnamed_controls

from assister_log.ui.help import HelpDialog


def test_file_back_up(qtbot, session, main_window, tmp_path: Path) -> None:
    assert main_window.backup_action in main_window.menuBar().actions()[0].menu().actions()
    assert "File → Back up" in main_window.backup_label.text()  # the reminder says where
    main_window.backup_action.trigger()
    chooser = main_window.tools.files.dialog
    assert isinstance(chooser, QFileDialog)
    assert chooser.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "backup.albackup"
    chooser.selectFile(str(target))
    chooser.accept()
    settle(qtbot, main_window.tools.runner)
    qtbot.waitUntil(lambda: session.last_verified_backup() is not None, timeout=15_000)
    assert target.is_file()
    qtbot.waitUntil(lambda: "never" not in main_window.backup_label.text(), timeout=5_000)
    main_window.dialog.reject()


def test_help_policy_and_guide(qtbot, main_window) -> None:
    main_window.policy_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, HelpDialog) and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Identifying and Terminating Inappropriate Interactions Policy" in text
    assert "certified application counselors" in text
    assert unnamed_controls(dialog) == []
    dialog.reject()
    main_window.guide_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, HelpDialog)
    assert "Add at another time" in dialog.browser.toPlainText()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    dialog.reject()


def test_the_backup_bar_over_the_list(qtbot, session, main_window, tmp_path: Path) -> None:
    from assister_log.domain.model import Procedure

    bar = main_window.backup_bar

    def shown() -> bool:
        return bar.isVisibleTo(main_window)

    assert shown() and "No verified backup yet" in bar.text.text()
    assert unnamed_controls(bar) == []
    # In the editor the bar gives its room to the record (the status bar still says it).
    draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    main_window.open_editor(draft.incident_id)
    assert not shown()
    main_window.close_editor()
    assert shown()
    bar.button.click()  # "Back up now…": straight to choosing the file
    chooser = main_window.tools.files.dialog
    assert isinstance(chooser, QFileDialog)
    chooser.selectFile(str(tmp_path / "now.albackup"))
    chooser.accept()
    settle(qtbot, main_window.tools.runner)
    qtbot.waitUntil(lambda: not shown(), timeout=15_000)
    assert (tmp_path / "now.albackup").is_file()
    main_window.dialog.reject()
