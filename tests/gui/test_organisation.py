"""The Organisation menu (issue 15): joining with a real profile file, sending by hand and by
itself (after a finalize or an addendum, and on the two-minute timer), the delivery queue,
the delivery line of the detail pane, and an organisation's vault importing, listing,
searching and exporting what arrived. Real vaults, a real folder destination, real PDFs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QToolButton

from assister_log.services import org
from assister_log.services.session import Session
from tests.conftest import PASSPHRASE
from tests.gui.conftest import load_example, settle, type_text, unnamed_controls

from assister_log.ui.main_window import MainWindow, Tools
from assister_log.ui.org_inbox import InboxDialog
from assister_log.ui.org_join import JoinDialog
from assister_log.ui.org_queue import QueueDialog
from assister_log.ui.organisation import (
    AUTO_SEND_MS,
    delivery_line,
    import_line,
    profile_file_name,
    send_line,
)
from assister_log.ui.record_html import record_html

ORG_NAME = "Northside Health Access"
SLOW = 60_000  # signing a PDF, or the first import of the age and ECDSA code


@dataclass
class Organisation:
    session: Session
    share: Path
    profile: Path

    @property
    def fingerprint(self) -> str:
        return org.profile_of(self.session, org.require_organisation(self.session)).fingerprint


@pytest.fixture
def organisation(tmp_path: Path) -> Iterator[Organisation]:
    share = tmp_path / "share"
    share.mkdir()
    session, _recovery = org.create_organisation(
        tmp_path / "org-vault", PASSPHRASE, ORG_NAME, {"kind": "folder", "path": str(share)}
    )
    profile = tmp_path / "northside.alorg"
    profile.write_bytes(org.profile_bytes(session))
    yield Organisation(session, share, profile)
    session.close()


@pytest.fixture
def org_window(qtbot, organisation: Organisation, tools: Tools) -> Iterator[MainWindow]:
    window = MainWindow(organisation.session, tools)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close_for_lock()


def seal(session: Session, example: str = "inappropriate-interaction") -> str:
    incident_id: str = load_example(session, example).incident_id
    session.finalize(incident_id)
    return incident_id


def envelopes(share: Path) -> list[Path]:
    return sorted((share / "assister-log" / "envelopes").rglob("*.age"))


def choose(tools: Tools, path: Path) -> None:
    """Pick ``path`` in the file dialog the app just opened (FileChooser's own)."""
    dialog = tools.files.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.selectFile(str(path))
    dialog.accept()


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def no_message_boxes(window: MainWindow) -> bool:
    return not [b for b in window.findChildren(QMessageBox) if b.isVisible()]


# ------------------------------------------------------------------ navigator side


def test_join_send_now_and_the_delivery_queue(
    qtbot, session: Session, main_window: MainWindow, organisation: Organisation, tools: Tools
) -> None:
    first = seal(session)
    actions = main_window.organisation
    assert "Organisation" in [a.text() for a in main_window.menuBar().actions()]
    assert actions.join_action in actions.menu.actions()
    assert not actions.send_action.isEnabled() and not actions.queue_action.isEnabled()
    assert not actions.auto_timer.isActive()  # not joined: nothing to send

    actions.join_action.trigger()
    choose(tools, organisation.profile)
    dialog = actions.dialog
    assert isinstance(dialog, JoinDialog) and dialog.isVisible()
    assert dialog.name_label.text() == ORG_NAME
    assert dialog.fingerprint.text() == organisation.fingerprint
    assert "Check this fingerprint with your organisation before you join" in dialog.check.text()
    assert dialog.destination.text() == f"folder {organisation.share}"
    assert dialog.folder.text() == str(organisation.share)
    assert dialog.folder_part.isVisibleTo(dialog) and not dialog.webdav_part.isVisibleTo(dialog)
    assert dialog.join_button.isDefault()
    assert not dialog.error.isVisibleTo(dialog)
    assert unnamed_controls(dialog) == []
    click(qtbot, dialog.join_button)
    actions.soon_timer.stop()  # this test sends by hand
    joined = org.joined_of(session)
    assert joined is not None and joined.destination == {
        "kind": "folder",
        "path": str(organisation.share),
    }
    assert not dialog.isVisible()
    assert actions.send_action.isEnabled() and actions.queue_action.isEnabled()
    assert actions.auto_timer.isActive() and actions.auto_timer.interval() == AUTO_SEND_MS

    settle(qtbot, tools.runner, SLOW)  # joining sends what was sealed before
    assert len(envelopes(organisation.share)) == 1
    assert status(main_window) == "Sent 1 envelope; 0 receipts verified; 0 queued."
    main_window.list_page.refresh(first)
    assert main_window.list_page.select(first)
    detail = main_window.list_page.detail.toPlainText()
    assert f"Delivery to {ORG_NAME}: sent, awaiting receipt" in detail

    second = seal(session, "suspected-fraud")
    actions.send_action.trigger()
    settle(qtbot, tools.runner, SLOW)
    assert len(envelopes(organisation.share)) == 2
    assert status(main_window).startswith("Sent 1 envelope;")

    third = seal(session, "staff-call")
    actions.queue_action.trigger()
    queue = actions.dialog
    assert isinstance(queue, QueueDialog) and queue.isVisible()
    assert ORG_NAME in queue.organisation.text()
    assert organisation.fingerprint in queue.organisation.text()
    assert queue.destination.text() == f"folder {organisation.share}"
    assert (queue.queued.text(), queue.sent.text(), queue.received.text()) == ("1", "2", "0")
    assert queue.table.rowCount() == 1
    assert queue.table.item(0, 0).text() == "3"
    assert queue.table.item(0, 1).text() == "Finalized record"
    assert queue.table.item(0, 2).text() == third
    assert queue.table.item(0, 3).text() == "0"
    assert unnamed_controls(queue) == []
    click(qtbot, queue.send_button)
    settle(qtbot, tools.runner, SLOW)
    assert len(envelopes(organisation.share)) == 3
    assert (queue.queued.text(), queue.sent.text(), queue.received.text()) == ("0", "3", "0")
    assert queue.table.rowCount() == 0
    assert queue.status.text().startswith("Sent 1 envelope;")
    click(qtbot, queue.close_button)
    assert not queue.isVisible()
    assert second != third and no_message_boxes(main_window)


def test_a_bad_profile_file_says_why_in_one_line(
    qtbot,
    session: Session,
    main_window: MainWindow,
    organisation: Organisation,
    tools: Tools,
    tmp_path: Path,
) -> None:
    bad = tmp_path / "not-a-profile.alorg"
    bad.write_text('{"profile": {"name": "Evil"}, "signature": "AAAA"}', "utf-8")
    actions = main_window.organisation
    actions.join_action.trigger()
    choose(tools, bad)
    dialog = actions.dialog
    assert isinstance(dialog, JoinDialog) and dialog.isVisible()
    line = dialog.error.text()
    assert dialog.error.isVisibleTo(dialog)
    assert "not-a-profile.alorg is not a usable organisation profile" in line
    assert "\n" not in line and "Traceback" not in line
    assert not dialog.join_button.isEnabled()
    assert dialog.fingerprint.text() == ""

    click(qtbot, dialog.other_file)  # the right file after all
    choose(tools, organisation.profile)
    assert dialog.join_button.isEnabled() and not dialog.error.isVisibleTo(dialog)
    assert dialog.name_label.text() == ORG_NAME

    dialog.folder.clear()  # an empty folder: said in the dialog, nothing joined
    click(qtbot, dialog.join_button)
    assert dialog.isVisible() and "Choose the delivery folder" in dialog.error.text()
    assert org.joined_of(session) is None

    mounted = tmp_path / "mounted-here"
    mounted.mkdir()
    click(qtbot, dialog.choose_folder_button)
    choose(tools, mounted)
    assert dialog.folder.text() == str(mounted)
    click(qtbot, dialog.join_button)
    actions.soon_timer.stop()
    joined = org.joined_of(session)
    assert joined is not None and joined.destination == {"kind": "folder", "path": str(mounted)}
    settle(qtbot, tools.runner, SLOW)
    assert no_message_boxes(main_window)


def test_an_unreachable_folder_keeps_the_queue_and_says_so(
    qtbot, session: Session, main_window: MainWindow, organisation: Organisation, tools: Tools
) -> None:
    away = organisation.share.parent / "usb-stick-not-plugged-in"
    org.join(
        session,
        organisation.profile.read_bytes(),
        destination={"kind": "folder", "path": str(away)},
    )
    window = MainWindow(session, tools)  # a joined vault unlocked: sending starts by itself
    qtbot.addWidget(window)
    window.show()
    actions = window.organisation
    assert actions.auto_timer.isActive() and actions.soon_timer.isActive()
    actions.soon_timer.stop()
    seal(session)
    actions.send_action.trigger()
    settle(qtbot, tools.runner, SLOW)
    assert "not reachable" in status(window) and "will retry" in status(window)
    assert org.queue_state(session).queued == 1
    assert no_message_boxes(window)
    actions.queue_action.trigger()
    queue = actions.dialog
    assert isinstance(queue, QueueDialog)
    assert queue.queued.text() == "1" and queue.table.item(0, 3).text() == "1"  # one try
    assert "is not there" in queue.table.item(0, 5).text()  # the last error
    assert queue.table.item(0, 4).text()  # the next try, after the back-off
    queue.reject()
    window.statusBar().clearMessage()
    actions.send_automatically()  # the timer's slot: the entry waits out its back-off
    settle(qtbot, tools.runner, SLOW)
    assert status(window) == "" and no_message_boxes(window)
    assert org.queue_state(session).queued == 1 and not envelopes(organisation.share)

    away.mkdir()  # plugged in again
    actions.send_now()
    settle(qtbot, tools.runner, SLOW)
    assert org.queue_state(session).queued == 0 and len(envelopes(away)) == 1
    window.close_for_lock()
    assert not actions.auto_timer.isActive()


def test_sending_by_itself_after_a_finalize_and_an_addendum(
    qtbot, session: Session, organisation: Organisation, tools: Tools
) -> None:
    org.join(session, organisation.profile.read_bytes())
    window = MainWindow(session, tools)
    qtbot.addWidget(window)
    window.show()
    actions = window.organisation
    assert actions.auto_timer.interval() == AUTO_SEND_MS and actions.auto_timer.isActive()
    actions.soon_timer.stop()
    actions.soon_timer.setInterval(10)

    incident_id = load_example(session, "inappropriate-interaction").incident_id
    window.open_editor(incident_id)
    assert window.editor is not None
    session.finalize(incident_id)
    window.editor.finalized.emit(incident_id)  # what the editor says after its dialog
    qtbot.waitUntil(lambda: len(envelopes(organisation.share)) == 1, timeout=SLOW)
    settle(qtbot, tools.runner, SLOW)
    assert status(window).startswith("Sent 1 envelope;")

    window.add_addendum(incident_id)
    addendum = window.dialog
    assert addendum is not None
    type_text(addendum.body, "The caller phoned back at 16:10.")
    type_text(addendum.reason, "New fact")
    click(qtbot, addendum.ok)
    qtbot.waitUntil(lambda: len(envelopes(organisation.share)) == 2, timeout=SLOW)
    settle(qtbot, tools.runner, SLOW)

    # The two-minute timer's slot: a record sealed elsewhere (the CLI) goes too.
    seal(session, "staff-call")
    actions.send_automatically()
    settle(qtbot, tools.runner, SLOW)
    assert len(envelopes(organisation.share)) == 3
    # A run that finds nothing new (three receipts awaited, none there yet) says nothing.
    window.statusBar().clearMessage()
    actions.send_automatically()
    settle(qtbot, tools.runner, SLOW)
    assert status(window) == "" and no_message_boxes(window)

    window.wipe()  # what a lock does first
    assert not actions.auto_timer.isActive() and not actions.soon_timer.isActive()
    actions.record_sealed()
    assert not actions.soon_timer.isActive()
    window.close_for_lock()


def test_joining_a_webdav_destination_asks_for_the_account(
    qtbot, session: Session, main_window: MainWindow, tools: Tools, tmp_path: Path
) -> None:
    url = "https://127.0.0.1:9/remote.php/dav/files/intake/"  # nothing listens on port 9
    dav_org, _recovery = org.create_organisation(
        tmp_path / "dav-org",
        PASSPHRASE,
        ORG_NAME,
        {"kind": "webdav", "url": url, "username": "intake"},
        password="organisation side",
    )
    profile = tmp_path / "dav.alorg"
    profile.write_bytes(org.profile_bytes(dav_org))
    dav_org.close()
    ca = tmp_path / "org-ca.pem"
    ca.write_text(_self_signed_pem(), "ascii")

    actions = main_window.organisation
    actions.join_action.trigger()
    choose(tools, profile)
    dialog = actions.dialog
    assert isinstance(dialog, JoinDialog)
    assert dialog.webdav_part.isVisibleTo(dialog) and not dialog.folder_part.isVisibleTo(dialog)
    assert dialog.destination.text() == f"WebDAV {url}"
    assert dialog.username.text() == "intake"
    assert unnamed_controls(dialog) == []
    click(qtbot, dialog.join_button)
    assert "Type the password" in dialog.error.text() and org.joined_of(session) is None

    dialog.username.setText("jamie")
    type_text(dialog.password, "navigator's own")
    click(qtbot, dialog.choose_ca_button)
    choose(tools, ca)
    assert dialog.ca_file.text() == str(ca)
    click(qtbot, dialog.join_button)
    actions.soon_timer.stop()
    joined = org.joined_of(session)
    assert joined is not None
    assert joined.destination == {"kind": "webdav", "url": url, "username": "jamie"}
    assert joined.password == "navigator's own"
    assert joined.ca_pem is not None and "BEGIN CERTIFICATE" in joined.ca_pem
    assert dialog.password.text() == ""  # not kept in the widget
    settle(qtbot, tools.runner, SLOW)  # the send after joining: nobody on port 9
    assert "not reachable" in status(main_window) and no_message_boxes(main_window)


def _self_signed_pem() -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Northside test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


# --------------------------------------------------------------- organisation side


def test_the_organisation_imports_lists_searches_and_exports(
    qtbot,
    session: Session,
    organisation: Organisation,
    org_window: MainWindow,
    tools: Tools,
    tmp_path: Path,
) -> None:
    first = seal(session)
    second = seal(session, "staff-call")
    org.join(session, organisation.profile.read_bytes())
    assert org.send(session).sent == 2
    # A file that is no envelope of ours but named like one: refused, and said so.
    stray = organisation.share / "assister-log/envelopes/0123456789abcdef"
    stray.mkdir()
    (stray / "0000000001-0123456789abcdef.age").write_bytes(b"not an age file")

    actions = org_window.organisation
    assert [a.text() for a in actions.menu.actions() if a.text()] == [
        "&Import now",
        "In&box…",
        "&Write profile file…",
    ]
    assert not hasattr(actions, "join_action")
    actions.import_action.trigger()
    settle(qtbot, tools.runner, SLOW)
    line = status(org_window)
    assert line.startswith("Imported 2 envelopes; wrote 2 receipts.")
    assert "1 envelope REFUSED: see Inbox… → Show problems." in line

    actions.inbox_action.trigger()
    inbox = actions.dialog
    assert isinstance(inbox, InboxDialog) and inbox.isVisible()
    assert organisation.fingerprint in inbox.about.text()
    ids = {inbox.table.item(r, 0).text() for r in range(inbox.table.rowCount())}
    assert ids == {first, second}
    assert inbox.table.item(0, 6).text().startswith("Jamie Ortiz · key ")
    assert unnamed_controls(inbox) == []
    assert not inbox.export_button.isEnabled()  # nothing chosen yet

    type_text(inbox.search, "Nguyễn")
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1, timeout=5_000)
    clear = [b for b in inbox.search.findChildren(QToolButton) if b.isVisible()]
    assert clear and all(b.accessibleName() == "Clear the search" for b in clear)
    assert inbox.table.item(0, 0).text() == first
    assert inbox.table.item(0, 1).text() == "Received"
    assert inbox.table.item(0, 4).text() == "Nguyễn Thị Ánh"
    inbox.table.selectRow(0)
    assert first in inbox.detail.toPlainText() and "Nguyễn Thị Ánh" in inbox.detail.toPlainText()

    click(qtbot, inbox.export_button)
    target = tmp_path / "received.pdf"
    choose(tools, target)
    settle(qtbot, tools.runner, SLOW)
    assert target.is_file(), inbox.status.text()
    text = " ".join(extract_text(str(target)).split())
    assert first in text and f"exported by {ORG_NAME}" in text
    assert inbox.status.text() == f"PDF saved: {target}"
    assert status(org_window) == "PDF saved: received.pdf"

    type_text(inbox.password, "short")  # too short a PDF password: said, nothing written
    click(qtbot, inbox.export_button)
    assert "at least 8 characters" in inbox.status.text()
    inbox.password.clear()

    assert not inbox.problems.isVisible()
    assert inbox.problems_button.text() == "Show &problems (1)"
    click(qtbot, inbox.problems_button)
    assert inbox.problems.isVisible()
    assert "cannot be decrypted with this organisation's key" in inbox.problems.toPlainText()

    third = seal(session, "suspected-fraud")  # a new record arrives
    assert org.send(session).sent == 1
    inbox.search.clear()
    click(qtbot, inbox.import_button)
    settle(qtbot, tools.runner, SLOW)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 3, timeout=5_000)
    assert third in {inbox.table.item(r, 0).text() for r in range(3)}
    assert inbox.status.text().startswith("Imported 1 envelope; wrote 1 receipt.")
    click(qtbot, inbox.close_button)
    assert not inbox.isVisible()

    # Back on the navigator's laptop: the receipts come back and the detail pane says so.
    navigator = MainWindow(session, tools)
    qtbot.addWidget(navigator)
    navigator.show()
    navigator.organisation.soon_timer.stop()
    assert navigator.list_page.select(third)  # the first two: receipts fetched by the last send
    pane = navigator.list_page.detail
    assert f"Delivery to {ORG_NAME}: sent, awaiting receipt" in pane.toPlainText()
    navigator.organisation.send_now()
    settle(qtbot, tools.runner, SLOW)
    assert status(navigator) == "Sent 0 envelopes; 1 receipt verified; 0 queued."
    # The pane shows the new state by itself (one read of the states per change).
    assert f"Delivery to {ORG_NAME}: received on " in pane.toPlainText()
    assert "(receipt verified)" in pane.toPlainText()
    navigator.close_for_lock()


def test_write_profile_file(
    qtbot, organisation: Organisation, org_window: MainWindow, tools: Tools, tmp_path: Path
) -> None:
    actions = org_window.organisation
    actions.profile_action.trigger()
    dialog = tools.files.dialog
    assert isinstance(dialog, QFileDialog)
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "again.alorg"
    choose(tools, target)
    # The same profile (ECDSA signatures differ from one signing to the next).
    assert org.read_profile_file(target)[0] == org.read_profile_file(organisation.profile)[0]
    boxes = [b for b in org_window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and organisation.fingerprint in boxes[0].text()
    boxes[0].accept()
    assert status(org_window) == "Profile saved: again.alorg"


# ------------------------------------------------------------------------- words


def test_status_lines_and_the_delivery_line(session: Session) -> None:
    report = org.SendReport(sent=3, receipts=2, queued=0)
    assert send_line(ORG_NAME, report) == "Sent 3 envelopes; 2 receipts verified; 0 queued."
    offline = org.SendReport(queued=4, offline="The server did not answer.")
    assert send_line(ORG_NAME, offline) == (
        f"{ORG_NAME} not reachable: The server did not answer — will retry; 4 queued."
    )
    assert import_line(org.ImportReport(accepted=1, receipts=1)) == (
        "Imported 1 envelope; wrote 1 receipt."
    )
    assert delivery_line(ORG_NAME, None) == ""
    assert delivery_line(ORG_NAME, "queued") == f"Delivery to {ORG_NAME}: queued"
    assert delivery_line(ORG_NAME, "sent") == f"Delivery to {ORG_NAME}: sent, awaiting receipt"
    received = delivery_line(ORG_NAME, "received", "2026-05-02 09:03 (UTC-05:00)")
    assert received == (
        f"Delivery to {ORG_NAME}: received on 2026-05-02 09:03 (UTC-05:00) (receipt verified)"
    )
    assert "does not verify" in delivery_line(ORG_NAME, "received")
    assert profile_file_name("Northside Health Access!") == "northside-health-access.alorg"
    incident = session.get(seal(session))
    html = record_html(incident, delivery="Delivery to <b>Evil</b>: queued")
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html and "<b>Evil</b>" not in html
    assert "Delivery to" not in record_html(incident)
