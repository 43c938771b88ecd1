"""The policy's own words for every choice the app offers, so screens, the CLI and PDFs print
the same text. Quotations are from MNsure's Identifying and Terminating Inappropriate
Interactions Policy (``resources/policy/``)."""

from __future__ import annotations

from assister_log.domain.model import (
    AbuseCategory,
    Channel,
    EventKind,
    FraudType,
    GroundKind,
    PartyKind,
    Procedure,
    QuoteKind,
    Redirection,
    Role,
    Status,
    ThreatTarget,
    UnrelatedWish,
)
from assister_log.policy.codes import ABUSE_MIN_OCCURRENCES, REDIRECTION_FOR_WISH
from assister_log.policy.procedures import PROCEDURES, may_follow

POLICY_TITLE = "Identifying and Terminating Inappropriate Interactions Policy"

# The procedures' headings and short names live with the rest of each procedure's
# specification (``policy.procedures``).
PROCEDURE_TITLES: dict[Procedure, str] = {p: s.title for p, s in PROCEDURES.items()}
PROCEDURE_LABELS: dict[Procedure, str] = {p: s.label for p, s in PROCEDURES.items()}

ROLE_LABELS: dict[Role, str] = {
    Role.BROKER: "Certified broker",
    Role.NAVIGATOR: "Navigator",
    Role.CAC: "Certified application counselor",
    Role.MNSURE_STAFF: "MNsure staff",
}


def procedure_refusal(procedure: Procedure, role: Role) -> str | None:
    """Why an author with this profile role may not start a record under ``procedure``, in
    one line ("The staff procedure is for MNsure contact-center staff; your profile says
    Navigator."), or None if they may (``procedures.may_follow``)."""
    if may_follow(procedure, role):
        return None
    return f"{PROCEDURES[procedure].roles_note}; your profile says {ROLE_LABELS[role]}."


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PHONE: "Phone call",
    Channel.IN_PERSON: "In-person meeting",
    Channel.VIDEO: "Video meeting",
}

STATUS_LABELS: dict[Status, str] = {Status.DRAFT: "Draft", Status.FINALIZED: "Finalized"}

PARTY_LABELS: dict[PartyKind, str] = {
    PartyKind.CONSUMER: "Consumer",
    PartyKind.ASSISTER_PARTNER: "Assister partner",
}

GROUND_LABELS: dict[GroundKind, str] = {
    GroundKind.THREAT: "Threat of physical harm",
    GroundKind.VERBAL_ABUSE: "Verbal abuse",
    GroundKind.UNRELATED_MATTERS: "Insists on unrelated matters / unprofessional behavior",
    GroundKind.SUSPECTED_FRAUD: "Suspected fraud",
}

GROUND_WORDING: dict[GroundKind, str] = {
    GroundKind.THREAT: (
        "Threatens physical harm to MNsure staff (or members of the staff's household), the "
        "MNsure office building, a MNsure assister (or members of the assister's household), "
        "the assister's office location, a public official, a third party, or to the caller "
        "himself or herself."
    ),
    GroundKind.VERBAL_ABUSE: (
        "Is verbally abusive to MNsure staff person or assister. An interaction is verbally "
        "abusive if the individual repeatedly uses profane or derogatory language during the "
        "call or interaction."
    ),
    GroundKind.UNRELATED_MATTERS: (
        "Insists on discussing matters unrelated to MNsure's health insurance programs, "
        "including unprofessional or inappropriate behavior. This includes actions, words or "
        "physical gestures that could reasonably cause another person distress or discomfort."
    ),
    GroundKind.SUSPECTED_FRAUD: (
        "An assister suspects a consumer may be providing fraudulent information, or a "
        "consumer requests that an assister enter information that they acknowledge is "
        "fraudulent."
    ),
}

# The policy's own words for the suspected-fraud ground: the first sentence of each of the
# two bullets of "Assister Procedures for Terminating for Suspected Fraud" (the summary in
# GROUND_WORDING above is not a quotation). The PDFs quote these.
FRAUD_GROUND_WORDING: tuple[str, ...] = (
    "If an assister suspects a consumer may be providing fraudulent information, the assister "
    "can remind the consumer of the importance of providing accurate information.",
    "If a consumer requests that an assister enter information that they acknowledge is "
    "fraudulent, the assister should remind the consumer of the importance of providing "
    "accurate information.",
)


def ground_quote(kind: GroundKind) -> str:
    """The policy's own words for a ground, as every screen and page quotes them: for
    suspected fraud its procedure's two sentences joined by " … ", else GROUND_WORDING."""
    if kind is GroundKind.SUSPECTED_FRAUD:
        return " … ".join(FRAUD_GROUND_WORDING)
    return GROUND_WORDING[kind]


TARGET_LABELS: dict[ThreatTarget, str] = {
    ThreatTarget.MNSURE_STAFF: "MNsure staff",
    ThreatTarget.MNSURE_STAFF_HOUSEHOLD: "Members of the staff's household",
    ThreatTarget.MNSURE_BUILDING: "The MNsure office building",
    ThreatTarget.ASSISTER: "A MNsure assister",
    ThreatTarget.ASSISTER_HOUSEHOLD: "Members of the assister's household",
    ThreatTarget.ASSISTER_OFFICE: "The assister's office location",
    ThreatTarget.PUBLIC_OFFICIAL: "A public official",
    ThreatTarget.THIRD_PARTY: "A third party",
    ThreatTarget.SELF: "The caller/consumer himself or herself",
}

ABUSE_LABELS: dict[AbuseCategory, str] = {
    AbuseCategory.PROFANITY: "Curse words / profanity",
    AbuseCategory.GENDER: "Insults about gender",
    AbuseCategory.RACE: "Insults about race",
    AbuseCategory.ETHNICITY: "Insults about ethnicity",
    AbuseCategory.RELIGION: "Insults about religion",
    AbuseCategory.NATIONALITY: "Insults about nationality",
    AbuseCategory.SEXUAL_ORIENTATION: "Insults about sexual orientation",
    AbuseCategory.LANGUAGE_ABILITY: "Insults about language ability or proficiency",
    AbuseCategory.OTHER: "Other derogatory language",
}

WISH_LABELS: dict[UnrelatedWish, str] = {
    UnrelatedWish.COMPLAINT_ABOUT_MNSURE: "Wished to file a complaint related to MNsure",
    UnrelatedWish.GENERAL_STATEMENT: "Wished to make a general statement about MNsure or the ACA",
    UnrelatedWish.OTHER: "Other unrelated matters or behavior",
}

# Where the general rule's third criterion sends a person (see ``codes.REDIRECTION_FOR_WISH``).
REDIRECTION_DESTINATIONS: dict[Redirection, str] = {
    Redirection.GET_HELP_PAGE: "the Get Help page on the MNsure website",
    Redirection.PUBLIC_FEEDBACK_EMAIL: "publicfeedback@mnsure.org",
}

REDIRECTION_LABELS: dict[Redirection, str] = {
    r: f"Directed to {where}" for r, where in REDIRECTION_DESTINATIONS.items()
}

_WISH_SUMMARY: dict[UnrelatedWish, str] = {
    UnrelatedWish.COMPLAINT_ABOUT_MNSURE: "a complaint about MNsure",
    UnrelatedWish.GENERAL_STATEMENT: "a general statement about MNsure or the ACA",
}

# The editor's reminder under the unrelated-matters ground.
REDIRECTION_HINT = (
    "The policy: "
    + "; ".join(
        f"{_WISH_SUMMARY[wish]} → {REDIRECTION_DESTINATIONS[redirection]}"
        for wish, redirection in REDIRECTION_FOR_WISH.items()
    )
    + "."
)

_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}

# The editor's reminder beside the verbal-abuse count.
ABUSE_REPEATED_HINT = (
    "The policy means repeated language: "
    f"{_COUNT_WORDS.get(ABUSE_MIN_OCCURRENCES, str(ABUSE_MIN_OCCURRENCES))} or more times."
)

FRAUD_TYPE_LABELS: dict[FraudType, str] = {
    FraudType.FALSE_APPLICATION_INFORMATION: "False application information",
    FraudType.UNREPORTED_INCOME: "Unreported income",
    FraudType.INACCURATE_HOUSEHOLD: "Inaccurate household members",
    FraudType.IDENTITY_MISUSE: "Identity misuse",
    FraudType.FORGED_DOCUMENTS: "Forged or altered documents",
    FraudType.BENEFITS_IN_MORE_THAN_ONE_STATE: "Benefits in more than one state",
    FraudType.OTHER: "Other",
}

EVENT_LABELS: dict[EventKind, str] = {
    EventKind.BEHAVIOUR_STARTED: "Inappropriate behavior began",
    EventKind.REMINDER_GIVEN: "Reminder given (policy allows ending the interaction)",
    EventKind.FURTHER_ATTEMPT: "Further attempt to determine and resolve the issue",
    EventKind.ISSUE_RESOLVED_ADVISED: "Issue already resolved; person advised the interaction is ending",
    EventKind.BEHAVIOUR_CONTINUED: "Behavior continued after the reminder",
    EventKind.REDIRECTED: "Redirected (Get Help page / public feedback address)",
    EventKind.INTERACTION_ENDED: "Interaction ended",
    EventKind.LAW_ENFORCEMENT_CALLED: "Law enforcement called",
    EventKind.LAW_ENFORCEMENT_NOT_CALLED: "Decided a call to law enforcement was not necessary",
    EventKind.THREAT_REPORTED: "Threat reported to the Assister Resource Center / Broker Service Line",
    EventKind.RECORDING_PRESERVED: "Call recording preserved",
    EventKind.LEADERSHIP_NOTIFIED: "Broker Relations Director / Senior Director of Partner and Board Relations notified",
    EventKind.ACCURACY_REMINDER: "Reminded of the importance of providing accurate information",
    EventKind.ASSISTANCE_CONTINUED: "Assistance continued",
    EventKind.FRAUDULENT_ENTRY_REQUESTED: "Asked the assister to enter information acknowledged as false",
    EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN: "Asked again to enter the false information",
    EventKind.FRAUD_REFERRED: "Suspected fraud referred to MNsure",
    EventKind.EVIDENCE_PRESERVED: "Evidence preserved",
    EventKind.COMPLAINT_FILED: "Complaint filed (Reporting Fraud and Complaints Policy)",
    EventKind.OTHER: "Other",
}

QUOTE_LABELS: dict[QuoteKind, str] = {
    QuoteKind.VERBATIM: "Verbatim (exact words)",
    QuoteKind.PARAPHRASE: "Paraphrase",
}

NO_DISCUSSION_INSTRUCTION = (
    "Preserve all evidence of the call or meeting and avoid discussing it with co-workers "
    "until you have been debriefed by law enforcement officers."
)
