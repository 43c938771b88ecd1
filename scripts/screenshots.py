"""Render each screen of the desktop app into docs/screenshots/*.png.

    xvfb-run -a .venv/bin/python scripts/screenshots.py      # or with a DISPLAY already set
    .venv/bin/python scripts/screenshots.py finalize new-incident   # only these shots

Runs against a throwaway demo vault in a temp folder (the bundled example records, one per
procedure, plus a few more so the list looks used). The 200 % shot runs the same script in
a child process with QT_SCALE_FACTOR=2, since the scale is fixed when Qt starts. Nothing is
written outside the temp folder and docs/screenshots/ (Qt's settings go to the temp folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "screenshot vault only, nothing real"
ONLY = frozenset(a for a in sys.argv[1:] if not a.startswith("-"))  # names to write; all if empty


def _restart_under_xvfb() -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        sys.exit("No DISPLAY and no xvfb-run: install xvfb, or run under a display.")
    os.execv(xvfb, [xvfb, "-a", "-s", "-screen 0 2800x1800x24", sys.executable, *sys.argv])


def main() -> int:
    _restart_under_xvfb()
    scale = os.environ.get("QT_SCALE_FACTOR", "1")
    tmp = Path(tempfile.mkdtemp(prefix="assister-log-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")  # Qt's own settings stay here
    os.environ["ASSISTER_LOG_CRASH_DIR"] = str(tmp / "crash")
    sys.path.insert(0, str(ROOT))
    try:
        return shoot(tmp, scale)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shoot(tmp: Path, scale: str) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp / "config"))

    from assister_log.domain import editing
    from assister_log.domain.model import EventKind, Party, PartyKind, Procedure
    from assister_log.services.demo import DEMO_PROFILE, FIXED_PARAMS, populate
    from assister_log.services.session import Session

    from assister_log.ui.app import make_application
    from assister_log.ui.clipboard import SecretClipboard
    from assister_log.ui.files import FileChooser
    from assister_log.ui.first_run import FirstRunWizard
    from assister_log.ui.main_window import MainWindow, Tools
    from assister_log.ui.tasks import TaskRunner
    from assister_log.ui.theme import Theme
    from assister_log.ui.unlock import UnlockWindow

    app = make_application([sys.argv[0]])
    app.setStyle("Fusion")  # the same look on every machine that renders the shots
    OUT.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        if ONLY and name not in ONLY:
            return
        settle()
        path = OUT / f"{name}.png"
        widget.grab().save(str(path), "PNG")
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")

    session, _key = Session.create(tmp / "vault", PASSPHRASE, DEMO_PROFILE, params=FIXED_PARAMS)
    ids = populate(session)
    base = session.get(ids[1])
    more = [
        ("Maria Hernández", "Preguntó otra vez por su caso."),
        ("Lee Vang", "Hmoob: caller asked for the navigator by name."),
        ("Amina Yusuf", "Follow-up call after the renewal meeting."),
        ("Olga Petrova", "Called twice about the same notice."),
    ]
    for i, (name, narrative) in enumerate(more):
        draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
        session.save_draft(
            replace(
                draft,
                occurred_at=base.occurred_at - timedelta(days=9 * (i + 1)),
                party=Party(PartyKind.CONSUMER, name=name),
                grounds=session.get(ids[0]).grounds[:1],
                narrative=narrative,
            )
        )
    theme = Theme(app)
    tools = Tools(TaskRunner(), FileChooser(), SecretClipboard(), theme)

    if scale != "1":
        window = MainWindow(session, tools)
        window.resize(1100, 700)
        window.show()
        window.list_page.select(ids[2])
        save(window, "main-window-200")
        window.close_for_lock()
        session.close()
        return 0

    # First run: the passphrase step with live feedback, and the recovery key step.
    wizard = FirstRunWizard(tmp / "new-vault", tools.runner, tools.files, tools.clipboard)
    wizard.resize(720, 640)
    wizard.show()
    wizard.passphrase.first.setText("river lamp orange")
    wizard.passphrase.second.setText("river lamp orange")
    save(wizard, "first-run")
    wizard.recovery.set_key("7K3Q-M2XD-9PTA-HV4R-C8WN-J6EB-Y1ZF-5GKS")
    wizard.pages.setCurrentIndex(3)
    wizard._update()
    save(wizard, "first-run-recovery-key")
    wizard.allow_close()
    wizard.close()

    unlock = UnlockWindow(tmp / "vault")
    unlock.resize(560, 400)
    unlock.show()
    save(unlock, "unlock")
    unlock.failures = 2
    unlock.failed(
        "The passphrase is wrong (or the recovery key, if you used one); check it and try again."
    )
    save(unlock, "unlock-wait")
    unlock.timer.stop()
    unlock.allow_close()
    unlock.close()

    window = MainWindow(session, tools)
    window.resize(1280, 800)
    window.show()
    window.list_page.select(ids[2])
    save(window, "main-window")

    draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    window.open_editor(draft.incident_id)
    editor = window.editor
    editor.who.name.setText("Nguyễn Văn Minh")
    editor.who.location.setText("Brian Coyle Center, table 2")
    editor.mark_dirty()
    from assister_log.domain.model import GroundKind, ThreatTarget

    threat = editor.grounds.boxes[GroundKind.THREAT]
    threat.setChecked(True)
    threat.targets.boxes[ThreatTarget.ASSISTER].setChecked(True)
    editor.tabs.setCurrentWidget(editor.grounds)
    for kind in (
        EventKind.BEHAVIOUR_STARTED,
        EventKind.REMINDER_GIVEN,
        EventKind.BEHAVIOUR_CONTINUED,
    ):
        editor.timeline.buttons[kind].click()
    editor.timeline.note.setText("Ended the meeting and asked him to leave")
    editor.timeline.buttons[EventKind.INTERACTION_ENDED].click()
    editor.refresh_compliance()
    editor.save()
    save(window, "editor")

    editor.finalize_button.click()
    settle()
    save(editor.finalize_dialog, "finalize")
    editor.finalize_dialog.reject()

    theme.set_high_contrast(True)
    save(window, "high-contrast")
    theme.set_high_contrast(False)
    editor.back()

    # Written up after the call: New incident with the times, then the checklist on a
    # 1366×768 and a 1280×720 laptop screen.
    from datetime import datetime

    began = (datetime.now().astimezone() - timedelta(hours=1, minutes=20)).replace(
        second=0, microsecond=0
    )
    ended = began + timedelta(minutes=12)
    window.new_incident()
    dialog = window.dialog
    dialog.began.set_value(began)
    dialog.ended.set_value(ended)
    save(dialog, "new-incident")
    dialog.reject()
    draft = session.new_draft(
        Procedure.INAPPROPRIATE_INTERACTION, occurred_at=began, ended_at=ended
    )
    for kind, minutes in (
        (EventKind.BEHAVIOUR_STARTED, 0),
        (EventKind.REMINDER_GIVEN, 3),
        (EventKind.FURTHER_ATTEMPT, 5),
    ):
        draft = editing.stamp_event(draft, kind, began + timedelta(minutes=minutes))
    session.save_draft(
        replace(
            draft, party=Party(PartyKind.CONSUMER, name="Nguyễn Văn Minh", phone="612-555-0148")
        )
    )
    window.open_editor(draft.incident_id)
    editor = window.editor
    threat = editor.grounds.boxes[GroundKind.THREAT]
    threat.setChecked(True)
    threat.targets.boxes[ThreatTarget.ASSISTER].setChecked(True)
    editor.mark_dirty()
    editor.refresh_compliance()
    for width, height in ((1366, 768), (1280, 720)):
        window.resize(width, height)
        settle()
        save(window, f"laptop-{width}x{height}-checklist")
    editor.back()
    window.resize(1280, 800)

    window.list_page.select(ids[1])
    window.export(ids[1])
    dialog = window.dialog
    dialog.protected.setChecked(True)
    dialog.password.setText("tell them by phone")
    dialog.password_again.setText("tell them by phone")
    save(dialog, "export")
    dialog.reject()

    window.vault_tools()
    tools_dialog = window.dialog
    tools_dialog.resize(760, 640)
    save(tools_dialog, "vault-tools")
    tools_dialog.tabs.setCurrentIndex(2)
    save(tools_dialog, "vault-tools-retention")
    tools_dialog.reject()

    window.close_for_lock()
    session.close()

    if ONLY and "main-window-200" not in ONLY:
        return 0
    child = dict(os.environ, QT_SCALE_FACTOR="2")
    return subprocess.call([sys.executable, __file__, *sys.argv[1:]], env=child)


if __name__ == "__main__":
    sys.exit(main())
