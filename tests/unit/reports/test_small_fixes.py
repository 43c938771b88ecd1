"""Issue 13, item 5: the fraud ground quotes the policy, the memo's date is the call's,
bidi controls in a quote are shown and harmless, emoji print by name."""

from __future__ import annotations

import re
from dataclasses import replace
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


def test_a_long_paragraph_and_its_split_parts_draw_within_their_height() -> None:
    """A quote box that continues on the next page held its last line outside the box:
    reportlab drew autoLeading lines further apart than it measured them."""
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLine
    from reportlab.pdfgen.canvas import Canvas

    from assister_log.reports.styles import st
    from assister_log.reports.text import TextParagraph, para

    words = "The caller said that they would come to the office and that nobody could stop them. "
    whole = TextParagraph(para(words * 60), st()["quote"])
    whole.wrap(500, 10_000)
    first, rest = whole.split(500, 586.5)
    for part in (whole, first, rest):
        _, height = part.wrap(500, 10_000)
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(600, 1200))
        part.drawOn(canvas, 50, 100)
        canvas.save()
        lines = [
            line
            for page in extract_pages(io.BytesIO(out.getvalue()))
            for box in page
            for line in getattr(box, "_objs", [])
            if isinstance(line, LTTextLine)
        ]
        assert len(lines) == len(part.blPara.lines) > 5
        assert min(line.y0 for line in lines) >= 100 - 0.5  # the last line's descent inside
        assert max(line.y1 for line in lines) <= 100 + height + 0.5


def with_late_reminder(incident: Any) -> Any:
    """The record with its reminder 40 minutes after the meeting ended (14:31 -> 15:11)."""
    late = incident.ended_at + timedelta(minutes=40)
    events = [
        replace(e, at=late) if e.event.value == "reminder-given" else e for e in incident.timeline
    ]
    return replace(incident, timeline=tuple(sorted(events, key=lambda e: e.at)))


def test_a_time_that_does_not_add_up_prints_where_it_is_and_in_a_list() -> None:
    incident = example("inappropriate-interaction")
    moved = with_late_reminder(incident)
    text = full_text(render("record", report(moved)))
    assert "Time to check: Reminder given" in text
    assert "Times that do not add up" in text and "after the interaction ended" in text
    clean = full_text(render("record", report(incident)))
    assert "Times that do not add up" not in clean and "Time to check" not in clean
