"""``python -m bench [--quick] [--only TEXT]``: measure every figure of issue 7 beside its
floor and print a table of medians, ratios, targets and PASS/MISS.

Exit status: 0 whether figures pass or miss (timings are never asserted); 1 only when a figure
could not run because of an error (a broken runner), so CI notices.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from bench import machine
from bench.core import Row, Target, skipped, table


@dataclass(frozen=True)
class Sizes:
    small: int  # save, backup, unlock
    search: tuple[int, ...]
    big: int  # GUI list, typing, memory
    fast_reps: int
    slow_reps: int
    org: tuple[int, int]  # authors, records each


FULL = Sizes(
    small=10_000, search=(10_000, 100_000), big=100_000, fast_reps=25, slow_reps=5, org=(10, 100)
)
QUICK = Sizes(small=1_000, search=(1_000,), big=1_000, fast_reps=5, slow_reps=3, org=(3, 20))


def _label(n: int) -> str:
    return f"{n // 1000}k"


def figures(s: Sizes) -> list[tuple[str, Callable[[], list[Row]]]]:
    from bench import (
        fig_evidence,
        fig_gui,
        fig_long_record,
        fig_org,
        fig_pdf,
        fig_storage,
        fig_unlock,
    )

    out: list[tuple[str, Callable[[], list[Row]]]] = [
        ("start", lambda: [fig_gui.start(s.fast_reps // 2 or 1)]),
        ("unlock", lambda: [fig_unlock.unlock(s.small, s.fast_reps // 2 + 1)]),
        ("save", lambda: fig_storage.save(s.small, s.fast_reps)),
    ]
    for n in s.search:
        out.append(
            (f"search {_label(n)}", lambda n=n: [fig_storage.search(n, s.fast_reps, _label(n))])
        )
    out += [
        ("gui", lambda: fig_gui.list_typing_memory(s.big, s.slow_reps)),
        ("pdf", lambda: fig_pdf.pdfs(s.slow_reps)),
        ("long-record", lambda: [fig_long_record.long_record_pdf(max(1, s.slow_reps - 2))]),
        ("backup", lambda: [fig_storage.backup(s.small, s.slow_reps)]),
        ("finalize", lambda: [fig_evidence.finalize(s.fast_reps)]),
        ("verify", lambda: [fig_evidence.verify(s.small, s.slow_reps)]),
        ("sign-pdf", lambda: [fig_evidence.sign_pdf(s.slow_reps * 2)]),
        ("org", lambda: fig_org.rows(*s.org)),
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (CI, < 5 min)")
    parser.add_argument("--only", default="", help="run only figures whose key contains this")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    rows: list[Row] = []
    broken = False
    for key, run in figures(sizes):
        if args.only and args.only not in key:
            continue
        print(f"… {key}", file=sys.stderr, flush=True)
        try:
            rows += run()
        except Exception as error:  # a broken figure must not hide the others
            traceback.print_exc()
            broken = True
            rows.append(skipped(key, Target(), f"error: {error.__class__.__name__}: {error}"))
    mode = "--quick" if args.quick else "(full)"
    print(f"python -m bench {mode}; total {time.perf_counter() - started:.0f} s")
    print("\n".join(machine.describe()))
    print()
    print(table(rows))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
