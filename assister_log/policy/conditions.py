"""The tests the rules are built from: when a rule applies (``Incident -> bool``) and how the
record shows its step was done (``Incident -> Outcome``). ``policy.rules`` pairs them with
codes, clauses and titles; the thresholds they test against are in ``policy.codes``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from assister_log.domain.model import (
    EventKind,
    GroundKind,
    Incident,
    PartyKind,
    Redirection,
    UnrelatedWish,
)
from assister_log.policy.codes import (
    ABUSE_MIN_OCCURRENCES,
    BEHAVIOUR_GROUNDS,
    MNSURE_THREAT_TARGETS,
)
from assister_log.policy.procedures import spec

# What a check returns: the time the step was done, True when done at no particular time,
# or a string saying what is wrong (missing or out of order).
Outcome = datetime | bool | str
Applies = Callable[[Incident], bool]
Check = Callable[[Incident], Outcome]


def end_time(incident: Incident) -> datetime | None:
    ended = incident.first(EventKind.INTERACTION_ENDED)
    return ended.at if ended else None


# ---- when a rule applies


def always(_: Incident) -> bool:
    return True


def ended(incident: Incident) -> bool:
    return end_time(incident) is not None


def ground_present(kind: GroundKind) -> Applies:
    return lambda incident: incident.ground(kind) is not None


def wished(wish: UnrelatedWish) -> Applies:
    """The person insisting on unrelated matters wanted ``wish``."""

    def applies(incident: Incident) -> bool:
        ground = incident.ground(GroundKind.UNRELATED_MATTERS)
        return ground is not None and ground.wish is wish

    return applies


def threat_to_mnsure(incident: Incident) -> bool:
    ground = incident.ground(GroundKind.THREAT)
    return ground is not None and bool(MNSURE_THREAT_TARGETS & set(ground.targets))


def recording_available(incident: Incident) -> bool:
    return incident.staff_call is not None and incident.staff_call.recording_available


def assister_on_call(incident: Incident) -> bool:
    """The call involved a certified assister: the caller is an assister partner, or one
    was on the call."""
    details = incident.staff_call
    return incident.party.kind is PartyKind.ASSISTER_PARTNER or bool(
        details and details.assister_on_call
    )


def acknowledged(incident: Incident) -> bool:
    """The consumer acknowledged the information is false (and asked for it to be entered)."""
    ground = incident.ground(GroundKind.SUSPECTED_FRAUD)
    return ground is not None and ground.acknowledged_false


def not_acknowledged(incident: Incident) -> bool:
    return not acknowledged(incident)


def acknowledged_and_ended(incident: Incident) -> bool:
    return acknowledged(incident) and ended(incident)


# ---- how the record shows a step was done


def event_before_end(kind: EventKind, missing: str, *, after: EventKind | None = None) -> Check:
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


def event_any(kind: EventKind, missing: str) -> Check:
    def check(incident: Incident) -> Outcome:
        event = incident.first(kind)
        return event.at if event else missing

    return check


def documented(incident: Incident) -> Outcome:
    return incident.recorded_at


def has_behaviour_ground(incident: Incident) -> Outcome:
    if any(g.kind in BEHAVIOUR_GROUNDS for g in incident.grounds):
        return True
    return (
        "No ground is recorded: choose at least one of threat of physical harm, verbal abuse, "
        "or insisting on unrelated matters."
    )


def has_fraud_ground(incident: Incident) -> Outcome:
    if incident.ground(GroundKind.SUSPECTED_FRAUD):
        return True
    return "No suspected-fraud ground is recorded: say what information seemed fraudulent."


def abuse_repeated(incident: Incident) -> Outcome:
    ground = incident.ground(GroundKind.VERBAL_ABUSE)
    assert ground is not None
    if ground.occurrences >= ABUSE_MIN_OCCURRENCES:
        return True
    return (
        f"Verbal abuse under the policy means repeated profane or derogatory language; "
        f"this record counts {ground.occurrences} occurrence(s)."
    )


def threat_targets(incident: Incident) -> Outcome:
    ground = incident.ground(GroundKind.THREAT)
    assert ground is not None
    return True if ground.targets else "The threat of physical harm names no target."


def redirected(redirection: Redirection, where: str) -> Check:
    def check(incident: Incident) -> Outcome:
        ground = incident.ground(GroundKind.UNRELATED_MATTERS)
        if ground is not None and redirection in ground.redirections:
            event = incident.first(EventKind.REDIRECTED)
            return event.at if event else True
        return f"The person was not directed to {where}."

    return check


def law_enforcement(incident: Incident) -> Outcome:
    event = incident.first(EventKind.LAW_ENFORCEMENT_CALLED) or incident.first(
        EventKind.LAW_ENFORCEMENT_NOT_CALLED
    )
    if event:
        return event.at
    return "No decision about calling law enforcement is recorded."


def basis_for_ending(incident: Incident) -> Outcome:
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


def staff_reminder_mentions_recording(incident: Incident) -> Outcome:
    details = incident.staff_call
    if details and details.reminder_mentioned_recording:
        reminder = incident.first(EventKind.REMINDER_GIVEN)
        return reminder.at if reminder else True
    return "The reminder does not record that the caller was told the call is being recorded."


def channel_covered(incident: Incident) -> Outcome:
    if incident.channel in spec(incident.procedure).channels:
        return True
    return "The MNsure staff procedure covers telephone calls; this record is not a phone call."


def fraud_end_allowed(incident: Incident) -> Outcome:
    if acknowledged(incident) or any(g.kind in BEHAVIOUR_GROUNDS for g in incident.grounds):
        return True
    return (
        "The policy allows ending over fraud only when the consumer acknowledges the information "
        "is false and keeps asking for it to be entered; otherwise assistance should continue."
    )


def no_discussion(incident: Incident) -> Outcome:
    if incident.fraud and incident.fraud.no_discussion_acknowledged:
        return True
    return "The record does not confirm the instruction not to discuss it with co-workers."
