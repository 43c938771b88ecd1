"""Issue 5, test 10: owner-only files whatever the umask (000, 022, 077): the vault folder and
the restored vault folder 0700; vault.key, vault.db, its WAL and SHM (while a session is
open), vault.lock, backups and the pre-migration backups folder 0700/0600; crash reports
0600 in a 0700 folder; exported PDFs 0600.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assister_log.services.session import Session
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.reliability.support import CLI, child_env

P = PASSPHRASE + "\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def cli(umask: int, *args: str, stdin: str = P, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, str(CLI), "--passphrase-stdin", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env or child_env(),
        umask=umask,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def owner_only(*paths: Path) -> dict[str, str]:
    """Paths whose mode gives anything to group or others (empty when all are owner-only)."""
    wrong = {}
    for path in paths:
        expected = 0o700 if path.is_dir() else 0o600
        if mode(path) != expected:
            wrong[str(path)] = oct(mode(path))
    return wrong


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_everything_written_is_owner_only(umask: int, tmp_path: Path) -> None:
    vault, restored = tmp_path / "vault", tmp_path / "restored"
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o755)
    cli(umask, "--vault", str(vault), "init", "--name", "Jamie Ortiz", "--role", "navigator")
    incident_id = cli(
        umask, "--vault", str(vault), "add", "--from-json", str(EXAMPLES / "suspected-fraud.json")
    ).strip()
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("evidence")
    cli(umask, "--vault", str(vault), "attach", incident_id, str(evidence))
    cli(umask, "--vault", str(vault), "backup", "--out", str(backups / "b.albackup"))
    cli(umask, "--vault", str(restored), "restore", str(backups / "b.albackup"))
    cli(umask, "--vault", str(vault), "change-passphrase", stdin=P + "another long passphrase\n")
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o755)
    pdf = cli(
        umask, "--vault", str(vault), "export", incident_id, "--kind", "record", "--out",
        str(exports), stdin="another long passphrase\n",
    ).strip()  # fmt: skip
    paths = [vault, restored, backups / "b.albackup", Path(pdf)]
    paths += [p for folder in (vault, restored) for p in folder.iterdir()]
    assert {p.name for p in vault.iterdir()} >= {"vault.key", "vault.db", "vault.lock"}
    assert owner_only(*paths) == {}

    old = os.umask(umask)
    try:
        with Session.unlock(vault, "another long passphrase") as session:
            session.add_from_data({"procedure": "inappropriate-interaction", "channel": "phone",
                                   "occurred_at": "2026-05-20T09:10:00-05:00",
                                   "party": {"kind": "consumer"}})  # fmt: skip
            live = list(vault.iterdir())
            assert {"vault.db-wal", "vault.db-shm"} <= {p.name for p in live}
            assert owner_only(*live) == {}
    finally:
        os.umask(old)


def test_crash_reports_are_owner_only(tmp_path: Path) -> None:
    crash = tmp_path / "crash"
    code = (
        "import sys; from assister_log import crash; crash.install_excepthook(); "
        "raise RuntimeError('boom')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=child_env(ASSISTER_LOG_CRASH_DIR=str(crash)),
        umask=0,
        timeout=60,
    )
    assert done.returncode == 1 and "unexpected error" in done.stderr
    reports = list(crash.iterdir())
    assert len(reports) == 1
    assert owner_only(crash, *reports) == {}
