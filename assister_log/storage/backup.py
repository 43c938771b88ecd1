"""Backups: one self-contained file holding the key file and the encrypted database.

Nothing is decrypted to make a backup: after a WAL checkpoint the database file is copied as
it is (already SQLCipher ciphertext) beside the key file, under a small header with each
part's size and SHA-256. A backup is written to a temp name, read back, unpacked into a
scratch folder and opened and verified there; only then does it get its final name, so no
file that looks like a complete backup exists unless it verifies. A restore unpacks into a
new folder beside the target, opens it with the user's secret, verifies, and renames
(``restore``).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from assister_log import __version__, clock
from assister_log.errors import BadInput, CorruptVault, KnownError, from_os_error
from assister_log.storage import atomic, opening, queries, verification
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


def _pack(parts: list[tuple[str, bytes]], meta: dict[str, Any]) -> tuple[bytes, bytes]:
    header = dict(meta)
    header["files"] = [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in parts
    ]
    return MAGIC, json.dumps(header, sort_keys=True).encode() + b"\n"


def read_backup(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Header and parts of a backup file, every size and hash checked."""
    if not data.startswith(MAGIC):
        raise _damaged("it does not start with the backup marker")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        raise _damaged("no header")
    try:
        header = json.loads(data[len(MAGIC) : end])
    except (ValueError, UnicodeDecodeError):
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
    parts: dict[str, bytes] = {}
    offset = end + 1
    for entry in files:
        size = entry.get("size")
        if type(size) is not int or size < 0 or offset + size > len(data):
            raise _damaged("it is truncated")
        chunk = data[offset : offset + size]
        if hashlib.sha256(chunk).hexdigest() != entry.get("sha256"):
            raise _damaged(f"{entry['name']} does not match its checksum")
        parts[str(entry["name"])] = chunk
        offset += size
    if offset != len(data):
        raise _damaged("unexpected bytes after the last part")
    return header, parts


def unpack_into(folder: Path, parts: dict[str, bytes]) -> None:
    folder.mkdir(mode=0o700)
    for name, chunk in parts.items():
        atomic.atomic_write_bytes(folder / name, chunk, what=f"the restored {name}")


def scratch_beside(target: Path, label: str) -> Path:
    return target.parent / f".{target.name}.{label}-{secrets.token_hex(4)}"


def write_backup(store: Store, out: Path) -> BackupReport:
    """Write a verified backup of the open vault ``store`` to ``out`` (0600)."""
    out = out.expanduser()
    if out.is_dir():
        raise BadInput(f"{out} is a folder: give a file name for the backup.")
    if not out.parent.is_dir():
        raise BadInput(f"The folder {out.parent} does not exist: create it or choose another.")
    store.checkpoint()
    try:
        db_bytes = (store.folder / DB_FILE).read_bytes()
    except OSError as error:
        raise from_os_error(error, "the vault database") from None
    key_bytes = store.key_file_bytes()
    created = clock.now().astimezone(UTC).isoformat(timespec="seconds")
    records = queries.record_count(store)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": store.vault_id,
        "created_at": created,
        "app_version": __version__,
        "records": records,
        "schema_version": opening.schema_version(store.conn),
    }
    parts = [(KEY_FILE, key_bytes), (DB_FILE, db_bytes)]
    magic, header = _pack(parts, meta)
    partial = out.with_name(f".{out.name}.partial-{secrets.token_hex(4)}")
    try:
        with atomic.atomic_writer(partial, what="the backup") as handle:
            handle.write(magic)
            handle.write(header)
            for _, chunk in parts:
                handle.write(chunk)
        _verify_file(partial, data_key=store.key(), expected_records=records)
        os.replace(partial, out)
        atomic.fsync_dir(out.parent)
    except OSError as error:
        raise from_os_error(error, f"the backup {out.name}") from None
    finally:
        with suppress(OSError):  # a failing clean-up must not hide the error that matters
            partial.unlink(missing_ok=True)
    return BackupReport(out, out.stat().st_size, records, created)


def _verify_file(path: Path, *, data_key: bytes, expected_records: int | None) -> int:
    """Read a backup back from disk, unpack it into scratch and open and verify it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise from_os_error(error, "the backup") from None
    _header, parts = read_backup(data)
    scratch = scratch_beside(path, "verify")
    try:
        unpack_into(scratch, parts)
        # Never migrated: verifying the pre-migration backup would otherwise migrate its
        # copy, back it up, verify that copy, migrate it … without end.
        with opening.open_store(scratch, lambda _kf: data_key, add_signing_key=False) as copy:
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
    data = read_file(path)
    _header, parts = read_backup(data)
    scratch = scratch_beside(path, "verify")
    try:
        unpack_into(scratch, parts)
        # Checked as it is, not upgraded.
        with opening.open_store(
            scratch, opening.unlock_with(secret), add_signing_key=False
        ) as copy:
            problems = verification.verify(copy)
            records = queries.record_count(copy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if problems:
        raise CorruptVault(f"The backup does not verify: {problems[0]}.")
    return records


def read_file(path: Path) -> bytes:
    try:
        return path.expanduser().read_bytes()
    except OSError as error:
        raise from_os_error(error, f"the backup {path.name}", reading=True) from None
