"""18. Secrets in memory after lock (issue 14, item 4).

The real desktop app runs in a child process (``tests/support/gui_lock_driver.py``: started
through ``assister_log.__main__``, offscreen, test-sized Argon2). The passphrase is typed into
the unlock window, a draft holding unique canaries is opened in the editor, then the app
locks. Its memory is read through /proc/PID/maps and /proc/PID/mem before and after the lock.

Pass: after the lock, none of these is found anywhere in the process's data mappings: the
data key (raw, hex in either case), the vault's signing key (its scalar, big-endian and as
OpenSSL's little-endian words), the passphrase and
the record's canaries, each as UTF-8, UTF-16LE (Qt) and UTF-32LE (Python's widest strings).
Before the lock the canaries and the data key must be found: the scan can fail.

Linux only; needs root (the app clears its dumpable flag, so only a privileged reader may
open /proc/PID/mem: which is also what the test shows for everyone else).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assister_log.services.session import Session
from assister_log.storage import keyfile, signing
from tests.conftest import EXAMPLES, PROFILE, ROOT
from tests.support import memscan

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/PID/mem"),
    pytest.mark.skipif(
        os.geteuid() != 0, reason="reading a non-dumpable process's memory needs root"
    ),
]

DRIVER = ROOT / "tests" / "support" / "gui_lock_driver.py"


def _vault_with_canaries(folder: Path) -> tuple[str, str, str, str, bytes, bytes]:
    """A closed vault whose draft holds the canaries; (record id, passphrase, narrative
    canary, name canary, data key, signing key scalar)."""
    passphrase = f"lantern harbor {secrets.token_hex(6)} quietly"
    canary = f"KNRY{secrets.token_hex(8)}"
    name = f"NMCN{secrets.token_hex(8)}"
    session, _recovery = Session.create(folder, passphrase, PROFILE)
    data = json.loads((EXAMPLES / "inappropriate-interaction.json").read_text("utf-8"))
    data["narrative"] = f"The consumer said {canary} twice. " * 3
    data["party"]["name"] = name
    record_id = session.add_from_data(data).incident_id
    session.close()
    kf = keyfile.parse(keyfile.read(folder / "vault.key"))
    data_key = keyfile.unlock(kf, passphrase)[0]
    assert kf.signing is not None
    private = signing.unwrap(kf.vault_id, data_key, kf.signing)
    scalar = private.private_numbers().private_value.to_bytes(32, "big")
    return record_id, passphrase, canary, name, data_key, scalar


def _needles(
    passphrase: str, canary: str, name: str, data_key: bytes, scalar: bytes
) -> dict[str, bytes]:
    needles = {
        "data key (hex)": data_key.hex().encode(),
        "data key (HEX)": data_key.hex().upper().encode(),
        "data key (raw)": data_key,
        "signing key (raw)": scalar,
        "signing key (OpenSSL limbs)": scalar[::-1],  # a BIGNUM's words are little-endian
    }
    for label, text in (("passphrase", passphrase), ("canary", canary), ("name", name)):
        for encoding, form in memscan.encodings(text).items():
            needles[f"{label} ({encoding})"] = form
    return needles


def _expect(child: subprocess.Popen[bytes], prefix: str, timeout: float = 60) -> str:
    assert child.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = child.stdout.readline().decode()
        if not line:
            break
        if line.startswith(prefix):
            return line.strip()
        assert not line.startswith("error"), line
    raise AssertionError(f"the app never said {prefix!r} (exit {child.poll()})")


def _send(child: subprocess.Popen[bytes], line: str) -> None:
    assert child.stdin is not None
    child.stdin.write(line.encode() + b"\n")
    child.stdin.flush()


def test_no_key_passphrase_or_record_text_in_memory_after_lock(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    record_id, passphrase, canary, name, data_key, scalar = _vault_with_canaries(folder)
    needles = _needles(passphrase, canary, name, data_key, scalar)
    env = dict(os.environ, ASSISTER_LOG_TESTING="1", QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = str(ROOT)
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(folder), record_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    try:
        _send(child, passphrase)
        _opened, pid, dumpable = _expect(child, "opened").split()
        assert int(pid) == child.pid
        assert dumpable == "0", "the app must clear its dumpable flag at start"
        started = time.monotonic()
        before = memscan.scan(child.pid, needles)
        scan_seconds = time.monotonic() - started
        # the scan can fail: with the record open, its text and the key are there
        assert before.count("canary (utf-8)") + before.count("canary (utf-16le)") > 0
        assert before.count("name (utf-8)") + before.count("name (utf-16le)") > 0
        assert before.count("data key (raw)") > 0

        _send(child, "lock")
        scrubbed = _expect(child, "locked").split()[1:]
        assert scrubbed, "the app did not scrub its freed memory after the lock"
        after = memscan.scan(child.pid, needles)
        found = {name: after.where(name) for name in needles if after.count(name)}
        print(
            f"\nmemory scan: {after.scanned_bytes / 1e6:.0f} MB in {scan_seconds:.1f} s; "
            "before lock: "
            + ", ".join(f"{n} x{before.count(n)}" for n in needles if before.count(n))
            + f"; the app's scrub: {' '.join(scrubbed)}; after lock: {found or 'nothing'}"
        )
        assert found == {}, f"still in memory after lock: {found}"
        _send(child, "quit")
        assert child.wait(30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
