"""The seal block: the chain values and a QR code holding them."""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache

from reportlab.graphics.barcode import qr
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
)

from assister_log.domain.model import (
    Incident,
    Seal,
)
from assister_log.reports.layout import (
    alert,
    kv_table,
)
from assister_log.reports.page import (
    FRAME_WIDTH,
)
from assister_log.reports.styles import (
    Cell,
    m,
    p,
)
from assister_log.reports.text import (
    para,
    table_style,
)
from assister_log.reports.times import (
    when,
)


def seal_payload(incident: Incident, seal: Seal) -> str:
    """What the QR code holds: the seal's values, one per line."""
    return "\n".join(
        [
            "ASSISTER LOG SEAL",
            f"record: {incident.incident_id}",
            f"chain position: {seal.position}",
            f"record sha256: {seal.record_hash}",
            f"entry sha256: {seal.entry_hash}",
            f"previous entry sha256: {seal.previous_hash}",
            f"sealed at: {seal.sealed_at.isoformat()}",
        ]
    )


@lru_cache(maxsize=64)
def _qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    code = qr.QrCode(payload, qrLevel="M")
    code.qr.make()
    return tuple(tuple(bool(v) for v in row) for row in code.qr.modules)


class QrFlowable(Flowable):  # type: ignore[misc]
    """A QR code (reportlab's encoder) drawn as filled runs; no fonts, no Drawing."""

    def __init__(self, payload: str, size: float, border: int = 2) -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        self.border = border

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        modules = _qr_modules(self.payload)
        count = len(modules)
        box = self.size / (count + 2 * self.border)
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        for r, row in enumerate(modules):
            y = self.size - (r + self.border + 1) * box
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    path.rect((start + self.border) * box, y, (c - start) * box, box * 1.02)
                else:
                    c += 1
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


def seal_flowables(incident: Incident, zone: tzinfo | None) -> list[Flowable]:
    seal = incident.seal
    if not incident.is_final or seal is None:
        return [
            alert(
                [
                    m("<b>Not sealed — draft.</b>"),
                    p(
                        "A draft can still change. Finalizing seals the record into the "
                        "vault's tamper-evident chain; the seal (record hash, previous hash, "
                        "chain position) then prints here with a QR code.",
                        "cell",
                    ),
                ]
            )
        ]
    qr_size = 1.55 * inch
    rows: list[tuple[str, Cell]] = [
        ("Record SHA-256", m(para(seal.record_hash), "hash")),
        (
            "Previous entry SHA-256",
            m(
                para(seal.previous_hash)
                + ("<br/>(the chain's first entry)" if seal.position <= 1 else ""),
                "hash",
            ),
        ),
        ("Chain entry SHA-256", m(para(seal.entry_hash), "hash")),
        ("Chain position", str(seal.position)),
        ("Sealed at", when(seal.sealed_at, zone)),
    ]
    left = FRAME_WIDTH - qr_size - 10
    table = Table(
        [
            [
                kv_table(rows, width=left, label_width=1.45 * inch),
                QrFlowable(seal_payload(incident, seal), qr_size),
            ]
        ],
        colWidths=[left + 4, qr_size + 6],
        style=table_style(
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ),
        hAlign="LEFT",
    )
    return [
        table,
        Spacer(1, 4),
        p(
            "The record hash is the SHA-256 of the record as finalized (attestation and "
            "attachment hashes included; addenda are sealed as entries of their own). Each "
            "chain entry includes the previous entry's hash, so changing, removing or "
            "reordering a sealed record breaks the chain; 'assister-log verify' recomputes "
            "it. The QR code holds the same values as text.",
            "note",
        ),
    ]
