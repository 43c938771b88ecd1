"""Which grounds and timeline steps belong to each procedure, in the order the procedure
runs: the editor's ground choices and one-click timeline buttons come from here."""

from __future__ import annotations

from assister_log.domain.model import EventKind, GroundKind, Procedure

# The one-click timeline buttons per procedure, in the order the procedure runs.
EVENTS_BY_PROCEDURE: dict[Procedure, tuple[EventKind, ...]] = {
    Procedure.INAPPROPRIATE_INTERACTION: (
        EventKind.BEHAVIOUR_STARTED,
        EventKind.REMINDER_GIVEN,
        EventKind.FURTHER_ATTEMPT,
        EventKind.ISSUE_RESOLVED_ADVISED,
        EventKind.BEHAVIOUR_CONTINUED,
        EventKind.REDIRECTED,
        EventKind.INTERACTION_ENDED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.LAW_ENFORCEMENT_NOT_CALLED,
        EventKind.THREAT_REPORTED,
        EventKind.COMPLAINT_FILED,
        EventKind.OTHER,
    ),
    Procedure.STAFF_CALL: (
        EventKind.BEHAVIOUR_STARTED,
        EventKind.REMINDER_GIVEN,
        EventKind.FURTHER_ATTEMPT,
        EventKind.ISSUE_RESOLVED_ADVISED,
        EventKind.BEHAVIOUR_CONTINUED,
        EventKind.REDIRECTED,
        EventKind.INTERACTION_ENDED,
        EventKind.RECORDING_PRESERVED,
        EventKind.LEADERSHIP_NOTIFIED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.OTHER,
    ),
    Procedure.SUSPECTED_FRAUD: (
        EventKind.FRAUDULENT_ENTRY_REQUESTED,
        EventKind.ACCURACY_REMINDER,
        EventKind.ASSISTANCE_CONTINUED,
        EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
        EventKind.BEHAVIOUR_STARTED,
        EventKind.INTERACTION_ENDED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.LAW_ENFORCEMENT_NOT_CALLED,
        EventKind.THREAT_REPORTED,
        EventKind.EVIDENCE_PRESERVED,
        EventKind.FRAUD_REFERRED,
        EventKind.COMPLAINT_FILED,
        EventKind.OTHER,
    ),
}

_BEHAVIOUR = (GroundKind.THREAT, GroundKind.VERBAL_ABUSE, GroundKind.UNRELATED_MATTERS)

# The grounds a procedure offers; a fraud record may also show behaviour (a threat).
GROUNDS_BY_PROCEDURE: dict[Procedure, tuple[GroundKind, ...]] = {
    Procedure.INAPPROPRIATE_INTERACTION: _BEHAVIOUR,
    Procedure.STAFF_CALL: _BEHAVIOUR,
    Procedure.SUSPECTED_FRAUD: (GroundKind.SUSPECTED_FRAUD, *_BEHAVIOUR),
}
