"""The navigator's side of the hand-off (docs/organisation.md): ``join`` with the signed
profile, then every chain entry is queued; ``send`` seals each into an envelope (the
record's evidence bundle and the author's chain head, signed, age-encrypted to the
organisation), puts it on the destination, and fetches and verifies the receipts."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assister_log import clock
from assister_log.domain.model import ChainEntryKind
from assister_log.domain.serialization import time_text
from assister_log.errors import BadInput, KnownError
from assister_log.services.org_shared import (
    JOINED_SETTING,
    organisation_of,
    retry_delay,
    transport_for,
)
from assister_log.services.session import Session
from assister_log.storage import delivery, signing
from assister_log.storage import envelope as env
from assister_log.storage.envelope import EnvelopeError, OrgProfile
from assister_log.transport import Transport, TransportError, Unreachable

# ----------------------------------------------------------------------- navigator side


@dataclass(frozen=True)
class Joined:
    profile: OrgProfile
    destination: dict[str, str]
    password: str | None
    ca_pem: str | None
    joined_at: str


def joined_of(session: Session) -> Joined | None:
    stored = session.vault.get_setting(JOINED_SETTING)
    if stored is None:
        return None
    profile = env.read_profile(base64.b64decode(stored["profile"]))
    return Joined(
        profile=profile,
        destination=dict(stored["destination"]),
        password=stored.get("password"),
        ca_pem=stored.get("ca_pem"),
        joined_at=stored["joined_at"],
    )


def require_joined(session: Session) -> Joined:
    joined = joined_of(session)
    if joined is None:
        raise KnownError(
            "This vault has joined no organisation: run `assister-log org join PROFILE` with "
            "the profile file your organisation gave you."
        )
    return joined


def join(
    session: Session,
    profile_data: bytes,
    *,
    destination: dict[str, str] | None = None,
    password: str | None = None,
    ca_pem: str | None = None,
) -> Joined:
    """Join with a profile file's bytes. The destination may be overridden (the share is
    mounted elsewhere on this laptop); a WebDAV password and a private CA certificate are
    kept in the vault, never in a settings file. Joining the same organisation again
    updates them; another organisation is refused (one destination per vault)."""
    if organisation_of(session) is not None:
        raise BadInput(
            "This is an organisation's vault: it receives envelopes and cannot join one."
        )
    session.require_profile()
    try:
        profile = env.read_profile(profile_data)
    except EnvelopeError as error:
        raise BadInput(f"Not a usable organisation profile: {error}.") from None
    current = joined_of(session)
    if current is not None and current.profile.org_id != profile.org_id:
        raise BadInput(
            f"This vault already delivers to {current.profile.name}: it cannot join "
            f"{profile.name} as well."
        )
    dest = destination or profile.destination
    if dest.get("kind") not in ("folder", "webdav"):
        raise BadInput(
            "The profile names no destination this app can deliver to: give --folder or --url."
        )
    if dest["kind"] == "webdav" and not password:
        raise BadInput(
            "A WebDAV destination needs the password of your account on it: give it with "
            "--password-stdin."
        )
    if ca_pem is not None and "-----BEGIN CERTIFICATE-----" not in ca_pem:
        raise BadInput("The CA file holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
    now = time_text(clock.now())
    session.vault.set_setting(
        JOINED_SETTING,
        {
            "profile": base64.b64encode(profile_data).decode("ascii"),
            "destination": dest,
            "password": password,
            "ca_pem": ca_pem,
            "joined_at": current.joined_at if current else now,
        },
    )
    return require_joined(session)


@dataclass
class SendReport:
    sent: int = 0
    receipts: int = 0
    queued: int = 0
    offline: str | None = None  # why nothing more could be sent now (retried later)
    refused: str | None = None  # what the user must fix
    bad_receipts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Sent {self.sent} envelope{'' if self.sent == 1 else 's'}; "
            f"{self.receipts} new receipt{'' if self.receipts == 1 else 's'} verified; "
            f"{self.queued} still queued."
        ]
        if self.offline:
            out.append(f"Not reachable now ({self.offline}); the queue is kept and retried.")
        if self.refused:
            out.append(f"Refused: {self.refused}")
        out += [f"Receipt not accepted: {b}" for b in self.bad_receipts]
        return out


def own_fingerprint(session: Session) -> str:
    """This vault's key fingerprint as people compare it (the organisation sees it)."""
    return signing.short_fingerprint(session.vault.public_key_der())


def _author(session: Session) -> env.Author:
    profile = session.require_profile()
    return env.Author(session.vault.public_key_der(), profile.name, profile.site)


@dataclass(frozen=True)
class _Chain:
    """The author's chain as one send run reads it once (not once per envelope)."""

    entries: dict[int, Any]
    signatures: dict[int, bytes]
    purges: dict[int, bytes]

    @classmethod
    def read(cls, session: Session) -> _Chain:
        from assister_log.storage import chain

        vault = session.vault
        with vault.store.mutex:
            return cls(
                {e.position: e for e in chain.entries(vault.conn)},
                vault.chain_signatures(),
                chain.purge_statements(vault.conn),
            )


def build_envelope(
    session: Session, joined: Joined, position: int, state: _Chain | None = None
) -> tuple[str, bytes]:
    """(destination name, age-encrypted envelope) for one chain entry, made now: the record's
    current evidence bundle (or the purge statement) and the author's current chain head."""
    from assister_log.services.evidence import bundle_bytes

    vault = session.vault
    state = state or _Chain.read(session)
    entries, signatures = state.entries, state.signatures
    entry = entries[position]
    head = entries[max(entries)]
    bundle: bytes | None = None
    purge: bytes | None = None
    if entry.kind is ChainEntryKind.PURGE:
        purge = state.purges.get(position)
    elif vault.incident_exists(entry.incident_id):
        bundle = bundle_bytes(session, entry.incident_id)
    author = _author(session)
    plain = env.seal_envelope(
        env.Envelope(
            organisation=joined.profile.org_id,
            author=author,
            entry=entry,
            entry_signature=signatures[position],
            head=head,
            head_signature=signatures[head.position],
            created_at=time_text(clock.now()),
            bundle=bundle,
            purge_statement=purge,
        ),
        vault.sign,
    )
    name = env.envelope_name(author.fingerprint, position, entry.entry_hash)
    return name, env.encrypt(plain, joined.profile.recipients)


def due(session: Session, *, now: datetime | None = None) -> list[delivery.Pending]:
    """Queued entries whose back-off has passed."""
    moment = time_text(now or clock.now())
    return [
        p
        for p in delivery.pending(session.vault.store)
        if p.next_attempt_at is None or p.next_attempt_at <= moment
    ]


def send(
    session: Session,
    *,
    transport: Transport | None = None,
    everything: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Deliver the queue in chain order, then collect receipts. ``everything=False`` (the
    GUI's automatic sending) skips entries still in their back-off. An unreachable
    destination stops the run and keeps the queue; nothing is marked sent before the
    destination has the whole envelope."""
    joined = require_joined(session)
    store = session.vault.store
    report = SendReport()
    todo = delivery.pending(store) if everything else due(session)
    try:
        own = transport or transport_for(joined.destination, joined.password, joined.ca_pem)
    except TransportError as error:
        _note_failure(session, todo[:1], error, report)
        report.queued = len(delivery.pending(store))
        return report
    try:
        try:
            own.probe()
        except TransportError as error:
            _note_failure(session, todo[:1], error, report)
            report.queued = len(delivery.pending(store))
            return report
        state = _Chain.read(session)
        for done, item in enumerate(todo, start=1):
            try:
                name, data = build_envelope(session, joined, item.position, state)
                own.put(name, data)
            except TransportError as error:
                _note_failure(session, [item], error, report)
                break
            except KnownError as error:  # the record fails verification: fix before sending
                _note_failure(session, [item], error, report)
                break
            delivery.mark_sent(store, item.position, name, time_text(clock.now()))
            report.sent += 1
            if progress is not None:
                progress(done, len(todo))
        if report.offline is None and report.refused is None:
            report.receipts = _collect_receipts(session, joined, own, report)
    finally:
        if transport is None:
            own.close()
    report.queued = len(delivery.pending(store))
    return report


def _note_failure(
    session: Session, items: list[delivery.Pending], error: KnownError, report: SendReport
) -> None:
    if isinstance(error, Unreachable):
        report.offline = error.message
    else:
        report.refused = error.message
    for item in items:
        when = clock.now() + retry_delay(item.attempts + 1)
        delivery.record_failure(session.vault.store, item.position, error.message, time_text(when))


def _collect_receipts(
    session: Session, joined: Joined, transport: Transport, report: SendReport
) -> int:
    store = session.vault.store
    waiting = delivery.sent_without_receipt(store)
    if not waiting:
        return 0
    fp = signing.fingerprint(session.vault.public_key_der())
    present = set(transport.list(f"{env.RECEIPTS}/{fp[:16]}"))
    stored = 0
    for item in waiting:
        name = env.receipt_name(fp, item.position, item.entry_hash)
        if name not in present:
            continue
        data = transport.get(name, env.MAX_RECEIPT_BYTES)
        if data is None:
            continue
        try:
            receipt = env.read_receipt(data, joined.profile.receipt_key)
        except EnvelopeError as error:
            report.bad_receipts.append(f"entry {item.position}: {error}")
            continue
        if (
            receipt.organisation != joined.profile.org_id
            or receipt.author != fp
            or receipt.position != item.position
            or receipt.entry_hash != item.entry_hash
            or receipt.incident_id != item.incident_id
        ):
            report.bad_receipts.append(
                f"entry {item.position}: the receipt is for another entry or organisation"
            )
            continue
        delivery.store_receipt(store, item.position, joined.profile.name, receipt.received_at, data)
        stored += 1
    return stored


@dataclass(frozen=True)
class Received:
    organisation: str
    received_at: datetime


def received(session: Session, incident_id: str) -> Received | None:
    """The organisation's receipt for the record's finalize entry, re-verified now against
    the joined profile's receipt key (what a PDF prints)."""
    joined = joined_of(session)
    if joined is None:
        return None
    entries = {e.position: e for e in session.vault.chain_entries_of(incident_id)}
    fp = signing.fingerprint(session.vault.public_key_der())
    for stored in delivery.receipts_of(session.vault.store, incident_id):
        entry = entries.get(stored.position)
        if entry is None or entry.kind is not ChainEntryKind.FINALIZE:
            continue
        try:
            receipt = env.read_receipt(stored.receipt, joined.profile.receipt_key)
        except EnvelopeError:
            return None
        if receipt.author != fp or receipt.entry_hash != entry.entry_hash:
            return None
        return Received(joined.profile.name, datetime.fromisoformat(receipt.received_at))
    return None


@dataclass(frozen=True)
class QueueState:
    joined: Joined | None
    queued: int
    sent: int
    received: int
    pending: list[delivery.Pending]


def queue_state(session: Session) -> QueueState:
    store = session.vault.store
    counts = delivery.counts(store)
    return QueueState(
        joined=joined_of(session),
        queued=counts["queued"],
        sent=counts["sent"],
        received=counts["received"],
        pending=delivery.pending(store),
    )


def delivery_states(session: Session) -> dict[str, str]:
    """incident id -> queued / sent / received (records with no chain entry: absent)."""
    if joined_of(session) is None:
        return {}
    return delivery.states(session.vault.store)
