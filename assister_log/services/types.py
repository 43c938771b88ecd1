"""The storage types the front ends (the desktop app and the CLI) see, re-exported so that
they depend on ``services`` alone: list filters, list rows and a backup's report."""

from __future__ import annotations

from assister_log.storage.backup import BackupReport
from assister_log.storage.vault import Filters, Summary

__all__ = ["BackupReport", "Filters", "Summary"]
