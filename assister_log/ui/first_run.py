"""First run: create the vault. Four steps: passphrase (live feedback, typed twice), your
profile, the contact numbers, then the vault is created and its recovery key shown once,
with print / save as PDF and a check that it was written down. A backup can be restored
instead (a new computer)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from assister_log import APP_NAME

from assister_log.ui import accessible
from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.common import confirm, heading, named, wrapped
from assister_log.ui.files import FileChooser
from assister_log.ui.passphrase_fields import PassphraseFields
from assister_log.ui.profile_form import ContactsForm, ProfileForm
from assister_log.ui.recovery_view import RecoveryKeyView
from assister_log.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from assister_log.services.session import Session

STEPS = ("Choose a passphrase", "About you", "Contacts", "Your recovery key")


def _scrolled(widget: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    named(area, name)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class FirstRunWizard(QWidget):
    completed = Signal(object)  # the open Session
    restore_requested = Signal()
    quit_requested = Signal()
    failed = Signal(object)

    def __init__(
        self,
        vault_dir: Path,
        runner: TaskRunner,
        files: FileChooser,
        clipboard: SecretClipboard,
    ) -> None:
        super().__init__()
        accessible.install()  # a window role for this window, combo boxes named by label
        self.setWindowTitle(f"{APP_NAME} – new vault")
        named(
            self,
            f"{APP_NAME} – new vault",
            "Create your encrypted vault in four steps: passphrase, about you, contacts, "
            "recovery key",
        )
        self._vault_dir = vault_dir
        self._runner = runner
        self.session: Session | None = None
        self._done = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(heading(f"Welcome to {APP_NAME}"))
        self.step_label = QLabel()
        self.step_label.setObjectName("stepLabel")
        layout.addWidget(self.step_label)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        # 1 passphrase
        page = QWidget()
        p = QVBoxLayout(page)
        p.addWidget(
            wrapped(
                "Assister Log keeps your records in an encrypted vault on this computer. "
                "Choose a passphrase to open it: long is better than complicated. There is "
                "no way to recover records without the passphrase or the recovery key."
            )
        )
        self.passphrase = PassphraseFields("Passphrase")
        p.addWidget(self.passphrase)
        p.addWidget(wrapped(f"The vault will be in {vault_dir}", selectable=True))
        restore_row = QHBoxLayout()
        self.restore_button = QPushButton("I have a backup: &restore it instead…")
        named(self.restore_button, "Restore from a backup instead")
        restore_row.addWidget(self.restore_button)
        restore_row.addStretch(1)
        p.addLayout(restore_row)
        p.addStretch(1)
        self.pages.addWidget(page)
        # 2 profile
        self.profile = ProfileForm()
        self.pages.addWidget(_scrolled(self.profile, STEPS[1]))
        # 3 contacts
        self.contacts = ContactsForm()
        self.pages.addWidget(_scrolled(self.contacts, STEPS[2]))
        # 4 recovery key
        page = QWidget()
        p = QVBoxLayout(page)
        self.created_label = wrapped("✓ Your vault was created.")
        p.addWidget(self.created_label)
        self.recovery = RecoveryKeyView(clipboard, files)
        p.addWidget(self.recovery)
        p.addStretch(1)
        self.pages.addWidget(page)

        self.status = wrapped()
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("&Back")
        self.next_button = QPushButton("&Next")
        self.next_button.setDefault(True)
        named(self.back_button, "Back")
        named(self.next_button, "Next")
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)

        self.passphrase.changed.connect(lambda _ok: self._update())
        self.profile.name.textChanged.connect(lambda _t: self._update())
        self.recovery.confirmed.connect(lambda _ok: self._update())
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.restore_button.clicked.connect(self.restore_requested)
        self.resize(720, 620)
        self._update()
        self.passphrase.first.setFocus()

    @property
    def step(self) -> int:
        return self.pages.currentIndex()

    def _update(self) -> None:
        step = self.step
        self.step_label.setText(f"Step {step + 1} of {len(STEPS)}: {STEPS[step]}")
        self.step_label.setAccessibleName(self.step_label.text())
        self.step_label.setAccessibleName(self.step_label.text())
        self.back_button.setEnabled(0 < step < 3)
        self.back_button.setVisible(step < 3)
        if step == 0:
            self.next_button.setEnabled(self.passphrase.ok)
        elif step == 1:
            self.next_button.setEnabled(self.profile.complete)
        elif step == 2:
            self.next_button.setEnabled(not self._runner.busy)
        else:
            self.next_button.setEnabled(self.recovery.is_confirmed)
        text = {2: "&Create the vault", 3: "&Start using Assister Log"}.get(step, "&Next")
        self.next_button.setText(text)
        named(self.next_button, text)

    def back(self) -> None:
        if 0 < self.step < 3:
            self.pages.setCurrentIndex(self.step - 1)
            self.status.clear()
            self._update()

    def next(self) -> None:
        if not self.next_button.isEnabled():
            return
        step = self.step
        if step < 2:
            self.pages.setCurrentIndex(step + 1)
            self._update()
            focus = self.profile.name if step == 0 else self.contacts
            focus.setFocus()
        elif step == 2:
            self.create_vault()
        else:
            self._done = True
            self.recovery.clear()
            self.completed.emit(self.session)

    def create_vault(self) -> None:
        folder, passphrase = self._vault_dir, self.passphrase.passphrase
        profile, contacts = self.profile.profile(), self.contacts.contacts()

        def work() -> tuple[Session, str]:
            from assister_log.services.session import Session

            session, recovery = Session.create(folder, passphrase, profile)
            try:
                session.set_contacts(contacts)
            except BaseException:
                session.close()
                raise
            return session, recovery

        self.status.setText("Creating the vault… (this takes a moment)")
        accessible.announce(self.status, self.status.text())
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self._runner.run(work, self._created, self._failed)

    def _created(self, result: tuple[Session, str]) -> None:
        self.unsetCursor()
        self.session, key = result
        self.passphrase.clear()
        self.status.clear()
        self.recovery.set_key(key)
        self.pages.setCurrentIndex(3)
        self._update()
        self.recovery.print_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.unsetCursor()
        self.status.clear()
        self._update()
        self.failed.emit(error)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._done:
            event.accept()
            return
        event.ignore()
        if self.session is not None and not self.recovery.is_confirmed:
            confirm(
                self,
                "Recovery key not written down",
                "The recovery key is shown only now. Without it, a forgotten passphrase "
                "means the records are lost. Quit anyway?",
                "Quit anyway",
                self.quit_requested.emit,
            )
            return
        self.quit_requested.emit()

    def allow_close(self) -> None:
        self._done = True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter is the main action (Next, Create the vault, Start) from any field or
        checkbox; on a focused push button (Print…, Copy) it presses that button. (Not a
        QDialog, so there is no default button to do it.)"""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            focus = self.focusWidget()
            if (
                isinstance(focus, QAbstractButton)
                and not focus.isCheckable()
                and focus is not self.next_button
            ):
                focus.click()  # does nothing if it is disabled
            elif not isinstance(focus, QPlainTextEdit):
                self.next()
            event.accept()
            return
        super().keyPressEvent(event)
