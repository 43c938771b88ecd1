"""Fast bulk insert for synthetic data (the benchmarks' 10k and 100k vaults).

Each record is written by the vault's own ``Vault._store`` (same columns, same body JSON,
same FTS row as ``Vault.save_draft``) and, when it is to be finalized, sealed into the chain
with the same ``chain.record_hash``/``chain.append`` ``Vault.finalize`` uses. The only
difference from saving one by one is that many records share one transaction (one fsync),
so the result is indistinguishable from records saved and finalized through the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from assister_log.domain.model import ChainEntryKind, Incident, Status
from assister_log.domain.serialization import clean_text
from assister_log.errors import BadInput, RecordSealed
from assister_log.storage import chain
from assister_log.storage.vault import Vault, now


def insert_many(vault: Vault, records: Iterable[tuple[Incident, str | None]]) -> int:
    """Insert new drafts in one transaction; a record given an attestation is finalized.

    Records must be new drafts (as ``Vault.save_draft`` requires) with ids not yet in the
    vault. Returns how many were inserted; on any error none are.
    """
    count = 0
    with vault._mutex, vault._write() as conn:
        for incident, attestation in records:
            if incident.status is not Status.DRAFT or incident.seal is not None:
                raise RecordSealed("Only new drafts can be inserted in bulk.")
            if vault.incident_exists(incident.incident_id):
                raise BadInput(f"Record {incident.incident_id} is already in the vault.")
            stored = replace(incident, updated_at=now())
            if attestation is not None:
                text = clean_text(attestation, "the attestation", 2_000, multiline=True)
                sealed_at = now()
                final = replace(
                    stored, status=Status.FINALIZED, attestation=text, updated_at=sealed_at
                )
                seal = chain.append(
                    conn,
                    ChainEntryKind.FINALIZE,
                    final.incident_id,
                    chain.record_hash(final),
                    sealed_at,
                )
                stored = replace(final, seal=seal)
            vault._store(stored, insert=True)
            count += 1
    return count
