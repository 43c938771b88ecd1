"""The vault: one folder holding ``vault.key`` (key slots) and ``vault.db`` (SQLCipher).

``Vault`` is the storage API the services use: create, open, save drafts, finalize, add
addenda, attachments, search, settings, verify and purge. It is a thin facade over the
storage modules, each working on the one open ``Store`` (connection, lock, key material):

* ``opening`` / ``migration``: create, unlock, identity check, schema upgrades;
* ``records``: drafts and the sealing writes (finalize, addendum, purge), rows + FTS;
* ``attachments``; ``queries`` (list, search, filters, retention look-ups);
* ``verification``: everything ``verify`` checks; ``backup`` / ``restore``.

It owns the only connection and the folder's lock; nothing above it runs SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from assister_log import passphrase as passphrase_policy
from assister_log import recovery_key
from assister_log.domain.model import Attachment, Incident
from assister_log.errors import CorruptVault
from assister_log.storage import (
    attachments,
    backup,
    chain,
    keyfile,
    migration,
    opening,
    queries,
    records,
    sealing,
    verification,
)
from assister_log.storage.attachments import MAX_ATTACHMENT_BYTES
from assister_log.storage.kdf import KdfParams
from assister_log.storage.queries import SORT_COLUMNS, Filters, Summary, fts_query
from assister_log.storage.records import new_incident_id
from assister_log.storage.store import DB_FILE, KEY_FILE, LOCK_FILE, Store, is_vault_dir

__all__ = [
    "DB_FILE",
    "KEY_FILE",
    "LOCK_FILE",
    "MAX_ATTACHMENT_BYTES",
    "SORT_COLUMNS",
    "Filters",
    "Summary",
    "Vault",
    "fts_query",
    "is_vault_dir",
    "new_incident_id",
]


class Vault:
    """An open, unlocked vault. Use as a context manager or call ``close()``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.folder = store.folder

    # ------------------------------------------------------------------ create / open

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        *,
        params: KdfParams | None = None,
        settings: dict[str, Any] | None = None,
    ) -> tuple[Vault, str]:
        """A new vault; returns it open and the recovery key (shown once). ``settings`` (e.g.
        the author profile) are stored in the same transaction: a vault exists with them or
        not at all."""
        store, recovery = opening.create(folder, passphrase, params=params, settings=settings)
        return cls(store), recovery

    @classmethod
    def open(cls, folder: Path, secret: str, *, migrate: bool = True) -> Vault:
        """Unlock with the passphrase or the recovery key. ``migrate=False`` opens an older
        schema as it is (to verify a backup copy, which is checked, not upgraded)."""
        get_key = opening.unlock_with(secret)
        if migrate:
            return cls(migration.open_upgraded(folder, get_key))
        return cls(opening.open_store(folder, get_key, add_signing_key=False))

    @classmethod
    def open_with_key(cls, folder: Path, data_key: bytes) -> Vault:
        """Open with a data key already known (verifying a backup copy): never migrates, or
        verifying the pre-migration backup would migrate its copy, back it up, verify that
        copy, migrate it … without end."""
        return cls(opening.open_store(folder, lambda _kf: data_key, add_signing_key=False))

    # ------------------------------------------------------------------- lifecycle

    @property
    def store(self) -> Store:
        """The open state, for storage-internal helpers (backup, bench's bulk insert)."""
        self._store.key()
        return self._store

    @property
    def schema_version(self) -> int:
        return opening.schema_version(self._store.conn)

    @property
    def is_open(self) -> bool:
        return self._store.is_open

    @property
    def vault_id(self) -> str:
        return self._store.vault_id

    @property
    def damage_found(self) -> bool:
        """True once verification or a query has found the files damaged."""
        return self._store.damage_found

    def close(self) -> None:
        """Close the database, drop the key material and release the folder's lock."""
        self._store.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> Any:
        """The open connection, for storage-internal helpers and tests."""
        self._store.key()
        return self._store.conn

    # ----------------------------------------------------------------------- records

    def incident_exists(self, incident_id: str) -> bool:
        return records.exists(self._store, incident_id)

    def new_id(self) -> str:
        return records.new_id(self._store)

    def get(self, incident_id: str) -> Incident:
        return records.get(self._store, incident_id)

    def save_draft(self, incident: Incident) -> Incident:
        """Insert or update a draft. A finalized record is never changed here."""
        return records.save_draft(self._store, incident)

    def delete_draft(self, incident_id: str) -> None:
        records.delete_draft(self._store, incident_id)

    # The three writes that seal into the chain (records.py, "sealing").

    def finalize(self, incident_id: str, attestation: str) -> Incident:
        """Seal a draft into the chain. From here on it is read-only."""
        return records.finalize(self._store, incident_id, attestation)

    def add_addendum(self, incident_id: str, text: str, reason: str) -> Incident:
        return records.add_addendum(self._store, incident_id, text, reason)

    def purge(self, incident_ids: list[str], retention_years: int) -> int:
        """Retention purge: delete finalized records, each purge itself sealed in the chain."""
        return records.purge(self._store, incident_ids, retention_years)

    def rebuild_index(self) -> int:
        """Rewrite every record's list columns and search entry from its body."""
        return records.rebuild_index(self._store)

    # -------------------------------------------------------------------- attachments

    def add_attachment(
        self,
        incident_id: str,
        filename: str,
        data: bytes,
        media_type: str,
        description: str = "",
    ) -> Attachment:
        return attachments.add(self._store, incident_id, filename, data, media_type, description)

    def remove_attachment(self, incident_id: str, attachment_id: str) -> None:
        attachments.remove(self._store, incident_id, attachment_id)

    def attachment_bytes(self, attachment_id: str) -> bytes:
        return attachments.read(self._store, attachment_id)

    # ------------------------------------------------------------------ list / search

    def count(self, filters: Filters | None = None, query: str = "") -> int:
        return queries.count(self._store, filters, query)

    def summaries(
        self,
        filters: Filters | None = None,
        query: str = "",
        *,
        sort: str = "occurred",
        descending: bool = True,
        limit: int = 200,
        offset: int = 0,
    ) -> list[Summary]:
        """One page of the list, filtered, searched (FTS5) and sorted."""
        return queries.summaries(
            self._store,
            filters,
            query,
            sort=sort,
            descending=descending,
            limit=limit,
            offset=offset,
        )

    def iter_incidents(self) -> Iterator[Incident]:
        return records.iter_incidents(self._store)

    def sealed_before(self, cutoff: datetime) -> set[str]:
        """Ids of records whose finalization was sealed before ``cutoff``."""
        return queries.sealed_before(self._store, cutoff)

    def finalized_before(self, cutoff: datetime) -> list[Summary]:
        """Finalized records whose interaction happened before ``cutoff`` (retention)."""
        return queries.finalized_before(self._store, cutoff)

    # ----------------------------------------------------------------------- settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        store = self._store
        with store.mutex:
            store.key()
            row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        store = self._store
        with store.mutex, store.write():
            store.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    # ------------------------------------------------------------------- verification

    def verify(self, *, full: bool = True, records: bool = True) -> list[str]:
        """Seal chain + SQLCipher page HMACs + SQLite integrity; problems, or [] if intact
        (see ``verification``)."""
        return verification.verify(self._store, full=full, records=records)

    def verify_record(self, incident_id: str) -> list[str]:
        """The checks that concern one record, before it is exported."""
        return verification.verify_record(self._store, incident_id)

    # ----------------------------------------------------------- seal chain and signing

    def chain_length(self) -> int:
        return chain.last_entry(self._store.conn)[0]

    def chain_entries_of(self, incident_id: str) -> list[chain.ChainEntry]:
        store = self._store
        with store.mutex:
            store.key()
            return chain.entries_of(store.conn, incident_id.strip().upper())

    def chain_signatures(self, positions: list[int] | None = None) -> dict[int, bytes]:
        store = self._store
        with store.mutex:
            store.key()
            return chain.signatures(store.conn, positions)

    def public_key_der(self) -> bytes:
        der = self._store.sealer.public_der
        if der is None:
            raise CorruptVault("This vault has no signing key yet: open it once to upgrade it.")
        return der

    def sign(self, payload: bytes) -> bytes:
        self._store.key()
        return self._store.sealer.sign(payload)

    def pdf_signer(self) -> tuple[bytes, bytes]:
        self._store.key()
        return self._store.sealer.pdf_signer()

    def qr_statement(self, incident_id: str) -> str:
        store = self._store
        with store.mutex:
            incident = records.get(store, incident_id)
            return sealing.qr_statement(store.conn, incident, self.public_key_der())

    # -------------------------------------------------------------------- key slots

    def change_passphrase(self, new_passphrase: str, *, params: KdfParams | None = None) -> None:
        """Rewrap the passphrase slot only; the key file is replaced atomically."""
        normalized = passphrase_policy.require_acceptable(new_passphrase)
        store = self._store
        with store.mutex:
            data_key = store.key()
            slot = store.key_file.slot(keyfile.PASSPHRASE_SLOT)
            updated = keyfile.rewrap(
                store.key_file,
                data_key,
                keyfile.PASSPHRASE_SLOT,
                passphrase_policy.to_secret_bytes(normalized),
                params or slot.params,
            )
            keyfile.write(store.key_path, updated, data_key)
            store.key_file = updated

    def new_recovery_key(self) -> str:
        """A fresh recovery key; the old one stops working once this returns."""
        store = self._store
        with store.mutex:
            data_key = store.key()
            recovery = recovery_key.generate_recovery_key()
            slot = store.key_file.slot(keyfile.RECOVERY_SLOT)
            updated = keyfile.rewrap(
                store.key_file,
                data_key,
                keyfile.RECOVERY_SLOT,
                recovery_key.to_secret_bytes(recovery),
                slot.params,
            )
            keyfile.write(store.key_path, updated, data_key)
            store.key_file = updated
        return recovery

    def verify_secret(self, secret: str) -> None:
        """WrongSecret unless ``secret`` unwraps a slot of this vault's key file."""
        self._store.key()
        keyfile.unlock(self._store.key_file, secret)

    def key_file_bytes(self) -> bytes:
        return self._store.key_file_bytes()

    # ------------------------------------------------------------------------ backups

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (before copying it for a backup)."""
        self._store.checkpoint()

    def write_backup(self, out: Path) -> backup.BackupReport:
        """Write a verified backup to ``out`` (0600); see ``backup``."""
        return backup.write_backup(self._store, out)
