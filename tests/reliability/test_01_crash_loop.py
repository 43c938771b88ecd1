"""Issue 5, test 1: a writer killed with SIGKILL at random points never costs an acknowledged
commit and never leaves a half-written one.

The writer (writer.py ``ops``) saves, edits, attaches, finalizes and adds addenda, and reports
each step before it starts (``begin``) and once it has returned (``ack``, with the digest of
the record as read back). Kill points alternate between a random time after a random number
of acknowledgements and, under libfiu, a random POSIX I/O call (every write, fsync, rename …
is a possible kill point). After each kill the vault must open; ``integrity_check`` and
``cipher_integrity_check`` are clean; the seal chain verifies; every acknowledged record is
there, byte for byte as acknowledged; the one step in flight is either wholly there or
wholly absent.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSPHRASE
from tests.reliability.support import (
    FIU_PRELOAD,
    FIU_RUN,
    check_vault,
    digest,
    make_vault,
    run_writer,
    trials,
)

FIU = FIU_RUN is not None and FIU_PRELOAD.exists()


def in_flight_is_whole(
    op: dict[str, Any], before: dict[str, Any] | None, after: dict[str, Any]
) -> bool:
    """The step that was running at the kill, as found after it: wholly done?"""
    marker = f"[{op['marker']}]"
    kind = op["op"]
    if kind == "add":
        return before is None and marker in after["narrative"]
    assert before is not None
    if kind == "edit":
        return after["narrative"] == f"{before['narrative']} {marker}"
    if kind == "attach":
        return len(after["attachments"]) == len(before["attachments"]) + 1
    if kind == "finalize":
        return after["status"] == "finalized" and after["seal"] is not None
    if kind == "addendum":
        added = after["addenda"][len(before["addenda"]) :]
        return len(added) == 1 and added[0]["text"] == f"Addendum {marker}" and added[0]["seal"]
    raise AssertionError(kind)


@pytest.mark.slow
def test_sigkill_at_random_points_loses_no_acknowledged_commit(tmp_path: Path) -> None:
    kills_wanted = trials(ci=40, full=250)
    saves_wanted = trials(ci=200, full=1250)
    folder = tmp_path / "vault"
    make_vault(folder)
    model = check_vault(folder).records
    rng = random.Random(20260501)
    kills = saves = in_flight_done = in_flight_absent = by_io = 0
    started = time.monotonic()
    while kills < kills_wanted or saves < saves_wanted:
        seed = rng.randrange(1 << 30)
        args = ["ops", "--vault", str(folder), "--secret", PASSPHRASE, "--seed", str(seed)]
        if FIU and kills % 2:
            # ~28 I/O calls per step: kill somewhere in the first ~12 steps.
            at = rng.randint(1, 340)
            run = run_writer(["--fault", "kill", "--at", str(at), *args], fiu=True)
            by_io += 1
        else:
            run = run_writer(
                args, kill_after_acks=rng.randint(0, 10), kill_delay=rng.uniform(0, 0.004)
            )
        assert run.killed, (run.returncode, run.stderr[-3000:])
        kills += 1
        acks = run.acks()
        saves += len(acks)
        for ack in acks:
            model[ack["id"]] = ack["record"]
        begins = run.acks("begin")
        assert len(begins) in (len(acks), len(acks) + 1), run.messages
        pending = begins[-1] if len(begins) > len(acks) else None

        checked = check_vault(folder)
        assert checked.integrity == ["ok"], (kills, checked.integrity)
        assert checked.problems == [], (kills, checked.problems)
        now = checked.records
        extra = set(now) - set(model)
        missing = set(model) - set(now)
        assert not missing, f"kill {kills}: acknowledged records missing: {missing}"
        changed = {i for i in model if digest(now[i]) != digest(model[i])}
        if pending is None:
            assert not extra and not changed, (kills, extra, changed)
        else:
            target = pending.get("id")
            assert len(extra) <= 1 and changed <= {target}, (kills, pending, extra, changed)
            assert not (extra and changed), (kills, pending)
            for i in extra | changed:
                before = model.get(i)
                assert in_flight_is_whole(pending, before, checked.records[i]), (kills, pending)
            if extra or changed:
                in_flight_done += 1
            else:
                in_flight_absent += 1
        model = now
    elapsed = time.monotonic() - started
    print(
        f"\ncrash loop: {kills} kills ({by_io} at an I/O call), {saves} acknowledged saves, "
        f"in flight at the kill: {in_flight_done} whole, {in_flight_absent} absent, "
        f"{len(model)} records, {elapsed:.1f} s"
    )
    assert kills >= kills_wanted and saves >= saves_wanted
