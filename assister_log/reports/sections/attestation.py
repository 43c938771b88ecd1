"""The attestation, and lines for a wet signature and the date."""

from __future__ import annotations

from datetime import tzinfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from assister_log.domain.model import Incident
from assister_log.policy import wording
from assister_log.reports.layout import boxed, together
from assister_log.reports.page import FRAME_WIDTH
from assister_log.reports.styles import INK, p
from assister_log.reports.text import table_style
from assister_log.reports.times import when


def signature_lines(name: str, role: str, *, signer: str = "Signature") -> Table:
    """Lines for a wet signature and the date, with the printed name under the first."""
    gap = 0.3 * inch
    sig_w = FRAME_WIDTH * 0.62
    date_w = FRAME_WIDTH - sig_w - gap
    under = f"{signer}" + (f" — {name}" if name else "") + (f", {role}" if role else "")
    data = [
        [Spacer(1, 26), "", Spacer(1, 26)],
        [p(under, "cellsmall"), "", p("Date", "cellsmall")],
    ]
    return Table(
        data,
        colWidths=[sig_w, gap, date_w],
        style=table_style(
            ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
        ),
        hAlign="LEFT",
    )


def date_line() -> Table:
    """A date line alone (an anonymous referral is not signed)."""
    return Table(
        [[Spacer(1, 26)], [p("Date", "cellsmall")]],
        colWidths=[2.4 * inch],
        style=table_style(
            ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
        ),
        hAlign="LEFT",
    )


def attestation_flowables(
    incident: Incident,
    zone: tzinfo | None,
    *,
    default_text: str,
    name: str | None = None,
    role: str | None = None,
    signer: str = "Signature",
) -> list[Flowable]:
    """The attestation text, how it was given, and signature and date lines."""
    if name is None:
        name = incident.author.name
    if role is None:
        role = wording.ROLE_LABELS[incident.author.role]
    out: list[Flowable] = []
    if incident.is_final and incident.attestation:
        out.append(boxed([p(incident.attestation, "quote")]))
        sealed = incident.seal.sealed_at if incident.seal else incident.updated_at
        out.append(
            p(
                f"Attested in Assister Log when the record was finalized"
                f"{' on ' + when(sealed, zone) if sealed else ''}.",
                "note",
            )
        )
    else:
        out.append(boxed([p(default_text, "quote")]))
        out.append(
            p(
                "Draft: this attestation is given when the record is finalized; "
                "do not sign a draft.",
                "note",
            )
        )
    out.append(Spacer(1, 6))
    out.append(signature_lines(name, role, signer=signer))
    return together(out)
