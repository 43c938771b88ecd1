"""What the app prints as "the policy's words" really is in the policy text."""

from __future__ import annotations

import re

from assister_log.domain.model import EventKind, GroundKind, Procedure
from assister_log.paths import resource
from assister_log.policy import wording
from assister_log.policy.codes import ABUSE_MIN_OCCURRENCES, REDIRECTION_FOR_WISH


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‐", "-"))


POLICY = normalized(
    resource("policy", "terminating-inappropriate-interactions-policy.txt").read_text("utf-8")
)


def test_ground_wording_is_quoted_from_the_policy() -> None:
    for kind in (GroundKind.THREAT, GroundKind.VERBAL_ABUSE, GroundKind.UNRELATED_MATTERS):
        assert normalized(wording.GROUND_WORDING[kind]) in POLICY, kind


def test_procedure_titles_are_the_policy_headings() -> None:
    for procedure in Procedure:
        assert wording.PROCEDURE_TITLES[procedure] in POLICY


def test_no_discussion_instruction_is_verbatim() -> None:
    assert normalized(wording.NO_DISCUSSION_INSTRUCTION) in POLICY


def test_every_choice_has_a_label() -> None:
    assert set(wording.EVENT_LABELS) == set(EventKind)
    assert set(wording.GROUND_LABELS) == set(GroundKind)


def test_redirection_destinations_are_the_policys() -> None:
    for where in wording.REDIRECTION_DESTINATIONS.values():
        assert normalized(where) in POLICY, where
    for wish, redirection in REDIRECTION_FOR_WISH.items():
        assert wording.REDIRECTION_DESTINATIONS[redirection] in wording.REDIRECTION_HINT, wish


def test_abuse_hint_states_the_threshold() -> None:
    assert ABUSE_MIN_OCCURRENCES == 2
    assert "repeated" in wording.ABUSE_REPEATED_HINT
    assert " two or more times" in wording.ABUSE_REPEATED_HINT
