"""Records to and from plain JSON-ready dicts.

Two entry points read dicts: :func:`parse_new_incident` takes what a user wrote (the CLI's
``add --from-json`` file, the editor's fields) and checks every field, naming the one that is
wrong; :func:`incident_from_storage` reads what the vault stored. :func:`incident_to_dict` is
the one writer, and :func:`canonical_bytes` the stable form that seals hash.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

import rfc8785

from assister_log.domain.model import (
    AbuseCategory,
    Addendum,
    Attachment,
    Channel,
    Deviation,
    EventKind,
    FraudReferral,
    FraudType,
    Ground,
    GroundKind,
    Incident,
    Party,
    PartyKind,
    Procedure,
    Profile,
    Quote,
    QuoteKind,
    Redirection,
    ReporterDetails,
    Role,
    Seal,
    StaffCallDetails,
    Status,
    ThreatTarget,
    TimelineEdit,
    TimelineEvent,
    UnrelatedWish,
    Witness,
)
from assister_log.errors import BadInput

# Field length limits, in characters. Generous for real use (a 50-page narrative fits),
# small enough that a runaway paste gets a clear message instead of a frozen window.
SHORT_TEXT = 500
NOTE_TEXT = 10_000
NARRATIVE_TEXT = 400_000
MAX_ITEMS = 1_000

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; Cs is U+D800-U+DFFF (lone
# surrogates). One regex search instead of a category lookup per character (verify parses
# every record: this was most of its time).
_REFUSED_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: object, where: str, limit: int, *, multiline: bool = False) -> str:
    """Check user text: a string, no control characters, within ``limit``; NFC-normalised."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput(f"{where} must be text, not {type(value).__name__}.")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = (_REFUSED_MULTILINE if multiline else _REFUSED_SINGLE_LINE).search(text)
    if bad is not None:
        ch = bad.group()
        if unicodedata.category(ch) == "Cs":
            raise BadInput(f"{where} holds an invalid character (a lone surrogate); retype it.")
        raise BadInput(
            f"{where} holds a control character (U+{ord(ch):04X}); remove it and try again."
        )
    text = unicodedata.normalize("NFC", text)
    if len(text) > limit:
        raise BadInput(
            f"{where} is {len(text):,} characters long; the limit is {limit:,}. "
            "Shorten it or attach the full text as a file."
        )
    return text if multiline else text.strip()


def _enum(cls: type[E], value: object, where: str) -> E:
    try:
        return cls(str(value)) if isinstance(value, str) else cls(value)  # type: ignore[arg-type]
    except ValueError:
        choices = ", ".join(m.value for m in cls)
        raise BadInput(f"{where}: unknown value {value!r}; use one of: {choices}.") from None


def _enums(cls: type[E], value: object, where: str) -> tuple[E, ...]:
    items = _list(value, where)
    return tuple(_enum(cls, v, f"{where}[{i}]") for i, v in enumerate(items))


def _list(value: object, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput(f"{where} must be a list.")
    if len(value) > MAX_ITEMS:
        raise BadInput(f"{where} has {len(value):,} items; the limit is {MAX_ITEMS:,}.")
    return value


def _obj(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadInput(f"{where} must be an object with named fields.")
    return value


def _known_keys(data: Mapping[str, Any], where: str, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadInput(
            f"{where}: unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}."
        )


def _bool(value: object, where: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadInput(f"{where} must be true or false.")
    return value


def _int(value: object, where: str, low: int = 0, high: int = 1_000_000) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(f"{where} must be a whole number from {low} to {high}.")
    return value


def parse_time(value: object, where: str) -> datetime:
    """ISO 8601 with a UTC offset; a time without one is ambiguous years later."""
    if not isinstance(value, str):
        raise BadInput(
            f"{where} must be an ISO 8601 date and time, e.g. 2026-03-02T14:05:00-06:00."
        )
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"{where}: {value[:40]!r} is not an ISO 8601 date and time "
            "(e.g. 2026-03-02T14:05:00-06:00)."
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise BadInput(f"{where}: {value[:40]!r} has no UTC offset; add one, e.g. -06:00.")
    return parsed


def time_text(value: datetime) -> str:
    return value.isoformat()


# ---------------------------------------------------------------------------- parsing parts


def _party(data: object, where: str) -> Party:
    d = _obj(data, where)
    fields = {
        "kind",
        "name",
        "case_number",
        "phone",
        "language",
        "interpreter",
        "date_of_birth",
        "address",
    }
    _known_keys(d, where, fields)
    kind = _enum(PartyKind, d.get("kind", "consumer"), f"{where}.kind")
    return Party(
        kind=kind,
        name=clean_text(d.get("name"), f"{where}.name", SHORT_TEXT),
        case_number=clean_text(d.get("case_number"), f"{where}.case_number", SHORT_TEXT),
        phone=clean_text(d.get("phone"), f"{where}.phone", SHORT_TEXT),
        language=clean_text(d.get("language"), f"{where}.language", SHORT_TEXT),
        interpreter=clean_text(d.get("interpreter"), f"{where}.interpreter", SHORT_TEXT),
        date_of_birth=clean_text(d.get("date_of_birth"), f"{where}.date_of_birth", SHORT_TEXT),
        address=clean_text(d.get("address"), f"{where}.address", SHORT_TEXT, multiline=True),
    )


def _ground(data: object, where: str) -> Ground:
    d = _obj(data, where)
    _known_keys(
        d,
        where,
        {
            "kind",
            "detail",
            "targets",
            "categories",
            "occurrences",
            "wish",
            "redirections",
            "information",
            "acknowledged_false",
            "fraud_types",
        },
    )
    wish = d.get("wish")
    return Ground(
        kind=_enum(GroundKind, d.get("kind"), f"{where}.kind"),
        detail=clean_text(d.get("detail"), f"{where}.detail", NOTE_TEXT, multiline=True),
        targets=_enums(ThreatTarget, d.get("targets"), f"{where}.targets"),
        categories=_enums(AbuseCategory, d.get("categories"), f"{where}.categories"),
        occurrences=_int(d.get("occurrences"), f"{where}.occurrences"),
        wish=None if wish is None else _enum(UnrelatedWish, wish, f"{where}.wish"),
        redirections=_enums(Redirection, d.get("redirections"), f"{where}.redirections"),
        information=clean_text(
            d.get("information"), f"{where}.information", NOTE_TEXT, multiline=True
        ),
        acknowledged_false=_bool(d.get("acknowledged_false"), f"{where}.acknowledged_false"),
        fraud_types=_enums(FraudType, d.get("fraud_types"), f"{where}.fraud_types"),
    )


def _edit(data: object, where: str) -> TimelineEdit:
    d = _obj(data, where)
    return TimelineEdit(
        edited_at=parse_time(d.get("edited_at"), f"{where}.edited_at"),
        previous_at=parse_time(d.get("previous_at"), f"{where}.previous_at"),
        previous_note=clean_text(
            d.get("previous_note"), f"{where}.previous_note", NOTE_TEXT, multiline=True
        ),
    )


def _event(data: object, where: str, *, stored: bool) -> TimelineEvent:
    d = _obj(data, where)
    _known_keys(d, where, {"at", "event", "note", "edits"} if stored else {"at", "event", "note"})
    return TimelineEvent(
        at=parse_time(d.get("at"), f"{where}.at"),
        event=_enum(EventKind, d.get("event"), f"{where}.event"),
        note=clean_text(d.get("note"), f"{where}.note", NOTE_TEXT, multiline=True),
        edits=tuple(
            _edit(e, f"{where}.edits[{i}]")
            for i, e in enumerate(_list(d.get("edits"), f"{where}.edits"))
        ),
    )


def _quote(data: object, where: str) -> Quote:
    d = _obj(data, where)
    _known_keys(d, where, {"speaker", "text", "kind", "language"})
    text = clean_text(d.get("text"), f"{where}.text", NOTE_TEXT, multiline=True)
    if not text.strip():
        raise BadInput(f"{where}.text is empty; write the words that were said.")
    return Quote(
        speaker=clean_text(d.get("speaker"), f"{where}.speaker", SHORT_TEXT),
        text=text,
        kind=_enum(QuoteKind, d.get("kind"), f"{where}.kind"),
        language=clean_text(d.get("language"), f"{where}.language", SHORT_TEXT),
    )


def _witness(data: object, where: str) -> Witness:
    d = _obj(data, where)
    _known_keys(d, where, {"name", "contact", "role"})
    name = clean_text(d.get("name"), f"{where}.name", SHORT_TEXT)
    if not name:
        raise BadInput(f"{where}.name is empty; name the witness.")
    return Witness(
        name=name,
        contact=clean_text(d.get("contact"), f"{where}.contact", SHORT_TEXT),
        role=clean_text(d.get("role"), f"{where}.role", SHORT_TEXT),
    )


def _deviation(data: object, where: str, now: datetime | None) -> Deviation:
    d = _obj(data, where)
    _known_keys(d, where, {"code", "justification", "recorded_at"})
    code = clean_text(d.get("code"), f"{where}.code", SHORT_TEXT)
    justification = clean_text(
        d.get("justification"), f"{where}.justification", NOTE_TEXT, multiline=True
    )
    if not code or not justification.strip():
        raise BadInput(f"{where} needs a finding code and a justification.")
    if now is None or "recorded_at" in d:
        recorded = parse_time(d.get("recorded_at"), f"{where}.recorded_at")
    else:
        recorded = now
    return Deviation(code=code, justification=justification, recorded_at=recorded)


def _staff_call(data: object, where: str) -> StaffCallDetails | None:
    if data is None:
        return None
    d = _obj(data, where)
    _known_keys(
        d,
        where,
        {
            "recording_available",
            "recording_reference",
            "reminder_mentioned_recording",
            "assister_on_call",
        },
    )
    available = d.get("recording_available", True)
    return StaffCallDetails(
        recording_available=_bool(available, f"{where}.recording_available"),
        recording_reference=clean_text(
            d.get("recording_reference"), f"{where}.recording_reference", SHORT_TEXT
        ),
        reminder_mentioned_recording=_bool(
            d.get("reminder_mentioned_recording"), f"{where}.reminder_mentioned_recording"
        ),
        assister_on_call=_bool(d.get("assister_on_call"), f"{where}.assister_on_call"),
    )


def _fraud(data: object, where: str) -> FraudReferral | None:
    if data is None:
        return None
    d = _obj(data, where)
    _known_keys(
        d,
        where,
        {
            "anonymous",
            "reporter",
            "public_program",
            "other_agencies_notified",
            "response_to_reminder",
            "no_discussion_acknowledged",
        },
    )
    r = _obj(d.get("reporter") or {}, f"{where}.reporter")
    rfields = {"name", "mailing_address", "day_phone", "evening_phone", "best_time", "email"}
    _known_keys(r, f"{where}.reporter", rfields)
    reporter = ReporterDetails(
        **{
            k: clean_text(
                r.get(k), f"{where}.reporter.{k}", SHORT_TEXT, multiline=k == "mailing_address"
            )
            for k in sorted(rfields)
        }
    )
    return FraudReferral(
        anonymous=_bool(d.get("anonymous"), f"{where}.anonymous"),
        reporter=reporter,
        public_program=_bool(d.get("public_program"), f"{where}.public_program"),
        other_agencies_notified=clean_text(
            d.get("other_agencies_notified"),
            f"{where}.other_agencies_notified",
            NOTE_TEXT,
            multiline=True,
        ),
        response_to_reminder=clean_text(
            d.get("response_to_reminder"),
            f"{where}.response_to_reminder",
            NOTE_TEXT,
            multiline=True,
        ),
        no_discussion_acknowledged=_bool(
            d.get("no_discussion_acknowledged"), f"{where}.no_discussion_acknowledged"
        ),
    )


def _items(data: Mapping[str, Any], key: str, parse: Callable[[object, str], T]) -> tuple[T, ...]:
    return tuple(parse(item, f"{key}[{i}]") for i, item in enumerate(_list(data.get(key), key)))


INPUT_FIELDS = {
    "procedure",
    "channel",
    "occurred_at",
    "ended_at",
    "location",
    "party",
    "grounds",
    "timeline",
    "quotes",
    "witnesses",
    "narrative",
    "staff_call",
    "fraud",
    "deviations",
}


def parse_new_incident(
    data: object, *, incident_id: str, author: Profile, recorded_at: datetime
) -> Incident:
    """A draft from user input, every field checked. ``recorded_at`` is the app's clock."""
    d = _obj(data, "the record")
    _known_keys(d, "the record", INPUT_FIELDS)
    return _build(
        d,
        incident_id=incident_id,
        author=author,
        recorded_at=recorded_at,
        status=Status.DRAFT,
        stored=False,
        now=recorded_at,
    )


def _build(
    d: Mapping[str, Any],
    *,
    incident_id: str,
    author: Profile,
    recorded_at: datetime,
    status: Status,
    stored: bool,
    now: datetime | None,
) -> Incident:
    for key in ("procedure", "channel", "occurred_at", "party"):
        if key not in d:
            raise BadInput(f"The record is missing the field {key!r}.")
    procedure = _enum(Procedure, d["procedure"], "procedure")
    occurred = parse_time(d["occurred_at"], "occurred_at")
    ended = None if d.get("ended_at") is None else parse_time(d["ended_at"], "ended_at")
    if ended is not None and ended < occurred:
        raise BadInput("ended_at is before occurred_at; check both times and their offsets.")
    staff_call = _staff_call(d.get("staff_call"), "staff_call")
    if procedure is Procedure.STAFF_CALL and staff_call is None:
        staff_call = StaffCallDetails()
    fraud = _fraud(d.get("fraud"), "fraud")
    if procedure is Procedure.SUSPECTED_FRAUD and fraud is None:
        fraud = FraudReferral()
    timeline = tuple(
        _event(item, f"timeline[{i}]", stored=stored)
        for i, item in enumerate(_list(d.get("timeline"), "timeline"))
    )
    return Incident(
        incident_id=incident_id,
        procedure=procedure,
        author=author,
        channel=_enum(Channel, d["channel"], "channel"),
        occurred_at=occurred,
        ended_at=ended,
        recorded_at=recorded_at,
        party=_party(d["party"], "party"),
        status=status,
        location=clean_text(d.get("location"), "location", SHORT_TEXT),
        grounds=_items(d, "grounds", _ground),
        timeline=tuple(sorted(timeline, key=lambda e: e.at)),
        quotes=_items(d, "quotes", _quote),
        witnesses=_items(d, "witnesses", _witness),
        narrative=clean_text(d.get("narrative"), "narrative", NARRATIVE_TEXT, multiline=True),
        deviations=tuple(
            _deviation(item, f"deviations[{i}]", now)
            for i, item in enumerate(_list(d.get("deviations"), "deviations"))
        ),
        staff_call=staff_call,
        fraud=fraud,
    )


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
    d = _obj(data, "seal")
    return Seal(
        record_hash=str(d["record_hash"]),
        entry_hash=str(d["entry_hash"]),
        previous_hash=str(d["previous_hash"]),
        position=int(d["position"]),
        sealed_at=parse_time(d["sealed_at"], "seal.sealed_at"),
    )


def profile_from_dict(data: object) -> Profile:
    d = _obj(data, "profile")
    return Profile(
        name=clean_text(d.get("name"), "name", SHORT_TEXT),
        role=_enum(Role, d.get("role"), "role"),
        credential_id=clean_text(d.get("credential_id"), "credential_id", SHORT_TEXT),
        organisation=clean_text(d.get("organisation"), "organisation", SHORT_TEXT),
        site=clean_text(d.get("site"), "site", SHORT_TEXT),
    )


def attachment_from_dict(data: object) -> Attachment:
    d = _obj(data, "attachment")
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
    base = _build(
        data,
        incident_id=str(data["incident_id"]),
        author=profile_from_dict(data["author"]),
        recorded_at=parse_time(data["recorded_at"], "recorded_at"),
        status=_enum(Status, data.get("status", "draft"), "status"),
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
