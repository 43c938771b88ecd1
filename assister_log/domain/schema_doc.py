"""The JSON Schema of the ``add --from-json`` record format, built from the domain's enums
and limits so the documentation cannot drift from the code (a test compares it with
``docs/record.schema.json``; regenerate with ``python -m assister_log.domain.schema_doc``)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from assister_log.domain import serialization as s
from assister_log.domain.model import (
    AbuseCategory,
    Channel,
    EventKind,
    FraudType,
    GroundKind,
    PartyKind,
    Procedure,
    QuoteKind,
    Redirection,
    ThreatTarget,
    UnrelatedWish,
)


def _enum(cls: type[StrEnum], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "enum": [m.value for m in cls]}
    if description:
        out["description"] = description
    return out


def _text(limit: int, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "maxLength": limit}
    if description:
        out["description"] = description
    return out


TIME = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 with a UTC offset, e.g. 2026-03-02T14:05:00-06:00",
}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": list(required),
    }


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "maxItems": s.MAX_ITEMS, "items": item}


def schema() -> dict[str, Any]:
    short, note = s.SHORT_TEXT, s.NOTE_TEXT
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://assister-log.invalid/record.schema.json",
        "title": "Assister Log record (assister-log add --from-json)",
        "description": "A draft record of an interaction ended under MNsure's Identifying and "
        "Terminating Inappropriate Interactions Policy. The author, the record id and "
        "recorded_at are set by the app. Text may not contain control characters other "
        "than newline and tab in multi-line fields. There is no SSN field, by design.",
        **_obj(
            {
                "procedure": _enum(Procedure),
                "channel": _enum(Channel),
                "occurred_at": TIME,
                "ended_at": {**TIME, "type": ["string", "null"]},
                "location": _text(short),
                "party": _obj(
                    {
                        "kind": _enum(PartyKind),
                        "name": _text(short),
                        "case_number": _text(short),
                        "phone": _text(short),
                        "language": _text(short),
                        "interpreter": _text(short),
                        "date_of_birth": _text(short),
                        "address": _text(short),
                    }
                ),
                "grounds": _list(
                    _obj(
                        {
                            "kind": _enum(GroundKind),
                            "detail": _text(note),
                            "targets": _list(
                                _enum(ThreatTarget, "threat of physical harm: against whom")
                            ),
                            "categories": _list(_enum(AbuseCategory, "verbal abuse: what about")),
                            "occurrences": {
                                "type": "integer",
                                "minimum": 0,
                                "maximum": 1_000_000,
                                "description": "verbal abuse must be repeated (2 or more)",
                            },
                            "wish": _enum(UnrelatedWish),
                            "redirections": _list(_enum(Redirection)),
                            "information": _text(note, "suspected fraud: what information"),
                            "acknowledged_false": {"type": "boolean"},
                            "fraud_types": _list(_enum(FraudType)),
                        },
                        ("kind",),
                    )
                ),
                "timeline": _list(
                    _obj(
                        {"at": TIME, "event": _enum(EventKind), "note": _text(note)},
                        ("at", "event"),
                    )
                ),
                "quotes": _list(
                    _obj(
                        {
                            "speaker": _text(short),
                            "text": _text(note),
                            "kind": _enum(QuoteKind),
                            "language": _text(short),
                        },
                        ("text", "kind"),
                    )
                ),
                "witnesses": _list(
                    _obj(
                        {"name": _text(short), "contact": _text(short), "role": _text(short)},
                        ("name",),
                    )
                ),
                "narrative": _text(s.NARRATIVE_TEXT),
                "deviations": _list(
                    _obj(
                        {"code": _text(short), "justification": _text(note), "recorded_at": TIME},
                        ("code", "justification"),
                    )
                ),
                "staff_call": _obj(
                    {
                        "recording_available": {"type": "boolean"},
                        "recording_reference": _text(short),
                        "reminder_mentioned_recording": {"type": "boolean"},
                        "assister_on_call": {"type": "boolean"},
                    }
                ),
                "fraud": _obj(
                    {
                        "anonymous": {"type": "boolean"},
                        "reporter": _obj(
                            {
                                k: _text(short)
                                for k in (
                                    "name",
                                    "mailing_address",
                                    "day_phone",
                                    "evening_phone",
                                    "best_time",
                                    "email",
                                )
                            }
                        ),
                        "public_program": {"type": "boolean"},
                        "other_agencies_notified": _text(note),
                        "response_to_reminder": _text(note),
                        "no_discussion_acknowledged": {"type": "boolean"},
                    }
                ),
            },
            ("procedure", "channel", "occurred_at", "party"),
        ),
    }


def render() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
