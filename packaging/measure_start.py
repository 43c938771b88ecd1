"""Time the frozen app's start: spawn to the unlock window shown, and spawn to --version done.

    python3 packaging/measure_start.py [--bundle dist/assister-log] [--runs 7] [--json]
    python3 packaging/measure_start.py --source .venv/bin/python    (same, from the source tree)

No hook in the app is needed: the frozen program runs unchanged under the offscreen platform
with Qt's own ``qt.widgets.painting`` debug log switched on, and "shown" is the moment Qt
logs that it flushed the first painted frame of a top-level window to the screen (for the
unlock window: ``Flushing QRegion(...) of UnlockWindow(...)``). The vault it opens is
created first with the frozen ``init``. Each run is a fresh process; the first run after a
build is reported apart (cold file cache), the figure is the median of the rest.
Only the standard library is used, so any python3 can run it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLUSH = re.compile(r"Flushing QRegion\(.*\) of (\w+)\(0x")
PASSPHRASE = "measure start passphrase 2024"
TIMEOUT_S = 60.0


def env_for(tmp: Path, vault: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTER_LOG_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp / "home"),
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_STATE_HOME=str(tmp / "state"),
        ASSISTER_LOG_CRASH_DIR=str(tmp / "crash"),
    )
    if vault is not None:
        env["ASSISTER_LOG_HOME"] = str(vault)
    return env


def version_ms(exe: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*exe, "--version"], env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def window_ms(exe: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Spawn the GUI and wait for the first flushed frame of a top-level window."""
    env = dict(env, QT_LOGGING_RULES="qt.widgets.painting.debug=true")
    start = time.perf_counter()
    child = subprocess.Popen(
        exe,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    assert child.stderr is not None
    tail: list[str] = []
    try:
        for line in child.stderr:
            match = FLUSH.search(line)
            if match:
                return (time.perf_counter() - start) * 1000, match.group(1)
            tail = [*tail[-20:], line.rstrip()]
            if time.perf_counter() - start > TIMEOUT_S:
                break
        raise RuntimeError("no window was shown; last output:\n" + "\n".join(tail))
    finally:
        child.kill()
        child.wait(timeout=30)


def summary(samples: list[float]) -> dict[str, float]:
    rest = samples[1:] or samples
    return {
        "first_ms": round(samples[0], 1),
        "median_ms": round(statistics.median(rest), 1),
        "min_ms": round(min(rest), 1),
        "runs": len(samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", default="dist/assister-log")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--source",
        metavar="PYTHON",
        help="time `PYTHON -m assister_log` (the source tree) instead, for comparison",
    )
    parser.add_argument(
        "--require-window",
        action="store_true",
        help="exit 1 unless the unlock window was shown (a functional check of the bundle)",
    )
    args = parser.parse_args(argv)
    if args.source:
        exe = [args.source, "-m", "assister_log"]
        what = f"source tree ({args.source} -m assister_log)"
    else:
        program = Path(args.bundle) / ("assister-log.exe" if os.name == "nt" else "assister-log")
        if not program.exists():
            print(f"measure_start: no {program}: run packaging/build.sh first", file=sys.stderr)
            return 1
        exe = [str(program)]
        what = f"frozen {args.bundle}"
    result: dict[str, object] = {"measured": what}
    with tempfile.TemporaryDirectory(prefix="assister-log-start-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "home").mkdir()
        env = env_for(tmp)
        result["version"] = summary([version_ms(exe, env) for _ in range(args.runs)])
        vault = tmp / "vault"
        made = subprocess.run(
            [
                *exe,
                "--vault",
                str(vault),
                "--passphrase-stdin",
                "init",
                "--name",
                "Start Timer",
                "--role",
                "navigator",
            ],
            input=f"{PASSPHRASE}\n{PASSPHRASE}\n",
            env=env,
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            result["unlock_window"] = f"skipped: init failed: {made.stderr.strip()}"
        else:
            try:
                samples, windows = [], set()
                for _ in range(args.runs):
                    ms, window = window_ms(exe, env_for(tmp, vault))
                    samples.append(ms)
                    windows.add(window)
                result["unlock_window"] = {**summary(samples), "window": sorted(windows)}
            except RuntimeError as error:
                result["unlock_window"] = f"not measured: {error}"
    if args.json:
        print(json.dumps(result))
    else:
        print(f"start of the {what} (offscreen, {args.runs} runs, median of runs 2..n):")
        for key, label in (("version", "--version"), ("unlock_window", "to unlock window shown")):
            value = result[key]
            if isinstance(value, dict):
                extra = f" [{', '.join(value['window'])}]" if "window" in value else ""
                print(
                    f"  {label:<24} median {value['median_ms']:7.1f} ms  min "
                    f"{value['min_ms']:7.1f} ms  first (cold) {value['first_ms']:7.1f} ms{extra}"
                )
            else:
                print(f"  {label:<24} {value}")
    if args.require_window:
        shown = result["unlock_window"]
        if not (isinstance(shown, dict) and "UnlockWindow" in shown["window"]):
            print("measure_start: the frozen app did not show its unlock window", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
