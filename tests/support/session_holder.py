"""A real process holding a vault open (test-sized Argon2), for the unclean-end tests:
SIGKILL it mid-session, or let it close cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from assister_log.storage import session_marker
from tests.conftest import PASSPHRASE, ROOT

HOLDER = """
import sys, time
from pathlib import Path
from assister_log.storage import kdf
kdf.enable_insecure_test_parameters()
from assister_log.services.session import Session
session = Session.unlock(Path(sys.argv[1]), sys.argv[2])
print("open", flush=True)
if sys.argv[3] == "close":
    session.close()
    print("closed", flush=True)
    sys.exit(0)
time.sleep(120)
"""

MARKER = session_marker.MARKER_FILE


def hold(folder: Path, how: str) -> subprocess.Popen[str]:
    """A real process with the vault open; ``how`` = "close" ends cleanly, "hold" waits."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), PASSPHRASE, how],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "open\n"
    return child


def killed_mid_session(folder: Path) -> int:
    child = hold(folder, "hold")
    marker = json.loads((folder / MARKER).read_text())
    assert set(marker) == {"pid", "started_at"} and marker["pid"] == child.pid  # nothing else
    assert (folder / MARKER).stat().st_mode & 0o777 == 0o600
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert child.stdout is not None
    child.stdout.close()
    return child.pid
