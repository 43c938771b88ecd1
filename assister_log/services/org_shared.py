"""What both sides of the organisation hand-off share (docs/organisation.md): where the
settings live, destinations and their transports, the organisation's identity and the signed
profile it hands out, and the small file reads and writes around them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from assister_log.errors import BadInput, KnownError
from assister_log.services.session import Session
from assister_log.storage import envelope as env
from assister_log.storage.envelope import EnvelopeError, OrgProfile
from assister_log.transport import Transport, open_transport

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


def read_profile_file(path: Path) -> tuple[OrgProfile, bytes]:
    """A profile file, checked (its signature, recipients, key): the profile and the bytes
    to join with."""
    from assister_log.storage.safe_read import read_regular

    data = read_regular(
        path,
        MAX_PROFILE_BYTES,
        "organisation profile",
        lambda size: f"{path.name} ({size:,} bytes) is far larger than an organisation profile",
    )
    try:
        return env.read_profile(data), data
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


def transport_for(
    destination: dict[str, str], password: str | None, ca_pem: str | None
) -> Transport:
    return open_transport(destination, password=password, ca_pem=ca_pem)
