"""The narrative and the addenda."""

from __future__ import annotations

from datetime import tzinfo

from reportlab.platypus import Flowable, Spacer

from assister_log.domain.model import Incident
from assister_log.reports.layout import kv_table, together
from assister_log.reports.styles import Cell, m, muted, p
from assister_log.reports.text import para
from assister_log.reports.times import when


def narrative_flowables(text: str, *, empty: str = "No narrative is recorded.") -> list[Flowable]:
    """Paragraphs split on blank lines (single newlines kept); any length paginates."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    blocks = [b for b in blocks if b.strip()]
    if not blocks:
        return [p(empty)]
    return [p(block, "narrative") for block in blocks]


def addenda_flowables(incident: Incident, zone: tzinfo | None) -> list[Flowable]:
    if not incident.addenda:
        return [p("No addenda.")]
    total = len(incident.addenda)
    out: list[Flowable] = []
    for i, addendum in enumerate(incident.addenda, 1):
        rows: list[tuple[str, Cell]] = [
            ("Added", when(addendum.at, zone)),
            ("Reason", addendum.reason),
        ]
        if addendum.seal is not None:
            rows.append(("Chain position", str(addendum.seal.position)))
            rows.append(("Entry SHA-256", m(para(addendum.seal.entry_hash), "hash")))
        else:
            rows.append(("Chain position", muted("not sealed")))
        head: list[Flowable] = [
            p(f"Addendum {i} of {total}", "subsection"),
            kv_table(rows),
            Spacer(1, 4),
        ]
        body = narrative_flowables(addendum.text, empty="(empty)")
        out += together([*head, body[0]])
        out += body[1:]
    return out
