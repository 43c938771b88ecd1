"""Creating and opening a vault folder: the lock, the key file, the identity check.

``create`` makes a new folder (database first, key file last: a folder without its key file
is not a vault yet). ``open_store`` takes the folder's lock, unwraps the data key, refuses a
database that is plain, empty, damaged, foreign or newer, and returns the open ``Store``.
Schema upgrades run after it, in ``migration``.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from assister_log import clock, recovery_key
from assister_log import passphrase as passphrase_policy
from assister_log.errors import CorruptVault, KnownError, NotAVault, VaultExists, from_os_error
from assister_log.paths import ensure_private_dir
from assister_log.storage import database, kdf, keyfile, schema, session_marker
from assister_log.storage.kdf import KdfParams
from assister_log.storage.store import DB_FILE, KEY_FILE, LOCK_FILE, Store, is_vault_dir


def create(
    folder: Path,
    passphrase: str,
    *,
    params: KdfParams | None = None,
    settings: dict[str, Any] | None = None,
) -> tuple[Store, str]:
    """A new vault, open, and its recovery key (shown once). ``settings`` (e.g. the author
    profile) are stored in the same transaction: a vault exists with them or not at all."""
    normalized = passphrase_policy.require_acceptable(passphrase)
    if folder.exists() and is_vault_dir(folder):
        raise VaultExists(f"A vault already exists in {folder}; open it instead.")
    try:
        ensure_private_dir(folder)
    except OSError as error:
        raise from_os_error(error, f"the vault folder {folder}") from None
    lock = database.VaultLock(folder / LOCK_FILE)
    lock.acquire()
    try:
        if is_vault_dir(folder):
            raise VaultExists(f"A vault already exists in {folder}; open it instead.")
        params = params or kdf.params_for_new_vault()
        data_key = keyfile.generate_data_key()
        vault_id = secrets.token_hex(16)
        recovery = recovery_key.generate_recovery_key()
        kf = keyfile.create(
            vault_id,
            data_key,
            passphrase_policy.to_secret_bytes(normalized),
            recovery_key.to_secret_bytes(recovery),
            params,
        )
        # Created 0600 up front: SQLite gives the WAL and SHM files the same mode.
        _touch_private(folder / DB_FILE)
        try:
            conn = database.connect(folder / DB_FILE, data_key)
        except BaseException:
            _remove_new_database(folder)
            raise
        try:
            schema.create(conn)
            with database.transaction(conn):
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(schema.SCHEMA_VERSION)),
                        ("vault_id", vault_id),
                        ("created_at", clock.now().isoformat()),
                    ],
                )
                conn.executemany(
                    "INSERT INTO settings (key, value) VALUES (?, ?)",
                    [
                        (key, json.dumps(value, ensure_ascii=False))
                        for key, value in (settings or {}).items()
                    ],
                )
            # The key file is written last: a vault without it is not a vault yet.
            keyfile.write(folder / KEY_FILE, kf, data_key)
        except BaseException:
            conn.close()
            # The key file too, if it got its name before the failure (say the folder's
            # fsync failed): there was none before (checked under the lock above), and a
            # key file without its database would look like a vault that lost its data.
            _remove_new_database(folder, key_file=True)
            raise
    except BaseException:
        lock.release()
        raise
    store = Store(folder, conn, lock, kf, data_key)
    store.begin_session()
    return store, recovery


def open_store(
    folder: Path,
    get_key: Callable[[keyfile.KeyFile], bytes],
    *,
    add_signing_key: bool,
    mark_session: bool = True,
) -> Store:
    """Lock the folder, unwrap the data key with ``get_key`` and open the database.

    ``add_signing_key``: a vault made before signing existed gets its key pair now (not for
    a backup copy being checked, which is opened as it is). ``mark_session``: write the
    session marker (``session_marker``; not for a scratch copy being checked)."""
    key_path, db_path = folder / KEY_FILE, folder / DB_FILE
    refuse_links(folder)
    if not folder.is_dir() or not is_vault_dir(folder):
        raise NotAVault(
            f"There is no vault in {folder}: create one with `assister-log init` "
            "or choose the folder that holds vault.key."
        )
    if not key_path.is_file():
        raise CorruptVault(
            f"The key file vault.key is missing from {folder}: restore the vault from a backup."
        )
    if not db_path.is_file():
        raise CorruptVault(
            f"The database vault.db is missing from {folder}: restore the vault from a backup."
        )
    lock = database.VaultLock(folder / LOCK_FILE)
    lock.acquire()
    try:
        raw = keyfile.read(key_path)
        kf = keyfile.parse(raw)
        data_key = get_key(kf)
        keyfile.verify_mac(raw, data_key)
        if database.looks_like_plaintext_sqlite(db_path):
            raise CorruptVault(
                "vault.db is a plain SQLite file, not an encrypted vault: "
                "restore the vault from a backup."
            )
        if db_path.stat().st_size == 0:
            raise CorruptVault("vault.db is empty: restore the vault from a backup.")
        damage = database.wal_damage(db_path)
        if damage:
            raise CorruptVault(
                f"The vault's write-ahead log vault.db-wal is damaged ({damage}): saved "
                "changes in it cannot be read. Nothing was changed; restore the vault "
                "from a backup."
            )
        # Look first through a read-only connection: if the database turns out damaged
        # or foreign, nothing has written to it (no recovery, no checkpoint).
        guard = database.connect(db_path, data_key, read_only=True)
        try:
            _check_identity(guard, kf)
            if schema_version(guard) > schema.SCHEMA_VERSION:
                raise KnownError(
                    f"This vault was written by a newer Assister Log (schema "
                    f"{schema_version(guard)}); install the newer version to open it."
                )
            conn = database.connect(db_path, data_key)
        except BaseException:
            guard.close()
            raise
        if add_signing_key and kf.signing is None:
            # The key file is replaced atomically; the old file opens with the old version.
            kf = keyfile.with_signing_key(kf, data_key)
            keyfile.write(key_path, kf, data_key)
    except BaseException:
        lock.release()
        raise
    store = Store(folder, conn, lock, kf, data_key, guard)
    if mark_session:
        store.begin_session()  # only now: a refused open leaves every file as it was
    return store


VAULT_NAMES = (
    KEY_FILE,
    DB_FILE,
    DB_FILE + "-wal",
    DB_FILE + "-shm",
    DB_FILE + "-journal",
    LOCK_FILE,
    session_marker.MARKER_FILE,
)


def refuse_links(folder: Path) -> None:
    """Refuse a symbolic link in place of one of the vault's own files: SQLite and the key
    file code would follow it and read or write wherever it points (issue 14). The folder
    itself may be a link; the files in it may not."""
    for name in VAULT_NAMES:
        if (folder / name).is_symlink():
            raise CorruptVault(
                f"{name} in {folder} is a symbolic link, which a vault folder never holds: "
                "replace it with the file itself, or restore the vault from a backup."
            )


def exposure_warning(folder: Path) -> str | None:
    """A one-line warning when other users may read the vault folder or its files (POSIX
    permissions), with the command that fixes it; None when private or not POSIX."""
    if os.name != "posix":
        return None
    try:
        if not folder.is_dir():
            return None
        modes = [folder.stat().st_mode]
        for name in VAULT_NAMES:
            with suppress(FileNotFoundError):
                mode = (folder / name).lstat().st_mode
                if stat.S_ISREG(mode):  # a link is refused anyway (refuse_links)
                    modes.append(mode)
        if not any(mode & 0o077 for mode in modes):
            return None
    except OSError:
        return None
    return (
        f"warning: other users of this computer may read the vault in {folder}; "
        f"make it private with: chmod 700 '{folder}' && chmod 600 '{folder}'/vault.*"
    )


def unlock_with(secret: str) -> Callable[[keyfile.KeyFile], bytes]:
    """``get_key`` for ``open_store``: the data key from the passphrase or recovery key."""
    return lambda kf: keyfile.unlock(kf, secret)[0]


def schema_version(conn: Any) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise CorruptVault(
            "vault.db has no readable schema version: it is damaged; restore it from a backup."
        ) from None


def _check_identity(conn: Any, kf: keyfile.KeyFile) -> None:
    rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if rows.get("vault_id") != kf.vault_id:
        raise CorruptVault(
            "The key file belongs to another vault than vault.db: restore from a backup."
        )


def _remove_new_database(folder: Path, *, key_file: bool = False) -> None:
    """Undo a failed creation, so the folder does not look like a vault that lost its key."""
    names = [DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal"]
    for name in [*names, KEY_FILE] if key_file else names:
        with suppress(OSError):  # the error that stopped creation is the one to show
            (folder / name).unlink(missing_ok=True)


def _touch_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise from_os_error(error, f"the vault database in {path.parent}") from None
