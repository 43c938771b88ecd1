"""Run in a child process on an offscreen screen of a chosen size (Qt fixes the screen when
it starts): opens the main window and an editor over a test vault and prints, as JSON, where
the status bar and the compliance panel are against the screen's available geometry.

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python tests/gui/screen_probe.py VAULT [PNG_PREFIX]

With ``PNG_PREFIX`` it also saves the list and the editor as screenshots."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["ASSISTER_LOG_TESTING"] = "1"


def _rect(widget) -> list[int]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint, QRect

    top_left = widget.mapToGlobal(QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def main() -> int:
    from assister_log.storage import kdf

    kdf.enable_insecure_test_parameters()
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    from assister_log.policy.procedures import default_procedure
    from assister_log.services.session import Session
    from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE, add_as_author

    from assister_log.ui.clipboard import SecretClipboard
    from assister_log.ui.files import FileChooser
    from assister_log.ui.main_window import MainWindow, Tools
    from assister_log.ui.tasks import TaskRunner
    from assister_log.ui.theme import Theme

    vault = Path(sys.argv[1])
    prefix = sys.argv[2] if len(sys.argv) > 2 else ""
    session, _ = Session.create(vault, PASSPHRASE, PROFILE)
    for name in ("inappropriate-interaction", "staff-call", "suspected-fraud"):
        add_as_author(session, json.loads((EXAMPLES / f"{name}.json").read_text("utf-8")))
    window = MainWindow(session, Tools(TaskRunner(), FileChooser(), SecretClipboard(), Theme(app)))
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    settle()
    window.list_page.table.selectRow(0)
    settle()
    available = app.primaryScreen().availableGeometry()
    out: dict[str, object] = {
        "available": [available.x(), available.y(), available.width(), available.height()],
        "maximized": window.isMaximized(),
        "frame": [
            window.frameGeometry().x(),
            window.frameGeometry().y(),
            window.frameGeometry().width(),
            window.frameGeometry().height(),
        ],
        "status_bar": _rect(window.statusBar()),
        "status_visible": window.statusBar().isVisible(),
    }
    if prefix:
        window.grab().save(f"{prefix}-list.png")
    draft = session.new_draft(default_procedure(PROFILE.role))
    window.open_editor(draft.incident_id)
    settle()
    editor = window.editor
    assert editor is not None
    out["compliance"] = _rect(editor.compliance)
    out["compliance_visible"] = editor.compliance.isVisible()
    out["finalize"] = _rect(editor.finalize_button)
    out["add_at_time"] = _rect(editor.timeline.add_button)
    if prefix:
        window.grab().save(f"{prefix}-editor.png")
    # Written up afterwards: the checklist must not push the compliance panel off screen.
    from datetime import timedelta

    from assister_log.clock import now

    began = (now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    ended = session.new_draft(
        default_procedure(PROFILE.role), occurred_at=began, ended_at=began + timedelta(minutes=20)
    )
    window.open_editor(ended.incident_id)
    settle()
    editor = window.editor
    assert editor is not None and editor.timeline.checklist_mode
    out["checklist_compliance"] = _rect(editor.compliance)
    out["checklist_compliance_visible"] = editor.compliance.isVisible()
    out["checklist_finalize"] = _rect(editor.finalize_button)
    first = next(iter(editor.timeline.checklist.rows.values()))
    out["checklist_first_row"] = _rect(first.at)
    if prefix:
        window.grab().save(f"{prefix}-checklist.png")
    print(json.dumps(out))
    window.save_drafts()
    window.close_for_lock()
    session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
