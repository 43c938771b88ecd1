"""Reading what a user wrote into records: :func:`parse_new_incident` checks every field of
the CLI's ``add --from-json`` file or the editor's fields and names the one that is wrong;
the field limits, text cleaning and time parsing the stored form reuses
(``domain.serialization``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from assister_log.domain.model import (
    AbuseCategory,
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


def enum_field(cls: type[E], value: object, where: str) -> E:
    try:
        return cls(str(value)) if isinstance(value, str) else cls(value)  # type: ignore[arg-type]
    except ValueError:
        choices = ", ".join(m.value for m in cls)
        raise BadInput(f"{where}: unknown value {value!r}; use one of: {choices}.") from None


def _enums(cls: type[E], value: object, where: str) -> tuple[E, ...]:
    items = _list(value, where)
    return tuple(enum_field(cls, v, f"{where}[{i}]") for i, v in enumerate(items))


def _list(value: object, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput(f"{where} must be a list.")
    if len(value) > MAX_ITEMS:
        raise BadInput(f"{where} has {len(value):,} items; the limit is {MAX_ITEMS:,}.")
    return value


def object_field(value: object, where: str) -> Mapping[str, Any]:
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
    d = object_field(data, where)
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
    kind = enum_field(PartyKind, d.get("kind", "consumer"), f"{where}.kind")
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
    d = object_field(data, where)
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
        kind=enum_field(GroundKind, d.get("kind"), f"{where}.kind"),
        detail=clean_text(d.get("detail"), f"{where}.detail", NOTE_TEXT, multiline=True),
        targets=_enums(ThreatTarget, d.get("targets"), f"{where}.targets"),
        categories=_enums(AbuseCategory, d.get("categories"), f"{where}.categories"),
        occurrences=_int(d.get("occurrences"), f"{where}.occurrences"),
        wish=None if wish is None else enum_field(UnrelatedWish, wish, f"{where}.wish"),
        redirections=_enums(Redirection, d.get("redirections"), f"{where}.redirections"),
        information=clean_text(
            d.get("information"), f"{where}.information", NOTE_TEXT, multiline=True
        ),
        acknowledged_false=_bool(d.get("acknowledged_false"), f"{where}.acknowledged_false"),
        fraud_types=_enums(FraudType, d.get("fraud_types"), f"{where}.fraud_types"),
    )


def _edit(data: object, where: str) -> TimelineEdit:
    d = object_field(data, where)
    return TimelineEdit(
        edited_at=parse_time(d.get("edited_at"), f"{where}.edited_at"),
        previous_at=parse_time(d.get("previous_at"), f"{where}.previous_at"),
        previous_note=clean_text(
            d.get("previous_note"), f"{where}.previous_note", NOTE_TEXT, multiline=True
        ),
    )


def _event(data: object, where: str, *, stored: bool) -> TimelineEvent:
    d = object_field(data, where)
    _known_keys(d, where, {"at", "event", "note", "edits"} if stored else {"at", "event", "note"})
    return TimelineEvent(
        at=parse_time(d.get("at"), f"{where}.at"),
        event=enum_field(EventKind, d.get("event"), f"{where}.event"),
        note=clean_text(d.get("note"), f"{where}.note", NOTE_TEXT, multiline=True),
        edits=tuple(
            _edit(e, f"{where}.edits[{i}]")
            for i, e in enumerate(_list(d.get("edits"), f"{where}.edits"))
        ),
    )


def _quote(data: object, where: str) -> Quote:
    d = object_field(data, where)
    _known_keys(d, where, {"speaker", "text", "kind", "language"})
    text = clean_text(d.get("text"), f"{where}.text", NOTE_TEXT, multiline=True)
    if not text.strip():
        raise BadInput(f"{where}.text is empty; write the words that were said.")
    return Quote(
        speaker=clean_text(d.get("speaker"), f"{where}.speaker", SHORT_TEXT),
        text=text,
        kind=enum_field(QuoteKind, d.get("kind"), f"{where}.kind"),
        language=clean_text(d.get("language"), f"{where}.language", SHORT_TEXT),
    )


def _witness(data: object, where: str) -> Witness:
    d = object_field(data, where)
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
    d = object_field(data, where)
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
    d = object_field(data, where)
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
    d = object_field(data, where)
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
    r = object_field(d.get("reporter") or {}, f"{where}.reporter")
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
    d = object_field(data, "the record")
    _known_keys(d, "the record", INPUT_FIELDS)
    return build_incident(
        d,
        incident_id=incident_id,
        author=author,
        recorded_at=recorded_at,
        status=Status.DRAFT,
        stored=False,
        now=recorded_at,
    )


def build_incident(
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
    procedure = enum_field(Procedure, d["procedure"], "procedure")
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
        channel=enum_field(Channel, d["channel"], "channel"),
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
