"""The policy checks, clause by clause: each test builds the record a user would write and
asserts the finding (or its absence) that the compliance panel and the PDF checklist show."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from assister_log.domain.editing import record_deviation, remove_event, stamp_event
from assister_log.domain.model import (
    Channel,
    EventKind,
    Ground,
    GroundKind,
    Incident,
    Party,
    PartyKind,
    StaffCallDetails,
    ThreatTarget,
)
from assister_log.domain.serialization import parse_new_incident
from assister_log.policy.checks import StepState, checklist, evaluate, open_findings
from assister_log.policy.rules import RULES, Level
from assister_log.policy.wording import PROCEDURE_TITLES
from tests.conftest import EXAMPLES, PROFILE

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def example(name: str) -> Incident:
    data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return parse_new_incident(
        data, incident_id="AL-TEST0001", author=PROFILE, recorded_at=T0 + timedelta(hours=2)
    )


def codes(incident: Incident) -> set[str]:
    return {f.code for f in open_findings(incident)}


def without(incident: Incident, kind: EventKind) -> Incident:
    return replace(incident, timeline=tuple(e for e in incident.timeline if e.event is not kind))


@pytest.mark.parametrize("name", ["inappropriate-interaction", "suspected-fraud", "staff-call"])
def test_documented_examples_follow_every_step(name: str) -> None:
    assert open_findings(example(name)) == []


SECTIONS = (
    "Policy details, general rule",
    "Assister procedure",
    "Telephone procedure (MNsure staff)",
    "Suspected-fraud procedure",
    *PROCEDURE_TITLES.values(),
)


def test_every_rule_cites_a_clause_and_a_level() -> None:
    for rule in RULES:
        assert rule.clause.startswith(SECTIONS), rule.code
        assert rule.title and rule.procedures, rule.code
    assert {r.level for r in RULES} == set(Level)
    assert len({r.code for r in RULES}) == len(RULES)


# ---- assister procedure --------------------------------------------------------------


def test_assister_step1_ending_without_reminder_is_a_required_finding() -> None:
    incident = without(example("inappropriate-interaction"), EventKind.REMINDER_GIVEN)
    finding = next(f for f in evaluate(incident) if f.code == "assister-reminder")
    assert finding.level is Level.REQUIRED and finding.clause == "Assister procedure, step 1"
    assert "No reminder is recorded" in finding.message


def test_assister_step1_reminder_after_the_end_does_not_count() -> None:
    incident = without(example("inappropriate-interaction"), EventKind.REMINDER_GIVEN)
    incident = stamp_event(
        incident, EventKind.REMINDER_GIVEN, datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
    )
    finding = next(f for f in evaluate(incident) if f.code == "assister-reminder")
    assert "after the interaction ended" in finding.message


def test_assister_step2_without_further_attempt() -> None:
    incident = without(example("inappropriate-interaction"), EventKind.FURTHER_ATTEMPT)
    assert "assister-further-attempt" in codes(incident)


def test_assister_step2_needs_resolved_or_continued_before_ending() -> None:
    incident = without(example("inappropriate-interaction"), EventKind.BEHAVIOUR_CONTINUED)
    assert "assister-basis" in codes(incident)
    resolved = stamp_event(
        incident, EventKind.ISSUE_RESOLVED_ADVISED, datetime(2026, 3, 2, 20, 25, tzinfo=UTC)
    )
    assert "assister-basis" not in codes(resolved)


def test_assister_step2_2_law_enforcement_judgment_is_advised_for_threats() -> None:
    incident = without(example("inappropriate-interaction"), EventKind.LAW_ENFORCEMENT_NOT_CALLED)
    finding = next(f for f in evaluate(incident) if f.code == "assister-law-enforcement")
    assert finding.level is Level.ADVISED


def test_assister_step4_threat_to_mnsure_building_must_be_reported() -> None:
    incident = example("inappropriate-interaction")
    threat = Ground(GroundKind.THREAT, targets=(ThreatTarget.MNSURE_BUILDING,))
    incident = replace(incident, grounds=(threat,))
    assert "assister-threat-reported" in codes(incident)
    reported = stamp_event(
        incident, EventKind.THREAT_REPORTED, datetime(2026, 3, 2, 20, 45, tzinfo=UTC)
    )
    assert "assister-threat-reported" not in codes(reported)


def test_threat_only_to_the_assister_needs_no_arc_report() -> None:
    assert "assister-threat-reported" not in {
        r.rule.code for r in checklist(example("inappropriate-interaction"))
    }


def test_verbal_abuse_must_be_repeated() -> None:
    incident = example("inappropriate-interaction")
    once = Ground(GroundKind.VERBAL_ABUSE, occurrences=1)
    incident = replace(incident, grounds=(once,))
    finding = next(f for f in evaluate(incident) if f.code == "abuse-repeated")
    assert "repeated" in finding.message and "1 occurrence" in finding.message


def test_no_ground_is_a_finding() -> None:
    incident = replace(example("inappropriate-interaction"), grounds=())
    assert "ground-behaviour" in codes(incident)


def test_complaint_wish_should_be_directed_to_get_help() -> None:
    from assister_log.domain.model import UnrelatedWish

    incident = replace(
        example("inappropriate-interaction"),
        grounds=(Ground(GroundKind.UNRELATED_MATTERS, wish=UnrelatedWish.COMPLAINT_ABOUT_MNSURE),),
    )
    assert "redirect-get-help-page" in codes(incident)


# ---- staff procedure -------------------------------------------------------------------


def test_staff_step1_reminder_must_mention_the_recording() -> None:
    incident = example("staff-call")
    incident = replace(
        incident,
        staff_call=replace(
            incident.staff_call or StaffCallDetails(), reminder_mentioned_recording=False
        ),
    )
    assert "staff-reminder-recorded" in codes(incident)


def test_staff_step3_assister_on_call_requires_leadership_notification() -> None:
    incident = without(example("staff-call"), EventKind.LEADERSHIP_NOTIFIED)
    finding = next(f for f in evaluate(incident) if f.code == "staff-leadership-notified")
    assert finding.clause == "Telephone procedure (MNsure staff), step 3"
    consumer_call = replace(
        incident,
        party=Party(PartyKind.CONSUMER, name="Ana"),
        staff_call=StaffCallDetails(reminder_mentioned_recording=True, assister_on_call=False),
    )
    assert "staff-leadership-notified" not in codes(consumer_call)


def test_staff_step3_recording_preserved_only_when_available() -> None:
    incident = without(example("staff-call"), EventKind.RECORDING_PRESERVED)
    assert "staff-recording-preserved" in codes(incident)
    no_recording = replace(
        incident,
        staff_call=replace(incident.staff_call or StaffCallDetails(), recording_available=False),
    )
    assert "staff-recording-preserved" not in codes(no_recording)


def test_staff_procedure_is_for_phone_calls() -> None:
    incident = replace(example("staff-call"), channel=Channel.VIDEO)
    assert "staff-phone" in codes(incident)


# ---- suspected fraud -----------------------------------------------------------------


def test_fraud_termination_needs_the_repeated_request() -> None:
    incident = without(example("suspected-fraud"), EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN)
    finding = next(f for f in evaluate(incident) if f.code == "fraud-requested-again")
    assert "No repeated request" in finding.message and finding.level is Level.REQUIRED


def test_fraud_ending_without_acknowledgement_is_not_allowed() -> None:
    incident = example("suspected-fraud")
    ground = replace(incident.grounds[0], acknowledged_false=False)
    incident = replace(incident, grounds=(ground,))
    assert "fraud-end-allowed" in codes(incident)
    assert "fraud-assistance-continued" in codes(incident)


def test_fraud_must_be_referred() -> None:
    assert "fraud-referred" in codes(without(example("suspected-fraud"), EventKind.FRAUD_REFERRED))


# ---- deviations and the checklist --------------------------------------------------------


def test_justified_deviation_turns_a_finding_into_a_documented_deviation() -> None:
    incident = without(example("inappropriate-interaction"), EventKind.REMINDER_GIVEN)
    incident = record_deviation(incident, "assister-reminder", "No reminder: immediate danger.", T0)
    finding = next(f for f in evaluate(incident) if f.code == "assister-reminder")
    assert not finding.is_open
    assert (
        finding.deviation is not None
        and finding.deviation.justification == "No reminder: immediate danger."
    )
    state = next(r for r in checklist(incident) if r.rule.code == "assister-reminder")
    assert state.state is StepState.DEVIATION


def test_checklist_gives_the_time_each_step_was_done() -> None:
    incident = example("staff-call")
    reminder = next(r for r in checklist(incident) if r.rule.code == "staff-reminder")
    assert reminder.state is StepState.DONE
    assert reminder.at == incident.first(EventKind.REMINDER_GIVEN).at  # type: ignore[union-attr]


def test_removing_the_end_event_is_reported() -> None:
    incident = example("staff-call")
    index = [e.event for e in incident.timeline].index(EventKind.INTERACTION_ENDED)
    assert "staff-ended" in codes(remove_event(incident, index))


@pytest.mark.parametrize("name", ["inappropriate-interaction", "suspected-fraud", "staff-call"])
def test_procedures_only_get_their_own_rules(name: str) -> None:
    incident = example(name)
    steps = checklist(incident)
    assert steps
    assert all(incident.procedure in step.rule.procedures for step in steps)
    own = {r.code for r in RULES if r.procedures == {incident.procedure}}
    assert own & {step.rule.code for step in steps}, "none of the procedure's own rules apply"
    others = {r.code for r in RULES if incident.procedure not in r.procedures}
    assert others and not others & {step.rule.code for step in steps}
