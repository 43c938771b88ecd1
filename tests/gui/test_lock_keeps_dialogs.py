"""A lock closes every dialog; what was half-typed in one comes back after unlock (issue 12,
item 4): the step added at another time, a correction, a justified deviation, an addendum.
While locked the text is in the vault (encrypted), not in any widget; a dialog holding a
password is never kept."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QApplication, QDialog

from assister_log.domain.model import EventKind, Procedure
from assister_log.services.session import Session
from tests.conftest import PASSPHRASE
from tests.gui.conftest import settle, type_text
from tests.gui.test_locking import _start_draft, _texts

from assister_log.ui import keep
from assister_log.ui.controller import AppController

NOTE = "Reminder given twice — ça suffit, said at the door"


def _open_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def _lock_and_unlock(qtbot, c: AppController, secret_gone: str) -> None:
    c.lock("it was idle")
    settle(qtbot, c.runner)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: secret_gone not in _texts(), timeout=2_000)
    assert _open_dialogs() == []
    type_text(c.unlock_window.field, PASSPHRASE)
    c.unlock_window.submit()
    qtbot.waitUntil(lambda: c.main is not None, timeout=10_000)


def test_a_half_typed_step_comes_back_after_an_idle_lock(qtbot, unlocked: AppController) -> None:
    c = unlocked
    editor = _start_draft(c)
    incident_id = editor.incident_id
    began = editor.current().occurred_at.astimezone()
    during = (began + timedelta(minutes=2)).strftime("%H:%M")  # within the interaction
    editor.timeline.add_at_time()
    dialog = editor.timeline.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.at.clear()
    type_text(dialog.at, during)
    type_text(dialog.note, NOTE)
    _lock_and_unlock(qtbot, c, "ça suffit")
    # Locked, the words were in the vault's encrypted settings only; now the dialog is back.
    assert c.main.editor is not None and c.main.editor.incident_id == incident_id
    reopened = c.main.editor.timeline.dialog
    qtbot.waitUntil(lambda: reopened is not None and reopened.isVisible(), timeout=2_000)
    assert reopened.note.toPlainText() == NOTE
    assert during in reopened.at.text()
    assert "again" in c.main.statusBar().currentMessage().lower()
    from assister_log.services import ui_support

    assert ui_support.preference(c.session, keep.KEY) is None  # used once, then cleared
    reopened.accept()
    steps = [e for e in c.main.editor.current().timeline if e.note == NOTE]
    assert len(steps) == 1 and steps[0].at.astimezone().strftime("%H:%M:%S") == f"{during}:00"


def test_an_untouched_dialog_is_not_reopened(qtbot, unlocked: AppController) -> None:
    c = unlocked
    editor = _start_draft(c)
    editor.timeline.add_at_time()
    _lock_and_unlock(qtbot, c, "Nguyễn Thị Ánh")
    assert c.main.editor is not None
    assert _open_dialogs() == []


def test_a_half_typed_addendum_comes_back(qtbot, unlocked: AppController) -> None:
    c = unlocked
    editor = _start_draft(c)
    incident_id = editor.incident_id
    c.main.close_editor()
    c.session.finalize(incident_id)
    c.main.list_page.refresh(incident_id)
    c.main.add_addendum(incident_id)
    dialog = c.main.dialog
    type_text(dialog.body, "The consumer called back at 11:20 — ça suffit.")
    _lock_and_unlock(qtbot, c, "ça suffit")
    reopened = c.main.dialog
    qtbot.waitUntil(lambda: reopened is not None and reopened.isVisible(), timeout=2_000)
    assert reopened.body.toPlainText() == "The consumer called back at 11:20 — ça suffit."
    type_text(reopened.reason, "Later call")
    reopened.accept()
    settle(qtbot, c.runner)
    assert [a.text for a in c.session.get(incident_id).addenda] == [
        "The consumer called back at 11:20 — ça suffit."
    ]


def test_the_kept_text_is_encrypted_in_the_vault_while_locked(
    qtbot, unlocked: AppController
) -> None:
    c = unlocked
    editor = _start_draft(c)
    editor.timeline.add_at_time()
    type_text(editor.timeline.dialog.note, NOTE)
    c.lock("it was idle")
    settle(qtbot, c.runner)
    raw = b"".join(p.read_bytes() for p in c.vault_dir.rglob("*") if p.is_file())
    assert "ça suffit".encode() not in raw and b"Reminder given twice" not in raw
    with Session.unlock(c.vault_dir, PASSPHRASE) as s:
        from assister_log.services import ui_support

        kept = ui_support.preference(s, keep.KEY)
    assert kept["action"] == "add-step" and any(f[2] == NOTE for f in kept["fields"])


def test_a_half_typed_deviation_and_correction_come_back(qtbot, unlocked: AppController) -> None:
    c = unlocked
    draft = c.session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    c.main.open_editor(draft.incident_id)
    editor = c.main.editor
    editor.timeline.buttons[EventKind.BEHAVIOUR_STARTED].click()
    editor.refresh_compliance()
    panel = editor.compliance
    panel.select("assister-further-attempt")
    code = panel.selected().code
    panel.deviate_button.click()
    type_text(panel.dialog.justification, "The consumer left before — ça suffit.")
    _lock_and_unlock(qtbot, c, "ça suffit")
    reopened = c.main.editor.compliance.dialog
    qtbot.waitUntil(lambda: reopened is not None and reopened.isVisible(), timeout=2_000)
    assert reopened.justification.toPlainText() == "The consumer left before — ça suffit."
    assert c.main.editor.compliance.selected().code == code
    reopened.reject()
    # A correction of the first step's note.
    timeline = c.main.editor.timeline
    timeline.select_step(0)
    timeline.correct_selected()
    type_text(timeline.dialog.note, " — corrected ça suffit")
    _lock_and_unlock(qtbot, c, "corrected ça suffit")
    again = c.main.editor.timeline.dialog
    qtbot.waitUntil(lambda: again is not None and again.isVisible(), timeout=2_000)
    assert again.note.toPlainText().endswith(" — corrected ça suffit")
    assert not again.kind.isEnabled()  # a correction still: the step's kind stays


def test_a_kept_dialog_that_no_longer_fits_is_said_and_unlock_goes_on(
    qtbot, unlocked: AppController
) -> None:
    """A snapshot whose fields do not match the dialog (another app version, a damaged
    setting): the dialog is not half-filled, the status bar says so, and the app is open."""
    from assister_log.services import ui_support

    c = unlocked
    editor = _start_draft(c)
    kept = {
        "action": "add-step",
        "args": {"incident": editor.incident_id},
        "fields": [["QLineEdit", "Something else", "x"]],
    }
    c.lock("test")
    settle(qtbot, c.runner)
    with Session.unlock(c.vault_dir, PASSPHRASE) as s:
        ui_support.set_preference(s, keep.KEY, kept)
    type_text(c.unlock_window.field, PASSPHRASE)
    c.unlock_window.submit()
    qtbot.waitUntil(lambda: c.main is not None, timeout=10_000)
    assert c.main.editor is not None
    assert "could not be put back" in c.main.statusBar().currentMessage()
    assert _open_dialogs() == []
    assert ui_support.preference(c.session, keep.KEY) is None
