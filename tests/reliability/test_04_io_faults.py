"""Issue 5, test 4: I/O faults (libfiu) and a full disk (a small tmpfs).

Fault sweep: each command runs once to count its POSIX I/O calls (write, pwrite, writev,
pwritev, ftruncate, fsync, fdatasync, open, rename, unlink), then once per N with call N
failing — ``persistent`` (EIO from call N on: a dying disk) and ``transient`` (ENOSPC at
call N only). Pass: exit 0, or exit 1 with one ``assister-log: …`` line and no traceback;
the vault opens, verifies, and is in its before or its after state; the same work then
succeeds. ``fiu-run -x -c 'enable_random …'`` on the real CLI adds random pwrite/fsync
failures. Disk full: a 2 MiB tmpfs (root only; skipped with the reason otherwise).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assister_log.errors import KnownError, VaultExists
from assister_log.services.export import export_pdf
from assister_log.services.session import Session, restore
from assister_log.storage.backup import verify_backup
from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE, add_as_author
from tests.reliability.support import (
    CLI,
    FIU_RUN,
    Checked,
    check_vault,
    child_env,
    example_data,
    needs_fiu,
    one_clear_line,
    opens_with,
    run_writer,
    trials,
)

NEW_PASSPHRASE = "a completely different passphrase"
# A record the vault's navigator may add (the staff procedure is MNsure staff's only).
EXAMPLE = EXAMPLES / "suspected-fraud.json"


@dataclass
class Base:
    folder: Path  # a closed vault, copied for every run
    recovery: str
    ids: list[str]
    checked: Checked
    evidence: Path
    big_evidence: Path
    backup: Path


@dataclass
class Run:
    op: str
    vault: Path
    work: Path
    code: int
    result: dict[str, Any]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    root = tmp_path_factory.mktemp("faults")
    folder = root / "vault"
    session, recovery = Session.create(folder, PASSPHRASE, PROFILE)
    with session:
        ids = [add_as_author(session, d).incident_id for d in example_data()]
        session.finalize(ids[0])
        session.addendum(ids[0], "Called back.", "Follow-up")
        session.backup(root / "good.albackup")
    evidence = root / "evidence.txt"
    evidence.write_bytes(os.urandom(20_000))
    big = root / "big-evidence.bin"
    big.write_bytes(os.urandom(3_000_000))  # beyond SQLite's page cache: spills mid-transaction
    return Base(folder, recovery, ids, check_vault(folder), evidence, big, root / "good.albackup")


def command(op: str, base: Base, vault: Path, work: Path) -> tuple[list[str], list[str]]:
    """CLI arguments and stdin lines for ``op``."""
    v = ["--vault", str(vault), "--passphrase-stdin"]
    table: dict[str, tuple[list[str], list[str]]] = {
        "add": ([*v, "add", "--from-json", str(EXAMPLE)], [PASSPHRASE]),
        "attach": ([*v, "attach", base.ids[1], str(base.evidence)], [PASSPHRASE]),
        "attach-big": ([*v, "attach", base.ids[1], str(base.big_evidence)], [PASSPHRASE]),
        "finalize": ([*v, "finalize", base.ids[2]], [PASSPHRASE]),
        "addendum": (
            [*v, "addendum", base.ids[0], "--text", "Late", "--reason", "R"],
            [PASSPHRASE],
        ),
        "change-passphrase": ([*v, "change-passphrase"], [PASSPHRASE, NEW_PASSPHRASE]),
        "new-recovery-key": ([*v, "new-recovery-key"], [PASSPHRASE]),
        "backup": ([*v, "backup", "--out", str(work / "out.albackup")], [PASSPHRASE]),
        "restore": (
            ["--vault", str(work / "restored"), "--passphrase-stdin", "restore", str(base.backup)],
            [PASSPHRASE],
        ),
        "init": ([*v, "init", "--name", "Jamie Ortiz", "--role", "navigator"], [PASSPHRASE]),
        "export": (
            [*v, "export", base.ids[0], "--kind", "record", "--out", str(work)],
            [PASSPHRASE],
        ),
    }
    return table[op]


# Found by this sweep: reading the program's own bundled resources failed with a crash
# report instead of a one-line error (the sweep reads them before arming faults:
# writer.py, warm_resources).
def test_an_unreadable_password_blocklist_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assister_log import passphrase

    passphrase.blocklist.cache_clear()
    monkeypatch.setattr(passphrase, "resource", lambda *parts: tmp_path)  # a folder: EISDIR
    try:
        with pytest.raises(KnownError):
            passphrase.require_acceptable("a perfectly long passphrase here")
    finally:
        passphrase.blocklist.cache_clear()


def test_an_unreadable_font_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assister_log.reports import fonts

    monkeypatch.setattr(fonts, "_registered", False)
    monkeypatch.setattr(fonts, "resource", lambda *parts: tmp_path / "missing.ttf")
    with pytest.raises(KnownError):
        fonts.register_fonts()


def fresh(base: Base, root: Path, op: str) -> tuple[Path, Path]:
    shutil.rmtree(root, ignore_errors=True)
    work = root / "work"
    work.mkdir(parents=True)
    vault = root / "vault"
    if op != "init":
        shutil.copytree(base.folder, vault)
    return vault, work


def run_op(op: str, base: Base, root: Path, fault: list[str]) -> Run:
    vault, work = fresh(base, root, op)
    argv, lines = command(op, base, vault, work)
    stdin = [arg for line in lines for arg in ("--stdin-line", line)]
    writer = run_writer([*fault, "cli", *stdin, "--", *argv], fiu=True)
    assert writer.returncode == 0 and not writer.stderr, (op, fault, writer.stderr[-3000:])
    result = writer.result
    reports = [m for m in writer.messages if m["t"] == "crash-report"]
    assert result["unexpected"] is None, (op, fault, reports[0]["text"] if reports else "")
    if result["code"] == 0:
        assert result["stderr"] == "", (op, fault, result["stderr"])
    else:
        assert result["code"] == 1, (op, fault, result)
        one_clear_line(result["stderr"])
    result["intent"] = writer.acks("intent")[0]
    return Run(op, vault, work, result["code"], result)


# ------------------------------------------------------------------ before / after states


def same_as_base(base: Base, vault: Path, secret: str = PASSPHRASE) -> None:
    checked = check_vault(vault, secret)
    assert checked.problems == [] and checked.records == base.checked.records


def state_after(run: Run, base: Base) -> str:
    """Assert the vault is in its before or after state; return which."""
    op, vault = run.op, run.vault
    if op == "init":
        if not (vault / "vault.key").exists():
            assert run.code == 1
            return "before"
        checked = check_vault(vault)
        assert checked.problems == [] and checked.records == {}
        return "after"
    if op == "change-passphrase":
        new = opens_with(vault, NEW_PASSPHRASE)
        assert new != opens_with(vault, PASSPHRASE), "exactly one passphrase must open"
        assert new or run.code == 1
        same_as_base(base, vault, NEW_PASSPHRASE if new else PASSPHRASE)
        return "after" if new else "before"
    if op == "new-recovery-key":
        new_key = run.result["intent"]["recovery"]
        new = opens_with(vault, new_key)
        assert new != opens_with(vault, base.recovery), "exactly one recovery key must open"
        assert new or run.code == 1
        same_as_base(base, vault)
        return "after" if new else "before"
    if op == "restore":
        same_as_base(base, vault)
        target = run.work / "restored"
        if target.exists() and any(target.iterdir()):
            same_as_base(base, target)
            return "after"
        assert run.code == 1
        return "before"
    checked = check_vault(vault)
    assert checked.problems == [], (op, checked.problems)
    records, old = checked.records, base.checked.records
    if op == "export":
        assert records == old
        visible = [p for p in run.work.iterdir() if not p.name.startswith(".")]
        if not visible:
            assert run.code == 1
            return "before"
        (pdf,) = visible
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf.name
        return "after"
    if op == "backup":
        assert records == old
        out = run.work / "out.albackup"
        visible = [p.name for p in run.work.iterdir() if not p.name.startswith(".")]
        assert visible in ([], ["out.albackup"]), visible
        if out.exists():
            assert verify_backup(out, PASSPHRASE) == len(old)
            return "after"
        assert run.code == 1
        return "before"
    if records == old:
        assert run.code == 1, (op, "exit 0 but nothing was saved")
        return "before"
    if op == "add":
        (new_id,) = set(records) - set(old)
        assert records[new_id]["narrative"] == json.loads(EXAMPLE.read_bytes())["narrative"]
        assert {k: records[k] for k in old} == old
        return "after"
    target = {"attach": 1, "attach-big": 1, "finalize": 2, "addendum": 0}[op]
    incident_id = base.ids[target]
    assert set(records) == set(old)
    assert {k: v for k, v in records.items() if k != incident_id} == {
        k: v for k, v in old.items() if k != incident_id
    }
    now, then = records[incident_id], old[incident_id]
    if op.startswith("attach"):
        assert len(now["attachments"]) == len(then["attachments"]) + 1
    elif op == "finalize":
        assert now["status"] == "finalized" and then["status"] == "draft"
    else:
        assert len(now["addenda"]) == len(then["addenda"]) + 1
    return "after"


def works_again(run: Run, base: Base, state: str, persistent: bool) -> None:
    """After a failure, the same work succeeds (no lock, temp file or state left in the way).
    Nothing to redo when the failure came after the work was done (state "after")."""
    if run.code == 0 or state == "after":
        return
    op, vault = run.op, run.vault
    if op == "init":
        if (vault / "vault.db").exists():
            # The disk kept failing, so even removing the half-made database failed. It is
            # never overwritten (it could be a vault whose key file was lost): a clear refusal.
            assert persistent
            with pytest.raises(VaultExists):
                Session.create(vault, PASSPHRASE, PROFILE)
            shutil.rmtree(vault)
        Session.create(vault, PASSPHRASE, PROFILE)[0].close()
        return
    if op == "restore":
        target = run.work / "restored"
        assert restore(base.backup, target, PASSPHRASE) == len(base.checked.records)
        return
    secret = NEW_PASSPHRASE if opens_with(vault, NEW_PASSPHRASE) else PASSPHRASE
    with Session.unlock(vault, secret) as session:
        actions: dict[str, Callable[[], Any]] = {
            "add": lambda: session.add_from_json_file(EXAMPLE),
            "attach": lambda: session.attach_file(base.ids[1], base.evidence),
            "attach-big": lambda: session.attach_file(base.ids[1], base.big_evidence),
            "finalize": lambda: (
                session.finalize(base.ids[2])
                if session.get(base.ids[2]).status == "draft"
                else None
            ),
            "addendum": lambda: session.addendum(base.ids[0], "Late", "R"),
            "change-passphrase": lambda: session.change_passphrase(NEW_PASSPHRASE),
            "new-recovery-key": session.new_recovery_key,
            "backup": lambda: session.backup(run.work / "again.albackup"),
            "export": lambda: export_pdf(session, base.ids[0], "record", run.work),
        }
        actions[op]()
    if op == "change-passphrase":
        secret = NEW_PASSPHRASE
    assert check_vault(vault, secret).problems == []


OPS = [
    "add",
    "attach",
    "finalize",
    "addendum",
    "change-passphrase",
    "new-recovery-key",
    "backup",
    "restore",
    "init",
    "export",
]


def points(calls: int, wanted: int, rng: random.Random) -> list[int]:
    """Every N from 1 to ``calls`` when ``wanted`` covers them, else an even spread."""
    if wanted >= calls:
        return list(range(1, calls + 1))
    step = calls / wanted
    return sorted(
        {min(calls, int(i * step) + rng.randint(1, max(1, int(step)))) for i in range(wanted)}
    )


@pytest.mark.slow
@needs_fiu
@pytest.mark.parametrize("op", [*OPS, "attach-big"])
def test_failing_io_at_every_call(op: str, base: Base, tmp_path: Path) -> None:
    rng = random.Random(op)
    started = time.monotonic()
    counted = run_op(op, base, tmp_path / "count", ["--fault", "count"])
    assert counted.code == 0, counted.result
    assert state_after(counted, base) == "after"
    calls = int(counted.result["count"])
    per_mode = trials(ci=6, full=10_000) if op != "attach-big" else trials(ci=3, full=120)
    outcomes: dict[str, int] = {}
    runs = 0
    for mode in (["--errno", "EIO"], ["--errno", "ENOSPC", "--transient"]):
        for at in points(calls, per_mode, rng):
            run = run_op(op, base, tmp_path / "run", ["--fault", "fail", "--at", str(at), *mode])
            state = state_after(run, base)
            works_again(run, base, state, persistent=mode[1] == "EIO")
            key = f"{mode[1]} exit {run.code} {state}"
            outcomes[key] = outcomes.get(key, 0) + 1
            runs += 1
    print(
        f"\n{op}: {calls} I/O calls, {runs} faulty runs {outcomes}, {time.monotonic() - started:.1f} s"
    )


@pytest.mark.slow
@needs_fiu
def test_random_write_and_fsync_failures_with_fiu_run(base: Base, tmp_path: Path) -> None:
    """The real CLI under ``fiu-run -x -c 'enable_random …'``: pwrite (only SQLite uses it) and
    fsync fail at random; stderr's own writes are not touched, so the message is visible."""
    assert FIU_RUN is not None
    runs = trials(ci=20, full=200)
    rng = random.Random(5)
    failed = 0
    for i in range(runs):
        vault, work = fresh(base, tmp_path / "r", "add")
        probability = rng.choice([0.02, 0.05, 0.2])
        argv, _lines = command(
            rng.choice(["add", "finalize", "addendum", "backup"]), base, vault, work
        )
        result = subprocess.run(
            [
                FIU_RUN,
                "-x",
                "-f",
                "",
                "-c",
                f"enable_random name=posix/io/rw/pwrite,probability={probability},failinfo=5",
                "-c",
                f"enable_random name=posix/io/sync/fsync,probability={probability},failinfo=28",
                sys.executable,
                str(CLI),
                *argv,
            ],
            input=PASSPHRASE + "\n",
            capture_output=True,
            text=True,
            env=child_env(FIU_PRNG_SEED=str(i)),
            timeout=60,
        )
        if result.returncode:
            failed += 1
            assert result.returncode == 1, result.stderr
            one_clear_line(result.stderr)
        checked = check_vault(vault)
        assert checked.problems == [] and set(checked.records) >= set(base.checked.records)
    print(f"\nfiu-run enable_random: {runs} runs, {failed} failed cleanly")
    assert 0 < failed < runs


# ------------------------------------------------------------------------------ disk full


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small filesystem needs root (mount -t tmpfs); the ENOSPC sweep covers it")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({done.stderr.strip()}); the ENOSPC sweep covers it"
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(mount: Path, leave: int) -> Path:
    """Fill the filesystem, leaving about ``leave`` bytes free."""
    filler = mount / "filler"
    free = shutil.disk_usage(mount).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.slow
def test_disk_full_fails_cleanly_and_recovers(small_disk: Path, tmp_path: Path) -> None:
    vault = small_disk / "vault"
    data = example_data()
    session, _recovery = Session.create(vault, PASSPHRASE, PROFILE)
    with session:
        ids = [add_as_author(session, d).incident_id for d in data]
        session.finalize(ids[0])
    big = tmp_path / "evidence.bin"
    big.write_bytes(os.urandom(400_000))
    steps = [
        ("add", None, ["add", "--from-json", str(EXAMPLE)], PASSPHRASE),
        ("attach", ids[1], ["attach", ids[1], str(big)], PASSPHRASE),
        (
            "addendum",
            ids[0],
            ["addendum", ids[0], "--text", "x" * 5000, "--reason", "r"],
            PASSPHRASE,
        ),
        ("backup", None, ["backup", "--out", str(small_disk / "b.albackup")], PASSPHRASE),
        ("change-passphrase", None, ["change-passphrase"], f"{PASSPHRASE}\n{PASSPHRASE}"),
        ("list", None, ["list"], PASSPHRASE),
    ]
    outcomes: dict[str, int] = {}
    levels = trials(ci=6, full=40)
    for level in range(levels):
        before = check_vault(vault).records
        filler = fill(small_disk, int(level * 300_000 / levels))
        touched: set[str] = set()
        for name, target, argv, stdin in steps:
            result = subprocess.run(
                [sys.executable, str(CLI), "--vault", str(vault), "--passphrase-stdin", *argv],
                input=stdin + "\n",
                capture_output=True,
                text=True,
                env=child_env(),
                timeout=60,
            )
            if result.returncode:
                line = one_clear_line(result.stderr)
                assert "full" in line or "disk" in line, line
            elif target:
                touched.add(target)
            key = f"{name} {'ok' if result.returncode == 0 else 'failed cleanly'}"
            outcomes[key] = outcomes.get(key, 0) + 1
            (small_disk / "b.albackup").unlink(missing_ok=True)
        filler.unlink()  # space freed: everything earlier is there, and saving works again
        checked = check_vault(vault)
        assert checked.problems == []
        assert set(before) <= set(checked.records)
        for incident_id, record in before.items():
            if incident_id not in touched:
                assert checked.records[incident_id] == record, incident_id
        with Session.unlock(vault, PASSPHRASE) as session:
            session.add_from_data(data[0])
    print(f"\ndisk full: {levels} fill levels, {dict(sorted(outcomes.items()))}")
    assert any("failed" in k for k in outcomes), "the disk never filled: nothing was tested"
