"""One test per rule code: for every ``RuleCode`` a record the user could write where the rule
is met (its step is done, no finding) and one where it is not (an open finding with the rule's
clause and level). A new code without a case here fails ``test_every_rule_code_has_a_case``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from assister_log.domain.editing import stamp_event
from assister_log.domain.model import (
    Channel,
    EventKind,
    FraudReferral,
    Ground,
    GroundKind,
    Incident,
    Redirection,
    StaffCallDetails,
    ThreatTarget,
    UnrelatedWish,
)
from assister_log.domain.serialization import parse_new_incident
from assister_log.policy.checks import StepState, applies, checklist, open_findings, step_for
from assister_log.policy.codes import RuleCode, rule_code
from assister_log.policy.rules import RULES, RULES_BY_CODE, Rule, rule
from tests.conftest import EXAMPLES, PROFILE

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
Edit = Callable[[Incident], Incident]


def example(name: str) -> Incident:
    data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return parse_new_incident(
        data, incident_id="AL-TEST0001", author=PROFILE, recorded_at=T0 + timedelta(hours=2)
    )


def without(*kinds: EventKind) -> Edit:
    return lambda i: replace(i, timeline=tuple(e for e in i.timeline if e.event not in kinds))


def grounds(*chosen: Ground) -> Edit:
    return lambda i: replace(i, grounds=chosen)


def stamped(kind: EventKind) -> Edit:
    """Add ``kind`` just before the interaction ended."""

    def edit(incident: Incident) -> Incident:
        end = incident.first(EventKind.INTERACTION_ENDED)
        assert end is not None
        return stamp_event(incident, kind, end.at - timedelta(minutes=1))

    return edit


def then(*edits: Edit) -> Edit:
    def edit(incident: Incident) -> Incident:
        for e in edits:
            incident = e(incident)
        return incident

    return edit


def staff_call(edit: Callable[[StaffCallDetails], StaffCallDetails]) -> Edit:
    return lambda i: replace(i, staff_call=edit(i.staff_call or StaffCallDetails()))


def not_acknowledged(incident: Incident) -> Incident:
    ground = incident.ground(GroundKind.SUSPECTED_FRAUD)
    assert ground is not None
    return replace(incident, grounds=(replace(ground, acknowledged_false=False),))


def same(incident: Incident) -> Incident:
    return incident


@dataclass(frozen=True)
class Case:
    example: str
    met: Edit  # from the example to a record where the rule applies and is met
    unmet: Edit  # from that record to one where it is not


ABUSE = Ground(GroundKind.VERBAL_ABUSE, occurrences=2)
COMPLAINT = Ground(
    GroundKind.UNRELATED_MATTERS,
    wish=UnrelatedWish.COMPLAINT_ABOUT_MNSURE,
    redirections=(Redirection.GET_HELP_PAGE,),
)
STATEMENT = Ground(
    GroundKind.UNRELATED_MATTERS,
    wish=UnrelatedWish.GENERAL_STATEMENT,
    redirections=(Redirection.PUBLIC_FEEDBACK_EMAIL,),
)
THREAT_TO_BUILDING = Ground(GroundKind.THREAT, targets=(ThreatTarget.MNSURE_BUILDING,))
ASSISTER = "inappropriate-interaction"
FRAUD = "suspected-fraud"
STAFF = "staff-call"

CASES: dict[RuleCode, Case] = {
    RuleCode.GROUND_BEHAVIOUR: Case(ASSISTER, same, grounds()),
    RuleCode.GROUND_FRAUD: Case(FRAUD, same, grounds(Ground(GroundKind.THREAT))),
    RuleCode.ABUSE_REPEATED: Case(ASSISTER, grounds(ABUSE), grounds(replace(ABUSE, occurrences=1))),
    RuleCode.THREAT_TARGET: Case(ASSISTER, same, grounds(Ground(GroundKind.THREAT))),
    RuleCode.REDIRECT_GET_HELP_PAGE: Case(
        ASSISTER, grounds(COMPLAINT), grounds(replace(COMPLAINT, redirections=()))
    ),
    RuleCode.REDIRECT_PUBLIC_FEEDBACK_EMAIL: Case(
        STAFF,
        grounds(STATEMENT),
        grounds(replace(STATEMENT, redirections=(Redirection.GET_HELP_PAGE,))),
    ),
    RuleCode.ASSISTER_REMINDER: Case(ASSISTER, same, without(EventKind.REMINDER_GIVEN)),
    RuleCode.ASSISTER_FURTHER_ATTEMPT: Case(ASSISTER, same, without(EventKind.FURTHER_ATTEMPT)),
    RuleCode.ASSISTER_BASIS: Case(ASSISTER, same, without(EventKind.BEHAVIOUR_CONTINUED)),
    RuleCode.ASSISTER_ENDED: Case(ASSISTER, same, without(EventKind.INTERACTION_ENDED)),
    RuleCode.ASSISTER_LAW_ENFORCEMENT: Case(
        ASSISTER, same, without(EventKind.LAW_ENFORCEMENT_NOT_CALLED)
    ),
    RuleCode.ASSISTER_THREAT_REPORTED: Case(
        ASSISTER,
        then(grounds(THREAT_TO_BUILDING), stamped(EventKind.THREAT_REPORTED)),
        without(EventKind.THREAT_REPORTED),
    ),
    RuleCode.STAFF_PHONE: Case(STAFF, same, lambda i: replace(i, channel=Channel.VIDEO)),
    RuleCode.STAFF_REMINDER: Case(STAFF, same, without(EventKind.REMINDER_GIVEN)),
    RuleCode.STAFF_REMINDER_RECORDED: Case(
        STAFF, same, staff_call(lambda d: replace(d, reminder_mentioned_recording=False))
    ),
    RuleCode.STAFF_FURTHER_ATTEMPT: Case(STAFF, same, without(EventKind.FURTHER_ATTEMPT)),
    RuleCode.STAFF_BASIS: Case(STAFF, same, without(EventKind.BEHAVIOUR_CONTINUED)),
    RuleCode.STAFF_ENDED: Case(STAFF, same, without(EventKind.INTERACTION_ENDED)),
    RuleCode.STAFF_RECORDING_PRESERVED: Case(STAFF, same, without(EventKind.RECORDING_PRESERVED)),
    RuleCode.STAFF_LEADERSHIP_NOTIFIED: Case(STAFF, same, without(EventKind.LEADERSHIP_NOTIFIED)),
    RuleCode.FRAUD_ACCURACY_REMINDER: Case(
        FRAUD, not_acknowledged, without(EventKind.ACCURACY_REMINDER)
    ),
    RuleCode.FRAUD_ACCURACY_REMINDER_BEFORE_END: Case(
        FRAUD, same, without(EventKind.ACCURACY_REMINDER)
    ),
    RuleCode.FRAUD_ASSISTANCE_CONTINUED: Case(
        FRAUD,
        then(not_acknowledged, stamped(EventKind.ASSISTANCE_CONTINUED)),
        without(EventKind.ASSISTANCE_CONTINUED),
    ),
    RuleCode.FRAUD_END_ALLOWED: Case(FRAUD, same, not_acknowledged),
    RuleCode.FRAUD_REQUESTED_AGAIN: Case(
        FRAUD, same, without(EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN)
    ),
    RuleCode.FRAUD_REFERRED: Case(FRAUD, same, without(EventKind.FRAUD_REFERRED)),
    RuleCode.FRAUD_EVIDENCE_PRESERVED: Case(FRAUD, same, without(EventKind.EVIDENCE_PRESERVED)),
    RuleCode.FRAUD_NO_DISCUSSION: Case(
        FRAUD,
        same,
        lambda i: replace(
            i, fraud=replace(i.fraud or FraudReferral(), no_discussion_acknowledged=False)
        ),
    ),
}

# Done by writing the record at all: the step is the record's own ``recorded_at``, which the
# app sets and nobody edits, so it cannot be missing. Tested below by the time it prints.
DONE_BY_RECORDING = {
    RuleCode.ASSISTER_DOCUMENTED: ASSISTER,
    RuleCode.STAFF_DOCUMENTED: STAFF,
    RuleCode.FRAUD_DOCUMENTED: FRAUD,
}


def open_codes(incident: Incident) -> set[RuleCode]:
    return {f.code for f in open_findings(incident)}


def test_every_rule_code_has_a_case() -> None:
    assert set(CASES) | set(DONE_BY_RECORDING) == set(RuleCode)
    assert not set(CASES) & set(DONE_BY_RECORDING)


def test_every_rule_code_has_exactly_one_rule() -> None:
    assert [r.code for r in RULES] == list(RuleCode)
    assert all(isinstance(r.code, RuleCode) for r in RULES)


@pytest.mark.parametrize("code", list(CASES), ids=str)
def test_rule_is_met_then_not(code: RuleCode) -> None:
    case = CASES[code]
    met = case.met(example(case.example))
    step = step_for(checklist(met), code)
    assert step is not None, f"{code} does not apply to the 'met' record"
    assert step.state is StepState.DONE, step.message
    assert code not in open_codes(met)

    unmet = case.unmet(met)
    findings = {f.code: f for f in open_findings(unmet)}
    assert code in findings, f"{code}: no finding on the 'unmet' record"
    finding = findings[code]
    r = rule(code)
    assert (finding.clause, finding.level, finding.title) == (r.clause, r.level, r.title)
    assert finding.message


@pytest.mark.parametrize("code", list(DONE_BY_RECORDING), ids=str)
def test_documented_step_is_the_time_the_record_was_written(code: RuleCode) -> None:
    incident = example(DONE_BY_RECORDING[code])
    later = replace(incident, recorded_at=incident.recorded_at + timedelta(days=3))
    for record in (incident, later):
        step = step_for(checklist(record), code)
        assert step is not None and step.state is StepState.DONE
        assert step.at == record.recorded_at
    other = next(p for p in DONE_BY_RECORDING.values() if p != DONE_BY_RECORDING[code])
    assert step_for(checklist(example(other)), code) is None


def test_an_unknown_rule_code_raises() -> None:
    steps = checklist(example(STAFF))
    with pytest.raises(KeyError, match="staff-recording-preservd"):
        step_for(steps, "staff-recording-preservd")
    with pytest.raises(KeyError, match="Unknown policy rule code"):
        rule("staff-phon")
    with pytest.raises(KeyError):
        applies("leadership-notified", example(STAFF))
    with pytest.raises(KeyError):
        rule_code("")
    assert step_for(steps, "staff-phone") is not None
    assert RULES_BY_CODE[rule_code("staff-phone")].code is RuleCode.STAFF_PHONE


def test_applies_follows_the_rules_condition() -> None:
    call = example(STAFF)
    assert applies(RuleCode.STAFF_RECORDING_PRESERVED, call)
    assert not applies(
        RuleCode.STAFF_RECORDING_PRESERVED,
        staff_call(lambda d: replace(d, recording_available=False))(call),
    )
    assert not applies(RuleCode.ASSISTER_REMINDER, call)  # another procedure's rule


def test_rules_cannot_be_built_positionally() -> None:
    r = RULES[0]
    with pytest.raises(TypeError):
        Rule(r.code, r.clause, r.level, r.title, r.procedures, r.applies, r.check)  # type: ignore[call-arg]
