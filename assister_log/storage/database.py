"""The SQLCipher connection: raw-key mode, the pragmas every connection needs, and the
mapping of SQLite's errors to the user's situation.

Why each pragma: ``temp_store = MEMORY`` keeps sorts and temp tables out of plaintext temp
files; WAL + ``synchronous = FULL`` makes every acknowledged commit survive a power cut;
``secure_delete`` overwrites deleted content; ``cipher_log_level = NONE`` stops SQLCipher
printing HMAC failures to stderr. Extension loading is never enabled.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import sqlcipher3

from assister_log.errors import CorruptVault, DiskFull, KnownError, ReadOnlyLocation, VaultLocked

SQLITE_HEADER = b"SQLite format 3\x00"
DatabaseError = sqlcipher3.DatabaseError
Connection = sqlcipher3.Connection


def map_db_error(error: Exception, what: str = "the vault") -> KnownError:
    """Turn a sqlcipher3 error into the user's situation; unknown ones stay bugs (re-raise)."""
    text = str(error).lower()
    if "disk is full" in text or ("disk i/o error" in text and "full" in text):
        return DiskFull(f"The disk is full while saving {what}: free some space and try again.")
    if "readonly" in text or "read-only" in text or "unable to open database" in text:
        return ReadOnlyLocation(
            f"Cannot write {what}: its folder is read-only; copy the vault to a writable folder."
        )
    if "locked" in text or "busy" in text:
        return VaultLocked(
            "The vault is busy in another Assister Log window or command; close it and try again."
        )
    if "disk i/o error" in text:
        return KnownError(
            f"The disk reported an error while writing {what}: check the drive, then try again."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return CorruptVault(
            f"{what.capitalize()} is damaged (the database failed its checks): "
            "restore it from a backup."
        )
    raise error


def connect(path: Path, key: bytes) -> Any:
    """Open and key the database, read once to prove the key, then set and assert pragmas."""
    if len(key) != 32:
        raise ValueError("data key must be 32 bytes")
    try:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlcipher3.OperationalError as error:
        raise map_db_error(error) from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # PRAGMA key never fails by itself: this first read is what proves the key.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        apply_pragmas(conn)
    except sqlcipher3.DatabaseError as error:
        conn.close()
        if "not a database" in str(error).lower():
            raise CorruptVault(
                "The vault database cannot be read with this key file: it is damaged or "
                "belongs to another vault; restore it from a backup."
            ) from None
        raise map_db_error(error) from None
    return conn


def apply_pragmas(conn: Any) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    if conn.execute("PRAGMA temp_store").fetchone()[0] != 2:
        raise RuntimeError("temp_store is not MEMORY: refusing to risk plaintext temp files")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise RuntimeError(f"journal_mode is {mode}, not WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 2000")


@contextmanager
def transaction(conn: Any) -> Iterator[Any]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; rolls back on any error so no partial write is seen."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher3.OperationalError as error:
        raise map_db_error(error) from None
    try:
        yield conn
    except BaseException:
        with suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlcipher3.OperationalError as error:
        with suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")
        raise map_db_error(error) from None


def looks_like_plaintext_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


class VaultLock:
    """An exclusive advisory lock on ``vault.lock``: one writer per vault, ever."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            from assister_log.errors import from_os_error

            raise from_os_error(error, "the vault's lock file") from None
        handle = os.fdopen(fd, "r+b")
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise VaultLocked(
                "This vault is already open in another Assister Log window or command; "
                "close that one first."
            ) from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None
