"""Issue 5, test 7: temporary data never reaches a file.

* every connection the product opens (create, open, the read-only look before it, backup
  verification, restore, passphrase change) has ``temp_store = MEMORY`` (2) — and WAL with
  ``synchronous = FULL`` (2): the crash tests can only kill processes (SIGKILL keeps the page
  cache, a power cut does not), so the setting power-cut durability rests on is asserted;
* heavy sorts, an index build, DISTINCT / GROUP BY over a big temp table and VACUUM on a
  real vault, in a process whose TMPDIR and SQLITE_TMPDIR are watched with inotify, create
  no file there — while the same work on a connection set to ``temp_store = FILE`` does
  (the control that proves the watch sees SQLite's immediately-deleted temp files).
* a live session's WAL and SHM hold no canary.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from assister_log.services.session import Session, restore
from assister_log.storage import database
from assister_log.storage.backup import verify_backup
from tests.conftest import PASSPHRASE, PROFILE, add_as_author
from tests.reliability.support import Watch, child_env, example_data

HEAVY = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from assister_log.storage import kdf
    kdf.enable_insecure_test_parameters()
    from assister_log.services.session import Session
    from assister_log.storage import database
    import sqlcipher3

    folder, mode = Path(sys.argv[1]), sys.argv[2]
    with Session.unlock(folder, sys.argv[3]) as session:
        if mode == "product":
            conn = session.vault.conn
        else:  # the control: the same work with temp_store = FILE
            conn = sqlcipher3.connect(":memory:", isolation_level=None)
            conn.execute("PRAGMA temp_store = FILE")
            conn.execute("PRAGMA cache_size = 50")
        conn.execute(
            "CREATE TEMP TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
            "SELECT x + 1 FROM c WHERE x < 60000) SELECT x, randomblob(300) AS b FROM c"
        )
        conn.execute("SELECT x FROM big ORDER BY b").fetchall()
        conn.execute("SELECT DISTINCT b FROM big").fetchall()
        conn.execute("SELECT count(*), substr(b, 1, 2) FROM big GROUP BY 2").fetchall()
        conn.execute("CREATE INDEX temp.big_b ON big (b)")
        conn.execute("DROP TABLE big")
        if mode == "product":
            conn.execute("SELECT body FROM incidents ORDER BY body, updated_at").fetchall()
            conn.execute("VACUUM")
            assert not session.verify()
    print("done")
    """
)


def test_every_connection_keeps_temp_data_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bool, int]] = []
    durability: set[tuple[str, int]] = set()
    real = database.connect

    def spy(path: Path, key: bytes, **kwargs: Any) -> Any:
        conn = real(path, key, **kwargs)
        temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
        seen.append((kwargs.get("read_only", False), temp_store))
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        durability.add((journal, conn.execute("PRAGMA synchronous").fetchone()[0]))
        return conn

    monkeypatch.setattr(database, "connect", spy)
    session, _recovery = Session.create(tmp_path / "v", PASSPHRASE, PROFILE)
    with session:
        session.add_from_data(example_data()[0])
        session.backup(tmp_path / "b.albackup")
    verify_backup(tmp_path / "b.albackup", PASSPHRASE)
    restore(tmp_path / "b.albackup", tmp_path / "r", PASSPHRASE)
    with Session.unlock(tmp_path / "r", PASSPHRASE) as restored:
        restored.change_passphrase("another long passphrase here")
    assert len(seen) >= 8 and {mode for _ro, mode in seen} == {2}, seen
    assert {ro for ro, _mode in seen} == {True, False}
    assert durability == {("wal", 2)}, durability  # every commit synced (FULL)


@pytest.mark.slow
def test_heavy_sorts_index_builds_and_vacuum_write_no_temp_file(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    session, _recovery = Session.create(folder, PASSPHRASE, PROFILE)
    with session:
        data = example_data()
        for i in range(300):
            record = dict(data[i % len(data)])
            record["narrative"] = f"{record['narrative']} {i} " * 20
            add_as_author(session, record)  # a staff call by MNsure staff
    results = {}
    for mode in ("control", "product"):
        tmp, sqltmp = tmp_path / f"tmp-{mode}", tmp_path / f"sqltmp-{mode}"
        tmp.mkdir()
        sqltmp.mkdir()
        watch = Watch(tmp, sqltmp)
        done = subprocess.run(
            [sys.executable, "-c", HEAVY, str(folder), mode, PASSPHRASE],
            capture_output=True,
            text=True,
            env=child_env(TMPDIR=str(tmp), SQLITE_TMPDIR=str(sqltmp)),
            timeout=300,
        )
        assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr
        results[mode] = watch.poll()
        watch.close()
    assert results["control"], "the watch saw no temp file even with temp_store = FILE"
    assert results["product"] == [], results["product"]
    print(f"\ntemp files: control (temp_store=FILE) {len(results['control'])}, product 0")


def test_live_wal_and_shm_hold_no_plaintext(tmp_path: Path) -> None:
    canary = "KNRY-live-wal Ünïcødé-Ꙁ"
    session, _recovery = Session.create(tmp_path / "v", PASSPHRASE, PROFILE)
    with session:
        record = dict(example_data()[0])
        record["narrative"] = canary
        session.add_from_data(record)
        files = sorted((tmp_path / "v").iterdir())
        names = {p.name for p in files}
        assert {"vault.db-wal", "vault.db-shm"} <= names, names
        for path in files:
            data = path.read_bytes()
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert canary.encode(encoding) not in data, (path.name, encoding)
                assert b"KNRY-live-wal" not in data, path.name
