"""Reading the list: filters, full-text search (FTS5), sorting and paging, counts, and the
retention look-ups. Nothing here writes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assister_log.domain.model import Procedure, Status
from assister_log.storage.records import utc
from assister_log.storage.store import Store

_WORD = re.compile(r"\w+", re.UNICODE)
_SUMMARY_COLUMNS = "incident_id, status, occurred_utc, procedure, party_name, grounds"
# Up to this many search hits, their rows are looked up and sorted; beyond it, the time
# index is walked in order (measured at 100k records: both cost about the FTS match then).
_LOOKUP_HITS = 2_000

SORT_COLUMNS = {
    "status": "status",
    "occurred": "occurred_utc",
    "procedure": "procedure",
    "party": "party_name",
    "grounds": "grounds",
}


@dataclass(frozen=True)
class Summary:
    """One row of the incident list (what the list and search show without loading bodies)."""

    incident_id: str
    status: Status
    occurred_utc: str
    procedure: Procedure
    party_name: str
    grounds: str


@dataclass(frozen=True)
class Filters:
    procedure: Procedure | None = None
    status: Status | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


def fts_query(text: str) -> str:
    """User words to an FTS5 query: every word must match as a prefix (search as you type)."""
    words = _WORD.findall(text)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words[:32])


def _where(filters: Filters | None, alias: str = "") -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    f = filters or Filters()
    if f.procedure:
        clauses.append(f"{alias}procedure = ?")
        params.append(f.procedure.value)
    if f.status:
        clauses.append(f"{alias}status = ?")
        params.append(f.status.value)
    if f.occurred_from:
        clauses.append(f"{alias}occurred_utc >= ?")
        params.append(utc(f.occurred_from))
    if f.occurred_to:
        clauses.append(f"{alias}occurred_utc <= ?")
        params.append(utc(f.occurred_to))
    return (" AND ".join(clauses) or "1"), params


def _hits(store: Store, match: str) -> list[int]:
    rows = store.conn.execute(
        "SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?", (match,)
    ).fetchall()
    return [int(r[0]) for r in rows]


def count(store: Store, filters: Filters | None = None, query: str = "") -> int:
    where, params = _where(filters)
    match = fts_query(query)
    with store.mutex:
        store.key()
        if not match:
            sql, args = f"SELECT count(*) FROM incidents WHERE {where}", params
        elif filters is None or filters == Filters():
            # Every record has exactly one FTS row, kept in the same transaction.
            sql = "SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH ?"
            args = [match]
        else:
            sql = (
                "SELECT count(*) FROM incidents INDEXED BY incidents_by_time WHERE seq IN"
                f" (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?) AND {where}"
            )
            args = [match, *params]
        return int(store.conn.execute(sql, args).fetchone()[0])


def record_count(store: Store) -> int:
    """How many records the vault holds (drafts and finalized)."""
    with store.mutex:
        store.key()
        return int(store.conn.execute("SELECT count(*) FROM incidents").fetchone()[0])


def summaries(
    store: Store,
    filters: Filters | None = None,
    query: str = "",
    *,
    sort: str = "occurred",
    descending: bool = True,
    limit: int = 200,
    offset: int = 0,
) -> list[Summary]:
    """One page of the list, filtered, searched (FTS5) and sorted.

    Pages are read from the covering index ``incidents_by_time``, never from the large
    record rows. A search with few hits looks its rows up; one with many walks the index
    in time order and stops once the page is full, so it costs about what the FTS match
    itself costs."""
    where, params = _where(filters)
    column = SORT_COLUMNS.get(sort, "occurred_utc")
    direction = "DESC" if descending else "ASC"
    order = f"{column} {direction}, seq {direction}"
    match = fts_query(query)
    with store.mutex:
        store.key()
        if not match:
            rows = store.conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM incidents WHERE {where}"
                f" ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        else:
            hits = _hits(store, match)
            if column != "occurred_utc" or len(hits) <= _LOOKUP_HITS:
                rows = store.conn.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM incidents WHERE seq IN"
                    f" (SELECT value FROM json_each(?)) AND {where}"
                    f" ORDER BY {order} LIMIT ? OFFSET ?",
                    [json.dumps(hits), *params, limit, offset],
                ).fetchall()
            else:
                rows = _walk(store, set(hits), where, params, order, limit + offset)[offset:]
    return [Summary(r[0], Status(r[1]), r[2], Procedure(r[3]), r[4], r[5]) for r in rows]


def _walk(
    store: Store, hits: set[int], where: str, params: list[Any], order: str, wanted: int
) -> list[Any]:
    cursor = store.conn.execute(
        f"SELECT seq, {_SUMMARY_COLUMNS} FROM incidents INDEXED BY incidents_by_time"
        f" WHERE {where} ORDER BY {order}",
        params,
    )
    found: list[Any] = []
    while len(found) < wanted:
        batch = cursor.fetchmany(1000)
        if not batch:
            break
        found += [row[1:] for row in batch if row[0] in hits]
    return found[:wanted]


def sealed_before(store: Store, cutoff: datetime) -> set[str]:
    """Ids of records whose finalization was sealed before ``cutoff``."""
    with store.mutex:
        store.key()
        rows = store.conn.execute(
            "SELECT incident_id, sealed_at FROM chain WHERE kind = 'finalize'"
        ).fetchall()
    return {r[0] for r in rows if datetime.fromisoformat(r[1]) < cutoff}


def finalized_before(store: Store, cutoff: datetime) -> list[Summary]:
    """Finalized records whose interaction happened before ``cutoff`` (retention)."""
    return summaries(
        store,
        Filters(status=Status.FINALIZED, occurred_to=cutoff),
        limit=1_000_000,
        descending=False,
    )
