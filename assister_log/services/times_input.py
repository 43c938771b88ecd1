"""Times as people type them after a call: "6:15", "6:15 pm", "18:15", "615", "6 pm", with
or without a date in front ("2026-05-12 6:15 pm"). Qt-free: the desktop app's time fields
parse with ``parse_local`` and echo ``format_local``; a time that cannot be read gets a
message saying what is accepted, never a silent guess. Minute precision: seconds are zero
unless the caller keeps a stored time."""

from __future__ import annotations

import re
from datetime import date, datetime, time

HELP = "Type a time like 6:15, 6:15 pm or 18:15 (a date first is optional: 2026-05-12 18:15)."

_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:(?::|\.|h)?(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?\s*(?:m\.?)?$"
    r"|^(?P<hour24>\d{1,2})(?::|\.|h)(?P<minute24>\d{2})$"
    r"|^(?P<compact>\d{3,4})$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]+(?P<rest>.*))?$")


class TimeInputError(ValueError):
    """The text is not a time this module reads; ``str()`` says what is accepted."""


def parse_time_of_day(text: str) -> time:
    """A wall-clock time at minute precision; raises ``TimeInputError``."""
    cleaned = " ".join(text.strip().split())
    match = _TIME.match(cleaned)
    if match is None:
        raise TimeInputError(f"“{text.strip()}” is not a time. {HELP}")
    if match["compact"] is not None:
        digits = match["compact"]
        hour, minute = int(digits[:-2]), int(digits[-2:])
    elif match["hour24"] is not None:
        hour, minute = int(match["hour24"]), int(match["minute24"])
    else:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12:
            raise TimeInputError(f"“{text.strip()}”: with am or pm the hour is 1 to 12.")
        half = match["half"].lower()
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise TimeInputError(f"“{text.strip()}” is not a time of day. {HELP}")
    return time(hour, minute)


def parse_local(text: str, default_date: date) -> datetime:
    """A naive local date and time from ``text``; a time alone keeps ``default_date``."""
    cleaned = text.strip()
    if not cleaned:
        raise TimeInputError(f"The time is empty. {HELP}")
    match = _DATE.match(cleaned)
    day = default_date
    rest = cleaned
    if match is not None:
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise TimeInputError(f"“{cleaned}”: there is no such date.") from None
        rest = match["rest"] or ""
        if not rest.strip():
            raise TimeInputError(f"“{cleaned}”: add the time after the date. {HELP}")
    return datetime.combine(day, parse_time_of_day(rest))


def format_local(value: datetime) -> str:
    """How a time field shows a time (and echoes what was typed): ``2026-05-12 18:15``."""
    return value.strftime("%Y-%m-%d %H:%M")
