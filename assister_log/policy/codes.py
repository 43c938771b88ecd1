"""The names of the policy's rules and the numbers it sets: every rule has a ``RuleCode``
(what ``check`` prints, what a deviation is recorded against), and every threshold a rule
tests against is a named constant here, so no other module spells a code or a number."""

from __future__ import annotations

import enum

from assister_log.domain.model import GroundKind, Redirection, ThreatTarget, UnrelatedWish


class Level(enum.StrEnum):
    REQUIRED = "required"
    ADVISED = "advised"


class RuleCode(enum.StrEnum):
    """One member per rule in ``policy.rules.RULES``, in the table's order. The values are
    stored (deviations) and printed (``check``): never rename one."""

    # criteria: what makes an interaction inappropriate (policy details, general rule)
    GROUND_BEHAVIOUR = "ground-behaviour"
    GROUND_FRAUD = "ground-fraud"
    ABUSE_REPEATED = "abuse-repeated"
    THREAT_TARGET = "threat-target"
    REDIRECT_GET_HELP_PAGE = "redirect-get-help-page"
    REDIRECT_PUBLIC_FEEDBACK_EMAIL = "redirect-public-feedback-email"
    # assister procedure for inappropriate consumer interactions
    ASSISTER_REMINDER = "assister-reminder"
    ASSISTER_FURTHER_ATTEMPT = "assister-further-attempt"
    ASSISTER_BASIS = "assister-basis"
    ASSISTER_ENDED = "assister-ended"
    ASSISTER_LAW_ENFORCEMENT = "assister-law-enforcement"
    ASSISTER_DOCUMENTED = "assister-documented"
    ASSISTER_THREAT_REPORTED = "assister-threat-reported"
    # MNsure staff procedure for inappropriate telephone calls
    STAFF_PHONE = "staff-phone"
    STAFF_REMINDER = "staff-reminder"
    STAFF_REMINDER_RECORDED = "staff-reminder-recorded"
    STAFF_FURTHER_ATTEMPT = "staff-further-attempt"
    STAFF_BASIS = "staff-basis"
    STAFF_ENDED = "staff-ended"
    STAFF_DOCUMENTED = "staff-documented"
    STAFF_RECORDING_PRESERVED = "staff-recording-preserved"
    STAFF_LEADERSHIP_NOTIFIED = "staff-leadership-notified"
    # assister procedure for suspected fraud
    FRAUD_ACCURACY_REMINDER = "fraud-accuracy-reminder"
    FRAUD_ACCURACY_REMINDER_BEFORE_END = "fraud-accuracy-reminder-before-end"
    FRAUD_ASSISTANCE_CONTINUED = "fraud-assistance-continued"
    FRAUD_END_ALLOWED = "fraud-end-allowed"
    FRAUD_REQUESTED_AGAIN = "fraud-requested-again"
    FRAUD_REFERRED = "fraud-referred"
    FRAUD_DOCUMENTED = "fraud-documented"
    FRAUD_EVIDENCE_PRESERVED = "fraud-evidence-preserved"
    FRAUD_NO_DISCUSSION = "fraud-no-discussion"


def rule_code(code: str) -> RuleCode:
    """The ``RuleCode`` spelled ``code``; an unknown code raises ``KeyError`` naming it (a
    misspelt code must never read as "not applicable")."""
    try:
        return RuleCode(code)
    except ValueError:
        raise KeyError(f"Unknown policy rule code {code!r}.") from None


# "An interaction is verbally abusive if the individual *repeatedly* uses profane or
# derogatory language": repeated means at least this many occurrences.
ABUSE_MIN_OCCURRENCES = 2

# Step 4 of the assister procedure: a threat to these must be reported to the Assister
# Resource Center or the Broker Service Line.
MNSURE_THREAT_TARGETS = frozenset({ThreatTarget.MNSURE_STAFF, ThreatTarget.MNSURE_BUILDING})

# The general rule's three behaviour grounds (the fourth ground, suspected fraud, has its own
# procedure).
BEHAVIOUR_GROUNDS = (GroundKind.THREAT, GroundKind.VERBAL_ABUSE, GroundKind.UNRELATED_MATTERS)

# The general rule's third criterion: where a person insisting on unrelated matters is sent.
REDIRECTION_FOR_WISH: dict[UnrelatedWish, Redirection] = {
    UnrelatedWish.COMPLAINT_ABOUT_MNSURE: Redirection.GET_HELP_PAGE,
    UnrelatedWish.GENERAL_STATEMENT: Redirection.PUBLIC_FEEDBACK_EMAIL,
}
