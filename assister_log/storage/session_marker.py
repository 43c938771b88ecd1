"""The session marker: ``vault.session`` exists in the vault folder while the vault is open.

It is written once the vault has opened (under the folder's lock) and removed when the vault
closes (lock, quit, the end of a command). Found at the next open, it means the last session
ended without closing: a kill, a crash, a power cut. The user is told so once; nothing is
lost but what was never saved, and ``verify`` can confirm it.

The marker holds the process id and the time the session began, nothing about the records.
It is advisory: a folder it cannot be written to (read-only medium, full disk) still opens.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assister_log import clock
from assister_log.errors import KnownError
from assister_log.storage import atomic

MARKER_FILE = "vault.session"
MAX_MARKER = 4096


@dataclass(frozen=True)
class UncleanEnd:
    """A session that did not close: when it began (None if its marker is unreadable)."""

    started_at: datetime | None
    pid: int | None


def begin(folder: Path) -> UncleanEnd | None:
    """Call with the folder's lock held: the previous session's marker, if it ended
    uncleanly, and this session's marker written in its place."""
    previous = _left_behind(folder / MARKER_FILE)
    body = {"pid": os.getpid(), "started_at": clock.now().astimezone(UTC).isoformat()}
    # Durable (fsync of the file and the folder): a power cut is the case to report.
    with suppress(KnownError, OSError):
        atomic.atomic_write_bytes(
            folder / MARKER_FILE, json.dumps(body).encode(), what="the session marker"
        )
    return previous


def end(folder: Path) -> None:
    """The session closed cleanly: remove the marker (before the lock is released)."""
    with suppress(OSError):
        (folder / MARKER_FILE).unlink(missing_ok=True)


def _left_behind(path: Path) -> UncleanEnd | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except OSError:
        return UncleanEnd(None, None)  # a link or unreadable: it is there, so report it
    try:
        raw = os.read(fd, MAX_MARKER)
    except OSError:
        raw = b""
    finally:
        os.close(fd)
    pid: int | None = None
    started: datetime | None = None
    with suppress(ValueError, TypeError, AttributeError, RecursionError):
        body = json.loads(raw)
        pid = body["pid"] if type(body.get("pid")) is int else None
        started = datetime.fromisoformat(body["started_at"])
    if pid is not None and _alive(pid):
        # The lock is held, so that process no longer has this vault open: it is this
        # process (an earlier session it dropped without closing) or the id was reused.
        # Reuse can hide a real unclean end; it cannot invent one.
        return None
    return UncleanEnd(started, pid)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        # os.kill(pid, 0) would terminate the process on Windows; the folder's lock is
        # what says the session is over.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return True


def describe(unclean: UncleanEnd, verify_hint: str) -> str:
    """The one line the user sees at the next open."""
    when = ""
    if unclean.started_at is not None:
        when = f" (it began {unclean.started_at.astimezone().strftime('%Y-%m-%d at %H:%M')})"
    return (
        f"The last session did not end cleanly{when}: your records are safe up to the "
        f"last save; {verify_hint}."
    )
