"""Accessibility beyond names (each screen's test walks its widgets for accessible names):
high contrast, keyboard-only use, and titles that never carry record data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from assister_log.services import ui_support
from tests.gui.conftest import load_example, type_text

from assister_log.ui.theme import Theme
from assister_log.ui.unlock import UnlockWindow


def test_high_contrast_toggle(qtbot, session, main_window, qapp) -> None:
    normal = qapp.palette().color(QPalette.ColorRole.Window)
    main_window.contrast_action.trigger()
    assert main_window.tools.theme.high_contrast
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert qapp.palette().color(QPalette.ColorRole.WindowText).name() == "#ffffff"
    assert ui_support.preference(session, "high_contrast") is True
    main_window.contrast_action.trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window) == normal
    assert ui_support.preference(session, "high_contrast") is False


def test_high_contrast_before_unlock(qtbot, qapp, tmp_path) -> None:
    theme = Theme(qapp)
    window = UnlockWindow(tmp_path)
    qtbot.addWidget(window)
    window.high_contrast_toggled.connect(theme.set_high_contrast)
    window.contrast.setChecked(True)
    assert qapp.palette().color(QPalette.ColorRole.Base).name() == "#000000"
    window.contrast.setChecked(False)
    assert not theme.high_contrast
    window.allow_close()


def test_keyboard_only_unlock_screen(qtbot, tmp_path) -> None:
    window = UnlockWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.field.setFocus()
    requested = []
    window.unlock_requested.connect(requested.append)
    type_text(window.field, "pass phrase typed")
    QTest.keyClick(window.field, Qt.Key.Key_Return)
    assert requested == ["pass phrase typed"]
    window.allow_close()


def test_keyboard_opens_a_draft_from_the_list(qtbot, session, main_window) -> None:
    example = load_example(session, "staff-call")
    page = main_window.list_page
    page.refresh()
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert main_window.editor is not None
    assert main_window.editor.incident_id == example.incident_id
    # Leaving with the keyboard: Alt+L is "Back to the list".
    main_window.editor.back_button.animateClick()
    qtbot.waitUntil(lambda: main_window.editor is None, timeout=2_000)


def test_titles_never_hold_record_data(qtbot, session, main_window) -> None:
    example = load_example(session, "suspected-fraud")
    main_window.list_page.refresh(example.incident_id)
    main_window.open_editor(example.incident_id)
    main_window.export_current()
    titles = [w.windowTitle() for w in QApplication.topLevelWidgets()]
    assert titles
    for title in titles:
        assert example.incident_id not in title
        assert "Abdirahman" not in title
    main_window.dialog.reject()
