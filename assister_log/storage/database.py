"""The SQLCipher connection: raw-key mode, the pragmas every connection needs, and the
mapping of SQLite's errors to the user's situation.

Why each pragma: ``temp_store = MEMORY`` keeps sorts and temp tables out of plaintext temp
files; WAL + ``synchronous = FULL`` makes every acknowledged commit survive a power cut;
``secure_delete`` overwrites deleted content; ``cipher_log_level = NONE`` stops SQLCipher
printing HMAC failures to stderr. Extension loading is never enabled.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from operator import mul
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


class Cursor(sqlcipher3.Cursor):  # type: ignore[misc]
    """A cursor whose database errors arrive as the user's situation (see ``map_db_error``):
    a damaged page met by any query is a CorruptVault, never an unexplained crash."""

    def _mapped(self, error: Exception) -> KnownError:
        known = map_db_error(error)  # re-raises errors that are bugs
        if isinstance(known, CorruptVault):
            self.connection.damaged = True
        return known

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        try:
            return super().execute(sql, parameters)
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None

    def executemany(self, sql: str, seq_of_parameters: Any) -> Any:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None

    def executescript(self, script: str) -> Any:
        try:
            return super().executescript(script)
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None

    def fetchmany(self, size: int | None = None) -> Any:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None

    def fetchall(self) -> Any:
        try:
            return super().fetchall()
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlcipher3.DatabaseError as error:
            raise self._mapped(error) from None


class MappedConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """The vault's connection: every query goes through ``Cursor``. ``damaged`` is set once a
    query has found the file corrupt, so closing can avoid writing into it."""

    damaged = False

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or Cursor)

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, script: str) -> Any:
        return self.cursor().executescript(script)


def connect(path: Path, key: bytes, *, read_only: bool = False) -> Any:
    """Open and key the database, read once to prove the key, then set and assert pragmas.

    ``read_only`` opens it so that nothing this connection does (including closing it) can
    write to the database or its WAL: used to look at a vault before trusting it.
    """
    if len(key) != 32:
        raise ValueError("data key must be 32 bytes")
    target = f"{Path(path).absolute().as_uri()}?mode=ro" if read_only else str(path)
    try:
        conn = sqlcipher3.connect(
            target,
            isolation_level=None,
            check_same_thread=False,
            uri=read_only,
            factory=MappedConnection,
        )
    except sqlcipher3.OperationalError as error:
        raise _cannot_open(map_db_error(error), path) from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        _set_raw_key(conn, key)
        # PRAGMA key never fails by itself: this first read is what proves the key.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        apply_pragmas(conn)
    except CorruptVault:
        conn.close()
        raise CorruptVault(
            "The vault database cannot be read with this key file: it is damaged or "
            "belongs to another vault; restore it from a backup."
        ) from None
    except ReadOnlyLocation as error:
        conn.close()
        raise _cannot_open(error, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


_HEX_DIGITS = b"0123456789abcdef"


def wipe(buffer: bytearray) -> None:
    """Overwrite a mutable buffer with zeros in place (no reallocation, so no copy is left)."""
    buffer[:] = bytes(len(buffer))


def _set_raw_key(conn: Any, key: bytes | bytearray) -> None:
    """Key the connection in raw-key mode (``x'<64 hex>'``, no PBKDF2) through
    ``sqlite3_key`` (sqlcipher3's ``set_key``), from a mutable buffer wiped at once.

    ``PRAGMA key = "x'…'"`` would put the key's hex into an immutable Python str and into
    SQLite's copy of the statement's text, where it outlives the connection (issue 14, item 4:
    a memory dump after lock held the hex four times). Built digit by digit, so no
    intermediate ``bytes``/``str`` holds it either."""
    text = bytearray(3 + 2 * len(key))
    text[0:2] = b"x'"
    for i, byte in enumerate(key):
        text[2 + 2 * i] = _HEX_DIGITS[byte >> 4]
        text[3 + 2 * i] = _HEX_DIGITS[byte & 15]
    text[-1] = ord("'")
    try:
        conn.set_key(text)
    finally:
        wipe(text)


def _cannot_open(error: KnownError, path: Path) -> KnownError:
    """SQLite says only "unable to open": blame a read-only folder only if it is one."""
    if isinstance(error, ReadOnlyLocation) and os.access(Path(path).parent, os.W_OK):
        return KnownError(
            "The vault's database files could not be opened although the folder is writable: "
            "the disk may be full or failing; check it, then try again."
        )
    return error


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
        with suppress(sqlcipher3.Error, KnownError):
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except (sqlcipher3.OperationalError, KnownError) as error:
        with suppress(sqlcipher3.Error, KnownError):
            conn.execute("ROLLBACK")
        if isinstance(error, KnownError):
            raise
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


# ------------------------------------------------------------------ write-ahead log check
#
# On opening, SQLite replays the WAL up to the first frame whose checksum fails and silently
# drops that frame and everything after it: right for a write torn by a crash, but a damaged
# byte in a frame that was committed and synced would make every later commit vanish without
# a word, and the next checkpoint would make the loss permanent. With synchronous = FULL each
# commit is synced before the next transaction starts, so a bad frame followed by a complete
# commit *and* another valid commit after it cannot be a torn write: it is damage.

_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_HEADER = 32
_FRAME_HEADER = 24
_MASK = 0xFFFFFFFF


@lru_cache(maxsize=4)
def _wal_weights(words: int) -> tuple[list[int], list[int], tuple[int, int, int, int]]:
    """SQLite's WAL checksum (per pair of words: s0 += x0 + s1; s1 += x1 + s0, mod 2**32) is
    linear; the weight of each word in (s0, s1) and the matrix applied to the seed."""
    w0, w1 = [0] * words, [0] * words
    a, b, c, d = 1, 0, 0, 1
    for i in range(words // 2 - 1, -1, -1):
        w0[2 * i], w1[2 * i] = (a + b) & _MASK, (c + d) & _MASK
        w0[2 * i + 1], w1[2 * i + 1] = b, d
        a, b, c, d = (a + b) & _MASK, (a + 2 * b) & _MASK, (c + d) & _MASK, (c + 2 * d) & _MASK
    return w0, w1, (a, b, c, d)


def _wal_checksum(data: bytes, seed: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    count = len(data) // 4
    words = struct.unpack(f"{'>' if big_endian else '<'}{count}I", data)
    w0, w1, (a, b, c, d) = _wal_weights(count)
    s0 = (a * seed[0] + b * seed[1] + sum(map(mul, w0, words))) & _MASK
    s1 = (c * seed[0] + d * seed[1] + sum(map(mul, w1, words))) & _MASK
    return s0, s1


def _chained_commits(
    data: bytes, start: int, seeds: set[tuple[int, int]], page_size: int, big: bool
) -> int:
    """Commit frames in the longest run of frames from ``start`` (0-based) that carry the salt
    of frame ``start`` and chain from one of ``seeds``."""
    frame_size = _FRAME_HEADER + page_size
    first = _WAL_HEADER + start * frame_size
    if len(data) < first + frame_size:
        return 0
    salt = data[first + 8 : first + 16]
    best = 0
    for seed in seeds:
        found, running = 0, seed
        for offset in range(first, len(data) - frame_size + 1, frame_size):
            head = data[offset : offset + _FRAME_HEADER]
            if head[8:16] != salt:
                break
            page = data[offset + _FRAME_HEADER : offset + frame_size]
            running = _wal_checksum(page, _wal_checksum(head[:8], running, big), big)
            if running != struct.unpack(">2I", head[16:24]):
                break
            found += head[4:8] != b"\0\0\0\0"
        best = max(best, found)
    return best


def wal_damage(db_path: Path) -> str | None:
    """Why the WAL beside ``db_path`` holds damaged committed data, or None.

    None also when the WAL is absent, empty, or ends in what a crash can leave (a torn or
    unfinished last transaction, frames of an older generation): SQLite's recovery is right
    for those. Damage inside the last committed transaction looks exactly like a torn write
    and is not reported. The file is only read.
    """
    try:
        with open(f"{db_path}-wal", "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise KnownError(
            f"Cannot read the vault's write-ahead log ({error.strerror or error}): check the drive."
        ) from None
    if len(data) < _WAL_HEADER:
        return None
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:32])
    sane_size = 512 <= page_size <= 65536 and not page_size & (page_size - 1)
    big = bool(magic & 1)
    header_ok = (
        magic in _WAL_MAGIC and sane_size and _wal_checksum(data[:24], (0, 0), big) == (c1, c2)
    )
    if not header_ok:
        # SQLite ignores the whole log. Right if it never held a synced commit; if two
        # commits chain behind the header, the header is what was damaged.
        sizes = {page_size, 4096} if sane_size else {4096}
        for endian in (False, True):
            seeds = {(c1, c2), _wal_checksum(data[:24], (0, 0), endian)}
            for size in sizes:
                if _chained_commits(data, 0, seeds, size, endian) >= 2:
                    return "its header is damaged"
        return None
    frame_size = _FRAME_HEADER + page_size
    running = (c1, c2)
    for index, offset in enumerate(range(_WAL_HEADER, len(data) - frame_size + 1, frame_size)):
        head = data[offset : offset + _FRAME_HEADER]
        _pgno, commit, s1, s2, f1, f2 = struct.unpack(">6I", head)
        page = data[offset + _FRAME_HEADER : offset + frame_size]
        expected = _wal_checksum(page, _wal_checksum(head[:8], running, big), big)
        if (s1, s2) == (salt1, salt2) and expected == (f1, f2):
            running = expected
            continue
        if (s1, s2) != (salt1, salt2) and expected != (f1, f2):
            return None  # the end of this generation: older frames or never written
        # A frame of this log that fails: damaged if a synced commit is behind it.
        later = _chained_commits(data, index + 1, {(f1, f2), expected}, page_size, big)
        if (commit != 0) + later >= 2:
            return f"frame {index + 1} is damaged"
        return None
    return None
