"""Any record the vault accepts exports: every text field at and near its limit, in every
script, for every document kind (issue 13, item 1).

The records are built from JSON through ``parse_new_incident``, the vault's own gate, so a
field the vault would refuse is never tried and a field it accepts always is. The texts are
cut from a script's sample at an arbitrary character, so a cluster may be broken at the end,
as a paste can be. Text without spaces (Khmer, Burmese, Chinese) is the hard case for line
breaking; a ~6,300-character quote the hard case for a box that continues on the next page.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assister_log.domain.serialization import NOTE_TEXT, SHORT_TEXT, parse_new_incident
from assister_log.policy.checks import checklist
from assister_log.reports.base import ReportInput, renderer_for
from assister_log.services.settings import DEFAULT_CONTACTS
from tests.conftest import EXAMPLES, PROFILE

KINDS = ("record", "fraud-referral", "staff-memo")
T0 = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)

SCRIPTS = {
    "Latin": "Ann O'Neil-Smith said she would come to the office and nobody could stop her. ",
    "Arabic": "قال المستهلك إنه لا يريد المساعدة بعد الآن — أحمد محمد ",
    "Khmer": "បង្អួចការិយាល័យសុខចាន់",  # no spaces: one run of 10,000 characters
    "Khmer spaced": "សុខ ចាន់ បង្អួចការិយាល័យ ",
    "Chinese": "你好世界王秀英说她不需要帮助",
    "Burmese": "မောင်မောင်မင်္ဂလာပါအောင်ဆန်းစုကြည်",
    "Karen": "နီၢ်ပ့ၤဝါကညီကျိာ်တၢ်ဘျုးဘၣ်သ့ၣ်",
}

# (path in the JSON, limit) of the text fields the documents print
NOTE_FIELDS = (
    ("quotes.0.text", NOTE_TEXT),
    ("quotes.1.text", NOTE_TEXT),
    ("grounds.threat.detail", NOTE_TEXT),
    ("grounds.fraud.information", NOTE_TEXT),
    ("timeline.0.note", NOTE_TEXT),
    ("deviations.0.justification", NOTE_TEXT),
    ("fraud.response_to_reminder", NOTE_TEXT),
    ("fraud.other_agencies_notified", NOTE_TEXT),
)
SHORT_FIELDS = (
    ("party.name", SHORT_TEXT),
    ("party.address", SHORT_TEXT),
    ("party.case_number", SHORT_TEXT),
    ("party.interpreter", SHORT_TEXT),
    ("location", SHORT_TEXT),
    ("quotes.0.speaker", SHORT_TEXT),
    ("witnesses.0.name", SHORT_TEXT),
    ("witnesses.0.contact", SHORT_TEXT),
    ("fraud.reporter.name", SHORT_TEXT),
    ("fraud.reporter.mailing_address", SHORT_TEXT),
)


def base_data(kind: str) -> dict[str, Any]:
    name = {"record": "inappropriate-interaction", "fraud-referral": "suspected-fraud"}.get(
        kind, "staff-call"
    )
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    at = data["occurred_at"]
    data["grounds"] = [
        {"kind": "threat", "targets": ["assister"], "detail": "Said he would come back."},
        {
            "kind": "suspected-fraud",
            "information": "Asked to leave wages off.",
            "acknowledged_false": True,
            "fraud_types": ["unreported-income"],
        },
    ]
    data["quotes"] = [
        {"speaker": "Caller", "text": "I will come back.", "kind": "verbatim"},
        {"speaker": "Caller", "text": "Nobody checks.", "kind": "paraphrase"},
    ]
    data["witnesses"] = [{"name": "Lee Vang", "contact": "651-555-0100", "role": "co-worker"}]
    data["deviations"] = [
        {"code": "reminder-before-ending", "justification": "No chance.", "recorded_at": at}
    ]
    data.setdefault("timeline", [])
    if not data["timeline"]:
        data["timeline"] = [{"at": at, "event": "behaviour-started", "note": "Began shouting."}]
    data.setdefault(
        "fraud",
        {"anonymous": False, "reporter": {"name": "Jamie Ortiz"}, "public_program": True},
    )
    data["fraud"].setdefault("reporter", {})
    return data


def put(data: dict[str, Any], path: str, value: str) -> None:
    head, *rest = path.split(".")
    if head == "grounds":
        kind = {"threat": "threat", "fraud": "suspected-fraud"}[rest[0]]
        ground = next(g for g in data["grounds"] if g["kind"] == kind)
        ground[rest[1]] = value
        return
    target: Any = data
    keys: list[Any] = [head, *rest]
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
    target[keys[-1]] = value


def text_of(script: str, length: int) -> str:
    sample = SCRIPTS[script]
    return (sample * (length // len(sample) + 1))[:length].strip() or sample.strip()


def render_all(data: dict[str, Any]) -> None:
    incident = parse_new_incident(
        data, incident_id="AL-LONG0001", author=PROFILE, recorded_at=T0 + timedelta(days=1)
    )
    report = ReportInput(
        incident=incident,
        checklist=tuple(checklist(incident)),
        contacts=dict(DEFAULT_CONTACTS),
        generated_at=T0 + timedelta(days=2),
        images={},
    )
    for kind in KINDS:
        pdf = renderer_for(kind)(password=None).render(report)
        assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("kind", KINDS)
def test_the_reported_records_export(kind: str) -> None:
    """The records of the audit: two ~6,300-character quotes; 10,000 Khmer characters."""
    data = base_data(kind)
    quote = text_of("Latin", 6_300)
    put(data, "quotes.0.text", quote)
    put(data, "quotes.1.text", quote)
    put(data, "grounds.threat.detail", text_of("Khmer", NOTE_TEXT))
    render_all(data)


LENGTH_FACTORS = (1.0, 0.999, 0.63, 0.5, 0.36, 0.25)


@st.composite
def long_records(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(KINDS))
    data = copy.deepcopy(BASES[kind])
    notes = draw(st.lists(st.sampled_from(NOTE_FIELDS), min_size=1, max_size=3, unique=True))
    shorts = draw(st.lists(st.sampled_from(SHORT_FIELDS), max_size=4, unique=True))
    for path, limit in [*notes, *shorts]:
        script = draw(st.sampled_from(sorted(SCRIPTS)))
        factor = draw(st.sampled_from(LENGTH_FACTORS))
        put(data, path, text_of(script, max(1, int(limit * factor))))
    return kind, data


BASES = {kind: base_data(kind) for kind in KINDS}


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(long_records())
def test_fields_at_and_near_their_limits_export_in_every_kind(
    case: tuple[str, dict[str, Any]],
) -> None:
    _, data = case
    render_all(data)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_note_field_at_its_limit(script: str) -> None:
    """The worst case per script: every note field full at once, every kind."""
    data = base_data("fraud-referral")
    for path, limit in NOTE_FIELDS:
        put(data, path, text_of(script, limit))
    for path, limit in SHORT_FIELDS:
        put(data, path, text_of(script, limit))
    render_all(data)
