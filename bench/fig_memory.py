"""Peak memory of backup and restore of a large vault (issue 14; target ≤ 200 MB for 1 GB).

``python -m bench.fig_memory [--gib 1.0]`` builds a vault of about that size (drafts with
64 MB attachments of random bytes, test-sized Argon2 so building is quick), then runs
``backup`` and ``restore`` each in a fresh child process of the real CLI and reads the
child's own peak resident memory (VmHWM, via tests/reliability/measured_cli.py; ``ru_maxrss``
would include the parent's size, which Linux carries across exec).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURED_CLI = ROOT / "tests" / "reliability" / "measured_cli.py"
PASSPHRASE = "correct horse battery staple"
TARGET_MB = 200


def build(folder: Path, gib: float) -> int:
    from assister_log.storage import kdf

    kdf.enable_insecure_test_parameters()
    from assister_log.domain.model import Profile, Role
    from assister_log.domain.serialization import loads_user_json
    from assister_log.services.session import Session

    example = loads_user_json((ROOT / "docs/examples/staff-call.json").read_bytes(), "example")
    profile = Profile("Bench", Role.MNSURE_STAFF, "B-1", "Bench", "Bench")  # a staff call's author
    session, _ = Session.create(folder, PASSPHRASE, profile)
    chunk = 64 * 1024 * 1024 - 1024
    count = max(1, round(gib * 1024**3 / chunk))
    try:
        for n in range(count):
            if n % 4 == 0:
                incident_id = session.add_from_data(example).incident_id
            session.attach_bytes(incident_id, f"scan-{n}.bin", os.urandom(chunk), "image/png")
    finally:
        session.close()
    return (folder / "vault.db").stat().st_size


def run(*args: str) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory() as scratch:
        hwm = Path(scratch) / "hwm"
        env = dict(os.environ, ASSISTER_LOG_TESTING="1", PYTHONPATH=str(ROOT))
        env.update(ASSISTER_LOG_PASSPHRASE=PASSPHRASE, ASSISTER_LOG_HWM_FILE=str(hwm))
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, str(MEASURED_CLI), *args], capture_output=True, text=True, env=env
        )
        seconds = time.monotonic() - start
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip())
        return seconds, int(hwm.read_text()) // 1024, result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fig_memory", description=__doc__)
    parser.add_argument("--gib", type=float, default=1.0, help="vault size to build")
    parser.add_argument("--dir", default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args(argv)
    work = Path(args.dir or tempfile.mkdtemp(prefix="assister-bench-mem-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        vault = work / "vault"
        t = time.monotonic()
        size = build(vault, args.gib)
        print(f"built {size / 1e6:,.0f} MB vault in {time.monotonic() - t:.0f} s", file=sys.stderr)
        backup_file = work / "vault.albackup"
        b_s, b_mb, _ = run("--vault", str(vault), "backup", "--out", str(backup_file))
        r_s, r_mb, _ = run("--vault", str(work / "restored"), "restore", str(backup_file))
        rows = [
            {"figure": "backup peak RSS", "vault_mb": round(size / 1e6), "seconds": round(b_s, 1),
             "peak_mb": b_mb, "target_mb": TARGET_MB, "result": "PASS" if b_mb <= TARGET_MB else "MISS"},
            {"figure": "restore peak RSS", "vault_mb": round(size / 1e6), "seconds": round(r_s, 1),
             "peak_mb": r_mb, "target_mb": TARGET_MB, "result": "PASS" if r_mb <= TARGET_MB else "MISS"},
        ]  # fmt: skip
        for row in rows:
            print(json.dumps(row))
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
