"""Synthetic vaults, built once through the real store's bulk path and cached in bench/.cache.

A vault is built in its own process (``python -m bench.vaults SIZE``), so nothing the builder
sets up leaks into the measuring process. The cache key is the record count plus
``GENERATOR_VERSION``: bump the version whenever ``synth`` or the build changes.

The synthetic vaults use the cheapest Argon2id settings a production key file accepts
(``kdf.MIN_MEMORY_KIB``, t=1, p=1, ~25 ms): test-sized ``kdf.TEST_PARAMS`` key files can only
be opened where ``enable_insecure_test_parameters()`` is on, and no measuring process turns
it on. The unlock figure uses its own vault with calibrated production settings.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from assister_log.storage.kdf import MIN_MEMORY_KIB, KdfParams

# 2: vaults at schema v2 (covering index, FTS prefixes); 3: staff calls by MNsure staff
GENERATOR_VERSION = 3
CACHE = Path(__file__).resolve().parent / ".cache"
PASSPHRASE = "violet tugboat measures quiet granite 1987"
BENCH_KDF = KdfParams(memory_kib=MIN_MEMORY_KIB, iterations=1, lanes=1)
FINALIZED_SHARE = 0.85
BATCH = 1_000


def vault_dir(size: int) -> Path:
    return CACHE / f"synthetic-{size}-g{GENERATOR_VERSION}" / "vault"


def ensure(size: int) -> Path:
    """The cached vault of ``size`` records, built first if missing (progress on stderr)."""
    folder = vault_dir(size)
    if not (folder.parent / "ready.json").is_file():
        print(f"building the {size:,}-record synthetic vault (cached afterwards)…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "bench.vaults", str(size)], check=True)
    return folder


def scratch(name: str) -> Path:
    """An empty folder under the cache (same disk as the vaults)."""
    path = CACHE / "scratch" / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def build(size: int) -> None:
    from assister_log.domain.model import Profile, Role
    from assister_log.domain.serialization import parse_new_incident
    from assister_log.services.session import Session
    from assister_log.services.settings import DEFAULT_ATTESTATION
    from bench.bulk import insert_many
    from bench.synth import RecordMaker

    folder = vault_dir(size)
    shutil.rmtree(folder.parent, ignore_errors=True)
    folder.parent.mkdir(parents=True)
    start = time.perf_counter()
    profile = Profile("Jamie Ortiz", Role.NAVIGATOR, "NAV-20931", "Northside Health Access")
    staff = Profile("Sam Lindqvist", Role.MNSURE_STAFF, "MNS-4471", "MNsure Contact Center")
    session, _recovery = Session.create(folder, PASSPHRASE, profile, params=BENCH_KDF)
    maker = RecordMaker()
    with session:
        vault = session.vault
        for first in range(0, size, BATCH):
            batch = []
            for _ in range(min(BATCH, size - first)):
                data = maker.make()
                recorded = datetime.fromisoformat(data["occurred_at"]) + timedelta(
                    minutes=maker.rng.randint(20, 600)
                )
                # The staff procedure is MNsure staff's only (policy.procedures).
                author = profile if data["procedure"] != "staff-call" else staff
                incident = parse_new_incident(
                    data, incident_id=vault.new_id(), author=author, recorded_at=recorded
                )
                final = maker.rng.random() < FINALIZED_SHARE
                batch.append((incident, DEFAULT_ATTESTATION if final else None))
            insert_many(vault, batch)
            print(f"  {first + len(batch):,}/{size:,}", file=sys.stderr, end="\r")
        vault.checkpoint()
    info = {
        "records": size,
        "generator": GENERATOR_VERSION,
        "build_seconds": round(time.perf_counter() - start, 1),
    }
    (folder.parent / "ready.json").write_text(json.dumps(info))
    print(f"\n  built in {info['build_seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    build(int(sys.argv[1]))
