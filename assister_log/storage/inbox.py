"""An organisation's vault: the authors it trusts on first use, each author's chain entries
as received (append-only), the newest evidence bundle of each record, and the envelopes an
import refused (docs/organisation.md). One envelope is one transaction: it is stored whole
or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assister_log.domain.model import ChainEntryKind
from assister_log.storage import evidence
from assister_log.storage.envelope import Envelope
from assister_log.storage.store import Store


@dataclass(frozen=True)
class AuthorRow:
    fingerprint: str
    name: str
    site: str
    first_seen: str
    entries: int
    head_position: int


@dataclass(frozen=True)
class OrgRecord:
    author: str  # fingerprint
    author_name: str
    incident_id: str
    state: str  # 'held' | 'purged'
    procedure: str
    occurred_utc: str
    party_name: str
    case_number: str
    grounds: str
    site: str
    finalized_at: str
    updated_at: str


@dataclass(frozen=True)
class Problem:
    envelope_name: str
    author: str | None
    kind: str
    problem: str
    first_seen: str
    last_seen: str


def _read(store: Store, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
    with store.mutex:
        store.key()
        return list(store.conn.execute(sql, args).fetchall())


def entry_hash_at(store: Store, author: str, position: int) -> str | None:
    rows = _read(
        store,
        "SELECT entry_hash FROM org_entries WHERE author = ? AND position = ?",
        (author, position),
    )
    return str(rows[0][0]) if rows else None


def known_envelopes(store: Store) -> set[str]:
    return {str(r[0]) for r in _read(store, "SELECT envelope_name FROM org_entries")}


def author_key(store: Store, fingerprint_prefix: str) -> list[tuple[str, bytes]]:
    rows = _read(
        store,
        "SELECT fingerprint, public_key FROM org_authors WHERE substr(fingerprint, 1, 16) = ?",
        (fingerprint_prefix,),
    )
    return [(str(r[0]), bytes(r[1])) for r in rows]


def _index(bundle: bytes) -> dict[str, str]:
    record = evidence.record_of(bundle)
    party: dict[str, Any] = record["party"] if isinstance(record.get("party"), dict) else {}
    author: dict[str, Any] = record["author"] if isinstance(record.get("author"), dict) else {}
    grounds: list[Any] = record["grounds"] if isinstance(record.get("grounds"), list) else []
    return {
        "procedure": str(record.get("procedure", "")),
        "occurred_utc": str(record.get("occurred_at", "")),
        "party_name": str(party.get("name", "")),
        "case_number": str(party.get("case_number", "")),
        "grounds": ",".join(str(g.get("kind", "")) for g in grounds if isinstance(g, dict)),
        "site": str(author.get("site", "")),
    }


def accept(store: Store, envelope: Envelope, name: str, received_at: str) -> None:
    """Store a verified, continuous envelope in one transaction."""
    entry = envelope.entry
    author = envelope.author
    index = _index(envelope.bundle) if envelope.bundle is not None else None
    with store.mutex, store.write() as conn:
        conn.execute(
            "INSERT INTO org_authors (fingerprint, public_key, name, site, first_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET"
            " name = excluded.name, site = excluded.site",
            (author.fingerprint, author.public_key, author.name, author.site, received_at),
        )
        conn.execute(
            "INSERT INTO org_entries (author, position, kind, incident_id, record_hash,"
            " previous_hash, entry_hash, sealed_at, signature, received_at, envelope_name)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                author.fingerprint,
                entry.position,
                entry.kind.value,
                entry.incident_id,
                entry.record_hash,
                entry.previous_hash,
                entry.entry_hash,
                entry.sealed_at,
                envelope.entry_signature,
                received_at,
                name,
            ),
        )
        if entry.kind is ChainEntryKind.PURGE:
            # Retention ran out: the consumer's data goes; the signed statement stays.
            conn.execute(
                "UPDATE org_records SET state = 'purged', bundle = NULL, party_name = '',"
                " case_number = '', purge_statement = ?, updated_at = ?"
                " WHERE author = ? AND incident_id = ?",
                (
                    (envelope.purge_statement or b"").decode("utf-8"),
                    received_at,
                    author.fingerprint,
                    entry.incident_id,
                ),
            )
        elif index is not None:
            conn.execute(
                "INSERT INTO org_records (author, incident_id, state, procedure, occurred_utc,"
                " party_name, case_number, grounds, site, finalized_at, updated_at, bundle)"
                " VALUES (?, ?, 'held', ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (author, incident_id) DO UPDATE SET bundle = excluded.bundle,"
                " updated_at = excluded.updated_at, state = 'held'",
                (
                    author.fingerprint,
                    entry.incident_id,
                    index["procedure"],
                    index["occurred_utc"],
                    index["party_name"],
                    index["case_number"],
                    index["grounds"],
                    index["site"],
                    entry.sealed_at,
                    received_at,
                    envelope.bundle,
                ),
            )
        conn.execute("DELETE FROM org_problems WHERE envelope_name = ?", (name,))


def record_problem(
    store: Store, name: str, author: str | None, kind: str, problem: str, at: str
) -> None:
    with store.mutex, store.write() as conn:
        conn.execute(
            "INSERT INTO org_problems (envelope_name, author, kind, problem, first_seen,"
            " last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (envelope_name) DO UPDATE SET"
            " kind = excluded.kind, problem = excluded.problem, last_seen = excluded.last_seen",
            (name, author, kind, problem[:1000], at, at),
        )


def clear_problem(store: Store, name: str) -> None:
    with store.mutex, store.write() as conn:
        conn.execute("DELETE FROM org_problems WHERE envelope_name = ?", (name,))


def problems(store: Store) -> list[Problem]:
    rows = _read(
        store,
        "SELECT envelope_name, author, kind, problem, first_seen, last_seen FROM org_problems"
        " ORDER BY envelope_name",
    )
    return [Problem(*r) for r in rows]


def authors(store: Store) -> list[AuthorRow]:
    rows = _read(
        store,
        "SELECT a.fingerprint, a.name, a.site, a.first_seen, count(e.position),"
        " coalesce(max(e.position), 0) FROM org_authors a"
        " LEFT JOIN org_entries e ON e.author = a.fingerprint GROUP BY a.fingerprint"
        " ORDER BY a.name, a.fingerprint",
    )
    return [AuthorRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]


_RECORD_COLUMNS = (
    "r.author, a.name, r.incident_id, r.state, r.procedure, r.occurred_utc, r.party_name,"
    " r.case_number, r.grounds, r.site, r.finalized_at, r.updated_at"
)


def records(store: Store, query: str = "", limit: int = 10_000) -> list[OrgRecord]:
    """Newest first; ``query`` matches (case-insensitively) a name, case number, record id,
    author or site."""
    where = ""
    args: tuple[str, ...] = ()
    text = query.strip().casefold()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where = (
            " WHERE lower(r.party_name) LIKE ? ESCAPE '\\' OR lower(r.case_number) LIKE ?"
            " ESCAPE '\\' OR lower(r.incident_id) LIKE ? ESCAPE '\\' OR lower(a.name) LIKE ?"
            " ESCAPE '\\' OR lower(r.site) LIKE ? ESCAPE '\\'"
        )
        args = (like,) * 5
    rows = _read(
        store,
        f"SELECT {_RECORD_COLUMNS} FROM org_records r JOIN org_authors a"
        f" ON a.fingerprint = r.author{where} ORDER BY r.occurred_utc DESC LIMIT ?",
        (*args, limit),
    )
    return [OrgRecord(*r) for r in rows]


def bundle_of(store: Store, author: str, incident_id: str) -> bytes | None:
    rows = _read(
        store,
        "SELECT bundle FROM org_records WHERE author = ? AND incident_id = ?",
        (author, incident_id),
    )
    return None if not rows or rows[0][0] is None else bytes(rows[0][0])


def find_records(store: Store, incident_id: str) -> list[OrgRecord]:
    rows = _read(
        store,
        f"SELECT {_RECORD_COLUMNS} FROM org_records r JOIN org_authors a"
        " ON a.fingerprint = r.author WHERE upper(r.incident_id) = upper(?)",
        (incident_id.strip(),),
    )
    return [OrgRecord(*r) for r in rows]


@dataclass(frozen=True)
class ReceivedEntry:
    author: str
    position: int
    entry_hash: str
    incident_id: str
    received_at: str


def received_entries(store: Store) -> list[ReceivedEntry]:
    rows = _read(
        store,
        "SELECT author, position, entry_hash, incident_id, received_at FROM org_entries"
        " ORDER BY author, position",
    )
    return [ReceivedEntry(r[0], int(r[1]), r[2], r[3], r[4]) for r in rows]


def received_at(store: Store, author: str, position: int) -> str | None:
    rows = _read(
        store,
        "SELECT received_at FROM org_entries WHERE author = ? AND position = ?",
        (author, position),
    )
    return str(rows[0][0]) if rows else None
