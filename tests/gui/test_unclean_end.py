"""After an unlock that finds the last session ended uncleanly (a real process holding the
vault was SIGKILLed), the app says so once in a message that does not block; after a clean
end, or at the next unlock, it says nothing (issue 14, item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtWidgets import QMessageBox

from tests.conftest import PASSPHRASE
from tests.gui.conftest import settle, type_text
from tests.support.session_holder import hold, killed_mid_session

from assister_log.ui.controller import AppController
from assister_log.ui.theme import Theme

TITLE = "The last session did not end cleanly"


@pytest.fixture
def controller(qapp, created) -> Iterator[AppController]:
    vault_dir, _recovery = created
    theme = Theme(qapp)
    c = AppController(qapp, vault_dir, theme)
    yield c
    c._close_session()
    for window in (c.dialog, c.window, c.unlock_window):
        if window is not None:
            getattr(window, "allow_close", lambda: None)()
            window.close()
    theme.set_high_contrast(False)


def unlock(qtbot, c: AppController) -> None:
    if c.unlock_window is None:
        c.start()
    assert c.unlock_window is not None
    type_text(c.unlock_window.field, PASSPHRASE)
    c.unlock_window.submit()
    qtbot.waitUntil(lambda: c.main is not None, timeout=10_000)
    settle(qtbot, c.runner)


def test_a_killed_session_is_told_once_after_unlock(
    qtbot, controller: AppController, created: tuple[Path, str]
) -> None:
    folder, _ = created
    killed_mid_session(folder)
    unlock(qtbot, controller)
    box = controller.dialog
    assert isinstance(box, QMessageBox) and box.windowTitle() == TITLE
    assert box.isVisible() and box.parent() is controller.main
    assert box.text().startswith("The last session did not end cleanly (it began ")
    assert "Vault tools → Backup and restore → Check now" in box.text()
    assert controller.main.isEnabled()  # open(), not exec(): the app keeps running
    box.close()
    controller.dialog = None
    controller.lock("test")
    unlock(qtbot, controller)
    assert controller.dialog is None  # once


def test_a_clean_end_says_nothing(qtbot, controller: AppController, created) -> None:
    folder, _ = created
    child = hold(folder, "close")
    assert child.stdout is not None and child.stdout.readline() == "closed\n"
    assert child.wait(10) == 0
    child.stdout.close()
    unlock(qtbot, controller)
    assert controller.dialog is None
