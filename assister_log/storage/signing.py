"""The vault's signing key: ECDSA P-256 with SHA-256, one key pair per vault.

Every seal-chain entry is signed with it, and so is every exported PDF (a PAdES signature
whose certificate carries this public key). P-256/SHA-256 is what PDF readers (Acrobat,
poppler's ``pdfsig``) and ``openssl dgst -sha256 -verify`` check without extra software.

The private key never leaves the key file in the clear: it is stored PKCS#8-encoded and
wrapped with AES-256-GCM under a key derived (HKDF-SHA256) from the vault's data key, with
associated data binding the vault id and the public key, so it can neither be moved to
another vault nor paired with another public key.

Signatures are DER-encoded (``openssl`` reads them as they are) over the exact bytes whose
SHA-256 is the entry hash: the RFC 8785 canonical JSON of the entry (docs/evidence-format.md).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from assister_log.errors import CorruptVault

WRAP_INFO = b"assister-log signing key wrap v1"
NONCE_LENGTH = 12
FINGERPRINT_PREFIX = "sha256:"

# Made once at import: ECDSA() imports cryptography's OpenSSL backend on first use, and that
# import must not happen in the middle of a seal (an I/O error there would fail the seal).
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())

# Signs payload bytes with the vault's private key (the key itself stays with the vault).
Signer = Callable[[bytes], bytes]


@dataclass(frozen=True)
class WrappedSigningKey:
    """What the key file stores: the public key and the wrapped private key."""

    public_der: bytes  # SubjectPublicKeyInfo, DER
    nonce: bytes
    wrapped: bytes


def fingerprint(public_der: bytes) -> str:
    """SHA-256 of the public key's SubjectPublicKeyInfo DER, hex (``openssl pkey -pubin
    -outform DER | sha256sum`` gives the same)."""
    return hashlib.sha256(public_der).hexdigest()


def short_fingerprint(public_der: bytes) -> str:
    """The first 16 hex digits in groups of four, for people to compare on paper."""
    full = fingerprint(public_der)[:16].upper()
    return " ".join(full[i : i + 4] for i in range(0, 16, 4))


def public_pem(public_der: bytes) -> bytes:
    key = serialization.load_der_public_key(public_der)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@functools.lru_cache(maxsize=8)
def load_public(public_der: bytes) -> ec.EllipticCurvePublicKey:
    key = serialization.load_der_public_key(public_der)
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("not an ECDSA P-256 public key")
    return key


def _wrap_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=WRAP_INFO).derive(data_key)


def _aad(vault_id: str, public_der: bytes) -> bytes:
    return b"assister-log signing key\x00" + vault_id.encode("ascii") + b"\x00" + public_der


def generate(
    vault_id: str, data_key: bytes
) -> tuple[ec.EllipticCurvePrivateKey, WrappedSigningKey]:
    """A fresh key pair, and its wrapped form for the key file."""
    private = ec.generate_private_key(ec.SECP256R1())
    return private, wrap(vault_id, data_key, private)


def wrap(vault_id: str, data_key: bytes, private: ec.EllipticCurvePrivateKey) -> WrappedSigningKey:
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pkcs8 = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    nonce = secrets.token_bytes(NONCE_LENGTH)
    wrapped = AESGCM(_wrap_key(data_key)).encrypt(nonce, pkcs8, _aad(vault_id, public_der))
    return WrappedSigningKey(public_der=public_der, nonce=nonce, wrapped=wrapped)


def unwrap(vault_id: str, data_key: bytes, stored: WrappedSigningKey) -> ec.EllipticCurvePrivateKey:
    """The private key, or CorruptVault if the key file's signing key was tampered with."""
    try:
        pkcs8 = AESGCM(_wrap_key(data_key)).decrypt(
            stored.nonce, stored.wrapped, _aad(vault_id, stored.public_der)
        )
        private = serialization.load_der_private_key(pkcs8, password=None)
    except (InvalidTag, ValueError):
        raise CorruptVault(
            "The vault's signing key in vault.key is damaged or belongs to another vault: "
            "restore the vault from a backup."
        ) from None
    if not isinstance(private, ec.EllipticCurvePrivateKey):
        raise CorruptVault("The vault's signing key is not an ECDSA key: restore from a backup.")
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public_der != stored.public_der:
        raise CorruptVault("The vault's signing key does not match its public key: restore.")
    return private


def sign(private: ec.EllipticCurvePrivateKey, payload: bytes) -> bytes:
    """DER-encoded ECDSA P-256 signature over SHA-256(payload)."""
    return private.sign(payload, _ECDSA_SHA256)


def verify(public_der: bytes, payload: bytes, signature: bytes) -> bool:
    try:
        load_public(public_der).verify(signature, payload, _ECDSA_SHA256)
    except (InvalidSignature, ValueError):
        return False
    return True


def certificate(private: ec.EllipticCurvePrivateKey, created_at: str) -> bytes:
    """A self-signed X.509 certificate for the vault key (DER), for PDF signatures.

    It carries no personal data (an anonymous fraud packet is signed with it too): its
    subject is the key's short fingerprint. Serial and validity derive from the key and the
    vault's creation date, so every export presents the same subject, serial and dates."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    name = x509.Name(
        [
            x509.NameAttribute(
                NameOID.COMMON_NAME, f"Assister Log vault key {short_fingerprint(public_der)}"
            ),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Assister Log (self-signed vault key)"),
        ]
    )
    try:
        start = datetime.fromisoformat(created_at)
    except ValueError:
        start = datetime(2024, 1, 1, tzinfo=UTC)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    start = start.replace(microsecond=0) - timedelta(days=1)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(int(fingerprint(public_der)[:30], 16) | 1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=round(365.25 * 60)))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(private, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def pkcs8(private: ec.EllipticCurvePrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
