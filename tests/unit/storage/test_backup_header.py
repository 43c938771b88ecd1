"""The backup's clear header tells nothing about the consumers in it (issue 14, item 5): no
record count before the secret is given; restore counts the records after decrypting, and
an old backup whose header still carries ``records`` restores as before."""

from __future__ import annotations

import json
from pathlib import Path

from assister_log.services.session import Session, restore
from assister_log.storage import backup
from tests.conftest import EXAMPLES, PASSPHRASE


def _clear_header(path: Path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(backup.MAGIC)
    return data[len(backup.MAGIC) : data.index(b"\n", len(backup.MAGIC)) + 1]


def _backup_with_records(session: Session, tmp_path: Path, count: int) -> Path:
    for _ in range(count):
        session.add_from_json_file(EXAMPLES / "inappropriate-interaction.json")
    out = tmp_path / "vault.albackup"
    report = session.backup(out)
    assert report.records == count  # the user still hears the count after a backup
    return out


def test_a_fresh_backup_header_holds_no_record_count(session: Session, tmp_path: Path) -> None:
    out = _backup_with_records(session, tmp_path, 7)
    header = _clear_header(out)
    parsed = json.loads(header)
    assert "records" not in parsed
    assert b"records" not in header
    # no other field carries the count either (sizes and hashes are of files, not records)
    assert 7 not in [v for v in parsed.values() if isinstance(v, int) and v != backup.VERSION]
    assert "records" not in backup.read_header(out)


def test_restore_reports_the_count_after_unlocking(session: Session, tmp_path: Path) -> None:
    out = _backup_with_records(session, tmp_path, 3)
    assert restore(out, tmp_path / "restored", PASSPHRASE) == 3
    assert backup.verify_backup(out, PASSPHRASE) == 3


def test_an_old_backup_whose_header_has_records_still_restores(
    session: Session, tmp_path: Path
) -> None:
    out = _backup_with_records(session, tmp_path, 2)
    data = out.read_bytes()
    start = len(backup.MAGIC)
    end = data.index(b"\n", start)
    header = json.loads(data[start:end])
    header["records"] = 2  # what versions before issue 14 wrote
    old = tmp_path / "old.albackup"
    old.write_bytes(data[:start] + json.dumps(header, sort_keys=True).encode() + data[end:])
    assert backup.read_header(old)["records"] == 2
    assert restore(old, tmp_path / "restored-old", PASSPHRASE) == 2
    assert backup.verify_backup(old, PASSPHRASE) == 2
