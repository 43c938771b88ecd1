"""The Organisation menu (docs/organisation.md): a navigator's vault joins an organisation,
sends its sealed entries (by itself every two minutes and shortly after a finalize or an
addendum, or now) and shows the queue; an organisation's vault imports, keeps an inbox and
writes its profile file. Every delivery and import runs on the task runner, never on the GUI
thread, and says its outcome in one line of the status bar; automatic sending never opens a
dialog. The work itself is ``services.org``'s."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox

from assister_log import crash
from assister_log.domain.model import Incident
from assister_log.errors import KnownError, from_os_error
from assister_log.services import org
from assister_log.services import presentation as times
from assister_log.services.session import Session

from assister_log.ui import errors
from assister_log.ui.common import message
from assister_log.ui.files import FileChooser
from assister_log.ui.tasks import TaskRunner

AUTO_SEND_MS = 2 * 60 * 1000  # while unlocked and joined
SOON_MS = 5_000  # after unlocking, a finalize or an addendum
SHORT_MS = 10_000  # how long a result stays in the status bar
LONG_MS = 30_000  # a failure stays longer
PROFILE_SUFFIX = "alorg"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def one_line(text: str) -> str:
    """A message for the status bar or a dialog's error line: never more than one line."""
    return " ".join(text.split())


def send_line(organisation: str, report: org.SendReport) -> str:
    """What a send did, in one line (the CLI's words, shortened)."""
    queued = _plural(report.queued, "queued", "queued")
    if report.offline:
        return one_line(
            f"{organisation} not reachable: {report.offline.rstrip('.')} — will retry; {queued}."
        )
    if report.refused:
        return one_line(f"Delivery to {organisation} refused: {report.refused} ({queued})")
    text = (
        f"Sent {_plural(report.sent, 'envelope')}; "
        f"{_plural(report.receipts, 'receipt')} verified; {queued}."
    )
    if report.bad_receipts:
        text += (
            f" {_plural(len(report.bad_receipts), 'receipt')} not accepted: "
            f"{report.bad_receipts[0]}"
        )
    return one_line(text)


def send_failure_line(organisation: str, error: KnownError) -> str:
    if isinstance(error, org.Unreachable):
        return one_line(f"{organisation} not reachable: {error.message.rstrip('.')} — will retry.")
    return one_line(f"Delivery to {organisation} failed: {error.message}")


def import_line(report: org.ImportReport) -> str:
    text = report.lines()[0]
    if report.new_authors:
        text += f" New: {'; '.join(report.new_authors)} (trusted on first use)."
    if report.waiting:
        text += f" {_plural(len(report.waiting), 'author')} waiting for an earlier entry."
    if report.refused:
        text += f" {_plural(len(report.refused), 'envelope')} REFUSED: see Inbox… → Show problems."
    return one_line(text)


def delivery_line(organisation: str, state: str | None, received_at: str = "") -> str:
    """The detail pane's line for a finalized record of a joined vault ('' for none);
    ``received_at`` is the verified receipt's time as the record prints its times."""
    if state is None:
        return ""
    if state == "queued":
        what = "queued"
    elif state == "sent":
        what = "sent, awaiting receipt"
    elif received_at:
        what = f"received on {received_at} (receipt verified)"
    else:
        what = "a receipt is stored, but it does not verify with the organisation's key"
    return f"Delivery to {organisation}: {what}"


def profile_file_name(name: str) -> str:
    """The suggested profile file name: the organisation's name in plain letters."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "organisation"
    return f"{stem}.{PROFILE_SUFFIX}"


class OrganisationActions(QObject):
    """The Organisation menu and automatic sending for one unlocked vault's main window."""

    changed = Signal()  # a join, send or import finished: open dialogs read the vault again
    progress = Signal(str)  # emitted from the worker thread; shown in the status bar

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        runner: TaskRunner,
        files: FileChooser,
        menu: QMenu,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._runner = runner
        self._files = files
        self.dialog: QDialog | None = None
        self.sending = False
        self.importing = False
        self.last_result = ""
        self._again = False
        self._stopped = False
        self._states: dict[str, str] | None = None  # delivery states, read once per change
        self._busy_shown = False  # a progress line is in the status bar
        self.organisation = org.organisation_of(session)
        self.joined = None if self.organisation else org.joined_of(session)
        self.progress.connect(self._show_progress)

        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_SEND_MS)
        self.auto_timer.timeout.connect(self.send_automatically)
        self.soon_timer = QTimer(self)
        self.soon_timer.setSingleShot(True)
        self.soon_timer.setInterval(SOON_MS)
        self.soon_timer.timeout.connect(self.send_automatically)

        self.menu = menu
        if self.organisation is not None:
            self.import_action = menu.addAction("&Import now", self.import_now)
            self.inbox_action = menu.addAction("In&box…", self.inbox)
            menu.addSeparator()
            self.profile_action = menu.addAction("&Write profile file…", self.write_profile)
        else:
            self.join_action = menu.addAction("&Join an organisation…", self.join)
            menu.addSeparator()
            self.send_action = menu.addAction("&Send now", self.send_now)
            self.queue_action = menu.addAction("Delivery &queue…", self.queue)
            self._joined_changed()

    # ------------------------------------------------------------------ life cycle

    @property
    def organisation_name(self) -> str:
        if self.organisation is not None:
            return self.organisation.name
        return self.joined.profile.name if self.joined is not None else ""

    def _joined_changed(self) -> None:
        joined = self.joined is not None
        self.send_action.setEnabled(joined)
        self.queue_action.setEnabled(joined)
        tip = "" if joined else "Join an organisation first."
        self.send_action.setToolTip(tip)
        self.queue_action.setToolTip(tip)
        self._states = None
        if joined and not self._stopped and not self.auto_timer.isActive():
            self.auto_timer.start()
            self.soon_timer.start()

    def stop(self) -> None:
        """The vault locks or the window closes: no more automatic sending."""
        self._stopped = True
        self.auto_timer.stop()
        self.soon_timer.stop()

    def record_sealed(self) -> None:
        """A finalize or an addendum added a chain entry: send it shortly."""
        self._states = None
        if self.joined is not None and not self._stopped:
            self.soon_timer.start()

    def _say(self, text: str, msecs: int = SHORT_MS) -> None:
        self._busy_shown = False
        self._window.statusBar().showMessage(text, msecs)

    def _show_progress(self, text: str) -> None:
        self._say(text, 0)
        self._busy_shown = True

    def _finished(self, text: str, msecs: int = SHORT_MS) -> None:
        self.last_result = text
        self._states = None
        if text:
            self._say(text, msecs)
        elif self._busy_shown:
            self._busy_shown = False
            self._window.statusBar().clearMessage()
        self.changed.emit()

    # ---------------------------------------------------------------- navigator side

    def join(self) -> None:
        from assister_log.ui.org_join import JoinDialog

        def chosen(path: Path) -> None:
            dialog = JoinDialog(self._window, self._session, self._files, path)
            dialog.joined.connect(self._joined)
            self.dialog = dialog
            dialog.open()

        self._files.open_file(
            self._window,
            "Choose the organisation's profile file",
            f"Organisation profiles (*.{PROFILE_SUFFIX});;All files (*)",
            chosen,
        )

    def _joined(self, joined: org.Joined) -> None:
        self.joined = joined
        self._joined_changed()
        state = org.queue_state(self._session)
        self._finished(
            f"Joined {joined.profile.name} (profile fingerprint {joined.profile.fingerprint}); "
            f"{_plural(state.queued, 'sealed entry', 'sealed entries')} queued."
        )
        self.send_now()

    def send_now(self) -> None:
        self._send(manual=True)

    def send_automatically(self) -> None:
        self._send(manual=False)

    def _send(self, *, manual: bool) -> None:
        if self.joined is None or (self._stopped and not manual):
            return
        if self.sending:
            if manual:
                self._say("Already sending…")
            else:
                self._again = True
            return
        self.sending = True
        session, name, progress = self._session, self.joined.profile.name, self.progress

        def work() -> org.SendReport | None:
            if not manual and not org.due(session) and not org.queue_state(session).sent:
                return None  # nothing due and no receipt awaited: no network at all
            return org.send(
                session,
                everything=manual,
                progress=lambda done, total: progress.emit(
                    f"Sending to {name}: {done} of {total}…"
                ),
            )

        if manual:
            self._show_progress(f"Sending to {name}…")
        self._runner.run(
            work,
            lambda report: self._sent(name, report, manual),
            lambda error: self._send_failed(name, error, manual),
        )

    def _sent(self, name: str, report: org.SendReport | None, manual: bool) -> None:
        self.sending = False
        quiet = report is None or (
            not manual
            and not (report.sent or report.receipts or report.offline or report.refused)
            and not report.bad_receipts
        )
        failed = report is not None and bool(report.offline or report.refused)
        self._finished(
            "" if quiet or report is None else send_line(name, report),
            LONG_MS if failed else SHORT_MS,
        )
        self._send_again()

    def _send_failed(self, name: str, error: BaseException, manual: bool) -> None:
        self.sending = False
        if isinstance(error, KnownError):
            self._finished(send_failure_line(name, error), LONG_MS)
        elif manual:
            self._finished("", 0)
            errors.handle(self._window, error)
        else:  # a bug, but automatic sending is never modal: keep the report, say so
            crash.report_unexpected(error, where="automatic sending")
            self._finished(
                "Automatic sending failed unexpectedly; a crash report was saved.", LONG_MS
            )
        self._send_again()

    def _send_again(self) -> None:
        if self._again and not self._stopped:
            self._again = False
            self.soon_timer.start()

    def queue(self) -> None:
        from assister_log.ui.org_queue import QueueDialog

        dialog = QueueDialog(self._window, self._session, self)
        self.dialog = dialog
        dialog.open()

    def delivery_text(self, incident: Incident) -> str:
        """The detail pane's delivery line: one query per change of the queue (the states
        of every record at once), and the receipt's check for a received record."""
        if self.joined is None or not incident.is_final:
            return ""
        if self._states is None:
            self._states = org.delivery_states(self._session)
        state = self._states.get(incident.incident_id)
        received = (
            org.received(self._session, incident.incident_id) if state == "received" else None
        )
        at = times.when(received.received_at, times.zone_for(incident)) if received else ""
        return delivery_line(self.joined.profile.name, state, at)

    # ------------------------------------------------------------- organisation side

    def import_now(self) -> None:
        if self.organisation is None:
            return
        if self.importing:
            self._say("Already importing…")
            return
        self.importing = True
        session, progress = self._session, self.progress

        def work() -> org.ImportReport:
            return org.import_from_destination(
                session,
                progress=lambda done, total: progress.emit(f"Importing {done} of {total}…"),
            )

        self._show_progress("Importing from the destination…")
        self._runner.run(work, self._imported, self._import_failed)

    def _imported(self, report: org.ImportReport) -> None:
        self.importing = False
        self._finished(import_line(report), LONG_MS if report.refused else SHORT_MS)

    def _import_failed(self, error: BaseException) -> None:
        self.importing = False
        if isinstance(error, org.Unreachable):
            self._finished(
                one_line(f"The destination is not reachable: {error.message} Try again later."),
                LONG_MS,
            )
        elif isinstance(error, KnownError):
            self._finished(one_line(f"Import failed: {error.message}"), LONG_MS)
        else:
            self._finished("", 0)
            errors.handle(self._window, error)

    def inbox(self) -> None:
        from assister_log.ui.org_inbox import InboxDialog

        dialog = InboxDialog(self._window, self._session, self._files, self._runner, self)
        dialog.exported.connect(lambda path: self._say(f"PDF saved: {Path(path).name}"))
        self.dialog = dialog
        dialog.open()

    def write_profile(self) -> None:
        organisation = self.organisation
        if organisation is None:
            return
        session = self._session

        def chosen(path: Path) -> None:
            try:
                data = org.profile_bytes(session)
                org.write_file(path, data, "the organisation profile")
            except OSError as error:
                errors.show_known(self._window, from_os_error(error, "the organisation profile"))
                return
            except KnownError as error:
                errors.show_known(self._window, error)
                return
            fingerprint = org.profile_of(session, organisation).fingerprint
            self._say(f"Profile saved: {path.name}")
            message(
                self._window,
                "Profile saved",
                f"The profile to hand out is {path}.\n\nIts fingerprint is {fingerprint}: "
                "tell navigators this by phone or on paper, so they can check the profile "
                "they join with is yours.",
                icon=QMessageBox.Icon.Information,
            )

        self._files.save_file(
            self._window,
            "Save the organisation profile",
            profile_file_name(organisation.name),
            f"Organisation profiles (*.{PROFILE_SUFFIX})",
            PROFILE_SUFFIX,
            chosen,
        )
