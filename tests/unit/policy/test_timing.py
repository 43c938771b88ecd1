"""Times that do not add up (policy.timing): one check for the editor, the CLI, the PDFs
and the detail pane."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from assister_log.domain.model import EventKind, Seal
from assister_log.policy.timing import reference_now, stored_time_problems, time_problems
from tests.unit.reports.test_documents import example


def _moved(incident, kind: EventKind, at):
    events = [replace(e, at=at) if e.event is kind else e for e in incident.timeline]
    return replace(incident, timeline=tuple(sorted(events, key=lambda e: e.at)))


def test_a_complete_example_has_no_time_to_check() -> None:
    incident = example("inappropriate-interaction")
    assert time_problems(incident, incident.recorded_at) == []


def test_a_step_during_the_call_after_it_ended_is_named() -> None:
    incident = example("inappropriate-interaction")
    late = _moved(incident, EventKind.REMINDER_GIVEN, incident.ended_at + timedelta(minutes=40))
    problems = time_problems(late, late.recorded_at)
    assert len(problems) == 1 and "after the interaction ended" in problems[0].text
    index = problems[0].target
    assert late.timeline[index].event is EventKind.REMINDER_GIVEN


def test_a_step_that_follows_the_call_may_come_after_it_ended() -> None:
    incident = example("inappropriate-interaction")
    after = _moved(
        incident, EventKind.LAW_ENFORCEMENT_NOT_CALLED, incident.ended_at + timedelta(minutes=30)
    )
    assert time_problems(after, after.recorded_at) == []


def test_before_began_and_ended_before_began() -> None:
    incident = example("inappropriate-interaction")
    early = _moved(
        incident, EventKind.BEHAVIOUR_STARTED, incident.occurred_at - timedelta(minutes=5)
    )
    assert "before the interaction began" in time_problems(early, early.recorded_at)[0].text
    backwards = replace(incident, ended_at=incident.occurred_at - timedelta(minutes=1))
    texts = [t.text for t in time_problems(backwards, backwards.recorded_at)]
    assert any(t.startswith("Ended") and "before Began" in t for t in texts)


def test_a_future_interaction_is_named_against_the_seal_or_the_last_save() -> None:
    incident = example("inappropriate-interaction")
    future = replace(
        incident,
        occurred_at=incident.recorded_at + timedelta(days=1),
        ended_at=incident.recorded_at + timedelta(days=1, minutes=20),
        timeline=(),
    )
    now, label = reference_now(future)
    assert now == future.recorded_at and label == "the last save"
    texts = [t.text for t in stored_time_problems(future)]
    assert texts[0].startswith("Began") and texts[0].endswith("is after the last save.")
    sealed_at = future.recorded_at + timedelta(hours=1)
    sealed = replace(future, seal=Seal("r" * 64, "e" * 64, "0" * 64, 1, sealed_at))
    assert reference_now(sealed) == (sealed_at, "the seal")
    assert stored_time_problems(sealed)[0].text.endswith("is after the seal.")
