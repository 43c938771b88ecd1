"""The record JSON format: every bad input gets one clear line naming the field; what is
saved is what is read back, for any Unicode."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assister_log.domain.editing import edit_event, stamp_event
from assister_log.domain.model import EventKind
from assister_log.domain.serialization import (
    NARRATIVE_TEXT,
    incident_from_storage,
    incident_to_dict,
    input_dict,
    loads_user_json,
    parse_new_incident,
)
from assister_log.errors import BadInput, RecordSealed
from tests.conftest import EXAMPLES, PROFILE

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def load(name: str = "inappropriate-interaction") -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


def parse(data: Any):
    return parse_new_incident(data, incident_id="AL-TEST0001", author=PROFILE, recorded_at=NOW)


def error_for(data: Any) -> str:
    with pytest.raises(BadInput) as info:
        parse(data)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_examples_in_docs_match_the_bundled_demo_copies() -> None:
    from assister_log.paths import resource

    for path in EXAMPLES.glob("*.json"):
        assert resource("examples", path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(procedure="shouting"), "procedure: unknown value 'shouting'"),
        (
            lambda d: d["timeline"].append(
                {"at": "2026-03-02T14:40:00-06:00", "event": "shrugged"}
            ),
            "timeline[6].event",
        ),
        (lambda d: d.pop("party"), "missing the field 'party'"),
        (
            lambda d: d.update(ended_at="2026-03-02T13:00:00-06:00"),
            "ended_at is before occurred_at",
        ),
        (lambda d: d.update(occurred_at="2026-03-02T14:05:00"), "has no UTC offset"),
        (lambda d: d.update(occurred_at="yesterday"), "not an ISO 8601"),
        (
            lambda d: d.update(narrative="x" * (NARRATIVE_TEXT + 1)),
            "narrative is 400,001 characters",
        ),
        (
            lambda d: d["party"].update(name="Ann\x07"),
            "party.name holds a control character (U+0007)",
        ),
        (lambda d: d["party"].update(ssn="123-45-6789"), "party: unknown field 'ssn'"),
        (lambda d: d["grounds"][0].update(occurrences=-1), "grounds[0].occurrences"),
        (lambda d: d["quotes"][0].update(kind="gist"), "quotes[0].kind"),
        (lambda d: d.update(grounds="threat"), "grounds must be a list"),
        (lambda d: d["party"].update(name="\ud800"), "lone surrogate"),
    ],
)
def test_bad_input_names_the_field(mutate: Any, expected: str) -> None:
    data = load()
    mutate(data)
    assert expected in error_for(data)


def test_ten_megabyte_narrative_is_refused_with_a_clear_line() -> None:
    data = load()
    data["narrative"] = "a" * 10_000_000
    assert "the limit is 400,000" in error_for(data)


def test_malformed_json_says_where() -> None:
    with pytest.raises(BadInput, match=r"not valid JSON \(line 1, column 15"):
        loads_user_json('{"procedure": }', "record.json")
    with pytest.raises(BadInput, match="not UTF-8"):
        loads_user_json(b"\xff\xfe{", "record.json")


def test_markup_and_rtl_text_are_kept_literally() -> None:
    data = load()
    data["party"]["name"] = "<b>Ann & Bo</b> محمد"
    assert parse(data).party.name == "<b>Ann & Bo</b> محمد"


def test_timeline_is_kept_in_time_order() -> None:
    data = load()
    data["timeline"].reverse()
    times = [e.at for e in parse(data).timeline]
    assert times == sorted(times)


def test_timeline_correction_keeps_the_original() -> None:
    incident = parse(load())
    later = incident.timeline[1].at + timedelta(minutes=1)
    corrected = edit_event(incident, 1, at=later, note="Corrected note", edited_at=NOW)
    event = next(e for e in corrected.timeline if e.note == "Corrected note")
    assert event.edits[0].previous_at == incident.timeline[1].at
    assert event.edits[0].previous_note == incident.timeline[1].note
    stored = incident_from_storage(json.loads(json.dumps(incident_to_dict(corrected))))
    assert stored == corrected


def test_a_first_note_is_added_without_a_correction_but_never_replaces_one() -> None:
    from dataclasses import replace

    from assister_log.domain.editing import add_note

    incident = parse(load())
    bare = replace(incident, timeline=tuple(replace(e, note="") for e in incident.timeline))
    noted = add_note(bare, 1, "Said it twice")
    assert noted.timeline[1].note == "Said it twice" and noted.timeline[1].edits == ()
    assert noted.timeline[1].at == bare.timeline[1].at
    with pytest.raises(BadInput, match="already has a note"):
        add_note(noted, 1, "Something else")


def test_finalized_records_cannot_be_edited() -> None:
    from dataclasses import replace

    from assister_log.domain.model import Status

    final = replace(parse(load()), status=Status.FINALIZED)
    with pytest.raises(RecordSealed):
        stamp_event(final, EventKind.OTHER, NOW)


def test_input_dict_round_trips_through_the_user_format() -> None:
    incident = parse(load("suspected-fraud"))
    again = parse(copy.deepcopy(input_dict(incident)))
    assert again == incident


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=text,
    quote=text.filter(lambda s: s.strip() != ""),
    narrative=st.text(
        st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\r",
        ),
        max_size=300,
    ),
)
def test_any_unicode_round_trips(name: str, quote: str, narrative: str) -> None:
    import unicodedata

    data = load("staff-call")
    data["party"]["name"] = name
    data["quotes"][0]["text"] = quote
    data["narrative"] = narrative
    try:
        incident = parse(data)
    except BadInput as error:  # only C1 controls (category Cc) may be refused
        assert "control character" in str(error)
        return
    assert incident.party.name == unicodedata.normalize("NFC", name).strip()
    stored = incident_from_storage(
        json.loads(json.dumps(incident_to_dict(incident), ensure_ascii=False))
    )
    assert stored == incident


def test_documented_schema_matches_the_code() -> None:
    from assister_log.domain.schema_doc import render

    documented = (EXAMPLES.parent / "record.schema.json").read_text("utf-8")
    assert documented == render(), (
        "regenerate: python -m assister_log.domain.schema_doc > docs/record.schema.json"
    )
