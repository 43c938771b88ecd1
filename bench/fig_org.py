"""The organisation hand-off figures of issue 15: send of 1,000 queued envelopes by one
navigator, and import of 10,000 envelopes from 50 authors into an organisation vault, with
the import's rate and peak memory.

``python -m bench.fig_org [--authors 50 --per-author 200]`` builds the navigators' vaults
(synthetic finalized records, bench/synth.py, sealed by the app's own code through
bench/bulk.py), joins each to one organisation whose destination is a local folder, sends
every queue (the first author's send is the timed "send" figure, scaled to 1,000), then runs
``org import`` in a fresh child process of the real CLI and reads its own peak resident
memory (VmHWM, via tests/reliability/measured_cli.py). ``python -m bench --only org`` runs a
small version (5 authors x 40) so the runner stays quick; the README of bench/ and
docs/performance.md quote the full one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench import vaults
from bench.core import Row, Target

ROOT = Path(__file__).resolve().parent.parent
MEASURED_CLI = ROOT / "tests" / "reliability" / "measured_cli.py"
SEND_COUNT = 1_000
SEND_FIGURE = "org send: 1,000 queued envelopes (folder destination)"
IMPORT_FIGURE = "org import: time per envelope"
MEMORY_FIGURE = "org import: peak RSS"
# Floors chosen from what a working day needs, not measured here: a navigator's year of
# records (~1,000) sent in under 5 minutes; an organisation importing a year of 50
# navigators' records (10,000) at 10 a second or more, in at most 300 MB.
SEND_TARGET = Target(absolute=300_000)
IMPORT_TARGET = Target(absolute=100)  # ms per envelope: 10 a second
MEMORY_TARGET_MB = 300


def _navigator(folder: Path, index: int, records: int, profile_data: bytes) -> None:
    from assister_log.domain.model import Profile, Role
    from assister_log.domain.serialization import parse_new_incident
    from assister_log.services import org
    from assister_log.services.session import Session
    from assister_log.services.settings import DEFAULT_ATTESTATION
    from bench.bulk import insert_many
    from bench.synth import ASSISTERS, SITES, RecordMaker

    profile = Profile(
        f"{ASSISTERS[index % len(ASSISTERS)]} {index}",
        Role.NAVIGATOR,
        f"NAV-{index:05d}",
        "Bench Org",
        SITES[index % len(SITES)],
    )
    staff = Profile(f"Staff {index}", Role.MNSURE_STAFF, f"MNS-{index:05d}", "MNsure", "St. Paul")
    session, _ = Session.create(folder, vaults.PASSPHRASE, profile, params=vaults.BENCH_KDF)
    maker = RecordMaker(seed=index + 1)
    with session:
        batch = []
        for _ in range(records):
            data = maker.make()
            recorded = datetime.fromisoformat(data["occurred_at"]) + timedelta(minutes=30)
            # The staff procedure is MNsure staff's only (policy.procedures).
            author = profile if data["procedure"] != "staff-call" else staff
            incident = parse_new_incident(
                data, incident_id=session.vault.new_id(), author=author, recorded_at=recorded
            )
            batch.append((incident, DEFAULT_ATTESTATION))
        insert_many(session.vault, batch)
        org.join(session, profile_data)


def _send(folder: Path) -> tuple[float, int]:
    from assister_log.services import org
    from assister_log.services.session import Session

    with Session.unlock(folder, vaults.PASSPHRASE) as session:
        start = time.perf_counter()
        report = org.send(session)
        return time.perf_counter() - start, report.sent


def build(work: Path, authors: int, per_author: int) -> tuple[Path, float, int]:
    """Organisation vault + share + navigators, every queue sent; returns the org vault,
    the first author's send time and how many it sent."""
    from assister_log.services import org

    share = work / "share"
    share.mkdir(parents=True)
    org_dir = work / "org"
    session, _ = org.create_organisation(
        org_dir,
        vaults.PASSPHRASE,
        "Bench Org",
        {"kind": "folder", "path": str(share)},
        params=vaults.BENCH_KDF,
    )
    with session:
        profile_data = org.profile_bytes(session)
    first_seconds, first_sent = 0.0, 0
    total = authors * per_author
    # The first author holds the send figure's 1,000 records (or a fair share of a small
    # run); the others share the rest, so the import still sees authors x per_author.
    first = min(SEND_COUNT, total - (authors - 1))
    rest = total - first
    for index in range(authors):
        folder = work / f"navigator-{index}"
        count = first if index == 0 else rest // (authors - 1) + (index <= rest % (authors - 1))
        _navigator(folder, index, count, profile_data)
        seconds, sent = _send(folder)
        if index == 0:
            first_seconds, first_sent = seconds, sent
        shutil.rmtree(folder)
        print(f"  author {index + 1}/{authors} sent {sent}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return org_dir, first_seconds, first_sent


def measured_import(org_dir: Path) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory() as scratch:
        hwm = Path(scratch) / "hwm"
        env = dict(os.environ, ASSISTER_LOG_TESTING="1", PYTHONPATH=str(ROOT))
        env.update(ASSISTER_LOG_PASSPHRASE=vaults.PASSPHRASE, ASSISTER_LOG_HWM_FILE=str(hwm))
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(MEASURED_CLI), "--vault", str(org_dir), "org", "import"],
            capture_output=True,
            text=True,
            env=env,
        )
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip() or result.stdout.strip())
        return seconds, int(hwm.read_text()) // 1024, result.stdout.strip().splitlines()[0]


def rows(authors: int, per_author: int) -> list[Row]:
    work = vaults.scratch("org")
    try:
        org_dir, send_seconds, sent = build(work, authors, per_author)
        import_seconds, peak_mb, line = measured_import(org_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = authors * per_author
    per_envelope_ms = send_seconds * 1000 / max(1, sent)
    rate = total / import_seconds
    return [
        Row(
            SEND_FIGURE,
            SEND_TARGET,
            per_envelope_ms * 1000,
            reps=1,
            note=f"scaled from {sent} sent in {send_seconds:.1f} s "
            f"({per_envelope_ms:.1f} ms each: bundle, verify, sign, age, fsync)",
        ),
        Row(
            IMPORT_FIGURE,
            IMPORT_TARGET,
            import_seconds * 1000 / total,
            reps=1,
            note=f"{total:,} envelopes from {authors} authors in {import_seconds:.1f} s, "
            f"{rate:.0f} a second (decrypt, verify, store, receipt); {line}",
        ),
        Row(
            MEMORY_FIGURE,
            Target(absolute=MEMORY_TARGET_MB),
            float(peak_mb),
            unit="MB",
            reps=1,
            note=f"child process VmHWM while importing {total:,} envelopes",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    from bench.core import table

    parser = argparse.ArgumentParser(prog="python -m bench.fig_org", description=__doc__)
    parser.add_argument("--authors", type=int, default=50)
    parser.add_argument("--per-author", type=int, default=200)
    args = parser.parse_args(argv)
    print(table(rows(args.authors, args.per_author)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
