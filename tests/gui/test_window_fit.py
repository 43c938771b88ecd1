"""Windows fit the screen they open on (issue 12): the main window takes the available
geometry and is maximized below 900 pixels high, so the status bar (the backup warning)
and the compliance panel are on screen at 1366×768 and 1280×720; the geometry and the
selection survive a lock and a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import load_example, unlock_with_passphrase

from assister_log.ui.controller import AppController
from assister_log.ui.geometry import PREFERRED, fitted, should_maximize

PROBE = Path(__file__).with_name("screen_probe.py")


def _inside(outer: list[int], inner: list[int]) -> bool:
    ox, oy, ow, oh = outer
    x, y, w, h = inner
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 720)])
def test_main_window_fits_a_laptop_screen(tmp_path: Path, width: int, height: int) -> None:
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    result = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path / "vault")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    available = probe["available"]
    assert available == [0, 0, width, height]
    assert probe["maximized"]
    assert _inside(available, probe["frame"])
    assert probe["status_visible"] and _inside(available, probe["status_bar"])
    assert probe["compliance_visible"] and _inside(available, probe["compliance"])
    assert _inside(available, probe["finalize"])
    # Written up afterwards: the checklist scrolls; the compliance panel stays on screen.
    assert probe["checklist_compliance_visible"]
    assert _inside(available, probe["checklist_compliance"])
    assert _inside(available, probe["checklist_finalize"])
    assert _inside(available, probe["checklist_first_row"])


def test_fitted_rectangles() -> None:
    for width, height in ((1366, 768), (1280, 720), (1024, 600)):
        screen = QRect(0, 0, width, height)
        assert should_maximize(screen)
        rect = fitted(screen)
        assert screen.contains(rect)
    big = QRect(0, 0, 1920, 1080)
    assert not should_maximize(big)
    assert fitted(big).size() == PREFERRED
    assert big.center() == fitted(big).center()
    assert fitted(QRect(1920, 0, 1366, 768), QSize(600, 400)).left() >= 1920  # second screen


def test_the_test_screen_is_short_so_the_window_opens_maximized(qtbot, controller) -> None:
    c = controller
    unlock_with_passphrase(qtbot, c)
    available = c.main.screen().availableGeometry()
    assert available.height() < 900  # the offscreen screen is 800×800
    assert c.main.isMaximized()
    QApplication.processEvents()
    assert available.contains(c.main.frameGeometry())
    bar = c.main.statusBar()
    assert bar.isVisible() and c.main.rect().contains(bar.geometry())


def test_geometry_and_selection_survive_lock_and_restart(qtbot, qapp, controller) -> None:
    c = controller
    unlock_with_passphrase(qtbot, c)
    example = load_example(c.session, "staff-call")
    load_example(c.session, "suspected-fraud")
    c.main.list_page.refresh(example.incident_id)
    assert c.main.list_page.current.incident_id == example.incident_id
    c.main.showNormal()
    c.main.setGeometry(40, 50, 700, 520)
    QApplication.processEvents()
    size = c.main.size()
    c.main.lock_action.trigger()
    assert c.main is None
    unlock_with_passphrase(qtbot, c)
    QApplication.processEvents()
    assert not c.main.isMaximized()
    assert c.main.size() == size
    assert c.main.list_page.current is not None
    assert c.main.list_page.current.incident_id == example.incident_id
    # Maximized stays maximized.
    c.main.showMaximized()
    QApplication.processEvents()
    c.lock("test")
    unlock_with_passphrase(qtbot, c)
    assert c.main.isMaximized()
    assert c.main.list_page.current.incident_id == example.incident_id
    # A restart (a new controller, nothing in memory) reads it from the vault.
    c.main.showNormal()
    c.main.setGeometry(30, 30, 640, 480)
    QApplication.processEvents()
    size = c.main.size()
    c._close_session()
    for window in (c.window, c.unlock_window):
        if window is not None:
            getattr(window, "allow_close", lambda: None)()
            window.close()
    other = AppController(qapp, c.vault_dir, c.theme)
    other.start()
    try:
        unlock_with_passphrase(qtbot, other)
        assert other.main.size() == size
        assert other.main.list_page.current.incident_id == example.incident_id
    finally:
        other._close_session()
        for window in (other.window, other.unlock_window):
            if window is not None:
                getattr(window, "allow_close", lambda: None)()
                window.close()
