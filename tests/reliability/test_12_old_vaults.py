"""Issue 5, test 12: vaults written by earlier versions keep opening.

* Every committed fixture (tests/fixtures/vaults/v<N>, built by
  tests/fixtures/make_fixture_vaults.py with test-sized Argon2) opens with its passphrase and
  its recovery key, reads back every record exactly, verifies, and the CLI says so.
* Real migrations (an older fixture opened by this program): a verified backup of the old
  vault is written first, then the vault is migrated, reads back exactly, verifies and
  search still finds every record.
* The migration machinery, also with a fake next step registered on top of the newest
  schema: a verified backup of the old vault first (0600, in ``backups/``, the old schema
  inside); the migrated vault verifies with every record intact. A migration that fails half-way
  leaves the vault at its old schema, intact. A vault newer than the program is refused
  without a byte changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from assister_log.errors import KnownError
from assister_log.storage import schema
from assister_log.storage.backup import read_backup, verify_backup
from assister_log.storage.vault import Vault
from tests.conftest import ROOT
from tests.reliability.support import file_hashes, records_of, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "vaults"
VERSIONS = sorted(FIXTURES.glob("v*"), key=lambda p: int(p.name[1:]))


def fixture_copy(source: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path / source.name
    folder.mkdir(mode=0o700)
    for name in ("vault.key", "vault.db"):
        shutil.copyfile(source / name, folder / name)
        (folder / name).chmod(0o600)
    return folder, json.loads((source / "expected.json").read_text(encoding="utf-8"))


def test_there_is_a_fixture_for_every_schema_version() -> None:
    assert [int(p.name[1:]) for p in VERSIONS] == list(range(1, schema.SCHEMA_VERSION + 1))


@pytest.mark.parametrize("source", VERSIONS, ids=lambda p: p.name)
def test_an_old_vault_opens_reads_back_and_verifies(source: Path, tmp_path: Path) -> None:
    folder, expected = fixture_copy(source, tmp_path)
    for secret in (expected["passphrase"], expected["recovery_key"]):
        with Vault.open(folder, secret) as vault:
            assert vault.verify() == []
            assert vault.schema_version == schema.SCHEMA_VERSION
            assert vault.chain_length() == expected["chain_length"]
            assert records_of(vault) == expected["records"]
            for attachment_id, digest in expected["attachments"].items():
                assert hashlib.sha256(vault.attachment_bytes(attachment_id)).hexdigest() == digest
            for record in expected["records"].values():  # search still finds every record
                word = record["party"]["name"].split()[0]
                found = {s.incident_id for s in vault.summaries(query=word)}
                assert record["incident_id"] in found, word
    backups = (
        sorted((folder / "backups").glob("*.albackup")) if (folder / "backups").exists() else []
    )
    if expected["schema_version"] < schema.SCHEMA_VERSION:  # migrated: a verified backup first
        assert [
            b.name.startswith(f"pre-migration-v{expected['schema_version']}-") for b in backups
        ] == [True]
        header, _parts = read_backup(backups[0].read_bytes())
        assert header["schema_version"] == expected["schema_version"]
        assert verify_backup(backups[0], expected["passphrase"]) == len(expected["records"])
    else:
        assert backups == []
    result = run_cli(
        "--vault", str(folder), "--passphrase-stdin", "verify", stdin=expected["passphrase"] + "\n"
    )
    assert result.returncode == 0 and "Vault verified" in result.stdout, result.stderr


def fake_next(conn: Any) -> None:
    conn.execute("ALTER TABLE incidents ADD COLUMN review_note TEXT NOT NULL DEFAULT ''")
    conn.execute("CREATE TABLE reviews (incident_id TEXT PRIMARY KEY, reviewed_at TEXT)")


def failing_next(conn: Any) -> None:
    conn.execute("ALTER TABLE incidents ADD COLUMN review_note TEXT NOT NULL DEFAULT ''")
    raise KnownError("The disk reported an error while writing the vault (simulated).")


def newest(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The newest fixture: a fake next step is registered on top of the real migrations."""
    return fixture_copy(VERSIONS[-1], tmp_path)


def test_a_migration_takes_a_verified_backup_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, expected = newest(tmp_path)
    old = int(VERSIONS[-1].name[1:])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", old + 1)
    monkeypatch.setattr(schema, "MIGRATIONS", {**schema.MIGRATIONS, old: fake_next})
    with Vault.open(folder, expected["passphrase"]) as vault:
        assert vault.schema_version == old + 1
        assert vault.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
        assert records_of(vault) == expected["records"]
        assert vault.verify() == []
    backups = list((folder / "backups").iterdir())
    assert [p.name.startswith(f"pre-migration-v{old}-") for p in backups] == [True]
    assert stat.S_IMODE((folder / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    header, _parts = read_backup(backups[0].read_bytes())
    assert header["schema_version"] == old
    assert verify_backup(backups[0], expected["passphrase"]) == len(expected["records"])
    with Vault.open(folder, expected["passphrase"]) as vault:  # opens again, no second backup
        assert records_of(vault) == expected["records"]
    assert list((folder / "backups").iterdir()) == backups
    monkeypatch.setattr(schema, "SCHEMA_VERSION", old)  # the old program can use the backup
    assert verify_backup(backups[0], expected["passphrase"]) == len(expected["records"])


def test_a_failed_migration_leaves_the_old_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, expected = newest(tmp_path)
    old = int(VERSIONS[-1].name[1:])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", old + 1)
    monkeypatch.setattr(schema, "MIGRATIONS", {**schema.MIGRATIONS, old: failing_next})
    with pytest.raises(KnownError, match="simulated"):
        Vault.open(folder, expected["passphrase"])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", old)
    with Vault.open(folder, expected["passphrase"]) as vault:
        assert vault.schema_version == old
        columns = [r[1] for r in vault.conn.execute("PRAGMA table_info(incidents)").fetchall()]
        assert "review_note" not in columns
        assert records_of(vault) == expected["records"] and vault.verify() == []


def test_a_vault_from_a_newer_program_is_refused_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, expected = newest(tmp_path)
    before = file_hashes(folder)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", int(VERSIONS[-1].name[1:]) - 1)
    with pytest.raises(KnownError, match="newer Assister Log"):
        Vault.open(folder, expected["passphrase"])
    assert {n: h for n, h in file_hashes(folder).items() if n in before} == before
