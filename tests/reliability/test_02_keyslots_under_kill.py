"""Issue 5, test 2: a passphrase change, a recovery (recovery key → new passphrase) and a
recovery-key regeneration killed at any step leave a vault that exactly one of the old and
the new secret opens — never neither, never both — with every record intact.

Kill points: every POSIX I/O call of each kind of change in turn (libfiu counts them; the
writer SIGKILLs itself at call N: opening the key file, the database, writing the temp key
file, its fsync, the rename, the folder fsync, closing), plus kills at random times.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from assister_log.services.session import Session
from tests.conftest import PASSPHRASE, PROFILE, add_as_author
from tests.reliability.support import (
    check_vault,
    example_data,
    needs_fiu,
    opens_with,
    run_writer,
    trials,
)

KINDS = ("passphrase", "recover", "recovery")


class Secrets:
    def __init__(self, passphrase: str, recovery: str) -> None:
        self.passphrase, self.recovery = passphrase, recovery

    def settle(self, acks: list[dict[str, Any]], pending: dict[str, Any] | None) -> str:
        """Apply the acknowledged changes, then find which of old/new the vault takes."""
        for ack in acks:
            if ack["op"] == "recovery":
                self.recovery = ack["new"]
            else:
                self.passphrase = ack["new"]
        return "none" if pending is None else pending["op"]

    def exactly_one(self, folder: Path, old: str, new: str | None) -> str:
        candidates = [old] if new is None else [old, new]
        opening = [c for c in candidates if opens_with(folder, c)]
        assert len(opening) == 1, f"{len(opening)} of old/new open the vault"
        return opening[0]


def run_kill(folder: Path, secrets: Secrets, args: list[str], **kwargs: Any) -> str:
    run = run_writer(
        [
            *args,
            "keyslots",
            "--vault",
            str(folder),
            "--secret",
            secrets.passphrase,
            "--recovery",
            secrets.recovery,
            *kwargs.pop("extra", []),
        ],
        **kwargs,
    )
    assert run.killed, (run.returncode, run.stderr[-3000:])
    acks = run.acks()
    begins = run.acks("begin")
    pending = begins[-1] if len(begins) > len(acks) else None
    secrets.settle(acks, pending)
    new_pass = pending["new"] if pending and pending["op"] != "recovery" else None
    new_recovery = pending["new"] if pending and pending["op"] == "recovery" else None
    secrets.passphrase = secrets.exactly_one(folder, secrets.passphrase, new_pass)
    secrets.recovery = secrets.exactly_one(folder, secrets.recovery, new_recovery)
    return "in flight" if pending else "between steps"


@pytest.mark.slow
@needs_fiu
def test_keyslot_changes_killed_at_every_step_leave_old_or_new(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    session, recovery = Session.create(folder, PASSPHRASE, PROFILE)
    with session:
        for data in example_data():
            add_as_author(session, data)  # a staff call by MNsure staff
    before = check_vault(folder).records
    secrets = Secrets(PASSPHRASE, recovery)
    count = run_writer(
        [
            "--fault",
            "count",
            "keyslots",
            "--vault",
            str(folder),
            "--secret",
            secrets.passphrase,
            "--recovery",
            secrets.recovery,
            "--ops",
            "1",
            "--only",
            "passphrase",
        ],
        fiu=True,
    )
    assert count.returncode == 0, count.stderr
    secrets.passphrase = count.acks()[0]["new"]
    calls = count.result["count"]
    assert {"write", "fsync", "rename"} <= set(count.result["names"])
    # CI: one round (every I/O call of each kind once, plus a timed kill each); full: 4+.
    kills_wanted = max(trials(ci=0, full=300), len(KINDS) * (calls + 1))
    rng = random.Random(7)
    kills = 0
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    while kills < kills_wanted:
        for at in range(1, calls + 2):
            for kind in KINDS:
                extra = ["--only", kind, "--seed", str(kills), "--ops", "0"]
                if at == calls + 1:  # and one kill at a random time
                    outcome = run_kill(
                        folder,
                        secrets,
                        [],
                        extra=extra,
                        kill_after_acks=rng.randint(0, 3),
                        kill_delay=rng.uniform(0, 0.01),
                    )
                else:
                    outcome = run_kill(
                        folder, secrets, ["--fault", "kill", "--at", str(at)], extra=extra, fiu=True
                    )
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                kills += 1
        checked = check_vault(folder, secrets.passphrase)
        assert checked.problems == [] and checked.records == before
    elapsed = time.monotonic() - started
    checked = check_vault(folder, secrets.recovery)
    assert checked.problems == [] and checked.records == before
    print(f"\nkey slots: {kills} kills {outcomes}, {elapsed:.1f} s")
