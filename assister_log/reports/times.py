"""Times as the documents print them.

Times print in the local time of the place the interaction happened, always with the UTC
offset, so a page read years later in another time zone is unambiguous.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from assister_log.domain.model import EventKind, Incident


def zone_for(incident: Incident) -> tzinfo | None:
    """The time zone the record's times print in.

    The computer's own zone (None: DST-aware) when it agrees with the offset the interaction
    was recorded with; otherwise the interaction's own offset, so the times match what the
    author wrote where it happened.
    """
    occurred = incident.occurred_at
    if occurred.tzinfo is None:
        return None
    if occurred.astimezone().utcoffset() == occurred.utcoffset():
        return None
    return occurred.tzinfo


def local(value: datetime, zone: tzinfo | None) -> datetime:
    return value.astimezone(zone)


def offset_text(value: datetime) -> str:
    """``UTC-06:00`` for a zone-aware time."""
    offset = value.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def when(value: datetime | None, zone: tzinfo | None, *, weekday: bool = False) -> str:
    """``2026-03-02 14:31 (UTC-06:00)``; with ``weekday``: ``Mon 2026-03-02 14:31 …``."""
    if value is None:
        return ""
    here = local(value, zone)
    day = here.strftime("%a %Y-%m-%d" if weekday else "%Y-%m-%d")
    return f"{day} {_clock(here)} ({offset_text(here)})"


def clock(value: datetime, zone: tzinfo | None, ref: datetime | None = None) -> str:
    """The time of day, with the date when it differs from ``ref``'s and the offset when
    that differs too."""
    here = local(value, zone)
    if ref is None:
        return when(value, zone)
    ref_here = local(ref, zone)
    text = _clock(here)
    if here.date() != ref_here.date():
        text = f"{here:%Y-%m-%d} {text}"
    if here.utcoffset() != ref_here.utcoffset():
        text = f"{text} ({offset_text(here)})"
    return text


def span(start: datetime, end: datetime | None, zone: tzinfo | None) -> str:
    """``2026-03-02 14:05–14:31 (UTC-06:00), 26 minutes``."""
    if end is None:
        return f"{when(start, zone, weekday=True)}; end time not recorded"
    a, b = local(start, zone), local(end, zone)
    if a.date() == b.date() and a.utcoffset() == b.utcoffset():
        text = f"{a:%a %Y-%m-%d} {_clock(a)}–{_clock(b)} ({offset_text(a)})"
    else:
        text = f"{when(start, zone, weekday=True)} to {when(end, zone, weekday=True)}"
    if end >= start:
        text += f", {duration_words(end - start)}"
    return text


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def duration_words(delta: timedelta) -> str:
    """A duration as people say it: ``12 minutes``, ``3 hours 5 minutes``, ``4 days``."""
    seconds = int(abs(delta).total_seconds())
    if seconds < 60:
        return "less than a minute"
    minutes = seconds // 60
    if minutes < 60:
        return _plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _plural(hours, "hour") + (f" {_plural(minutes, 'minute')}" if minutes else "")
    days, hours = divmod(hours, 24)
    if days < 14:
        return _plural(days, "day") + (f" {_plural(hours, 'hour')}" if hours else "")
    return _plural(days, "day")


def end_of(incident: Incident) -> datetime | None:
    """When the interaction ended: the record's end time, else the 'ended' timeline event."""
    if incident.ended_at is not None:
        return incident.ended_at
    ended = incident.first(EventKind.INTERACTION_ENDED)
    return ended.at if ended else None


def recorded_gap(incident: Incident) -> str:
    """``recorded 12 minutes after the interaction ended`` (or began, or while under way)."""
    recorded = incident.recorded_at
    end = end_of(incident)
    if end is not None:
        if recorded >= end:
            return f"recorded {duration_words(recorded - end)} after the interaction ended"
        if recorded >= incident.occurred_at:
            return (
                "recorded while the interaction was under way, "
                f"{duration_words(end - recorded)} before it ended"
            )
        return f"recorded {duration_words(incident.occurred_at - recorded)} before the start time"
    if recorded >= incident.occurred_at:
        return (
            f"recorded {duration_words(recorded - incident.occurred_at)} after the interaction "
            "began (no end time is recorded)"
        )
    return f"recorded {duration_words(incident.occurred_at - recorded)} before the start time"
