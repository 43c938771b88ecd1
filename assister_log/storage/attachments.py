"""Attachments: files added to a draft, stored encrypted in the vault beside their SHA-256.

A finalized record's attachments are part of what its seal covers (the record lists each
one's hash), so they can be added and removed only while it is a draft.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from pathlib import Path

from assister_log import clock
from assister_log.domain.model import Attachment
from assister_log.domain.serialization import clean_text
from assister_log.errors import BadInput, IntegrityFailure, NotFound, RecordSealed
from assister_log.storage import records
from assister_log.storage.store import Store

MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024


def attachment_too_big(size: int) -> str:
    return (
        f"The file is {size / 1e6:.0f} MB; attachments are limited to "
        f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB: attach a smaller copy."
    )


def add(
    store: Store,
    incident_id: str,
    filename: str,
    data: bytes,
    media_type: str,
    description: str = "",
) -> Attachment:
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise BadInput(attachment_too_big(len(data)))
    name = clean_text(Path(filename).name, "the file name", 255) or "attachment"
    attachment = Attachment(
        attachment_id=secrets.token_hex(8),
        filename=name,
        media_type=clean_text(media_type, "the media type", 100) or "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        added_at=clock.now(),
        description=clean_text(description, "the description", 2_000, multiline=True),
    )
    with store.mutex, store.write():
        incident = records.get(store, incident_id)
        if incident.is_final:
            raise RecordSealed(
                f"Record {incident.incident_id} is finalized: attachments can no longer "
                "be added; describe new evidence in an addendum."
            )
        store.conn.execute(
            "INSERT INTO attachments (attachment_id, incident_id, sha256, size, data)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                attachment.attachment_id,
                incident.incident_id,
                attachment.sha256,
                attachment.size,
                data,
            ),
        )
        updated = replace(
            incident, attachments=(*incident.attachments, attachment), updated_at=clock.now()
        )
        records.write_row(store, updated, insert=False)
    return attachment


def remove(store: Store, incident_id: str, attachment_id: str) -> None:
    with store.mutex, store.write():
        incident = records.get(store, incident_id)
        if incident.is_final:
            raise RecordSealed("A finalized record's attachments cannot be removed.")
        kept = tuple(a for a in incident.attachments if a.attachment_id != attachment_id)
        store.conn.execute(
            "DELETE FROM attachments WHERE attachment_id = ? AND incident_id = ?",
            (attachment_id, incident.incident_id),
        )
        records.write_row(
            store, replace(incident, attachments=kept, updated_at=clock.now()), insert=False
        )


def read(store: Store, attachment_id: str) -> bytes:
    """The attachment's bytes, checked against its SHA-256."""
    with store.mutex:
        store.key()
        row = store.conn.execute(
            "SELECT data, sha256 FROM attachments WHERE attachment_id = ?", (attachment_id,)
        ).fetchone()
    if row is None:
        raise NotFound(f"No attachment {attachment_id!r} in this vault.")
    data = bytes(row[0])
    if hashlib.sha256(data).hexdigest() != row[1]:
        raise IntegrityFailure(f"Attachment {attachment_id} does not match its SHA-256.")
    return data
