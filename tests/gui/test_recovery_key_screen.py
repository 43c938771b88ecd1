"""The recovery-key screen's buttons, pressed for real: Print… shows Qt's print dialog without
blocking (it once raised TypeError: PySide6 has no QPrintDialog.open() without arguments)
and prints the key when accepted; Save as PDF… writes an owner-only PDF holding the key.
The first-run wizard and Vault tools' new recovery key both use these helpers."""

from __future__ import annotations

from pathlib import Path

import pypdf

from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.gui.test_export import accept_file_dialog

from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.files import FileChooser
from assister_log.ui.recovery_view import RecoveryKeyView

KEY = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"


def pdf_text(path: Path) -> str:
    """The PDF's text without any white space: the key may wrap at a dash on the page, and
    pypdf separates words with tabs and sometimes splits a word."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return "".join(text.split())


def showing_print_dialogs() -> list[QPrintDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintDialog) and w.isVisible()
    ]


def press_print(view: RecoveryKeyView) -> QPrintDialog:
    """Press Print…; the print dialog is open (not blocking) and is returned."""
    assert showing_print_dialogs() == []
    view.print_button.click()  # a TypeError in the slot fails the test (pytest-qt)
    dialogs = showing_print_dialogs()
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.accessibleName() == "Print the recovery key"
    assert dialog.isModal() and dialog.parent() is view
    return dialog


def print_to_pdf(qtbot, view: RecoveryKeyView, out: Path) -> str:
    """Press Print…, print to the PDF ``out`` (the one printer offscreen), return its text."""
    dialog = press_print(view)
    filename = dialog.findChild(QLineEdit, "filename")  # Qt's "Print to File" name field
    assert isinstance(filename, QLineEdit)
    filename.setText(str(out))
    dialog.accept()
    assert view.status.text() == "Sent to the printer."
    qtbot.waitUntil(lambda: showing_print_dialogs() == [])
    return pdf_text(out)


def save_as_pdf(view: RecoveryKeyView, files: FileChooser, folder: Path) -> Path:
    """Press Save as PDF…, choose ``folder`` in the file dialog; the path written."""
    view.pdf_button.click()
    name = files.dialog.selectedFiles()[0].rsplit("/", 1)[-1]
    assert name == "assister-log-recovery-key.pdf"
    accept_file_dialog(files, folder, name)
    path = folder / name
    assert path.is_file() and path.stat().st_mode & 0o077 == 0
    assert view.status.text().startswith(f"Saved to {path}.")
    return path


def make_view(qapp) -> RecoveryKeyView:
    view = RecoveryKeyView(SecretClipboard(), FileChooser())
    view.set_key(KEY)
    view.show()
    return view


def test_print_accepted_prints_the_key(qtbot, qapp, tmp_path: Path) -> None:
    view = make_view(qapp)
    qtbot.addWidget(view)
    text = print_to_pdf(qtbot, view, tmp_path / "printed.pdf")
    assert KEY in text and "AssisterLogrecoverykey" in text


def test_print_cancelled_prints_nothing(qtbot, qapp, tmp_path: Path) -> None:
    view = make_view(qapp)
    qtbot.addWidget(view)
    dialog = press_print(view)
    filename = dialog.findChild(QLineEdit, "filename")
    assert isinstance(filename, QLineEdit)
    filename.setText(str(tmp_path / "printed.pdf"))
    dialog.reject()
    qtbot.waitUntil(lambda: showing_print_dialogs() == [])
    assert view.status.text() == ""
    assert not (tmp_path / "printed.pdf").exists()
    # Pressed again, it opens again (the first dialog is gone, not stuck).
    press_print(view).reject()


def test_save_as_pdf_holds_the_key(qtbot, qapp, tmp_path: Path) -> None:
    files = FileChooser(str(tmp_path))
    view = RecoveryKeyView(SecretClipboard(), files)
    qtbot.addWidget(view)
    view.set_key(KEY)
    path = save_as_pdf(view, files, tmp_path)
    assert KEY in pdf_text(path)


def test_save_as_pdf_cancelled_writes_nothing(qtbot, qapp, tmp_path: Path) -> None:
    files = FileChooser(str(tmp_path))
    view = RecoveryKeyView(SecretClipboard(), files)
    qtbot.addWidget(view)
    view.set_key(KEY)
    view.pdf_button.click()
    assert files.dialog is not None
    files.dialog.reject()
    assert files.dialog is None
    assert list(tmp_path.iterdir()) == [] and view.status.text() == ""
