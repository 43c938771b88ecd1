"""Cross-checks of the seal chain against what the vault holds (``verify``'s core).

Every entry's hash, link, signature and time; every chain entry is exactly one fact of the
vault (a finalized record, one addendum, one purge with its retention statement) and every
such fact has its entry; the seal fields stored in a record equal the chain's; attachments
re-hash to what the records say; and the chain reaches the key file's high-water mark, so a
database copied back from an earlier state is reported with what it lost. Pure functions
over what ``sealing.gather`` reads.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assister_log.domain.model import ChainEntryKind, Incident, Seal
from assister_log.domain.serialization import time_text
from assister_log.storage import signing
from assister_log.storage.chain import (
    CLOCK_SLACK,
    GENESIS,
    MIN_RETENTION_YEARS,
    ChainEntry,
    addendum_hash,
    record_hash,
    retention_due,
)


@dataclass(frozen=True)
class AttachmentCheck:
    """One stored attachment row, with the SHA-256 recomputed from its bytes."""

    attachment_id: str
    incident_id: str
    stored_sha256: str
    actual_sha256: str


@dataclass(frozen=True)
class Evidence:
    """Everything ``verify`` cross-checks, read from the vault by the caller."""

    entries: list[ChainEntry]
    incidents: list[Incident]
    signatures: Mapping[int, bytes]
    purge_statements: Mapping[int, bytes]
    attachments: list[AttachmentCheck]
    public_der: bytes | None
    high_water: Any  # keyfile.HighWater | None (kept loose: keyfile imports nothing from here)
    now: datetime
    # incident id -> SHA-256 of its sealed content, hashed from the stored body itself (what
    # was hashed at seal time); computed from the parsed records when not given.
    record_hashes: Mapping[str, str] | None = None


def _where(entry: ChainEntry) -> str:
    return f"chain position {entry.position} ({entry.kind.value} of {entry.incident_id})"


def verify_links(chain: list[ChainEntry]) -> list[str]:
    """Each entry's hash recomputes and links to the one before it, positions contiguous.
    The answer for the same entries (frozen values, compared field by field) is kept for
    the next call: sending 1,000 envelopes checks one unchanged chain 1,000 times. A very
    long chain is not kept (its entries would stay in memory)."""
    if len(chain) > _CACHED_LINKS:
        return list(_links.__wrapped__(tuple(chain)))
    return list(_links(tuple(chain)))


_CACHED_LINKS = 20_000


@functools.lru_cache(maxsize=1)
def _links(chain: tuple[ChainEntry, ...]) -> tuple[str, ...]:
    problems: list[str] = []
    previous = GENESIS
    for expected, entry in enumerate(chain, start=1):
        where = _where(entry)
        if entry.position != expected:
            problems.append(f"{where}: position {expected} is missing")
        if entry.previous_hash != previous:
            problems.append(f"{where}: does not link to the entry before it")
        if hashlib.sha256(entry.payload()).hexdigest() != entry.entry_hash:
            problems.append(f"{where}: entry hash does not match its contents")
        previous = entry.entry_hash
    return tuple(problems)


def verify_signatures(
    chain: list[ChainEntry], sigs: Mapping[int, bytes], public_der: bytes | None
) -> list[str]:
    if public_der is None:
        # A vault from before signing existed, opened read-only (a backup being checked):
        # it has no key and no signatures; opening it normally adds and checks both.
        return []
    problems: list[str] = []
    for entry in chain:
        signature = sigs.get(entry.position)
        if signature is None:
            problems.append(f"{_where(entry)}: not signed")
        elif not signing.verify(public_der, entry.payload(), signature):
            problems.append(f"{_where(entry)}: its signature is not valid for this vault's key")
    extra = set(sigs) - {e.position for e in chain}
    if extra:
        problems.append(f"signatures for chain positions that do not exist: {sorted(extra)}")
    return problems


def verify_times(chain: list[ChainEntry], now: datetime) -> list[str]:
    problems: list[str] = []
    latest: datetime | None = None
    for entry in chain:
        try:
            when = datetime.fromisoformat(entry.sealed_at)
        except ValueError:
            problems.append(f"{_where(entry)}: unreadable seal time")
            continue
        if when.tzinfo is None:
            problems.append(f"{_where(entry)}: seal time without a UTC offset")
            continue
        if latest is not None and when < latest:
            problems.append(
                f"{_where(entry)}: sealed at {entry.sealed_at}, before the entry ahead of it "
                "(backdated)"
            )
        if when > now + CLOCK_SLACK:
            problems.append(f"{_where(entry)}: sealed at {entry.sealed_at}, in the future")
        latest = when if latest is None else max(latest, when)
    return problems


def verify_high_water(chain: list[ChainEntry], mark: Any) -> list[str]:
    """The chain must reach the mark the key file keeps (length + head)."""
    if mark is None:
        return []
    length = len(chain)
    if length < mark.length:
        first = length + 1
        span = f"position {first}" if first == mark.length else f"positions {first}-{mark.length}"
        return [
            f"the database is older than this vault's last seal: chain {span} "
            f"missing (the newest, a {mark.kind} of record {mark.incident_id} sealed at "
            f"{mark.sealed_at}); vault.db was replaced by an earlier copy or lost its latest "
            "commits — restore the latest backup"
        ]
    if chain[mark.length - 1].entry_hash != mark.head:
        return [
            f"chain position {mark.length} is not the entry the key file recorded: the chain "
            "was rewritten from there"
        ]
    return []


def _seal_matches(seal: Seal, entry: ChainEntry) -> bool:
    return (
        seal.entry_hash == entry.entry_hash
        and seal.previous_hash == entry.previous_hash
        and seal.record_hash == entry.record_hash
        and time_text(seal.sealed_at) == entry.sealed_at
    )


def _check_records(
    chain: list[ChainEntry],
    incidents: Iterable[Incident],
    now: datetime,
    hashes: Mapping[str, str] | None = None,
) -> tuple[list[str], set[int]]:
    """Records → chain: each sealed fact has its entry. Returns problems and the positions
    accounted for by a record fact."""
    problems: list[str] = []
    by_position = {e.position: e for e in chain}
    claimed: set[int] = set()
    for incident in incidents:
        rid = incident.incident_id
        if not incident.is_final:
            if incident.seal is not None:
                problems.append(f"record {rid}: a draft carries a seal")
            if incident.addenda:
                problems.append(f"record {rid}: a draft carries addenda")
            continue
        seal = incident.seal
        entry = by_position.get(seal.position) if seal else None
        if seal is None or entry is None:
            problems.append(f"record {rid}: finalized but not in the chain")
            continue
        claimed.add(entry.position)
        if entry.kind is not ChainEntryKind.FINALIZE or entry.incident_id != rid:
            problems.append(f"record {rid}: its seal does not match chain position {seal.position}")
            continue
        if not _seal_matches(seal, entry):
            problems.append(
                f"record {rid}: the seal stored in the record (time, hashes) differs from chain "
                f"position {seal.position}"
            )
        recomputed = hashes.get(rid) if hashes is not None else None
        if (recomputed or record_hash(incident)) != entry.record_hash:
            problems.append(
                f"record {rid}: content changed after it was sealed (chain position "
                f"{seal.position})"
            )
        for number, addendum in enumerate(incident.addenda, start=1):
            a_seal = addendum.seal
            a_entry = by_position.get(a_seal.position) if a_seal else None
            if (
                a_seal is None
                or a_entry is None
                or a_entry.kind is not ChainEntryKind.ADDENDUM
                or a_entry.incident_id != rid
                or a_entry.position <= entry.position
                or a_entry.record_hash != addendum_hash(rid, addendum)
                or time_text(addendum.at) != a_entry.sealed_at
                or not _seal_matches(a_seal, a_entry)
            ):
                problems.append(f"record {rid}: addendum {number} does not match the chain")
                continue
            claimed.add(a_entry.position)
    return problems, claimed


def _check_purge(
    entry: ChainEntry,
    finalized: ChainEntry | None,
    statement: bytes | None,
) -> list[str]:
    where = _where(entry)
    if finalized is None:
        return [f"{where}: purges a record that was never finalized"]
    years: object = MIN_RETENTION_YEARS
    if statement is None:
        # Purges sealed before retention statements existed (schema v2) name the record's own
        # hash; they are held to the minimum retention.
        if entry.record_hash != finalized.record_hash:
            return [f"{where}: has no retention statement"]
    else:
        if hashlib.sha256(statement).hexdigest() != entry.record_hash:
            return [f"{where}: its retention statement does not match the entry"]
        try:
            data = json.loads(statement)
            years = data["retention_years"]
            named = (data["incident_id"], data["record_hash"], data["finalized_at"])
        except (ValueError, KeyError, TypeError):
            return [f"{where}: its retention statement is unreadable"]
        if named != (entry.incident_id, finalized.record_hash, finalized.sealed_at):
            return [f"{where}: its retention statement names another record or seal"]
    if type(years) is not int or years < MIN_RETENTION_YEARS:
        return [
            f"{where}: purged under a {years}-year retention, below the {MIN_RETENTION_YEARS}-year "
            "minimum"
        ]
    due = retention_due(datetime.fromisoformat(finalized.sealed_at), years)
    if datetime.fromisoformat(entry.sealed_at) < due:
        return [
            f"{where}: purged at {entry.sealed_at}, before its retention period ended "
            f"({time_text(due)})"
        ]
    return []


def _check_entries(
    chain: list[ChainEntry],
    present: set[str],
    claimed: set[int],
    statements: Mapping[int, bytes] | None,
) -> list[str]:
    """Chain → records: each entry is one record fact."""
    problems: list[str] = []
    finalized: dict[str, ChainEntry] = {}
    purged: set[str] = set()
    purged_later = {e.incident_id for e in chain if e.kind is ChainEntryKind.PURGE}
    for entry in chain:
        rid = entry.incident_id
        where = _where(entry)
        if rid in purged:
            problems.append(f"{where}: comes after the record was purged")
            continue
        if entry.kind is ChainEntryKind.FINALIZE:
            if rid in finalized:
                problems.append(f"{where}: the record was already finalized")
                continue
            finalized[rid] = entry
            if rid not in present:
                if rid not in purged_later:
                    problems.append(
                        f"record {rid}: sealed at chain position {entry.position} but missing "
                        "from the vault (deleted outside a retention purge)"
                    )
            elif entry.position not in claimed:
                problems.append(
                    f"record {rid}: sealed at chain position {entry.position} but stored as a "
                    "draft or with another seal"
                )
        elif entry.kind is ChainEntryKind.ADDENDUM:
            if rid not in finalized:
                problems.append(f"{where}: an addendum to a record not finalized before it")
            elif rid in present and entry.position not in claimed:
                problems.append(
                    f"record {rid}: its addendum sealed at chain position {entry.position} is "
                    "missing from the record"
                )
            elif rid not in present and rid not in purged_later:
                problems.append(f"{where}: the record is missing from the vault")
        else:  # purge
            if rid in present:
                problems.append(f"{where}: the record was purged but is still in the vault")
            if statements is not None:
                problems += _check_purge(entry, finalized.get(rid), statements.get(entry.position))
            purged.add(rid)
    extra = set(statements or {}) - {e.position for e in chain if e.kind is ChainEntryKind.PURGE}
    if extra:
        problems.append(f"retention statements for no purge entry: {sorted(extra)}")
    return problems


def _check_attachments(incidents: list[Incident], rows: list[AttachmentCheck]) -> list[str]:
    problems: list[str] = []
    by_id = {r.attachment_id: r for r in rows}
    referenced: set[str] = set()
    for incident in incidents:
        for attachment in incident.attachments:
            referenced.add(attachment.attachment_id)
            row = by_id.get(attachment.attachment_id)
            label = f"record {incident.incident_id}: attachment {attachment.filename!r}"
            if row is None or row.incident_id != incident.incident_id:
                problems.append(f"{label} is missing")
            elif row.actual_sha256 != attachment.sha256:
                problems.append(f"{label}: its stored bytes do not match its SHA-256")
            elif row.stored_sha256 != attachment.sha256:
                problems.append(f"{label}: its stored hash differs from the record's")
    for row in rows:
        if row.attachment_id not in referenced:
            problems.append(
                f"record {row.incident_id}: an attachment ({row.attachment_id}) the record does "
                "not list"
            )
    return problems


def verify_all(evidence: Evidence) -> list[str]:
    """Problems found, each naming the record and chain position; empty when intact."""
    chain = evidence.entries
    problems = verify_links(chain)
    problems += verify_high_water(chain, evidence.high_water)
    problems += verify_signatures(chain, evidence.signatures, evidence.public_der)
    problems += verify_times(chain, evidence.now)
    record_problems, claimed = _check_records(
        chain, evidence.incidents, evidence.now, evidence.record_hashes
    )
    problems += record_problems
    present = {i.incident_id for i in evidence.incidents}
    problems += _check_entries(chain, present, claimed, evidence.purge_statements)
    problems += _check_attachments(evidence.incidents, evidence.attachments)
    return problems


def verify_record(
    incident: Incident,
    chain: list[ChainEntry],
    sigs: Mapping[int, bytes],
    public_der: bytes | None,
    attachments: list[AttachmentCheck],
    now: datetime,
) -> list[str]:
    """The checks that concern one record (before it is exported)."""
    mine = [e for e in chain if e.incident_id == incident.incident_id]
    problems = [
        p for p in verify_links(chain) if any(f"chain position {e.position} " in p for e in mine)
    ]
    problems += verify_signatures(
        mine, {e.position: sigs[e.position] for e in mine if e.position in sigs}, public_der
    )
    record_problems, claimed = _check_records(chain, [incident], now)
    problems += record_problems
    for entry in mine:
        if entry.kind is ChainEntryKind.ADDENDUM and entry.position not in claimed:
            problems.append(
                f"record {incident.incident_id}: its addendum sealed at chain position "
                f"{entry.position} is missing from the record"
            )
    problems += _check_attachments([incident], attachments)
    return problems
