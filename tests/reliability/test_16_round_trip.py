"""Issue 5, test 16: what is saved is what is read, and what is sealed verifies.

Hypothesis writes records with any Unicode (every plane, combining marks, right-to-left,
zero-width and emoji; no lone surrogates or control characters, which the format refuses)
and text fields at their maximum lengths (domain/serialization.py: 500 characters for short
fields, 10,000 for notes, 400,000 for the narrative — the narrative at its maximum in a few
records, the others at the maximum or random). Generated text is already NFC, so every input
string must come back unchanged. Each record is saved through ``Session.add_from_data``,
read back and compared with what the save returned; about one in ten is finalized (some with
an addendum) and kept, most drafts are deleted after the check to keep the vault small. At
the end ``verify`` is clean and every kept record still reads back exactly.
"""

from __future__ import annotations

import time
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assister_log.domain import model
from assister_log.domain.serialization import (
    NARRATIVE_TEXT,
    NOTE_TEXT,
    SHORT_TEXT,
    incident_to_dict,
)
from assister_log.services.session import Session
from tests.conftest import PASSPHRASE, PROFILE, add_as_author
from tests.reliability.support import trials

CHARS = st.characters(exclude_categories=("Cs", "Cc"))


def values(enum: type[Any]) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for m in enum])


@st.composite
def text(draw: st.DrawFn, limit: int, *, multiline: bool = False, required: bool = False) -> str:
    """NFC text of the maximum length (mostly) or a random one, tiled from a drawn chunk."""
    alphabet = st.one_of(CHARS, st.sampled_from("\n\t")) if multiline else CHARS
    chunk = draw(st.text(alphabet, min_size=1, max_size=48))
    length = draw(
        st.sampled_from([limit, limit, limit - 1, 0 if not required else 1]) | st.integers(1, limit)
    )
    value = (chunk * (length // len(chunk) + 1))[:length]
    for _ in range(5):  # NFC can change lengths; the edges must not be whitespace (single-line)
        fixed = unicodedata.normalize("NFC", value)
        fixed = fixed[:limit] if multiline else fixed.strip()[:limit]
        if fixed == value:
            break
        value = fixed
    if required and not value.strip():
        value = "x"
    return unicodedata.normalize("NFC", value)


def when(draw: st.DrawFn) -> datetime:
    moment = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
    offset = timezone(timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60))))
    return moment.replace(tzinfo=offset)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    procedure = draw(values(model.Procedure))
    occurred = when(draw)
    long_narrative = draw(st.integers(0, 199)) == 0
    limit = NARRATIVE_TEXT if long_narrative else NOTE_TEXT
    record: dict[str, Any] = {
        "procedure": procedure,
        "channel": draw(values(model.Channel)),
        "occurred_at": occurred.isoformat(),
        "ended_at": (occurred + timedelta(minutes=draw(st.integers(0, 600)))).isoformat(),
        "location": draw(text(SHORT_TEXT)),
        "party": {
            "kind": draw(values(model.PartyKind)),
            **{k: draw(text(SHORT_TEXT)) for k in ("name", "case_number", "phone", "language", "interpreter", "date_of_birth")},
            "address": draw(text(SHORT_TEXT, multiline=True)),
        },
        "grounds": [
            {
                "kind": draw(values(model.GroundKind)),
                "detail": draw(text(NOTE_TEXT, multiline=True)),
                "information": draw(text(NOTE_TEXT, multiline=True)),
                "targets": draw(st.lists(values(model.ThreatTarget), max_size=3)),
                "categories": draw(st.lists(values(model.AbuseCategory), max_size=3)),
                "occurrences": draw(st.integers(0, 1_000_000)),
            }
        ],
        "timeline": [
            {"at": when(draw).isoformat(), "event": draw(values(model.EventKind)), "note": draw(text(NOTE_TEXT, multiline=True))}
            for _ in range(draw(st.integers(0, 2)))
        ],
        "quotes": [
            {
                "speaker": draw(text(SHORT_TEXT)),
                "text": draw(text(NOTE_TEXT, multiline=True, required=True)),
                "kind": draw(values(model.QuoteKind)),
                "language": draw(text(SHORT_TEXT)),
            }
        ],
        "witnesses": [{"name": draw(text(SHORT_TEXT, required=True)), "contact": draw(text(SHORT_TEXT)), "role": draw(text(SHORT_TEXT))}],
        "narrative": draw(text(limit, multiline=True)),
    }  # fmt: skip
    if procedure == "staff-call":
        record["staff_call"] = {
            "recording_available": draw(st.booleans()),
            "recording_reference": draw(text(SHORT_TEXT)),
        }
    if procedure == "suspected-fraud":
        record["fraud"] = {
            "anonymous": draw(st.booleans()),
            "reporter": {"name": draw(text(SHORT_TEXT)), "mailing_address": draw(text(SHORT_TEXT, multiline=True))},
            "other_agencies_notified": draw(text(NOTE_TEXT, multiline=True)),
            "response_to_reminder": draw(text(NOTE_TEXT, multiline=True)),
        }  # fmt: skip
    return record


class Record:
    """A generated record with a short repr: hypothesis prints failing examples, and these
    run to megabytes."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __repr__(self) -> str:
        sizes = {k: len(v) for k, v in self.data.items() if isinstance(v, str)}
        return f"Record({self.data['procedure']}, text sizes {sizes})"


def string_leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in string_leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in string_leaves(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.slow
def test_any_unicode_at_maximum_lengths_reads_back_exactly(tmp_path: Path) -> None:
    count = trials(ci=300, full=10_000)
    session, _recovery = Session.create(tmp_path / "v", PASSPHRASE, PROFILE)
    kept: dict[str, dict[str, Any]] = {}
    stats = {"records": 0, "finalized": 0, "addenda": 0, "narrative at 400,000": 0, "chars": 0}
    started = time.monotonic()

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )  # fmt: skip
    @given(records().map(Record), st.integers(0, 99))
    def round_trip(record: Record, dice: int) -> None:
        data = record.data
        saved = add_as_author(session, data)  # a staff call by MNsure staff
        stored = incident_to_dict(saved)
        read = incident_to_dict(session.get(saved.incident_id))
        assert read == stored
        leaves = set(string_leaves(read))
        missing = [s[:40] for s in string_leaves(data) if s not in leaves]
        assert missing == [], missing  # every input string came back unchanged
        stats["records"] += 1
        stats["chars"] += sum(len(s) for s in string_leaves(data))
        stats["narrative at 400,000"] += len(data["narrative"]) == NARRATIVE_TEXT
        if dice < 10:
            final = session.finalize(saved.incident_id)
            stats["finalized"] += 1
            if dice < 3:
                text = data["narrative"][:NOTE_TEXT]
                final = session.addendum(saved.incident_id, text if text.strip() else "x", "r")
                stats["addenda"] += 1
            assert incident_to_dict(session.get(saved.incident_id)) == incident_to_dict(final)
            kept[saved.incident_id] = incident_to_dict(final)
        elif dice < 12:
            kept[saved.incident_id] = read
        else:
            session.delete_draft(saved.incident_id)

    with session:
        round_trip()
        assert session.verify() == []
        for incident_id, record in kept.items():
            assert incident_to_dict(session.get(incident_id)) == record
    stats["seconds"] = round(time.monotonic() - started)
    print(f"\nround trip: {stats}, kept {len(kept)}, at {datetime.now(UTC):%H:%M}")
    assert stats["records"] == count
