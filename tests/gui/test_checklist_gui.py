"""Written up after the call (issue 12, item 1): New incident asks "Is it happening now, or
has it ended?" and takes Began and Ended right there; an ended interaction's timeline is a
checklist of the procedure's own steps (done ☐ at HH:MM, Began/Ended as defaults) entered
at minute precision through ``domain.editing``; changing a recorded time is a correction
(history kept); a time that does not add up is an inline error on the row and a panel item.
Live stamping stays for "happening now", at second precision, behind a visible switch; times
print as entered: typed minutes without seconds, live stamps with them."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from assister_log.domain import editing
from assister_log.domain.model import EventKind, Procedure
from assister_log.policy.procedures import EVENTS_BY_PROCEDURE
from assister_log.services.session import Session
from tests.gui.conftest import type_text, type_time, unnamed_controls

from assister_log.ui.editor.checklist import ChecklistPanel
from assister_log.ui.editor.page import EditorPage
from assister_log.ui.main_window import MainWindow
from assister_log.ui.new_incident import NewIncidentDialog
from assister_log.ui.record_html import record_html

YESTERDAY = (datetime.now().astimezone() - timedelta(days=1)).date()
DAY = YESTERDAY.isoformat()
PROCEDURE = Procedure.INAPPROPRIATE_INTERACTION


def _at(hour: int, minute: int) -> datetime:
    return datetime(YESTERDAY.year, YESTERDAY.month, YESTERDAY.day, hour, minute).astimezone()


def _hm(value: datetime) -> str:
    return value.astimezone().strftime("%H:%M:%S")


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)


def _dialog(main_window: MainWindow) -> NewIncidentDialog:
    main_window.new_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, NewIncidentDialog)
    return dialog


def _ended_draft(session: Session, began=(10, 0), ended=(10, 30)):
    return session.new_draft(PROCEDURE, occurred_at=_at(*began), ended_at=_at(*ended))


def _open(main_window: MainWindow, incident_id: str) -> EditorPage:
    main_window.open_editor(incident_id)
    editor = main_window.editor
    assert editor is not None
    editor.autosave.setInterval(30)
    editor.check_timer.setInterval(10)
    return editor


# ------------------------------------------------------------------ New incident


def test_new_incident_asks_whether_it_has_ended(qtbot, session, main_window) -> None:
    dialog = _dialog(main_window)
    assert dialog.has_ended.isChecked() and not dialog.live.isChecked()  # the default
    assert "ended" in dialog.has_ended.text() and "now" in dialog.live.text()
    assert dialog.began.isVisibleTo(dialog) and dialog.ended.isVisibleTo(dialog)
    assert unnamed_controls(dialog) == []
    _active(qtbot, dialog)
    type_time(dialog.began, f"{DAY} 9:40")
    assert dialog.began.text() == f"{DAY} 09:40"  # the echo
    type_time(dialog.ended, "9:52")  # a time alone: on Began's date
    assert dialog.ended.text() == f"{DAY} 09:52"
    results: list[int] = []
    dialog.finished.connect(results.append)
    QTest.keyClick(dialog.ended, Qt.Key.Key_Return)  # Enter: "Start the record"
    assert results == [QDialog.DialogCode.Accepted]
    editor = main_window.editor
    assert editor is not None
    incident = session.get(editor.incident_id)
    assert _hm(incident.occurred_at) == "09:40:00" and _hm(incident.ended_at) == "09:52:00"
    assert incident.occurred_at.astimezone().date() == YESTERDAY
    assert editor.timeline.checklist_mode  # an ended interaction: the checklist


def test_new_incident_times_that_cannot_be_right_stop_it(qtbot, session, main_window) -> None:
    dialog = _dialog(main_window)
    dialog.accept()  # nothing typed
    assert dialog.isVisible() and session.count() == 0
    assert dialog.problem.isVisibleTo(dialog) and "began" in dialog.problem.text()
    type_time(dialog.began, f"{DAY} 10:00")
    type_time(dialog.ended, "9:30")
    assert dialog.problem.isVisibleTo(dialog) and "before Began" in dialog.problem.text()
    dialog.accept()
    assert dialog.isVisible() and session.count() == 0
    future = (datetime.now() + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    type_time(dialog.ended, future)
    assert "after now" in dialog.problem.text()
    dialog.accept()
    assert dialog.isVisible() and session.count() == 0
    type_time(dialog.ended, "quarter past ten")
    assert dialog.ended.message.isVisibleTo(dialog) and "6:15 pm" in dialog.ended.message.text()
    dialog.accept()
    assert dialog.isVisible() and session.count() == 0
    type_time(dialog.ended, "10:15 am")
    assert not dialog.problem.isVisibleTo(dialog)
    assert not dialog.ended.message.isVisibleTo(dialog)
    dialog.accept()
    assert session.count() == 1


def test_happening_now_starts_a_live_record(qtbot, session, main_window) -> None:
    dialog = _dialog(main_window)
    dialog.live.click()
    assert not dialog.began.isVisibleTo(dialog) and not dialog.ended.isVisibleTo(dialog)
    before = datetime.now().astimezone() - timedelta(seconds=2)
    dialog.accept()
    editor = main_window.editor
    assert editor is not None
    incident = editor.current()
    assert incident.ended_at is None and incident.occurred_at >= before
    assert not editor.timeline.checklist_mode
    assert editor.timeline.buttons[EventKind.REMINDER_GIVEN].isVisibleTo(editor)


# -------------------------------------------------------------------- checklist


def test_the_checklist_offers_the_procedures_own_steps(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    checklist = editor.timeline.checklist
    assert isinstance(checklist, ChecklistPanel) and checklist.isVisibleTo(editor)
    assert list(checklist.rows) == list(EVENTS_BY_PROCEDURE[PROCEDURE])
    assert not editor.timeline.buttons[EventKind.REMINDER_GIVEN].isVisibleTo(editor)
    rows = checklist.rows
    assert rows[EventKind.BEHAVIOUR_STARTED].at.text() == "10:00"  # Began
    assert rows[EventKind.INTERACTION_ENDED].at.text() == "10:30"  # Ended
    assert not any(row.done.isChecked() for row in rows.values())
    assert unnamed_controls(editor) == []
    row = rows[EventKind.REMINDER_GIVEN]
    assert "Reminder" in row.done.accessibleName() and "Reminder" in row.at.accessibleName()
    assert "Reminder" in row.note.accessibleName()


def test_ticking_adds_the_step_at_the_minute_shown(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    rows = editor.timeline.checklist.rows
    rows[EventKind.BEHAVIOUR_STARTED].done.click()
    timeline = editor.current().timeline
    assert [e.event for e in timeline] == [EventKind.BEHAVIOUR_STARTED]
    assert _hm(timeline[0].at) == "10:00:00" and not timeline[0].edits
    # Typing a time and leaving the field adds the step too.
    reminder = rows[EventKind.REMINDER_GIVEN]
    type_time(reminder.at, "10:04")
    assert reminder.done.isChecked()
    assert reminder.at.text() == "10:04"  # the echo, HH:MM on the day it began
    timeline = editor.current().timeline
    assert [(e.event, _hm(e.at)) for e in timeline][-1] == (EventKind.REMINDER_GIVEN, "10:04:00")
    # A note typed before ticking goes with the step.
    attempt = rows[EventKind.FURTHER_ATTEMPT]
    attempt.note.setText("Offered to continue if he stopped")
    type_time(attempt.at, "10:06")
    event = editor.current().first(EventKind.FURTHER_ATTEMPT)
    assert event is not None and event.note == "Offered to continue if he stopped"
    # Unticking removes it.
    reminder.done.click()
    assert editor.current().first(EventKind.REMINDER_GIVEN) is None
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3_000)
    stored = session.get(editor.incident_id)
    assert [e.event for e in stored.timeline] == [
        EventKind.BEHAVIOUR_STARTED,
        EventKind.FURTHER_ATTEMPT,
    ]


def test_a_new_time_for_a_recorded_step_is_a_correction(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    row = editor.timeline.checklist.rows[EventKind.REMINDER_GIVEN]
    type_time(row.at, "10:04")
    type_time(row.at, "10:04")  # the same minute: nothing changes
    assert not editor.current().first(EventKind.REMINDER_GIVEN).edits
    type_time(row.at, "10:07")
    event = editor.current().first(EventKind.REMINDER_GIVEN)
    assert _hm(event.at) == "10:07:00"
    assert len(event.edits) == 1 and _hm(event.edits[0].previous_at) == "10:04:00"
    assert "✎" in editor.timeline.tree.topLevelItem(0).text(0)  # shown as corrected
    # A first note replaces nothing: it is not a correction (no ✎ for writing it up).
    row.note.setText("Said it twice")
    row.note.editingFinished.emit()
    event = editor.current().first(EventKind.REMINDER_GIVEN)
    assert event.note == "Said it twice" and len(event.edits) == 1
    # A note changed later is a correction, and keeps the earlier words.
    row.note.setText("Said it three times")
    row.note.editingFinished.emit()
    event = editor.current().first(EventKind.REMINDER_GIVEN)
    assert event.note == "Said it three times" and len(event.edits) == 2
    assert event.edits[-1].previous_note == "Said it twice"


def test_a_time_that_does_not_add_up_is_an_inline_error_and_a_panel_item(
    qtbot, session, main_window
) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    rows = editor.timeline.checklist.rows
    reminder = rows[EventKind.REMINDER_GIVEN]
    type_time(reminder.at, "10:45")  # after it ended
    assert reminder.done.isChecked()  # recorded as typed, never moved
    assert reminder.message.isVisibleTo(editor)
    assert "after the interaction ended" in reminder.message.text()
    editor.refresh_compliance()
    assert any("after the interaction ended" in p.text for p in editor.compliance.problems)
    # A step that follows the interaction may come after Ended.
    reported = rows[EventKind.THREAT_REPORTED]
    type_time(reported.at, "11:15")
    assert reported.done.isChecked() and not reported.message.isVisibleTo(editor)
    # After now.
    future = (datetime.now() + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    type_time(reported.at, future)
    assert "after now" in reported.message.text()
    # Fixed: the message goes.
    type_time(reminder.at, "10:05")
    assert not reminder.message.isVisibleTo(editor)
    # A time that cannot be read is said on the field, and nothing is added.
    attempt = rows[EventKind.FURTHER_ATTEMPT]
    type_time(attempt.at, "ten past")
    assert attempt.at.message.isVisibleTo(editor) and not attempt.done.isChecked()
    attempt.done.click()
    assert not attempt.done.isChecked()
    assert editor.current().first(EventKind.FURTHER_ATTEMPT) is None
    # Began moved later: the row says the step is now before it began.
    type_time(editor.who.occurred, f"{DAY} 10:10")
    editor.refresh_compliance()
    assert "before the interaction began" in reminder.message.text()


def test_defaults_follow_the_steps_already_recorded(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    rows = editor.timeline.checklist.rows
    type_time(rows[EventKind.REMINDER_GIVEN].at, "10:12")
    assert rows[EventKind.FURTHER_ATTEMPT].at.text() == "10:12"  # after the last step
    assert rows[EventKind.INTERACTION_ENDED].at.text() == "10:30"  # still Ended
    rows[EventKind.FURTHER_ATTEMPT].done.click()
    assert _hm(editor.current().first(EventKind.FURTHER_ATTEMPT).at) == "10:12:00"


def test_tab_goes_along_the_rows_one_stop_per_field(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    _active(qtbot, main_window)
    rows = list(editor.timeline.checklist.rows.values())
    expected = []
    for row in rows[:3]:
        expected += [row.done, row.at, row.note]
    rows[0].done.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(len(expected) - 1):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected


def test_the_switch_and_a_reopened_draft(qtbot, session, main_window) -> None:
    ended = _ended_draft(session)
    editor = _open(main_window, ended.incident_id)
    timeline = editor.timeline
    assert timeline.checklist_mode and timeline.after_mode.isChecked()
    assert timeline.after_mode.isVisibleTo(editor) and timeline.live_mode.isVisibleTo(editor)
    timeline.live_mode.click()  # the visible switch
    assert not timeline.checklist_mode
    assert not timeline.checklist.isVisibleTo(editor)
    assert timeline.buttons[EventKind.REMINDER_GIVEN].isVisibleTo(editor)
    timeline.buttons[EventKind.REMINDER_GIVEN].click()  # a live stamp: now, to the second
    stamped = editor.current().first(EventKind.REMINDER_GIVEN)
    assert stamped is not None and stamped.at.microsecond == 0
    timeline.after_mode.click()
    assert timeline.checklist_mode and timeline.checklist.isVisibleTo(editor)
    assert timeline.checklist.rows[EventKind.REMINDER_GIVEN].done.isChecked()
    editor.back()
    live = session.new_draft(PROCEDURE)
    assert not _open(main_window, live.incident_id).timeline.checklist_mode
    main_window.editor.back()
    assert _open(main_window, ended.incident_id).timeline.checklist_mode


def test_a_finding_about_a_step_goes_to_its_row(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    _active(qtbot, main_window)
    editor.refresh_compliance()
    editor.compliance.select("assister-reminder")
    editor.compliance.go_button.click()
    row = editor.timeline.checklist.rows[EventKind.REMINDER_GIVEN]
    assert QApplication.focusWidget() is row.at
    assert editor.timeline.dialog is None  # no "add a step" dialog in checklist mode


# ------------------------------------------------------------- on screen and paper


def test_typed_minutes_print_without_seconds_live_stamps_with(qtbot, session, main_window):
    draft = _ended_draft(session)
    began = draft.occurred_at
    incident = editing.stamp_event(draft, EventKind.REMINDER_GIVEN, _at(10, 4))
    incident = editing.stamp_event(
        incident, EventKind.FURTHER_ATTEMPT, _at(10, 6).replace(second=37)
    )
    session.save_draft(incident)
    editor = _open(main_window, draft.incident_id)
    tree = editor.timeline.tree
    assert tree.topLevelItem(0).text(0) == "10:04"
    assert tree.topLevelItem(1).text(0) == "10:06:37"
    text = record_html(session.get(draft.incident_id))
    assert f"{DAY} 10:04 (UTC" in text and "10:04:00" not in text
    assert f"{DAY} 10:06:37 (UTC" in text
    assert began.second == 0


def test_a_click_in_a_time_selects_it_so_typing_replaces_it(qtbot, session, main_window):
    editor = _open(main_window, _ended_draft(session).incident_id)
    _active(qtbot, main_window)
    row = editor.timeline.checklist.rows[EventKind.REMINDER_GIVEN]
    editor.timeline.checklist.focus_row(EventKind.BEHAVIOUR_STARTED)  # focus elsewhere
    QTest.mouseClick(row.at, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is row.at and row.at.selectedText() == "10:00"
    QTest.keyClicks(row.at, "10:09")
    QTest.keyClick(row.at, Qt.Key.Key_Tab)  # leaving the field adds the step
    assert row.done.isChecked() and row.at.text() == "10:09"
    QTest.mouseClick(row.at, Qt.MouseButton.LeftButton)
    QTest.mouseClick(row.at, Qt.MouseButton.LeftButton)  # a second click places the cursor
    assert not row.at.hasSelectedText()


def test_a_suggested_time_looks_and_reads_as_one(qtbot, session, main_window) -> None:
    editor = _open(main_window, _ended_draft(session).incident_id)
    row = editor.timeline.checklist.rows[EventKind.BEHAVIOUR_STARTED]
    assert row.at.font().italic() and "Suggested" in row.at.accessibleDescription()
    row.done.click()
    assert not row.at.font().italic() and "Suggested" not in row.at.accessibleDescription()
    other = editor.timeline.checklist.rows[EventKind.REMINDER_GIVEN]
    other.at.setFocus()
    other.at.selectAll()

    type_text(other.at, f"{DAY} 10:0")
    assert not other.at.font().italic()  # typed, no longer a suggestion
    assert other.at.width() > row.at.width()  # wide enough for the date typed


def test_a_typed_time_is_recorded_when_shift_tab_goes_back_to_the_box(
    qtbot, session, main_window
) -> None:
    """Leaving the time by keyboard for the row's own box records the step (only a mouse
    click on the box, which records it itself, is waited for)."""
    editor = _open(main_window, _ended_draft(session).incident_id)
    row = editor.timeline.checklist.rows[EventKind.REMINDER_GIVEN]
    row.at.setFocus()
    row.at.selectAll()
    type_text(row.at, "10:05")
    row.done.setFocus(Qt.FocusReason.BacktabFocusReason)
    row.at.editingFinished.emit()
    event = editor.current().first(EventKind.REMINDER_GIVEN)
    assert event is not None and _hm(event.at) == "10:05:00"
    assert row.done.isChecked()
