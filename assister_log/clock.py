"""The app's one clock: every "now" (records, seals, backups, exports) reads it, so a test
can move time in one place (``monkeypatch.setattr(clock, "now", ...)``)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, aware, in the machine's local offset (what a user reads)."""
    return datetime.now(UTC).astimezone()
