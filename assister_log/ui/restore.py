"""Restore a backup file: into the vault folder on a new computer (first run), in place of a
damaged vault (which is kept aside, never deleted), or into a new folder (Vault tools).
The backup is verified as it is restored (``services.session.restore``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.ui.common import add_row, line_edit, named, secret_field, wrapped
from assister_log.ui.files import FileChooser
from assister_log.ui.tasks import TaskRunner


class RestoreDialog(QDialog):
    """``target`` fixed: restore there (``replace_damaged`` moves a damaged vault aside
    first). ``target`` None: the user picks a parent folder and names a new one."""

    restored = Signal(object, int, object)  # target folder, records, damaged vault kept at
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        files: FileChooser,
        runner: TaskRunner,
        *,
        target: Path | None = None,
        replace_damaged: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Restore from a backup")
        named(self, "Restore from a backup")
        self.setMinimumWidth(560)
        self._files = files
        self._runner = runner
        self._target = target
        self._replace = replace_damaged
        self._backup: Path | None = None
        self._parent_folder: Path | None = None
        layout = QVBoxLayout(self)
        if replace_damaged:
            intro = (
                "The damaged vault is kept: it is renamed aside (…damaged-<date>) and the "
                "backup is restored in its place, then checked."
            )
        elif target is not None:
            intro = "The backup is restored into the vault folder below, then checked."
        else:
            intro = (
                "The backup is restored into a new folder and checked; your open vault is "
                "not changed."
            )
        layout.addWidget(wrapped(intro))
        form = QFormLayout()
        self.backup = QLineEdit()
        self.backup.setReadOnly(True)
        choose_backup = QPushButton("Choose…")
        named(choose_backup, "Choose the backup file")
        choose_backup.clicked.connect(self._choose_backup)
        row = QHBoxLayout()
        row.addWidget(self.backup, 1)
        row.addWidget(choose_backup)
        add_row(form, "&Backup file:", self.backup, field=row)
        self.folder = QLineEdit(str(target) if target else "")
        self.folder.setReadOnly(True)
        self.name = line_edit("New folder name")
        self.name.setText(f"Assister Log restored {date.today().isoformat()}")
        if target is None:
            choose_folder = QPushButton("Choose…")
            named(choose_folder, "Choose where to put the restored vault")
            choose_folder.clicked.connect(self._choose_folder)
            row2 = QHBoxLayout()
            row2.addWidget(self.folder, 1)
            row2.addWidget(choose_folder)
            add_row(form, "In the &folder:", self.folder, field=row2)
            add_row(form, "New folder &name:", self.name)
        else:
            add_row(form, "Vault folder:", self.folder)
        self.secret = secret_field("Passphrase or recovery key of the backup")
        add_row(form, "&Passphrase or recovery key:", self.secret)
        self.secret.setAccessibleName("Passphrase or recovery key of the backup")
        layout.addLayout(form)
        self.status = wrapped()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            named(button, button.text())
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.secret.textChanged.connect(self._update)
        self.name.textChanged.connect(self._update)
        self._update()

    def _choose_backup(self) -> None:
        self._files.open_file(
            self,
            "Choose a backup file",
            "Assister Log backups (*.albackup);;All files (*)",
            self.set_backup,
        )

    def set_backup(self, path: Path) -> None:
        self._backup = path
        self.backup.setText(str(path))
        self._update()

    def _choose_folder(self) -> None:
        self._files.folder(self, "Where to put the restored vault", self.set_parent_folder)

    def set_parent_folder(self, path: Path) -> None:
        self._parent_folder = path
        self.folder.setText(str(path))
        self._update()

    def destination(self) -> Path | None:
        if self._target is not None:
            return self._target
        name = self.name.text().strip()
        if self._parent_folder is None or not name or "/" in name or "\\" in name:
            return None
        return self._parent_folder / name

    def _update(self) -> None:
        self.ok.setEnabled(
            self._backup is not None and self.destination() is not None and bool(self.secret.text())
        )

    def start(self) -> None:
        target = self.destination()
        if not self.ok.isEnabled() or target is None or self._backup is None:
            return
        backup, secret, replace_damaged = self._backup, self.secret.text(), self._replace

        def work() -> tuple[int, Path | None]:
            if replace_damaged:
                from assister_log.services.ui_support import restore_replacing

                return restore_replacing(backup, target, secret)
            from assister_log.services.session import restore

            return restore(backup, target, secret), None

        self.status.setText("Restoring and checking the backup…")
        self.setEnabled(False)

        def done(result: tuple[int, Path | None]) -> None:
            self.setEnabled(True)
            self.secret.clear()
            records, aside = result
            self.restored.emit(target, records, aside)
            self.accept()

        def failed(error: BaseException) -> None:
            self.setEnabled(True)
            self.status.setText("")
            self.failed.emit(error)

        self._runner.run(work, done, failed)
