"""The document kinds a user can ask for, for front ends that must not load the renderers
(the CLI's argument parser builds before any PDF is made). ``reports.kinds`` is the one list;
this module only passes it on, light: no reportlab is imported."""

from __future__ import annotations

from assister_log.reports.kinds import KIND_IDS

__all__ = ["KIND_IDS"]
