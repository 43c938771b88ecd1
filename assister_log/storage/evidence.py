"""Evidence bundles: one ZIP file an outsider can check without the vault or any secret.

A bundle holds the canonical record, its addenda, the original attachment bytes, the record's
chain entries with their signatures, and the vault's public key, under a signed manifest.
``check`` verifies every byte of it; docs/evidence-format.md describes the format and how to
check a bundle by hand with ``unzip``, ``sha256sum`` and ``openssl``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from assister_log.domain.model import ChainEntryKind
from assister_log.domain.serialization import canonical_bytes
from assister_log.storage import signing
from assister_log.storage.chain import ChainEntry

FORMAT_NAME = "assister-log-evidence"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.sig"
PUBLIC_KEY = "public-key.pem"
RECORD = "record.json"
README = "README.txt"
QR_PREFIX = "ALSEAL1"
# Big enough for a record at its limits with every attachment at 64 MB; refused above.
MAX_MEMBERS = 2_000
MAX_JSON_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 8 * 1024 * 1024 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CHAIN_NAME = re.compile(r"chain/([1-9][0-9]{0,15})\.(json|sig)")
_ADDENDUM_NAME = re.compile(r"addenda/([1-9][0-9]{0,5})\.json")
_ATTACHMENT_NAME = re.compile(r"attachments/([0-9a-f]{1,64})")

_README_TEXT = """\
Assister Log evidence bundle
============================

This file was exported from an Assister Log vault. It holds one sealed record and everything
needed to check it without the vault: the record (record.json), its addenda (addenda/),
the original attachments (attachments/), the record's seal-chain entries with their
signatures (chain/), the vault's public key (public-key.pem), and a signed list of every
member with its SHA-256 (manifest.json, manifest.sig).

Check it with:   assister-log check-evidence THIS-FILE
or by hand, with unzip, sha256sum and openssl: see docs/evidence-format.md.
"""


# What zipfile raises for a damaged or hostile archive (a flipped bit in a deflated member
# is a zlib.error; an encrypted member is a RuntimeError; an unknown method NotImplementedError).
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    EOFError,
    zlib.error,
    RuntimeError,
    NotImplementedError,
)


class BundleError(Exception):
    """The first problem found in a bundle, as one sentence."""


@dataclass(frozen=True)
class BundleInput:
    record_id: str
    record_bytes: bytes  # canonical sealed content
    addenda: list[bytes]  # canonical addendum payloads, in chain order
    attachments: Mapping[str, bytes]  # attachment id -> original bytes
    entries: list[ChainEntry]
    signatures: Mapping[int, bytes]
    public_der: bytes
    created_at: str


@dataclass
class Summary:
    record_id: str
    procedure: str
    finalized_at: str
    position: int
    fingerprint: str
    addenda: int
    attachments: int
    members: int
    entries: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"Genuine: evidence bundle for record {self.record_id} ({self.procedure}).",
            f"Finalized (sealed) at {self.finalized_at}, chain position {self.position}; "
            f"{self.addenda} addend{'um' if self.addenda == 1 else 'a'}, "
            f"{self.attachments} attachment{'' if self.attachments == 1 else 's'}.",
            f"Every entry is signed by the vault key sha256:{self.fingerprint}; "
            f"all {self.members} members match the signed manifest.",
        ]


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.create_version = 20
    info.extract_version = 20
    info.external_attr = 0o600 << 16
    return info


def _pack(members: list[tuple[str, bytes]]) -> bytes:
    """The one byte layout of a bundle with these members, in this order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", allowZip64=False) as archive:
        for name, data in members:
            archive.writestr(_info(name), data)
    return out.getvalue()


def write(bundle: BundleInput, out: IO[bytes], signer: signing.Signer) -> None:
    """Write the bundle to ``out``; ``signer`` signs the manifest with the vault's key."""
    members: list[tuple[str, bytes]] = [
        (README, _README_TEXT.encode("utf-8")),
        (PUBLIC_KEY, signing.public_pem(bundle.public_der)),
        (RECORD, bundle.record_bytes),
    ]
    members += [(f"addenda/{n}.json", data) for n, data in enumerate(bundle.addenda, start=1)]
    members += [(f"attachments/{aid}", data) for aid, data in sorted(bundle.attachments.items())]
    for entry in bundle.entries:
        members.append((f"chain/{entry.position}.json", entry.payload()))
        members.append((f"chain/{entry.position}.sig", bundle.signatures[entry.position]))
    manifest = canonical_bytes(
        {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "record_id": bundle.record_id,
            "created_at": bundle.created_at,
            "key_fingerprint": signing.fingerprint(bundle.public_der),
            "members": [
                {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                for name, data in members
            ],
        }
    )
    out.write(_pack([(MANIFEST, manifest), (MANIFEST_SIG, signer(manifest)), *members]))


def qr_statement(entry: ChainEntry, signature: bytes, public_der: bytes) -> str:
    """The compact signed statement a PDF's QR code carries: record id, record hash, entry
    hash, key fingerprint (first 16 hex digits) and the entry's signature (base64url)."""
    sig = base64.urlsafe_b64encode(signature).decode("ascii").rstrip("=")
    return ".".join(
        [
            QR_PREFIX,
            entry.incident_id,
            entry.record_hash,
            entry.entry_hash,
            signing.fingerprint(public_der)[:16],
            sig,
        ]
    )


# --------------------------------------------------------------------------------- checking


def _read_members(source: IO[bytes], required: str = MANIFEST) -> tuple[dict[str, bytes], bytes]:
    raw = source.read(MAX_TOTAL + 1)
    if len(raw) > MAX_TOTAL:
        raise BundleError("it is larger than any bundle the app writes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except _READ_ERRORS:
        raise BundleError("it is not an Assister Log evidence bundle (not a ZIP file)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"it has {len(infos)} members, more than a bundle can hold")
        if sum(i.file_size for i in infos) > MAX_TOTAL:
            raise BundleError("its members are larger than any bundle the app writes")
        names = [i.filename for i in infos]
        if len(names) != len(set(names)):
            raise BundleError("a member name appears twice")
        if required not in names:
            raise BundleError(f"it has no {required} (not an Assister Log file)")
        members: dict[str, bytes] = {}
        for info in infos:
            try:
                members[info.filename] = archive.read(info)
            except _READ_ERRORS as error:
                raise BundleError(
                    f"member {info.filename} cannot be read ({error.__class__.__name__}: "
                    "the file was altered or is damaged)"
                ) from None
    return members, raw


def _json(data: bytes, what: str) -> Any:
    if len(data) > MAX_JSON_MEMBER:
        raise BundleError(f"{what} is too large")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(f"{what} is not valid JSON") from None
    if canonical_bytes(value) != data:
        raise BundleError(f"{what} is not in canonical form (RFC 8785): it was altered")
    return value


def _manifest(members: dict[str, bytes]) -> tuple[dict[str, Any], bytes]:
    manifest = _json(members[MANIFEST], MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BundleError("manifest.json is not an Assister Log evidence manifest")
    if manifest.get("version") != FORMAT_VERSION:
        raise BundleError(
            f"bundle format version {manifest.get('version')!r} is not known to this version "
            "of Assister Log"
        )
    listed = manifest.get("members")
    if not isinstance(listed, list):
        raise BundleError("manifest.json has no member list")
    seen: set[str] = set()
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise BundleError("manifest.json has a malformed member entry")
        name = item["name"]
        if name in seen:
            raise BundleError(f"manifest.json lists {name} twice")
        seen.add(name)
        data = members.get(name)
        if data is None:
            raise BundleError(f"member {name} is listed in the manifest but missing")
        if item.get("size") != len(data) or item.get("sha256") != hashlib.sha256(data).hexdigest():
            raise BundleError(f"member {name} was changed: its SHA-256 differs from the manifest")
    extra = set(members) - seen - {MANIFEST, MANIFEST_SIG}
    if extra:
        raise BundleError(f"member {sorted(extra)[0]} is not listed in the signed manifest")
    if MANIFEST_SIG not in members:
        raise BundleError("manifest.sig is missing: the manifest is not signed")
    if PUBLIC_KEY not in members or RECORD not in members:
        raise BundleError("the bundle lacks public-key.pem or record.json")
    try:
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_public_key(members[PUBLIC_KEY])
        public_der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signing.load_public(public_der)
    except ValueError:
        raise BundleError("public-key.pem is not an ECDSA P-256 public key") from None
    if manifest.get("key_fingerprint") != signing.fingerprint(public_der):
        raise BundleError("the public key is not the one the manifest names")
    if not signing.verify(public_der, members[MANIFEST], members[MANIFEST_SIG]):
        raise BundleError("the manifest's signature is not valid for the bundle's public key")
    return manifest, public_der


def _entries(
    members: dict[str, bytes], record_id: str, public_der: bytes
) -> list[tuple[ChainEntry, bytes]]:
    found: list[tuple[ChainEntry, bytes]] = []
    for name in sorted(members):
        match = _CHAIN_NAME.fullmatch(name)
        if not match or match.group(2) != "json":
            continue
        position = int(match.group(1))
        payload = members[name]
        data = _json(payload, name)
        try:
            entry = ChainEntry(
                position=data["position"],
                kind=ChainEntryKind(data["kind"]),
                incident_id=data["incident_id"],
                record_hash=data["record_hash"],
                previous_hash=data["previous_hash"],
                entry_hash=hashlib.sha256(payload).hexdigest(),
                sealed_at=data["sealed_at"],
            )
        except (KeyError, ValueError, TypeError):
            raise BundleError(f"{name} is not a chain entry") from None
        if entry.position != position:
            raise BundleError(f"{name} holds the entry of another position")
        if entry.incident_id != record_id:
            raise BundleError(f"{name} is an entry of another record ({entry.incident_id})")
        signature = members.get(f"chain/{position}.sig")
        if signature is None:
            raise BundleError(f"chain entry {position} has no signature")
        if not signing.verify(public_der, payload, signature):
            raise BundleError(f"chain entry {position}'s signature is not valid")
        found.append((entry, signature))
    found.sort(key=lambda pair: pair[0].position)
    orphans = [
        n
        for n in members
        if _CHAIN_NAME.fullmatch(n) and n.endswith(".sig") and f"{n[:-4]}.json" not in members
    ]
    if orphans:
        raise BundleError(f"{orphans[0]} signs no entry")
    return found


def _time(text: str, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise BundleError(f"{what} has an unreadable time") from None
    if value.tzinfo is None:
        raise BundleError(f"{what} has a time without a UTC offset")
    return value


def check(source: IO[bytes] | bytes, qr: str | None = None) -> Summary:
    """Verify a bundle; BundleError names the first problem."""
    members, raw = _read_members(io.BytesIO(source) if isinstance(source, bytes) else source)
    manifest, public_der = _manifest(members)
    record_id = manifest.get("record_id")
    if not isinstance(record_id, str) or not record_id:
        raise BundleError("manifest.json names no record")
    pairs = _entries(members, record_id, public_der)
    finals = [e for e, _ in pairs if e.kind is ChainEntryKind.FINALIZE]
    if len(finals) != 1:
        raise BundleError(f"the bundle has {len(finals)} finalize entries instead of one")
    final = finals[0]
    record_bytes = members[RECORD]
    if hashlib.sha256(record_bytes).hexdigest() != final.record_hash:
        raise BundleError("record.json was changed: its SHA-256 is not the sealed record hash")
    record = _json(record_bytes, RECORD)
    if not isinstance(record, dict) or record.get("incident_id") != record_id:
        raise BundleError("record.json is another record than the manifest names")
    latest = _time(final.sealed_at, "the finalize entry")
    for entry, _ in pairs:
        when = _time(entry.sealed_at, f"chain entry {entry.position}")
        if entry.position < final.position:
            raise BundleError(f"chain entry {entry.position} comes before the record was sealed")
        if when < latest:
            raise BundleError(f"chain entry {entry.position} is backdated")
        latest = when
    addendum_entries = [e for e, _ in pairs if e.kind is ChainEntryKind.ADDENDUM]
    addendum_names = sorted(
        (int(m.group(1)), n) for n in members if (m := _ADDENDUM_NAME.fullmatch(n))
    )
    if [n for n, _ in addendum_names] != list(range(1, len(addendum_names) + 1)):
        raise BundleError("the addenda are not numbered 1, 2, 3, …")
    if len(addendum_names) != len(addendum_entries):
        raise BundleError(
            f"the bundle has {len(addendum_names)} addenda but {len(addendum_entries)} addendum "
            "entries in the chain"
        )
    for (number, name), entry in zip(addendum_names, addendum_entries, strict=True):
        data = members[name]
        if hashlib.sha256(data).hexdigest() != entry.record_hash:
            raise BundleError(f"addendum {number} was changed: it does not match its entry")
        addendum = _json(data, name)
        if addendum.get("at") != entry.sealed_at or addendum.get("incident_id") != record_id:
            raise BundleError(f"addendum {number} does not match its chain entry")
    if any(e.kind is ChainEntryKind.PURGE for e, _ in pairs):
        raise BundleError("the bundle holds a purge entry: the record was purged")
    listed = record.get("attachments") or []
    present: dict[str, str] = {
        m.group(1): n for n in members if (m := _ATTACHMENT_NAME.fullmatch(n))
    }
    for item in listed:
        if not isinstance(item, dict):
            raise BundleError("record.json lists a malformed attachment")
        found = present.pop(str(item.get("attachment_id")), None)
        if found is None:
            raise BundleError(f"attachment {item.get('filename')!r} is missing from the bundle")
        if hashlib.sha256(members[found]).hexdigest() != item.get("sha256"):
            raise BundleError(f"attachment {item.get('filename')!r} was changed")
    if present:
        raise BundleError(f"attachments/{sorted(present)[0]} is not an attachment of the record")
    if qr is not None:
        _check_qr(qr, final, public_der)
    # Members are stored uncompressed with fixed headers, so a bundle has exactly one byte
    # layout: a changed byte outside the members' contents (a header, the directory) is a
    # change too.
    if _pack(list(members.items())) != raw:
        raise BundleError("the file's ZIP structure was altered (headers or directory)")
    return Summary(
        record_id=record_id,
        procedure=str(record.get("procedure", "")),
        finalized_at=final.sealed_at,
        position=final.position,
        fingerprint=signing.fingerprint(public_der),
        addenda=len(addendum_entries),
        attachments=len(listed),
        members=len(members),
        entries=[e.to_dict() | {"entry_hash": e.entry_hash} for e, _ in pairs],
    )


def _check_qr(text: str, final: ChainEntry, public_der: bytes) -> None:
    parts = text.strip().split(".")
    if len(parts) != 6 or parts[0] != QR_PREFIX:
        raise BundleError("the QR text is not an Assister Log seal statement")
    _, record_id, rec_hash, ent_hash, fingerprint, sig_text = parts
    if record_id != final.incident_id:
        raise BundleError(f"the QR code is for record {record_id}, not this bundle's")
    if rec_hash != final.record_hash or ent_hash != final.entry_hash:
        raise BundleError("the QR code's hashes differ from the bundle's seal")
    if fingerprint != signing.fingerprint(public_der)[:16]:
        raise BundleError("the QR code names another signing key than the bundle's")
    try:
        qr_sig = base64.urlsafe_b64decode(sig_text + "=" * (-len(sig_text) % 4))
    except (binascii.Error, ValueError):
        raise BundleError("the QR code's signature is unreadable") from None
    if not signing.verify(public_der, final.payload(), qr_sig):
        raise BundleError("the QR code's signature is not valid for the bundle's key")


def pack_members(members: list[tuple[str, bytes]]) -> bytes:
    """The deterministic ZIP layout bundles use, for other signed containers (envelopes)."""
    return _pack(members)


def read_members(data: bytes, required: str) -> tuple[dict[str, bytes], bytes]:
    """A bounded, checked read of such a ZIP that must hold ``required`` (BundleError on
    anything malformed)."""
    return _read_members(io.BytesIO(data), required)


def record_of(data: bytes) -> dict[str, Any]:
    """record.json of a bundle that ``check`` accepted."""
    members, _ = _read_members(io.BytesIO(data))
    record = _json(members[RECORD], RECORD)
    if not isinstance(record, dict):
        raise BundleError("record.json is not an object")
    return record


def addenda_of(data: bytes) -> list[dict[str, Any]]:
    """The addenda of a bundle that ``check`` accepted, in order."""
    members, _ = _read_members(io.BytesIO(data))
    numbered = sorted((int(m.group(1)), n) for n in members if (m := _ADDENDUM_NAME.fullmatch(n)))
    return [_json(members[name], name) for _, name in numbered]


def attachments_of(data: bytes) -> dict[str, bytes]:
    """attachment id -> original bytes, of a bundle that ``check`` accepted."""
    members, _ = _read_members(io.BytesIO(data))
    return {m.group(1): members[n] for n in members if (m := _ATTACHMENT_NAME.fullmatch(n))}


def chain_of(data: bytes) -> list[tuple[ChainEntry, bytes]]:
    """The chain entries and signatures of a bundle that ``check`` accepted, in order."""
    members, _ = _read_members(io.BytesIO(data))
    manifest, public_der = _manifest(members)
    return _entries(members, str(manifest.get("record_id")), public_der)
