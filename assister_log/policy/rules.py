"""The policy's procedures as a table of rules.

Each rule cites the clause it comes from, says whether the policy requires the step ("will",
"must", "please report") or advises it ("should", "may", "can", "is advised"), when it applies
and how the record shows it was done. ``evaluate`` and ``checklist`` in ``policy.checks`` read
this table; nothing else encodes the policy.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from assister_log.domain.model import (
    EventKind,
    GroundKind,
    Incident,
    PartyKind,
    Procedure,
    Redirection,
    ThreatTarget,
    UnrelatedWish,
)


class Level(enum.StrEnum):
    REQUIRED = "required"
    ADVISED = "advised"


# What a check returns: the time the step was done, True when done at no particular time,
# or a string saying what is wrong (missing or out of order).
Outcome = datetime | bool | str


@dataclass(frozen=True)
class Rule:
    code: str
    clause: str
    level: Level
    title: str
    procedures: frozenset[Procedure]
    applies: Callable[[Incident], bool]
    check: Callable[[Incident], Outcome]
    procedure_step: bool = True  # printed in the checklist; False for criteria checks


ALL = frozenset(Procedure)
ASSISTER = frozenset({Procedure.INAPPROPRIATE_INTERACTION})
STAFF = frozenset({Procedure.STAFF_CALL})
FRAUD = frozenset({Procedure.SUSPECTED_FRAUD})
BEHAVIOUR_GROUNDS = (GroundKind.THREAT, GroundKind.VERBAL_ABUSE, GroundKind.UNRELATED_MATTERS)


def end_time(incident: Incident) -> datetime | None:
    ended = incident.first(EventKind.INTERACTION_ENDED)
    return ended.at if ended else None


def _always(_: Incident) -> bool:
    return True


def _ended(incident: Incident) -> bool:
    return end_time(incident) is not None


def _event_before_end(
    kind: EventKind, missing: str, *, after: EventKind | None = None
) -> Callable[[Incident], Outcome]:
    """Done when an event of ``kind`` is on the timeline before the interaction ended (and
    after the first ``after`` event, when given)."""

    def check(incident: Incident) -> Outcome:
        events = incident.events(kind)
        if not events:
            return missing
        end = end_time(incident)
        first_after = incident.first(after) if after else None
        start = first_after.at if first_after else None
        for event in events:
            if (end is None or event.at <= end) and (start is None or event.at >= start):
                return event.at
        if end is not None and all(e.at > end for e in events):
            return f"{missing.rstrip('.')}: it is recorded only after the interaction ended."
        return f"{missing.rstrip('.')}: it is recorded only before the reminder."

    return check


def _event_any(kind: EventKind, missing: str) -> Callable[[Incident], Outcome]:
    def check(incident: Incident) -> Outcome:
        event = incident.first(kind)
        return event.at if event else missing

    return check


def _documented(incident: Incident) -> Outcome:
    return incident.recorded_at


def _has_behaviour_ground(incident: Incident) -> Outcome:
    if any(g.kind in BEHAVIOUR_GROUNDS for g in incident.grounds):
        return True
    return (
        "No ground is recorded: choose at least one of threat of physical harm, verbal abuse, "
        "or insisting on unrelated matters."
    )


def _has_fraud_ground(incident: Incident) -> Outcome:
    if incident.ground(GroundKind.SUSPECTED_FRAUD):
        return True
    return "No suspected-fraud ground is recorded: say what information seemed fraudulent."


def _abuse_repeated(incident: Incident) -> Outcome:
    ground = incident.ground(GroundKind.VERBAL_ABUSE)
    assert ground is not None
    if ground.occurrences >= 2:
        return True
    return (
        f"Verbal abuse under the policy means repeated profane or derogatory language; "
        f"this record counts {ground.occurrences} occurrence(s)."
    )


def _threat_targets(incident: Incident) -> Outcome:
    ground = incident.ground(GroundKind.THREAT)
    assert ground is not None
    return True if ground.targets else "The threat of physical harm names no target."


def _redirect(wish: UnrelatedWish, redirection: Redirection, where: str) -> Rule:
    def applies(incident: Incident) -> bool:
        ground = incident.ground(GroundKind.UNRELATED_MATTERS)
        return ground is not None and ground.wish is wish

    def check(incident: Incident) -> Outcome:
        ground = incident.ground(GroundKind.UNRELATED_MATTERS)
        if ground is not None and redirection in ground.redirections:
            redirected = incident.first(EventKind.REDIRECTED)
            return redirected.at if redirected else True
        return f"The person was not directed to {where}."

    return Rule(
        code=f"redirect-{redirection.value}",
        clause="Policy details, general rule, third criterion",
        level=Level.ADVISED,
        title=f"Directed to {where}",
        procedures=ALL,
        applies=applies,
        check=check,
    )


def _ground_present(kind: GroundKind) -> Callable[[Incident], bool]:
    return lambda incident: incident.ground(kind) is not None


def _threat_to_mnsure(incident: Incident) -> bool:
    ground = incident.ground(GroundKind.THREAT)
    return ground is not None and bool(
        {ThreatTarget.MNSURE_STAFF, ThreatTarget.MNSURE_BUILDING} & set(ground.targets)
    )


def _law_enforcement(incident: Incident) -> Outcome:
    event = incident.first(EventKind.LAW_ENFORCEMENT_CALLED) or incident.first(
        EventKind.LAW_ENFORCEMENT_NOT_CALLED
    )
    if event:
        return event.at
    return "No decision about calling law enforcement is recorded."


def _basis_for_ending(incident: Incident) -> Outcome:
    end = end_time(incident)
    reminder = incident.first(EventKind.REMINDER_GIVEN)
    for kind in (EventKind.ISSUE_RESOLVED_ADVISED, EventKind.BEHAVIOUR_CONTINUED):
        for event in incident.events(kind):
            after_reminder = kind is EventKind.ISSUE_RESOLVED_ADVISED or (
                reminder is not None and event.at >= reminder.at
            )
            if end is not None and event.at <= end and after_reminder:
                return event.at
    return (
        "The record shows no reason to end: neither that the issue was resolved and the person "
        "advised, nor that the behavior continued after the reminder."
    )


def _staff_reminder_mentions_recording(incident: Incident) -> Outcome:
    details = incident.staff_call
    if details and details.reminder_mentioned_recording:
        reminder = incident.first(EventKind.REMINDER_GIVEN)
        return reminder.at if reminder else True
    return "The reminder does not record that the caller was told the call is being recorded."


def _recording_available(incident: Incident) -> bool:
    return incident.staff_call is not None and incident.staff_call.recording_available


def _assister_on_call(incident: Incident) -> bool:
    details = incident.staff_call
    return incident.party.kind is PartyKind.ASSISTER_PARTNER or bool(
        details and details.assister_on_call
    )


def _phone_channel(incident: Incident) -> Outcome:
    from assister_log.domain.model import Channel

    if incident.channel is Channel.PHONE:
        return True
    return "The MNsure staff procedure covers telephone calls; this record is not a phone call."


def _acknowledged(incident: Incident) -> bool:
    ground = incident.ground(GroundKind.SUSPECTED_FRAUD)
    return ground is not None and ground.acknowledged_false


def _fraud_end_allowed(incident: Incident) -> Outcome:
    if _acknowledged(incident) or any(g.kind in BEHAVIOUR_GROUNDS for g in incident.grounds):
        return True
    return (
        "The policy allows ending over fraud only when the consumer acknowledges the information "
        "is false and keeps asking for it to be entered; otherwise assistance should continue."
    )


def _no_discussion(incident: Incident) -> Outcome:
    if incident.fraud and incident.fraud.no_discussion_acknowledged:
        return True
    return "The record does not confirm the instruction not to discuss it with co-workers."


A = "Assister procedure"
S = "Telephone procedure (MNsure staff)"
F = "Suspected-fraud procedure"

RULES: tuple[Rule, ...] = (
    # ---- criteria: what makes an interaction inappropriate (policy details, general rule)
    Rule(
        "ground-behaviour",
        "Policy details, general rule",
        Level.REQUIRED,
        "A ground under the general rule",
        ASSISTER | STAFF,
        _always,
        _has_behaviour_ground,
        procedure_step=False,
    ),
    Rule(
        "ground-fraud",
        f"{F}, paragraphs 1-2",
        Level.REQUIRED,
        "Suspected fraud described",
        FRAUD,
        _always,
        _has_fraud_ground,
        procedure_step=False,
    ),
    Rule(
        "abuse-repeated",
        "Policy details, general rule, second criterion",
        Level.REQUIRED,
        "Profane or derogatory language was repeated",
        ALL,
        _ground_present(GroundKind.VERBAL_ABUSE),
        _abuse_repeated,
        procedure_step=False,
    ),
    Rule(
        "threat-target",
        "Policy details, general rule, first criterion",
        Level.REQUIRED,
        "Target of the threat named",
        ALL,
        _ground_present(GroundKind.THREAT),
        _threat_targets,
        procedure_step=False,
    ),
    _redirect(
        UnrelatedWish.COMPLAINT_ABOUT_MNSURE,
        Redirection.GET_HELP_PAGE,
        "the Get Help page on the MNsure website",
    ),
    _redirect(
        UnrelatedWish.GENERAL_STATEMENT,
        Redirection.PUBLIC_FEEDBACK_EMAIL,
        "publicfeedback@mnsure.org",
    ),
    # ---- assister procedure for inappropriate consumer interactions
    Rule(
        "assister-reminder",
        f"{A}, step 1",
        Level.REQUIRED,
        "Reminded the consumer that the policy allows ending the call or meeting",
        ASSISTER,
        _always,
        _event_before_end(EventKind.REMINDER_GIVEN, "The interaction ended without the reminder."),
    ),
    Rule(
        "assister-further-attempt",
        f"{A}, step 2",
        Level.REQUIRED,
        "At least one more attempt to determine and resolve the consumer's issue",
        ASSISTER,
        _always,
        _event_before_end(
            EventKind.FURTHER_ATTEMPT,
            "No further attempt to resolve the issue is recorded.",
            after=EventKind.REMINDER_GIVEN,
        ),
    ),
    Rule(
        "assister-basis",
        f"{A}, steps 2.1-2.2",
        Level.REQUIRED,
        "Issue resolved and consumer advised, or behavior continued after the reminder",
        ASSISTER,
        _ended,
        _basis_for_ending,
    ),
    Rule(
        "assister-ended",
        f"{A}, step 2.2",
        Level.REQUIRED,
        "Call or meeting ended",
        ASSISTER,
        _always,
        _event_any(
            EventKind.INTERACTION_ENDED, "The timeline does not show when the interaction ended."
        ),
    ),
    Rule(
        "assister-law-enforcement",
        f"{A}, step 2.2",
        Level.ADVISED,
        "Judgment on calling law enforcement",
        ASSISTER | FRAUD,
        _ground_present(GroundKind.THREAT),
        _law_enforcement,
    ),
    Rule(
        "assister-documented",
        f"{A}, step 3",
        Level.ADVISED,
        "Call or meeting documented and the record retained",
        ASSISTER,
        _always,
        _documented,
    ),
    Rule(
        "assister-threat-reported",
        f"{A}, step 4",
        Level.REQUIRED,
        "Threat to MNsure staff or building reported immediately to the Assister Resource "
        "Center or Broker Service Line",
        ASSISTER | FRAUD,
        _threat_to_mnsure,
        _event_any(
            EventKind.THREAT_REPORTED,
            "The threat to MNsure staff or the MNsure building was not reported.",
        ),
    ),
    # ---- MNsure staff procedure for inappropriate telephone calls
    Rule(
        "staff-phone",
        "Procedures for Terminating Inappropriate Telephone Calls",
        Level.REQUIRED,
        "A telephone call",
        STAFF,
        _always,
        _phone_channel,
        procedure_step=False,
    ),
    Rule(
        "staff-reminder",
        f"{S}, step 1",
        Level.REQUIRED,
        "Reminded the caller that the call may be terminated if the behavior continues",
        STAFF,
        _always,
        _event_before_end(EventKind.REMINDER_GIVEN, "The call ended without the reminder."),
    ),
    Rule(
        "staff-reminder-recorded",
        f"{S}, step 1",
        Level.REQUIRED,
        "Reminded the caller that the call is being recorded",
        STAFF,
        _always,
        _staff_reminder_mentions_recording,
    ),
    Rule(
        "staff-further-attempt",
        f"{S}, step 2",
        Level.REQUIRED,
        "At least one more attempt to determine and resolve the caller's issue",
        STAFF,
        _always,
        _event_before_end(
            EventKind.FURTHER_ATTEMPT,
            "No further attempt to resolve the issue is recorded.",
            after=EventKind.REMINDER_GIVEN,
        ),
    ),
    Rule(
        "staff-basis",
        f"{S}, steps 2.1-2.2",
        Level.REQUIRED,
        "Issue resolved and caller advised, or behavior continued after the reminder",
        STAFF,
        _ended,
        _basis_for_ending,
    ),
    Rule(
        "staff-ended",
        f"{S}, steps 2.1-2.2",
        Level.REQUIRED,
        "Call disconnected",
        STAFF,
        _always,
        _event_any(EventKind.INTERACTION_ENDED, "The timeline does not show when the call ended."),
    ),
    Rule(
        "staff-documented",
        f"{S}, step 3",
        Level.REQUIRED,
        "Call documented",
        STAFF,
        _always,
        _documented,
    ),
    Rule(
        "staff-recording-preserved",
        f"{S}, step 3",
        Level.REQUIRED,
        "Recording of the call preserved",
        STAFF,
        _recording_available,
        _event_any(EventKind.RECORDING_PRESERVED, "The call recording was not preserved."),
    ),
    Rule(
        "staff-leadership-notified",
        f"{S}, step 3",
        Level.REQUIRED,
        "Broker Relations Director or Senior Director of Partner and Board Relations notified",
        STAFF,
        _assister_on_call,
        _event_any(
            EventKind.LEADERSHIP_NOTIFIED,
            "The call involved a certified assister but leadership was not notified.",
        ),
    ),
    # ---- assister procedure for suspected fraud
    Rule(
        "fraud-accuracy-reminder",
        f"{F}, paragraphs 1-2",
        Level.ADVISED,
        "Reminded the consumer of the importance of providing accurate information",
        FRAUD,
        lambda i: not _acknowledged(i),
        _event_any(EventKind.ACCURACY_REMINDER, "No accuracy reminder is recorded."),
    ),
    Rule(
        "fraud-accuracy-reminder-before-end",
        f"{F}, paragraph 2",
        Level.REQUIRED,
        "Reminded the consumer of the importance of providing accurate information",
        FRAUD,
        _acknowledged,
        _event_before_end(
            EventKind.ACCURACY_REMINDER, "The interaction ended without the accuracy reminder."
        ),
    ),
    Rule(
        "fraud-assistance-continued",
        f"{F}, paragraph 1",
        Level.ADVISED,
        "Continued to attempt to provide assistance",
        FRAUD,
        lambda i: not _acknowledged(i),
        _event_any(
            EventKind.ASSISTANCE_CONTINUED, "The record does not show assistance continued."
        ),
    ),
    Rule(
        "fraud-end-allowed",
        f"{F}, paragraph 2",
        Level.REQUIRED,
        "Ending allowed: false information acknowledged and requested",
        FRAUD,
        _ended,
        _fraud_end_allowed,
        procedure_step=False,
    ),
    Rule(
        "fraud-requested-again",
        f"{F}, paragraph 2",
        Level.REQUIRED,
        "Consumer continued to request the false entry after the reminder",
        FRAUD,
        lambda i: _acknowledged(i) and _ended(i),
        _event_before_end(
            EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
            "The interaction ended without the consumer repeating the request "
            "to enter false information.",
            after=EventKind.ACCURACY_REMINDER,
        ),
    ),
    Rule(
        "fraud-referred",
        f"{F}, paragraph 1",
        Level.REQUIRED,
        "Suspected fraud referred to MNsure (Reporting Fraud and Complaints Policy)",
        FRAUD,
        _always,
        _event_any(EventKind.FRAUD_REFERRED, "The suspected fraud was not referred."),
    ),
    Rule(
        "fraud-documented",
        f"{F}, paragraph 3",
        Level.ADVISED,
        "Call or meeting documented and the record retained",
        FRAUD,
        _always,
        _documented,
    ),
    Rule(
        "fraud-evidence-preserved",
        f"{F}, paragraph 3",
        Level.ADVISED,
        "All evidence of the call or meeting preserved",
        FRAUD,
        _always,
        _event_any(EventKind.EVIDENCE_PRESERVED, "No evidence preservation is recorded."),
    ),
    Rule(
        "fraud-no-discussion",
        f"{F}, paragraph 3",
        Level.ADVISED,
        "Not discussed with co-workers until debriefed by law enforcement",
        FRAUD,
        _always,
        _no_discussion,
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
