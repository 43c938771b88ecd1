"""The organisation hand-off's three file formats (docs/organisation.md): the organisation
profile a navigator joins with, the envelope each chain entry travels in, and the receipt the
organisation writes back.

* **Profile** — ``{"profile": {...}, "signature": b64}``: the organisation's name and id, its
  age recipients, its receipt-signing public key (ECDSA P-256, DER), the destination; signed
  by that key. The signature proves the file is whole; that it is *this* organisation's is
  checked by people, comparing the short fingerprint the app shows on joining with the one
  the organisation announces.
* **Envelope** — a deterministic ZIP (the evidence bundle's layout) of ``envelope.json``
  (canonical JSON: the author's public key, the entry and its signature, the author's chain
  head and its signature, the SHA-256 of the content), ``envelope.sig`` (the author's
  signature over envelope.json) and the content: ``bundle.zip`` (the record's evidence
  bundle) or ``purge.json`` (the purge statement the entry seals). The ZIP is then encrypted
  with **age** (pyrage) to the organisation's recipients: only the organisation can read it,
  with this app or with the standard ``age -d`` tool.
* **Receipt** — ``{"receipt": {...}, "signature": b64}``: what was received, when, and the
  author's chain head the organisation saw, signed with the organisation's receipt key.

File names on the destination carry the author key's fingerprint prefix, the chain position
and the entry hash prefix: no name, no record id, nothing personal. An entry re-sent after a
crash lands on the same name; a rewritten history lands on a new name at a position already
seen, which the organisation then refuses.

Everything here is pure: bytes in, bytes out; no vault, no network.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import pyrage
from pyrage import x25519

from assister_log.domain.model import ChainEntryKind
from assister_log.domain.serialization import canonical_bytes
from assister_log.storage import chain, evidence, signing
from assister_log.storage.chain import ChainEntry

PROFILE_FORMAT = "assister-log-organisation"
ENVELOPE_FORMAT = "assister-log-envelope"
RECEIPT_FORMAT = "assister-log-receipt"
VERSION = 1
ROOT = "assister-log"
ENVELOPES = f"{ROOT}/envelopes"
RECEIPTS = f"{ROOT}/receipts"
ENVELOPE_JSON = "envelope.json"
ENVELOPE_SIG = "envelope.sig"
BUNDLE = "bundle.zip"
PURGE = "purge.json"
MAX_PROFILE_BYTES = 64 * 1024
MAX_RECEIPT_BYTES = 64 * 1024
MAX_ENVELOPE_BYTES = 1024 * 1024 * 1024
_ENVELOPE_NAME = re.compile(rf"{ENVELOPES}/([0-9a-f]{{16}})/([0-9]{{10}})-([0-9a-f]{{16}})\.age")
_AGE_RECIPIENT = re.compile(r"age1[0-9a-z]{58}")
_ORG_ID = re.compile(r"[0-9a-f]{32}")


class EnvelopeError(Exception):
    """A profile, envelope or receipt that is not genuine or not for us; ``str()`` says why
    in words for the user, ``kind`` classifies it (damaged, foreign, forged)."""

    def __init__(self, message: str, kind: str = "damaged") -> None:
        super().__init__(message)
        self.kind = kind


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise EnvelopeError(f"{what} is missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError(f"{what} is not base64") from None


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise EnvelopeError(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise EnvelopeError(f"{what} is not a JSON object")
    return value


def _text(data: dict[str, Any], key: str, what: str, limit: int = 500) -> str:
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise EnvelopeError(f"{what}: {key} is missing or malformed")
    return value


def _signed(data: bytes, outer: str, what: str) -> tuple[dict[str, Any], bytes, bytes]:
    """(inner object, its canonical bytes, the signature) of a ``{outer: {...}, signature}``
    file; the inner bytes are re-canonicalised so whitespace does not matter."""
    top = _json_object(data, what)
    inner = top.get(outer)
    if not isinstance(inner, dict):
        raise EnvelopeError(f"it is not an Assister Log {what}")
    return inner, canonical_bytes(inner), _unb64(top.get("signature"), f"the {what}'s signature")


# ----------------------------------------------------------------------------- profile


@dataclass(frozen=True)
class OrgProfile:
    name: str
    org_id: str
    recipients: tuple[str, ...]
    receipt_key: bytes  # SubjectPublicKeyInfo DER of the receipt-signing key
    destination: dict[str, str]
    created_at: str

    @property
    def fingerprint(self) -> str:
        """What people compare by phone or on paper before trusting a profile."""
        return signing.short_fingerprint(self.receipt_key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PROFILE_FORMAT,
            "version": VERSION,
            "name": self.name,
            "id": self.org_id,
            "recipients": list(self.recipients),
            "receipt_key": _b64(self.receipt_key),
            "destination": dict(self.destination),
            "created_at": self.created_at,
        }


def write_profile(profile: OrgProfile, signer: signing.Signer) -> bytes:
    body = profile.to_dict()
    text = json.dumps(
        {"profile": body, "signature": _b64(signer(canonical_bytes(body)))},
        ensure_ascii=False,
        indent=2,
        sort_keys=True,
    )
    return (text + "\n").encode("utf-8")


def read_profile(data: bytes) -> OrgProfile:
    if len(data) > MAX_PROFILE_BYTES:
        raise EnvelopeError("it is larger than any organisation profile", "foreign")
    body, payload, signature = _signed(data, "profile", "organisation profile")
    if body.get("format") != PROFILE_FORMAT:
        raise EnvelopeError("it is not an Assister Log organisation profile", "foreign")
    if body.get("version") != VERSION:
        raise EnvelopeError(
            f"it is a version {body.get('version')!r} profile; this app reads version {VERSION}"
        )
    key = _unb64(body.get("receipt_key"), "the receipt key")
    try:
        signing.load_public(key)
    except Exception:
        raise EnvelopeError("its receipt key is not an ECDSA P-256 public key") from None
    if not signing.verify(key, payload, signature):
        raise EnvelopeError("its signature does not match: the file was changed", "forged")
    recipients = body.get("recipients")
    if (
        not isinstance(recipients, list)
        or not recipients
        or not all(isinstance(r, str) and _AGE_RECIPIENT.fullmatch(r) for r in recipients)
    ):
        raise EnvelopeError("it names no valid age recipient (age1…)")
    destination = body.get("destination")
    if not isinstance(destination, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in destination.items()
    ):
        raise EnvelopeError("its destination is malformed")
    org_id = _text(body, "id", "the profile")
    if not _ORG_ID.fullmatch(org_id):
        raise EnvelopeError("its organisation id is malformed")
    return OrgProfile(
        name=_text(body, "name", "the profile", 200),
        org_id=org_id,
        recipients=tuple(recipients),
        receipt_key=key,
        destination=dict(destination),
        created_at=_text(body, "created_at", "the profile", 64),
    )


# ---------------------------------------------------------------------------------- names


def envelope_name(author_fingerprint: str, position: int, entry_hash: str) -> str:
    return f"{ENVELOPES}/{author_fingerprint[:16]}/{position:010d}-{entry_hash[:16]}.age"


def receipt_name(author_fingerprint: str, position: int, entry_hash: str) -> str:
    return f"{RECEIPTS}/{author_fingerprint[:16]}/{position:010d}-{entry_hash[:16]}.json"


def parse_envelope_name(name: str) -> tuple[str, int, str] | None:
    """(fingerprint prefix, position, entry hash prefix), or None for a foreign name."""
    match = _ENVELOPE_NAME.fullmatch(name)
    if match is None:
        return None
    return match.group(1), int(match.group(2)), match.group(3)


# ------------------------------------------------------------------------------- envelope


@dataclass(frozen=True)
class Author:
    public_key: bytes
    name: str
    site: str

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)


@dataclass(frozen=True)
class Envelope:
    organisation: str
    author: Author
    entry: ChainEntry
    entry_signature: bytes
    head: ChainEntry
    head_signature: bytes
    created_at: str
    bundle: bytes | None = None  # finalize / addendum: the record's evidence bundle
    purge_statement: bytes | None = None  # purge: the statement the entry seals


def _entry_dict(entry: ChainEntry, signature: bytes) -> dict[str, Any]:
    return entry.to_dict() | {"entry_hash": entry.entry_hash, "signature": _b64(signature)}


def _entry_from(value: object, public_key: bytes, what: str) -> tuple[ChainEntry, bytes]:
    if not isinstance(value, dict):
        raise EnvelopeError(f"{what} is missing")
    try:
        entry = ChainEntry(
            position=int(value["position"]),
            kind=ChainEntryKind(value["kind"]),
            incident_id=str(value["incident_id"]),
            record_hash=str(value["record_hash"]),
            previous_hash=str(value["previous_hash"]),
            entry_hash=str(value["entry_hash"]),
            sealed_at=str(value["sealed_at"]),
        )
    except (KeyError, ValueError, TypeError):
        raise EnvelopeError(f"{what} is malformed") from None
    if entry.position < 1:
        raise EnvelopeError(f"{what} has no valid position")
    if hashlib.sha256(entry.payload()).hexdigest() != entry.entry_hash:
        raise EnvelopeError(f"{what} was changed: its hash does not match its fields", "forged")
    signature = _unb64(value.get("signature"), f"{what}'s signature")
    if not signing.verify(public_key, entry.payload(), signature):
        raise EnvelopeError(f"{what} is not signed by the author's key", "forged")
    return entry, signature


def seal_envelope(envelope: Envelope, signer: signing.Signer) -> bytes:
    """The plaintext envelope (a deterministic ZIP), signed by the author's key."""
    content_name, content = (
        (BUNDLE, envelope.bundle)
        if envelope.bundle is not None
        else (PURGE, envelope.purge_statement or b"")
    )
    body = canonical_bytes(
        {
            "format": ENVELOPE_FORMAT,
            "version": VERSION,
            "organisation": envelope.organisation,
            "created_at": envelope.created_at,
            "author": {
                "fingerprint": envelope.author.fingerprint,
                "public_key": _b64(envelope.author.public_key),
                "name": envelope.author.name,
                "site": envelope.author.site,
            },
            "entry": _entry_dict(envelope.entry, envelope.entry_signature),
            "head": _entry_dict(envelope.head, envelope.head_signature),
            "content": {
                "name": content_name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            },
        }
    )
    return evidence.pack_members(
        [(ENVELOPE_JSON, body), (ENVELOPE_SIG, signer(body)), (content_name, content)]
    )


def encrypt(plain: bytes, recipients: tuple[str, ...]) -> bytes:
    """age-encrypt to every recipient (binary age format, as ``age -r`` writes)."""
    try:
        keys = [x25519.Recipient.from_str(r) for r in recipients]
    except Exception:
        raise EnvelopeError("the organisation profile names an invalid age recipient") from None
    return bytes(pyrage.encrypt(plain, keys))


def new_identity() -> tuple[str, str]:
    """(secret identity ``AGE-SECRET-KEY-1…``, public recipient ``age1…``)."""
    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def decrypt(data: bytes, identity: str) -> bytes:
    if len(data) > MAX_ENVELOPE_BYTES:
        raise EnvelopeError("it is larger than any envelope the app writes")
    try:
        return bytes(pyrage.decrypt(data, [x25519.Identity.from_str(identity)]))
    except Exception:
        raise EnvelopeError(
            "it cannot be decrypted with this organisation's key: it was encrypted for "
            "another organisation, or it is damaged",
            "foreign",
        ) from None


def open_envelope(plain: bytes, organisation: str) -> Envelope:
    """Parse and verify a decrypted envelope: every signature by the author's key, the
    content's hash, the bundle itself (storage.evidence.check) and that it holds the entry."""
    try:
        members, raw = evidence.read_members(plain, ENVELOPE_JSON)
    except evidence.BundleError as error:
        raise EnvelopeError(f"it is not an envelope ({error})") from None
    if set(members) - {ENVELOPE_JSON, ENVELOPE_SIG, BUNDLE, PURGE} or ENVELOPE_JSON not in members:
        raise EnvelopeError("it is not an Assister Log envelope")
    body_bytes = members[ENVELOPE_JSON]
    body = _json_object(body_bytes, ENVELOPE_JSON)
    if body.get("format") != ENVELOPE_FORMAT or body.get("version") != VERSION:
        raise EnvelopeError("it is not a version 1 Assister Log envelope")
    if body.get("organisation") != organisation:
        raise EnvelopeError("it is addressed to another organisation", "foreign")
    author_data = body.get("author")
    if not isinstance(author_data, dict):
        raise EnvelopeError("it names no author")
    key = _unb64(author_data.get("public_key"), "the author's key")
    try:
        signing.load_public(key)
    except Exception:
        raise EnvelopeError("the author's key is not an ECDSA P-256 public key") from None
    author = Author(
        public_key=key,
        name=_text(author_data, "name", "the author"),
        site=_text(author_data, "site", "the author"),
    )
    if author_data.get("fingerprint") != author.fingerprint:
        raise EnvelopeError("the author's fingerprint does not match the author's key", "forged")
    if not signing.verify(key, body_bytes, members.get(ENVELOPE_SIG, b"")):
        raise EnvelopeError("envelope.json is not signed by the author's key", "forged")
    if evidence.pack_members(list(members.items())) != raw:
        raise EnvelopeError("the envelope's ZIP structure was altered")
    entry, entry_sig = _entry_from(body.get("entry"), key, "the entry")
    head, head_sig = _entry_from(body.get("head"), key, "the chain head")
    if head.position < entry.position:
        raise EnvelopeError("its chain head is older than its entry", "forged")
    if head.position == entry.position and head.entry_hash != entry.entry_hash:
        raise EnvelopeError("its chain head contradicts its entry", "forged")
    content = body.get("content")
    if not isinstance(content, dict) or content.get("name") not in members:
        raise EnvelopeError("its content is missing")
    data = members[str(content["name"])]
    if hashlib.sha256(data).hexdigest() != content.get("sha256"):
        raise EnvelopeError("its content was changed: the SHA-256 does not match", "forged")
    bundle: bytes | None = None
    purge: bytes | None = None
    if content["name"] == BUNDLE:
        bundle = data
        _check_bundle(bundle, entry, author)
    elif entry.kind is ChainEntryKind.PURGE:
        if hashlib.sha256(data).hexdigest() != entry.record_hash:
            raise EnvelopeError("its purge statement is not the one the entry seals", "forged")
        purge = data
    elif data:
        raise EnvelopeError("its content does not belong to its entry")
    return Envelope(
        organisation=organisation,
        author=author,
        entry=entry,
        entry_signature=entry_sig,
        head=head,
        head_signature=head_sig,
        created_at=_text(body, "created_at", "the envelope", 64),
        bundle=bundle,
        purge_statement=purge,
    )


def _check_bundle(bundle: bytes, entry: ChainEntry, author: Author) -> None:
    if entry.kind is ChainEntryKind.PURGE:
        raise EnvelopeError("a purge entry cannot carry a record", "forged")
    try:
        summary = evidence.check(bundle)
    except evidence.BundleError as error:
        raise EnvelopeError(f"its evidence bundle is not genuine ({error})", "forged") from None
    if summary.fingerprint != author.fingerprint:
        raise EnvelopeError("its evidence bundle is signed by another key", "forged")
    if summary.record_id != entry.incident_id or not any(
        e["position"] == entry.position and e["entry_hash"] == entry.entry_hash
        for e in summary.entries
    ):
        raise EnvelopeError("its evidence bundle does not hold its entry", "forged")


# -------------------------------------------------------------------------------- receipt


@dataclass(frozen=True)
class Receipt:
    organisation: str  # the organisation's id
    organisation_name: str
    author: str  # the author key's fingerprint
    position: int
    entry_hash: str
    incident_id: str
    head_position: int
    head_hash: str
    received_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": RECEIPT_FORMAT,
            "version": VERSION,
            "organisation": self.organisation,
            "organisation_name": self.organisation_name,
            "author": self.author,
            "position": self.position,
            "entry_hash": self.entry_hash,
            "incident_id": self.incident_id,
            "head_position": self.head_position,
            "head_hash": self.head_hash,
            "received_at": self.received_at,
        }


def write_receipt(receipt: Receipt, signer: signing.Signer) -> bytes:
    body = receipt.to_dict()
    return canonical_bytes({"receipt": body, "signature": _b64(signer(canonical_bytes(body)))})


def read_receipt(data: bytes, receipt_key: bytes) -> Receipt:
    """A receipt signed by the organisation's receipt key; EnvelopeError otherwise."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise EnvelopeError("it is larger than any receipt")
    body, payload, signature = _signed(data, "receipt", "receipt")
    if body.get("format") != RECEIPT_FORMAT or body.get("version") != VERSION:
        raise EnvelopeError("it is not an Assister Log receipt", "foreign")
    if not signing.verify(receipt_key, payload, signature):
        raise EnvelopeError("it is not signed by the organisation's receipt key", "forged")
    try:
        return Receipt(
            organisation=str(body["organisation"]),
            organisation_name=str(body["organisation_name"]),
            author=str(body["author"]),
            position=int(body["position"]),
            entry_hash=str(body["entry_hash"]),
            incident_id=str(body["incident_id"]),
            head_position=int(body["head_position"]),
            head_hash=str(body["head_hash"]),
            received_at=str(body["received_at"]),
        )
    except (KeyError, TypeError, ValueError):
        raise EnvelopeError("it is malformed") from None


GENESIS = chain.GENESIS
