"""The open state every storage module works on, and the folder's file names.

A ``Store`` is one unlocked vault folder: the read-write connection, the read-only guard
beside it, the folder's lock, the key file as last written, the data key and the sealer
(the signing key, unwrapped while the vault is open). It is the storage-internal API: the
modules beside it (opening, records, attachments, queries, verification, backup) take a
``Store``; services use the ``Vault`` facade, which owns one.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from assister_log.errors import KnownError
from assister_log.storage import database, keyfile, sealing, session_marker

KEY_FILE = "vault.key"
DB_FILE = "vault.db"
LOCK_FILE = "vault.lock"


def is_vault_dir(path: Path) -> bool:
    return (path / KEY_FILE).is_file() or (path / DB_FILE).is_file()


class Store:
    """An open, unlocked vault folder (storage-internal; see ``Vault``)."""

    def __init__(
        self,
        folder: Path,
        conn: Any,
        lock: database.VaultLock,
        key_file: keyfile.KeyFile,
        data_key: bytes,
        guard: Any = None,
    ) -> None:
        self.folder = folder
        self._conn = conn
        # A read-only connection held open beside ``conn``: closing the vault closes it last
        # when damage was found, so SQLite's checkpoint-on-close never writes into damaged
        # files (a read-only connection cannot checkpoint).
        self._guard = guard
        self._damage_found = False
        self._lock = lock
        self.key_file = key_file
        self._data_key: bytearray | None = bytearray(data_key)
        # Serializes every use of the one connection (the GUI's worker threads share it).
        self.mutex = threading.RLock()
        self.sealer = sealing.Sealer(key_file, data_key)
        self._marked = False
        # The session before this one, when it did not close (``session_marker``).
        self.unclean_end: session_marker.UncleanEnd | None = None

    def begin_session(self) -> None:
        """Write the session marker (the lock is held); remember an unclean previous end."""
        self.unclean_end = session_marker.begin(self.folder)
        self._marked = True

    # ------------------------------------------------------------------ access

    @property
    def conn(self) -> Any:
        """The read-write connection (callers hold ``mutex``)."""
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._data_key is not None

    def key(self) -> bytes:
        """The data key; KnownError once the vault is closed (locked)."""
        if self._data_key is None:
            raise KnownError("The vault is locked: unlock it first.")
        return bytes(self._data_key)

    def write(self) -> AbstractContextManager[Any]:
        """One write transaction on the connection (the vault must be open)."""
        self.key()
        return database.transaction(self._conn)

    @property
    def key_path(self) -> Path:
        return self.folder / KEY_FILE

    @property
    def vault_id(self) -> str:
        return self.key_file.vault_id

    def key_file_bytes(self) -> bytes:
        """The key file as it is on disk (for a backup)."""
        return keyfile.serialize(self.key_file, self.key())

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (before copying it for a backup)."""
        with self.mutex:
            self.key()
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def advance_high_water(self) -> None:
        """After a committed seal: move the key file's high-water mark up to the chain."""
        self.key_file = sealing.advance_quietly(
            self._conn, self.key_file, self.key_path, self.key()
        )

    # ------------------------------------------------------------------ damage

    @property
    def damage_found(self) -> bool:
        """True once verification or a query has found the files damaged."""
        return self._damage_found or bool(getattr(self._conn, "damaged", False))

    def mark_damaged(self) -> None:
        self._damage_found = True

    # ------------------------------------------------------------------ closing

    def close_connections(self) -> None:
        guard, self._guard = self._guard, None
        if guard is None:
            self._conn.close()
        elif self.damage_found:
            # The read-only connection closes last: no checkpoint writes into damaged files.
            try:
                self._conn.close()
            finally:
                guard.close()
        else:
            # Healthy: the read-write connection closes last and folds the WAL in.
            try:
                guard.close()
            finally:
                self._conn.close()

    def close(self) -> None:
        """Close the database, drop the key material and release the folder's lock."""
        with self.mutex:
            if self._data_key is None:
                return
            try:
                self.close_connections()
            finally:
                self.sealer.forget()
                for i in range(len(self._data_key)):
                    self._data_key[i] = 0
                self._data_key = None
                if self._marked:
                    session_marker.end(self.folder)
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
