"""Accessibility beyond names (each screen's test walks its widgets for accessible names):
high contrast, keyboard-only use, titles that never carry record data; and (issue 12) combo
boxes named by their label, window roles, named previews and buttons, and what is
announced (errors at once, "Saved" politely)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleInterface,
    QColor,
    QImage,
    QPalette,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton

from assister_log import passphrase
from assister_log.domain.model import Channel, Procedure
from assister_log.services import ui_support
from tests.conftest import PASSPHRASE, ROOT
from tests.gui.conftest import (
    OFFSCREEN_LIMITS,
    load_example,
    type_text,
    type_time,
    unnamed_controls,
)
from tests.gui.test_editor import open_draft
from tests.gui.test_times_gui import DAY

from assister_log.ui.first_run import FirstRunWizard
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


# ------------------------------------------------------------------- issue 12, item 6


def _iface(widget) -> QAccessibleInterface:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    return iface


# The offscreen platform cannot grab the keyboard for the combo box's popup list.
@pytest.mark.qt_log_ignore(OFFSCREEN_LIMITS, "This plugin does not support grabbing the keyboard")
def test_combo_boxes_are_named_by_their_label(qtbot, session, main_window) -> None:
    """On Linux Qt names a combo box after its current text ("In-person meeting"); a screen
    reader must hear the field ("How") and the value."""
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    channel = editor.who.channel
    iface = _iface(channel)
    assert iface.role() == QAccessible.Role.ComboBox
    assert iface.text(QAccessible.Text.Name) == "How"
    assert iface.text(QAccessible.Text.Value) == "In-person meeting"
    channel.set_value(Channel.PHONE)
    assert iface.text(QAccessible.Text.Value) == "Phone call"
    assert iface.text(QAccessible.Text.Name) == "How"
    # The rest of a combo box as a reader uses it: the list as its child, the menu action.
    assert iface.childCount() == 1
    assert iface.child(0).object() is channel.view()
    assert iface.indexOfChild(iface.child(0)) == 0
    assert iface.state().expandable and not iface.state().expanded
    actions = iface.actionInterface()
    assert actions is not None
    assert QAccessibleActionInterface.showMenuAction() in actions.actionNames()
    actions.doAction(QAccessibleActionInterface.showMenuAction())
    qtbot.waitUntil(channel.view().isVisible, timeout=2_000)
    assert iface.state().expanded
    channel.hidePopup()
    page = main_window.list_page
    assert _iface(page.procedure).text(QAccessible.Text.Name) == "Filter by procedure"
    assert _iface(page.procedure).text(QAccessible.Text.Value) == "All procedures"


def test_first_run_and_lock_windows_have_window_roles(qtbot, tools, tmp_path) -> None:
    wizard = FirstRunWizard(tmp_path / "vault", tools.runner, tools.files, tools.clipboard)
    qtbot.addWidget(wizard)
    assert _iface(wizard).role() == QAccessible.Role.Window  # was "filler"
    assert _iface(wizard).text(QAccessible.Text.Name) == "Assister Log – new vault"
    assert "four steps" in _iface(wizard).text(QAccessible.Text.Description)
    window = UnlockWindow(tmp_path)
    qtbot.addWidget(window)
    assert _iface(window).role() == QAccessible.Role.Window
    assert _iface(window).text(QAccessible.Text.Name) == "Assister Log – locked"
    window.allow_close()


FIRST_WINDOW = """
import sys
sys.path.insert(0, {root!r})
import tests.conftest  # test-sized KDF, no real home
from PySide6.QtGui import QAccessible
from assister_log.ui.app import make_application
from assister_log.ui.controller import AppController
from assister_log.ui.theme import Theme
app = make_application(["assister-log"])
c = AppController(app, __import__("pathlib").Path({vault!r}), Theme(app))
c.start()
print(QAccessible.queryAccessibleInterface(c.unlock_window).role().name)
"""


def test_the_first_lock_screen_after_start_has_a_window_role(created) -> None:
    vault_dir, _recovery = created
    code = FIRST_WINDOW.format(root=str(ROOT), vault=str(vault_dir))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "Window"


def test_the_search_clear_button_and_attachment_preview_are_named(
    qtbot, session, main_window, tmp_path
) -> None:
    search = main_window.list_page.search
    type_text(search, "Nguyen")
    qtbot.waitUntil(lambda: main_window.list_page.model.query == "Nguyen", timeout=2_000)
    clear = [b for b in search.findChildren(QToolButton) if b.isVisible()]
    assert clear and all(b.accessibleName() == "Clear the search" for b in clear)
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    preview = editor.attachments.preview
    assert preview.accessibleName() == "Attachment preview"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    path = tmp_path / "note.png"
    assert image.save(str(path))
    editor.attachments.attach(path)
    assert preview.accessibleName() == "Preview of note.png"
    text = tmp_path / "call log.txt"
    text.write_text("10:00 call")
    editor.attachments.attach(text)
    editor.attachments.list.setCurrentRow(1)
    assert preview.accessibleName() == "Attachment preview"  # no stale picture name
    assert "not a picture" in preview.accessibleDescription()
    assert unnamed_controls(main_window) == []


def test_an_impossible_time_is_announced_at_once(qtbot, session, main_window, announced):
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    type_time(editor.who.occurred, f"{DAY} 10:00")
    type_time(editor.who.ended, "9:00")  # before it began
    errors = [text for text, assertive in announced if assertive]
    assert errors and "before" in errors[-1].lower()
    count = len(errors)
    editor.who.ended.editingFinished.emit()  # the same message again: said once
    assert len([t for t, a in announced if a]) == count


def test_first_run_passphrase_errors_are_announced_once_each(
    qtbot, tools, tmp_path, announced
) -> None:
    wizard = FirstRunWizard(tmp_path / "vault", tools.runner, tools.files, tools.clipboard)
    qtbot.addWidget(wizard)
    fields = wizard.passphrase

    def errors() -> list[str]:
        return [text for text, assertive in announced if assertive]

    def paused() -> None:  # the user stops typing: what is wrong is said then, if new
        qtbot.waitUntil(lambda: not fields.announce_timer.isActive(), timeout=3_000)

    assert announced == []  # nothing typed, nothing said
    type_text(fields.first, "password")
    assert errors() == []  # not at every keystroke
    paused()
    assert len(errors()) == 1 and "8 characters" in errors()[0] and "at least 15" in errors()[0]
    type_text(fields.first, "pass")  # still too short: not said again
    paused()
    fields.first.editingFinished.emit()
    assert len(errors()) == 1
    fields.first.clear()
    type_text(fields.first, "passwordpassword")  # long enough, but a pattern
    paused()
    weak = passphrase.check_passphrase("passwordpassword").problems
    assert len(errors()) == 2 and errors()[-1] == " ".join(weak) and weak
    fields.first.clear()
    type_text(fields.first, PASSPHRASE)
    paused()
    assert len(errors()) == 2  # a good passphrase: nothing to say
    type_text(fields.second, PASSPHRASE[:-1])
    fields.second.editingFinished.emit()  # leaving the field says it at once
    assert len(errors()) == 3 and "differ" in errors()[-1]
    type_text(fields.second, "x")
    paused()
    assert len(errors()) == 3  # still different: said once
    fields.second.backspace()
    type_text(fields.second, PASSPHRASE[-1])
    paused()
    assert fields.ok and len(errors()) == 3
    assert all(assertive for _text, assertive in announced)
    wizard.allow_close()


def test_saved_is_announced_politely_not_at_every_autosave(qtbot, session, main_window, announced):
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    type_text(editor.narrative.text, "First words.")
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3_000)
    saved = [t for t, a in announced if t.startswith("Saved")]
    assert len(saved) == 1 and not any(a for t, a in announced if t.startswith("Saved"))
    type_text(editor.narrative.text, " More words.")
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3_000)
    assert len([t for t, _a in announced if t.startswith("Saved")]) == 1  # within a minute
