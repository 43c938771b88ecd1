"""The staff call memo prints what the rules decide, with no copy of their logic: the phone
check, the recording check and the leadership notification appear exactly when the policy's
rules apply (real renderer, text read back from the PDF)."""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from assister_log.domain.model import Channel, Incident, Party, PartyKind, StaffCallDetails
from assister_log.domain.serialization import parse_new_incident
from assister_log.policy.checks import applies, checklist
from assister_log.policy.codes import RuleCode
from assister_log.policy.contacts import DEFAULT_CONTACTS
from assister_log.policy.rules import rule
from assister_log.reports.base import ReportInput, renderer_for
from tests.conftest import EXAMPLES, PROFILE

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def staff_call() -> Incident:
    data = json.loads((EXAMPLES / "staff-call.json").read_text("utf-8"))
    return parse_new_incident(
        data, incident_id="AL-TEST0001", author=PROFILE, recorded_at=T0 + timedelta(hours=2)
    )


def memo_text(incident: Incident) -> str:
    data = ReportInput(
        incident=incident,
        checklist=tuple(checklist(incident)),
        contacts=dict(DEFAULT_CONTACTS),
        generated_at=T0 + timedelta(days=1),
        images={},
    )
    pdf = renderer_for("staff-memo")(password=None).render(data)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf"
    )
    return " ".join(text.split())


def test_memo_follows_the_phone_and_recording_rules() -> None:
    call = staff_call()
    phone = rule(RuleCode.STAFF_PHONE).clause
    text = memo_text(call)
    assert "Phone call" in text and "not applicable: no recording is available" not in text
    video = replace(
        call,
        channel=Channel.VIDEO,
        staff_call=replace(call.staff_call or StaffCallDetails(), recording_available=False),
    )
    assert not applies(RuleCode.STAFF_RECORDING_PRESERVED, video)
    text = memo_text(video)
    assert "Video meeting — MISSING — " + phone in text
    assert "not applicable: no recording is available" in text


def test_memo_notifies_leadership_exactly_when_the_rule_applies() -> None:
    call = staff_call()
    assert applies(RuleCode.STAFF_LEADERSHIP_NOTIFIED, call)
    assert "Broker Relations Director or Senior Director" in memo_text(call)
    consumer = replace(
        call,
        party=Party(PartyKind.CONSUMER, name="Ana"),
        staff_call=replace(call.staff_call or StaffCallDetails(), assister_on_call=False),
    )
    assert not applies(RuleCode.STAFF_LEADERSHIP_NOTIFIED, consumer)
    text = memo_text(consumer)
    assert "Call file (no certified assister was on the call)" in text
    assert "Not required" in text
