"""Helpers shared by the reliability suite (issue 5).

Trial counts come from ``ASSISTER_LOG_TRIALS``: ``ci`` (the default, what CI runs) or
``full`` (the counts recorded in docs/reliability.md). Every vault here is a real SQLCipher
vault with test-sized Argon2 (tests/conftest.py); nothing in the store is mocked.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from assister_log.domain.serialization import incident_to_dict, loads_user_json
from assister_log.errors import KnownError
from assister_log.services.session import Session
from assister_log.storage.vault import Vault
from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE, ROOT, add_as_author

HERE = Path(__file__).resolve().parent
WRITER = HERE / "writer.py"
CLI = ROOT / "tests" / "support" / "insecure_kdf_cli.py"
FIU_RUN = shutil.which("fiu-run")
FIU_PRELOAD = Path("/usr/lib/fiu/fiu_posix_preload.so")
MODE = os.environ.get("ASSISTER_LOG_TRIALS", "ci")
if MODE not in ("ci", "full"):
    raise RuntimeError(f"ASSISTER_LOG_TRIALS must be 'ci' or 'full', not {MODE!r}")


def trials(ci: int, full: int) -> int:
    """The trial count for this run: ``ci`` in CI, ``full`` for the recorded local runs."""
    return full if MODE == "full" else ci


needs_fiu = pytest.mark.skipif(
    FIU_RUN is None or not FIU_PRELOAD.exists(),
    reason="libfiu (Debian fiu-utils, libfiu0) is not installed; scripts/setup.sh --test installs it",
)


def example_data() -> list[dict[str, Any]]:
    return [loads_user_json(p.read_bytes(), p.name) for p in sorted(EXAMPLES.glob("*.json"))]


def digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def records_of(vault: Vault) -> dict[str, dict[str, Any]]:
    """Every record as stored, by id (what a user would read back)."""
    return {i.incident_id: incident_to_dict(i) for i in vault.iter_incidents()}


def file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative names)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_vault(folder: Path, *, records: int = 3, finalize: int = 1) -> list[str]:
    """A closed vault with ``records`` drafts from the examples, the first ``finalize`` of them
    finalized (the first one also with an addendum)."""
    session, _recovery = Session.create(folder, PASSPHRASE, PROFILE)
    try:
        data = example_data()
        ids = [add_as_author(session, data[i % len(data)]).incident_id for i in range(records)]
        for n, incident_id in enumerate(ids[:finalize]):
            session.finalize(incident_id)
            if n == 0:
                session.addendum(incident_id, "Called back the next day.", "Follow-up")
    finally:
        session.close()
    return ids


@dataclass
class Checked:
    """What a check of a vault after a crash or fault found."""

    records: dict[str, dict[str, Any]]
    problems: list[str]
    integrity: list[str] = field(default_factory=list)


def check_vault(folder: Path, secret: str = PASSPHRASE) -> Checked:
    """Open, run both integrity checks and the seal chain, read every record back."""
    with Vault.open(folder, secret) as vault:
        integrity = [r[0] for r in vault.conn.execute("PRAGMA integrity_check").fetchall()]
        cipher = [r[0] for r in vault.conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        problems = vault.verify()
        fts = vault.conn.execute("SELECT count(*) FROM incidents_fts").fetchone()[0]
        count = vault.conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        if fts != count:
            problems.append(f"search index has {fts} rows for {count} records")
        return Checked(records_of(vault), problems, [*integrity, *cipher])


def opens_with(folder: Path, secret: str) -> bool:
    """True if ``secret`` opens the vault, False on a typed wrong-secret error."""
    from assister_log.errors import WrongSecret

    try:
        Vault.open(folder, secret).close()
    except WrongSecret:
        return False
    return True


# --------------------------------------------------------------------------- subprocesses


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ASSISTER_LOG_TESTING="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(ROOT),
        PYTHONFAULTHANDLER="",
    )
    env.pop("ASSISTER_LOG_PASSPHRASE", None)
    env.update(extra)
    return env


@dataclass
class WriterRun:
    returncode: int
    messages: list[dict[str, Any]]
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    def acks(self, kind: str = "ack") -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("t") == kind]

    @property
    def result(self) -> dict[str, Any]:
        found = [m for m in self.messages if m.get("t") == "result"]
        assert found, (self.returncode, self.stderr[-2000:])
        return found[-1]


def run_writer(
    args: list[str],
    *,
    fiu: bool = False,
    kill_after_acks: int | None = None,
    kill_delay: float = 0.0,
    stop: threading.Event | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> WriterRun:
    """Run tests/reliability/writer.py; its JSON messages come over a pipe (fd 3).

    ``kill_after_acks``: SIGKILL it ``kill_delay`` seconds after that many acknowledgements
    (time-based kill points); the writer can also kill itself at an I/O call (``--fault kill``).
    ``stop``: SIGKILL it once this event is set.
    ``fiu``: run it under ``fiu-run -x`` so libfiu's POSIX wrappers are in place.
    """
    read_fd, write_fd = os.pipe()
    cmd = [sys.executable, str(WRITER), "--msg-fd", str(write_fd), *args]
    if fiu:
        assert FIU_RUN is not None
        cmd = [FIU_RUN, "-x", "-f", "", *cmd]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_fd,),
        env=env or child_env(),
    )
    os.close(write_fd)
    messages: list[dict[str, Any]] = []
    enough = threading.Event()

    def reader() -> None:
        with os.fdopen(read_fd, "rb") as pipe:
            for line in pipe:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue  # a line cut by the kill
                messages.append(message)
                if (
                    kill_after_acks is not None
                    and sum(1 for m in messages if m.get("t") == "ack") >= kill_after_acks
                ):
                    enough.set()
        enough.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    if stop is not None:
        while proc.poll() is None and not stop.wait(0.005):
            pass
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
    if kill_after_acks is not None:
        enough.wait(timeout)
        if kill_delay:
            threading.Event().wait(kill_delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"writer hung for {timeout} s: {args}") from None
    thread.join(timeout)
    return WriterRun(
        proc.returncode, messages, out.decode(errors="replace"), err.decode(errors="replace")
    )


def run_cli(
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """The real CLI (test-sized KDF) in a subprocess with this suite's environment."""
    return subprocess.run(
        [sys.executable, str(CLI), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env or child_env(),
        timeout=timeout,
    )


def one_clear_line(stderr: str) -> str:
    """The single ``assister-log: ...`` line a failing command prints; never a traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("assister-log: "), stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr
    return lines[0]


def expect_known(fn: Any, *args: Any, **kwargs: Any) -> KnownError:
    """Call ``fn`` and return the KnownError it raised (fail on success or another error)."""
    try:
        fn(*args, **kwargs)
    except KnownError as error:
        return error
    raise AssertionError(f"{fn} did not raise a KnownError")


# --------------------------------------------------------------------------- file watching


class Watch:
    """Linux inotify on some folders: names of files created (or written) in them, even files
    that were deleted again at once — SQLite unlinks its temp files right after opening them."""

    IN_MODIFY, IN_CREATE, IN_MOVED_TO = 0x2, 0x100, 0x80

    def __init__(self, *folders: Path) -> None:
        import ctypes

        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self._folders: dict[int, Path] = {}
        for folder in folders:
            wd = self._libc.inotify_add_watch(
                self._fd, os.fsencode(folder), self.IN_CREATE | self.IN_MODIFY | self.IN_MOVED_TO
            )
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {folder}")
            self._folders[wd] = folder
        self.seen: list[str] = []

    def poll(self) -> list[str]:
        import struct

        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                return self.seen
            offset = 0
            while offset < len(data):
                wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = (
                    data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode(errors="replace")
                )
                self.seen.append(str(self._folders.get(wd, Path("?")) / name))
                offset += 16 + length

    def close(self) -> None:
        os.close(self._fd)


def entropy(data: bytes) -> float:
    """Shannon entropy in bits per byte."""
    import math
    from collections import Counter

    if not data:
        return 0.0
    total = len(data)
    return -sum(n / total * math.log2(n / total) for n in Counter(data).values())
