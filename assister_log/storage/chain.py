"""The seal chain: an append-only, tamper-evident log of every finalize, addendum and purge.

Each entry's hash covers its position, kind, record id, the record's own hash, the time and
the previous entry's hash, so changing, removing or reordering any sealed record or entry
breaks every later link. ``verify`` recomputes everything from the stored records.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assister_log.domain.model import Addendum, ChainEntryKind, Incident, Seal
from assister_log.domain.serialization import canonical_bytes, sealed_content, time_text

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    position: int
    kind: ChainEntryKind
    incident_id: str
    record_hash: str
    previous_hash: str
    entry_hash: str
    sealed_at: str


def record_hash(incident: Incident) -> str:
    return hashlib.sha256(canonical_bytes(sealed_content(incident))).hexdigest()


def addendum_hash(incident_id: str, addendum: Addendum) -> str:
    payload = {
        "incident_id": incident_id,
        "text": addendum.text,
        "reason": addendum.reason,
        "at": time_text(addendum.at),
    }
    return hashlib.sha256(canonical_bytes(payload)).hexdigest()


def entry_hash(
    position: int, kind: str, incident_id: str, rec_hash: str, previous: str, sealed_at: str
) -> str:
    payload = {
        "position": position,
        "kind": kind,
        "incident_id": incident_id,
        "record_hash": rec_hash,
        "previous_hash": previous,
        "sealed_at": sealed_at,
    }
    return hashlib.sha256(canonical_bytes(payload)).hexdigest()


def last_entry(conn: Any) -> tuple[int, str]:
    row = conn.execute(
        "SELECT position, entry_hash FROM chain ORDER BY position DESC LIMIT 1"
    ).fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    conn: Any, kind: ChainEntryKind, incident_id: str, rec_hash: str, sealed_at: datetime
) -> Seal:
    """Append an entry inside the caller's transaction and return the seal it makes."""
    position, previous = last_entry(conn)
    position += 1
    when = time_text(sealed_at)
    digest = entry_hash(position, kind.value, incident_id, rec_hash, previous, when)
    conn.execute(
        "INSERT INTO chain (position, kind, incident_id, record_hash, previous_hash, entry_hash,"
        " sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (position, kind.value, incident_id, rec_hash, previous, digest, when),
    )
    return Seal(rec_hash, digest, previous, position, sealed_at)


def entries(conn: Any) -> list[ChainEntry]:
    rows = conn.execute(
        "SELECT position, kind, incident_id, record_hash, previous_hash, entry_hash, sealed_at"
        " FROM chain ORDER BY position"
    ).fetchall()
    return [ChainEntry(int(r[0]), ChainEntryKind(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def verify_links(chain: list[ChainEntry]) -> list[str]:
    """Each entry's hash recomputes and links to the one before it, positions contiguous."""
    problems: list[str] = []
    previous = GENESIS
    for expected, entry in enumerate(chain, start=1):
        where = f"chain position {entry.position} ({entry.kind.value} of {entry.incident_id})"
        if entry.position != expected:
            problems.append(f"{where}: position {expected} is missing")
        if entry.previous_hash != previous:
            problems.append(f"{where}: does not link to the entry before it")
        recomputed = entry_hash(
            entry.position,
            entry.kind.value,
            entry.incident_id,
            entry.record_hash,
            entry.previous_hash,
            entry.sealed_at,
        )
        if recomputed != entry.entry_hash:
            problems.append(f"{where}: entry hash does not match its contents")
        previous = entry.entry_hash
    return problems


def verify(chain: list[ChainEntry], incidents: list[Incident]) -> list[str]:
    """Problems found, each naming the record and chain position; empty when intact."""
    problems = verify_links(chain)
    by_position = {e.position: e for e in chain}
    present = {i.incident_id for i in incidents}
    for incident in incidents:
        if not incident.is_final:
            if incident.seal is not None:
                problems.append(f"record {incident.incident_id}: a draft carries a seal")
            continue
        seal = incident.seal
        found = by_position.get(seal.position) if seal else None
        if seal is None or found is None:
            problems.append(f"record {incident.incident_id}: finalized but not in the chain")
            continue
        entry = found
        if (
            entry.kind is not ChainEntryKind.FINALIZE
            or entry.incident_id != incident.incident_id
            or entry.entry_hash != seal.entry_hash
        ):
            problems.append(
                f"record {incident.incident_id}: its seal does not match chain position "
                f"{seal.position}"
            )
        if record_hash(incident) != seal.record_hash or entry.record_hash != seal.record_hash:
            problems.append(
                f"record {incident.incident_id}: content changed after it was sealed "
                f"(chain position {seal.position})"
            )
        for number, addendum in enumerate(incident.addenda, start=1):
            a_entry = by_position.get(addendum.seal.position) if addendum.seal else None
            if (
                addendum.seal is None
                or a_entry is None
                or a_entry.kind is not ChainEntryKind.ADDENDUM
                or a_entry.incident_id != incident.incident_id
                or a_entry.record_hash != addendum_hash(incident.incident_id, addendum)
                or a_entry.entry_hash != addendum.seal.entry_hash
            ):
                problems.append(
                    f"record {incident.incident_id}: addendum {number} does not match the chain"
                )

    purged = {e.incident_id for e in chain if e.kind is ChainEntryKind.PURGE}
    sealed_ids = {i.incident_id for i in incidents if i.seal}
    for entry in chain:
        if entry.kind is ChainEntryKind.FINALIZE and entry.incident_id not in present:
            if entry.incident_id not in purged:
                problems.append(
                    f"record {entry.incident_id}: sealed at chain position {entry.position} "
                    "but missing from the vault (deleted outside a retention purge)"
                )
        elif (
            entry.kind is ChainEntryKind.FINALIZE
            and entry.incident_id in present
            and entry.incident_id not in sealed_ids
        ):
            problems.append(
                f"record {entry.incident_id}: sealed at chain position {entry.position} but "
                "stored as a draft"
            )
    return problems
