"""The vault's sealing state: its signing key (unwrapped while the vault is open), the
high-water mark kept in the key file, and the read-out of everything ``verify`` checks.

``Vault`` owns one ``Sealer``; it signs every chain entry, moves the high-water mark after
every committed seal, and gathers the evidence (chain, signatures, purge statements,
attachment bytes re-hashed) that ``chain_checks.verify_all`` cross-checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from assister_log.domain.model import Incident
from assister_log.errors import CorruptVault, KnownError
from assister_log.storage import chain, chain_checks, evidence, keyfile, signing


class Sealer:
    def __init__(self, key_file: keyfile.KeyFile, data_key: bytes) -> None:
        self._private: ec.EllipticCurvePrivateKey | None = None
        self._public_der: bytes | None = None
        self._certificate: bytes | None = None
        self._created_at = key_file.created_at
        if key_file.signing is not None:
            self._private = signing.unwrap(key_file.vault_id, data_key, key_file.signing)
            self._public_der = key_file.signing.public_der

    @property
    def can_sign(self) -> bool:
        return self._private is not None

    @property
    def public_der(self) -> bytes | None:
        return self._public_der

    def sign(self, payload: bytes) -> bytes:
        if self._private is None:
            raise CorruptVault(
                "This vault has no signing key yet: open it once with this version of "
                "Assister Log (not read-only) to upgrade it."
            )
        return signing.sign(self._private, payload)

    def signer(self) -> signing.Signer | None:
        return self.sign if self._private is not None else None

    def pdf_signer(self) -> tuple[bytes, bytes]:
        """(PKCS#8 private key, certificate), both DER, for PDF signatures."""
        if self._private is None:
            raise CorruptVault("This vault has no signing key yet: open it once to upgrade it.")
        if self._certificate is None:
            self._certificate = signing.certificate(self._private, self._created_at)
        return signing.pkcs8(self._private), self._certificate

    def forget(self) -> None:
        """Drop the key objects (the vault is closing or locking)."""
        self._private = None
        self._certificate = None


def high_water_of(conn: Any) -> keyfile.HighWater | None:
    row = conn.execute(
        "SELECT position, entry_hash, kind, incident_id, sealed_at FROM chain"
        " ORDER BY position DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return keyfile.HighWater(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]))


def advance_high_water(
    conn: Any, key_file: keyfile.KeyFile, path: Path, data_key: bytes
) -> keyfile.KeyFile:
    """After a committed seal: record the chain's new length and head in the key file
    (atomically). Never moves the mark backwards, and never past a chain that does not
    reach the old mark (verify reports that instead)."""
    mark = high_water_of(conn)
    old = key_file.high_water
    if mark is None or (old is not None and mark.length <= old.length):
        return key_file
    if old is not None:
        row = conn.execute(
            "SELECT entry_hash FROM chain WHERE position = ?", (old.length,)
        ).fetchone()
        if row is None or row[0] != old.head:
            return key_file  # the chain does not extend the mark: verify reports it
    updated = keyfile.with_high_water(key_file, mark)
    keyfile.write(path, updated, data_key)
    return updated


def advance_quietly(
    conn: Any, key_file: keyfile.KeyFile, path: Path, data_key: bytes
) -> keyfile.KeyFile:
    """``advance_high_water`` after a seal already committed: a failure to rewrite the key
    file (a full disk) leaves the mark one seal behind, which is safe (it only ever lags)
    and is caught up the next time the vault opens or seals."""
    with suppress(KnownError, OSError):
        return advance_high_water(conn, key_file, path, data_key)
    return key_file


def _has_table(conn: Any, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row.fetchone() is not None


def attachment_checks(conn: Any) -> list[chain_checks.AttachmentCheck]:
    """Every stored attachment, its bytes re-hashed (one row in memory at a time)."""
    ids = conn.execute("SELECT attachment_id FROM attachments ORDER BY rowid").fetchall()
    checks: list[chain_checks.AttachmentCheck] = []
    for (attachment_id,) in ids:
        row = conn.execute(
            "SELECT incident_id, sha256, data FROM attachments WHERE attachment_id = ?",
            (attachment_id,),
        ).fetchone()
        checks.append(
            chain_checks.AttachmentCheck(
                attachment_id=str(attachment_id),
                incident_id=str(row[0]),
                stored_sha256=str(row[1]),
                actual_sha256=hashlib.sha256(row[2]).hexdigest(),
            )
        )
    return checks


def gather(
    conn: Any,
    incidents: list[Incident],
    public_der: bytes | None,
    key_file: keyfile.KeyFile,
    now: datetime,
    record_hashes: dict[str, str] | None = None,
) -> chain_checks.Evidence:
    signed = _has_table(conn, "chain_signatures")  # schema 3 and later
    return chain_checks.Evidence(
        entries=chain.entries(conn),
        incidents=incidents,
        signatures=chain.signatures(conn) if signed else {},
        purge_statements=chain.purge_statements(conn) if signed else {},
        attachments=attachment_checks(conn),
        # A database from before signing (schema 2, e.g. a pre-migration backup checked as it
        # is) has no signatures to check, even when its key file already has a key.
        public_der=public_der if signed else None,
        high_water=key_file.high_water,
        now=now,
        record_hashes=record_hashes,
    )


def attachment_checks_for(
    conn: Any, incident_ids: Iterable[str]
) -> list[chain_checks.AttachmentCheck]:
    """The attachments of these records, re-hashed one row at a time (a record may hold
    several 64 MB files: never all of them in memory at once)."""
    checks: list[chain_checks.AttachmentCheck] = []
    for incident_id in incident_ids:
        ids = conn.execute(
            "SELECT attachment_id FROM attachments WHERE incident_id = ? ORDER BY rowid",
            (incident_id,),
        ).fetchall()
        for (attachment_id,) in ids:
            row = conn.execute(
                "SELECT sha256, data FROM attachments WHERE attachment_id = ?", (attachment_id,)
            ).fetchone()
            checks.append(
                chain_checks.AttachmentCheck(
                    str(attachment_id),
                    incident_id,
                    str(row[0]),
                    hashlib.sha256(row[1]).hexdigest(),
                )
            )
            del row
    return checks


def qr_statement(conn: Any, incident: Incident, public_der: bytes) -> str:
    if incident.seal is None:
        raise KnownError(f"Record {incident.incident_id} is not sealed.")
    entries = {e.position: e for e in chain.entries_of(conn, incident.incident_id)}
    entry = entries.get(incident.seal.position)
    signature = chain.signatures(conn).get(incident.seal.position)
    if entry is None or signature is None:
        raise CorruptVault(
            f"Record {incident.incident_id}'s seal is missing from the chain: run verify."
        )
    return evidence.qr_statement(entry, signature, public_der)
