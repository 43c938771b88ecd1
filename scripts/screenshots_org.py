"""Render the Organisation menu's dialogs on a 1366×768 laptop screen into docs/screenshots/:
the join dialog, the delivery queue (a navigator's vault) and the inbox (an organisation's
vault), and check that each fits the screen.

    .venv/bin/python scripts/screenshots_org.py      # starts Xvfb at 1366×768 itself

Throwaway vaults in a temp folder (the demo records, a folder destination); nothing is
written outside it and docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "screenshot vault only, nothing real"
SCREEN = (1366, 768)


def _restart_under_xvfb() -> None:
    if os.environ.get("ASSISTER_LOG_SHOTS_XVFB"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        sys.exit("No xvfb-run: install xvfb.")
    os.environ["ASSISTER_LOG_SHOTS_XVFB"] = "1"
    os.environ.pop("QT_QPA_PLATFORM", None)
    screen = f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24"
    os.execv(xvfb, [xvfb, "-a", "-s", screen, sys.executable, *sys.argv])


def main() -> int:
    _restart_under_xvfb()
    tmp = Path(tempfile.mkdtemp(prefix="assister-log-org-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["ASSISTER_LOG_CRASH_DIR"] = str(tmp / "crash")
    sys.path.insert(0, str(ROOT))
    try:
        return shoot(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shoot(tmp: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp / "config"))

    from assister_log import clock
    from assister_log.services import org
    from assister_log.services.demo import DEMO_PROFILE, FIXED_PARAMS, populate
    from assister_log.services.session import Session
    from assister_log.storage import delivery

    from assister_log.ui.app import make_application
    from assister_log.ui.clipboard import SecretClipboard
    from assister_log.ui.files import FileChooser
    from assister_log.ui.main_window import MainWindow, Tools
    from assister_log.ui.org_join import JoinDialog
    from assister_log.ui.tasks import TaskRunner
    from assister_log.ui.theme import Theme

    app = make_application([sys.argv[0]])
    app.setStyle("Fusion")
    OUT.mkdir(parents=True, exist_ok=True)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    problems: list[str] = []

    def settle() -> None:
        for _ in range(8):
            app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        settle()
        frame = widget.frameGeometry()
        if not screen.contains(frame):
            problems.append(f"{name}: {frame.getRect()} does not fit {screen.getRect()}")
        path = OUT / f"{name}.png"
        widget.grab().save(str(path), "PNG")
        size = f"{widget.width()}×{widget.height()}"
        print(f"{path.relative_to(ROOT)}  {size} on {screen.width()}×{screen.height()}")

    share = tmp / "share"
    share.mkdir()
    organisation, _key = org.create_organisation(
        tmp / "org-vault",
        PASSPHRASE,
        "Northside Health Access",
        {"kind": "folder", "path": "/srv/share/assister-log"},
        params=FIXED_PARAMS,
    )
    profile = tmp / "northside-health-access.alorg"
    profile.write_bytes(org.profile_bytes(organisation))
    session, _key = Session.create(tmp / "vault", PASSPHRASE, DEMO_PROFILE, params=FIXED_PARAMS)
    ids = populate(session)
    for incident_id in ids:
        if not session.get(incident_id).is_final:
            session.finalize(incident_id)
    theme = Theme(app)
    tools = Tools(TaskRunner(), FileChooser(), SecretClipboard(), theme)

    window = MainWindow(session, tools)
    window.show()
    join = JoinDialog(window, session, tools.files, profile)
    join.show()
    save(join, "org-join")
    join.reject()

    here = {"kind": "folder", "path": str(share)}
    org.join(session, profile.read_bytes(), destination=here)
    org.send(session)
    stray = share / "assister-log" / "envelopes" / "5e1f0c3a9b7d2e48"
    stray.mkdir(parents=True)
    (stray / "0000000001-0c9e4b1d7a3f5e26.age").write_bytes(b"copied by a sync client, cut off")
    org.import_envelopes(organisation, org.transport_for(here, None, None))
    org.send(session)  # the receipts
    session.addendum(ids[0], "The caller phoned back at 16:10 and apologised.", "New fact")
    pending = delivery.pending(session.vault.store)
    if pending:
        delivery.record_failure(
            session.vault.store,
            pending[0].position,
            "The delivery folder /media/jamie/NORTHSIDE/assister-log is not there: connect "
            "the drive or share, then try again.",
            (clock.now().replace(microsecond=0) + org.retry_delay(1)).isoformat(),
        )
    window.close_for_lock()
    window = MainWindow(session, tools)
    window.show()
    window.organisation.soon_timer.stop()
    window.organisation.auto_timer.stop()
    window.list_page.select(ids[2])
    settle()
    bar = window.list_page.detail.verticalScrollBar()
    bar.setValue(bar.maximum())  # the seal and the delivery line
    save(window, "org-main-window-delivery")
    window.organisation.queue()
    queue = window.organisation.dialog
    assert queue is not None
    save(queue, "org-queue")
    queue.reject()
    window.close_for_lock()

    org_window = MainWindow(organisation, tools)
    org_window.show()
    org_window.organisation.inbox()
    inbox = org_window.organisation.dialog
    assert inbox is not None
    inbox.table.selectRow(0)
    inbox.problems_button.setChecked(True)
    save(inbox, "org-inbox")
    inbox.reject()
    org_window.close_for_lock()
    tools.runner.drain()
    session.close()
    organisation.close()
    for problem in problems:
        print(f"DOES NOT FIT: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
