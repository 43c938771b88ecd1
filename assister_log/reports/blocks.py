"""What a document renderer composes from, in one namespace (``from ... import blocks as c``).

The pieces live in the modules named below; this module only gathers them, so a renderer
reads ``c.kv_table(...)``, ``c.when(...)``, ``c.seal_flowables(...)`` without a dozen
imports. Rules every block follows:

* User text becomes Paragraph markup only through :func:`text.para` / :func:`text.paragraph`
  (``styles.cell`` escapes a ``str``; a ``Markup`` was composed from escaped pieces).
* Every table starts from :func:`text.table_style` and repeats its header row (``layout``).
* Times print in the interaction's local time, always with the UTC offset (``times``).
"""

from __future__ import annotations

from assister_log.reports.document import (
    Document,
)
from assister_log.reports.layout import (
    Story,
    alert,
    boxed,
    grid_table,
    join_markup,
    kv_table,
    title_block,
    together,
)
from assister_log.reports.page import (
    FRAME_WIDTH,
)
from assister_log.reports.sections.attestation import (
    attestation_flowables,
    date_line,
)
from assister_log.reports.sections.checklist import (
    checklist_table,
)
from assister_log.reports.sections.evidence import (
    evidence_index,
    exhibit_flowables,
)
from assister_log.reports.sections.grounds import (
    grounds_flowables,
    policy_words,
)
from assister_log.reports.sections.narrative import (
    addenda_flowables,
    narrative_flowables,
)
from assister_log.reports.sections.people import (
    author_rows,
    language_rows,
    party_rows,
    witnesses_table,
)
from assister_log.reports.sections.quotes import (
    words_used,
)
from assister_log.reports.sections.seal import (
    seal_flowables,
)
from assister_log.reports.sections.timeline import (
    event_lines,
    step_status,
    timeline_table,
)
from assister_log.reports.sections.title import (
    procedure_lines,
    status_text,
)
from assister_log.reports.styles import (
    Cell,
    Markup,
    cell,
    m,
    muted,
    p,
    yes_no,
)
from assister_log.reports.times import (
    clock,
    end_of,
    local,
    recorded_gap,
    span,
    when,
    zone_for,
)

__all__ = [
    "FRAME_WIDTH",
    "Cell",
    "Document",
    "Markup",
    "Story",
    "addenda_flowables",
    "alert",
    "attestation_flowables",
    "author_rows",
    "boxed",
    "cell",
    "checklist_table",
    "clock",
    "date_line",
    "end_of",
    "event_lines",
    "evidence_index",
    "exhibit_flowables",
    "grid_table",
    "grounds_flowables",
    "join_markup",
    "kv_table",
    "language_rows",
    "local",
    "m",
    "muted",
    "narrative_flowables",
    "p",
    "party_rows",
    "policy_words",
    "procedure_lines",
    "recorded_gap",
    "seal_flowables",
    "span",
    "status_text",
    "step_status",
    "timeline_table",
    "title_block",
    "together",
    "when",
    "witnesses_table",
    "words_used",
    "yes_no",
    "zone_for",
]
