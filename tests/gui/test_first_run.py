"""First run: passphrase with live feedback and confirmation, profile, contacts, then the
vault is created and the recovery key shown once (print/save as PDF, copy with a clipboard
that clears itself, and a check that it was written down)."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtGui import QGuiApplication

from assister_log.domain.model import Role
from assister_log.services.settings import DEFAULT_CONTACTS
from tests.conftest import PASSPHRASE
from tests.gui.conftest import (
    clipped_labels,
    settle,
    started_app,
    type_text,
    unnamed_controls,
)
from tests.gui.test_recovery_key_screen import pdf_text, print_to_pdf, save_as_pdf

from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.controller import AppController
from assister_log.ui.first_run import FirstRunWizard


@pytest.fixture
def controller(qapp, vault_dir: Path):
    with started_app(qapp, vault_dir) as c:
        yield c


def test_the_whole_wizard(qtbot, controller: AppController, vault_dir: Path, tmp_path) -> None:
    wizard = controller.wizard
    assert isinstance(wizard, FirstRunWizard)
    assert wizard.step == 0 and not wizard.next_button.isEnabled()
    assert unnamed_controls(wizard) == []

    fields = wizard.passphrase
    type_text(fields.first, "password")
    assert "at least 15" in fields.feedback.text()
    fields.first.clear()
    type_text(fields.first, "passwordpassword")  # long enough, but a pattern / common
    assert "✗" in fields.feedback.text()
    assert "16 characters" in fields.feedback.text()
    fields.first.clear()
    type_text(fields.first, PASSPHRASE)
    assert "✓ Not a common password" in fields.feedback.text()
    type_text(fields.second, PASSPHRASE[:-1])
    assert "differ" in fields.match.text()
    assert not wizard.next_button.isEnabled()
    type_text(fields.second, PASSPHRASE[-1])
    assert "match" in fields.match.text()
    wizard.next_button.click()

    assert wizard.step == 1 and not wizard.next_button.isEnabled()
    profile = wizard.profile
    type_text(profile.name, "Nguyễn Thị Ánh")
    profile.role.set_value(Role.MNSURE_STAFF)
    assert profile.credential.accessibleName() == "Staff ID"
    type_text(profile.credential, "STF-1")
    type_text(profile.organisation, "MNsure")
    wizard.next_button.click()

    assert wizard.step == 2
    contacts = wizard.contacts
    wizard.resize(720, 620)  # the size it opens at on a 1366×768 laptop
    wizard.grab()  # lays the page out
    assert clipped_labels(wizard) == []
    assert contacts.fields["broker_service_line"].text() == DEFAULT_CONTACTS["broker_service_line"]
    contacts.fields["broker_relations_director"].setText("Pat Doe, 651-555-0100")
    wizard.next_button.click()
    settle(qtbot, controller.runner)
    assert wizard.step == 3
    assert fields.first.text() == ""  # the passphrase does not linger in the widget
    key = wizard.recovery.key_label.text()
    assert len(key) == 39 and key.count("-") == 7
    assert not wizard.next_button.isEnabled()
    assert unnamed_controls(wizard) == []

    assert key in print_to_pdf(qtbot, wizard.recovery, tmp_path / "printed.pdf")
    assert key in pdf_text(save_as_pdf(wizard.recovery, controller.files, tmp_path))

    wizard.recovery.written.setChecked(True)
    assert wizard.next_button.isEnabled()
    wizard.next_button.click()
    assert controller.main is not None
    session = controller.session
    assert session.profile().name == "Nguyễn Thị Ánh"
    assert session.profile().role is Role.MNSURE_STAFF
    assert session.contacts()["broker_relations_director"] == "Pat Doe, 651-555-0100"
    assert wizard.recovery.key_label.text() == ""


def test_recovery_key_clipboard_is_cleared(qtbot, qapp) -> None:
    clipboard = SecretClipboard(clear_after_ms=50)
    clipboard.copy("AAAA-BBBB")
    assert QGuiApplication.clipboard().text() == "AAAA-BBBB"
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=2_000)
    # Something else copied since: left alone.
    clipboard.copy("CCCC-DDDD")
    QGuiApplication.clipboard().setText("a note the user copied")
    clipboard.clear()
    assert QGuiApplication.clipboard().text() == "a note the user copied"


def test_clipboard_cleared_on_lock(qtbot, controller: AppController) -> None:
    controller.clipboard.copy("KEY1-KEY2")
    controller.session = object.__new__(type("S", (), {"close": lambda self: None}))
    controller.lock("test")
    assert QGuiApplication.clipboard().text() == ""
    controller.unlock_window.allow_close()


def test_restore_instead(qtbot, controller: AppController, tmp_path) -> None:
    from assister_log.services.session import Session
    from tests.conftest import PROFILE

    source, _ = Session.create(tmp_path / "old", PASSPHRASE, PROFILE)
    backup = tmp_path / "old.albackup"
    source.backup(backup)
    source.close()
    controller.wizard.restore_button.click()
    dialog = controller.dialog
    assert unnamed_controls(dialog) == []
    dialog.set_backup(backup)
    type_text(dialog.secret, PASSPHRASE)
    dialog.ok.click()
    qtbot.waitUntil(lambda: controller.unlock_window is not None, timeout=15_000)
    assert "Restored 0 records" in controller.unlock_window.status.text()
