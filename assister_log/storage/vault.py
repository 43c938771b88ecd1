"""The vault: one folder holding ``vault.key`` (key slots) and ``vault.db`` (SQLCipher).

``Vault`` is the storage API the services use: create, open, save drafts, finalize, add
addenda, attachments, search, settings, verify and purge. It owns the only connection and
the folder's lock; nothing above it runs SQL.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assister_log import passphrase as passphrase_policy
from assister_log import recovery_key
from assister_log.domain.model import (
    Addendum,
    Attachment,
    ChainEntryKind,
    Incident,
    Procedure,
    Status,
)
from assister_log.domain.serialization import (
    clean_text,
    incident_from_storage,
    incident_to_dict,
)
from assister_log.errors import (
    BadInput,
    CorruptVault,
    IntegrityFailure,
    KnownError,
    NotAVault,
    NotFound,
    RecordSealed,
    VaultExists,
    from_os_error,
)
from assister_log.paths import ensure_private_dir
from assister_log.storage import chain, database, kdf, keyfile, schema
from assister_log.storage.kdf import KdfParams

KEY_FILE = "vault.key"
DB_FILE = "vault.db"
LOCK_FILE = "vault.lock"
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_WORD = re.compile(r"\w+", re.UNICODE)


def now() -> datetime:
    return datetime.now(UTC).astimezone()


def new_incident_id() -> str:
    return "AL-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


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


def is_vault_dir(path: Path) -> bool:
    return (path / KEY_FILE).is_file() or (path / DB_FILE).is_file()


def fts_query(text: str) -> str:
    """User words to an FTS5 query: every word must match as a prefix (search as you type)."""
    words = _WORD.findall(text)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words[:32])


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _fts_columns(incident: Incident) -> tuple[str, str, str, str, str]:
    names = [incident.party.name, incident.party.interpreter, incident.party.case_number]
    names += [w.name for w in incident.witnesses] + [q.speaker for q in incident.quotes]
    notes = [e.note for e in incident.timeline] + [g.detail for g in incident.grounds]
    notes += [g.information for g in incident.grounds] + [incident.location]
    return (
        "\n".join(n for n in names if n),
        "\n".join(q.text for q in incident.quotes),
        incident.narrative,
        "\n".join(n for n in notes if n),
        "\n".join(f"{a.reason}\n{a.text}" for a in incident.addenda),
    )


def _grounds_summary(incident: Incident) -> str:
    return ", ".join(g.kind.value for g in incident.grounds)


class Vault:
    """An open, unlocked vault. Use as a context manager or call ``close()``."""

    def __init__(
        self,
        folder: Path,
        conn: Any,
        lock: database.VaultLock,
        key_file: keyfile.KeyFile,
        data_key: bytes,
        guard: Any = None,
    ) -> None:
        self.folder = folder
        self._conn = conn
        # A read-only connection held open beside ``conn``: closing the vault closes it last
        # when damage was found, so SQLite's checkpoint-on-close never writes into damaged
        # files (a read-only connection cannot checkpoint).
        self._guard = guard
        self._damage_found = False
        self._lock = lock
        self._key_file = key_file
        self._data_key: bytearray | None = bytearray(data_key)
        self._mutex = threading.RLock()

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
        normalized = passphrase_policy.require_acceptable(passphrase)
        if folder.exists() and is_vault_dir(folder):
            raise VaultExists(f"A vault already exists in {folder}; open it instead.")
        try:
            ensure_private_dir(folder)
        except OSError as error:
            raise from_os_error(error, f"the vault folder {folder}") from None
        lock = database.VaultLock(folder / LOCK_FILE)
        lock.acquire()
        try:
            if is_vault_dir(folder):
                raise VaultExists(f"A vault already exists in {folder}; open it instead.")
            params = params or kdf.params_for_new_vault()
            data_key = keyfile.generate_data_key()
            vault_id = secrets.token_hex(16)
            recovery = recovery_key.generate_recovery_key()
            kf = keyfile.create(
                vault_id,
                data_key,
                passphrase_policy.to_secret_bytes(normalized),
                recovery_key.to_secret_bytes(recovery),
                params,
            )
            # Created 0600 up front: SQLite gives the WAL and SHM files the same mode.
            _touch_private(folder / DB_FILE)
            try:
                conn = database.connect(folder / DB_FILE, data_key)
            except BaseException:
                _remove_new_database(folder)
                raise
            try:
                schema.create(conn)
                with database.transaction(conn):
                    conn.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [
                            ("schema_version", str(schema.SCHEMA_VERSION)),
                            ("vault_id", vault_id),
                            ("created_at", now().isoformat()),
                        ],
                    )
                    conn.executemany(
                        "INSERT INTO settings (key, value) VALUES (?, ?)",
                        [
                            (key, json.dumps(value, ensure_ascii=False))
                            for key, value in (settings or {}).items()
                        ],
                    )
                # The key file is written last: a vault without it is not a vault yet.
                keyfile.write(folder / KEY_FILE, kf, data_key)
            except BaseException:
                conn.close()
                # The key file too, if it got its name before the failure (say the folder's
                # fsync failed): there was none before (checked under the lock above), and a
                # key file without its database would look like a vault that lost its data.
                _remove_new_database(folder, key_file=True)
                raise
        except BaseException:
            lock.release()
            raise
        return cls(folder, conn, lock, kf, data_key), recovery

    @classmethod
    def open(cls, folder: Path, secret: str, *, migrate: bool = True) -> Vault:
        """Unlock with the passphrase or the recovery key. ``migrate=False`` opens an older
        schema as it is (to verify a backup copy, which is checked, not upgraded)."""
        return cls._open(folder, lambda kf: keyfile.unlock(kf, secret)[0], migrate=migrate)

    @classmethod
    def open_with_key(cls, folder: Path, data_key: bytes) -> Vault:
        """Open with a data key already known (verifying a backup copy): never migrates, or
        verifying the pre-migration backup would migrate its copy, back it up, verify that
        copy, migrate it … without end."""
        return cls._open(folder, lambda _kf: data_key, migrate=False)

    @classmethod
    def _open(cls, folder: Path, get_key: Any, *, migrate: bool) -> Vault:
        key_path, db_path = folder / KEY_FILE, folder / DB_FILE
        if not folder.is_dir() or not is_vault_dir(folder):
            raise NotAVault(
                f"There is no vault in {folder}: create one with `assister-log init` "
                "or choose the folder that holds vault.key."
            )
        if not key_path.is_file():
            raise CorruptVault(
                f"The key file vault.key is missing from {folder}: restore the vault from a backup."
            )
        if not db_path.is_file():
            raise CorruptVault(
                f"The database vault.db is missing from {folder}: restore the vault from a backup."
            )
        lock = database.VaultLock(folder / LOCK_FILE)
        lock.acquire()
        try:
            raw = keyfile.read(key_path)
            kf = keyfile.parse(raw)
            data_key = get_key(kf)
            keyfile.verify_mac(raw, data_key)
            if database.looks_like_plaintext_sqlite(db_path):
                raise CorruptVault(
                    "vault.db is a plain SQLite file, not an encrypted vault: "
                    "restore the vault from a backup."
                )
            if db_path.stat().st_size == 0:
                raise CorruptVault("vault.db is empty: restore the vault from a backup.")
            damage = database.wal_damage(db_path)
            if damage:
                raise CorruptVault(
                    f"The vault's write-ahead log vault.db-wal is damaged ({damage}): saved "
                    "changes in it cannot be read. Nothing was changed; restore the vault "
                    "from a backup."
                )
            # Look first through a read-only connection: if the database turns out damaged
            # or foreign, nothing has written to it (no recovery, no checkpoint).
            guard = database.connect(db_path, data_key, read_only=True)
            try:
                _check_identity(guard, kf)
                if _schema_version(guard) > schema.SCHEMA_VERSION:
                    raise KnownError(
                        f"This vault was written by a newer Assister Log (schema "
                        f"{_schema_version(guard)}); install the newer version to open it."
                    )
                conn = database.connect(db_path, data_key)
            except BaseException:
                guard.close()
                raise
            vault = cls(folder, conn, lock, kf, data_key, guard)
            try:
                if migrate:
                    vault._migrate()
            except BaseException:
                vault._close_connections()
                raise
        except BaseException:
            lock.release()
            raise
        return vault

    @property
    def schema_version(self) -> int:
        return _schema_version(self._conn)

    def _migrate(self) -> None:
        version = self.schema_version
        if version > schema.SCHEMA_VERSION:
            raise KnownError(
                f"This vault was written by a newer Assister Log (schema {version}); "
                "install the newer version to open it."
            )
        if version == schema.SCHEMA_VERSION:
            return
        from assister_log.storage import backup

        backups = ensure_private_dir(self.folder / "backups")
        stamp = now().strftime("%Y%m%dT%H%M%S")
        backup.write_backup(self, backups / f"pre-migration-v{version}-{stamp}.albackup")
        while version < schema.SCHEMA_VERSION:
            with database.transaction(self._conn):
                schema.MIGRATIONS[version](self._conn)
                version += 1
                self._conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
                )

    # ------------------------------------------------------------------- lifecycle

    @property
    def is_open(self) -> bool:
        return self._data_key is not None

    @property
    def vault_id(self) -> str:
        return self._key_file.vault_id

    @property
    def damage_found(self) -> bool:
        """True once verification or a query has found the files damaged."""
        return self._damage_found or bool(getattr(self._conn, "damaged", False))

    def _close_connections(self) -> None:
        guard, self._guard = self._guard, None
        if guard is None:
            self._conn.close()
        elif self.damage_found:
            # The read-only connection closes last: no checkpoint writes into damaged files.
            try:
                self._conn.close()
            finally:
                guard.close()
        else:
            # Healthy: the read-write connection closes last and folds the WAL in.
            try:
                guard.close()
            finally:
                self._conn.close()

    def close(self) -> None:
        """Close the database, drop the key material and release the folder's lock."""
        with self._mutex:
            if self._data_key is None:
                return
            try:
                self._close_connections()
            finally:
                for i in range(len(self._data_key)):
                    self._data_key[i] = 0
                self._data_key = None
                self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _key(self) -> bytes:
        if self._data_key is None:
            raise KnownError("The vault is locked: unlock it first.")
        return bytes(self._data_key)

    @property
    def conn(self) -> Any:
        """The open connection, for storage-internal helpers (backup)."""
        self._key()
        return self._conn

    def _write(self) -> Any:
        self._key()
        return database.transaction(self._conn)

    # ----------------------------------------------------------------------- records

    def incident_exists(self, incident_id: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM incidents WHERE incident_id = ?", (incident_id,)
        ).fetchone()
        return row is not None

    def new_id(self) -> str:
        while True:
            candidate = new_incident_id()
            if not self.incident_exists(candidate):
                return candidate

    def get(self, incident_id: str) -> Incident:
        with self._mutex:
            self._key()
            row = self._conn.execute(
                "SELECT body FROM incidents WHERE incident_id = ?", (incident_id.strip().upper(),)
            ).fetchone()
        if row is None:
            raise NotFound(
                f"No record with id {incident_id!r} in this vault; run `list` to see ids."
            )
        return incident_from_storage(json.loads(row[0]))

    def _store(
        self, incident: Incident, *, insert: bool, data: dict[str, Any] | None = None
    ) -> None:
        """Write the record's row and FTS row (``data``: its dict, when already made)."""
        body = json.dumps(incident_to_dict(incident) if data is None else data, ensure_ascii=False)
        values = (
            incident.procedure.value,
            incident.status.value,
            _utc(incident.occurred_at),
            incident.party.name,
            _grounds_summary(incident),
            incident.recorded_at.isoformat(),
            (incident.updated_at or incident.recorded_at).isoformat(),
            body,
        )
        if insert:
            self._conn.execute(
                "INSERT INTO incidents (procedure, status, occurred_utc, party_name, grounds,"
                " recorded_at, updated_at, body, incident_id) VALUES (?,?,?,?,?,?,?,?,?)",
                (*values, incident.incident_id),
            )
        else:
            self._conn.execute(
                "UPDATE incidents SET procedure=?, status=?, occurred_utc=?, party_name=?,"
                " grounds=?, recorded_at=?, updated_at=?, body=? WHERE incident_id=?",
                (*values, incident.incident_id),
            )
        seq = self._conn.execute(
            "SELECT seq FROM incidents WHERE incident_id = ?", (incident.incident_id,)
        ).fetchone()[0]
        self._conn.execute("DELETE FROM incidents_fts WHERE rowid = ?", (seq,))
        self._conn.execute(
            "INSERT INTO incidents_fts (rowid, names, quotes, narrative, notes, addenda)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (seq, *_fts_columns(incident)),
        )

    def save_draft(self, incident: Incident) -> Incident:
        """Insert or update a draft. A finalized record is never changed here.

        The draft is first read back through the storage format's checks, so a record the
        reader would refuse (an empty quote, a control character) is never stored."""
        with self._mutex, self._write():
            row = self._conn.execute(
                "SELECT status, recorded_at FROM incidents WHERE incident_id = ?",
                (incident.incident_id,),
            ).fetchone()
            if row is not None and row[0] != Status.DRAFT.value:
                raise RecordSealed(
                    f"Record {incident.incident_id} is finalized and cannot be edited; "
                    "add an addendum instead."
                )
            if incident.status is not Status.DRAFT or incident.seal is not None:
                raise RecordSealed("Only drafts can be saved; finalize a record with finalize().")
            if row is not None:
                # recorded_at is the app's clock at creation and is never edited.
                incident = replace(incident, recorded_at=datetime.fromisoformat(row[1]))
            incident = replace(incident, updated_at=now())
            data = incident_to_dict(incident)
            incident_from_storage(data)
            self._store(incident, insert=row is None, data=data)
        return incident

    def finalize(self, incident_id: str, attestation: str) -> Incident:
        """Seal a draft into the chain. From here on it is read-only."""
        attestation = clean_text(attestation, "the attestation", 2_000, multiline=True)
        if not attestation.strip():
            raise BadInput(
                "Finalizing needs an attestation: confirm the record is true and complete."
            )
        with self._mutex, self._write():
            incident = self.get(incident_id)
            if incident.is_final:
                raise RecordSealed(f"Record {incident.incident_id} is already finalized.")
            sealed_at = now()
            final = replace(
                incident, status=Status.FINALIZED, attestation=attestation, updated_at=sealed_at
            )
            seal = chain.append(
                self._conn,
                ChainEntryKind.FINALIZE,
                final.incident_id,
                chain.record_hash(final),
                sealed_at,
            )
            final = replace(final, seal=seal)
            self._store(final, insert=False)
        return final

    def add_addendum(self, incident_id: str, text: str, reason: str) -> Incident:
        text = clean_text(text, "the addendum text", 100_000, multiline=True)
        reason = clean_text(reason, "the addendum reason", 2_000, multiline=True)
        if not text.strip() or not reason.strip():
            raise BadInput("An addendum needs both its text and the reason for it.")
        with self._mutex, self._write():
            incident = self.get(incident_id)
            if not incident.is_final:
                raise BadInput(
                    f"Record {incident.incident_id} is still a draft: edit it directly; "
                    "addenda are for finalized records."
                )
            addendum = Addendum(text=text, reason=reason, at=now())
            seal = chain.append(
                self._conn,
                ChainEntryKind.ADDENDUM,
                incident.incident_id,
                chain.addendum_hash(incident.incident_id, addendum),
                addendum.at,
            )
            updated = replace(incident, addenda=(*incident.addenda, replace(addendum, seal=seal)))
            self._store(updated, insert=False)
        return updated

    def delete_draft(self, incident_id: str) -> None:
        with self._mutex, self._write():
            incident = self.get(incident_id)
            if incident.is_final:
                raise RecordSealed(
                    "A finalized record cannot be deleted, only purged at retention."
                )
            self._delete(incident.incident_id)

    def _delete(self, incident_id: str) -> None:
        seq = self._conn.execute(
            "SELECT seq FROM incidents WHERE incident_id = ?", (incident_id,)
        ).fetchone()[0]
        self._conn.execute("DELETE FROM incidents_fts WHERE rowid = ?", (seq,))
        self._conn.execute("DELETE FROM attachments WHERE incident_id = ?", (incident_id,))
        self._conn.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))

    def purge(self, incident_ids: list[str]) -> int:
        """Retention purge: delete finalized records, each purge itself sealed in the chain."""
        with self._mutex, self._write():
            for incident_id in incident_ids:
                incident = self.get(incident_id)
                rec_hash = (
                    incident.seal.record_hash if incident.seal else chain.record_hash(incident)
                )
                if incident.is_final:
                    chain.append(
                        self._conn, ChainEntryKind.PURGE, incident.incident_id, rec_hash, now()
                    )
                self._delete(incident.incident_id)
        return len(incident_ids)

    # -------------------------------------------------------------------- attachments

    def add_attachment(
        self,
        incident_id: str,
        filename: str,
        data: bytes,
        media_type: str,
        description: str = "",
    ) -> Attachment:
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise BadInput(
                f"The file is {len(data) / 1e6:.0f} MB; attachments are limited to "
                f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB."
            )
        name = clean_text(Path(filename).name, "the file name", 255) or "attachment"
        attachment = Attachment(
            attachment_id=secrets.token_hex(8),
            filename=name,
            media_type=clean_text(media_type, "the media type", 100) or "application/octet-stream",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            added_at=now(),
            description=clean_text(description, "the description", 2_000, multiline=True),
        )
        with self._mutex, self._write():
            incident = self.get(incident_id)
            if incident.is_final:
                raise RecordSealed(
                    f"Record {incident.incident_id} is finalized: attachments can no longer "
                    "be added; describe new evidence in an addendum."
                )
            self._conn.execute(
                "INSERT INTO attachments (attachment_id, incident_id, sha256, size, data)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    attachment.attachment_id,
                    incident.incident_id,
                    attachment.sha256,
                    attachment.size,
                    data,
                ),
            )
            updated = replace(
                incident, attachments=(*incident.attachments, attachment), updated_at=now()
            )
            self._store(updated, insert=False)
        return attachment

    def remove_attachment(self, incident_id: str, attachment_id: str) -> None:
        with self._mutex, self._write():
            incident = self.get(incident_id)
            if incident.is_final:
                raise RecordSealed("A finalized record's attachments cannot be removed.")
            kept = tuple(a for a in incident.attachments if a.attachment_id != attachment_id)
            self._conn.execute(
                "DELETE FROM attachments WHERE attachment_id = ? AND incident_id = ?",
                (attachment_id, incident.incident_id),
            )
            self._store(replace(incident, attachments=kept, updated_at=now()), insert=False)

    def attachment_bytes(self, attachment_id: str) -> bytes:
        with self._mutex:
            self._key()
            row = self._conn.execute(
                "SELECT data, sha256 FROM attachments WHERE attachment_id = ?", (attachment_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"No attachment {attachment_id!r} in this vault.")
        data = bytes(row[0])
        if hashlib.sha256(data).hexdigest() != row[1]:
            raise IntegrityFailure(f"Attachment {attachment_id} does not match its SHA-256.")
        return data

    # ------------------------------------------------------------------ list / search

    def _where(self, filters: Filters | None, alias: str = "") -> tuple[str, list[Any]]:
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
            params.append(_utc(f.occurred_from))
        if f.occurred_to:
            clauses.append(f"{alias}occurred_utc <= ?")
            params.append(_utc(f.occurred_to))
        return (" AND ".join(clauses) or "1"), params

    def _hits(self, match: str) -> list[int]:
        rows = self._conn.execute(
            "SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?", (match,)
        ).fetchall()
        return [int(r[0]) for r in rows]

    def count(self, filters: Filters | None = None, query: str = "") -> int:
        where, params = self._where(filters)
        match = fts_query(query)
        with self._mutex:
            self._key()
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
            return int(self._conn.execute(sql, args).fetchone()[0])

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
        """One page of the list, filtered, searched (FTS5) and sorted.

        Pages are read from the covering index ``incidents_by_time``, never from the large
        record rows. A search with few hits looks its rows up; one with many walks the index
        in time order and stops once the page is full, so it costs about what the FTS match
        itself costs."""
        where, params = self._where(filters)
        column = SORT_COLUMNS.get(sort, "occurred_utc")
        direction = "DESC" if descending else "ASC"
        order = f"{column} {direction}, seq {direction}"
        match = fts_query(query)
        with self._mutex:
            self._key()
            if not match:
                rows = self._conn.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM incidents WHERE {where}"
                    f" ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                ).fetchall()
            else:
                hits = self._hits(match)
                if column != "occurred_utc" or len(hits) <= _LOOKUP_HITS:
                    rows = self._conn.execute(
                        f"SELECT {_SUMMARY_COLUMNS} FROM incidents WHERE seq IN"
                        f" (SELECT value FROM json_each(?)) AND {where}"
                        f" ORDER BY {order} LIMIT ? OFFSET ?",
                        [json.dumps(hits), *params, limit, offset],
                    ).fetchall()
                else:
                    rows = self._walk(set(hits), where, params, order, limit + offset)[offset:]
        return [Summary(r[0], Status(r[1]), r[2], Procedure(r[3]), r[4], r[5]) for r in rows]

    def _walk(
        self, hits: set[int], where: str, params: list[Any], order: str, wanted: int
    ) -> list[Any]:
        cursor = self._conn.execute(
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

    def iter_incidents(self) -> Iterator[Incident]:
        with self._mutex:
            rows = self._conn.execute("SELECT body FROM incidents ORDER BY seq").fetchall()
        for row in rows:
            yield incident_from_storage(json.loads(row[0]))

    def finalized_before(self, cutoff: datetime) -> list[Summary]:
        """Finalized records whose interaction happened before ``cutoff`` (retention)."""
        return [
            s
            for s in self.summaries(
                Filters(status=Status.FINALIZED, occurred_to=cutoff),
                limit=1_000_000,
                descending=False,
            )
        ]

    # ----------------------------------------------------------------------- settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._mutex:
            self._key()
            row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        with self._mutex, self._write():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    # ------------------------------------------------------------------- verification

    def verify(self, *, full: bool = True, records: bool = True) -> list[str]:
        """Seal chain + SQLCipher page HMACs + SQLite integrity; problems, or [] if intact.

        ``records=False`` authenticates every page and checks the chain's links, but does not
        re-walk the b-trees or re-hash every record: enough for a byte copy just made of a
        vault (a new backup), whose pages the HMAC check proves are what was written."""
        with self._mutex:
            self._key()
            problems = self._problems(full, records)
            if problems:
                self._damage_found = True
        return problems

    def _problems(self, full: bool, records: bool = True) -> list[str]:
        problems: list[str] = []
        if full:
            try:
                rows = self._conn.execute("PRAGMA cipher_integrity_check").fetchall()
                problems += [f"database page check: {r[0]}" for r in rows]
                if records:  # a fresh byte copy has its source's structure
                    rows = self._conn.execute("PRAGMA integrity_check").fetchall()
                    problems += [f"database integrity: {r[0]}" for r in rows if r[0] != "ok"]
            except (database.DatabaseError, KnownError) as error:
                problems.append(f"database check failed: {error}")
                return problems
        if not records:
            try:
                return problems + chain.verify_links(chain.entries(self._conn))
            except (database.DatabaseError, KnownError, ValueError) as error:
                return [*problems, f"seal chain cannot be read: {error.__class__.__name__}"]
        try:
            incidents = list(self.iter_incidents())
            entries = chain.entries(self._conn)
        except (database.DatabaseError, KnownError, ValueError, KeyError) as error:
            problems.append(f"records cannot be read: {error.__class__.__name__}")
            return problems
        problems += chain.verify(entries, incidents)
        for incident in incidents:
            for attachment in incident.attachments:
                try:
                    row = self._conn.execute(
                        "SELECT sha256 FROM attachments WHERE attachment_id = ?",
                        (attachment.attachment_id,),
                    ).fetchone()
                except KnownError as error:
                    problems.append(f"attachments cannot be read: {error.__class__.__name__}")
                    return problems
                if row is None or row[0] != attachment.sha256:
                    problems.append(
                        f"record {incident.incident_id}: attachment {attachment.filename!r} "
                        "is missing or does not match its SHA-256"
                    )
        return problems

    def chain_length(self) -> int:
        return chain.last_entry(self._conn)[0]

    # -------------------------------------------------------------------- key slots

    def change_passphrase(self, new_passphrase: str, *, params: KdfParams | None = None) -> None:
        """Rewrap the passphrase slot only; the key file is replaced atomically."""
        normalized = passphrase_policy.require_acceptable(new_passphrase)
        with self._mutex:
            data_key = self._key()
            slot = self._key_file.slot(keyfile.PASSPHRASE_SLOT)
            updated = keyfile.rewrap(
                self._key_file,
                data_key,
                keyfile.PASSPHRASE_SLOT,
                passphrase_policy.to_secret_bytes(normalized),
                params or slot.params,
            )
            keyfile.write(self.folder / KEY_FILE, updated, data_key)
            self._key_file = updated

    def new_recovery_key(self) -> str:
        """A fresh recovery key; the old one stops working once this returns."""
        with self._mutex:
            data_key = self._key()
            recovery = recovery_key.generate_recovery_key()
            slot = self._key_file.slot(keyfile.RECOVERY_SLOT)
            updated = keyfile.rewrap(
                self._key_file,
                data_key,
                keyfile.RECOVERY_SLOT,
                recovery_key.to_secret_bytes(recovery),
                slot.params,
            )
            keyfile.write(self.folder / KEY_FILE, updated, data_key)
            self._key_file = updated
        return recovery

    def verify_secret(self, secret: str) -> None:
        """WrongSecret unless ``secret`` unwraps a slot of this vault's key file."""
        self._key()
        keyfile.unlock(self._key_file, secret)

    def key_file_bytes(self) -> bytes:
        return keyfile.serialize(self._key_file, self._key())

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (before copying it for a backup)."""
        with self._mutex:
            self._key()
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def _check_identity(conn: Any, kf: keyfile.KeyFile) -> None:
    rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if rows.get("vault_id") != kf.vault_id:
        raise CorruptVault(
            "The key file belongs to another vault than vault.db: restore from a backup."
        )


def _schema_version(conn: Any) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise CorruptVault(
            "vault.db has no readable schema version: it is damaged; restore it from a backup."
        ) from None


def _remove_new_database(folder: Path, *, key_file: bool = False) -> None:
    """Undo a failed creation, so the folder does not look like a vault that lost its key."""
    names = [DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal"]
    for name in [*names, KEY_FILE] if key_file else names:
        with suppress(OSError):  # the error that stopped creation is the one to show
            (folder / name).unlink(missing_ok=True)


def _touch_private(path: Path) -> None:
    import os

    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise from_os_error(error, f"the vault database in {path.parent}") from None
