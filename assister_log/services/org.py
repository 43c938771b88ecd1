"""The organisation hand-off (docs/organisation.md), both sides.

Navigator: ``join`` an organisation with the signed profile it hands out; every chain entry
(finalize, addendum, purge) is then queued; ``send`` seals each into an envelope (the
record's evidence bundle and the author's chain head, signed, age-encrypted to the
organisation), puts it on the destination, and fetches and verifies the organisation's
receipts. Organisation: ``create_organisation`` makes the organisation's own vault (its age
identity and receipt key inside it); ``import_envelopes`` decrypts, verifies signatures and
each author's chain continuity, stores each envelope in one transaction and writes a signed
receipt back; ``report`` counts.

The destination never sees a name: envelopes are encrypted before they leave the vault and
named by key fingerprint, chain position and entry hash.
"""

from __future__ import annotations

import base64
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assister_log import clock
from assister_log.domain.model import ChainEntryKind, Incident
from assister_log.domain.serialization import clean_text, time_text
from assister_log.errors import BadInput, KnownError, NotFound
from assister_log.services.session import Session
from assister_log.storage import delivery, inbox, signing
from assister_log.storage import envelope as env
from assister_log.storage.envelope import EnvelopeError, OrgProfile
from assister_log.storage.kdf import KdfParams
from assister_log.storage.vault import Vault
from assister_log.transport import Refused, Transport, TransportError, Unreachable, open_transport

ORG_SETTING = "organisation"  # organisation vault: name, id, age identity
JOINED_SETTING = "organisation_joined"  # navigator vault: the profile, credentials
MAX_PROFILE_BYTES = env.MAX_PROFILE_BYTES
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after ``attempts`` failed tries: 1, 2, 4 … minutes, at most an hour."""
    delay: timedelta = FIRST_RETRY * (2 ** max(0, attempts - 1))
    return min(delay, LONGEST_RETRY)


# ------------------------------------------------------------------------ destinations


def destination_from_options(
    folder: str | None, url: str | None, username: str | None
) -> dict[str, str] | None:
    if folder and url:
        raise BadInput("Give either a folder or a WebDAV URL as the destination, not both.")
    if folder:
        return {"kind": "folder", "path": str(Path(folder).expanduser())}
    if url:
        if not url.startswith("https://"):
            raise BadInput(
                f"The WebDAV URL {url} is not https://: credentials and envelopes travel only "
                "over HTTPS. Give the https:// address."
            )
        return {"kind": "webdav", "url": url, "username": username or ""}
    return None


def describe_destination(destination: dict[str, str]) -> str:
    if destination.get("kind") == "webdav":
        return f"WebDAV {destination.get('url', '')}"
    return f"folder {destination.get('path', '')}"


# -------------------------------------------------------------------- organisation side


@dataclass(frozen=True)
class Organisation:
    name: str
    org_id: str
    identity: str  # AGE-SECRET-KEY-1…
    recipient: str  # age1…
    destination: dict[str, str]
    created_at: str
    password: str | None = None
    ca_pem: str | None = None


def organisation_of(session: Session) -> Organisation | None:
    stored = session.vault.get_setting(ORG_SETTING)
    if stored is None:
        return None
    return Organisation(
        name=stored["name"],
        org_id=stored["id"],
        identity=stored["identity"],
        recipient=stored["recipient"],
        destination=dict(stored["destination"]),
        created_at=stored["created_at"],
        password=stored.get("password"),
        ca_pem=stored.get("ca_pem"),
    )


def require_organisation(session: Session) -> Organisation:
    org = organisation_of(session)
    if org is None:
        raise KnownError(
            "This vault is not an organisation's vault: create one with `assister-log org init`."
        )
    return org


def profile_of(session: Session, org: Organisation) -> OrgProfile:
    return OrgProfile(
        name=org.name,
        org_id=org.org_id,
        recipients=(org.recipient,),
        receipt_key=session.vault.public_key_der(),
        destination=org.destination,
        created_at=org.created_at,
    )


def profile_bytes(session: Session) -> bytes:
    """The signed profile file to hand out (ECDSA signatures differ each time; the
    profile inside, and its fingerprint, do not)."""
    org = require_organisation(session)
    return env.write_profile(profile_of(session, org), session.vault.sign)


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


def _import_one(
    session: Session, org: Organisation, transport: Transport, name: str, report: ImportReport
) -> str:
    store = session.vault.store
    now = time_text(clock.now())
    data = transport.get(name, env.MAX_ENVELOPE_BYTES)
    if data is None:
        return "gone"
    label = name.rsplit("/", 2)
    short = "/".join(label[-2:])
    try:
        envelope = env.open_envelope(env.decrypt(data, org.identity), org.org_id)
    except EnvelopeError as error:
        _refuse(session, report, name, None, error.kind, f"{short}: {error}", now)
        return "refused"
    author = envelope.author
    entry = envelope.entry
    who = _author_label(author)
    named = env.parse_envelope_name(name)
    if named is not None and named[0] != author.fingerprint[:16]:
        _refuse(
            session,
            report,
            name,
            author.fingerprint,
            "foreign",
            f"{short}: signed by {who}, a different key from the author its folder names — "
            "a foreign or planted envelope; ignored",
            now,
        )
        return "refused"
    if named != (author.fingerprint[:16], entry.position, entry.entry_hash[:16]):
        _refuse(
            session,
            report,
            name,
            author.fingerprint,
            "replayed",
            f"{short} from {who}: the file holds entry {entry.position} "
            f"({entry.entry_hash[:16]}), not what its name says — a replayed, renamed or "
            "reordered envelope; ignored",
            now,
        )
        return "refused"
    stored = inbox.entry_hash_at(store, author.fingerprint, entry.position)
    if stored is not None and stored != entry.entry_hash:
        _refuse(
            session,
            report,
            name,
            author.fingerprint,
            "rewritten",
            f"{short} from {who}: entry {entry.position} differs from the one already "
            "received — the author's history was rewritten (a restored old backup or an "
            "altered vault); the first one is kept",
            now,
        )
        return "refused"
    if stored is not None:
        report.already += 1
        return "already"
    previous = (
        env.GENESIS
        if entry.position == 1
        else inbox.entry_hash_at(store, author.fingerprint, entry.position - 1)
    )
    if previous is None:
        report.waiting.append(
            f"{who}: entry {entry.position} waits for entry {entry.position - 1}, which has "
            "not arrived yet"
        )
        return "gap"
    if previous != entry.previous_hash:
        _refuse(
            session,
            report,
            name,
            author.fingerprint,
            "forked",
            f"{short} from {who}: entry {entry.position} does not follow entry "
            f"{entry.position - 1} as received — a forked chain; refused",
            now,
        )
        return "refused"
    head_seen = inbox.entry_hash_at(store, author.fingerprint, envelope.head.position)
    if head_seen is not None and head_seen != envelope.head.entry_hash:
        _refuse(
            session,
            report,
            name,
            author.fingerprint,
            "rewritten",
            f"{short} from {who}: its chain head (entry {envelope.head.position}) differs "
            "from the entry received at that position — a rewritten history; refused",
            now,
        )
        return "refused"
    new_author = entry.position == 1 or not inbox.author_key(store, author.fingerprint[:16])
    inbox.accept(store, envelope, name, now)
    report.accepted += 1
    if new_author and entry.position == 1:
        report.new_authors.append(who)
    _write_receipt(session, org, transport, envelope, now)
    report.receipts += 1
    return "accepted"


def _refuse(
    session: Session,
    report: ImportReport,
    name: str,
    author: str | None,
    kind: str,
    message: str,
    now: str,
) -> None:
    inbox.record_problem(session.vault.store, name, author, kind, message, now)
    report.refused.append(message)


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


# ----------------------------------------------------------------------- navigator side


@dataclass(frozen=True)
class Joined:
    profile: OrgProfile
    destination: dict[str, str]
    password: str | None
    ca_pem: str | None
    joined_at: str


def read_profile_file(path: Path) -> OrgProfile:
    from assister_log.storage.safe_read import read_regular

    data = read_regular(
        path,
        MAX_PROFILE_BYTES,
        "organisation profile",
        lambda size: f"{path.name} ({size:,} bytes) is far larger than an organisation profile",
    )
    try:
        return env.read_profile(data)
    except EnvelopeError as error:
        raise BadInput(
            f"{path.name} is not a usable organisation profile: {error}. Ask the "
            "organisation for its profile file again."
        ) from None


def read_ca_file(path: Path) -> str:
    """A CA certificate (PEM) to trust for a WebDAV server with its own certificate."""
    from assister_log.storage.safe_read import read_regular

    data = read_regular(
        path,
        256 * 1024,
        "CA certificate",
        lambda size: f"{path.name} ({size:,} bytes) is too large for a certificate file",
    )
    text = data.decode("ascii", errors="replace")
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise BadInput(f"{path.name} holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
    return text


def write_file(path: Path, data: bytes, what: str) -> Path:
    """Write a profile (or another hand-off file) atomically, owner-only."""
    from assister_log.storage import atomic

    path = path.expanduser()
    if not path.parent.is_dir():
        raise BadInput(f"The folder {path.parent} does not exist: create it or choose another.")
    atomic.atomic_write_bytes(path, data, what=what)
    return path


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


def transport_for(destination: dict[str, str], password: str | None, ca_pem: str | None) -> Any:
    return open_transport(destination, password=password, ca_pem=ca_pem)


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


__all__ = [
    "ImportReport",
    "Joined",
    "OrgReport",
    "Organisation",
    "Refused",
    "SendReport",
    "Unreachable",
]
