"""Issue 13, item 5: the fraud ground quotes the policy, the memo's date is the call's,
bidi controls in a quote are shown and harmless, emoji print by name."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from assister_log.domain.model import Ground, GroundKind, Quote, QuoteKind
from assister_log.paths import resource
from assister_log.policy import wording
from assister_log.reports.sections.quotes import BIDI_NOTE
from tests.unit.reports.test_documents import GENERATED, example, full_text, render, report


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‐", "-"))


def test_fraud_ground_box_quotes_the_policys_own_words() -> None:
    policy = _normalized(
        resource("policy", "terminating-inappropriate-interactions-policy.txt").read_text("utf-8")
    )
    for sentence in wording.FRAUD_GROUND_WORDING:
        assert _normalized(sentence) in policy
    incident = example("suspected-fraud")
    for kind in ("record", "fraud-referral"):
        text = full_text(render(kind, report(incident)))
        for sentence in wording.FRAUD_GROUND_WORDING:
            assert _normalized(sentence) in _normalized(text), kind
        assert wording.GROUND_WORDING[GroundKind.SUSPECTED_FRAUD] not in text


def test_staff_memo_date_is_the_calls_date() -> None:
    incident = example("staff-call")
    later = GENERATED + timedelta(days=40)
    data = report(incident)
    data = type(data)(**{**data.__dict__, "generated_at": later})
    text = full_text(render("staff-memo", data))
    call_day = incident.occurred_at.astimezone(incident.occurred_at.tzinfo)
    assert f"Date {call_day:%a %Y-%m-%d}" in text
    assert f"Date {later:%a %Y-%m-%d}" not in text


def test_bidi_controls_in_a_quote_are_shown_not_obeyed(poppler: Any) -> None:
    said = "pay \u202eevil\u202c now"
    incident = example(
        "inappropriate-interaction",
        quotes=(Quote(speaker="Caller", text=said, kind=QuoteKind.VERBATIM),),
    )
    pdf = render("record", report(incident))
    for text in (full_text(pdf), " ".join(poppler.text(pdf).split())):
        assert "pay [RLO]evil[PDF] now" in text
        assert "\u202e" not in text and "live" not in text
        assert "has no effect on how the words print" in text and BIDI_NOTE


def test_emoji_in_a_record_print_by_name(poppler: Any) -> None:
    incident = example(
        "inappropriate-interaction",
        grounds=(Ground(kind=GroundKind.THREAT, detail="Sent 🤬 three times"),),
    )
    text = " ".join(poppler.text(render("record", report(incident))).split())
    assert "Sent [serious face with symbols covering mouth] three times" in text
    assert "[U+1F92C]" not in text
