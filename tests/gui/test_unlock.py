"""The unlock screen: one field, a generic message, a growing wait, friendly dialogs for a
vault open elsewhere, a damaged vault (restore from backup) and a folder without a vault."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QMessageBox

from assister_log.errors import CorruptVault, NotAVault
from assister_log.services.session import Session
from tests.conftest import PASSPHRASE, PROFILE
from tests.gui.conftest import settle, type_text, unnamed_controls

from assister_log.ui.controller import VAULT_FILES, AppController, looks_like_vault
from assister_log.ui.theme import Theme
from assister_log.ui.unlock import UnlockWindow, failure_delay


def test_delay_grows_and_is_capped() -> None:
    assert [failure_delay(n) for n in range(1, 9)] == [0, 1, 2, 4, 8, 16, 30, 30]


def test_vault_file_names_match_storage() -> None:
    from assister_log.storage.vault import DB_FILE, KEY_FILE

    assert (KEY_FILE, DB_FILE) == VAULT_FILES


def test_unlock_window_is_light() -> None:
    """The unlock screen imports no vault code (it must appear as fast as an empty window)."""
    code = (
        "import sys; from assister_log.ui import unlock, controller, app\n"
        "heavy = [m for m in ('assister_log.storage.vault', 'assister_log.services.session',"
        " 'sqlcipher3', 'cryptography', 'reportlab', 'assister_log.ui.main_window',"
        " 'assister_log.ui.common', 'assister_log.ui.errors', 'assister_log.ui.files')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_wrong_then_right(qtbot, controller: AppController) -> None:
    window = controller.unlock_window
    assert isinstance(window, UnlockWindow)
    window.delay_unit_ms = 20
    assert unnamed_controls(window) == []
    assert window.windowTitle() == "Assister Log – locked"
    type_text(window.field, "not the passphrase at all")
    window.submit()
    qtbot.waitUntil(lambda: window.failures == 1, timeout=10_000)
    assert "wrong" in window.status.text().lower()
    assert window.field.text() == ""
    assert window.field.isEnabled()  # the first failure costs no wait
    type_text(window.field, "still not the passphrase")
    window.submit()
    qtbot.waitUntil(lambda: window.failures == 2, timeout=10_000)
    assert not window.button.isEnabled()
    assert "try again in 1 second" in window.status.text()
    type_text(window.field, PASSPHRASE)  # typing ahead during the wait is kept
    window.submit()  # but not tried before the wait is over
    assert window.failures == 2 and window.field.text() == PASSPHRASE
    qtbot.waitUntil(window.button.isEnabled, timeout=5_000)
    window.button.click()  # the Unlock button, as Enter in the field above
    qtbot.waitUntil(lambda: controller.main is not None, timeout=10_000)
    assert controller.session is not None and controller.session.is_open
    settle(qtbot, controller.runner)


def test_recovery_key_and_unicode_in_the_same_field(qtbot, tmp_path: Path, qapp) -> None:
    passphrase = "Ánh sáng mùa thu ở Hà Nội"
    folder = tmp_path / "v"
    session, recovery = Session.create(folder, passphrase, PROFILE)
    session.close()
    theme = Theme(qapp)
    c = AppController(qapp, folder, theme)
    c.start()
    try:
        type_text(c.unlock_window.field, recovery.lower().replace("-", " "))
        c.unlock_window.submit()
        qtbot.waitUntil(lambda: c.session is not None, timeout=10_000)
        c.lock("test")
        type_text(c.unlock_window.field, passphrase)
        c.unlock_window.submit()
        qtbot.waitUntil(lambda: c.session is not None, timeout=10_000)
    finally:
        c._close_session()
        c.unlock_window = None
        if c.window is not None:
            c.window.close()


def test_password_field_exposes_no_text(qtbot) -> None:
    window = UnlockWindow(Path("/nonexistent"))
    qtbot.addWidget(window)
    window.show()
    type_text(window.field, "sekret passphrase words")
    iface = QAccessible.queryAccessibleInterface(window.field)
    value = iface.text(QAccessible.Text.Value)
    assert "sekret" not in value
    text_iface = iface.textInterface()
    if text_iface is not None:
        assert "sekret" not in text_iface.text(0, text_iface.characterCount())
    assert iface.text(QAccessible.Text.Name) == "Passphrase or recovery key"
    window.allow_close()


def test_vault_open_elsewhere(qtbot, controller: AppController, created) -> None:
    vault_dir, _ = created
    other = Session.unlock(vault_dir, PASSPHRASE)
    try:
        type_text(controller.unlock_window.field, PASSPHRASE)
        controller.unlock_window.submit()
        qtbot.waitUntil(lambda: isinstance(controller.dialog, QMessageBox), timeout=10_000)
        assert controller.dialog.windowTitle() == "The vault is open elsewhere"
        assert controller.unlock_window.failures == 0
        controller.dialog.close()
    finally:
        other.close()


def test_corrupt_vault_offers_restore(qtbot, controller: AppController, created, tmp_path) -> None:
    vault_dir, _ = created
    session = Session.unlock(vault_dir, PASSPHRASE)
    backup = tmp_path / "b.albackup"
    session.backup(backup)
    session.close()
    (vault_dir / "vault.db").write_bytes(b"")
    controller._unlock_failed(CorruptVault("vault.db is empty: restore the vault from a backup."))
    box = controller.dialog
    assert isinstance(box, QMessageBox) and box.windowTitle() == "The vault is damaged"
    restore_button = next(b for b in box.buttons() if b.text().startswith("Restore"))
    restore_button.click()
    dialog = controller.dialog
    assert dialog.windowTitle() == "Restore from a backup"
    assert unnamed_controls(dialog) == []
    dialog.set_backup(backup)
    type_text(dialog.secret, PASSPHRASE)
    dialog.ok.click()
    qtbot.waitUntil(lambda: "Restored" in controller.unlock_window.status.text(), timeout=15_000)
    assert looks_like_vault(vault_dir)
    kept = [p for p in vault_dir.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and (kept[0] / "vault.db").read_bytes() == b""
    type_text(controller.unlock_window.field, PASSPHRASE)
    controller.unlock_window.submit()
    qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)


def test_no_vault_offers_create(qtbot, controller: AppController) -> None:
    controller._unlock_failed(NotAVault("There is no vault in /x."))
    box = controller.dialog
    create = next(b for b in box.buttons() if b.text() == "Create a new vault")
    create.click()
    assert controller.wizard is not None
    controller.wizard.allow_close()
