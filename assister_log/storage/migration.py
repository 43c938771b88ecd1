"""Bringing an opened vault up to date: schema migrations (after a verified backup of the
old version) and the sealing catch-up (sign entries made before signing existed, move the
key file's high-water mark up to the chain)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assister_log import clock
from assister_log.errors import KnownError
from assister_log.paths import ensure_private_dir
from assister_log.storage import backup, chain, database, keyfile, records, schema
from assister_log.storage.opening import open_store, schema_version
from assister_log.storage.store import Store


def open_upgraded(folder: Path, get_key: Callable[[keyfile.KeyFile], bytes]) -> Store:
    """Open a vault as the app does: unlock it, then bring it up to date (``upgrade``)."""
    store = open_store(folder, get_key, add_signing_key=True)
    try:
        upgrade(store)
    except BaseException:
        store.close()
        raise
    return store


def upgrade(store: Store) -> None:
    """Everything opening a vault normally does after unlocking it."""
    migrate(store)
    catch_up_seals(store)


def migrate(store: Store) -> None:
    version = schema_version(store.conn)
    if version > schema.SCHEMA_VERSION:
        raise KnownError(
            f"This vault was written by a newer Assister Log (schema {version}); "
            "install the newer version to open it."
        )
    if version == schema.SCHEMA_VERSION:
        return
    backups = ensure_private_dir(store.folder / "backups")
    stamp = clock.now().strftime("%Y%m%dT%H%M%S")
    backup.write_backup(store, backups / f"pre-migration-v{version}-{stamp}.albackup")
    old = version
    while version < schema.SCHEMA_VERSION:
        with database.transaction(store.conn):
            schema.MIGRATIONS[version](store.conn)
            version += 1
            store.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
            )
    if old < 4:
        # Version 4 indexes phone and case numbers by digit runs: the search index is
        # rewritten from the records (bodies untouched, so no seal changes).
        records.rebuild_index(store)


def catch_up_seals(store: Store) -> None:
    """Sign entries sealed before signing existed, and bring the key file's high-water
    mark up to a chain that extends it (a seal whose key-file update was cut short)."""
    signer = store.sealer.signer()
    if signer is not None and schema_version(store.conn) >= 3:
        with database.transaction(store.conn):
            chain.sign_unsigned(store.conn, signer)
    store.advance_high_water()
