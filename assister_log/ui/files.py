"""File dialogs that remember nothing.

Qt's own file dialog writes its history and last folder to ``QtProject.conf`` (plain text)
when it is destroyed, and the native dialogs keep recent-file lists of their own. A folder
name such as "Complaint against J. Smith" is record data, so: Qt's widget dialog only
(DontUseNativeDialog), always started in the same neutral folder, and before it is destroyed
its history is emptied and its folder set back to that neutral folder, so that what Qt
saves is the same every time. We never call saveState/restoreState and never use QSettings.
Dialogs are shown with ``open()`` (no nested event loop) and report through a callback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QDialog, QFileDialog, QMessageBox, QWidget

from assister_log.ui.basics import named


def neutral_folder() -> str:
    """Where every dialog starts: the Documents folder, or home."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return docs
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)


class FileChooser:
    """Opens one dialog at a time; ``dialog`` is the one showing (tests drive it)."""

    def __init__(self, start: str | None = None) -> None:
        self._start = start
        self.dialog: QFileDialog | None = None

    @property
    def start(self) -> str:
        return self._start or neutral_folder()

    def _make(self, parent: QWidget | None, title: str, name_filter: str) -> QFileDialog:
        if self.dialog is not None:
            self._forget(self.dialog)
        dialog = QFileDialog(parent, title, self.start, name_filter)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
        dialog.setSidebarUrls([QUrl.fromLocalFile(self.start)])
        dialog.setHistory([])
        named(dialog, title)
        self.dialog = dialog
        return dialog

    def _forget(self, dialog: QFileDialog) -> None:
        """Make what Qt writes on destruction say nothing about where the user went."""
        dialog.setHistory([])
        dialog.setDirectory(self.start)
        dialog.setSidebarUrls([QUrl.fromLocalFile(self.start)])
        dialog.deleteLater()
        if self.dialog is dialog:
            self.dialog = None

    def _show(self, dialog: QFileDialog, on_chosen: Callable[[Path], None]) -> QFileDialog:
        def finished(result: int) -> None:
            files = dialog.selectedFiles() if result == QDialog.DialogCode.Accepted else []
            self._forget(dialog)
            if files:
                on_chosen(Path(files[0]))

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def save_file(
        self,
        parent: QWidget | None,
        title: str,
        suggested_name: str,
        name_filter: str,
        suffix: str,
        on_chosen: Callable[[Path], None],
    ) -> QFileDialog:
        dialog = self._make(parent, title, name_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(suggested_name)
        return self._show(dialog, on_chosen)

    def open_file(
        self,
        parent: QWidget | None,
        title: str,
        name_filter: str,
        on_chosen: Callable[[Path], None],
    ) -> QFileDialog:
        dialog = self._make(parent, title, name_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        return self._show(dialog, on_chosen)

    def folder(
        self, parent: QWidget | None, title: str, on_chosen: Callable[[Path], None]
    ) -> QFileDialog:
        dialog = self._make(parent, title, "")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        return self._show(dialog, on_chosen)


def saved_box(parent: QWidget | None, path: Path) -> QMessageBox:
    """After an export: where the file went, with "Open" (the system's viewer) and "Show in
    folder" (the file manager), both through QDesktopServices; Close is the default. Shown
    without blocking."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "File saved",
        f"Saved {path.name}\nin {path.parent}",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)
    what = "PDF" if path.suffix.lower() == ".pdf" else "file"
    opened = box.addButton(f"&Open the {what}", QMessageBox.ButtonRole.ActionRole)
    folder = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(close)
    named(box, "File saved")
    for button in box.buttons():
        named(button, button.text().replace("&", ""))
    box.saved_path = path  # type: ignore[attr-defined]  # for the caller and the tests

    def clicked(button: QAbstractButton) -> None:
        if button is opened:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif button is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    box.buttonClicked.connect(clicked)
    box.open()
    return box
