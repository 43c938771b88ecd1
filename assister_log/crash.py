"""What a crash, a dump or another program could take from the app's memory, kept out.

Crash reports help fix a bug without carrying record data: a report holds the program
version, the platform, the exception's *type* and the stack (file, line, function, code
line), never the exception's message or local variables (either may contain a consumer's
name or a quote). No core dumps, and the process is not dumpable or attachable
(``disable_dumpable``). In the desktop app freed heap memory is overwritten
(``harden_heap``), and after a lock whatever freed memory still holds is scrubbed
(``scrub_freed_memory``): docs/reliability.md, test 18.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
PT_DENY_ATTACH = 31  # macOS <sys/ptrace.h>

# Windows: a process DACL (SDDL) that lets SYSTEM and Administrators do anything, and the
# owner (OWNER RIGHTS, which replaces the owner's implicit READ_CONTROL and WRITE_DAC) only
# query it, wait for it and end it: no PROCESS_VM_READ, so another program of the same user
# cannot read the app's memory or write a dump of it. Not tested here (Linux only).
_WINDOWS_PROCESS_SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;0x00101001;;;OW)"


def disable_dumpable() -> bool:
    """Keep other programs of the same user out of the app's memory, as far as the platform
    allows. Returns True when the protection was applied.

    * Linux: clear the dumpable flag (``prctl(PR_SET_DUMPABLE, 0)``): no core dump even if
      the limit is raised, no ptrace and no /proc/PID/mem for processes of the same user
      (root still can).
    * macOS: ``ptrace(PT_DENY_ATTACH)``: debuggers cannot attach (RLIMIT_CORE covers dumps).
    * Windows: ``SetErrorMode`` without the fault dialog (no Windows Error Reporting prompt
      offering to send a dump) and the process DACL above (no PROCESS_VM_READ for the owner,
      so no memory reads or MiniDumpWriteDump by unelevated programs; elevated ones can).

    The macOS and Windows branches are not exercised by the test suite (Linux only)."""
    try:
        import ctypes

        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            return bool(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0)
        if sys.platform == "darwin":  # pragma: no cover - macOS
            libc = ctypes.CDLL(None, use_errno=True)
            return bool(libc.ptrace(PT_DENY_ATTACH, 0, None, 0) == 0)
        if sys.platform == "win32":  # pragma: no cover - Windows
            return _protect_windows_process(ctypes)
    except (OSError, AttributeError, ValueError):  # pragma: no cover - no such call here
        return False
    return False  # pragma: no cover - another platform


def _protect_windows_process(ctypes: Any) -> bool:  # pragma: no cover - Windows only
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
    sem_failcriticalerrors, sem_nogpfaulterrorbox = 0x0001, 0x0002
    kernel32.SetErrorMode(sem_failcriticalerrors | sem_nogpfaulterrorbox)
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    convert = advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW
    convert.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(wintypes.ULONG),
    ]
    convert.restype = wintypes.BOOL
    get_dacl = advapi32.GetSecurityDescriptorDacl
    get_dacl.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(wintypes.BOOL),
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(wintypes.BOOL),
    ]
    get_dacl.restype = wintypes.BOOL
    set_info = advapi32.SetSecurityInfo
    set_info.argtypes = [
        wintypes.HANDLE,
        ctypes.c_int,
        wintypes.DWORD,
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    set_info.restype = wintypes.DWORD
    descriptor = ctypes.c_void_p()
    if not convert(_WINDOWS_PROCESS_SDDL, 1, ctypes.byref(descriptor), None):
        return False
    try:
        present, defaulted = wintypes.BOOL(), wintypes.BOOL()
        dacl = ctypes.c_void_p()
        if not get_dacl(
            descriptor, ctypes.byref(present), ctypes.byref(dacl), ctypes.byref(defaulted)
        ):
            return False
        se_kernel_object = 6
        dacl_information, protected_dacl = 0x00000004, 0x80000000
        result = set_info(
            kernel32.GetCurrentProcess(),
            se_kernel_object,
            dacl_information | protected_dacl,
            None,
            None,
            dacl,
            None,
        )
        return bool(result == 0)
    finally:
        kernel32.LocalFree(descriptor)


# ------------------------------------------------------------ freed memory (issue 14)

M_PERTURB = -6  # glibc mallopt
_PERTURB_BYTE = 0xFF  # glibc fills freed blocks with 0xFF and new ones with 0x00 (value ^ 0xFF)


def _glibc() -> Any:
    """The C library when it is glibc (mallopt, malloc_trim), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it (musl: AttributeError)
    except (OSError, AttributeError):  # pragma: no cover - another C library
        return None
    return libc


def harden_heap() -> bool:
    """glibc: from now on every ``free`` overwrites the block (``mallopt(M_PERTURB)``), so
    what Qt, SQLite and Python's larger objects held (record text, decrypted pages) does not
    outlive its use in freed memory. Blocks glibc keeps in its per-thread cache (tcache, up
    to 1,032 bytes) are not overwritten on free; ``scrub_freed_memory`` clears those. New
    blocks are handed out zeroed, as fresh memory is. Returns True when set."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_PERTURB, _PERTURB_BYTE) == 1)


def scrub_freed_memory() -> dict[str, int]:
    """After the vault locked: overwrite what freed memory may still hold (issue 14, item 4).

    A Python ``str`` or ``bytes`` cannot be wiped in place, and once freed its bytes stay
    where they were until the block is reused. So: collect garbage, then fill every free
    block of Python's small-object allocator (pymalloc: objects up to 512 bytes, such as
    short strings, a passphrase, a name) with zeroed objects and free them again; zero this
    thread's glibc tcache; give free pages back (``malloc_trim(0)``). Worker threads must
    have ended (their tcache is overwritten as they exit, with ``harden_heap``). Returns
    counts for the record: blocks filled, tcache blocks zeroed, and whether pages were
    trimmed."""
    import gc

    gc.collect()
    filled = _fill_pymalloc()
    zeroed = trimmed = 0
    libc = _glibc()
    if libc is not None:
        zeroed = _zero_tcache(libc)
        trimmed = int(libc.malloc_trim(0))
    return {"pymalloc_blocks": filled, "tcache_blocks": zeroed, "trimmed": trimmed}


def _pymalloc_free_blocks() -> tuple[list[tuple[int, int]], int, int]:
    """((block size, free blocks) per size class, unused pools, pool size) from
    ``sys._debugmallocstats`` (it writes to the C stderr: read through a temp file)."""
    import re
    import tempfile

    debug_stats = getattr(sys, "_debugmallocstats", None)
    if debug_stats is None:  # pragma: no cover - not CPython
        return [], 0, 0
    with tempfile.TemporaryFile() as capture:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(capture.fileno(), 2)
            debug_stats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        text = capture.read().decode("ascii", "replace")
    classes = [
        (int(m.group(2)), int(m.group(5)))
        for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", text, re.M)
    ]
    unused = re.search(r"^(\d+) unused pools \* (\d+) bytes", text, re.M)
    if unused is None:
        return classes, 0, 0
    return classes, int(unused.group(1)), int(unused.group(2))


def _filler(block: int, i: int) -> object:
    """A new object that fills a pymalloc block of ``block`` bytes exactly, with zeros."""
    if block == 32:
        return (1 << 40) + i  # an int of two 30-bit digits: 32 bytes
    return bytes(block - 33)  # bytes: 33 bytes of header and terminator, then zeros


def _fill_pymalloc() -> int:
    classes, unused_pools, pool_size = _pymalloc_free_blocks()
    fillers: list[object] = []
    for block, free in classes:
        if block < 32:
            continue  # 16-byte blocks: too small to hold a key or a name
        fillers.extend(_filler(block, i) for i in range(free + free // 16 + 8))
    if unused_pools:
        # Empty pools keep what their blocks last held: take them all, as 512-byte blocks.
        fillers.extend(bytes(512 - 33) for _ in range(unused_pools * (pool_size // 512) + 8))
    count = len(fillers)
    del fillers
    return count


def _zero_tcache(libc: Any) -> int:
    """Take every block glibc's per-thread cache holds (sizes up to 1,032 bytes, 7 each),
    zero them and give them back."""
    import ctypes

    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    held = []
    try:
        for size in range(8, 1033, 8):
            for _ in range(8):
                block = libc.malloc(size)
                if block:
                    ctypes.memset(block, 0, size)
                    held.append(block)
    finally:
        for block in held:
            libc.free(block)
    return len(held)


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
