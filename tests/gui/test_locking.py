"""Locking: on idle across the app, on the shortcut, on a desktop lock signal; the draft is
saved first, every widget is emptied, the vault closes, and the draft reopens after unlock."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from assister_log.domain.model import Procedure
from tests.conftest import PASSPHRASE
from tests.gui.conftest import load_example, settle, type_text
from tests.support.authors import new_draft_as_author

from assister_log.ui.controller import AppController

SECRET_NAME = "Nguyễn Thị Ánh"


def _texts() -> str:
    """Every piece of text any live widget holds."""
    parts = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            parts.append(widget.toPlainText())
        text = getattr(widget, "text", None)
        if callable(text) and not isinstance(widget, QLineEdit):
            with contextlib.suppress(TypeError):  # text() of some widgets takes arguments
                parts.append(str(text()))
        parts.append(widget.windowTitle())
        parts.append(widget.toolTip())
        parts.append(widget.accessibleName())
    return "\n".join(parts)


def _start_draft(c: AppController):
    session = c.session
    example = load_example(session, "inappropriate-interaction")
    c.main.list_page.refresh(example.incident_id)
    c.main.open_editor(example.incident_id)
    editor = c.main.editor
    editor.autosave.setInterval(60_000)  # only the lock may save what follows
    return editor


def test_lock_shortcut_saves_wipes_and_reopens(qtbot, unlocked: AppController) -> None:
    c = unlocked
    editor = _start_draft(c)
    incident_id = editor.incident_id
    editor.narrative.text.moveCursor(editor.narrative.text.textCursor().MoveOperation.End)
    type_text(editor.narrative.text, " Typed just before the lock: ça va.")
    assert editor.dirty
    assert SECRET_NAME in _texts()
    session = c.session
    main = c.main
    main.activateWindow()
    main.lock_action.trigger()
    assert c.session is None and not session.is_open
    assert c.unlock_window is not None and c.window is c.unlock_window
    QApplication.processEvents()
    qtbot.waitUntil(lambda: SECRET_NAME not in _texts(), timeout=2_000)
    assert "ça va" not in _texts()
    assert c.unlock_window.status.text() == "Locked because you locked it."
    # Unlock: the draft is back, with the words typed before the lock.
    type_text(c.unlock_window.field, PASSPHRASE)
    c.unlock_window.submit()
    qtbot.waitUntil(lambda: c.main is not None, timeout=10_000)
    assert c.main.editor is not None and c.main.editor.incident_id == incident_id
    assert c.main.editor.narrative.text.toPlainText().endswith("Typed just before the lock: ça va.")


def test_idle_lock_counts_input_anywhere(qtbot, unlocked: AppController) -> None:
    c = unlocked
    c.idle.set_check_interval(20)
    c.idle.set_minutes(0.5 / 60)  # half a second
    target: QWidget = c.main.list_page.search
    for _ in range(4):  # activity keeps it open
        QTest.qWait(200)
        QApplication.sendEvent(
            target,
            QMouseEvent(
                QEvent.Type.MouseMove,
                QPoint(3, 3).toPointF(),
                target.mapToGlobal(QPoint(3, 3)).toPointF(),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            ),
        )
        assert c.session is not None
    qtbot.waitUntil(lambda: c.session is None, timeout=3_000)
    assert c.unlock_window.status.text() == "Locked because it was idle."


def test_desktop_lock_signal(qtbot, unlocked: AppController) -> None:
    c = unlocked
    c.lock_watcher.screensaver(False)
    assert c.session is not None
    c.lock_watcher.screensaver(True)
    assert c.session is None


def test_background_saves_drafts(qtbot, unlocked: AppController) -> None:
    c = unlocked
    editor = _start_draft(c)
    type_text(editor.who.location, " (room B)")
    c.lock_watcher._state_changed(Qt.ApplicationState.ApplicationInactive)
    assert not editor.dirty
    assert c.session.get(editor.incident_id).location.endswith("(room B)")
    c.lock_watcher._state_changed(Qt.ApplicationState.ApplicationSuspended)
    assert c.session is None


def test_new_draft_survives_lock(qtbot, unlocked: AppController) -> None:
    c = unlocked
    draft = new_draft_as_author(c.session, Procedure.STAFF_CALL)  # by MNsure staff
    c.main.open_editor(draft.incident_id)
    editor = c.main.editor
    editor.autosave.setInterval(60_000)
    type_text(editor.narrative.text, "Caller hung up after the reminder.")
    c.lock("test")
    settle(qtbot, c.runner)
    from assister_log.services.session import Session

    with Session.unlock(c.vault_dir, PASSPHRASE) as s:
        assert s.get(draft.incident_id).narrative == "Caller hung up after the reminder."


def test_d_bus_is_asked_only_for_a_bus_that_is_there(monkeypatch, tmp_path) -> None:
    """No address and no socket: Qt's D-Bus is not asked at all (a connection attempt to a
    bus that is not there crashed once inside libdbus). An address or a socket: it is."""
    from assister_log.ui import locking

    for name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setattr(locking, "SYSTEM_BUS_SOCKETS", (str(tmp_path / "system_bus_socket"),))
    assert not locking.bus_present("session") and not locking.bus_present("system")
    (tmp_path / "bus").touch()
    assert locking.bus_present("session")
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nowhere")
    assert locking.bus_present("system")
    monkeypatch.setattr(locking, "_BUSES", None)
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS")
    (tmp_path / "bus").unlink()
    assert locking._buses() == (None, None)  # and nothing was connected
    assert locking.SessionLockWatcher().dbus_connected == []
