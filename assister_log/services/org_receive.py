"""The organisation's side of the hand-off (docs/organisation.md): its own vault (age
identity and receipt key inside), ``import_envelopes`` — decrypt, verify every signature and
each author's chain continuity, store each envelope in one transaction, write a signed
receipt back — the inbox, PDFs of received records, and ``report``."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from assister_log import clock
from assister_log.domain.model import ChainEntryKind, Incident
from assister_log.domain.serialization import clean_text, time_text
from assister_log.errors import BadInput, NotFound
from assister_log.services.org_shared import (
    ORG_SETTING,
    Organisation,
    require_organisation,
    transport_for,
)
from assister_log.services.session import Session
from assister_log.storage import envelope as env
from assister_log.storage import inbox, signing
from assister_log.storage.envelope import EnvelopeError
from assister_log.storage.kdf import KdfParams
from assister_log.storage.store import Store
from assister_log.storage.vault import Vault
from assister_log.transport import Transport


def create_organisation(
    folder: Path,
    passphrase: str,
    name: str,
    destination: dict[str, str],
    *,
    password: str | None = None,
    ca_pem: str | None = None,
    params: KdfParams | None = None,
) -> tuple[Session, str]:
    """A new organisation vault (same protections as a navigator's: passphrase, recovery
    key, SQLCipher) holding the organisation's age identity; its signing key signs the
    profile and every receipt. Returns the open session and the recovery key."""
    name = clean_text(name, "the organisation's name", 200).strip()
    if not name:
        raise BadInput("The organisation's name is empty: give the name navigators will see.")
    identity, recipient = env.new_identity()
    settings = {
        ORG_SETTING: {
            "name": name,
            "id": secrets.token_hex(16),
            "identity": identity,
            "recipient": recipient,
            "destination": destination,
            "created_at": time_text(clock.now()),
            "password": password,
            "ca_pem": ca_pem,
        }
    }
    vault, recovery = Vault.create(folder, passphrase, params=params, settings=settings)
    return Session(vault), recovery


@dataclass
class ImportReport:
    accepted: int = 0
    receipts: int = 0
    already: int = 0
    new_authors: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # gaps, held until the entry arrives
    refused: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Imported {self.accepted} envelope{'' if self.accepted == 1 else 's'}; "
            f"wrote {self.receipts} receipt{'' if self.receipts == 1 else 's'}."
        ]
        out += [f"New author (trusted on first use): {a}" for a in self.new_authors]
        out += [f"Waiting: {w}" for w in self.waiting]
        out += [f"REFUSED: {r}" for r in self.refused]
        return out


def _author_label(author: env.Author) -> str:
    site = f", {author.site}" if author.site else ""
    return f"{author.name}{site} (key {signing.short_fingerprint(author.public_key)})"


def import_envelopes(
    session: Session,
    transport: Transport,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Pull every new envelope from the destination and store what verifies. Each envelope
    is one transaction, its receipt is written after the commit; an interrupted import is
    simply run again (stored envelopes are skipped, missing receipts rewritten)."""
    org = require_organisation(session)
    store = session.vault.store
    report = ImportReport()
    known = inbox.known_envelopes(store)
    names = transport.list(env.ENVELOPES)
    by_author: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for name in names:
        parsed = env.parse_envelope_name(name)
        if parsed is None:
            continue  # not ours (a README, another tool's file): left alone
        if name not in known:
            by_author[parsed[0]].append((parsed[1], name))
    total = sum(len(v) for v in by_author.values())
    done = 0
    for prefix in sorted(by_author):
        items = sorted(by_author[prefix])
        for index, (_, name) in enumerate(items):
            outcome = _import_one(session, org, transport, name, report)
            done += 1
            if progress is not None:
                progress(done, total)
            if outcome == "gap":
                rest = len(items) - index - 1
                more = f" and {rest} later one{'' if rest == 1 else 's'}" if rest else ""
                report.waiting[-1] += more
                done += rest
                break
    report.receipts += _rewrite_missing_receipts(session, org, transport, known)
    return report


class _Refusal(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _import_one(
    session: Session, org: Organisation, transport: Transport, name: str, report: ImportReport
) -> str:
    store = session.vault.store
    now = time_text(clock.now())
    data = transport.get(name, env.MAX_ENVELOPE_BYTES)
    if data is None:
        return "gone"
    short = "/".join(name.rsplit("/", 2)[-2:])
    author: str | None = None
    try:
        try:
            envelope = env.open_envelope(env.decrypt(data, org.identity), org.org_id)
        except EnvelopeError as error:
            raise _Refusal(error.kind, f"{short}: {error}") from None
        author = envelope.author.fingerprint
        who = _author_label(envelope.author)
        outcome = _continuity(store, envelope, name, f"{short} from {who}")
    except _Refusal as refusal:
        inbox.record_problem(store, name, author, refusal.kind, refusal.message, now)
        report.refused.append(refusal.message)
        return "refused"
    if outcome == "already":
        report.already += 1
        return outcome
    if outcome == "gap":
        position = envelope.entry.position
        report.waiting.append(
            f"{who}: entry {position} waits for entry {position - 1}, which has not arrived yet"
        )
        return outcome
    inbox.accept(store, envelope, name, now)
    report.accepted += 1
    if envelope.entry.position == 1:
        report.new_authors.append(who)
    _write_receipt(session, org, transport, envelope, now)
    report.receipts += 1
    return "accepted"


def _continuity(store: Store, envelope: env.Envelope, name: str, where: str) -> str:
    """'new', 'already' or 'gap' for a genuine envelope; _Refusal when its name, or its
    place in what this author sent before, is wrong."""
    author = envelope.author.fingerprint
    entry = envelope.entry
    named = env.parse_envelope_name(name)
    if named is not None and named[0] != author[:16]:
        raise _Refusal(
            "foreign",
            f"{where}: signed by a different key from the author its folder names — a "
            "foreign or planted envelope; ignored",
        )
    if named != (author[:16], entry.position, entry.entry_hash[:16]):
        raise _Refusal(
            "replayed",
            f"{where}: the file holds entry {entry.position} ({entry.entry_hash[:16]}), not "
            "what its name says — a replayed, renamed or reordered envelope; ignored",
        )
    stored = inbox.entry_hash_at(store, author, entry.position)
    if stored is not None and stored != entry.entry_hash:
        raise _Refusal(
            "rewritten",
            f"{where}: entry {entry.position} differs from the one already received — the "
            "author's history was rewritten (a restored old backup or an altered vault); the "
            "first one is kept",
        )
    if stored is not None:
        return "already"
    previous = (
        env.GENESIS
        if entry.position == 1
        else inbox.entry_hash_at(store, author, entry.position - 1)
    )
    if previous is None:
        return "gap"
    if previous != entry.previous_hash:
        raise _Refusal(
            "forked",
            f"{where}: entry {entry.position} does not follow entry {entry.position - 1} as "
            "received — a forked chain; refused",
        )
    head_seen = inbox.entry_hash_at(store, author, envelope.head.position)
    if head_seen is not None and head_seen != envelope.head.entry_hash:
        raise _Refusal(
            "rewritten",
            f"{where}: its chain head (entry {envelope.head.position}) differs from the entry "
            "received at that position — a rewritten history; refused",
        )
    return "new"


def _receipt_for(org: Organisation, envelope: env.Envelope, received_at: str) -> env.Receipt:
    return env.Receipt(
        organisation=org.org_id,
        organisation_name=org.name,
        author=envelope.author.fingerprint,
        position=envelope.entry.position,
        entry_hash=envelope.entry.entry_hash,
        incident_id=envelope.entry.incident_id,
        head_position=envelope.head.position,
        head_hash=envelope.head.entry_hash,
        received_at=received_at,
    )


def _write_receipt(
    session: Session,
    org: Organisation,
    transport: Transport,
    envelope: env.Envelope,
    received_at: str,
) -> None:
    receipt = _receipt_for(org, envelope, received_at)
    transport.put(
        env.receipt_name(receipt.author, receipt.position, receipt.entry_hash),
        env.write_receipt(receipt, session.vault.sign),
    )


def _rewrite_missing_receipts(
    session: Session, org: Organisation, transport: Transport, known: set[str]
) -> int:
    """After a crash between an envelope's commit and its receipt: write what is missing."""
    if not known:
        return 0
    present = set(transport.list(env.RECEIPTS))
    written = 0
    store = session.vault.store
    for row in inbox.received_entries(store):
        name = env.receipt_name(row.author, row.position, row.entry_hash)
        if name in present:
            continue
        receipt = env.Receipt(
            organisation=org.org_id,
            organisation_name=org.name,
            author=row.author,
            position=row.position,
            entry_hash=row.entry_hash,
            incident_id=row.incident_id,
            head_position=row.position,
            head_hash=row.entry_hash,
            received_at=row.received_at,
        )
        transport.put(name, env.write_receipt(receipt, session.vault.sign))
        written += 1
    return written


def import_from_destination(
    session: Session, *, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """``import_envelopes`` from the organisation's own destination (its profile's)."""
    org = require_organisation(session)
    transport = transport_for(org.destination, org.password, org.ca_pem)
    try:
        transport.probe()
        return import_envelopes(session, transport, progress=progress)
    finally:
        transport.close()


def inbox_records(session: Session, query: str = "", limit: int = 10_000) -> list[inbox.OrgRecord]:
    require_organisation(session)
    return inbox.records(session.vault.store, query, limit)


def _received_record(session: Session, incident_id: str, author: str | None) -> inbox.OrgRecord:
    matches = [
        r
        for r in inbox.find_records(session.vault.store, incident_id)
        if author is None or r.author.startswith(author.lower().removeprefix("sha256:"))
    ]
    if not matches:
        raise NotFound(f"No received record {incident_id.strip()}: see `assister-log org inbox`.")
    if len(matches) > 1:
        raise BadInput(
            f"Two authors used the id {incident_id.strip()}: add --author with the first "
            "digits of the author's key fingerprint (see `assister-log org inbox`)."
        )
    if matches[0].state == "purged":
        raise BadInput(
            f"Record {incident_id.strip()} was purged by its author after the retention "
            "period: only its signed purge statement is kept."
        )
    return matches[0]


def received_incident(session: Session, row: inbox.OrgRecord) -> tuple[Incident, bytes]:
    """The record as the author sealed it (with its addenda and their seals), rebuilt from
    the stored evidence bundle; and the bundle."""
    from assister_log.domain.serialization import incident_from_storage
    from assister_log.storage import evidence

    bundle = inbox.bundle_of(session.vault.store, row.author, row.incident_id)
    if bundle is None:
        raise NotFound(f"Record {row.incident_id} has no stored content.")
    pairs = evidence.chain_of(bundle)
    record = evidence.record_of(bundle)
    seals = {
        e.position: {
            "record_hash": e.record_hash,
            "entry_hash": e.entry_hash,
            "previous_hash": e.previous_hash,
            "position": e.position,
            "sealed_at": e.sealed_at,
        }
        for e, _ in pairs
    }
    final = next(e for e, _ in pairs if e.kind is ChainEntryKind.FINALIZE)
    addendum_entries = [e for e, _ in pairs if e.kind is ChainEntryKind.ADDENDUM]
    addenda = [
        a | {"seal": seals[e.position]}
        for a, e in zip(evidence.addenda_of(bundle), addendum_entries, strict=True)
    ]
    data = dict(record) | {"seal": seals[final.position], "addenda": addenda, "updated_at": None}
    return incident_from_storage(data), bundle


def export_received(
    session: Session,
    incident_id: str,
    kind: str,
    out: Path,
    *,
    author: str | None = None,
    password: str | None = None,
) -> Path:
    """A received record as a PDF signed by the organisation's key, whose seal block shows
    the author's seal and the organisation's receipt; or its evidence bundle as received."""
    from assister_log.policy.checks import checklist
    from assister_log.reports.base import ReportInput, SealEvidence
    from assister_log.services import export
    from assister_log.services import settings as defaults
    from assister_log.storage import atomic, evidence

    org = require_organisation(session)
    row = _received_record(session, incident_id, author)
    incident, bundle = received_incident(session, row)
    if kind == "evidence":
        out = out.expanduser()
        if out.is_dir():
            out = out / export.suggested_filename(kind, incident)
        atomic.atomic_write_bytes(out, bundle, what="the evidence bundle")
        return out
    pairs = evidence.chain_of(bundle)
    final, signature = next((e, s) for e, s in pairs if e.kind is ChainEntryKind.FINALIZE)
    key = inbox.author_key(session.vault.store, row.author[:16])
    public_der = next(k for fp, k in key if fp == row.author)
    received_at = inbox.received_at(session.vault.store, row.author, final.position)
    attachments = evidence.attachments_of(bundle)
    data = ReportInput(
        incident=incident,
        checklist=tuple(checklist(incident)),
        contacts=defaults.merged_contacts(None),
        images={
            a.attachment_id: attachments[a.attachment_id]
            for a in incident.attachments
            if a.media_type in export.IMAGE_TYPES and a.attachment_id in attachments
        },
        generated_at=clock.now(),
        seal=SealEvidence(
            key_fingerprint=signing.fingerprint(public_der),
            entry_payload=final.payload().decode("ascii"),
            qr_statement=evidence.qr_statement(final, signature, public_der),
            received_by=org.name,
            received_at=datetime.fromisoformat(received_at) if received_at else None,
            exported_by=org.name,
        ),
    )
    return export.write_pdf(session, data, kind, out, password=password)


@dataclass(frozen=True)
class OrgReport:
    total: int
    purged: int
    by_procedure: dict[str, int]
    by_ground: dict[str, int]
    by_site: dict[str, int]
    by_month: dict[str, int]
    shared_parties: list[tuple[str, str, list[str]]]  # name, case number, authors
    authors: list[inbox.AuthorRow]
    problems: list[inbox.Problem]


def report(session: Session) -> OrgReport:
    require_organisation(session)
    store = session.vault.store
    rows = inbox.records(store, limit=10_000_000)
    held = [r for r in rows if r.state == "held"]
    grounds: Counter[str] = Counter()
    for r in held:
        grounds.update(g for g in r.grounds.split(",") if g)
    parties: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in held:
        if r.party_name.strip() and r.case_number.strip():
            key = (r.party_name.strip().casefold(), r.case_number.strip().casefold())
            parties[key].add(r.author_name)
    display = {
        (r.party_name.strip().casefold(), r.case_number.strip().casefold()): (
            r.party_name.strip(),
            r.case_number.strip(),
        )
        for r in held
    }
    shared = sorted(
        (*display[key], sorted(names)) for key, names in parties.items() if len(names) > 1
    )
    return OrgReport(
        total=len(rows),
        purged=len(rows) - len(held),
        by_procedure=dict(Counter(r.procedure for r in held).most_common()),
        by_ground=dict(grounds.most_common()),
        by_site=dict(Counter(r.site or "(no site)" for r in held).most_common()),
        by_month=dict(sorted(Counter(r.occurred_utc[:7] for r in held).items())),
        shared_parties=shared,
        authors=inbox.authors(store),
        problems=inbox.problems(store),
    )
