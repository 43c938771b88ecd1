"""The evidence index (one row per attachment, SHA-256 in full) and full-size exhibits."""

from __future__ import annotations

import hashlib
from datetime import tzinfo
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer

from assister_log.domain.model import Attachment, Incident
from assister_log.reports.images import EvidenceImage, image_or_none
from assister_log.reports.layout import grid_table, join_markup, together
from assister_log.reports.page import FRAME_HEIGHT, FRAME_WIDTH
from assister_log.reports.styles import Cell, Markup, m, muted, p
from assister_log.reports.text import para
from assister_log.reports.times import when


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KB"
    return f"{n / (1024 * 1024):,.1f} MB"


def evidence_label(index: int) -> str:
    return f"E{index}"


def hash_check(attachment: Attachment, data: bytes | None) -> Markup:
    if data is None:
        return Markup("")
    actual = hashlib.sha256(data).hexdigest()
    if actual == attachment.sha256.lower():
        return Markup(
            '<font size="7.5" color="#1E5E3A">The file printed here matches this SHA-256. '
            "Its picture is printed without the file's metadata (camera, author, place).</font>"
        )
    return Markup(
        '<font size="7.5" color="#A3151F"><b>Warning: the file printed here does not match '
        f"the recorded SHA-256</b> (it hashes to {actual}).</font>"
    )


def evidence_index(
    incident: Incident,
    images: dict[str, bytes] | Any,
    zone: tzinfo | None,
    *,
    thumbnails: bool = True,
    shown_below: bool = False,
) -> list[Flowable]:
    """One row per attachment: label, thumbnail, file, description, type, size, time added,
    and the SHA-256 in full."""
    if not incident.attachments:
        return [p("No evidence files are attached to this record.")]
    thumb_w = 1.35 * inch
    rows: list[list[Cell]] = []
    for i, attachment in enumerate(incident.attachments, 1):
        data = images.get(attachment.attachment_id)
        thumb: Flowable | None = None
        if thumbnails:
            thumb = image_or_none(data, thumb_w - 8, 1.1 * inch)
        if thumb is None:
            thumb = m(
                muted("image not shown" if data else "not an image: kept in the vault"),
                "cellsmall",
            )
        parts = [
            f"<b>{para(attachment.filename)}</b>",
            para(attachment.description) if attachment.description else "",
            f'<font size="8" color="#52606D">{para(attachment.media_type)} · '
            f"{para(size_text(attachment.size))} · added "
            f"{para(when(attachment.added_at, zone))}</font>",
        ]
        if shown_below and data and isinstance(thumb, EvidenceImage):
            parts.append(
                f'<font size="8" color="#52606D">Shown full size as exhibit '
                f"{evidence_label(i)} below.</font>"
            )
        details: list[Flowable] = [
            m(join_markup(parts), "cell"),
            Spacer(1, 2),
            m(
                f'<font size="7" color="#52606D">SHA-256</font><br/>{para(attachment.sha256)}',
                "hash",
            ),
        ]
        check = hash_check(attachment, data)
        if check:
            details.append(m(check, "cell"))
        rows.append([Markup(f"<b>{evidence_label(i)}</b>"), thumb, details])
    table = grid_table(
        ["#", "Preview", "File, description and SHA-256"],
        rows,
        [0.4 * inch, thumb_w, FRAME_WIDTH - 0.4 * inch - thumb_w],
    )
    return [
        p(
            "Each file is kept encrypted in the author's vault. The SHA-256 is the file's "
            "fingerprint: recompute it on a copy to show the copy is unchanged.",
            "intro",
        ),
        table,
    ]


def exhibit_flowables(
    incident: Incident, images: dict[str, bytes] | Any, title: str = "Exhibits"
) -> list[Flowable]:
    """Every image attachment at the largest size that fits a page, captioned; ``title``
    heads the first exhibit and moves with it."""
    out: list[Flowable] = []
    for i, attachment in enumerate(incident.attachments, 1):
        data = images.get(attachment.attachment_id)
        if not data:
            continue
        image = image_or_none(data, FRAME_WIDTH, FRAME_HEIGHT - 2.2 * inch)
        caption_parts = [
            f"<b>Exhibit {evidence_label(i)}: {para(attachment.filename)}</b>",
            para(attachment.description) if attachment.description else "",
        ]
        caption = m(join_markup(caption_parts), "cell")
        hash_line = m(
            f'<font size="7" color="#52606D">SHA-256 </font>{para(attachment.sha256)}', "hash"
        )
        if image is None:
            body: list[Flowable] = [
                caption,
                p("This file could not be displayed as an image; it is listed above.", "note"),
            ]
        else:
            body = [caption, hash_line, m(hash_check(attachment, data), "cell"), Spacer(1, 4)]
            body.append(image)
            if image.prepared.note:
                body.append(p(f"Image {image.prepared.note}; the SHA-256 is of the file.", "note"))
        if not out and title:
            body.insert(0, p(title, "subsection"))
        out += together([*body, Spacer(1, 10)])
    return out
