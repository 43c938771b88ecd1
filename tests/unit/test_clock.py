"""The list's date filter (issue 12): each end of a range uses its own day's UTC offset."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from assister_log import clock


@pytest.fixture
def chicago() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Chicago"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_each_day_of_a_range_across_dst_has_its_own_offset(chicago: None) -> None:
    winter_start, _ = clock.local_day(date(2026, 3, 1))
    _, summer_end = clock.local_day(date(2026, 3, 20))
    assert winter_start.utcoffset() == timedelta(hours=-6)
    assert summer_end.utcoffset() == timedelta(hours=-5)
    assert (winter_start.hour, summer_end.hour, summer_end.minute) == (0, 23, 59)


def test_a_day_of_the_change_still_runs_from_midnight_to_midnight(chicago: None) -> None:
    start, end = clock.local_day(date(2026, 3, 8))  # clocks go forward at 02:00
    assert (start.utcoffset(), end.utcoffset()) == (timedelta(hours=-6), timedelta(hours=-5))
    assert end - start == timedelta(hours=23) - timedelta(microseconds=1)
