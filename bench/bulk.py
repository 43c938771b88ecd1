"""Fast bulk insert for synthetic data (the benchmarks' 10k and 100k vaults, and tests that
need many records).

Each record is written by the store's own ``records.write_row`` (same columns, same body
JSON, same FTS row as ``Vault.save_draft``) and, when it is to be finalized, sealed with the
same ``records.sealed_final`` ``Vault.finalize`` uses (signed chain entry, high-water mark
moved after the commit). The only difference from saving one by one is that many records
share one transaction (one fsync), so the result is indistinguishable from records saved
and finalized through the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from assister_log import clock
from assister_log.domain.model import Incident, Status
from assister_log.domain.serialization import clean_text
from assister_log.errors import BadInput, RecordSealed
from assister_log.storage import records
from assister_log.storage.vault import Vault


def insert_many(vault: Vault, batch: Iterable[tuple[Incident, str | None]]) -> int:
    """Insert new drafts in one transaction; a record given an attestation is finalized.

    Records must be new drafts (as ``Vault.save_draft`` requires) with ids not yet in the
    vault. Returns how many were inserted; on any error none are.
    """
    store = vault.store
    count = 0
    with store.mutex, store.write():
        for incident, attestation in batch:
            if incident.status is not Status.DRAFT or incident.seal is not None:
                raise RecordSealed("Only new drafts can be inserted in bulk.")
            if records.exists(store, incident.incident_id):
                raise BadInput(f"Record {incident.incident_id} is already in the vault.")
            stored = replace(incident, updated_at=clock.now())
            if attestation is not None:
                text = clean_text(attestation, "the attestation", 2_000, multiline=True)
                stored = records.sealed_final(store, stored, text)
            records.write_row(store, stored, insert=True)
            count += 1
    store.advance_high_water()
    return count
