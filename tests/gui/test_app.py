"""run_gui end to end in a fresh process: the real entry point (CLI, then GUI), --vault, the
first window, and the GUI excepthook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

from assister_log.ui.app import parse_args

PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
original = QApplication.exec

def exec_(*_args):
    app = QApplication.instance()
    def look():
        shown = [w for w in app.topLevelWidgets() if w.isVisible()]
        print(json.dumps({
            "windows": [type(w).__name__ for w in shown],
            "titles": [w.windowTitle() for w in shown],
            "hook": sys.excepthook.__module__,
        }), flush=True)
        app.quit()
    QTimer.singleShot(0, look)
    return original()

QApplication.exec = exec_
from assister_log.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_app(*args: str, home: Path | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("ASSISTER_LOG_HOME", None)
    if home is not None:
        env["ASSISTER_LOG_HOME"] = str(home)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_parse_args() -> None:
    assert parse_args(["x", "--vault", "/v"]) == ("/v", False)
    assert parse_args(["x", "--vault=/w", "--high-contrast"]) == ("/w", True)
    assert parse_args(["x"])[0] is None


def test_first_window(tmp_path: Path, created) -> None:
    new = run_app(home=tmp_path / "new")
    assert new["windows"] == ["FirstRunWizard"]
    assert new["hook"] == "assister_log.ui.app"
    vault_dir, _ = created
    existing = run_app("--vault", str(vault_dir), home=tmp_path / "elsewhere")
    assert existing["windows"] == ["UnlockWindow"]
    assert existing["titles"] == ["Assister Log – locked"]
