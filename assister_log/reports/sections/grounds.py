"""The grounds for ending the interaction, each with the policy's own words."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from assister_log.domain.model import Ground, GroundKind, Incident
from assister_log.policy import wording
from assister_log.reports.layout import boxed, kv_table, together
from assister_log.reports.styles import RULE, Cell, m, muted, p, yes_no
from assister_log.reports.text import para


def ground_rows(ground: Ground) -> list[tuple[str, Cell]]:
    rows: list[tuple[str, Cell]] = []
    if ground.kind is GroundKind.THREAT:
        rows.append(("Threat against", "; ".join(wording.TARGET_LABELS[t] for t in ground.targets)))
    elif ground.kind is GroundKind.VERBAL_ABUSE:
        rows.append(
            (
                "Language used",
                "; ".join(wording.ABUSE_LABELS[c] for c in ground.categories),
            )
        )
        rows.append(
            (
                "Times it happened",
                f"{ground.occurrences} time{'' if ground.occurrences == 1 else 's'}",
            )
        )
    elif ground.kind is GroundKind.UNRELATED_MATTERS:
        rows.append(
            (
                "What the person wanted",
                wording.WISH_LABELS[ground.wish] if ground.wish is not None else "",
            )
        )
        rows.append(
            (
                "Redirected",
                "; ".join(wording.REDIRECTION_LABELS[r] for r in ground.redirections)
                or muted("no redirection recorded"),
            )
        )
    elif ground.kind is GroundKind.SUSPECTED_FRAUD:
        rows.append(("Information", ground.information))
        rows.append(("Acknowledged as false", yes_no(ground.acknowledged_false)))
        rows.append(
            (
                "Type of suspected fraud",
                "; ".join(wording.FRAUD_TYPE_LABELS[t] for t in ground.fraud_types),
            )
        )
    if ground.detail:
        rows.append(("Details", ground.detail))
    return rows


def policy_words(ground_kind: GroundKind) -> Flowable:
    """The policy's words for a ground, set apart and attributed (for suspected fraud, the
    two sentences of its procedure that name the ground, with "…" between them)."""
    quoted = para(wording.ground_quote(ground_kind))
    return boxed(
        [
            m(f"<b>Policy:</b> “{quoted}”", "policy"),
            p(f"— {wording.POLICY_TITLE}", "note"),
        ],
        bar=True,
        line=RULE,
    )


def grounds_flowables(incident: Incident) -> list[Flowable]:
    if not incident.grounds:
        return [m('<font color="#A3151F"><b>No ground is recorded.</b></font>')]
    out: list[Flowable] = []
    for ground in incident.grounds:
        block: list[Flowable] = [
            p(wording.GROUND_LABELS[ground.kind], "subsection"),
            policy_words(ground.kind),
            Spacer(1, 4),
        ]
        rows = ground_rows(ground)
        if rows:
            block.append(kv_table(rows))
        block.append(Spacer(1, 4))
        out += together(block)
    return out
