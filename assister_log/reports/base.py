"""What every document renderer receives and returns.

Renderers are Qt-free reportlab classes, one per document, with ``render(data) -> bytes``.
They get everything from ``ReportInput`` (gathered by ``services.export``) and never touch
the vault themselves. Which kinds exist, and which class renders each, is ``reports.kinds``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from assister_log.domain.model import Incident
from assister_log.policy.checks import StepResult
from assister_log.reports.kinds import by_id


@dataclass(frozen=True)
class SealEvidence:
    """How a sealed record's seal can be checked, for the seal block on paper."""

    key_fingerprint: str  # SHA-256 of the vault's public key (hex)
    entry_payload: str  # the finalize entry exactly as hashed and signed (RFC 8785 JSON)
    qr_statement: str  # the compact signed statement the QR code holds
    # The organisation's verified receipt for the finalize entry: who, and when (a time the
    # author cannot move). None when not delivered or no receipt has come back yet.
    received_by: str | None = None
    received_at: datetime | None = None
    # Set when an organisation exports a record it received: the PDF is then signed with
    # the organisation's key, the seal (and QR) stay the author's.
    exported_by: str | None = None


@dataclass(frozen=True)
class ReportInput:
    incident: Incident
    checklist: tuple[StepResult, ...]
    contacts: Mapping[str, str]
    generated_at: datetime
    images: Mapping[str, bytes] = field(default_factory=dict)  # attachment_id -> bytes
    seal: SealEvidence | None = None  # None for drafts


class Renderer(Protocol):
    def render(self, data: ReportInput) -> bytes: ...


class RendererFactory(Protocol):
    def __call__(self, *, password: str | None = None) -> Renderer: ...


def renderer_for(kind: str) -> RendererFactory:
    """The renderer class of a kind id of ``reports.kinds`` (imported on first use: reportlab
    is heavy and the GUI starts without it); KeyError for an unknown id."""
    return by_id(kind).renderer_factory()
