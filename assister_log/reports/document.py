"""The document: Letter pages with the shared furniture, neutral metadata and, with a
password, AES-256 or, for a final record without one, PDF/A-2b structure; and
:class:`Document`, the base of every renderer.
"""

from __future__ import annotations

import io

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from assister_log.domain.model import Incident
from assister_log.reports import fonts
from assister_log.reports.base import ReportInput
from assister_log.reports.encryption import encrypt_pdf, prepare_password
from assister_log.reports.layout import KeepWithFirstPart
from assister_log.reports.metadata import apply_metadata
from assister_log.reports.page import (
    BOTTOM_MARGIN,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    PAGE_SIZE,
    SIDE_MARGIN,
    TOP_MARGIN,
    numbered_canvas,
)
from assister_log.reports.pdfa import make_pdfa


def build_pdf(
    flowables: list[Flowable],
    *,
    kind: str,
    heading_text: str,
    incident: Incident,
    password: str | None,
) -> bytes:
    """Letter pages with the shared furniture, neutral metadata, optional AES-256.

    reportlab renders unencrypted into memory; with a password, qpdf then encrypts
    (``reports.encryption``). A password PDF cannot take is refused before rendering.
    A final record's document without a password gets the PDF/A-2b metadata and output
    intent (``reports.pdfa``); a draft or an encrypted one does not (PDF/A forbids
    encryption).
    """
    if password is not None:
        prepare_password(password)
    fonts.register_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        allowSplitting=1,
    )
    # No frame padding: tables line up with the header and footer rules.
    frame = Frame(
        SIDE_MARGIN,
        BOTTOM_MARGIN,
        FRAME_WIDTH,
        FRAME_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.keepTogetherClass = KeepWithFirstPart
    apply_metadata(doc, kind)
    doc.build(
        flowables,
        canvasmaker=numbered_canvas(
            incident.incident_id, draft=not incident.is_final, heading=heading_text
        ),
    )
    pdf = buf.getvalue()
    if password is not None:
        return encrypt_pdf(pdf, password)
    return make_pdfa(pdf) if incident.is_final else pdf


class Document:
    """One printed document: subclasses name their kind and title and build the story."""

    kind: str
    title: str

    def __init__(self, *, password: str | None = None) -> None:
        self.password = password

    def story(self, data: ReportInput) -> list[Flowable]:
        raise NotImplementedError

    def render(self, data: ReportInput) -> bytes:
        return build_pdf(
            self.story(data),
            kind=self.kind,
            heading_text=f"Assister Log · {self.title}",
            incident=data.incident,
            password=self.password,
        )
