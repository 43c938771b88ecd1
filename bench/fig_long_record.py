"""The long-record figure of issue 13: a finalized termination record of about 70 pages (a
209,000-character narrative, 200 timeline events) rendered and signed in ≤ 4 s.

The record is the shortest example (docs/examples/inappropriate-interaction.json) with its
narrative replaced by 209,000 characters of English prose in paragraphs and 194 timeline
events added between its own six, one a minute, each with a one-sentence note.
"""

from __future__ import annotations

import io
import json
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from bench import vaults
from bench.core import Row, Target, has_module, measure, median_ms, skipped

TARGET = Target(absolute=4000)
FIGURE = "termination-record PDF, ~70 pages (209k-character narrative, 200 events)"
EXAMPLE = (
    Path(__file__).resolve().parent.parent / "docs" / "examples" / "inappropriate-interaction.json"
)
NARRATIVE_CHARS = 209_000
EVENTS = 200

_PROSE = (
    "the consumer said that he had called the office twice before and nobody had helped him "
    "with the income question so I explained again which documents the application needs and "
    "where the paystubs go he raised his voice and said he would come back with his brother I "
    "asked whether he wanted to continue with the renewal today and he said yes but only if I "
    "stopped asking about his wages the site manager was in the next room and heard part of it"
)
_WORDS = _PROSE.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def _narrative(rng: random.Random) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < NARRATIVE_CHARS:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:NARRATIVE_CHARS].rstrip() + "."


def long_record() -> dict[str, object]:
    """The example record with the long narrative and 200 events (deterministic)."""
    rng = random.Random(13)
    data: dict[str, object] = json.loads(EXAMPLE.read_text("utf-8"))
    own = list(data["timeline"])  # type: ignore[call-overload]
    start = datetime.fromisoformat(str(data["occurred_at"]))
    extra = [
        {
            "at": (start + timedelta(minutes=1 + i, seconds=30)).isoformat(),
            "event": "other",
            "note": _sentence(rng),
        }
        for i in range(EVENTS - len(own))
    ]
    timeline = sorted(own + extra, key=lambda e: datetime.fromisoformat(e["at"]))
    data["timeline"] = timeline
    data["ended_at"] = max(str(data["ended_at"]), timeline[-1]["at"])
    data["narrative"] = _narrative(rng)
    return data


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def long_record_pdf(reps: int) -> Row:
    if not has_module("assister_log.services.export"):
        return skipped(FIGURE, TARGET, "assister_log.services.export does not exist yet")
    from assister_log.domain.model import Profile, Role
    from assister_log.services.export import render_pdf
    from assister_log.services.session import Session

    folder = vaults.scratch("long-record") / "vault"
    profile = Profile("Jamie Ortiz", Role.NAVIGATOR, "NAV-20931", "Northside Health Access")
    session, _ = Session.create(folder, vaults.PASSPHRASE, profile, params=vaults.BENCH_KDF)
    with session:
        record_id = session.add_from_data(long_record()).incident_id
        session.finalize(record_id)
        pdf = render_pdf(session, record_id, "record")  # also the warm-up
        times = measure(lambda: render_pdf(session, record_id, "record"), reps, warmup=0)
    shutil.rmtree(folder.parent, ignore_errors=True)
    return Row(
        FIGURE,
        TARGET,
        median_ms(times),
        reps=reps,
        note=f"finalized, rendered and signed (render_pdf): {_pages(pdf)} pages, "
        f"{len(pdf) / 1e6:.1f} MB; slowest of {reps}: {max(times) * 1000:.0f} ms",
    )
