"""The documents Assister Log prints from a record: the one list every other place reads.

The CLI's ``--kind`` choices, the export dialog's titles, the suggested file name, the PDF
metadata and the renderer to load all come from :data:`KINDS`. To add a kind, add one
:class:`DocumentKind` here (and its renderer module); nothing else lists kinds.

This module imports nothing heavy (no reportlab): the CLI parser and the GUI read it at start.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assister_log.reports.base import RendererFactory


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document.

    ``id`` is what the CLI and the code say (``--kind record``); ``title`` is what a person
    reads ("Interaction termination record"); ``file_stem`` starts the suggested file name
    (never a name from the record); ``renderer`` is ``"module:Class"``, imported only when a
    document of this kind is rendered; ``suffix`` is the file name's ending.
    """

    id: str
    title: str
    file_stem: str
    renderer: str
    suffix: str = ".pdf"
    is_pdf: bool = True

    @property
    def description(self) -> str:
        """The title in running text: "interaction termination record"."""
        return self.title[:1].lower() + self.title[1:]

    def renderer_factory(self) -> RendererFactory:
        module_name, class_name = self.renderer.split(":")
        factory: RendererFactory = getattr(importlib.import_module(module_name), class_name)
        return factory


RECORD = DocumentKind(
    id="record",
    title="Interaction termination record",
    file_stem="termination-record",
    renderer="assister_log.reports.termination_record:TerminationRecord",
)
FRAUD_REFERRAL = DocumentKind(
    id="fraud-referral",
    title="Fraud referral packet",
    file_stem="fraud-referral",
    renderer="assister_log.reports.fraud_referral:FraudReferralPacket",
)
STAFF_MEMO = DocumentKind(
    id="staff-memo",
    title="Staff call-termination memo",
    file_stem="staff-call-memo",
    renderer="assister_log.reports.staff_memo:StaffCallMemo",
)

# Not a PDF: the sealed record with everything needed to check it without the vault
# (docs/evidence-format.md); written by services.evidence, not by a renderer.
EVIDENCE = DocumentKind(
    id="evidence",
    title="Evidence bundle",
    file_stem="evidence",
    renderer="",
    suffix=".zip",
    is_pdf=False,
)

# In the order the export dialog and the CLI's help offer them.
KINDS: tuple[DocumentKind, ...] = (RECORD, FRAUD_REFERRAL, STAFF_MEMO, EVIDENCE)
PDF_KINDS: tuple[DocumentKind, ...] = tuple(k for k in KINDS if k.is_pdf)
KIND_IDS: tuple[str, ...] = tuple(k.id for k in KINDS)
_BY_ID = {k.id: k for k in KINDS}


def by_id(kind_id: str) -> DocumentKind:
    """The kind called ``kind_id``; KeyError for any other string."""
    return _BY_ID[kind_id]
