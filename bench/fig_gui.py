"""GUI figures, each sample in a fresh process (``bench.gui_probe``): start to the unlock
window, the list first shown, search-as-you-type and resident memory with 100k records."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from assister_log.clock import now
from assister_log.services.session import Session
from bench import vaults
from bench.core import Row, Target, has_module, skipped

ROOT = Path(__file__).resolve().parent.parent
START_TARGET = Target(ratio=1.3)
LIST_TARGET = Target(absolute=300)
TYPING_TARGET = Target(absolute=50)
MEMORY_TARGET = Target(absolute=150)
NO_GUI = "assister_log.ui.app (run_gui) does not exist yet (GUI issue)"


def probe(mode: str, home: Path | None = None) -> tuple[float, dict[str, object]]:
    """Wall time from spawning the process to its JSON line, and the line itself."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_PASSPHRASE=vaults.PASSPHRASE)
    env.pop("ASSISTER_LOG_TESTING", None)
    if home is not None:
        env["ASSISTER_LOG_HOME"] = str(home)
    log = vaults.CACHE / "gui_probe.log"  # Qt's offscreen warnings, tracebacks
    start = time.perf_counter()
    with (
        open(log, "a") as errors,
        subprocess.Popen(
            [sys.executable, "-m", "bench.gui_probe", mode],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        ) as child,
    ):
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - start
        child.wait(timeout=120)
    if not line:
        raise RuntimeError(f"gui_probe {mode} printed nothing (exit {child.returncode}); see {log}")
    result = json.loads(line)
    if "error" in result:
        raise RuntimeError(f"gui_probe {mode}: {result['error']}")
    return elapsed * 1000, result


def start(reps: int) -> Row:
    figure = "start to unlock window ready"
    if not has_module("assister_log.ui.app"):
        return skipped(figure, START_TARGET, NO_GUI)
    home = vaults.ensure(1_000)
    bare, app, windows = [], [], set()
    for _ in range(reps):  # interleaved, so drift affects both alike
        bare.append(probe("bare")[0])
        elapsed, result = probe("start", home)
        app.append(elapsed)
        windows.update(result.get("windows", []))
    return Row(
        figure,
        START_TARGET,
        statistics.median(app),
        statistics.median(bare),
        reps=reps,
        note=f"fresh process each, offscreen; first window(s): {', '.join(sorted(windows))}",
    )


def list_typing_memory(size: int, runs: int) -> list[Row]:
    label = f"{size // 1000}k"
    figures = (
        f"list first shown, {label} records",
        f"search-as-you-type per keystroke, {label}",
        f"resident memory with {label} records open in the GUI",
    )
    if not has_module("assister_log.ui.app"):
        return [
            skipped(figures[0], LIST_TARGET, NO_GUI),
            skipped(figures[1], TYPING_TARGET, NO_GUI),
            skipped(figures[2], MEMORY_TARGET, NO_GUI, unit="MB"),
        ]
    home = vaults.ensure(size)
    with Session.unlock(home, vaults.PASSPHRASE) as session:  # no backup reminder in the way
        session.vault.set_setting("last_verified_backup", now().isoformat())
    lists, keys, latency, rss, hwm, typed = [], [], [], [], [], 0
    for _ in range(runs):
        _, result = probe("list", home)
        lists.append(result["list_ms"])
        keys += result["keys_ms"]
        latency += result["latency_ms"]
        typed += result["typed"]
        rss.append(result["rss_mb"])
        hwm.append(result["hwm_mb"])
    bare = statistics.median(probe("bare")[1]["rss_mb"] for _ in range(3))
    key_row = (
        Row(
            figures[1],
            TYPING_TARGET,
            statistics.median(keys),
            reps=len(keys),
            note=f"UI-thread work per key that changed the list ({len(keys)} of {typed}): "
            f"key handling + count + first page repainted; max {max(keys):.0f} ms; key to "
            f"results shown (with the debounce) median {statistics.median(latency):.0f} ms",
        )
        if keys
        else skipped(figures[1], TYPING_TARGET, "no search field changed the list")
    )
    return [
        Row(
            figures[0],
            LIST_TARGET,
            statistics.median(lists),
            reps=runs,
            note="from Enter in the unlock window (Argon2id m=19 MiB t=1, ~25 ms, included) "
            "to the first page painted",
        ),
        key_row,
        Row(
            figures[2],
            MEMORY_TARGET,
            statistics.median(rss),
            bare,
            unit="MB",
            reps=runs,
            note=f"VmRSS after the list and typing; peak VmHWM {statistics.median(hwm):.0f} MB",
        ),
    ]
