"""The app's one clock: every "now" (records, seals, backups, exports) reads it, so a test
can move time in one place (``monkeypatch.setattr(clock, "now", ...)``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def now() -> datetime:
    """The current time, aware, in the machine's local offset (what a user reads)."""
    return datetime.now(UTC).astimezone()


def local_day(day: date) -> tuple[datetime, datetime]:
    """The first and last instant of ``day`` in the machine's zone, each with that day's own
    UTC offset: a date filter spanning a DST change is not an hour off at one end."""
    start = datetime.combine(day, time.min).astimezone()
    end = datetime.combine(day, time.max).astimezone()
    return start, end
