"""Times written after the call (issue 12): minutes typed stay whole minutes, Began never
pushes Ended, "6:15" / "6:15 pm" / "18:15" are read and echoed, impossible times are
inline errors and compliance-panel items, "Add at another time…" offers only the
procedure's steps at minute precision, and findings take the user to their fix."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QDialog

from assister_log.domain.model import EventKind, Procedure
from assister_log.policy.procedures import spec
from tests.gui.conftest import type_time
from tests.gui.test_editor import open_draft

from assister_log.ui.editor.page import EditorPage
from assister_log.ui.editor.timeline import EventDialog

YESTERDAY = (datetime.now().astimezone() - timedelta(days=1)).date()
DAY = YESTERDAY.isoformat()


def _ended_call(editor: EditorPage, began: str = "10:00", ended: str = "11:00") -> None:
    type_time(editor.who.occurred, f"{DAY} {began}")
    type_time(editor.who.ended, ended)  # a time alone: on Began's date


def test_typed_minutes_have_no_invented_seconds(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    stored = editor.current().occurred_at
    assert editor.current().occurred_at == stored  # untouched: kept as stored
    type_time(editor.who.occurred, f"{DAY} 6:00")
    began = editor.current().occurred_at.astimezone()
    assert (began.hour, began.minute, began.second, began.microsecond) == (6, 0, 0, 0)
    assert editor.who.occurred.text() == f"{DAY} 06:00"  # the echo


def test_times_people_type_are_echoed(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    field = editor.who.occurred
    type_time(field, f"{DAY} 6:15")
    assert field.text() == f"{DAY} 06:15"
    type_time(field, "6:15 pm")  # keeps the date
    assert field.text() == f"{DAY} 18:15"
    type_time(field, "18:15")
    assert field.text() == f"{DAY} 18:15"
    assert not field.message.isVisibleTo(editor)
    type_time(field, "quarter past six")
    assert field.message.isVisibleTo(editor)
    assert "6:15 pm" in field.message.text()
    assert editor.current().occurred_at.astimezone().hour == 18  # the last good time
    type_time(field, "7:05 pm")
    assert not field.message.isVisibleTo(editor)


def test_began_later_never_pushes_ended(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    _ended_call(editor)
    assert editor.who.has_ended.isChecked()  # typing an end time ticks "Ended at"
    assert editor.current().ended_at.astimezone().strftime("%H:%M") == "11:00"
    type_time(editor.who.occurred, "11:30")  # by mistake
    message = editor.who.times_message
    assert message.isVisibleTo(editor) and "before Began" in message.text()
    assert editor.who.ended.text() == f"{DAY} 11:00"  # not moved
    current = editor.current()
    assert current.ended_at.astimezone().strftime("%H:%M") == "11:00"
    assert current.occurred_at.astimezone().strftime("%H:%M") == "10:00"  # last consistent
    editor.refresh_compliance()
    assert any("before Began" in p.text for p in editor.compliance.problems)
    type_time(editor.who.occurred, "10:15")  # fixed: Ended is still what was typed
    current = editor.current()
    assert current.occurred_at.astimezone().strftime("%H:%M") == "10:15"
    assert current.ended_at.astimezone().strftime("%H:%M") == "11:00"
    assert not message.isVisibleTo(editor)


def test_add_at_another_time(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    _ended_call(editor)
    editor.timeline.add_button.click()
    dialog = editor.timeline.dialog
    assert isinstance(dialog, EventDialog)
    offered = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert len(offered) == len(spec(Procedure.INAPPROPRIATE_INTERACTION).events)
    assert "Accuracy reminder" not in " ".join(offered)  # another procedure's step
    assert dialog.kind.value() is EventKind.BEHAVIOUR_STARTED  # the first step not recorded
    assert dialog.at.text() == f"{DAY} 10:00"  # Began, minute precision
    type_time(dialog.at, "9:50")  # before it began
    assert not dialog.ok.isEnabled() and "before the interaction began" in dialog.problem.text()
    type_time(dialog.at, "11:20")  # after it ended
    assert not dialog.ok.isEnabled() and "after the interaction ended" in dialog.problem.text()
    future = (datetime.now() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    type_time(dialog.at, future)
    assert not dialog.ok.isEnabled() and "after now" in dialog.problem.text()
    type_time(dialog.at, f"{DAY} 10:05 am")
    assert dialog.ok.isEnabled() and not dialog.problem.isVisibleTo(dialog)
    results: list[int] = []
    dialog.finished.connect(results.append)
    dialog.ok.click()
    assert results == [QDialog.DialogCode.Accepted]
    step = editor.current().timeline[0]
    at = step.at.astimezone()
    assert step.event is EventKind.BEHAVIOUR_STARTED and (at.hour, at.minute, at.second) == (
        10,
        5,
        0,
    )
    # The next one starts at the last step's time, with the next step chosen.
    editor.timeline.add_button.click()
    dialog = editor.timeline.dialog
    assert dialog.kind.value() is EventKind.REMINDER_GIVEN
    assert dialog.at.text() == f"{DAY} 10:05"
    dialog.reject()


def test_a_stamp_outside_the_call_is_a_panel_item_that_leads_to_the_step(
    qtbot, session, main_window
) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    _ended_call(editor)
    editor.timeline.buttons[EventKind.REMINDER_GIVEN].click()  # now: a day after it ended
    editor.refresh_compliance()
    problems = editor.compliance.problems
    assert len(problems) == 1 and problems[0].target == 0
    assert "after the interaction ended" in problems[0].text
    assert editor.timeline.tree.topLevelItem(0).text(0).startswith("⚠")
    assert "1 time to check" in editor.compliance.summary.text()
    editor.compliance.list.setCurrentRow(0)
    editor.compliance.go_button.click()
    assert editor.timeline.tree.currentItem() is editor.timeline.tree.topLevelItem(0)
    assert not editor.compliance.deviate_button.isEnabled()  # a time is fixed, not excused


def test_findings_are_links(qtbot, session, main_window) -> None:
    editor = open_draft(main_window, session, Procedure.INAPPROPRIATE_INTERACTION)
    _ended_call(editor)
    editor.refresh_compliance()
    editor.compliance.select("ground-behaviour")
    editor.compliance.activate()  # Enter / double-click on the finding
    assert editor.tabs.currentWidget() is editor.grounds
    assert editor.compliance.dialog is None  # no deviation dialog
    editor.compliance.select("assister-reminder")
    editor.compliance.go_button.click()
    dialog = editor.timeline.dialog
    assert isinstance(dialog, EventDialog) and dialog.isVisible()
    assert dialog.kind.value() is EventKind.REMINDER_GIVEN
    type_time(dialog.at, "10:20")
    dialog.ok.click()
    editor.refresh_compliance()
    assert "assister-reminder" not in {f.code for f in editor.compliance.findings if f.is_open}
    # The deviation stays a secondary choice, on its own button.
    editor.compliance.select("assister-further-attempt")
    editor.compliance.deviate_button.click()
    assert editor.compliance.dialog is not None and editor.compliance.dialog.isVisible()
    editor.compliance.dialog.reject()
