"""Records to and from plain JSON-ready dicts.

Two entry points read dicts: :func:`parse_new_incident` takes what a user wrote (the CLI's
``add --from-json`` file, the editor's fields) and checks every field, naming the one that is
wrong; :func:`incident_from_storage` reads what the vault stored. :func:`incident_to_dict` is
the one writer, and :func:`canonical_bytes` the stable form that seals hash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

import rfc8785

from assister_log.domain.model import (
    Addendum,
    Attachment,
    Incident,
    Profile,
    Role,
    Seal,
    Status,
)
from assister_log.domain.parsing import (
    INPUT_FIELDS,
    MAX_ITEMS,
    NARRATIVE_TEXT,
    NOTE_TEXT,
    SHORT_TEXT,
    build_incident,
    clean_text,
    enum_field,
    object_field,
    parse_new_incident,
    parse_time,
    time_text,
)
from assister_log.errors import BadInput

# Re-exported: the record format is one module to its users.
__all__ = [
    "INPUT_FIELDS",
    "MAX_ITEMS",
    "NARRATIVE_TEXT",
    "NOTE_TEXT",
    "SEAL_EXCLUDED",
    "SHORT_TEXT",
    "attachment_from_dict",
    "canonical_bytes",
    "canonical_record_bytes",
    "clean_text",
    "incident_from_storage",
    "incident_to_dict",
    "input_dict",
    "loads_user_json",
    "parse_new_incident",
    "parse_time",
    "profile_from_dict",
    "sealed_content",
    "time_text",
]

# ------------------------------------------------------------------------------- writing


def _plain(value: Any) -> Any:
    """Dataclasses, enums, datetimes and tuples to JSON-ready values."""
    from dataclasses import fields, is_dataclass

    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return time_text(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def incident_to_dict(incident: Incident) -> dict[str, Any]:
    result: dict[str, Any] = _plain(incident)
    return result


def input_dict(incident: Incident) -> dict[str, Any]:
    """The part of a record a user writes, in the ``add --from-json`` format."""
    full = incident_to_dict(incident)
    out = {k: full[k] for k in sorted(INPUT_FIELDS) if k in full}
    for event in out["timeline"]:
        event.pop("edits", None)
    return out


# The parts of a stored record a seal does not cover (each addendum has its own seal).
SEAL_EXCLUDED = ("seal", "addenda", "updated_at")


def sealed_content(incident: Incident) -> dict[str, Any]:
    """What a seal covers: the whole record as finalized, attachment hashes included;
    not the seal itself and not later addenda (each addendum has its own seal)."""
    content = incident_to_dict(incident)
    for key in SEAL_EXCLUDED:
        content.pop(key, None)
    return content


def canonical_bytes(value: Any) -> bytes:
    """Stable bytes for hashing: RFC 8785 JSON Canonicalization (the ``rfc8785`` library),
    so anyone can recompute a hash with any JCS implementation. For the values records hold
    (text, integers, booleans, null) this is byte for byte what sorted-key compact JSON gave
    before, so seals made by earlier versions still verify."""
    return bytes(rfc8785.dumps(value))


def canonical_record_bytes(content: dict[str, Any]) -> bytes:
    """``canonical_bytes`` of a record's sealed content, the fast way: records hold only
    text, integers, booleans, null, lists and objects with ASCII keys, for which Python's
    sorted-key compact JSON is byte for byte RFC 8785 (the same escapes, the same key order),
    at a fifth of the cost (verify hashes every record). tests/unit/domain compares the two
    over generated records in every script; check-evidence re-checks record.json with the
    rfc8785 library itself."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


# ------------------------------------------------------------------------------ reading back


def _seal(data: object) -> Seal | None:
    if data is None:
        return None
    d = object_field(data, "seal")
    return Seal(
        record_hash=str(d["record_hash"]),
        entry_hash=str(d["entry_hash"]),
        previous_hash=str(d["previous_hash"]),
        position=int(d["position"]),
        sealed_at=parse_time(d["sealed_at"], "seal.sealed_at"),
    )


def profile_from_dict(data: object) -> Profile:
    d = object_field(data, "profile")
    return Profile(
        name=clean_text(d.get("name"), "name", SHORT_TEXT),
        role=enum_field(Role, d.get("role"), "role"),
        credential_id=clean_text(d.get("credential_id"), "credential_id", SHORT_TEXT),
        organisation=clean_text(d.get("organisation"), "organisation", SHORT_TEXT),
        site=clean_text(d.get("site"), "site", SHORT_TEXT),
    )


def attachment_from_dict(data: object) -> Attachment:
    d = object_field(data, "attachment")
    return Attachment(
        attachment_id=str(d["attachment_id"]),
        filename=str(d["filename"]),
        media_type=str(d["media_type"]),
        size=int(d["size"]),
        sha256=str(d["sha256"]),
        added_at=parse_time(d["added_at"], "attachment.added_at"),
        description=str(d.get("description", "")),
    )


def incident_from_storage(data: Mapping[str, Any]) -> Incident:
    base = build_incident(
        data,
        incident_id=str(data["incident_id"]),
        author=profile_from_dict(data["author"]),
        recorded_at=parse_time(data["recorded_at"], "recorded_at"),
        status=enum_field(Status, data.get("status", "draft"), "status"),
        stored=True,
        now=None,
    )
    from dataclasses import replace

    return replace(
        base,
        attachments=tuple(attachment_from_dict(a) for a in data.get("attachments", [])),
        updated_at=None
        if data.get("updated_at") is None
        else parse_time(data["updated_at"], "updated_at"),
        attestation=str(data.get("attestation", "")),
        seal=_seal(data.get("seal")),
        addenda=tuple(
            Addendum(
                text=str(a["text"]),
                reason=str(a["reason"]),
                at=parse_time(a["at"], "addendum.at"),
                seal=_seal(a.get("seal")),
            )
            for a in data.get("addenda", [])
        ),
    )


def loads_user_json(text: str | bytes, source: str) -> Any:
    """Parse a JSON document the user supplied, with a one-line error naming the place."""
    try:
        return json.loads(text)
    except UnicodeDecodeError:
        raise BadInput(f"{source} is not UTF-8 text; save it as UTF-8 JSON.") from None
    except json.JSONDecodeError as error:
        raise BadInput(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}); fix it and try again."
        ) from None
    except RecursionError:
        raise BadInput(f"{source} is nested too deeply to be a record.") from None
