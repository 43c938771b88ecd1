"""The process protections and the freed-memory scrub (issue 14, item 4) as functions; the
end-to-end proof is tests/reliability/test_18_memory_after_lock.py."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from assister_log import crash

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux and glibc")


@linux
def test_disable_dumpable_clears_the_flag_in_a_fresh_process() -> None:
    code = (
        "import ctypes; from assister_log import crash\n"
        "libc = ctypes.CDLL(None)\n"
        "before = libc.prctl(3, 0, 0, 0, 0)\n"
        "done = crash.disable_dumpable()\n"
        "print(before, done, libc.prctl(3, 0, 0, 0, 0))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "True", "0"]


def test_the_windows_branch_fails_quietly_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crash.sys, "platform", "win32")
    assert crash.disable_dumpable() is False  # no WinDLL here: refused, never raised


@linux
def test_harden_heap_and_scrub_in_a_fresh_process() -> None:
    code = (
        "import json, time; from assister_log import crash\n"
        "hardened = crash.harden_heap()\n"
        "junk = [str(i) * 20 for i in range(50000)]; del junk[::2]\n"
        "t = time.perf_counter(); counts = crash.scrub_freed_memory()\n"
        "print(json.dumps([hardened, counts, time.perf_counter() - t]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    hardened, counts, seconds = json.loads(out.stdout)
    assert hardened is True
    assert counts["pymalloc_blocks"] >= 25000  # at least the freed strings' blocks
    assert counts["tcache_blocks"] == 129 * 8  # every tcache size, 8 blocks each
    assert counts["trimmed"] in (0, 1)
    assert seconds < 1.0
    assert out.stderr == ""  # the allocator statistics never reach the real stderr


def test_scrub_runs_in_this_process_without_harm() -> None:
    started = time.perf_counter()
    counts = crash.scrub_freed_memory()
    assert time.perf_counter() - started < 2.0
    assert set(counts) == {"pymalloc_blocks", "tcache_blocks", "trimmed"}
