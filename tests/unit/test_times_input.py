"""Times typed after a call are read at minute precision and echoed; anything else is
refused with a message, never guessed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from assister_log.services.times_input import (
    TimeInputError,
    format_local,
    parse_local,
    parse_time_of_day,
)

DAY = date(2026, 5, 12)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("6:15", time(6, 15)),
        ("06:15", time(6, 15)),
        ("6:15 pm", time(18, 15)),
        ("6:15pm", time(18, 15)),
        ("6:15 P.M.", time(18, 15)),
        ("6:15 am", time(6, 15)),
        ("12:05 am", time(0, 5)),
        ("12:05 pm", time(12, 5)),
        ("6 pm", time(18, 0)),
        ("18:15", time(18, 15)),
        ("18.15", time(18, 15)),
        ("18h15", time(18, 15)),
        ("615", time(6, 15)),
        ("1815", time(18, 15)),
        ("  18:15  ", time(18, 15)),
    ],
)
def test_times_people_type(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["", "6", "25:00", "18:61", "13:00 pm", "0 am", "six", "6:5"])
def test_refused_with_a_message(text: str) -> None:
    with pytest.raises(TimeInputError) as error:
        parse_time_of_day(text)
    assert str(error.value)


def test_a_time_alone_keeps_the_date_and_has_no_seconds() -> None:
    assert parse_local("6:15 pm", DAY) == datetime(2026, 5, 12, 18, 15)
    assert parse_local("2026-05-11 23:50", DAY) == datetime(2026, 5, 11, 23, 50)
    assert parse_local("2026-05-11 11:50 pm", DAY) == datetime(2026, 5, 11, 23, 50)
    assert parse_local("6:15", DAY).second == 0


@pytest.mark.parametrize("text", ["", "2026-02-30 10:00", "2026-05-11", "yesterday"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(TimeInputError):
        parse_local(text, DAY)


def test_echo() -> None:
    assert format_local(datetime(2026, 5, 12, 18, 15, 29)) == "2026-05-12 18:15"
    assert format_local(parse_local("6:15 pm", DAY)) == "2026-05-12 18:15"
