"""The database schema and its migrations.

``SCHEMA_VERSION`` names the newest schema. A vault with an older one is migrated step by
step after a verified backup (see ``Vault._migrate``); a newer one is refused, so an old
program never writes into a format it does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 4

SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE incidents (
    seq INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL UNIQUE,
    procedure TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'finalized')),
    occurred_utc TEXT NOT NULL,
    party_name TEXT NOT NULL,
    grounds TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX incidents_occurred ON incidents (occurred_utc);
CREATE INDEX incidents_status ON incidents (status, occurred_utc);
CREATE TABLE attachments (
    attachment_id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX attachments_incident ON attachments (incident_id);
CREATE TABLE chain (
    position INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('finalize', 'addendum', 'purge')),
    incident_id TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL UNIQUE,
    sealed_at TEXT NOT NULL
);
CREATE TRIGGER chain_append_only_update BEFORE UPDATE ON chain
BEGIN SELECT RAISE(ABORT, 'the seal chain is append-only'); END;
CREATE TRIGGER chain_append_only_delete BEFORE DELETE ON chain
BEGIN SELECT RAISE(ABORT, 'the seal chain is append-only'); END;
CREATE TRIGGER finalized_stays_final BEFORE UPDATE ON incidents
WHEN OLD.status = 'finalized' AND NEW.status <> 'finalized'
BEGIN SELECT RAISE(ABORT, 'a finalized record cannot return to draft'); END;
CREATE VIRTUAL TABLE incidents_fts USING fts5 (
    names, quotes, narrative, notes, addenda,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""


def _v1_to_v2(conn: Any) -> None:
    """Search at 100k records: a covering index walked in time order (the list and search
    pages never read the large record rows), and FTS prefix indexes for 2- and 3-letter
    prefixes (search as you type)."""
    conn.execute(
        "CREATE INDEX incidents_by_time ON incidents"
        " (occurred_utc, seq, incident_id, status, procedure, party_name, grounds)"
    )
    conn.execute("DROP INDEX incidents_occurred")
    conn.execute(
        "CREATE VIRTUAL TABLE incidents_fts_v2 USING fts5 (names, quotes, narrative, notes,"
        " addenda, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    conn.execute(
        "INSERT INTO incidents_fts_v2 (rowid, names, quotes, narrative, notes, addenda)"
        " SELECT rowid, names, quotes, narrative, notes, addenda FROM incidents_fts"
    )
    conn.execute("DROP TABLE incidents_fts")
    conn.execute("ALTER TABLE incidents_fts_v2 RENAME TO incidents_fts")


def _v2_to_v3(conn: Any) -> None:
    """Signed chain entries (one ECDSA P-256 signature per entry, append-only) and the
    retention statement each purge seals. Entries made before this version are signed by
    the vault's key when the vault is opened after the upgrade (``chain.sign_unsigned``)."""
    conn.execute(
        "CREATE TABLE chain_signatures (position INTEGER PRIMARY KEY"
        " REFERENCES chain (position), signature BLOB NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE purge_statements (position INTEGER PRIMARY KEY"
        " REFERENCES chain (position), statement TEXT NOT NULL)"
    )
    for table in ("chain_signatures", "purge_statements"):
        for action in ("UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table}"
                f" BEGIN SELECT RAISE(ABORT, 'the seal chain is append-only'); END"
            )


def _v3_to_v4(conn: Any) -> None:
    """The organisation hand-off (docs/organisation.md). A navigator's vault keeps, per chain
    entry, its delivery state (attempts, back-off, when it was sent and under which name)
    and the organisation's signed receipt. An organisation's vault keeps the authors it
    trusts on first use, their chain entries (append-only, as received), the latest
    evidence bundle of each record, and what each import refused."""
    conn.execute("CREATE INDEX chain_by_incident ON chain (incident_id)")
    conn.execute(
        "CREATE TABLE deliveries (position INTEGER PRIMARY KEY REFERENCES chain (position),"
        " attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, last_error TEXT,"
        " sent_at TEXT, envelope_name TEXT)"
    )
    conn.execute(
        "CREATE TABLE receipts (position INTEGER PRIMARY KEY REFERENCES chain (position),"
        " organisation TEXT NOT NULL, received_at TEXT NOT NULL, receipt BLOB NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE org_authors (fingerprint TEXT PRIMARY KEY, public_key BLOB NOT NULL,"
        " name TEXT NOT NULL, site TEXT NOT NULL, first_seen TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE org_entries (author TEXT NOT NULL REFERENCES org_authors (fingerprint),"
        " position INTEGER NOT NULL, kind TEXT NOT NULL, incident_id TEXT NOT NULL,"
        " record_hash TEXT NOT NULL, previous_hash TEXT NOT NULL, entry_hash TEXT NOT NULL,"
        " sealed_at TEXT NOT NULL, signature BLOB NOT NULL, received_at TEXT NOT NULL,"
        " envelope_name TEXT NOT NULL, PRIMARY KEY (author, position))"
    )
    for action in ("UPDATE", "DELETE"):
        conn.execute(
            f"CREATE TRIGGER org_entries_append_only_{action.lower()} BEFORE {action}"
            " ON org_entries BEGIN SELECT RAISE(ABORT, 'received entries are append-only'); END"
        )
    conn.execute(
        "CREATE TABLE org_records (author TEXT NOT NULL REFERENCES org_authors (fingerprint),"
        " incident_id TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('held', 'purged')),"
        " procedure TEXT NOT NULL, occurred_utc TEXT NOT NULL, party_name TEXT NOT NULL,"
        " case_number TEXT NOT NULL, grounds TEXT NOT NULL, site TEXT NOT NULL,"
        " finalized_at TEXT NOT NULL, updated_at TEXT NOT NULL, bundle BLOB,"
        " purge_statement TEXT, PRIMARY KEY (author, incident_id))"
    )
    conn.execute("CREATE INDEX org_records_by_time ON org_records (occurred_utc)")
    conn.execute(
        "CREATE TABLE org_problems (envelope_name TEXT PRIMARY KEY, author TEXT,"
        " kind TEXT NOT NULL, problem TEXT NOT NULL, first_seen TEXT NOT NULL,"
        " last_seen TEXT NOT NULL)"
    )


# version -> function upgrading a connection from that version to version + 1
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def create(conn: Any) -> None:
    """A new database at the newest schema: the v1 script, then every migration, so a new
    vault and a migrated one are the same."""
    conn.executescript(SCHEMA_V1)
    for version in range(1, SCHEMA_VERSION):
        MIGRATIONS[version](conn)
