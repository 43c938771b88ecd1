"""The vault's recovery key: 160 random bits a person can copy by hand or print, in
Crockford base32 (no I, L, O, U; case-insensitive), so a misread O/0 or I/1/L still works."""

from __future__ import annotations

import secrets
import unicodedata

from assister_log.errors import BadInput

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BITS = 160
LENGTH = BITS // 5  # 32 characters
GROUP = 4

_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Separators people type or that word processors substitute when a key is pasted back.
_SEPARATORS = frozenset(" -\t\r\n\u00a0\u2010\u2011\u2012\u2013\u2014\u2212_.")


def _group(chars: str) -> str:
    return "-".join(chars[i : i + GROUP] for i in range(0, len(chars), GROUP))


def generate_recovery_key() -> str:
    """A fresh key such as ``7K3Q-....-....`` (8 groups of 4)."""
    value = secrets.randbits(BITS)
    chars = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return _group(chars)


def normalize_recovery_key(text: str) -> str | None:
    """The canonical grouped form of what the user typed, or None if it is not a key."""
    folded = unicodedata.normalize("NFKC", text).upper()
    chars = "".join(c for c in folded if c not in _SEPARATORS).translate(_ALIASES)
    if len(chars) != LENGTH or any(c not in ALPHABET for c in chars):
        return None
    return _group(chars)


def looks_like_recovery_key(text: str) -> bool:
    return normalize_recovery_key(text) is not None


def to_secret_bytes(text: str) -> bytes:
    """The KDF input for a recovery key: its canonical ASCII form, however it was typed."""
    canonical = normalize_recovery_key(text)
    if canonical is None:
        raise BadInput(
            f"That is not a recovery key: it has {LENGTH} letters and digits in groups of "
            f"{GROUP}; check it and try again."
        )
    return canonical.encode("ascii")
