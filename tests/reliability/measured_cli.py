"""The test CLI (tests/support/insecure_kdf_cli.py) that, on exit, writes its own peak resident
memory (VmHWM from /proc/self/status, in KiB) to the file named by ASSISTER_LOG_HWM_FILE, and
its dumpable flag (``prctl(PR_GET_DUMPABLE)``: 0 or 1; /proc/PID/status has no such line on
this kernel) to ASSISTER_LOG_DUMPABLE_FILE when that is set.

``ru_maxrss`` from wait4 cannot be used: Linux carries the high-water mark across exec, so a
child forked from pytest starts at pytest's size. VmHWM belongs to the new program only."""

import atexit
import ctypes
import os
import runpy
from pathlib import Path

CLI = Path(__file__).resolve().parents[1] / "support" / "insecure_kdf_cli.py"


def _report() -> None:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                Path(os.environ["ASSISTER_LOG_HWM_FILE"]).write_text(line.split()[1])
    dumpable_file = os.environ.get("ASSISTER_LOG_DUMPABLE_FILE")
    if dumpable_file:
        pr_get_dumpable = 3
        flag = ctypes.CDLL(None, use_errno=True).prctl(pr_get_dumpable, 0, 0, 0, 0)
        Path(dumpable_file).write_text(str(flag))


atexit.register(_report)
runpy.run_path(str(CLI), run_name="__main__")
