"""Issue 10: the detail pane says what the printed record says (one time presentation)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from assister_log.reports import times
from assister_log.services.session import Session
from tests.conftest import EXAMPLES

from assister_log.ui.record_html import record_html


def test_the_pane_and_the_pdf_agree_on_when_it_was_written(session: Session) -> None:
    incident = session.add_from_json_file(EXAMPLES / "inappropriate-interaction.json")
    no_end = replace(
        incident,
        ended_at=None,
        timeline=tuple(e for e in incident.timeline if e.event.value != "interaction-ended"),
        recorded_at=incident.occurred_at + timedelta(days=3, hours=2),
    )
    text = record_html(no_end)
    assert "under way" not in text  # the old pane's claim, three days later
    assert times.recorded_gap(no_end).capitalize() in text
    assert "3 days 2 hours" in text and "no end time is recorded" in text

    long_call = replace(
        incident,
        ended_at=incident.occurred_at + timedelta(hours=2, minutes=29),
        recorded_at=incident.occurred_at + timedelta(hours=3),
    )
    text = record_html(long_call)
    assert "2 hours 29 minutes" in text  # was truncated to "2 hours"
    assert "(UTC" in text  # every time carries its offset, as on paper


def test_the_pane_names_a_time_that_does_not_add_up_as_the_pdf_does() -> None:
    from tests.unit.reports.test_documents import example, full_text, render, report
    from tests.unit.reports.test_small_fixes import with_late_reminder

    incident = example("inappropriate-interaction")
    moved = with_late_reminder(incident)
    pane = record_html(moved)
    assert "Time to check:" in pane and "Times that do not add up" in pane
    printed = full_text(render("record", report(moved)))
    message = "at 15:11 is after the interaction ended (14:31)."
    assert message in pane and message in printed
    assert "Times that do not add up" not in record_html(incident)
