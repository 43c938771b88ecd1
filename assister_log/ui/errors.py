"""Two kinds of failure, two kinds of dialog: a KnownError (wrong passphrase, disk full, vault
open elsewhere, ...) gets a calm message box with its one-line text; anything else is a bug
and gets a copyable crash report that holds no record data. Drafts are saved first."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.errors import KnownError

from assister_log.ui.common import keep_until_closed, message, monospace, named, wrapped

KNOWN_TITLES = {
    "WrongSecret": "Could not unlock",
    "DiskFull": "The disk is full",
    "ReadOnlyLocation": "Cannot write there",
    "VaultLocked": "The vault is open elsewhere",
    "CorruptVault": "The vault is damaged",
    "NotAVault": "No vault here",
    "BadInput": "Please check",
    "RecordSealed": "This record is finalized",
    "NotFound": "Not found",
    "IntegrityFailure": "Verification failed",
}


def show_known(parent: QWidget | None, error: KnownError) -> QMessageBox:
    title = KNOWN_TITLES.get(type(error).__name__, "Assister Log")
    return message(parent, title, error.message, icon=QMessageBox.Icon.Warning)


class CrashDialog(QDialog):
    """An unexpected error: what happened, that the draft was kept, and a report to copy."""

    def __init__(
        self, report: str, saved_to: str | None, drafts_saved: bool, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assister Log – unexpected error")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        named(self, "Unexpected error")
        layout = QVBoxLayout(self)
        kept = (
            "Your draft was saved in the vault."
            if drafts_saved
            else "No draft was open, or it could not be saved; what was saved before is safe."
        )
        intro = wrapped(
            "Something went wrong inside Assister Log. This is a bug, not something you did. "
            f"{kept}\n\nThe report below holds no record data (no names, no quotes): copy it "
            "and send it to whoever supports Assister Log at your organisation."
        )
        layout.addWidget(intro)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setTabChangesFocus(True)
        self.report.setFont(monospace())
        self.report.setMinimumSize(560, 220)
        named(self.report, "Crash report (no record data)")
        layout.addWidget(self.report)
        if saved_to:
            where = QLabel(f"A copy was saved to {saved_to}")
            where.setWordWrap(True)
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(where)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Copy report")
        named(self.copy_button, "Copy report")
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        named(close, "Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())
        self.copy_button.setText("Copied")


def show_unexpected(
    parent: QWidget | None, error: BaseException, *, save_drafts: Callable[[], bool] | None = None
) -> CrashDialog:
    from assister_log import crash

    drafts_saved = False
    if save_drafts is not None:
        try:
            drafts_saved = save_drafts()
        except Exception:  # the original bug matters more; the report says where
            drafts_saved = False
    report, path = crash.report_unexpected(error, where="desktop app")
    dialog = CrashDialog(report, str(path) if path else None, drafts_saved, parent)
    keep_until_closed(dialog)
    dialog.open()
    return dialog


def handle(
    parent: QWidget | None,
    error: BaseException,
    *,
    save_drafts: Callable[[], bool] | None = None,
) -> QDialog:
    """The one place that decides: friendly message, or crash report."""
    if isinstance(error, KnownError):
        return show_known(parent, error)
    return show_unexpected(parent, error, save_drafts=save_drafts)


def install_excepthook(
    parent: Callable[[], QWidget | None], save_drafts: Callable[[], bool]
) -> Callable[..., None]:
    """Every exception that escapes a slot ends here (PySide hands it to sys.excepthook)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QGuiApplication.quit()
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        handle(parent(), exc, save_drafts=save_drafts)

    sys.excepthook = hook
    return hook
