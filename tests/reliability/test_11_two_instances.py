"""Issue 5, test 11: one writer per vault.

* While one process has the vault open and is saving, a second cannot open it — in-process
  (typed VaultLocked) or through the CLI (exit 1, one clear line) — and its attempt changes
  nothing; once the first is killed, the vault opens and verifies.
* Two processes racing for the vault, 1,000 attempts in all: each attempt either gets the
  vault (and saves a record) or a VaultLocked; afterwards the vault verifies and holds every
  acknowledged record exactly.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assister_log.errors import VaultLocked
from assister_log.services.session import Session
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.reliability.support import (
    WriterRun,
    check_vault,
    make_vault,
    one_clear_line,
    run_cli,
    run_writer,
    trials,
)


def test_a_second_process_cannot_open_a_vault_in_use(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    holder: list[WriterRun] = []
    stop = threading.Event()
    args = ["ops", "--vault", str(folder), "--secret", PASSPHRASE, "--ops", "0"]
    thread = threading.Thread(target=lambda: holder.append(run_writer(args, stop=stop)))
    thread.start()
    deadline = time.monotonic() + 30
    while not list(folder.glob("vault.db-wal")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # it is saving now
    with pytest.raises(VaultLocked) as caught:
        Session.unlock(folder, PASSPHRASE)
    assert "already open" in str(caught.value)
    for args in (["list"], ["add", "--from-json", str(EXAMPLES / "suspected-fraud.json")]):
        result = run_cli(
            "--vault", str(folder), "--passphrase-stdin", *args, stdin=PASSPHRASE + "\n"
        )
        assert result.returncode == 1
        assert "already open" in one_clear_line(result.stderr)
    stop.set()
    thread.join(60)
    run = holder[0]
    assert run.killed
    checked = check_vault(folder)  # the lock died with the process
    assert checked.problems == []
    last = {ack["id"]: ack["record"] for ack in run.acks()}
    begins = run.acks("begin")
    in_flight = begins[-1].get("id") if len(begins) > len(run.acks()) else None
    assert last and all(checked.records[i] == r for i, r in last.items() if i != in_flight)


@pytest.mark.slow
def test_a_thousand_interleaved_attempts_leave_it_uncorrupted(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    before = check_vault(folder).records
    attempts = trials(ci=1000, full=5000)
    runs: list[WriterRun] = []
    lock = threading.Lock()

    def contender(seed: int) -> None:
        run = run_writer(
            [
                "contend",
                "--vault",
                str(folder),
                "--secret",
                PASSPHRASE,
                "--seed",
                str(seed),
                "--attempts",
                str(attempts // 2),
            ],
            timeout=600,
        )
        with lock:
            runs.append(run)

    started = time.monotonic()
    threads = [threading.Thread(target=contender, args=(seed,)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(900)
    assert len(runs) == 2
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    results = [run.result for run in runs]
    locked = sum(r["locked"] for r in results)
    opened = sum(r["opened"] for r in results)
    assert locked + opened == attempts
    assert locked > 0 and all(r["opened"] > 0 for r in results), results
    for run in runs:
        for message in run.acks("locked"):
            assert "already open" in message["message"]
    checked = check_vault(folder)
    assert checked.problems == [] and checked.integrity == ["ok"]
    acked = {a["id"]: a["record"] for run in runs for a in run.acks()}
    assert len(acked) == opened
    assert checked.records == {**before, **acked}
    print(
        f"\ntwo instances: {attempts} attempts, {opened} opened and saved, {locked} refused "
        f"(VaultLocked), {time.monotonic() - started:.1f} s"
    )
