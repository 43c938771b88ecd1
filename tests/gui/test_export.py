"""Export: the documents that fit the record, an explicit password-or-plaintext choice, the
PDF written through services.export, and file dialogs that leave no folder or file name in
Qt's settings (QtProject.conf) or anywhere under the settings folder."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from PySide6.QtCore import QEvent, QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from assister_log.services.session import Session
from tests.gui.conftest import QT_SETTINGS, load_example, settle, type_text, unnamed_controls

from assister_log.ui.export_dialog import ExportDialog
from assister_log.ui.files import FileChooser

RENDERERS_READY = all(
    importlib.util.find_spec(f"assister_log.reports.{name}") is not None
    for name in ("termination_record", "fraud_referral", "staff_memo")
)


def settings_text() -> str:
    """Everything Qt wrote under the (redirected) user settings folder."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return "\n".join(p.read_text(errors="replace") for p in QT_SETTINGS.rglob("*") if p.is_file())


def accept_file_dialog(chooser: FileChooser, folder: Path, name: str) -> None:
    dialog = chooser.dialog
    assert isinstance(dialog, QFileDialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert set(dialog.history()) <= {chooser.start}  # only the neutral start folder
    dialog.setDirectory(str(folder))
    dialog.selectFile(str(folder / name))
    dialog.accept()


def test_file_dialogs_remember_nothing(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "Complaint against Smith"
    folder.mkdir()
    chosen: list[Path] = []
    chooser = FileChooser()
    for _ in range(2):
        chooser.save_file(
            None, "Save", "termination-record-AL-XYZ.pdf", "PDF (*.pdf)", "pdf", chosen.append
        )
        second = chooser.dialog
        assert second.directory().absolutePath() == chooser.start  # never the last folder
        accept_file_dialog(chooser, folder, "termination-record-AL-XYZ.pdf")
    assert chosen == [folder / "termination-record-AL-XYZ.pdf"] * 2
    text = settings_text()
    assert "Complaint" not in text and "AL-XYZ" not in text
    assert str(tmp_path) not in text


def _export_dialog(main_window, incident_id: str) -> ExportDialog:
    main_window.list_page.refresh(incident_id)
    main_window.activateWindow()
    main_window.export_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, ExportDialog)
    return dialog


def test_export_choices(qtbot, session: Session, main_window) -> None:
    staff = load_example(session, "staff-call")
    dialog = _export_dialog(main_window, staff.incident_id)
    assert unnamed_controls(dialog) == []
    assert list(dialog.kind_buttons) == ["record", "staff-memo"]
    assert not dialog.save_button.isEnabled()  # protection must be chosen explicitly
    dialog.protected.setChecked(True)
    assert not dialog.password.isHidden() and dialog.password.isEnabled()
    type_text(dialog.password, "short")
    assert "at least 8" in dialog.hint.text()
    type_text(dialog.password, " but long now")
    type_text(dialog.password_again, "short but long")
    assert "differ" in dialog.hint.text() and not dialog.save_button.isEnabled()
    type_text(dialog.password_again, " now")
    assert dialog.save_button.isEnabled()
    dialog.plaintext.setChecked(True)
    assert not dialog.password.isEnabled() and dialog.save_button.isEnabled()
    dialog.reject()
    fraud = load_example(session, "suspected-fraud")
    dialog = _export_dialog(main_window, fraud.incident_id)
    assert list(dialog.kind_buttons) == ["record", "fraud-referral"]
    dialog.reject()


@pytest.mark.skipif(
    not RENDERERS_READY, reason="the PDF renderers (assister_log.reports) are not written yet"
)
def test_export_writes_an_encrypted_pdf_and_remembers_nothing(
    qtbot, session: Session, main_window, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    fraud = load_example(session, "suspected-fraud")
    folder = tmp_path / "Referral Abdirahman"
    folder.mkdir()
    dialog = _export_dialog(main_window, fraud.incident_id)
    dialog.kind_buttons["fraud-referral"].setChecked(True)
    dialog.protected.setChecked(True)
    type_text(dialog.password, "tell them by phone")
    type_text(dialog.password_again, "tell them by phone")
    dialog.save_button.click()
    name = main_window.tools.files.dialog.selectedFiles()[0].rsplit("/", 1)[-1]
    assert name.startswith(f"fraud-referral-{fraud.incident_id}-") and "Abdirahman" not in name
    accept_file_dialog(main_window.tools.files, folder, name)
    settle(qtbot, main_window.tools.runner, timeout=60_000)
    out = folder / name
    assert out.is_file() and out.stat().st_mode & 0o077 == 0
    reader = PdfReader(str(out))
    assert reader.is_encrypted
    assert reader.decrypt("tell them by phone")
    assert "PDF saved" in main_window.statusBar().currentMessage()
    text = settings_text()
    assert "Referral" not in text and fraud.incident_id not in text and name not in text


class _Opened(QObject):
    """Receives what QDesktopServices would hand to the system's viewer / file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toLocalFile())


def test_after_export_the_file_can_be_opened_or_shown_in_its_folder(
    qtbot, session: Session, main_window, tmp_path: Path
) -> None:
    record = load_example(session, "inappropriate-interaction")
    dialog = _export_dialog(main_window, record.incident_id)
    dialog.protected.setChecked(True)
    type_text(dialog.password, "tell them by phone")
    type_text(dialog.password_again, "tell them by phone")
    dialog.save_button.click()
    name = main_window.tools.files.dialog.selectedFiles()[0].rsplit("/", 1)[-1]
    accept_file_dialog(main_window.tools.files, tmp_path, name)
    settle(qtbot, main_window.tools.runner, timeout=60_000)
    box = main_window.dialog
    qtbot.waitUntil(lambda: isinstance(box, QMessageBox) and box.isVisible(), timeout=5_000)
    assert name in box.text() and str(tmp_path) in box.text()
    assert unnamed_controls(box) == []
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "handle")
    try:
        buttons = {b.text().replace("&", ""): b for b in box.buttons()}
        assert box.defaultButton() is buttons["Close"]  # Enter only closes
        buttons["Open the PDF"].click()
        assert opened.urls == [str(tmp_path / name)]
        main_window._exported(tmp_path / name)
        again = main_window.dialog
        {b.text().replace("&", ""): b for b in again.buttons()}["Show in folder"].click()
        assert opened.urls[-1] == str(tmp_path)
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_an_addendum_is_confirmed(qtbot, session: Session, main_window, announced) -> None:
    record = load_example(session, "inappropriate-interaction")
    session.finalize(record.incident_id)
    main_window.list_page.refresh(record.incident_id)
    main_window.add_addendum(record.incident_id)
    dialog = main_window.dialog
    type_text(dialog.body, "The consumer called back.")
    type_text(dialog.reason, "A later call")
    dialog.ok.click()
    assert main_window.statusBar().currentMessage() == "The addendum was added and sealed."
    assert ("The addendum was added and sealed.", False) in announced
    assert len(session.get(record.incident_id).addenda) == 1
