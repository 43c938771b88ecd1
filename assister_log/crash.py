"""Crash reports that help fix a bug without carrying record data.

A report holds the program version, the platform, the exception's *type* and the stack
(file, line, function, code line). It never holds the exception's message or local
variables: either may contain a consumer's name or a quote.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assister_log import __version__

if TYPE_CHECKING:
    from types import TracebackType

# platform, traceback, datetime and tempfile are imported where a report is made: this
# module loads at every start, and the unlock window should not wait for them.

CRASH_DIR_ENV = "ASSISTER_LOG_CRASH_DIR"


def disable_core_dumps() -> None:
    """A core dump would hold the data key and decrypted records."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on Windows
        pass


PR_SET_DUMPABLE = 4


def disable_dumpable() -> bool:
    """Linux: clear the process's dumpable flag (``prctl(PR_SET_DUMPABLE, 0)``), so no core
    dump is written even if the limit is raised, and other processes of the same user cannot
    ptrace it or read its memory through /proc/PID/mem. A no-op elsewhere (macOS and Windows
    have no such flag; RLIMIT_CORE covers macOS). Returns True when the flag was cleared."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        return False


def _platform() -> str:
    import platform

    # Not platform.platform(): on Linux it starts ``uname -p`` in a subprocess, which can
    # itself fail (and raise) in the failing situation the report is about.
    try:
        return f"{platform.system()} {platform.release()} {platform.machine()}"
    except Exception:  # pragma: no cover - platform data is best effort
        return "unknown platform"


def format_report(
    exc_type: type[BaseException], tb: TracebackType | None, *, where: str = ""
) -> str:
    import platform
    import traceback
    from datetime import UTC

    from assister_log import clock

    lines = [
        f"Assister Log {__version__} crash report",
        f"time: {clock.now().astimezone(UTC).isoformat(timespec='seconds')}",
        f"python: {platform.python_version()} on {_platform()}",
        f"where: {where or 'main'}",
        f"error type: {exc_type.__module__}.{exc_type.__qualname__}",
        "stack (innermost last; messages and variables are left out on purpose):",
    ]
    for frame in traceback.extract_tb(tb):
        filename = frame.filename
        marker = f"{os.sep}assister_log{os.sep}"
        if marker in filename:
            filename = "assister_log" + os.sep + filename.split(marker, 1)[1]
        else:
            filename = Path(filename).name
        lines.append(f"  {filename}:{frame.lineno} in {frame.name}")
        if frame.line:
            lines.append(f"      {frame.line.strip()}")
    return "\n".join(lines) + "\n"


def crash_dir() -> Path:
    override = os.environ.get(CRASH_DIR_ENV)
    if override:
        return Path(override)
    from assister_log.paths import portable_crash_dir

    portable = portable_crash_dir()
    if portable is not None:
        return portable
    if os.environ.get("ASSISTER_LOG_TESTING") == "1":
        import tempfile

        return Path(tempfile.gettempdir()) / "assister-log-test-crashes"
    import platformdirs

    return Path(platformdirs.user_log_dir("AssisterLog", appauthor=False))


def save_report(text: str) -> Path | None:
    """Write the report (0600) and return its path, or None if it cannot be written."""
    from datetime import UTC

    from assister_log import clock

    try:
        folder = crash_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{clock.now().astimezone(UTC).strftime('%Y%m%dT%H%M%S%f')}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    except OSError:
        return None


def report_unexpected(exc: BaseException, *, where: str = "") -> tuple[str, Path | None]:
    text = format_report(type(exc), exc.__traceback__, where=where)
    return text, save_report(text)


def install_excepthook() -> None:
    """Last resort for the CLI: one line on stderr, the report saved, no traceback."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.stderr.write("assister-log: interrupted\n")
            return
        if issubclass(exc_type, BrokenPipeError):
            # Whoever read our output stopped (``list | head``): not a bug, nothing to report.
            # Point stdout at devnull so the interpreter's final flush stays quiet too.
            from contextlib import suppress

            with suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        try:
            path = save_report(format_report(exc_type, tb))
        except Exception:  # the hook must never print a traceback of its own
            path = None
        where = f" A report without record data is in {path}." if path else ""
        sys.stderr.write(
            f"assister-log: unexpected error ({exc_type.__name__}); nothing was half-written.{where}\n"
        )

    sys.excepthook = hook
