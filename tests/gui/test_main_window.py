"""The main window: lazy list, search as you type, filters, sorting, the record as it will
print (escaped), shortcuts, the backup status, and titles without record data."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from assister_log.domain.model import Party, PartyKind, Procedure, Role, Status
from assister_log.services.session import Session
from tests.gui.conftest import load_example, type_text, unnamed_controls
from tests.support.authors import new_draft_as_author

from assister_log.ui.incident_model import PAGE_SIZE, IncidentTableModel
from assister_log.ui.main_window import MainWindow
from assister_log.ui.new_incident import NewIncidentDialog


def _examples(session: Session) -> dict[str, str]:
    return {
        name: load_example(session, name).incident_id
        for name in ("inappropriate-interaction", "staff-call", "suspected-fraud")
    }


def test_list_detail_and_accessibility(qtbot, session: Session, main_window: MainWindow) -> None:
    ids = _examples(session)
    page = main_window.list_page
    page.refresh()
    assert page.model.rowCount() == 3
    assert main_window.count_label.text() == "3 records shown"
    # Newest first: the staff call (May) is the top row.
    assert page.model.incident_id(0) == ids["staff-call"]
    first = page.model.index(0, 3).data()
    assert first == "Дмитрий Соколов"
    assert page.model.index(0, 4).data().startswith("Insists on unrelated matters")
    assert page.select(ids["inappropriate-interaction"])
    html = page.detail.toHtml()
    assert "Nguyễn Thị Ánh" in html and "Policy checklist" in html
    assert "Threatens physical harm to MNsure staff" in html  # the policy's own words
    assert page.edit_button.isEnabled() and not page.addendum_button.isEnabled()
    assert unnamed_controls(main_window) == []
    assert main_window.windowTitle() == "Assister Log"


def test_search_as_you_type_and_filters(qtbot, session: Session, main_window: MainWindow) -> None:
    ids = _examples(session)
    page = main_window.list_page
    page.refresh()
    main_window.find_action.trigger()
    assert page.search.hasFocus()
    type_text(page.search, "пустая")  # a word of a Russian quote
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2_000)
    assert page.model.incident_id(0) == ids["staff-call"]
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=2_000)
    type_text(page.search, "Abdirahman")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2_000)
    page.search.clear()
    page.apply_search()
    page.procedure.set_value(Procedure.SUSPECTED_FRAUD)
    assert page.model.rowCount() == 1
    page.procedure.set_value(None)
    session.finalize(ids["staff-call"])
    page.status.set_value(Status.FINALIZED)
    assert page.model.rowCount() == 1
    page.status.set_value(None)
    page.use_dates.setChecked(True)
    page.date_from.setDate(QDate(2026, 4, 1))
    page.date_to.setDate(QDate(2026, 4, 30))
    assert page.model.rowCount() == 1 and page.model.incident_id(0) == ids["suspected-fraud"]
    page.use_dates.setChecked(False)
    assert page.model.rowCount() == 3


def test_sorting(qtbot, session: Session, main_window: MainWindow) -> None:
    _examples(session)
    page = main_window.list_page
    page.refresh()
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    names = [page.model.index(r, 3).data() for r in range(3)]
    assert names == sorted(names)
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    times = [page.model.index(r, 1).data() for r in range(3)]
    assert times == sorted(times)


def test_detail_escapes_user_text(qtbot, session: Session, main_window: MainWindow) -> None:
    draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    evil = '<img src="x"><b>Bold</b> & <a href="http://e">link</a>'
    session.save_draft(
        replace(draft, party=Party(PartyKind.CONSUMER, name=evil), narrative="line 1\nline 2")
    )
    page = main_window.list_page
    page.refresh(draft.incident_id)
    assert page.detail.toPlainText().count('<img src="x"><b>Bold</b>') == 1
    assert "<b>Bold</b>" not in page.detail.toHtml().replace("&lt;b&gt;Bold&lt;/b&gt;", "")


def test_lazy_model_pages(qtbot, session: Session) -> None:
    base = new_draft_as_author(session, Procedure.STAFF_CALL)  # by MNsure staff
    from bench import bulk

    start = datetime(2025, 1, 1).astimezone()
    drafts = [
        (
            replace(
                base,
                incident_id=f"AL-T{i:07d}",
                occurred_at=start + timedelta(minutes=i),
                party=Party(PartyKind.CONSUMER, name=f"Person {i:04d}"),
            ),
            None,
        )
        for i in range(PAGE_SIZE * 2 + 10)
    ]
    bulk.insert_many(session.vault, drafts)
    calls = []
    original = session.list

    def counting(*args, **kwargs):
        calls.append(kwargs.get("offset"))
        return original(*args, **kwargs)

    session.list = counting
    model = IncidentTableModel(session)
    assert model.rowCount() == PAGE_SIZE * 2 + 11
    assert calls == []  # nothing read until a row is asked for
    assert model.index(0, 3).data()
    assert model.index(PAGE_SIZE * 2 + 5, 3).data()
    assert calls == [0, PAGE_SIZE * 2]


def test_list_buttons_new_and_edit(qtbot, session: Session, main_window: MainWindow) -> None:
    ids = _examples(session)
    page = main_window.list_page
    page.refresh()
    page.new_button.click()
    dialog = main_window.dialog
    assert isinstance(dialog, NewIncidentDialog) and dialog.isVisible()
    dialog.reject()
    assert main_window.editor is None and session.count() == 3
    assert page.select(ids["inappropriate-interaction"])
    page.edit_button.click()
    editor = main_window.editor
    assert editor is not None
    assert editor.current().incident_id == ids["inappropriate-interaction"]
    assert main_window.stack.currentWidget() is editor


def test_new_incident_shortcut_opens_the_editor(qtbot, session: Session, main_window) -> None:
    main_window.activateWindow()
    main_window.new_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, NewIncidentDialog)
    assert dialog.procedure is Procedure.INAPPROPRIATE_INTERACTION  # the profile's role
    assert unnamed_controls(dialog) == []
    dialog.buttons[Procedure.SUSPECTED_FRAUD].setChecked(True)
    dialog.live.setChecked(True)  # happening now: no times to type
    dialog.accept()
    editor = main_window.editor
    assert editor is not None and editor.current().procedure is Procedure.SUSPECTED_FRAUD
    assert main_window.stack.currentWidget() is editor
    assert session.count() == 1
    assert main_window.windowTitle() == "Assister Log"


STAFF_REFUSAL = (
    "The staff procedure is for MNsure contact-center staff; your profile says Navigator."
)


def test_new_incident_offers_the_staff_procedure_to_mnsure_staff_only(
    qtbot, session: Session, main_window: MainWindow
) -> None:
    """Issue 12: a navigator could pick the MNsure-staff procedure (and sign a staff memo as
    'Navigator'). The profile's role limits the choice, with the reason on screen."""
    main_window.new_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, NewIncidentDialog)
    staff = dialog.buttons[Procedure.STAFF_CALL]
    assert not staff.isEnabled()
    reason = dialog.reasons[Procedure.STAFF_CALL]
    assert reason.isVisible() and reason.text() == STAFF_REFUSAL
    assert STAFF_REFUSAL in staff.accessibleDescription()
    assert all(dialog.buttons[p].isEnabled() for p in Procedure if p is not Procedure.STAFF_CALL)
    assert unnamed_controls(dialog) == []
    dialog.reject()


def test_new_incident_for_mnsure_staff_starts_with_the_staff_procedure(qtbot) -> None:
    dialog = NewIncidentDialog(None, Role.MNSURE_STAFF)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.buttons[Procedure.STAFF_CALL].isEnabled()
    assert dialog.procedure is Procedure.STAFF_CALL
    assert not any(r.isVisible() for r in dialog.reasons.values())


def test_a_staff_record_by_a_navigator_is_refused_in_the_app(
    qtbot, session: Session, main_window: MainWindow
) -> None:
    """Even if the choice were made some other way, the service refuses in one line."""
    main_window.new_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, NewIncidentDialog)
    dialog.buttons[Procedure.STAFF_CALL].setChecked(True)  # a disabled button, set in code
    dialog.live.setChecked(True)
    dialog.accept()
    assert main_window.editor is None and session.count() == 0
    boxes = [b for b in main_window.findChildren(QMessageBox) if b.isVisible()]
    assert [b.text() for b in boxes] == [STAFF_REFUSAL]
    boxes[0].close()


def test_shortcuts_are_bound(main_window: MainWindow) -> None:
    bound = {
        a.shortcut().toString(): a.text().replace("&", "")
        for a in (
            main_window.new_action,
            main_window.find_action,
            main_window.export_action,
            main_window.lock_action,
        )
    }
    assert bound == {
        "Ctrl+N": "New incident…",
        "Ctrl+F": "Find…",
        "Ctrl+E": "Export PDF…",
        "Ctrl+L": "Lock",
    }


def test_backup_reminder_on_the_status_bar(qtbot, session: Session, main_window, tmp_path) -> None:
    assert "never" in main_window.backup_label.text()
    assert "time for a new backup" in main_window.backup_label.text()
    session.backup(tmp_path / "b.albackup")
    main_window.update_backup_status()
    text = main_window.backup_label.text()
    assert text.startswith("Last verified backup: 20") and "time for" not in text


def test_delete_draft_asks_first(qtbot, session: Session, main_window: MainWindow) -> None:
    draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    page = main_window.list_page
    page.refresh(draft.incident_id)
    page.delete_button.click()
    box = QApplication.activeModalWidget()
    yes = next(b for b in box.buttons() if b.text() == "Delete draft")
    yes.click()
    assert session.count() == 0


def test_about_names_the_version(qtbot, main_window: MainWindow) -> None:
    from assister_log import __version__

    main_window.about_action.trigger()
    box = QApplication.activeModalWidget()
    assert __version__ in box.text()
    box.close()


def test_the_date_filter_uses_each_days_own_offset_across_dst(
    qtbot, session: Session, main_window: MainWindow, monkeypatch
) -> None:
    """Issue 12: both ends used today's UTC offset. In Chicago, 20 March is daylight time
    (UTC-5) while December is standard (UTC-6); a record at 00:30 on 21 March must not be
    in a filter ending on 20 March."""
    import json
    import time

    from tests.conftest import EXAMPLES, add_as_author

    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    try:
        data = json.loads((EXAMPLES / "staff-call.json").read_text("utf-8"))
        data["occurred_at"] = "2026-03-21T00:30:00-05:00"
        data.pop("ended_at", None)
        data["timeline"] = []
        late = add_as_author(session, data).incident_id  # a staff call, by MNsure staff
        data["occurred_at"] = "2026-03-20T23:30:00-05:00"
        inside = add_as_author(session, data).incident_id
        page = main_window.list_page
        page.refresh()
        page.use_dates.setChecked(True)
        page.date_from.setDate(QDate(2026, 3, 1))
        page.date_to.setDate(QDate(2026, 3, 20))
        shown = {page.model.incident_id(r) for r in range(page.model.rowCount())}
        assert inside in shown and late not in shown
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
