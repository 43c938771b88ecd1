"""The record of an interaction ended under MNsure's Identifying and Terminating Inappropriate
Interactions Policy, as frozen dataclasses.

Everything here is plain data: validation of user input lives in ``domain.serialization``,
the policy's procedure steps and checks in ``policy``. The vocabulary follows the policy's
own words so that the app, the CLI's JSON and the PDFs say the same thing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Procedure(enum.StrEnum):
    """The three procedures the policy describes."""

    INAPPROPRIATE_INTERACTION = "inappropriate-interaction"
    SUSPECTED_FRAUD = "suspected-fraud"
    STAFF_CALL = "staff-call"


class Role(enum.StrEnum):
    BROKER = "broker"
    NAVIGATOR = "navigator"
    CAC = "cac"
    MNSURE_STAFF = "mnsure-staff"


class Channel(enum.StrEnum):
    PHONE = "phone"
    IN_PERSON = "in-person"
    VIDEO = "video"


class Status(enum.StrEnum):
    DRAFT = "draft"
    FINALIZED = "finalized"


class PartyKind(enum.StrEnum):
    CONSUMER = "consumer"
    ASSISTER_PARTNER = "assister-partner"


class GroundKind(enum.StrEnum):
    THREAT = "threat"
    VERBAL_ABUSE = "verbal-abuse"
    UNRELATED_MATTERS = "unrelated-matters"
    SUSPECTED_FRAUD = "suspected-fraud"


class ThreatTarget(enum.StrEnum):
    """Whom or what the threat of physical harm was against, as the policy lists them."""

    MNSURE_STAFF = "mnsure-staff"
    MNSURE_STAFF_HOUSEHOLD = "mnsure-staff-household"
    MNSURE_BUILDING = "mnsure-building"
    ASSISTER = "assister"
    ASSISTER_HOUSEHOLD = "assister-household"
    ASSISTER_OFFICE = "assister-office"
    PUBLIC_OFFICIAL = "public-official"
    THIRD_PARTY = "third-party"
    SELF = "self"


class AbuseCategory(enum.StrEnum):
    """What the repeated profane or derogatory language was about."""

    PROFANITY = "profanity"
    GENDER = "gender"
    RACE = "race"
    ETHNICITY = "ethnicity"
    RELIGION = "religion"
    NATIONALITY = "nationality"
    SEXUAL_ORIENTATION = "sexual-orientation"
    LANGUAGE_ABILITY = "language-ability"
    OTHER = "other"


class UnrelatedWish(enum.StrEnum):
    """What the person insisting on unrelated matters wanted, which decides the redirection."""

    COMPLAINT_ABOUT_MNSURE = "complaint-about-mnsure"
    GENERAL_STATEMENT = "general-statement"
    OTHER = "other"


class Redirection(enum.StrEnum):
    GET_HELP_PAGE = "get-help-page"
    PUBLIC_FEEDBACK_EMAIL = "public-feedback-email"


class FraudType(enum.StrEnum):
    FALSE_APPLICATION_INFORMATION = "false-application-information"
    UNREPORTED_INCOME = "unreported-income"
    INACCURATE_HOUSEHOLD = "inaccurate-household"
    IDENTITY_MISUSE = "identity-misuse"
    FORGED_DOCUMENTS = "forged-documents"
    BENEFITS_IN_MORE_THAN_ONE_STATE = "benefits-in-more-than-one-state"
    OTHER = "other"


class EventKind(enum.StrEnum):
    """Every step the policy's procedures name, as a timeline event."""

    BEHAVIOUR_STARTED = "behaviour-started"
    REMINDER_GIVEN = "reminder-given"
    FURTHER_ATTEMPT = "further-attempt"
    ISSUE_RESOLVED_ADVISED = "issue-resolved-advised"
    BEHAVIOUR_CONTINUED = "behaviour-continued"
    REDIRECTED = "redirected"
    INTERACTION_ENDED = "interaction-ended"
    LAW_ENFORCEMENT_CALLED = "law-enforcement-called"
    LAW_ENFORCEMENT_NOT_CALLED = "law-enforcement-not-called"
    THREAT_REPORTED = "threat-reported"
    RECORDING_PRESERVED = "recording-preserved"
    LEADERSHIP_NOTIFIED = "leadership-notified"
    ACCURACY_REMINDER = "accuracy-reminder"
    ASSISTANCE_CONTINUED = "assistance-continued"
    FRAUDULENT_ENTRY_REQUESTED = "fraudulent-entry-requested"
    FRAUDULENT_ENTRY_REQUESTED_AGAIN = "fraudulent-entry-requested-again"
    FRAUD_REFERRED = "fraud-referred"
    EVIDENCE_PRESERVED = "evidence-preserved"
    COMPLAINT_FILED = "complaint-filed"
    OTHER = "other"


class QuoteKind(enum.StrEnum):
    VERBATIM = "verbatim"
    PARAPHRASE = "paraphrase"


class ChainEntryKind(enum.StrEnum):
    FINALIZE = "finalize"
    ADDENDUM = "addendum"
    PURGE = "purge"


@dataclass(frozen=True)
class Profile:
    """The person writing the record, copied into each record when it is created."""

    name: str
    role: Role
    credential_id: str = ""
    organisation: str = ""
    site: str = ""


@dataclass(frozen=True)
class Party:
    """The other side of the interaction. There is deliberately no SSN field."""

    kind: PartyKind
    name: str = ""
    case_number: str = ""
    phone: str = ""
    language: str = ""
    interpreter: str = ""
    date_of_birth: str = ""
    address: str = ""


@dataclass(frozen=True)
class Ground:
    """One reason the interaction was inappropriate, with the policy's sub-cases."""

    kind: GroundKind
    detail: str = ""
    # threat of physical harm
    targets: tuple[ThreatTarget, ...] = ()
    # verbal abuse: the policy requires *repeated* profane or derogatory language
    categories: tuple[AbuseCategory, ...] = ()
    occurrences: int = 0
    # insisting on unrelated matters / unprofessional behaviour
    wish: UnrelatedWish | None = None
    redirections: tuple[Redirection, ...] = ()
    # suspected fraud
    information: str = ""
    acknowledged_false: bool = False
    fraud_types: tuple[FraudType, ...] = ()


@dataclass(frozen=True)
class TimelineEdit:
    """A correction of a timeline event; the original stays visible."""

    edited_at: datetime
    previous_at: datetime
    previous_note: str


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    event: EventKind
    note: str = ""
    edits: tuple[TimelineEdit, ...] = ()


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    kind: QuoteKind
    language: str = ""


@dataclass(frozen=True)
class Witness:
    name: str
    contact: str = ""
    role: str = ""


@dataclass(frozen=True)
class Attachment:
    """Metadata of an evidence file; the bytes live encrypted in the vault."""

    attachment_id: str
    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    description: str = ""


@dataclass(frozen=True)
class Deviation:
    """A documented, justified departure from a procedure step (turns a finding into a
    documented deviation)."""

    code: str
    justification: str
    recorded_at: datetime


@dataclass(frozen=True)
class StaffCallDetails:
    """The MNsure staff procedure's extra facts."""

    recording_available: bool = True
    recording_reference: str = ""
    reminder_mentioned_recording: bool = False
    assister_on_call: bool = False


@dataclass(frozen=True)
class ReporterDetails:
    """Optional reporter contact for a fraud referral; omitted when anonymous."""

    name: str = ""
    mailing_address: str = ""
    day_phone: str = ""
    evening_phone: str = ""
    best_time: str = ""
    email: str = ""


@dataclass(frozen=True)
class FraudReferral:
    anonymous: bool = False
    reporter: ReporterDetails = field(default_factory=ReporterDetails)
    public_program: bool = False
    other_agencies_notified: str = ""
    response_to_reminder: str = ""
    no_discussion_acknowledged: bool = False


@dataclass(frozen=True)
class Seal:
    """Where a finalized record sits in the vault's tamper-evident chain."""

    record_hash: str
    entry_hash: str
    previous_hash: str
    position: int
    sealed_at: datetime


@dataclass(frozen=True)
class Addendum:
    text: str
    reason: str
    at: datetime
    seal: Seal | None = None


@dataclass(frozen=True)
class Incident:
    """One documented interaction. ``recorded_at`` is set by the app and never edited."""

    incident_id: str
    procedure: Procedure
    author: Profile
    channel: Channel
    occurred_at: datetime
    ended_at: datetime | None
    recorded_at: datetime
    party: Party
    status: Status = Status.DRAFT
    location: str = ""
    grounds: tuple[Ground, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    quotes: tuple[Quote, ...] = ()
    witnesses: tuple[Witness, ...] = ()
    narrative: str = ""
    attachments: tuple[Attachment, ...] = ()
    deviations: tuple[Deviation, ...] = ()
    staff_call: StaffCallDetails | None = None
    fraud: FraudReferral | None = None
    updated_at: datetime | None = None
    attestation: str = ""
    seal: Seal | None = None
    addenda: tuple[Addendum, ...] = ()

    @property
    def is_final(self) -> bool:
        return self.status is Status.FINALIZED

    def events(self, *kinds: EventKind) -> tuple[TimelineEvent, ...]:
        """Timeline events of the given kinds, in time order."""
        return tuple(sorted((e for e in self.timeline if e.event in kinds), key=lambda e: e.at))

    def first(self, kind: EventKind) -> TimelineEvent | None:
        found = self.events(kind)
        return found[0] if found else None

    def ground(self, kind: GroundKind) -> Ground | None:
        return next((g for g in self.grounds if g.kind is kind), None)

    def deviation(self, code: str) -> Deviation | None:
        return next((d for d in self.deviations if d.code == code), None)
