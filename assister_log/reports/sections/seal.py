"""The seal block: in plain words what was sealed, when, by which key and how to check it;
then the hashes and the signed entry in a compact technical block, and a QR code holding a
signed statement (docs/evidence-format.md)."""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache

from reportlab.graphics.barcode import qr
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from assister_log.domain.model import Incident, Seal
from assister_log.reports.base import SealEvidence
from assister_log.reports.layout import alert, kv_table
from assister_log.reports.page import FRAME_WIDTH
from assister_log.reports.styles import Cell, m, p
from assister_log.reports.text import para, table_style
from assister_log.reports.times import when


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


def _short(fingerprint: str) -> str:
    head = fingerprint[:16].upper()
    return " ".join(head[i : i + 4] for i in range(0, 16, 4))


def seal_flowables(
    incident: Incident, zone: tzinfo | None, evidence: SealEvidence | None = None
) -> list[Flowable]:
    seal = incident.seal
    if not incident.is_final or seal is None:
        return [
            alert(
                [
                    m("<b>Not sealed — draft.</b>"),
                    p(
                        "A draft can still change. Finalizing seals the record into the "
                        "vault's tamper-evident chain and signs it with the vault's key; "
                        "what was sealed, when, by which key and how to check it then prints "
                        "here with a QR code.",
                        "cell",
                    ),
                ]
            )
        ]
    key_words = (
        f"the vault key whose fingerprint begins <b>{_short(evidence.key_fingerprint)}</b>"
        if evidence is not None
        else "the vault's key"
    )
    plain = [
        m(
            f"<b>Sealed.</b> This record was finalized on {para(when(seal.sealed_at, zone))} "
            f"and sealed as entry {seal.position} of the author's vault chain, signed with "
            f"{key_words}."
        ),
        p(
            "The seal covers the complete record as it was finalized — every field, the "
            "attestation and the SHA-256 of each attachment, which is more than this page "
            "prints. Addenda are sealed separately, each with its own entry. Any later change "
            "to the sealed record, its addenda or its attachments shows as a broken seal.",
            "cell",
        ),
    ]
    if evidence is not None and evidence.received_by and evidence.received_at is not None:
        plain.append(
            m(
                f"<b>Received by {para(evidence.received_by)} on "
                f"{para(when(evidence.received_at, zone))}; receipt verified.</b> The "
                "organisation signed a receipt for this seal when it arrived: the record "
                "existed, sealed as printed, no later than that time.",
                "cell",
            )
        )
    pdf_key = (
        "This PDF is itself signed with the same key"
        if evidence is None or not evidence.exported_by
        else f"This copy was exported by {para(evidence.exported_by)} from the record it "
        "received; the PDF is signed with the organisation's key"
    )
    plain += [
        m(
            "<b>To check it:</b> ask the author for the record's evidence bundle "
            f"(assister-log export {para(incident.incident_id)} --kind evidence) and run "
            "assister-log check-evidence BUNDLE --qr followed by the QR code's text; or check "
            "the bundle by hand with openssl and sha256sum (docs/evidence-format.md). "
            f"{pdf_key}: a PDF reader shows whether it was changed after it was exported.",
            "cell",
        ),
    ]
    qr_size = 1.55 * inch
    rows: list[tuple[str, Cell]] = [
        ("Record SHA-256", m(para(seal.record_hash), "hash")),
        ("Chain entry SHA-256", m(para(seal.entry_hash), "hash")),
        (
            "Previous entry",
            m(
                para(seal.previous_hash)
                + ("<br/>(the chain's first entry)" if seal.position <= 1 else ""),
                "hash",
            ),
        ),
    ]
    if evidence is not None:
        rows += [
            ("Key fingerprint", m("sha256:" + para(evidence.key_fingerprint), "hash")),
            ("Signed entry (RFC 8785 JSON)", m(para(evidence.entry_payload), "hash")),
        ]
    left = FRAME_WIDTH - qr_size - 10
    payload = evidence.qr_statement if evidence is not None else seal_payload(incident, seal)
    table = Table(
        [[kv_table(rows, width=left, label_width=1.45 * inch), QrFlowable(payload, qr_size)]],
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
        *plain,
        Spacer(1, 6),
        m("<b>Technical details</b>", "note"),
        table,
        Spacer(1, 4),
        p(
            "The chain entry SHA-256 is the SHA-256 of the signed entry exactly as printed "
            "above; the record SHA-256 is that of the record's canonical JSON (record.json "
            "in the evidence bundle). The QR code holds the record id, both hashes, the key "
            "fingerprint and the entry's signature.",
            "note",
        ),
    ]
