"""Issue 5, test 3: ``backup`` and ``restore`` killed at every POSIX I/O call.

Backup: the source vault keeps every record and still verifies, its key file is untouched;
no file that looks like a complete backup exists unless it verifies (a backup written over
an older one leaves the old or the new, each verifying). Restore: the backup file is
untouched; the target is either as it was (absent, or an empty folder) or a complete vault
that verifies with every record; a new restore into it then succeeds.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import pytest

from assister_log.services.session import restore
from assister_log.storage.backup import verify_backup
from tests.conftest import PASSPHRASE
from tests.reliability.support import (
    WriterRun,
    check_vault,
    make_vault,
    needs_fiu,
    run_writer,
    trials,
)


def cli_args(*command: str) -> list[str]:
    return ["cli", "--stdin-line", PASSPHRASE, "--", "--passphrase-stdin", *command]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_calls(command: list[str]) -> int:
    run = run_writer(["--fault", "count", *cli_args(*command)], fiu=True)
    assert run.result["code"] == 0, run.result
    return int(run.result["count"])


def finished_early(run: WriterRun, at: int) -> bool:
    """True if the command finished (fine) before reaching kill point ``at``; the number of
    calls varies by a few between runs (WAL state, an existing output file)."""
    if run.killed:
        return False
    assert run.result["code"] == 0 and run.result["count"] < at, (at, run.result, run.stderr)
    return True


def kill_points(calls: int, stride: int) -> list[int]:
    return list(range(1, calls + 1, stride))


@pytest.mark.slow
@needs_fiu
def test_backup_killed_at_every_call_leaves_source_and_no_false_backup(tmp_path: Path) -> None:
    source = tmp_path / "vault"
    make_vault(source, records=6, finalize=2)
    records = check_vault(source).records
    key_bytes = (source / "vault.key").read_bytes()
    out_dir = tmp_path / "backups"
    out_dir.mkdir()
    out = out_dir / "assister.albackup"
    calls = count_calls(["--vault", str(source), "backup", "--out", str(out)])
    assert out.exists()  # that run left a complete, verified backup: odd rounds overwrite one
    rounds = trials(ci=1, full=3)
    stride = trials(ci=2, full=1)
    kills = kept_old = complete = absent = 0
    leftovers: set[str] = set()
    started = time.monotonic()
    for round_ in range(rounds):
        over_old = round_ % 2 == 1
        for at in kill_points(calls, stride):
            if not over_old:
                out.unlink(missing_ok=True)
            elif not out.exists():
                count_calls(["--vault", str(source), "backup", "--out", str(out)])
            old = sha(out) if out.exists() else None
            run = run_writer(
                [
                    "--fault",
                    "kill",
                    "--at",
                    str(at),
                    *cli_args("--vault", str(source), "backup", "--out", str(out)),
                ],
                fiu=True,
            )
            if not finished_early(run, at):
                kills += 1
            checked = check_vault(source)
            assert checked.problems == [] and checked.records == records, at
            assert (source / "vault.key").read_bytes() == key_bytes, at
            visible = sorted(p.name for p in out_dir.iterdir() if not p.name.startswith("."))
            assert visible in ([], [out.name]), (at, visible)
            leftovers |= {p.name.split("-")[0] for p in out_dir.iterdir() if p.name[0] == "."}
            if out.exists():
                assert verify_backup(out, PASSPHRASE) == len(records), at
                if over_old and sha(out) == old:
                    kept_old += 1
                else:
                    complete += 1
            else:
                absent += 1
            for stale in out_dir.iterdir():
                if stale.name.startswith("."):
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    print(
        f"\nbackup: {calls} I/O calls, {kills} kills: {absent} no backup, {complete} new "
        f"complete backup, {kept_old} old backup kept; hidden leftovers {sorted(leftovers)}; "
        f"{time.monotonic() - started:.1f} s"
    )


@pytest.mark.slow
@needs_fiu
def test_restore_killed_at_every_call_completes_or_leaves_target(tmp_path: Path) -> None:
    source = tmp_path / "vault"
    make_vault(source, records=6, finalize=2)
    records = check_vault(source).records
    backup = tmp_path / "b.albackup"
    scratch = tmp_path / "probe"
    calls = count_calls(["--vault", str(source), "backup", "--out", str(backup)])
    assert calls > 0
    backup_sha = sha(backup)
    parent = tmp_path / "restores"
    parent.mkdir()
    target = parent / "restored"
    calls = count_calls(["--vault", str(scratch), "restore", str(backup)])
    rounds = trials(ci=2, full=6)
    kills = completed = untouched = 0
    leftovers = 0
    started = time.monotonic()
    for round_ in range(rounds):
        empty_folder = round_ % 2 == 1  # the target exists as an empty folder
        for at in kill_points(calls, trials(ci=2, full=1)):
            shutil.rmtree(target, ignore_errors=True)
            if empty_folder:
                target.mkdir()
            run = run_writer(
                [
                    "--fault",
                    "kill",
                    "--at",
                    str(at),
                    *cli_args("--vault", str(target), "restore", str(backup)),
                ],
                fiu=True,
            )
            if not finished_early(run, at):
                kills += 1
            assert sha(backup) == backup_sha
            if target.exists() and any(target.iterdir()):
                checked = check_vault(target)
                assert checked.problems == [] and checked.records == records, at
                completed += 1
            else:
                assert target.exists() == empty_folder, (at, "the target folder changed")
                untouched += 1
                assert restore(backup, target, PASSPHRASE) == len(records), at
            stale = [p for p in parent.iterdir() if p.name.startswith(".")]
            leftovers += len(stale)
            for p in stale:
                shutil.rmtree(p)
    print(
        f"\nrestore: {calls} I/O calls, {kills} kills: {completed} complete, {untouched} target "
        f"as it was (then restored fine); {leftovers} hidden scratch folders left; "
        f"{time.monotonic() - started:.1f} s"
    )
