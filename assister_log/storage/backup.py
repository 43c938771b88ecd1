"""Backups: one self-contained file holding the key file and the encrypted database.

Nothing is decrypted to make a backup: after a WAL checkpoint the database file is copied as
it is (already SQLCipher ciphertext) beside the key file, under a small header with each
part's size and SHA-256 and nothing about the records: their count is known only once the
backup is opened with the secret. A backup is written to a temp name, read back, unpacked
into a scratch folder and opened and verified there; only then does it get its final name,
so no file that looks like a complete backup exists unless it verifies. A restore unpacks
into a new folder beside the target, opens it with the user's secret, verifies, and renames
(``restore``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any, BinaryIO

from assister_log import __version__, clock
from assister_log.errors import BadInput, CorruptVault, KnownError, from_os_error
from assister_log.storage import atomic, opening, queries, safe_read, verification
from assister_log.storage.store import DB_FILE, KEY_FILE, Store

MAGIC = b"ASSISTER-LOG-BACKUP\n"
FORMAT = "assister-log-backup"
VERSION = 1
MAX_HEADER = 64 * 1024
SUFFIX = ".albackup"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    records: int
    created_at: str


def _damaged(reason: str) -> CorruptVault:
    return CorruptVault(f"The backup file is damaged or not an Assister Log backup ({reason}).")


@dataclass(frozen=True)
class Part:
    name: str
    size: int
    sha256: str


def _header_bytes(meta: dict[str, Any], parts: list[Part]) -> bytes:
    header = dict(meta)
    header["files"] = [{"name": p.name, "size": p.size, "sha256": p.sha256} for p in parts]
    return json.dumps(header, sort_keys=True).encode() + b"\n"


def _parse_header(line: bytes) -> tuple[dict[str, Any], list[Part]]:
    try:
        header = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: a header nested thousands of levels deep (issue 14).
        raise _damaged("unreadable header") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _damaged("unknown format")
    if header.get("version") != VERSION:
        raise _damaged(f"unsupported version {header.get('version')!r}")
    files = header.get("files")
    if (
        not isinstance(files, list)
        or len(files) != 2
        or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in files)
        or {f["name"] for f in files} != {KEY_FILE, DB_FILE}
    ):
        raise _damaged("its list of files is wrong")
    parts = []
    for entry in files:
        size, sha = entry.get("size"), entry.get("sha256")
        if type(size) is not int or size < 0:
            raise _damaged("it is truncated")
        if not isinstance(sha, str):
            raise _damaged(f"{entry['name']} does not match its checksum")
        parts.append(Part(str(entry["name"]), size, sha))
    return header, parts


def _layout(handle: BinaryIO, total: int) -> tuple[dict[str, Any], list[Part]]:
    """Read and check the marker and header (at most MAX_HEADER bytes), and check that the
    parts it lists fill the rest of the file exactly: nothing beyond the header is read, so
    a file of many gigabytes that is no backup is refused at once."""
    head = safe_read.read_at_most(handle, len(MAGIC) + MAX_HEADER)
    if not head.startswith(MAGIC):
        raise _damaged("it does not start with the backup marker")
    end = head.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        raise _damaged("no header")
    header, parts = _parse_header(head[len(MAGIC) : end])
    offset = end + 1
    for part in parts:
        if offset + part.size > total:
            raise _damaged("it is truncated")
        offset += part.size
    if offset != total:
        raise _damaged("unexpected bytes after the last part")
    handle.seek(end + 1)
    return header, parts


def read_backup(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Header and parts of a backup held in memory, every size and hash checked."""
    header, layout = _layout(io.BytesIO(data), len(data))
    parts: dict[str, bytes] = {}
    offset = data.index(b"\n", len(MAGIC)) + 1
    for part in layout:
        chunk = data[offset : offset + part.size]
        if hashlib.sha256(chunk).hexdigest() != part.sha256:
            raise _damaged(f"{part.name} does not match its checksum")
        parts[part.name] = chunk
        offset += part.size
    return header, parts


def read_header(path: Path) -> dict[str, Any]:
    """The header of a backup file, its layout checked (the parts are not read)."""
    handle, size = _open_backup(path)
    with handle:
        return _layout(handle, size)[0]


def unpack_into(folder: Path, parts: dict[str, bytes]) -> None:
    folder.mkdir(mode=0o700)
    for name, chunk in parts.items():
        atomic.atomic_write_bytes(folder / name, chunk, what=f"the restored {name}")


def _open_backup(path: Path) -> tuple[BinaryIO, int]:
    path = path.expanduser()
    return safe_read.open_regular(path, f"the backup {path.name}")


def unpack_file(path: Path, folder: Path) -> dict[str, Any]:
    """Unpack the backup file ``path`` into the new folder ``folder``, streaming: memory stays
    at one chunk whatever the size. Each part is hashed as it is copied; a part that does not
    match its checksum is a CorruptVault (the caller removes ``folder``). Returns the header."""
    handle, size = _open_backup(path)
    with handle:
        header, parts = _layout(handle, size)
        try:
            folder.mkdir(mode=0o700)
        except OSError as error:
            raise from_os_error(error, "the restored vault") from None
        for part in parts:
            digest = hashlib.sha256()
            with atomic.atomic_writer(folder / part.name, what=f"the restored {part.name}") as out:
                try:
                    copied = _copy(handle, out, part.size, digest)
                except OSError as error:
                    raise from_os_error(error, f"the backup {path.name}", reading=True) from None
            if copied != part.size:
                raise _damaged("it is truncated")
            if digest.hexdigest() != part.sha256:
                raise _damaged(f"{part.name} does not match its checksum")
    return header


def _copy(source: BinaryIO, out: BinaryIO, size: int, digest: Any) -> int:
    copied = 0
    while copied < size:
        chunk = source.read(min(safe_read.CHUNK, size - copied))
        if not chunk:
            break
        digest.update(chunk)
        out.write(chunk)
        copied += len(chunk)
    return copied


def scratch_beside(target: Path, label: str) -> Path:
    return target.parent / f".{target.name}.{label}-{secrets.token_hex(4)}"


def write_backup(store: Store, out: Path) -> BackupReport:
    """Write a verified backup of the open vault ``store`` to ``out`` (0600).

    Streaming: the database is hashed in one pass, then copied in chunks into the backup in a
    second pass that hashes it again; a database that changed in between is refused. Memory
    stays at one chunk whatever the vault's size."""
    out = out.expanduser()
    if out.is_dir():
        raise BadInput(f"{out} is a folder: give a file name for the backup.")
    if not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist: create it or choose another.")
    partial = out.with_name(f".{out.name}.partial-{secrets.token_hex(4)}")
    with store.mutex:
        store.checkpoint()
        key_bytes = store.key_file_bytes()
        created = clock.now().astimezone(UTC).isoformat(timespec="seconds")
        records = queries.record_count(store)
        # No record count (nor anything else about the consumers) in the clear header: it is
        # readable without the secret. Restore counts the records after decrypting; old
        # backups that still carry "records" are read as before (the field is ignored).
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": store.vault_id,
            "created_at": created,
            "app_version": __version__,
            "schema_version": opening.schema_version(store.conn),
        }
        try:
            db = open(store.folder / DB_FILE, "rb", buffering=0)  # noqa: SIM115
        except OSError as error:
            raise from_os_error(error, "the vault database", reading=True) from None
        try:
            with db:
                db_size, db_sha = _hash_stream(db)
                db.seek(0)
                parts = [
                    Part(KEY_FILE, len(key_bytes), hashlib.sha256(key_bytes).hexdigest()),
                    Part(DB_FILE, db_size, db_sha),
                ]
                with atomic.atomic_writer(partial, what="the backup") as handle:
                    handle.write(MAGIC)
                    handle.write(_header_bytes(meta, parts))
                    handle.write(key_bytes)
                    digest = hashlib.sha256()
                    copied = _copy(db, handle, db_size, digest)
                    if copied != db_size or digest.hexdigest() != db_sha or db.read(1):
                        raise KnownError(
                            "The vault database changed while it was being backed up; "
                            "nothing was kept: try again."
                        )
            _verify_file(partial, data_key=store.key(), expected_records=records)
            os.replace(partial, out)
            atomic.fsync_dir(out.parent)
        except OSError as error:
            raise from_os_error(error, f"the backup {out.name}") from None
        finally:
            with suppress(OSError):  # a failing clean-up must not hide the error that matters
                partial.unlink(missing_ok=True)
    return BackupReport(out, out.stat().st_size, records, created)


def _hash_stream(handle: BinaryIO) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(safe_read.CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _verify_file(path: Path, *, data_key: bytes, expected_records: int | None) -> int:
    """Read a backup back from disk, unpack it into scratch and open and verify it."""
    scratch = scratch_beside(path, "verify")
    try:
        unpack_file(path, scratch)
        # Never migrated: verifying the pre-migration backup would otherwise migrate its
        # copy, back it up, verify that copy, migrate it … without end.
        with opening.open_store(
            scratch, lambda _kf: data_key, add_signing_key=False, mark_session=False
        ) as copy:
            problems = verification.verify(copy, records=False)
            records = queries.record_count(copy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if problems:
        raise KnownError(f"The backup did not verify ({problems[0]}); it was not kept.")
    if expected_records is not None and records != expected_records:
        raise KnownError("The backup did not verify (record count differs); it was not kept.")
    return records


def verify_backup(path: Path, secret: str) -> int:
    """Open a backup with the passphrase or recovery key and verify it; returns record count."""
    scratch = scratch_beside(path.expanduser(), "verify")
    try:
        unpack_file(path, scratch)
        # Checked as it is, not upgraded.
        with opening.open_store(
            scratch, opening.unlock_with(secret), add_signing_key=False, mark_session=False
        ) as copy:
            problems = verification.verify(copy)
            records = queries.record_count(copy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if problems:
        raise CorruptVault(f"The backup does not verify: {problems[0]}.")
    return records


def read_file(path: Path) -> bytes:
    """The whole backup file (tests and tools; restore and verify stream instead)."""
    handle, size = _open_backup(path)
    with handle:
        try:
            return safe_read.read_at_most(handle, size)
        except OSError as error:
            raise from_os_error(error, f"the backup {path.name}", reading=True) from None
