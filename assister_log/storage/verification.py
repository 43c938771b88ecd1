"""Verification: everything ``Vault.verify`` checks, as problems in words ([] when intact).

Three layers, each run only if the one before could read the files:

1. the database: SQLCipher's page HMACs and SQLite's own integrity check;
2. the seal chain against what the vault holds (``chain_checks.verify_all`` over the evidence
   ``sealing.gather`` reads: entries, signatures, purge statements, attachments re-hashed,
   the key file's high-water mark);
3. the derived data: the list columns and the search index say what the record bodies say.

A byte copy just made (a new backup) is checked with ``records=False``: its pages and the
chain's links, not the b-trees or every record again.
"""

from __future__ import annotations

from assister_log import clock
from assister_log.domain.model import Incident
from assister_log.errors import KnownError
from assister_log.storage import chain, chain_checks, database, opening, sealing
from assister_log.storage import records as stored
from assister_log.storage.store import Store

_REBUILD = "`assister-log verify --rebuild-index`"


def verify(store: Store, *, full: bool = True, records: bool = True) -> list[str]:
    """Seal chain + SQLCipher page HMACs + SQLite integrity; problems, or [] if intact.

    ``records=False`` authenticates every page and checks the chain's links, but does not
    re-walk the b-trees or re-hash every record: enough for a byte copy just made of a
    vault (a new backup), whose pages the HMAC check proves are what was written."""
    with store.mutex:
        store.key()
        problems = _problems(store, full, records)
        if problems:
            store.mark_damaged()
    return problems


def _problems(store: Store, full: bool, with_records: bool) -> list[str]:
    problems: list[str] = []
    if full:
        try:
            _database_problems(store, problems, structure=with_records)
        except (database.DatabaseError, KnownError) as error:
            return [*problems, f"database check failed: {error}"]
    if not with_records:
        try:
            return problems + _copy_chain_problems(store)
        except (database.DatabaseError, KnownError, ValueError) as error:
            return [*problems, f"seal chain cannot be read: {error.__class__.__name__}"]
    try:
        incidents, hashes = stored.incidents_and_sealed_hashes(store)
        evidence = sealing.gather(
            store.conn, incidents, store.sealer.public_der, store.key_file, clock.now(), hashes
        )
    except (database.DatabaseError, KnownError, ValueError, KeyError) as error:
        return [*problems, f"records cannot be read: {error.__class__.__name__}"]
    problems += chain_checks.verify_all(evidence)
    problems += _index_problems(store, incidents)
    return problems


def _database_problems(store: Store, problems: list[str], *, structure: bool) -> None:
    """Every page authenticates; with ``structure``, SQLite's b-trees are sound too (a
    fresh byte copy has its source's structure). Adds to ``problems`` as it goes, so what
    was found before a check failed is kept."""
    rows = store.conn.execute("PRAGMA cipher_integrity_check").fetchall()
    problems += [f"database page check: {r[0]}" for r in rows]
    if structure:
        rows = store.conn.execute("PRAGMA integrity_check").fetchall()
        problems += [f"database integrity: {r[0]}" for r in rows if r[0] != "ok"]


def _copy_chain_problems(store: Store) -> list[str]:
    """For a byte copy: the chain's links, and that it reaches the key file's mark."""
    entries = chain.entries(store.conn)
    return chain_checks.verify_links(entries) + chain_checks.verify_high_water(
        entries, store.key_file.high_water
    )


def _index_problems(store: Store, incidents: list[Incident]) -> list[str]:
    """The list columns and the search index must say what the record bodies say."""
    problems: list[str] = []
    columns = "seq, procedure, status, occurred_utc, party_name, grounds, recorded_at, updated_at"
    rows = {r[0]: r for r in store.conn.execute(f"SELECT incident_id, {columns} FROM incidents")}
    fts = {
        int(r[0]): tuple(r[1:])
        for r in store.conn.execute(
            "SELECT rowid, names, quotes, narrative, notes, addenda FROM incidents_fts"
        )
    }
    # Before schema 4 the index held no phone numbers or digit runs (a pre-migration backup
    # is verified as it was written).
    numbers = opening.schema_version(store.conn) >= 4
    for incident in incidents:
        row = rows[incident.incident_id]
        if tuple(row[2:]) != stored.list_columns(incident):
            problems.append(
                f"record {incident.incident_id}: its list columns differ from the record "
                f"(rebuild them with {_REBUILD})"
            )
        if fts.pop(int(row[1]), None) != stored.fts_columns(incident, numbers=numbers):
            problems.append(
                f"record {incident.incident_id}: its search index entry differs from the "
                f"record (rebuild it with {_REBUILD})"
            )
    if fts:
        problems.append(
            f"the search index holds {len(fts)} entr{'y' if len(fts) == 1 else 'ies'} for "
            f"no record (rebuild it with {_REBUILD})"
        )
    return problems


def verify_record(store: Store, incident_id: str) -> list[str]:
    """The checks that concern one record, before it is exported."""
    with store.mutex:
        incident = stored.get(store, incident_id)
        if not incident.is_final:
            return []
        entries = chain.entries(store.conn)
        problems = chain_checks.verify_record(
            incident,
            entries,
            chain.signatures(store.conn),
            store.sealer.public_der,
            sealing.attachment_checks_for(store.conn, [incident.incident_id]),
            clock.now(),
        )
        problems += chain_checks.verify_high_water(entries, store.key_file.high_water)
    return problems
