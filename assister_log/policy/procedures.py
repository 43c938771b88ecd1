"""Each of the policy's three procedures as one specification: its heading, what it is called
in lists, the grounds it offers, the timeline steps offered (in the order the procedure runs),
the channel a new record starts with and the channels the procedure covers, the details
sections its records carry, the documents it offers, and who may follow it (the author's
profile role). The editor, the new-record dialog, the export dialog, the PDFs and the
services that create a record read these instead of keeping their own lists."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from assister_log.domain.model import Channel, EventKind, GroundKind, Incident, Procedure, Role
from assister_log.policy.codes import BEHAVIOUR_GROUNDS


class DetailsSection(enum.StrEnum):
    """The procedure-specific details a record carries (``Incident.staff_call`` /
    ``Incident.fraud``)."""

    STAFF_CALL = "staff-call"
    FRAUD_REFERRAL = "fraud-referral"


# Document kind ids (the registry with titles and file names is ``reports.kinds``), in the
# order the export dialog offers them.
RECORD = "record"
FRAUD_REFERRAL = "fraud-referral"
STAFF_MEMO = "staff-memo"
DOCUMENT_ORDER = (RECORD, FRAUD_REFERRAL, STAFF_MEMO)


@dataclass(frozen=True, kw_only=True)
class ProcedureSpec:
    procedure: Procedure
    title: str  # the policy's own heading for the procedure
    label: str  # short name in lists and the new-record dialog
    grounds: tuple[GroundKind, ...]
    events: tuple[EventKind, ...]  # the one-click timeline buttons
    default_channel: Channel
    channels: frozenset[Channel]  # the channels the procedure covers
    details: tuple[DetailsSection, ...]
    documents: tuple[str, ...]
    roles: frozenset[Role]  # who may follow it: the role of the author's profile
    roles_note: str = ""  # who may, said to the others ("The staff procedure is for …")


_TERMINATION_STEPS = (
    EventKind.BEHAVIOUR_STARTED,
    EventKind.REMINDER_GIVEN,
    EventKind.FURTHER_ATTEMPT,
    EventKind.ISSUE_RESOLVED_ADVISED,
    EventKind.BEHAVIOUR_CONTINUED,
    EventKind.REDIRECTED,
    EventKind.INTERACTION_ENDED,
)

PROCEDURES: dict[Procedure, ProcedureSpec] = {
    spec.procedure: spec
    for spec in (
        ProcedureSpec(
            procedure=Procedure.INAPPROPRIATE_INTERACTION,
            title="Assister Procedures for Terminating Inappropriate Consumer Interactions",
            label="Inappropriate interaction (assister)",
            grounds=BEHAVIOUR_GROUNDS,
            events=(
                *_TERMINATION_STEPS,
                EventKind.LAW_ENFORCEMENT_CALLED,
                EventKind.LAW_ENFORCEMENT_NOT_CALLED,
                EventKind.THREAT_REPORTED,
                EventKind.COMPLAINT_FILED,
                EventKind.OTHER,
            ),
            default_channel=Channel.IN_PERSON,
            channels=frozenset(Channel),
            details=(),
            documents=(RECORD,),
            roles=frozenset(Role),
        ),
        ProcedureSpec(
            procedure=Procedure.SUSPECTED_FRAUD,
            title="Assister Procedures for Terminating for Suspected Fraud",
            label="Suspected fraud (assister)",
            # A fraud record may also show behaviour (a threat).
            grounds=(GroundKind.SUSPECTED_FRAUD, *BEHAVIOUR_GROUNDS),
            events=(
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
            default_channel=Channel.IN_PERSON,
            channels=frozenset(Channel),
            details=(DetailsSection.FRAUD_REFERRAL,),
            documents=(RECORD, FRAUD_REFERRAL),
            roles=frozenset(Role),
        ),
        ProcedureSpec(
            procedure=Procedure.STAFF_CALL,
            title="Procedures for Terminating Inappropriate Telephone Calls",
            label="Inappropriate call (MNsure staff)",
            grounds=BEHAVIOUR_GROUNDS,
            events=(
                *_TERMINATION_STEPS,
                EventKind.RECORDING_PRESERVED,
                EventKind.LEADERSHIP_NOTIFIED,
                EventKind.LAW_ENFORCEMENT_CALLED,
                EventKind.OTHER,
            ),
            default_channel=Channel.PHONE,
            channels=frozenset({Channel.PHONE}),
            details=(DetailsSection.STAFF_CALL,),
            documents=(RECORD, STAFF_MEMO),
            # "MNsure staff will document the call": the policy's procedure for MNsure's
            # contact centers, not for assisters (navigators, brokers, CACs), who follow
            # the assister procedures and never sign a staff memo.
            roles=frozenset({Role.MNSURE_STAFF}),
            roles_note="The staff procedure is for MNsure contact-center staff",
        ),
    )
}

# Kept for the modules that read the per-procedure lists directly.
EVENTS_BY_PROCEDURE: dict[Procedure, tuple[EventKind, ...]] = {
    p: s.events for p, s in PROCEDURES.items()
}
GROUNDS_BY_PROCEDURE: dict[Procedure, tuple[GroundKind, ...]] = {
    p: s.grounds for p, s in PROCEDURES.items()
}


def spec(procedure: Procedure) -> ProcedureSpec:
    return PROCEDURES[procedure]


def may_follow(procedure: Procedure, role: Role) -> bool:
    """Whether an author with this profile role may start a record under ``procedure``
    (``wording.procedure_refusal`` says why not)."""
    return role in spec(procedure).roles


def default_procedure(role: Role | None) -> Procedure:
    """The procedure a new record starts with: MNsure staff follow the telephone procedure,
    assisters the assister procedure."""
    if role is Role.MNSURE_STAFF:
        return Procedure.STAFF_CALL
    return Procedure.INAPPROPRIATE_INTERACTION


def details_sections(incident: Incident) -> tuple[DetailsSection, ...]:
    """The details sections to show: the procedure's own, plus any the record carries anyway
    (e.g. imported from JSON)."""
    own = spec(incident.procedure).details
    present = {
        DetailsSection.STAFF_CALL: incident.staff_call is not None,
        DetailsSection.FRAUD_REFERRAL: incident.fraud is not None,
    }
    return tuple(s for s in DetailsSection if s in own or present[s])


def documents_for(incident: Incident) -> tuple[str, ...]:
    """The documents the policy calls for with this record: the procedure's own, plus the
    fraud referral whenever a suspected-fraud ground is recorded (the Reporting Fraud and
    Complaints Policy applies whatever the procedure). The evidence bundle of a finalized
    record is not a policy document; ``services.export`` adds it."""
    wanted = set(spec(incident.procedure).documents)
    if incident.ground(GroundKind.SUSPECTED_FRAUD) is not None:
        wanted.add(FRAUD_REFERRAL)
    return tuple(kind for kind in DOCUMENT_ORDER if kind in wanted)
