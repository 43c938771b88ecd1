"""A navigator's side of the organisation hand-off, in the vault: which chain entries still
wait for delivery (the queue is derived: every entry without a sent delivery row), the
retry state of each, and the organisation's receipts (docs/organisation.md).

Marking an entry sent happens only after the destination confirmed the whole envelope, so a
crash between the two re-sends it under the same name: the organisation sees it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assister_log.storage.store import Store


@dataclass(frozen=True)
class Pending:
    position: int
    kind: str
    incident_id: str
    entry_hash: str
    attempts: int
    next_attempt_at: str | None
    last_error: str | None


@dataclass(frozen=True)
class Sent:
    position: int
    incident_id: str
    entry_hash: str
    sent_at: str
    envelope_name: str


@dataclass(frozen=True)
class StoredReceipt:
    position: int
    organisation: str
    received_at: str
    receipt: bytes


def _read(store: Store, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
    with store.mutex:
        store.key()
        return list(store.conn.execute(sql, args).fetchall())


def pending(store: Store) -> list[Pending]:
    rows = _read(
        store,
        "SELECT c.position, c.kind, c.incident_id, c.entry_hash, coalesce(d.attempts, 0),"
        " d.next_attempt_at, d.last_error FROM chain c LEFT JOIN deliveries d USING (position)"
        " WHERE d.sent_at IS NULL ORDER BY c.position",
    )
    return [Pending(int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], r[6]) for r in rows]


def sent_without_receipt(store: Store) -> list[Sent]:
    rows = _read(
        store,
        "SELECT c.position, c.incident_id, c.entry_hash, d.sent_at, d.envelope_name"
        " FROM chain c JOIN deliveries d USING (position) LEFT JOIN receipts r USING (position)"
        " WHERE d.sent_at IS NOT NULL AND r.position IS NULL ORDER BY c.position",
    )
    return [Sent(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]


def record_failure(store: Store, position: int, error: str, next_attempt_at: str) -> None:
    with store.mutex, store.write() as conn:
        conn.execute(
            "INSERT INTO deliveries (position, attempts, next_attempt_at, last_error)"
            " VALUES (?, 1, ?, ?) ON CONFLICT (position) DO UPDATE SET"
            " attempts = attempts + 1, next_attempt_at = excluded.next_attempt_at,"
            " last_error = excluded.last_error",
            (position, next_attempt_at, error[:500]),
        )


def mark_sent(store: Store, position: int, envelope_name: str, sent_at: str) -> None:
    with store.mutex, store.write() as conn:
        conn.execute(
            "INSERT INTO deliveries (position, attempts, sent_at, envelope_name)"
            " VALUES (?, 1, ?, ?) ON CONFLICT (position) DO UPDATE SET"
            " attempts = attempts + 1, sent_at = excluded.sent_at,"
            " envelope_name = excluded.envelope_name, last_error = NULL,"
            " next_attempt_at = NULL",
            (position, sent_at, envelope_name),
        )


def store_receipt(
    store: Store, position: int, organisation: str, received_at: str, receipt: bytes
) -> None:
    with store.mutex, store.write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO receipts (position, organisation, received_at, receipt)"
            " VALUES (?, ?, ?, ?)",
            (position, organisation, received_at, receipt),
        )


def receipts_of(store: Store, incident_id: str) -> list[StoredReceipt]:
    rows = _read(
        store,
        "SELECT r.position, r.organisation, r.received_at, r.receipt FROM receipts r"
        " JOIN chain c USING (position) WHERE c.incident_id = ? ORDER BY r.position",
        (incident_id,),
    )
    return [StoredReceipt(int(r[0]), r[1], r[2], bytes(r[3])) for r in rows]


def states(store: Store) -> dict[str, str]:
    """incident id -> 'received' (every entry has a receipt), 'sent' (all delivered, some
    receipt outstanding) or 'queued' (something still to send)."""
    rows = _read(
        store,
        "SELECT c.incident_id, sum(d.sent_at IS NULL), sum(r.position IS NULL)"
        " FROM chain c LEFT JOIN deliveries d USING (position)"
        " LEFT JOIN receipts r USING (position) GROUP BY c.incident_id",
    )
    out: dict[str, str] = {}
    for incident_id, unsent, unreceived in rows:
        out[incident_id] = "queued" if unsent else ("sent" if unreceived else "received")
    return out


def counts(store: Store) -> dict[str, int]:
    """Entries queued, sent awaiting a receipt, received."""
    row = _read(
        store,
        "SELECT sum(d.sent_at IS NULL), sum(d.sent_at IS NOT NULL AND r.position IS NULL),"
        " sum(r.position IS NOT NULL) FROM chain c LEFT JOIN deliveries d USING (position)"
        " LEFT JOIN receipts r USING (position)",
    )[0]
    return {"queued": int(row[0] or 0), "sent": int(row[1] or 0), "received": int(row[2] or 0)}
