"""A record written after the call starts with the times the user typed (issue 12, item 1):
``Session.new_draft`` takes Began and Ended and checks them itself, whichever front end
asks: Ended before Began, a time after now, or a time without a zone is refused in one
line; whole minutes stay whole minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assister_log.domain.model import Procedure
from assister_log.errors import BadInput
from assister_log.services.session import Session


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def test_a_draft_starts_with_the_typed_times(session: Session) -> None:
    began = _minute(datetime.now(UTC).astimezone() - timedelta(hours=3))
    ended = began + timedelta(minutes=12)
    draft = session.new_draft(
        Procedure.INAPPROPRIATE_INTERACTION, occurred_at=began, ended_at=ended
    )
    stored = session.get(draft.incident_id)
    assert stored.occurred_at == began and stored.ended_at == ended
    assert stored.occurred_at.second == 0 and stored.ended_at.second == 0
    assert stored.recorded_at > ended  # written down afterwards


def test_without_times_it_starts_now_with_no_end(session: Session) -> None:
    before = datetime.now(UTC)
    draft = session.new_draft(Procedure.INAPPROPRIATE_INTERACTION)
    assert draft.ended_at is None and draft.occurred_at >= before - timedelta(seconds=1)


@pytest.mark.parametrize(
    "began_h,ended_h,words",
    [
        (-2, -3, "before"),  # ended before it began
        (1, None, "after now"),  # began in the future
        (-1, 2, "after now"),  # ended in the future
    ],
)
def test_impossible_times_are_refused(
    session: Session, began_h: int, ended_h: int | None, words: str
) -> None:
    now = _minute(datetime.now(UTC).astimezone())
    began = now + timedelta(hours=began_h)
    ended = None if ended_h is None else now + timedelta(hours=ended_h)
    with pytest.raises(BadInput) as refused:
        session.new_draft(Procedure.INAPPROPRIATE_INTERACTION, occurred_at=began, ended_at=ended)
    assert words in refused.value.message
    assert session.count() == 0


def test_an_end_needs_a_start_and_times_need_a_zone(session: Session) -> None:
    naive = datetime.now() - timedelta(hours=1)
    with pytest.raises(BadInput):
        session.new_draft(Procedure.INAPPROPRIATE_INTERACTION, occurred_at=naive)
    with pytest.raises(BadInput):
        session.new_draft(
            Procedure.INAPPROPRIATE_INTERACTION, ended_at=datetime.now(UTC) - timedelta(hours=1)
        )
    assert session.count() == 0
