"""What every document renderer receives, and how a kind maps to its renderer.

Renderers are Qt-free reportlab classes, one per document, with ``render(data) -> bytes``.
They get everything from ``ReportInput`` (gathered by ``services.export``) and never touch
the vault themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from assister_log.domain.model import Incident
from assister_log.policy.checks import StepResult


@dataclass(frozen=True)
class ReportInput:
    incident: Incident
    checklist: tuple[StepResult, ...]
    contacts: Mapping[str, str]
    generated_at: datetime
    images: Mapping[str, bytes] = field(default_factory=dict)  # attachment_id -> bytes


class Renderer(Protocol):
    def render(self, data: ReportInput) -> bytes: ...


class RendererFactory(Protocol):
    def __call__(self, *, password: str | None = None) -> Renderer: ...


# kind -> "module:Class" (imported lazily: reportlab is heavy and the GUI starts without it)
RENDERERS: dict[str, str] = {
    "record": "assister_log.reports.termination_record:TerminationRecord",
    "fraud-referral": "assister_log.reports.fraud_referral:FraudReferralPacket",
    "staff-memo": "assister_log.reports.staff_memo:StaffCallMemo",
}


def renderer_for(kind: str) -> RendererFactory:
    module_name, class_name = RENDERERS[kind].split(":")
    factory: RendererFactory = getattr(importlib.import_module(module_name), class_name)
    return factory
