"""Vault tools: backup (verified after writing), restore, check the vault, passphrase and
recovery key, auto-lock, retention (purge only after typed confirmation), and the profile
and contacts. Slow work runs on the task runner; every result is said in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assister_log.policy import wording as w
from assister_log.services.session import Session
from assister_log.services.types import BackupReport

from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.common import (
    add_row,
    backup_text,
    confirm,
    heading,
    local_text,
    message,
    named,
    secret_field,
    wrapped,
)
from assister_log.ui.files import FileChooser
from assister_log.ui.passphrase_fields import PassphraseFields
from assister_log.ui.profile_form import ContactsForm, ProfileForm
from assister_log.ui.recovery_view import RecoveryKeyView
from assister_log.ui.restore import RestoreDialog
from assister_log.ui.tasks import TaskRunner

PURGE_WORD = "PURGE"


def _page(*widgets: QWidget) -> QScrollArea:
    inner = QWidget()
    layout = QVBoxLayout(inner)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(inner)
    return scroll


R = TypeVar("R")  # what a background task returns


class VaultToolsDialog(QDialog):
    backup_done = Signal()
    records_changed = Signal()
    settings_changed = Signal()
    open_vault = Signal(object)  # a restored vault's folder
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        session: Session,
        files: FileChooser,
        runner: TaskRunner,
        clipboard: SecretClipboard,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Vault tools")
        named(self, "Vault tools")
        self.resize(760, 620)
        self._session = session
        self._files = files
        self._runner = runner
        self._clipboard = clipboard
        self.restore_dialog: RestoreDialog | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        named(self.tabs, "Vault tools")
        named(self.tabs.tabBar(), "Vault tools sections")
        for page, label in (
            (self._backup_tab(), "&Backup and restore"),
            (self._security_tab(), "&Passphrase and recovery key"),
            (self._lock_tab(), "Auto-&lock and retention"),
            (self._profile_tab(), "Pro&file and contacts"),
        ):
            named(page, label)  # each page's scroll area, after its tab
            self.tabs.addTab(page, label)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in buttons.buttons():
            named(button, "Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _run(self, status: QLabel, work: Callable[[], R], done: Callable[[R], None]) -> None:
        """Run ``work`` in the background with ``status`` saying so; errors go to ``failed``."""
        self.setCursor(Qt.CursorShape.BusyCursor)

        def finished(result: R) -> None:
            self.unsetCursor()
            done(result)

        def failed(error: BaseException) -> None:
            self.unsetCursor()
            status.setText("")
            self.failed.emit(error)

        self._runner.run(work, finished, failed)

    # --------------------------------------------------------------- backup, restore

    def _backup_tab(self) -> QWidget:
        backup = QGroupBox("Backup")
        named(backup, "Backup")
        layout = QVBoxLayout(backup)
        layout.addWidget(
            wrapped(
                "A backup is one encrypted file (the same passphrase or recovery key opens "
                "it). Save it on a USB stick or another disk kept apart from this computer. "
                "Each backup is read back and checked before it is kept."
            )
        )
        self.last_backup = wrapped(backup_text(self._session))
        layout.addWidget(self.last_backup)
        self.backup_button = QPushButton("Back up &to…")
        named(self.backup_button, "Back up to a file")
        self.backup_button.clicked.connect(self.choose_backup)
        layout.addWidget(self.backup_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.backup_status = wrapped(selectable=True)
        layout.addWidget(self.backup_status)

        restore = QGroupBox("Restore")
        named(restore, "Restore")
        rlayout = QVBoxLayout(restore)
        rlayout.addWidget(
            wrapped(
                "Restore a backup into a new folder, e.g. to check it or to get back a "
                "vault as it was. Your open vault is not changed."
            )
        )
        self.restore_button = QPushButton("&Restore a backup…")
        named(self.restore_button, "Restore a backup into a new folder")
        self.restore_button.clicked.connect(self.start_restore)
        rlayout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)

        check = QGroupBox("Check the vault")
        named(check, "Check the vault")
        clayout = QVBoxLayout(check)
        clayout.addWidget(
            wrapped(
                "Checks every encrypted page, the database, the seals of finalized records "
                "and every attachment's SHA-256."
            )
        )
        self.verify_button = QPushButton("&Check now")
        named(self.verify_button, "Check the vault now")
        self.verify_button.clicked.connect(self.verify)
        clayout.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.verify_status = wrapped(selectable=True)
        clayout.addWidget(self.verify_status)
        return _page(backup, restore, check)

    def choose_backup(self) -> None:
        name = f"assister-log-backup-{date.today().isoformat()}.albackup"
        self._files.save_file(
            self,
            "Save the backup",
            name,
            "Assister Log backups (*.albackup)",
            "albackup",
            self.backup_to,
        )

    def backup_to(self, path: Path) -> None:
        self.backup_status.setText("Writing and checking the backup…")
        session = self._session

        def done(report: BackupReport) -> None:
            size = report.size / (1024 * 1024)
            self.backup_status.setText(
                f"✓ Backup written and verified: {report.records} records, {size:.1f} MB, "
                f"in {report.path}"
            )
            self.last_backup.setText(backup_text(session))
            self.backup_done.emit()

        self._run(self.backup_status, lambda: session.backup(path), done)

    def start_restore(self) -> None:
        self.restore_dialog = RestoreDialog(self, self._files, self._runner)
        self.restore_dialog.failed.connect(self.failed)

        def restored(target: Path, records: int, _aside: Path | None) -> None:
            confirm(
                self,
                "Backup restored",
                f"The backup was restored and checked: {records} records in {target}. "
                "Open that vault now? (This one locks first; start Assister Log with "
                f'--vault "{target}" to open it later.)',
                "Open it now",
                lambda: self.open_vault.emit(target),
            )

        self.restore_dialog.restored.connect(restored)
        self.restore_dialog.open()

    def verify(self) -> None:
        self.verify_status.setText("Checking…")
        session = self._session

        def done(problems: list[str]) -> None:
            if problems:
                shown = "\n".join(problems[:10])
                self.verify_status.setText(
                    f"✗ {len(problems)} problem(s) found. Restore from a backup.\n{shown}"
                )
            else:
                self.verify_status.setText("✓ The vault is intact.")

        self._run(self.verify_status, session.verify, done)

    # ---------------------------------------------------------------- security

    def _security_tab(self) -> QWidget:
        current = QGroupBox("First, confirm it is you")
        named(current, "Confirm it is you")
        form = QFormLayout(current)
        self.current_secret = secret_field("Current passphrase or recovery key")
        add_row(form, "C&urrent passphrase or recovery key:", self.current_secret)
        self.current_secret.setAccessibleName("Current passphrase or recovery key")

        change = QGroupBox("Change the passphrase")
        named(change, "Change the passphrase")
        clayout = QVBoxLayout(change)
        self.new_passphrase = PassphraseFields("New passphrase")
        clayout.addWidget(self.new_passphrase)
        self.change_button = QPushButton("C&hange the passphrase")
        named(self.change_button, "Change the passphrase")
        clayout.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.change_status = wrapped()
        clayout.addWidget(self.change_status)

        recovery = QGroupBox("New recovery key")
        named(recovery, "New recovery key")
        rlayout = QVBoxLayout(recovery)
        rlayout.addWidget(
            wrapped(
                "Make a new recovery key if the old one may be lost or seen by someone. The "
                "old key stops working at once."
            )
        )
        self.recovery_button = QPushButton("Make a &new recovery key")
        named(self.recovery_button, "Make a new recovery key")
        rlayout.addWidget(self.recovery_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.recovery_view = RecoveryKeyView(self._clipboard, self._files)
        self.recovery_view.setVisible(False)
        rlayout.addWidget(self.recovery_view)
        self.recovery_done = QPushButton("Done: hide the key")
        named(self.recovery_done, "Done: hide the recovery key")
        self.recovery_done.setVisible(False)
        self.recovery_done.setEnabled(False)
        rlayout.addWidget(self.recovery_done, 0, Qt.AlignmentFlag.AlignLeft)
        self.recovery_status = wrapped()
        rlayout.addWidget(self.recovery_status)

        self.current_secret.textChanged.connect(self._security_buttons)
        self.new_passphrase.changed.connect(self._security_buttons)
        self.change_button.clicked.connect(self.change_passphrase)
        self.recovery_button.clicked.connect(self.make_recovery_key)
        self.recovery_view.confirmed.connect(self.recovery_done.setEnabled)
        self.recovery_done.clicked.connect(self._hide_recovery)
        self._security_buttons()
        return _page(current, change, recovery)

    def _security_buttons(self) -> None:
        has_current = bool(self.current_secret.text())
        self.change_button.setEnabled(has_current and self.new_passphrase.ok)
        self.recovery_button.setEnabled(has_current and self.recovery_view.isHidden())

    def change_passphrase(self) -> None:
        session, current = self._session, self.current_secret.text()
        new = self.new_passphrase.passphrase
        self.change_status.setText("Changing the passphrase…")

        def work() -> None:
            session.verify_secret(current)
            session.change_passphrase(new)

        def done(_result: None) -> None:
            self.current_secret.clear()
            self.new_passphrase.clear()
            self.change_status.setText(
                "✓ The passphrase was changed. Use the new one from now on; the recovery key "
                "still works."
            )

        self._run(self.change_status, work, done)

    def make_recovery_key(self) -> None:
        session, current = self._session, self.current_secret.text()
        self.recovery_status.setText("Making a new recovery key…")

        def work() -> str:
            session.verify_secret(current)
            return session.new_recovery_key()

        def done(key: str) -> None:
            self.current_secret.clear()
            self.recovery_status.setText("The old recovery key no longer works.")
            self.recovery_view.set_key(key)
            self.recovery_view.setVisible(True)
            self.recovery_done.setVisible(True)
            self._security_buttons()

        self._run(self.recovery_status, work, done)

    def _hide_recovery(self) -> None:
        self.recovery_view.clear()
        self.recovery_view.setVisible(False)
        self.recovery_done.setVisible(False)
        self.recovery_status.setText("✓ New recovery key made and written down.")
        self._security_buttons()

    # -------------------------------------------------------- auto-lock, retention

    def _lock_tab(self) -> QWidget:
        lock = QGroupBox("Auto-lock")
        named(lock, "Auto-lock")
        form = QFormLayout(lock)
        self.autolock = QSpinBox()
        self.autolock.setRange(1, 240)
        self.autolock.setSuffix(" minutes")
        self.autolock.setValue(self._session.autolock_minutes())
        add_row(form, "Lock after &idle for:", self.autolock)
        self.autolock_button = QPushButton("Apply")
        named(self.autolock_button, "Apply the auto-lock time")
        form.addRow(self.autolock_button)
        self.autolock_button.clicked.connect(self.apply_autolock)

        retention = QGroupBox("Retention")
        named(retention, "Retention")
        rlayout = QVBoxLayout(retention)
        rlayout.addWidget(
            wrapped(
                "Finalized records are kept for the retention period (six years by default, "
                "as CMS and Minnesota contract audits expect). Records past it can be purged; "
                "each purge is sealed in the vault's chain."
            )
        )
        rform = QFormLayout()
        self.retention = QSpinBox()
        self.retention.setRange(1, 50)
        self.retention.setSuffix(" years")
        self.retention.setValue(self._session.retention_years())
        add_row(rform, "Keep finalized records f&or:", self.retention)
        self.retention_button = QPushButton("Apply")
        named(self.retention_button, "Apply the retention period")
        rform.addRow(self.retention_button)
        rlayout.addLayout(rform)
        self.due = QTableWidget(0, 3)
        self.due.setHorizontalHeaderLabels(["Record", "Occurred", "Procedure"])
        self.due.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.due.verticalHeader().setVisible(False)
        self.due.horizontalHeader().setStretchLastSection(True)
        named(self.due, "Records past the retention period")
        rlayout.addWidget(self.due)
        self.due_label = wrapped()
        rlayout.addWidget(self.due_label)
        purge_row = QHBoxLayout()
        self.purge_word = QLineEdit()
        self.purge_word.setPlaceholderText(f"Type {PURGE_WORD} to confirm")
        named(self.purge_word, f"Type {PURGE_WORD} to confirm the purge")
        self.purge_button = QPushButton("Purge these records")
        named(self.purge_button, "Purge the records past retention")
        purge_row.addWidget(self.purge_word)
        purge_row.addWidget(self.purge_button)
        rlayout.addLayout(purge_row)
        self.retention_button.clicked.connect(self.apply_retention)
        self.purge_word.textChanged.connect(self._purge_enabled)
        self.purge_button.clicked.connect(self.purge)
        self.load_due()
        return _page(lock, retention)

    def apply_autolock(self) -> None:
        try:
            self._session.set_autolock_minutes(self.autolock.value())
        except Exception as error:
            self.failed.emit(error)
            return
        self.settings_changed.emit()
        message(
            self, "Auto-lock", f"The vault now locks after {self.autolock.value()} idle minutes."
        )

    def apply_retention(self) -> None:
        try:
            self._session.set_retention_years(self.retention.value())
        except Exception as error:
            self.failed.emit(error)
            return
        self.load_due()

    def load_due(self) -> None:
        self._due = self._session.retention_due()
        self.due.setRowCount(len(self._due))
        for row, s in enumerate(self._due):
            when = local_text(datetime.fromisoformat(s.occurred_utc))
            for column, text in enumerate((s.incident_id, when, w.PROCEDURE_LABELS[s.procedure])):
                self.due.setItem(row, column, QTableWidgetItem(text))
        count = len(self._due)
        years = self._session.retention_years()
        self.due_label.setText(
            f"{count} finalized record(s) are older than {years} years."
            if count
            else f"No finalized record is older than {years} years."
        )
        self.purge_word.clear()
        self._purge_enabled()

    def _purge_enabled(self) -> None:
        self.purge_word.setEnabled(bool(self._due))
        self.purge_button.setEnabled(
            bool(self._due) and self.purge_word.text().strip() == PURGE_WORD
        )

    def purge(self) -> None:
        if not self.purge_button.isEnabled():
            return
        ids = [s.incident_id for s in self._due]
        try:
            purged = self._session.purge(ids)
        except Exception as error:
            self.failed.emit(error)
            return
        self.load_due()
        self.records_changed.emit()
        message(self, "Purged", f"{purged} record(s) past retention were purged.")

    # -------------------------------------------------------- profile, contacts

    def _profile_tab(self) -> QWidget:
        self.profile_form = ProfileForm()
        self.profile_form.set_profile(self._session.profile())
        self.contacts_form = ContactsForm()
        self.contacts_form.set_contacts(self._session.contacts())
        save = QPushButton("Sa&ve profile and contacts")
        named(save, "Save profile and contacts")
        save.clicked.connect(self.save_profile)
        self.profile_status = wrapped()
        box = QGroupBox("Contacts")
        named(box, "Contacts")
        QVBoxLayout(box).addWidget(self.contacts_form)
        return _page(heading("Your profile", 2), self.profile_form, box, save, self.profile_status)

    def save_profile(self) -> None:
        try:
            self._session.set_profile(self.profile_form.profile())
            self._session.set_contacts(self.contacts_form.contacts())
        except Exception as error:
            self.failed.emit(error)
            return
        self.profile_status.setText("✓ Saved. New records use the new profile.")
        self.settings_changed.emit()
