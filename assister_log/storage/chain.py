"""The seal chain: an append-only, tamper-evident, signed log of every finalize, addendum and
purge.

Each entry's payload is the RFC 8785 canonical JSON of its position, kind, record id, the
record's own hash, the time and the previous entry's hash; ``entry_hash`` is the SHA-256 of
those bytes and the vault's ECDSA P-256 key signs the same bytes (docs/evidence-format.md).
Changing, removing or reordering any sealed record or entry breaks every later link, and an
entry nobody holding the vault's signing key wrote has no valid signature.

``chain_checks`` matches the chain against what the vault holds (``verify``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from assister_log.domain.model import Addendum, ChainEntryKind, Incident, Seal
from assister_log.domain.serialization import (
    canonical_bytes,
    canonical_record_bytes,
    sealed_content,
    time_text,
)
from assister_log.storage import signing

GENESIS = "0" * 64
# CMS: consumer-authorization records are kept at least six years (docs/facts); a purge
# statement naming a shorter period is refused by verify.
MIN_RETENTION_YEARS = 6
RETENTION_RULE = "kept at least retention_years after both the interaction and its seal"
# A seal stamped this far after the verifying clock is reported as from the future.
CLOCK_SLACK = timedelta(minutes=10)

Signer = signing.Signer


@dataclass(frozen=True)
class ChainEntry:
    position: int
    kind: ChainEntryKind
    incident_id: str
    record_hash: str
    previous_hash: str
    entry_hash: str
    sealed_at: str

    def payload(self) -> bytes:
        return entry_payload(
            self.position,
            self.kind.value,
            self.incident_id,
            self.record_hash,
            self.previous_hash,
            self.sealed_at,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "kind": self.kind.value,
            "incident_id": self.incident_id,
            "record_hash": self.record_hash,
            "previous_hash": self.previous_hash,
            "sealed_at": self.sealed_at,
        }


def record_hash(incident: Incident) -> str:
    return hashlib.sha256(canonical_record_bytes(sealed_content(incident))).hexdigest()


def addendum_payload(incident_id: str, addendum: Addendum) -> dict[str, str]:
    return {
        "incident_id": incident_id,
        "text": addendum.text,
        "reason": addendum.reason,
        "at": time_text(addendum.at),
    }


def addendum_hash(incident_id: str, addendum: Addendum) -> str:
    return hashlib.sha256(canonical_bytes(addendum_payload(incident_id, addendum))).hexdigest()


def purge_statement(incident_id: str, finalized: ChainEntry, retention_years: int) -> bytes:
    """What a purge entry seals: which record, its sealed hash and seal time, and the
    retention rule that made it due. Retention runs from the seal (the chain's own signed,
    monotonic time), which is never earlier than the interaction, so verify can check it
    from the chain alone after the record itself is gone."""
    return canonical_bytes(
        {
            "incident_id": incident_id,
            "record_hash": finalized.record_hash,
            "finalized_at": finalized.sealed_at,
            "retention_years": retention_years,
            "rule": RETENTION_RULE,
        }
    )


def retention_due(finalized_at: datetime, years: int) -> datetime:
    return finalized_at + timedelta(days=round(365.25 * years))


def entry_payload(
    position: int, kind: str, incident_id: str, rec_hash: str, previous: str, sealed_at: str
) -> bytes:
    """RFC 8785 bytes of the entry, made the fast way (``canonical_record_bytes``: for text
    and integers it is byte for byte the rfc8785 library's output, which tests/unit/storage
    checks), since verify and every export re-hash the whole chain."""
    return canonical_record_bytes(
        {
            "position": position,
            "kind": kind,
            "incident_id": incident_id,
            "record_hash": rec_hash,
            "previous_hash": previous,
            "sealed_at": sealed_at,
        }
    )


def entry_hash(
    position: int, kind: str, incident_id: str, rec_hash: str, previous: str, sealed_at: str
) -> str:
    payload = entry_payload(position, kind, incident_id, rec_hash, previous, sealed_at)
    return hashlib.sha256(payload).hexdigest()


def last_entry(conn: Any) -> tuple[int, str]:
    row = conn.execute(
        "SELECT position, entry_hash FROM chain ORDER BY position DESC LIMIT 1"
    ).fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    conn: Any,
    kind: ChainEntryKind,
    incident_id: str,
    rec_hash: str,
    sealed_at: datetime,
    signer: Signer | None = None,
    purge_statement_bytes: bytes | None = None,
) -> Seal:
    """Append a signed entry inside the caller's transaction and return the seal it makes."""
    position, previous = last_entry(conn)
    position += 1
    when = time_text(sealed_at)
    payload = entry_payload(position, kind.value, incident_id, rec_hash, previous, when)
    digest = hashlib.sha256(payload).hexdigest()
    conn.execute(
        "INSERT INTO chain (position, kind, incident_id, record_hash, previous_hash, entry_hash,"
        " sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (position, kind.value, incident_id, rec_hash, previous, digest, when),
    )
    if signer is not None:
        conn.execute(
            "INSERT INTO chain_signatures (position, signature) VALUES (?, ?)",
            (position, signer(payload)),
        )
    if purge_statement_bytes is not None:
        conn.execute(
            "INSERT INTO purge_statements (position, statement) VALUES (?, ?)",
            (position, purge_statement_bytes.decode("utf-8")),
        )
    return Seal(rec_hash, digest, previous, position, sealed_at)


def sign_unsigned(conn: Any, signer: Signer) -> int:
    """Sign every entry that has no signature yet (entries written before signing existed);
    returns how many. Their signature attests "this vault's key vouched for them when the
    vault was upgraded", not that they were signed when sealed (docs/architecture.md)."""
    rows = conn.execute(
        "SELECT c.position FROM chain c LEFT JOIN chain_signatures s USING (position)"
        " WHERE s.position IS NULL ORDER BY c.position"
    ).fetchall()
    by_position = {e.position: e for e in entries(conn)}
    for (position,) in rows:
        conn.execute(
            "INSERT INTO chain_signatures (position, signature) VALUES (?, ?)",
            (position, signer(by_position[int(position)].payload())),
        )
    return len(rows)


def entries(conn: Any) -> list[ChainEntry]:
    rows = conn.execute(
        "SELECT position, kind, incident_id, record_hash, previous_hash, entry_hash, sealed_at"
        " FROM chain ORDER BY position"
    ).fetchall()
    return [ChainEntry(int(r[0]), ChainEntryKind(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def entries_of(conn: Any, incident_id: str) -> list[ChainEntry]:
    rows = conn.execute(
        "SELECT position, kind, incident_id, record_hash, previous_hash, entry_hash, sealed_at"
        " FROM chain WHERE incident_id = ? ORDER BY position",
        (incident_id,),
    ).fetchall()
    return [ChainEntry(int(r[0]), ChainEntryKind(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def signatures(conn: Any, positions: list[int] | None = None) -> dict[int, bytes]:
    """Every entry's signature, or only those of ``positions``."""
    if positions is None:
        rows = conn.execute("SELECT position, signature FROM chain_signatures").fetchall()
    else:
        rows = [
            row
            for p in positions
            for row in conn.execute(
                "SELECT position, signature FROM chain_signatures WHERE position = ?", (p,)
            ).fetchall()
        ]
    return {int(r[0]): bytes(r[1]) for r in rows}


def purge_statements(conn: Any) -> dict[int, bytes]:
    rows = conn.execute("SELECT position, statement FROM purge_statements").fetchall()
    return {int(r[0]): str(r[1]).encode("utf-8") for r in rows}
