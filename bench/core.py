"""Timing helpers and the result table shared by every figure."""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def measure(fn: Callable[[], object], reps: int, warmup: int = 1) -> list[float]:
    """Run ``fn`` ``warmup`` times untimed, then ``reps`` times; seconds per run."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def paired(
    app: Callable[[], object], floor: Callable[[], object], reps: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Time a figure and its floor alternately, so load from elsewhere hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(reps):
        a += measure(app, 1, warmup)
        b += measure(floor, 1, warmup)
        warmup = 0
    return a, b


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


@dataclass(frozen=True)
class Target:
    """What a figure must meet: ``ratio`` to its floor, ``over`` the floor by at most that
    much, and/or an ``absolute`` ceiling (all in the row's unit)."""

    ratio: float | None = None
    over: float | None = None
    absolute: float | None = None
    strict: bool = False  # absolute is "<" rather than "≤"

    def text(self, unit: str) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}×")
        if self.over is not None:
            parts.append(f"≤ floor + {self.over:g} {unit}")
        if self.absolute is not None:
            parts.append(f"{'<' if self.strict else '≤'} {self.absolute:g} {unit}")
        return ", ".join(parts) or "—"

    def met(self, value: float, floor: float | None, excess: float | None = None) -> bool:
        """``excess``: the median of paired (figure - floor) differences, when measured so;
        steadier than the difference of the two medians when a slow floor (Argon2id) is noisy."""
        ok = True
        if self.ratio is not None:
            ok &= floor is not None and value <= self.ratio * floor
        if self.over is not None:
            if excess is None and floor is not None:
                excess = value - floor
            ok &= excess is not None and excess <= self.over
        if self.absolute is not None:
            ok &= value < self.absolute if self.strict else value <= self.absolute
        return ok


@dataclass(frozen=True)
class Row:
    figure: str
    target: Target
    value: float | None = None  # median
    floor: float | None = None  # median of the floor, same run
    unit: str = "ms"
    reps: int = 0
    note: str = ""  # "not measured: …" when value is None, else extra detail
    excess: float | None = None  # median of paired differences (see Target.met)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def result(self) -> str:
        if self.value is None:
            return self.note if self.note.startswith("not measured") else "not measured"
        return "PASS" if self.target.met(self.value, self.floor, self.excess) else "MISS"


def skipped(figure: str, target: Target, reason: str, unit: str = "ms") -> Row:
    return Row(figure, target, unit=unit, note=f"not measured: {reason}")


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table (printed, and pasted into docs/performance.md)."""
    lines = [
        "| figure | median | floor (same run) | ratio | target | n | result |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        lines.append(
            f"| {r.figure} | {_num(r.value, r.unit)} | {_num(r.floor, r.unit)} | {ratio} "
            f"| {r.target.text(r.unit)} | {r.reps or '—'} | {r.result} |"
        )
    notes = [f"- {r.figure}: {r.note}" for r in rows if r.note and r.value is not None]
    return "\n".join(lines + (["", *notes] if notes else []))


def has_module(name: str) -> bool:
    """Whether ``name`` can be imported (the GUI and PDF modules land in other issues)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
