"""The whole journey, as a user goes through it: create the vault (a broker), log one
incident of each assister procedure with the live timeline (the staff procedure is offered
greyed out, with the reason: it is MNsure staff's), see and resolve findings (a justified
deviation), finalize, add an addendum, export, lock, unlock, and find the record by
searching."""

from __future__ import annotations

from pathlib import Path

import pytest

from assister_log.domain.model import EventKind, GroundKind, Procedure, ThreatTarget
from tests.conftest import PASSPHRASE
from tests.gui.conftest import settle, started_app, type_text
from tests.gui.test_export import RENDERERS_READY, accept_file_dialog

from assister_log.ui.controller import AppController

STEPS = {
    Procedure.INAPPROPRIATE_INTERACTION: (
        EventKind.BEHAVIOUR_STARTED,
        EventKind.REMINDER_GIVEN,
        EventKind.FURTHER_ATTEMPT,
        EventKind.BEHAVIOUR_CONTINUED,
        EventKind.INTERACTION_ENDED,
        EventKind.THREAT_REPORTED,
    ),
    Procedure.STAFF_CALL: (
        EventKind.REMINDER_GIVEN,
        EventKind.FURTHER_ATTEMPT,
        EventKind.BEHAVIOUR_CONTINUED,
        EventKind.INTERACTION_ENDED,
        EventKind.RECORDING_PRESERVED,
    ),
    Procedure.SUSPECTED_FRAUD: (
        EventKind.FRAUDULENT_ENTRY_REQUESTED,
        EventKind.ACCURACY_REMINDER,
        EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
        EventKind.INTERACTION_ENDED,
        EventKind.EVIDENCE_PRESERVED,
        EventKind.FRAUD_REFERRED,
    ),
}
NAMES = {
    Procedure.INAPPROPRIATE_INTERACTION: "Nguyễn Thị Ánh",
    Procedure.STAFF_CALL: "Дмитрий Соколов",
    Procedure.SUSPECTED_FRAUD: "Abdirahman Cali Xasan",
}


@pytest.fixture
def app(qtbot, qapp, vault_dir: Path):
    with started_app(qapp, vault_dir) as c:
        yield c


def create_vault(qtbot, c: AppController) -> None:
    wizard = c.wizard
    type_text(wizard.passphrase.first, PASSPHRASE)
    type_text(wizard.passphrase.second, PASSPHRASE)
    wizard.next_button.click()
    type_text(wizard.profile.name, "Jamie Ortiz")
    type_text(wizard.profile.organisation, "Northside Health Access")
    wizard.next_button.click()
    wizard.next_button.click()
    settle(qtbot, c.runner)
    wizard.recovery.written.setChecked(True)
    wizard.next_button.click()
    assert c.main is not None


def log_incident(qtbot, c: AppController, procedure: Procedure) -> str:
    main = c.main
    main.activateWindow()
    main.new_action.trigger()
    main.dialog.buttons[procedure].setChecked(True)
    main.dialog.live.setChecked(True)  # stamped as it happens
    main.dialog.accept()
    editor = main.editor
    editor.autosave.setInterval(30)
    type_text(editor.who.name, NAMES[procedure])
    type_text(editor.who.location, "Brian Coyle Center")
    if procedure is Procedure.SUSPECTED_FRAUD:
        ground = editor.grounds.boxes[GroundKind.SUSPECTED_FRAUD]
        ground.setChecked(True)
        type_text(ground.information, "Asked me to leave wages off the household income.")
        ground.acknowledged.setChecked(True)
        editor.details.fraud.no_discussion.setChecked(True)
    else:
        threat = editor.grounds.boxes[GroundKind.THREAT]
        threat.setChecked(True)
        threat.targets.boxes[ThreatTarget.MNSURE_STAFF].setChecked(True)
        if procedure is Procedure.STAFF_CALL:
            editor.details.staff.reminder_mentioned.setChecked(True)
    for kind in STEPS[procedure]:
        editor.timeline.buttons[kind].click()
    type_text(editor.narrative.text, f"Narrative for {procedure.value}: he said “ça suffit”.")
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3_000)
    return editor.incident_id


def test_journey(qtbot, app: AppController, tmp_path: Path) -> None:
    c = app
    create_vault(qtbot, c)
    c.main.new_action.trigger()
    staff = c.main.dialog.buttons[Procedure.STAFF_CALL]
    assert not staff.isEnabled() and "your profile says Certified broker" in (
        c.main.dialog.reasons[Procedure.STAFF_CALL].text()
    )
    c.main.dialog.reject()
    ids = {p: log_incident(qtbot, c, p) for p in STEPS if p is not Procedure.STAFF_CALL}
    editor = c.main.editor
    assert editor.incident_id == ids[Procedure.SUSPECTED_FRAUD]

    # The last record (fraud) is still open in the editor: its findings are shown live.
    open_codes = {f.code for f in editor.compliance.findings if f.is_open}
    assert "fraud-documented" not in open_codes
    editor.back_button.click()

    # Findings of the assister record: a threat was recorded, law enforcement not decided.
    c.main.open_editor(ids[Procedure.INAPPROPRIATE_INTERACTION])
    editor = c.main.editor
    open_codes = {f.code for f in editor.compliance.findings if f.is_open}
    assert "assister-law-enforcement" in open_codes
    editor.compliance.select("assister-law-enforcement")
    editor.compliance.record_deviation()
    type_text(
        editor.compliance.dialog.justification, "He left the building; the site manager watched."
    )
    editor.compliance.dialog.ok.click()
    assert "assister-law-enforcement" not in {
        f.code for f in editor.compliance.findings if f.is_open
    }

    editor.finalize_button.click()
    editor.finalize_dialog.confirm.setChecked(True)
    editor.finalize_dialog.ok.click()
    page = c.main.list_page
    assert (
        page.current.is_final
        and page.current.incident_id == ids[Procedure.INAPPROPRIATE_INTERACTION]
    )

    page.addendum_button.click()
    type_text(c.main.dialog.body, "The site manager confirmed he left at 14:35.")
    type_text(c.main.dialog.reason, "Confirmation received the next day")
    c.main.dialog.ok.click()
    assert c.session.get(ids[Procedure.INAPPROPRIATE_INTERACTION]).addenda

    if RENDERERS_READY:
        page.export_button.click()
        dialog = c.main.dialog
        dialog.plaintext.setChecked(True)
        dialog.save_button.click()
        name = c.files.dialog.selectedFiles()[0].rsplit("/", 1)[-1]
        accept_file_dialog(c.files, tmp_path, name)
        settle(qtbot, c.runner, timeout=60_000)
        assert (tmp_path / name).stat().st_size > 1000

    c.main.activateWindow()
    c.main.lock_action.trigger()
    assert c.session is None
    type_text(c.unlock_window.field, PASSPHRASE)
    c.unlock_window.submit()
    qtbot.waitUntil(lambda: c.main is not None, timeout=10_000)
    page = c.main.list_page
    assert page.model.rowCount() == 2
    c.main.find_action.trigger()
    type_text(page.search, "manager confirmed")  # words of the addendum
    qtbot.waitUntil(lambda: page.model.query == "manager confirmed", timeout=2_000)
    assert page.model.rowCount() == 1
    assert page.model.incident_id(0) == ids[Procedure.INAPPROPRIATE_INTERACTION]
    page.search.clear()
    type_text(page.search, "Abdirahman")
    qtbot.waitUntil(lambda: page.model.query == "Abdirahman", timeout=2_000)
    assert page.model.rowCount() == 1
    assert page.model.incident_id(0) == ids[Procedure.SUSPECTED_FRAUD]
