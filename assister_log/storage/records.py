"""Records: reading one, saving drafts, and the three writes that seal into the chain
(finalize, addendum, purge); plus the row and search-index maintenance every write shares.

Every function takes the open ``Store``; each write runs in one transaction under the
store's mutex. A sealing write appends its chain entry through ``_seal`` (signed by the
vault's key) inside the transaction and, once it has committed, moves the key file's
high-water mark (``Store.advance_high_water``).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from assister_log import clock
from assister_log.domain.model import Addendum, ChainEntryKind, Incident, Seal, Status
from assister_log.domain.serialization import (
    SEAL_EXCLUDED,
    canonical_record_bytes,
    clean_text,
    incident_from_storage,
    incident_to_dict,
)
from assister_log.errors import BadInput, NotFound, RecordSealed
from assister_log.storage import chain
from assister_log.storage.store import Store

_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_incident_id() -> str:
    return "AL-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


# ------------------------------------------------------------------ reading


def exists(store: Store, incident_id: str) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM incidents WHERE incident_id = ?", (incident_id,)
    ).fetchone()
    return row is not None


def new_id(store: Store) -> str:
    while True:
        candidate = new_incident_id()
        if not exists(store, candidate):
            return candidate


def get(store: Store, incident_id: str) -> Incident:
    with store.mutex:
        store.key()
        row = store.conn.execute(
            "SELECT body FROM incidents WHERE incident_id = ?", (incident_id.strip().upper(),)
        ).fetchone()
    if row is None:
        raise NotFound(f"No record with id {incident_id!r} in this vault; run `list` to see ids.")
    return incident_from_storage(json.loads(row[0]))


def incidents_and_sealed_hashes(store: Store) -> tuple[list[Incident], dict[str, str]]:
    """Every record, and for each finalized one the SHA-256 of its sealed content hashed
    from the stored body as it is (seal, addenda and last-edited time left out): exactly
    what was hashed when it was sealed, and any edit of the stored JSON shows."""
    with store.mutex:
        rows = store.conn.execute("SELECT body FROM incidents ORDER BY seq").fetchall()
    incidents: list[Incident] = []
    hashes: dict[str, str] = {}
    for (body,) in rows:
        data = json.loads(body)
        incident = incident_from_storage(data)
        incidents.append(incident)
        if incident.is_final and isinstance(data, dict):
            content = {k: v for k, v in data.items() if k not in SEAL_EXCLUDED}
            hashes[incident.incident_id] = hashlib.sha256(
                canonical_record_bytes(content)
            ).hexdigest()
    return incidents, hashes


def iter_incidents(store: Store) -> Iterator[Incident]:
    """Every record, in the order saved."""
    with store.mutex:
        rows = store.conn.execute("SELECT body FROM incidents ORDER BY seq").fetchall()
    for row in rows:
        yield incident_from_storage(json.loads(row[0]))


# ------------------------------------------------------------------ drafts


def save_draft(store: Store, incident: Incident) -> Incident:
    """Insert or update a draft. A finalized record is never changed here.

    The draft is first read back through the storage format's checks, so a record the
    reader would refuse (an empty quote, a control character) is never stored."""
    with store.mutex, store.write():
        row = store.conn.execute(
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
        incident = replace(incident, updated_at=clock.now())
        data = incident_to_dict(incident)
        incident_from_storage(data)
        write_row(store, incident, insert=row is None, data=data)
    return incident


def delete_draft(store: Store, incident_id: str) -> None:
    with store.mutex, store.write():
        incident = get(store, incident_id)
        if incident.is_final:
            raise RecordSealed("A finalized record cannot be deleted, only purged at retention.")
        delete_row(store, incident.incident_id)


# ------------------------------------------------------------------ sealing


def _seal(
    store: Store,
    kind: ChainEntryKind,
    incident_id: str,
    rec_hash: str,
    when: datetime,
    statement: bytes | None = None,
) -> Seal:
    """Append one signed chain entry, inside the caller's transaction."""
    return chain.append(store.conn, kind, incident_id, rec_hash, when, store.sealer.sign, statement)


def finalize(store: Store, incident_id: str, attestation: str) -> Incident:
    """Seal a draft into the chain. From here on it is read-only."""
    attestation = clean_text(attestation, "the attestation", 2_000, multiline=True)
    if not attestation.strip():
        raise BadInput("Finalizing needs an attestation: confirm the record is true and complete.")
    with store.mutex, store.write():
        incident = get(store, incident_id)
        if incident.is_final:
            raise RecordSealed(f"Record {incident.incident_id} is already finalized.")
        final = sealed_final(store, incident, attestation)
        write_row(store, final, insert=False)
    store.advance_high_water()
    return final


def sealed_final(store: Store, draft: Incident, attestation: str) -> Incident:
    """``draft`` finalized with ``attestation`` and sealed: its chain entry is appended
    inside the caller's transaction; the caller writes the row."""
    sealed_at = clock.now()
    final = replace(draft, status=Status.FINALIZED, attestation=attestation, updated_at=sealed_at)
    seal = _seal(
        store, ChainEntryKind.FINALIZE, final.incident_id, chain.record_hash(final), sealed_at
    )
    return replace(final, seal=seal)


def add_addendum(store: Store, incident_id: str, text: str, reason: str) -> Incident:
    text = clean_text(text, "the addendum text", 100_000, multiline=True)
    reason = clean_text(reason, "the addendum reason", 2_000, multiline=True)
    if not text.strip() or not reason.strip():
        raise BadInput("An addendum needs both its text and the reason for it.")
    with store.mutex, store.write():
        incident = get(store, incident_id)
        if not incident.is_final:
            raise BadInput(
                f"Record {incident.incident_id} is still a draft: edit it directly; "
                "addenda are for finalized records."
            )
        addendum = Addendum(text=text, reason=reason, at=clock.now())
        seal = _seal(
            store,
            ChainEntryKind.ADDENDUM,
            incident.incident_id,
            chain.addendum_hash(incident.incident_id, addendum),
            addendum.at,
        )
        updated = replace(incident, addenda=(*incident.addenda, replace(addendum, seal=seal)))
        write_row(store, updated, insert=False)
    store.advance_high_water()
    return updated


def purge(store: Store, incident_ids: list[str], retention_years: int) -> int:
    """Retention purge: delete finalized records, each purge itself sealed in the chain
    with its retention statement (which record, its seal, the rule that made it due)."""
    if retention_years < chain.MIN_RETENTION_YEARS:
        raise BadInput(
            f"Records are kept at least {chain.MIN_RETENTION_YEARS} years; nothing was purged."
        )
    with store.mutex, store.write():
        finalized = {
            e.incident_id: e for e in chain.entries(store.conn) if e.kind is ChainEntryKind.FINALIZE
        }
        for incident_id in incident_ids:
            incident = get(store, incident_id)
            entry = finalized.get(incident.incident_id)
            if not incident.is_final or entry is None:
                raise BadInput(
                    f"Record {incident.incident_id} is not finalized: drafts are deleted, "
                    "not purged."
                )
            when = clock.now()
            if when < chain.retention_due(datetime.fromisoformat(entry.sealed_at), retention_years):
                raise BadInput(
                    f"Record {incident.incident_id} was sealed less than {retention_years} "
                    "years ago; nothing was purged."
                )
            statement = chain.purge_statement(incident.incident_id, entry, retention_years)
            _seal(
                store,
                ChainEntryKind.PURGE,
                incident.incident_id,
                hashlib.sha256(statement).hexdigest(),
                when,
                statement,
            )
            delete_row(store, incident.incident_id)
    store.advance_high_water()
    return len(incident_ids)


# ------------------------------------------------------------------ rows and search index


def utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def list_columns(incident: Incident) -> tuple[str, str, str, str, str, str, str]:
    """The list's summary columns, all derived from the record body."""
    return (
        incident.procedure.value,
        incident.status.value,
        utc(incident.occurred_at),
        incident.party.name,
        ", ".join(g.kind.value for g in incident.grounds),
        incident.recorded_at.isoformat(),
        (incident.updated_at or incident.recorded_at).isoformat(),
    )


_DIGITS = re.compile(r"\d")
MIN_DIGIT_RUN = 3


def digit_runs(*values: str) -> str:
    """Search tokens for phone and case numbers: each value's digits run together, and every
    tail of that run of at least three digits, so any 3+ digit run typed ("0148", "5550148",
    "612-555-0148", "6125550148") matches as a prefix (issue 12)."""
    tokens: list[str] = []
    for value in values:
        digits = "".join(_DIGITS.findall(value))
        tokens += [digits[i:] for i in range(0, len(digits) - MIN_DIGIT_RUN + 1)]
    return " ".join(dict.fromkeys(tokens))


def fts_columns(incident: Incident, *, numbers: bool = True) -> tuple[str, str, str, str, str]:
    """The record's search-index row: names (with phone and case numbers, and their digit
    runs), quotes, narrative, notes, addenda. ``numbers=False``: the row as schema 1-3
    wrote it (names and the case number only)."""
    party = incident.party
    if numbers:
        phones = [party.phone, party.case_number, *(w.contact for w in incident.witnesses)]
        names = [party.name, party.interpreter, *phones, digit_runs(*phones)]
    else:
        names = [party.name, party.interpreter, party.case_number]
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


def write_row(
    store: Store, incident: Incident, *, insert: bool, data: dict[str, Any] | None = None
) -> None:
    """Write the record's row and FTS row, inside the caller's transaction (``data``: its
    dict, when already made)."""
    conn = store.conn
    body = json.dumps(incident_to_dict(incident) if data is None else data, ensure_ascii=False)
    values = (*list_columns(incident), body)
    if insert:
        conn.execute(
            "INSERT INTO incidents (procedure, status, occurred_utc, party_name, grounds,"
            " recorded_at, updated_at, body, incident_id) VALUES (?,?,?,?,?,?,?,?,?)",
            (*values, incident.incident_id),
        )
    else:
        conn.execute(
            "UPDATE incidents SET procedure=?, status=?, occurred_utc=?, party_name=?,"
            " grounds=?, recorded_at=?, updated_at=?, body=? WHERE incident_id=?",
            (*values, incident.incident_id),
        )
    seq = conn.execute(
        "SELECT seq FROM incidents WHERE incident_id = ?", (incident.incident_id,)
    ).fetchone()[0]
    conn.execute("DELETE FROM incidents_fts WHERE rowid = ?", (seq,))
    conn.execute(
        "INSERT INTO incidents_fts (rowid, names, quotes, narrative, notes, addenda)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (seq, *fts_columns(incident)),
    )


def delete_row(store: Store, incident_id: str) -> None:
    """Delete the record's row, FTS row and attachments, inside the caller's transaction."""
    conn = store.conn
    seq = conn.execute(
        "SELECT seq FROM incidents WHERE incident_id = ?", (incident_id,)
    ).fetchone()[0]
    conn.execute("DELETE FROM incidents_fts WHERE rowid = ?", (seq,))
    conn.execute("DELETE FROM attachments WHERE incident_id = ?", (incident_id,))
    conn.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))


def rebuild_index(store: Store) -> int:
    """Rewrite every record's list columns and search entry from its body; returns how
    many records. (Bodies are unchanged, so seals are unaffected.)"""
    with store.mutex, store.write():
        incidents = list(iter_incidents(store))
        store.conn.execute("DELETE FROM incidents_fts")
        for incident in incidents:
            write_row(store, incident, insert=False)
    return len(incidents)
