"""The policy's procedures as a table of rules.

Each rule cites the clause it comes from, says whether the policy requires the step ("will",
"must", "please report") or advises it ("should", "may", "can", "is advised"), when it applies
and how the record shows it was done. ``evaluate`` and ``checklist`` in ``policy.checks`` read
this table; nothing else encodes the policy. Codes and thresholds are in ``policy.codes``, the
tests a rule is built from in ``policy.conditions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from assister_log.domain.model import EventKind, GroundKind, Procedure, Redirection, UnrelatedWish
from assister_log.policy import conditions as c
from assister_log.policy.codes import REDIRECTION_FOR_WISH, Level, RuleCode, rule_code
from assister_log.policy.conditions import Applies, Check, Outcome, end_time
from assister_log.policy.procedures import PROCEDURES
from assister_log.policy.wording import REDIRECTION_DESTINATIONS, REDIRECTION_LABELS

__all__ = ["RULES", "RULES_BY_CODE", "Level", "Outcome", "Rule", "RuleCode", "end_time", "rule"]


@dataclass(frozen=True, kw_only=True)
class Rule:
    code: RuleCode
    clause: str
    level: Level
    title: str
    procedures: frozenset[Procedure]
    applies: Applies
    check: Check
    procedure_step: bool = True  # printed in the checklist; False for criteria checks


ALL = frozenset(Procedure)
ASSISTER = frozenset({Procedure.INAPPROPRIATE_INTERACTION})
STAFF = frozenset({Procedure.STAFF_CALL})
FRAUD = frozenset({Procedure.SUSPECTED_FRAUD})

_REDIRECT_CODES = {
    Redirection.GET_HELP_PAGE: RuleCode.REDIRECT_GET_HELP_PAGE,
    Redirection.PUBLIC_FEEDBACK_EMAIL: RuleCode.REDIRECT_PUBLIC_FEEDBACK_EMAIL,
}


def _redirect(wish: UnrelatedWish, redirection: Redirection) -> Rule:
    return Rule(
        code=_REDIRECT_CODES[redirection],
        clause="Policy details, general rule, third criterion",
        level=Level.ADVISED,
        title=REDIRECTION_LABELS[redirection],
        procedures=ALL,
        applies=c.wished(wish),
        check=c.redirected(redirection, REDIRECTION_DESTINATIONS[redirection]),
    )


A = "Assister procedure"
S = "Telephone procedure (MNsure staff)"
F = "Suspected-fraud procedure"

RULES: tuple[Rule, ...] = (
    # ---- criteria: what makes an interaction inappropriate (policy details, general rule)
    Rule(
        code=RuleCode.GROUND_BEHAVIOUR,
        clause="Policy details, general rule",
        level=Level.REQUIRED,
        title="A ground under the general rule",
        procedures=ASSISTER | STAFF,
        applies=c.always,
        check=c.has_behaviour_ground,
        procedure_step=False,
    ),
    Rule(
        code=RuleCode.GROUND_FRAUD,
        clause=f"{F}, paragraphs 1-2",
        level=Level.REQUIRED,
        title="Suspected fraud described",
        procedures=FRAUD,
        applies=c.always,
        check=c.has_fraud_ground,
        procedure_step=False,
    ),
    Rule(
        code=RuleCode.ABUSE_REPEATED,
        clause="Policy details, general rule, second criterion",
        level=Level.REQUIRED,
        title="Profane or derogatory language was repeated",
        procedures=ALL,
        applies=c.ground_present(GroundKind.VERBAL_ABUSE),
        check=c.abuse_repeated,
        procedure_step=False,
    ),
    Rule(
        code=RuleCode.THREAT_TARGET,
        clause="Policy details, general rule, first criterion",
        level=Level.REQUIRED,
        title="Target of the threat named",
        procedures=ALL,
        applies=c.ground_present(GroundKind.THREAT),
        check=c.threat_targets,
        procedure_step=False,
    ),
    *(_redirect(wish, redirection) for wish, redirection in REDIRECTION_FOR_WISH.items()),
    # ---- assister procedure for inappropriate consumer interactions
    Rule(
        code=RuleCode.ASSISTER_REMINDER,
        clause=f"{A}, step 1",
        level=Level.REQUIRED,
        title="Reminded the consumer that the policy allows ending the call or meeting",
        procedures=ASSISTER,
        applies=c.always,
        check=c.event_before_end(
            EventKind.REMINDER_GIVEN, "No reminder is recorded before the interaction ended."
        ),
    ),
    Rule(
        code=RuleCode.ASSISTER_FURTHER_ATTEMPT,
        clause=f"{A}, step 2",
        level=Level.REQUIRED,
        title="At least one more attempt to determine and resolve the consumer's issue",
        procedures=ASSISTER,
        applies=c.always,
        check=c.event_before_end(
            EventKind.FURTHER_ATTEMPT,
            "No further attempt to resolve the issue is recorded.",
            after=EventKind.REMINDER_GIVEN,
        ),
    ),
    Rule(
        code=RuleCode.ASSISTER_BASIS,
        clause=f"{A}, steps 2.1-2.2",
        level=Level.REQUIRED,
        title="Issue resolved and consumer advised, or behavior continued after the reminder",
        procedures=ASSISTER,
        applies=c.ended,
        check=c.basis_for_ending,
    ),
    Rule(
        code=RuleCode.ASSISTER_ENDED,
        clause=f"{A}, step 2.2",
        level=Level.REQUIRED,
        title="Call or meeting ended",
        procedures=ASSISTER,
        applies=c.always,
        check=c.event_any(
            EventKind.INTERACTION_ENDED, "The timeline does not show when the interaction ended."
        ),
    ),
    Rule(
        code=RuleCode.ASSISTER_LAW_ENFORCEMENT,
        clause=f"{A}, step 2.2",
        level=Level.ADVISED,
        title="Judgment on calling law enforcement",
        procedures=ASSISTER | FRAUD,
        applies=c.ground_present(GroundKind.THREAT),
        check=c.law_enforcement,
    ),
    Rule(
        code=RuleCode.ASSISTER_DOCUMENTED,
        clause=f"{A}, step 3",
        level=Level.ADVISED,
        title="Call or meeting documented and the record retained",
        procedures=ASSISTER,
        applies=c.always,
        check=c.documented,
    ),
    Rule(
        code=RuleCode.ASSISTER_THREAT_REPORTED,
        clause=f"{A}, step 4",
        level=Level.REQUIRED,
        title="Threat to MNsure staff or building reported immediately to the Assister Resource "
        "Center or Broker Service Line",
        procedures=ASSISTER | FRAUD,
        applies=c.threat_to_mnsure,
        check=c.event_any(
            EventKind.THREAT_REPORTED,
            "The threat to MNsure staff or the MNsure building was not reported.",
        ),
    ),
    # ---- MNsure staff procedure for inappropriate telephone calls
    Rule(
        code=RuleCode.STAFF_PHONE,
        clause=PROCEDURES[Procedure.STAFF_CALL].title,
        level=Level.REQUIRED,
        title="A telephone call",
        procedures=STAFF,
        applies=c.always,
        check=c.channel_covered,
        procedure_step=False,
    ),
    Rule(
        code=RuleCode.STAFF_REMINDER,
        clause=f"{S}, step 1",
        level=Level.REQUIRED,
        title="Reminded the caller that the call may be terminated if the behavior continues",
        procedures=STAFF,
        applies=c.always,
        check=c.event_before_end(
            EventKind.REMINDER_GIVEN, "No reminder is recorded before the call ended."
        ),
    ),
    Rule(
        code=RuleCode.STAFF_REMINDER_RECORDED,
        clause=f"{S}, step 1",
        level=Level.REQUIRED,
        title="Reminded the caller that the call is being recorded",
        procedures=STAFF,
        applies=c.always,
        check=c.staff_reminder_mentions_recording,
    ),
    Rule(
        code=RuleCode.STAFF_FURTHER_ATTEMPT,
        clause=f"{S}, step 2",
        level=Level.REQUIRED,
        title="At least one more attempt to determine and resolve the caller's issue",
        procedures=STAFF,
        applies=c.always,
        check=c.event_before_end(
            EventKind.FURTHER_ATTEMPT,
            "No further attempt to resolve the issue is recorded.",
            after=EventKind.REMINDER_GIVEN,
        ),
    ),
    Rule(
        code=RuleCode.STAFF_BASIS,
        clause=f"{S}, steps 2.1-2.2",
        level=Level.REQUIRED,
        title="Issue resolved and caller advised, or behavior continued after the reminder",
        procedures=STAFF,
        applies=c.ended,
        check=c.basis_for_ending,
    ),
    Rule(
        code=RuleCode.STAFF_ENDED,
        clause=f"{S}, steps 2.1-2.2",
        level=Level.REQUIRED,
        title="Call disconnected",
        procedures=STAFF,
        applies=c.always,
        check=c.event_any(
            EventKind.INTERACTION_ENDED, "The timeline does not show when the call ended."
        ),
    ),
    Rule(
        code=RuleCode.STAFF_DOCUMENTED,
        clause=f"{S}, step 3",
        level=Level.REQUIRED,
        title="Call documented",
        procedures=STAFF,
        applies=c.always,
        check=c.documented,
    ),
    Rule(
        code=RuleCode.STAFF_RECORDING_PRESERVED,
        clause=f"{S}, step 3",
        level=Level.REQUIRED,
        title="Recording of the call preserved",
        procedures=STAFF,
        applies=c.recording_available,
        check=c.event_any(EventKind.RECORDING_PRESERVED, "The call recording was not preserved."),
    ),
    Rule(
        code=RuleCode.STAFF_LEADERSHIP_NOTIFIED,
        clause=f"{S}, step 3",
        level=Level.REQUIRED,
        title="Broker Relations Director or Senior Director of Partner and Board Relations notified",
        procedures=STAFF,
        applies=c.assister_on_call,
        check=c.event_any(
            EventKind.LEADERSHIP_NOTIFIED,
            "The call involved a certified assister but leadership was not notified.",
        ),
    ),
    # ---- assister procedure for suspected fraud
    Rule(
        code=RuleCode.FRAUD_ACCURACY_REMINDER,
        clause=f"{F}, paragraphs 1-2",
        level=Level.ADVISED,
        title="Reminded the consumer of the importance of providing accurate information",
        procedures=FRAUD,
        applies=c.not_acknowledged,
        check=c.event_any(EventKind.ACCURACY_REMINDER, "No accuracy reminder is recorded."),
    ),
    Rule(
        code=RuleCode.FRAUD_ACCURACY_REMINDER_BEFORE_END,
        clause=f"{F}, paragraph 2",
        level=Level.REQUIRED,
        title="Reminded the consumer of the importance of providing accurate information",
        procedures=FRAUD,
        applies=c.acknowledged,
        check=c.event_before_end(
            EventKind.ACCURACY_REMINDER,
            "No accuracy reminder is recorded before the interaction ended.",
        ),
    ),
    Rule(
        code=RuleCode.FRAUD_ASSISTANCE_CONTINUED,
        clause=f"{F}, paragraph 1",
        level=Level.ADVISED,
        title="Continued to attempt to provide assistance",
        procedures=FRAUD,
        applies=c.not_acknowledged,
        check=c.event_any(
            EventKind.ASSISTANCE_CONTINUED, "The record does not show assistance continued."
        ),
    ),
    Rule(
        code=RuleCode.FRAUD_END_ALLOWED,
        clause=f"{F}, paragraph 2",
        level=Level.REQUIRED,
        title="Ending allowed: false information acknowledged and requested",
        procedures=FRAUD,
        applies=c.ended,
        check=c.fraud_end_allowed,
        procedure_step=False,
    ),
    Rule(
        code=RuleCode.FRAUD_REQUESTED_AGAIN,
        clause=f"{F}, paragraph 2",
        level=Level.REQUIRED,
        title="Consumer continued to request the false entry after the reminder",
        procedures=FRAUD,
        applies=c.acknowledged_and_ended,
        check=c.event_before_end(
            EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
            "No repeated request to enter false information is recorded between the "
            "accuracy reminder and the end of the interaction.",
            after=EventKind.ACCURACY_REMINDER,
        ),
    ),
    Rule(
        code=RuleCode.FRAUD_REFERRED,
        clause=f"{F}, paragraph 1",
        level=Level.REQUIRED,
        title="Suspected fraud referred to MNsure (Reporting Fraud and Complaints Policy)",
        procedures=FRAUD,
        applies=c.always,
        check=c.event_any(EventKind.FRAUD_REFERRED, "The suspected fraud was not referred."),
    ),
    Rule(
        code=RuleCode.FRAUD_DOCUMENTED,
        clause=f"{F}, paragraph 3",
        level=Level.ADVISED,
        title="Call or meeting documented and the record retained",
        procedures=FRAUD,
        applies=c.always,
        check=c.documented,
    ),
    Rule(
        code=RuleCode.FRAUD_EVIDENCE_PRESERVED,
        clause=f"{F}, paragraph 3",
        level=Level.ADVISED,
        title="All evidence of the call or meeting preserved",
        procedures=FRAUD,
        applies=c.always,
        check=c.event_any(EventKind.EVIDENCE_PRESERVED, "No evidence preservation is recorded."),
    ),
    Rule(
        code=RuleCode.FRAUD_NO_DISCUSSION,
        clause=f"{F}, paragraph 3",
        level=Level.ADVISED,
        title="Not discussed with co-workers until debriefed by law enforcement",
        procedures=FRAUD,
        applies=c.always,
        check=c.no_discussion,
    ),
)

RULES_BY_CODE: dict[RuleCode, Rule] = {r.code: r for r in RULES}


def rule(code: str) -> Rule:
    """The rule with this code; an unknown code raises ``KeyError`` naming it."""
    return RULES_BY_CODE[rule_code(code)]
