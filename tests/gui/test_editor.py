"""The incident editor: guided by the procedure, the live timeline, corrections that keep
the original, the compliance panel and deviations, quotes, witnesses, attachments, the
procedure details, autosave, finalize and addendum."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from assister_log.domain.model import (
    EventKind,
    GroundKind,
    Procedure,
    QuoteKind,
    Redirection,
    ThreatTarget,
    UnrelatedWish,
)
from assister_log.policy.procedures import EVENTS_BY_PROCEDURE, GROUNDS_BY_PROCEDURE
from assister_log.services.session import Session
from tests.gui.conftest import load_example, type_text, type_time, unnamed_controls
from tests.support.authors import new_draft_as_author

from assister_log.ui.editor.page import EditorPage
from assister_log.ui.finalize import SEAL_WORD, AddendumDialog, FinalizeDialog
from assister_log.ui.main_window import MainWindow


def open_draft(main_window: MainWindow, session: Session, procedure: Procedure) -> EditorPage:
    """A new draft in the editor; a staff call is written by MNsure staff."""
    draft = new_draft_as_author(session, procedure)
    main_window.open_editor(draft.incident_id)
    editor = main_window.editor
    assert editor is not None
    editor.autosave.setInterval(30)
    editor.check_timer.setInterval(10)
    return editor


@pytest.mark.parametrize("procedure", list(Procedure))
def test_editor_is_guided_by_the_procedure(qtbot, session, main_window, procedure) -> None:
    editor = open_draft(main_window, session, procedure)
    assert list(editor.timeline.buttons) == list(EVENTS_BY_PROCEDURE[procedure])
    assert list(editor.grounds.boxes) == list(GROUNDS_BY_PROCEDURE[procedure])
    tabs = [editor.tabs.tabText(i).replace("&", "") for i in range(editor.tabs.count())]
    if procedure is Procedure.STAFF_CALL:
        assert tabs[-1] == "6 Staff call"
    elif procedure is Procedure.SUSPECTED_FRAUD:
        assert tabs[-1] == "6 Fraud referral"
    else:
        assert len(tabs) == 5
    assert editor.compliance.findings  # a blank draft shows what the policy asks for
    assert unnamed_controls(main_window) == []
    # Every box shows the policy's own wording beside the choice.
    from assister_log.policy.wording import ground_quote

    for kind, box in editor.grounds.boxes.items():
        texts = " ".join(label.text() for label in box.findChildren(type(editor.title)))
        assert ground_quote(kind) in texts  # the policy's own words


def test_live_timeline_compliance_and_deviation(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    codes = {f.code for f in editor.compliance.findings if f.is_open}
    assert {"ground-behaviour", "assister-reminder", "assister-ended"} <= codes

    threat = editor.grounds.boxes[GroundKind.THREAT]
    threat.setChecked(True)
    threat.targets.boxes[ThreatTarget.MNSURE_BUILDING].setChecked(True)
    type_text(threat.detail, "Said he would burn the building down.")
    qtbot.waitUntil(lambda: "ground-behaviour" not in _open(editor), timeout=2_000)
    assert "assister-threat-reported" in _open(editor)

    type_text(editor.timeline.note, "Told her the policy lets me end the meeting.")
    editor.timeline.buttons[EventKind.REMINDER_GIVEN].click()
    assert editor.timeline.note.text() == ""
    editor.timeline.buttons[EventKind.BEHAVIOUR_CONTINUED].click()
    editor.timeline.buttons[EventKind.INTERACTION_ENDED].click()
    editor.timeline.buttons[EventKind.THREAT_REPORTED].click()
    editor.timeline.buttons[EventKind.LAW_ENFORCEMENT_CALLED].click()
    assert editor.timeline.tree.topLevelItemCount() == 5
    assert editor.who.has_ended.isChecked()  # the end button filled the end time
    still_open = _open(editor)
    assert "assister-reminder" not in still_open and "assister-ended" not in still_open
    assert "assister-further-attempt" in still_open

    editor.compliance.select("assister-further-attempt")
    editor.compliance.deviate_button.click()
    dialog = editor.compliance.dialog
    assert not dialog.ok.isEnabled()
    assert unnamed_controls(dialog) == []
    type_text(dialog.justification, "He threatened to burn the building: I ended it at once.")
    dialog.ok.click()
    assert "assister-further-attempt" not in _open(editor)
    texts = [editor.compliance.list.item(i).text() for i in range(editor.compliance.list.count())]
    assert any(t.startswith("✓ Deviation recorded") for t in texts)
    qtbot.waitUntil(lambda: not editor.dirty, timeout=2_000)
    stored = session.get(editor.incident_id)
    assert stored.deviation("assister-further-attempt") is not None
    assert stored.timeline[0].note == "Told her the policy lets me end the meeting."
    assert stored.ended_at is not None


def _open(editor: EditorPage) -> set[str]:
    return {f.code for f in editor.compliance.findings if f.is_open}


def test_timeline_correction_keeps_the_original(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.STAFF_CALL)
    now = datetime.now().astimezone()
    type_time(editor.who.occurred, (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    editor.timeline.buttons[EventKind.REMINDER_GIVEN].click()
    editor.timeline.tree.setCurrentItem(editor.timeline.tree.topLevelItem(0))
    editor.timeline.correct_button.click()
    dialog = editor.timeline.dialog
    assert unnamed_controls(dialog) == []
    assert not dialog.kind.isEnabled()
    type_time(dialog.at, (now - timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M"))
    type_text(dialog.note, "Reminded the caller the call is recorded.")
    dialog.accept()
    event = editor.current().timeline[0]
    assert len(event.edits) == 1 and event.edits[0].previous_note == ""
    assert "✎" in editor.timeline.tree.topLevelItem(0).text(0)
    # Correct again: the dialog lists the earlier correction.
    editor.timeline.correct_selected()
    assert "Earlier corrections:" in [
        w.text() for w in editor.timeline.dialog.findChildren(type(editor.title))
    ]
    editor.timeline.dialog.reject()
    # A step pressed by mistake can be removed from the draft.
    editor.timeline.buttons[EventKind.OTHER].click()
    assert editor.timeline.tree.topLevelItemCount() == 2
    editor.timeline.remove_selected()
    box = QApplication.activeModalWidget()
    next(b for b in box.buttons() if b.text() == "Remove").click()
    assert editor.timeline.tree.topLevelItemCount() == 1


def test_add_step_at_another_time(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.SUSPECTED_FRAUD)
    now = datetime.now().astimezone()
    type_time(editor.who.occurred, (now - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    editor.timeline.add_button.click()
    dialog = editor.timeline.dialog
    dialog.kind.set_value(EventKind.ACCURACY_REMINDER)
    type_time(dialog.at, (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    dialog.accept()
    assert editor.current().timeline[0].event is EventKind.ACCURACY_REMINDER


def test_words_witnesses_details_and_autosave(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.STAFF_CALL)
    unrelated = editor.grounds.boxes[GroundKind.UNRELATED_MATTERS]
    unrelated.setChecked(True)
    unrelated.wish.set_value(UnrelatedWish.COMPLAINT_ABOUT_MNSURE)
    qtbot.waitUntil(lambda: "redirect-get-help-page" in _open(editor), timeout=2_000)
    unrelated.redirections.boxes[Redirection.GET_HELP_PAGE].setChecked(True)
    qtbot.waitUntil(lambda: "redirect-get-help-page" not in _open(editor), timeout=2_000)
    abuse = editor.grounds.boxes[GroundKind.VERBAL_ABUSE]
    abuse.setChecked(True)
    abuse.occurrences.setValue(3)

    editor.words.quotes.add_button.click()
    row = editor.words.quotes.rows[0]
    assert row.text.hasFocus()
    type_text(row.text, "Это пустая трата моего времени!")
    type_text(row.speaker, "Caller")
    row.language.setText("Russian")
    editor.words.witnesses.add_button.click()
    type_text(editor.words.witnesses.rows[0].name, "Hodan Abdi")
    editor.words.witnesses.add_button.click()  # left empty: not stored
    type_text(editor.narrative.text, "Ông ấy nói rằng…\nThen he swore.")
    editor.details.staff.reminder_mentioned.setChecked(True)
    editor.details.staff.assister_on_call.setChecked(True)
    type_text(editor.who.name, "Дмитрий")
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3_000)
    stored = session.get(editor.incident_id)
    assert stored.quotes[0].text == "Это пустая трата моего времени!"
    assert stored.quotes[0].kind is QuoteKind.VERBATIM
    assert [w.name for w in stored.witnesses] == ["Hodan Abdi"]
    assert stored.narrative == "Ông ấy nói rằng…\nThen he swore."
    assert stored.party.name == "Дмитрий"
    assert stored.staff_call.assister_on_call
    assert stored.ground(GroundKind.VERBAL_ABUSE).occurrences == 3
    assert "staff-leadership-notified" in _open(editor)
    assert editor.save_state.text().startswith("Saved")


def test_tab_leaves_multiline_fields(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    editor.tabs.setCurrentWidget(editor.narrative)
    editor.narrative.text.setFocus()
    assert editor.narrative.text.hasFocus()
    QTest.keyClick(editor.narrative.text, Qt.Key.Key_Tab)
    assert not editor.narrative.text.hasFocus()
    assert "\t" not in editor.narrative.text.toPlainText()


def test_fraud_details(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.SUSPECTED_FRAUD)
    fraud = editor.details.fraud
    fraud.fill.click()
    assert fraud.reporter["name"].text() == "Jamie Ortiz"
    fraud.anonymous.setChecked(True)
    assert not fraud.reporter_box.isEnabled()
    fraud.no_discussion.setChecked(True)
    box = editor.grounds.boxes[GroundKind.SUSPECTED_FRAUD]
    box.setChecked(True)
    type_text(box.information, "Asked me to leave wages off the application.")
    box.acknowledged.setChecked(True)
    editor.save()
    stored = session.get(editor.incident_id)
    assert stored.fraud.anonymous and stored.fraud.no_discussion_acknowledged
    assert stored.ground(GroundKind.SUSPECTED_FRAUD).acknowledged_false


def test_attachments(qtbot, session, main_window, tmp_path: Path) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    path = tmp_path / "photo of the note.png"
    assert image.save(str(path))
    type_text(editor.narrative.text, "typed before attaching")
    editor.attachments.description.setText("The note he left")
    editor.attachments.attach(path)
    assert editor.attachments.list.count() == 1
    assert editor.attachments.sha.text().startswith("SHA-256 ")
    assert not editor.attachments.preview.pixmap().isNull()
    assert editor.attachments.preview.pixmap().width() <= 360
    stored = session.get(editor.incident_id)
    assert stored.narrative == "typed before attaching"
    assert stored.attachments[0].description == "The note he left"
    assert stored.attachments[0].sha256 in editor.attachments.sha.text()
    editor.attachments.remove_selected()
    box = QApplication.activeModalWidget()
    next(b for b in box.buttons() if b.text() == "Remove").click()
    assert editor.attachments.list.count() == 0
    assert session.get(editor.incident_id).attachments == ()


def test_finalize_then_read_only_and_addendum(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    incident_id = editor.incident_id
    type_text(editor.narrative.text, "Short record.")
    editor.finalize_button.click()
    dialog = editor.finalize_dialog
    assert isinstance(dialog, FinalizeDialog)
    assert unnamed_controls(dialog) == []
    assert dialog.required.count() > 0  # open findings are shown before sealing
    assert "Short record." in dialog.preview.toPlainText()  # and what will be sealed
    assert not dialog.ok.isEnabled()
    assert dialog.ok.text() == "Finalize with open findings"
    dialog.confirm.setChecked(True)
    assert not dialog.ok.isEnabled()  # required steps open: one checkbox is not enough
    type_text(dialog.word, SEAL_WORD)
    dialog.ok.click()
    assert main_window.editor is None
    record = session.get(incident_id)
    assert record.is_final and record.narrative == "Short record."
    page = main_window.list_page
    assert page.current is not None and page.current.incident_id == incident_id
    assert not page.edit_button.isEnabled() and page.addendum_button.isEnabled()
    main_window.open_editor(incident_id)  # a finalized record never opens for editing
    assert main_window.editor is None
    page.addendum_button.click()
    add = main_window.dialog
    assert isinstance(add, AddendumDialog) and not add.ok.isEnabled()
    assert unnamed_controls(add) == []
    type_text(add.body, "Le témoin a confirmé l'heure.")
    type_text(add.reason, "Witness heard later")
    add.ok.click()
    record = session.get(incident_id)
    assert record.addenda[0].text == "Le témoin a confirmé l'heure."
    assert "Le témoin a confirmé" in page.detail.toPlainText()


def test_a_failed_save_is_shown_and_retried(
    qtbot, session, main_window, monkeypatch, announced
) -> None:
    from assister_log.errors import DiskFull

    editor = open_draft(main_window, session, Procedure.STAFF_CALL)
    real = session.save_draft

    def full(_incident):
        raise DiskFull("The disk is full while writing the vault: free some space and try again.")

    monkeypatch.setattr(session, "save_draft", full)
    type_text(editor.narrative.text, "Words that must not be lost.")
    qtbot.waitUntil(lambda: editor.save_state.text().startswith("⚠ Not saved"), timeout=2_000)
    assert "disk is full" in editor.save_state.text() and editor.dirty
    failures = [text for text, assertive in announced if assertive]
    assert len(failures) == 1 and "disk is full" in failures[0]  # said at once, once
    editor.back()
    assert main_window.editor is editor  # stays open: nothing is lost
    monkeypatch.setattr(session, "save_draft", real)
    qtbot.waitUntil(lambda: not editor.dirty, timeout=2_000)
    assert announced[-1][0].startswith("Saved") and not announced[-1][1]  # the recovery, politely
    assert session.get(editor.incident_id).narrative == "Words that must not be lost."


def test_field_limits_match_the_record_format() -> None:
    from assister_log.domain import serialization

    from assister_log.ui import common

    assert (common.SHORT_TEXT, common.NOTE_TEXT, common.NARRATIVE_TEXT) == (
        serialization.SHORT_TEXT,
        serialization.NOTE_TEXT,
        serialization.NARRATIVE_TEXT,
    )


def test_an_over_long_paste_is_cut_with_a_note(qtbot) -> None:
    from assister_log.ui.common import text_edit

    edit = text_edit("Note", limit=10)
    qtbot.addWidget(edit)
    edit.setPlainText("0123456789 and more")
    assert edit.toPlainText() == "0123456789"
    assert "at most 10" in edit.toolTip()


def test_describe_once_ground_details_and_step_notes_are_optional(
    qtbot, session, main_window
) -> None:
    """The narrative is the main text; what a ground or a step adds is optional, says so, and
    no finding asks for it."""
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    for box in editor.grounds.boxes.values():
        assert box.detail.accessibleName() == "Details (optional)"
        assert "optional" in box.detail.placeholderText().lower()
    assert "main text" in " ".join(label.text() for label in editor.narrative.findChildren(QLabel))
    from assister_log.policy.checks import evaluate

    record = load_example(session, "inappropriate-interaction")
    bare = replace(
        record,
        grounds=tuple(replace(g, detail="") for g in record.grounds),
        timeline=tuple(replace(e, note="") for e in record.timeline),
    )
    assert [f.code for f in evaluate(bare)] == [f.code for f in evaluate(record)]
