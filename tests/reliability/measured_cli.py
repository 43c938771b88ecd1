"""The test CLI (tests/support/insecure_kdf_cli.py) that, on exit, writes its own peak resident
memory (VmHWM from /proc/self/status, in KiB) to the file named by ASSISTER_LOG_HWM_FILE.

``ru_maxrss`` from wait4 cannot be used: Linux carries the high-water mark across exec, so a
child forked from pytest starts at pytest's size. VmHWM belongs to the new program only."""

import atexit
import os
import runpy
from pathlib import Path

CLI = Path(__file__).resolve().parents[1] / "support" / "insecure_kdf_cli.py"


def _report() -> None:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                Path(os.environ["ASSISTER_LOG_HWM_FILE"]).write_text(line.split()[1])


atexit.register(_report)
runpy.run_path(str(CLI), run_name="__main__")
