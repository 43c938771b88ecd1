"""One presentation of a record's times, for both front ends: the detail pane says exactly
what the printed record says (times in the place's zone with the UTC offset, gaps in words,
"recorded … after the interaction ended"). The wording lives in ``reports.times`` (Qt-free,
reportlab-free); the UI reaches it through here, as the layers require."""

from __future__ import annotations

from assister_log.reports.times import (
    clock,
    duration_words,
    end_of,
    recorded_gap,
    span,
    when,
    zone_for,
)

__all__ = ["clock", "duration_words", "end_of", "recorded_gap", "span", "when", "zone_for"]
