"""The vault key file (``vault.key``): a random 256-bit data key opens the database; the key
file holds it wrapped (AES-256-GCM) once per slot, under a key stretched with Argon2id from the
passphrase or from the recovery key. Changing the passphrase rewrites only this small file.

Layout, three ASCII lines:

1. canonical compact JSON body (format, version, vault_id, created_at, slots; from version 2
   also ``signing`` — the vault's ECDSA P-256 public key and its private key wrapped under the
   data key — and ``high_water`` — the length and head hash of the seal chain as last
   written, so a ``vault.db`` rolled back to an earlier copy is detected);
2. ``sha256:<hex>`` of the body, so accidental damage is reported before any unlock;
3. ``hmac:<hex>`` of the body under a key derived from the data key, so a deliberate edit with
   a recomputed checksum is caught once the file has been unlocked (``verify_mac``).

Each wrap's AAD binds the format, version, vault id, slot id, KDF settings and salt, so a slot
cannot be moved to another vault or slot or re-labelled with cheaper settings.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from assister_log import passphrase as passphrase_policy
from assister_log import recovery_key
from assister_log.errors import CorruptVault, KnownError, WrongSecret, from_os_error
from assister_log.storage import kdf, signing
from assister_log.storage.atomic import atomic_write_bytes
from assister_log.storage.kdf import KdfParams

FILE_NAME = "vault.key"
FORMAT_NAME = "assister-log-keyfile"
FORMAT_VERSION = 2
# Slot wraps bind this label in their associated data; it stays "v1" for every file version so
# slots written by version 1 keep unwrapping.
SLOT_AAD_VERSION = 1
PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"
SLOT_IDS = (PASSPHRASE_SLOT, RECOVERY_SLOT)

DATA_KEY_LENGTH = 32
SALT_LENGTH = 16
NONCE_LENGTH = 12
WRAPPED_LENGTH = DATA_KEY_LENGTH + 16  # AES-GCM tag
MAX_FILE_SIZE = 64 * 1024
MAC_INFO = b"assister-log keyfile mac v1"

_VAULT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_CREATED_AT = 64

WRONG_SECRET_MESSAGE = (
    "The passphrase is wrong (or the recovery key, if you used one); check it and try again."
)


def _damaged(reason: str) -> CorruptVault:
    return CorruptVault(
        f"The key file {FILE_NAME} is damaged ({reason}): restore the vault from a backup."
    )


@dataclass(frozen=True)
class Slot:
    """One wrapped copy of the data key."""

    slot_id: str  # "passphrase" | "recovery"
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes


@dataclass(frozen=True)
class HighWater:
    """The seal chain as last written: its length and the newest entry's hash (and what that
    entry sealed, so a rolled-back database can be reported in words)."""

    length: int
    head: str
    kind: str
    incident_id: str
    sealed_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "length": self.length,
            "head": self.head,
            "kind": self.kind,
            "incident_id": self.incident_id,
            "sealed_at": self.sealed_at,
        }


@dataclass(frozen=True)
class KeyFile:
    """The parsed key file; holds no secret in the clear."""

    version: int
    vault_id: str
    created_at: str
    slots: tuple[Slot, ...]
    signing: signing.WrappedSigningKey | None = None  # None only in a version-1 file
    high_water: HighWater | None = None

    def slot(self, slot_id: str) -> Slot:
        if slot_id not in SLOT_IDS:
            raise ValueError(f"unknown slot id {slot_id!r}")
        for candidate in self.slots:
            if candidate.slot_id == slot_id:
                return candidate
        raise _damaged(f"no {slot_id} slot")


def generate_data_key() -> bytes:
    """A fresh random 256-bit key for a new vault's database."""
    return secrets.token_bytes(DATA_KEY_LENGTH)


def _aad(vault_id: str, slot_id: str, params: KdfParams, salt: bytes) -> bytes:
    return b"\x00".join(
        [
            FORMAT_NAME.encode("ascii"),
            f"v{SLOT_AAD_VERSION}".encode("ascii"),
            vault_id.encode("ascii"),
            slot_id.encode("ascii"),
            params.describe().encode("ascii"),
            salt,
        ]
    )


def _check_data_key(data_key: bytes) -> None:
    if len(data_key) != DATA_KEY_LENGTH:
        raise ValueError(f"data key must be {DATA_KEY_LENGTH} bytes")


def _check_vault_id(vault_id: str) -> None:
    if not _VAULT_ID.fullmatch(vault_id):
        raise ValueError("vault_id must be 1-64 ASCII letters, digits, '.', '_' or '-'")


def _wrap(vault_id: str, slot_id: str, data_key: bytes, secret: bytes, params: KdfParams) -> Slot:
    """Wrap under a fresh salt and nonce, so no (key, nonce) pair is ever reused."""
    if slot_id not in SLOT_IDS:
        raise ValueError(f"unknown slot id {slot_id!r}")
    _check_data_key(data_key)
    salt = secrets.token_bytes(SALT_LENGTH)
    nonce = secrets.token_bytes(NONCE_LENGTH)
    kek = kdf.derive_key(secret, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _aad(vault_id, slot_id, params, salt))
    return Slot(slot_id=slot_id, params=params, salt=salt, nonce=nonce, wrapped=wrapped)


def create(
    vault_id: str,
    data_key: bytes,
    passphrase: bytes,
    recovery: bytes,
    params: KdfParams,
    created_at: str | None = None,
) -> KeyFile:
    """A key file for a new vault. ``passphrase``/``recovery`` are the KDF inputs from
    ``passphrase.to_secret_bytes`` and ``recovery_key.to_secret_bytes``."""
    _check_vault_id(vault_id)
    stamp = created_at or datetime.now(UTC).isoformat(timespec="seconds")
    slots = (
        _wrap(vault_id, PASSPHRASE_SLOT, data_key, passphrase, params),
        _wrap(vault_id, RECOVERY_SLOT, data_key, recovery, params),
    )
    _, wrapped_signing = signing.generate(vault_id, data_key)
    return KeyFile(
        version=FORMAT_VERSION,
        vault_id=vault_id,
        created_at=stamp,
        slots=slots,
        signing=wrapped_signing,
    )


def with_signing_key(kf: KeyFile, data_key: bytes) -> KeyFile:
    """A version-1 file upgraded: a fresh signing key pair added (migration)."""
    if kf.signing is not None:
        return kf
    _, wrapped_signing = signing.generate(kf.vault_id, data_key)
    return replace(kf, version=FORMAT_VERSION, signing=wrapped_signing)


def with_high_water(kf: KeyFile, mark: HighWater) -> KeyFile:
    return replace(kf, version=FORMAT_VERSION, high_water=mark)


def unwrap(kf: KeyFile, slot_id: str, secret: bytes) -> bytes:
    """The data key from one slot, or WrongSecret (files untouched)."""
    slot = kf.slot(slot_id)
    kek = kdf.derive_key(secret, slot.salt, slot.params)
    try:
        data_key = AESGCM(kek).decrypt(
            slot.nonce, slot.wrapped, _aad(kf.vault_id, slot_id, slot.params, slot.salt)
        )
    except InvalidTag:
        raise WrongSecret(WRONG_SECRET_MESSAGE) from None
    if len(data_key) != DATA_KEY_LENGTH:
        raise _damaged("wrong key length")
    return data_key


def unlock(kf: KeyFile, text: str) -> tuple[bytes, str]:
    """Open with what the user typed: the passphrase, or the recovery key.

    Text shaped like a recovery key is tried on the recovery slot first (one Argon2 run for
    the common case), then on the passphrase slot; anything else only on the passphrase
    slot. Returns (data_key, slot_id used). One generic WrongSecret if nothing opens.
    """
    attempts: list[tuple[str, bytes]] = []
    if recovery_key.looks_like_recovery_key(text):
        attempts.append((RECOVERY_SLOT, recovery_key.to_secret_bytes(text)))
    attempts.append((PASSPHRASE_SLOT, passphrase_policy.to_secret_bytes(text)))
    for slot_id, secret in attempts:
        try:
            return unwrap(kf, slot_id, secret), slot_id
        except WrongSecret:
            continue
    raise WrongSecret(WRONG_SECRET_MESSAGE)


def rewrap(
    kf: KeyFile, data_key: bytes, slot_id: str, new_secret: bytes, params: KdfParams
) -> KeyFile:
    """A copy of ``kf`` with only ``slot_id`` re-wrapped under a new secret (e.g. a new
    passphrase). The caller must hold ``data_key`` from a successful unlock + verify_mac."""
    kf.slot(slot_id)  # refuse before spending an Argon2 run
    new_slot = _wrap(kf.vault_id, slot_id, data_key, new_secret, params)
    slots = tuple(new_slot if s.slot_id == slot_id else s for s in kf.slots)
    return replace(kf, slots=slots)


# --- serialization -------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _body(kf: KeyFile) -> bytes:
    obj: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": kf.version,
        "vault_id": kf.vault_id,
        "created_at": kf.created_at,
        "slots": [
            {
                "id": s.slot_id,
                "kdf": s.params.to_dict(),
                "salt": _b64(s.salt),
                "nonce": _b64(s.nonce),
                "wrapped": _b64(s.wrapped),
            }
            for s in kf.slots
        ],
    }
    if kf.version >= 2:
        if kf.signing is None:
            raise ValueError("a version-2 key file needs a signing key")
        obj["signing"] = {
            "alg": "ecdsa-p256-sha256",
            "public": _b64(kf.signing.public_der),
            "nonce": _b64(kf.signing.nonce),
            "wrapped": _b64(kf.signing.wrapped),
        }
        obj["high_water"] = None if kf.high_water is None else kf.high_water.to_dict()
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _mac_key(data_key: bytes) -> bytes:
    _check_data_key(data_key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=MAC_INFO).derive(data_key)


def _mac(body: bytes, data_key: bytes) -> str:
    return hmac.new(_mac_key(data_key), body, hashlib.sha256).hexdigest()


def serialize(kf: KeyFile, data_key: bytes) -> bytes:
    """The file's bytes: body, checksum line, MAC line (``data_key`` keys the MAC)."""
    body = _body(kf)
    checksum = hashlib.sha256(body).hexdigest()
    return b"%s\nsha256:%s\nhmac:%s\n" % (
        body,
        checksum.encode("ascii"),
        _mac(body, data_key).encode("ascii"),
    )


def _split(data: bytes) -> tuple[bytes, str, str]:
    """Body, checksum hex and MAC hex, with the line structure checked."""
    if not data:
        raise _damaged("empty file")
    if len(data) > MAX_FILE_SIZE:
        raise _damaged("far too large")
    if not data.endswith(b"\n"):
        raise _damaged("truncated")
    lines = data[:-1].split(b"\n")
    if len(lines) != 3:
        raise _damaged("wrong number of lines")
    body, sum_line, mac_line = lines
    try:
        sum_text = sum_line.decode("ascii")
        mac_text = mac_line.decode("ascii")
    except UnicodeDecodeError:
        raise _damaged("unreadable checksum") from None
    if not (sum_text.startswith("sha256:") and _HEX64.fullmatch(sum_text[7:])):
        raise _damaged("unreadable checksum")
    if not (mac_text.startswith("hmac:") and _HEX64.fullmatch(mac_text[5:])):
        raise _damaged("unreadable authentication code")
    return body, sum_text[7:], mac_text[5:]


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _damaged("duplicate field")
        result[key] = value
    return result


def _b64_field(slot: dict[str, Any], name: str, length: int) -> bytes:
    value = slot[name]
    if not isinstance(value, str):
        raise _damaged(f"malformed {name}")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise _damaged(f"malformed {name}") from None
    if len(raw) != length or _b64(raw) != value:
        raise _damaged(f"wrong {name} length")
    return raw


def _parse_slot(obj: Any) -> Slot:
    if not isinstance(obj, dict) or set(obj) != {"id", "kdf", "salt", "nonce", "wrapped"}:
        raise _damaged("malformed slot")
    slot_id = obj["id"]
    if slot_id not in SLOT_IDS:
        raise _damaged("unknown slot")
    return Slot(
        slot_id=slot_id,
        params=KdfParams.from_dict(obj["kdf"]),
        salt=_b64_field(obj, "salt", SALT_LENGTH),
        nonce=_b64_field(obj, "nonce", NONCE_LENGTH),
        wrapped=_b64_field(obj, "wrapped", WRAPPED_LENGTH),
    )


_MAX_PUBLIC_DER = 200
_MAX_WRAPPED_SIGNING = 400
_KINDS = ("finalize", "addendum", "purge")


def _b64_bounded(obj: dict[str, Any], name: str, limit: int) -> bytes:
    value = obj.get(name)
    if not isinstance(value, str) or len(value) > limit * 2:
        raise _damaged(f"malformed {name}")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise _damaged(f"malformed {name}") from None
    if not raw or len(raw) > limit or _b64(raw) != value:
        raise _damaged(f"malformed {name}")
    return raw


def _parse_signing(obj: Any) -> signing.WrappedSigningKey:
    if not isinstance(obj, dict) or set(obj) != {"alg", "public", "nonce", "wrapped"}:
        raise _damaged("malformed signing key")
    if obj["alg"] != "ecdsa-p256-sha256":
        raise _damaged("unknown signing algorithm")
    public_der = _b64_bounded(obj, "public", _MAX_PUBLIC_DER)
    try:
        signing.load_public(public_der)
    except ValueError:
        raise _damaged("unreadable signing public key") from None
    return signing.WrappedSigningKey(
        public_der=public_der,
        nonce=_b64_field(obj, "nonce", signing.NONCE_LENGTH),
        wrapped=_b64_bounded(obj, "wrapped", _MAX_WRAPPED_SIGNING),
    )


def _parse_high_water(obj: Any) -> HighWater | None:
    if obj is None:
        return None
    if not isinstance(obj, dict) or set(obj) != {
        "length",
        "head",
        "kind",
        "incident_id",
        "sealed_at",
    }:
        raise _damaged("malformed high-water mark")
    length, head = obj["length"], obj["head"]
    if type(length) is not int or not 0 < length < 2**53:
        raise _damaged("malformed high-water mark")
    if not isinstance(head, str) or not _HEX64.fullmatch(head):
        raise _damaged("malformed high-water mark")
    if obj["kind"] not in _KINDS:
        raise _damaged("malformed high-water mark")
    for name in ("incident_id", "sealed_at"):
        if not isinstance(obj[name], str) or not 0 < len(obj[name]) <= 64:
            raise _damaged("malformed high-water mark")
    return HighWater(length, head, obj["kind"], obj["incident_id"], obj["sealed_at"])


def parse(data: bytes) -> KeyFile:
    """Check structure, checksum and KDF bounds; any defect is CorruptVault with the reason."""
    body, checksum, _ = _split(data)
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), checksum):
        raise _damaged("checksum mismatch")
    try:
        obj = json.loads(body.decode("ascii"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged("unreadable contents") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT_NAME:
        raise _damaged("not an Assister Log key file")
    version = obj.get("version")
    if type(version) is int and version > FORMAT_VERSION:
        raise CorruptVault(
            f"The key file {FILE_NAME} was written by a newer version of Assister Log: "
            "update Assister Log to open this vault."
        )
    if version not in (1, FORMAT_VERSION) or type(version) is not int:
        raise _damaged("unknown version")
    fields = {"format", "version", "vault_id", "created_at", "slots"}
    if version >= 2:
        fields |= {"signing", "high_water"}
    if set(obj) != fields:
        raise _damaged("unexpected fields")
    vault_id, created_at, raw_slots = obj["vault_id"], obj["created_at"], obj["slots"]
    if not isinstance(vault_id, str) or not _VAULT_ID.fullmatch(vault_id):
        raise _damaged("malformed vault id")
    if not isinstance(created_at, str) or not 0 < len(created_at) <= _MAX_CREATED_AT:
        raise _damaged("malformed creation date")
    if not isinstance(raw_slots, list):
        raise _damaged("malformed slots")
    slots = tuple(_parse_slot(s) for s in raw_slots)
    ids = [s.slot_id for s in slots]
    for slot_id in SLOT_IDS:
        if slot_id not in ids:
            raise _damaged(f"no {slot_id} slot")
    if len(ids) != len(set(ids)):
        raise _damaged("duplicate slot")
    kf = KeyFile(
        version=version,
        vault_id=vault_id,
        created_at=created_at,
        slots=slots,
        signing=_parse_signing(obj["signing"]) if version >= 2 else None,
        high_water=_parse_high_water(obj["high_water"]) if version >= 2 else None,
    )
    if _body(kf) != body:
        raise _damaged("non-canonical layout")
    return kf


def verify_mac(data: bytes, data_key: bytes) -> None:
    """After unlocking: refuse a key file edited with a recomputed checksum."""
    body, _, mac = _split(data)
    if not hmac.compare_digest(_mac(body, data_key), mac):
        raise CorruptVault(
            f"The key file {FILE_NAME} has been altered or damaged since it was written: "
            "restore the vault from a backup."
        )


def read(path: Path) -> bytes:
    """The raw key file (a missing file surfaces as NotFound; the caller decides NotAVault)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)
    except OSError as error:
        raise _read_error(error) from None
    if len(data) > MAX_FILE_SIZE:
        raise _damaged("far too large")
    return data


def _read_error(error: OSError) -> KnownError:
    if error.errno == errno.ENOENT:
        return from_os_error(error, f"the key file {FILE_NAME}")
    reason = error.strerror or "input/output error"
    return KnownError(f"Cannot read the key file {FILE_NAME} ({reason}): check the folder.")


def write(path: Path, kf: KeyFile, data_key: bytes) -> None:
    """Replace the key file atomically: a crash leaves the old or the new file, never half."""
    atomic_write_bytes(path, serialize(kf, data_key), what=FILE_NAME)
