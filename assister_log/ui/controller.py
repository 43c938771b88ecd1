"""The application controller: which screen shows (first run, unlock, main window), the one
open Session, and the life cycle around it. Locking saves the draft, clears every widget,
closes the Session (database closed, key dropped), shows the unlock screen and then
overwrites the freed memory that held keys and record text (``crash.scrub_freed_memory``);
the draft that was open is reopened after the next unlock (its id is kept, nothing else)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assister_log.ui.unlock import UnlockWindow

if TYPE_CHECKING:  # each import statement costs the unlock window (PySide's import hook)
    from PySide6.QtWidgets import QApplication, QWidget

    from assister_log.errors import KnownError
    from assister_log.services.session import Session

    from assister_log.ui.theme import Theme

# storage.vault.KEY_FILE / DB_FILE; not imported so the unlock screen starts fast (a test
# checks they agree).
VAULT_FILES = ("vault.key", "vault.db")


def looks_like_vault(folder: Path) -> bool:
    return any((folder / name).is_file() for name in VAULT_FILES)


def _scrub_freed_memory() -> None:
    from assister_log import crash

    crash.scrub_freed_memory()


def _scrub_on_next_turn(*_destroyed: object) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, _scrub_freed_memory)


def _prefetch() -> None:
    """Import the vault code while the user types the passphrase."""
    import assister_log.services.session

    import assister_log.ui.main_window  # noqa: F401


class AppController:
    """Plain Python on purpose: nothing here needs Qt's meta-object system, and the unlock
    window should not wait for a QObject subclass to be built."""

    def __init__(self, app: QApplication, vault_dir: Path, theme: Theme) -> None:
        self.app = app
        self.vault_dir = vault_dir
        self.theme = theme
        self._runner: Any = None
        self._clipboard: Any = None
        self._files: Any = None
        self.session: Any = None
        self.window: QWidget | None = None
        self.main: Any = None
        self.unlock_window: UnlockWindow | None = None
        self.wizard: Any = None
        self.idle: Any = None
        self.lock_watcher: Any = None
        self.reopen: str | None = None
        self.view_state: dict[str, str] | None = None  # the main window's, across a lock
        self.dialog: QWidget | None = None
        app.aboutToQuit.connect(self._about_to_quit)

    # The clipboard guard and the file chooser load on first use (not needed to unlock).

    @property
    def runner(self) -> Any:
        if self._runner is None:
            from assister_log.ui.tasks import TaskRunner

            self._runner = TaskRunner()
        return self._runner

    @property
    def clipboard(self) -> Any:
        if self._clipboard is None:
            from assister_log.ui.clipboard import SecretClipboard

            self._clipboard = SecretClipboard()
        return self._clipboard

    @property
    def files(self) -> Any:
        if self._files is None:
            from assister_log.ui.files import FileChooser

            self._files = FileChooser()
        return self._files

    def show_error(self, parent: QWidget | None, error: BaseException) -> None:
        from assister_log.ui import errors

        errors.handle(parent, error, save_drafts=self.save_drafts)

    # ------------------------------------------------------------------ screens

    def start(self) -> None:
        if looks_like_vault(self.vault_dir):
            self.show_unlock()
        else:
            self.show_first_run()

    def _set_window(self, window: QWidget) -> None:
        old = self.window
        self.window = window
        window.show()
        window.raise_()
        window.activateWindow()
        if old is not None and old is not window:
            allow = getattr(old, "allow_close", None)
            if allow is not None:
                allow()
            old.close()
            old.deleteLater()

    def parent_widget(self) -> QWidget | None:
        from PySide6.QtWidgets import QApplication

        return QApplication.activeModalWidget() or self.window

    def show_unlock(self, text: str = "") -> None:
        window = UnlockWindow(self.vault_dir, self.theme.high_contrast)
        window.unlock_requested.connect(self.unlock)
        window.high_contrast_toggled.connect(self.theme.set_high_contrast)
        window.quit_requested.connect(self.quit)
        self.unlock_window = window
        self.wizard = None
        window.resize(560, 400)
        self._set_window(window)
        if text:
            window.show_status(text)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(50, _prefetch)

    def show_first_run(self) -> None:
        from assister_log.ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(self.vault_dir, self.runner, self.files, self.clipboard)
        wizard.completed.connect(self.opened)
        wizard.restore_requested.connect(lambda: self.offer_restore(replace_damaged=False))
        wizard.quit_requested.connect(self.quit)
        wizard.failed.connect(lambda error: self.show_error(wizard, error))
        self.wizard = wizard
        self.unlock_window = None
        self._set_window(wizard)

    # ------------------------------------------------------------------ unlock

    def unlock(self, secret: str) -> None:
        folder = self.vault_dir

        def work() -> Session:
            from assister_log.services.session import Session

            return Session.unlock(folder, secret)

        self.runner.run(work, self.opened, self._unlock_failed)

    def _unlock_failed(self, error: BaseException) -> None:
        window = self.unlock_window
        if window is None:
            return
        from PySide6.QtWidgets import QMessageBox

        from assister_log.errors import (
            CorruptVault,
            KnownError,
            NotAVault,
            VaultLocked,
            WrongSecret,
        )

        from assister_log.ui.common import message

        if isinstance(error, WrongSecret):
            window.failed(error.message)
        elif isinstance(error, VaultLocked):
            window.idle()
            self.dialog = message(
                window,
                "The vault is open elsewhere",
                f"{error.message}\n\nClose Assister Log there (another window, or another "
                "user on this computer), then try again.",
                icon=QMessageBox.Icon.Warning,
            )
        elif isinstance(error, CorruptVault):
            window.idle()
            self.corrupt_dialog(error)
        elif isinstance(error, NotAVault):
            window.idle()
            self.no_vault_dialog(error)
        elif isinstance(error, KnownError):
            window.failed(error.message, count=False)
        else:
            window.idle()
            self.show_error(window, error)

    def corrupt_dialog(self, error: KnownError) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "The vault is damaged",
            f"{error.message}\n\nIf you have a backup file, restore it: the damaged vault is "
            "kept aside (renamed), not deleted.",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setAccessibleName("The vault is damaged")
        for button in box.buttons():
            button.setAccessibleName(button.text().replace("…", ""))

        def finished() -> None:
            if box.clickedButton() is restore:
                self.offer_restore(replace_damaged=True)

        box.finished.connect(finished)
        self.dialog = box
        box.open()

    def no_vault_dialog(self, error: KnownError) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "No vault here",
            error.message,
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        create = box.addButton("Create a new vault", QMessageBox.ButtonRole.AcceptRole)
        restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        box.setAccessibleName("No vault here")
        for button in box.buttons():
            button.setAccessibleName(button.text().replace("…", ""))

        def finished() -> None:
            if box.clickedButton() is create:
                self.show_first_run()
            elif box.clickedButton() is restore:
                self.offer_restore(replace_damaged=False)

        box.finished.connect(finished)
        self.dialog = box
        box.open()

    def offer_restore(self, *, replace_damaged: bool) -> None:
        from assister_log.ui.restore import RestoreDialog

        dialog = RestoreDialog(
            self.window,
            self.files,
            self.runner,
            target=self.vault_dir,
            replace_damaged=replace_damaged,
        )
        dialog.failed.connect(lambda error: self.show_error(dialog, error))

        def restored(target: Path, records: int, aside: Path | None) -> None:
            kept = f" The damaged vault was kept as {aside}." if aside else ""
            self.show_unlock(f"✓ Restored {records} records from the backup.{kept}")

        dialog.restored.connect(restored)
        self.dialog = dialog
        dialog.open()

    # ------------------------------------------------------------------ open

    def opened(self, session: Any) -> None:
        from assister_log.errors import KnownError
        from assister_log.services import ui_support

        from assister_log.ui.locking import IdleWatcher, SessionLockWatcher
        from assister_log.ui.main_window import MainWindow, Tools

        self.session = session
        if self.unlock_window is not None:
            self.unlock_window.succeeded()
        if ui_support.preference(session, "high_contrast", False):
            self.theme.set_high_contrast(True)
        tools = Tools(self.runner, self.files, self.clipboard, self.theme)
        main = MainWindow(session, tools)
        main.lock_requested.connect(lambda: self.lock("you locked it"))
        main.quit_requested.connect(self.quit)
        main.open_vault_requested.connect(self.switch_vault)
        main.autolock_changed.connect(self._autolock_changed)
        self.main = main
        self.unlock_window = None
        self.wizard = None
        state = self.view_state or ui_support.preference(session, "main_window")
        self.view_state = None
        if state:
            main.restore_view_state(state)
        self._set_window(main)
        if self.idle is None:
            self.idle = IdleWatcher(session.autolock_minutes())
            self.idle.idle.connect(lambda: self.lock("it was idle"))
        else:
            self.idle.set_minutes(session.autolock_minutes())
        self.idle.start()
        if self.lock_watcher is None:
            self.lock_watcher = SessionLockWatcher()
            self.lock_watcher.lock_now.connect(self.lock)
            self.lock_watcher.save_now.connect(self.save_drafts)
        if self.reopen:
            reopen, self.reopen = self.reopen, None
            with contextlib.suppress(KnownError):  # deleted meanwhile: the list shows
                main.open_editor(reopen)
        self.resume_open_dialog(session, main)
        self._tell_unclean_end(session, main)

    def _tell_unclean_end(self, session: Any, main: QWidget) -> None:
        """Once, after the unlock that found the last session's marker (killed, crashed,
        power cut): a message that does not block the window's code."""
        notice = session.unclean_end_notice(
            "to check, choose Vault tools → Backup and restore → Check now"
        )
        if notice:
            from assister_log.ui.common import message

            self.dialog = message(main, "The last session did not end cleanly", notice)

    def _autolock_changed(self) -> None:
        if self.idle is not None and self.session is not None:
            self.idle.set_minutes(self.session.autolock_minutes())

    # ------------------------------------------------------------------ lock, quit

    def save_drafts(self) -> bool:
        if self.main is None:
            return True
        try:
            return bool(self.main.save_drafts())
        except Exception:
            return False

    def _close_session(self) -> None:
        """Save, wipe the windows, close the vault (drops the key). Safe to call twice."""
        if self.idle is not None:
            self.idle.stop()
        if self._clipboard is not None:
            self._clipboard.clear()
        main, self.main = self.main, None
        if main is not None:
            self.keep_open_dialog()
            self.save_drafts_of(main)
            self.reopen = main.editor.incident_id if main.editor is not None else None
            self.keep_view_state(main)
        if self._runner is not None:
            self._runner.drain()
        if main is not None:
            main.wipe()
            main.close_for_lock()
            main.deleteLater()
            if self.window is main:
                self.window = None
        session, self.session = self.session, None
        if session is not None:
            session.close()
            del session
            # Overwrite the freed memory that held keys and record text once the window
            # is really gone: its deletion comes from the event loop (never forced here:
            # deleting early under a caller still using it would crash), then one more turn.
            if main is not None:
                main.destroyed.connect(_scrub_on_next_turn)
            else:
                _scrub_on_next_turn()

    def keep_view_state(self, main: Any) -> None:
        """The window's geometry and selection, for the next unlock (memory) and the next
        start (the vault's display preferences; no record data but an id)."""
        with contextlib.suppress(Exception):
            self.view_state = main.view_state()
            if self.session is not None:
                from assister_log.services import ui_support

                ui_support.set_preference(self.session, "main_window", self.view_state)

    def keep_open_dialog(self) -> None:
        """What is half-typed in an open dialog, into the vault (encrypted) for the next
        unlock (``ui.keep``); a lock must not fail, so a failure here keeps nothing."""
        from assister_log.services import ui_support

        from assister_log.ui import keep

        if self.session is None:
            return
        with contextlib.suppress(Exception):
            ui_support.set_preference(self.session, keep.KEY, keep.open_snapshot())

    def resume_open_dialog(self, session: Any, main: Any) -> None:
        """After unlock: the dialog that was open at the lock, with what was typed in it."""
        from assister_log.services import ui_support

        from assister_log.ui import keep

        # Unlocking must not fail over a kept dialog: at worst it is not reopened.
        with contextlib.suppress(Exception):
            kept = ui_support.preference(session, keep.KEY)
            if not kept:
                return
            ui_support.set_preference(session, keep.KEY, None)  # used once
            if isinstance(kept, dict):
                keep.resume(main, kept)

    @staticmethod
    def save_drafts_of(main: Any) -> None:
        # Locking must not fail; the autosave before it kept all but the last seconds.
        with contextlib.suppress(Exception):
            main.save_drafts()

    def lock(self, reason: str = "") -> None:
        if self.session is None:
            return
        self._close_session()
        self.show_unlock(f"Locked because {reason}." if reason else "")

    def switch_vault(self, folder: Path) -> None:
        self._close_session()
        self.reopen = None
        self.vault_dir = Path(folder)
        self.show_unlock("Type the passphrase or recovery key of the restored vault.")

    def quit(self) -> None:
        self._close_session()
        for window in (self.window, self.unlock_window, self.wizard):
            if window is not None:
                allow = getattr(window, "allow_close", None)
                if allow is not None:
                    allow()
        if self.wizard is not None and self.wizard.session is not None:
            self.wizard.session.close()
        self.app.quit()

    def _about_to_quit(self) -> None:
        self._close_session()
