"""Vault tools: verified backup (and the status bar), restore into a new folder, check,
passphrase change and new recovery key (both after confirming the current secret),
auto-lock, retention with typed confirmation, profile and contacts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from PySide6.QtWidgets import QApplication, QScrollArea

from assister_log.clock import now
from assister_log.services.session import Session
from tests.conftest import PASSPHRASE
from tests.gui.conftest import load_example, settle, type_text, unnamed_controls
from tests.gui.test_export import accept_file_dialog, settings_text
from tests.gui.test_recovery_key_screen import pdf_text, print_to_pdf, save_as_pdf

from assister_log.ui.main_window import MainWindow
from assister_log.ui.vault_tools import PURGE_WORD, VaultToolsDialog


def open_tools(main_window: MainWindow) -> VaultToolsDialog:
    main_window.tools_action.trigger()
    dialog = main_window.dialog
    assert isinstance(dialog, VaultToolsDialog)
    return dialog


def test_backup_verify_and_restore(qtbot, session: Session, main_window, tmp_path: Path) -> None:
    load_example(session, "staff-call")
    dialog = open_tools(main_window)
    assert unnamed_controls(dialog) == []
    tabs = dialog.tabs
    assert tabs.count() == 4  # each tab's scroll area is named after its tab (issue 12)
    for index in range(tabs.count()):
        page = tabs.widget(index)
        assert isinstance(page, QScrollArea)
        assert page.accessibleName() == tabs.tabText(index).replace("&", "")
    usb = tmp_path / "USB stick"
    usb.mkdir()
    dialog.backup_button.click()
    name = main_window.tools.files.dialog.selectedFiles()[0].rsplit("/", 1)[-1]
    assert name.startswith("assister-log-backup-") and name.endswith(".albackup")
    accept_file_dialog(main_window.tools.files, usb, name)
    settle(qtbot, main_window.tools.runner)
    assert "✓ Backup written and verified: 1 records" in dialog.backup_status.text()
    assert (usb / name).is_file()
    assert "never" not in main_window.backup_label.text()
    assert "USB stick" not in settings_text()

    dialog.verify_button.click()
    settle(qtbot, main_window.tools.runner)
    assert dialog.verify_status.text() == "✓ The vault is intact."

    dialog.restore_button.click()
    restore = dialog.restore_dialog
    assert unnamed_controls(restore) == []
    restore.set_backup(usb / name)
    restore.set_parent_folder(tmp_path)
    type_text(restore.secret, PASSPHRASE)
    assert restore.ok.isEnabled()
    opened: list[Path] = []
    dialog.open_vault.connect(opened.append)
    restore.ok.click()
    settle(qtbot, main_window.tools.runner)
    box = QApplication.activeModalWidget()
    assert "1 records" in box.text()
    next(b for b in box.buttons() if b.text() == "Open it now").click()
    assert opened and (opened[0] / "vault.key").is_file()


def test_change_passphrase_and_recovery_key(
    qtbot, session: Session, main_window, vault_dir, tmp_path: Path
) -> None:
    dialog = open_tools(main_window)
    new = "a completely different phrase"
    type_text(dialog.new_passphrase.first, new)
    type_text(dialog.new_passphrase.second, new)
    assert not dialog.change_button.isEnabled()  # the current secret first
    type_text(dialog.current_secret, "wrong wrong wrong wrong")
    dialog.change_button.click()
    settle(qtbot, main_window.tools.runner)
    box = QApplication.activeModalWidget()
    assert box.windowTitle() == "Could not unlock"
    box.close()
    dialog.current_secret.clear()
    type_text(dialog.current_secret, PASSPHRASE)
    dialog.change_button.click()
    settle(qtbot, main_window.tools.runner)
    assert dialog.change_status.text().startswith("✓ The passphrase was changed")
    assert dialog.current_secret.text() == "" and dialog.new_passphrase.passphrase == ""

    type_text(dialog.current_secret, new)
    dialog.recovery_button.click()
    settle(qtbot, main_window.tools.runner)
    key = dialog.recovery_view.key_label.text()
    assert len(key) == 39 and not dialog.recovery_view.isHidden()
    assert not dialog.recovery_done.isEnabled()
    view = dialog.recovery_view
    assert key in print_to_pdf(qtbot, view, tmp_path / "printed.pdf")
    assert key in pdf_text(save_as_pdf(view, main_window.tools.files, tmp_path))
    assert not dialog.recovery_done.isEnabled()  # printing is not confirming
    dialog.recovery_view.written.setChecked(True)
    dialog.recovery_done.click()
    assert dialog.recovery_view.key_label.text() == ""
    session.close()
    Session.unlock(vault_dir, new).close()
    Session.unlock(vault_dir, key).close()


def test_autolock_retention_and_profile(
    qtbot, session: Session, main_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assister_log import clock

    old = load_example(session, "inappropriate-interaction")
    session.save_draft(replace(old, occurred_at=now() - timedelta(days=365 * 7), ended_at=None))
    real_now = clock.now
    # Retention counts from the seal too: this record was sealed seven years ago.
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(days=365 * 7 - 1))
    session.finalize(old.incident_id)
    monkeypatch.setattr(clock, "now", real_now)
    load_example(session, "staff-call")
    changed: list[bool] = []
    main_window.autolock_changed.connect(lambda: changed.append(True))
    dialog = open_tools(main_window)
    assert dialog.autolock.value() == 5
    dialog.autolock.setValue(12)
    dialog.autolock_button.click()
    assert session.autolock_minutes() == 12 and changed
    QApplication.activeModalWidget().close()

    assert dialog.due.rowCount() == 1
    assert dialog.due.item(0, 0).text() == old.incident_id
    assert not dialog.purge_button.isEnabled()
    type_text(dialog.purge_word, "purge")
    assert not dialog.purge_button.isEnabled()
    dialog.purge_word.clear()
    type_text(dialog.purge_word, PURGE_WORD)
    dialog.purge_button.click()
    assert session.count() == 1 and dialog.due.rowCount() == 0
    QApplication.activeModalWidget().close()

    dialog.retention.setValue(10)
    dialog.retention_button.click()
    assert session.retention_years() == 10

    dialog.profile_form.site.setText("Rondo Library")
    dialog.contacts_form.fields["compliance_email"].setText("compliance@example.org")
    dialog.tabs.setCurrentIndex(3)
    dialog.save_profile()
    assert session.profile().site == "Rondo Library"
    assert session.contacts()["compliance_email"] == "compliance@example.org"
