"""Issue 15 over HTTPS WebDAV: a real wsgidav server on 127.0.0.1 with a self-signed
certificate (tests/support/webdav.py). The navigator sends, the server goes away (queued,
retried), comes back (delivered once), the organisation imports from the same server and
writes receipts there, and the navigator's PDF prints the receipt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assister_log.errors import BadInput
from assister_log.services import org
from assister_log.services.session import Session
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.support.webdav import HttpsServer, webdav_server

USER, PASSWORD = "jamie", "a long webdav password"


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[tuple[HttpsServer, Path]]:
    root = tmp_path / "dav-root"
    root.mkdir()
    with webdav_server(root, USER, PASSWORD) as server:
        yield server, root


def test_round_trip_over_webdav_with_an_outage_in_the_middle(
    dav: tuple[HttpsServer, Path], session: Session, tmp_path: Path
) -> None:
    server, root = dav
    destination = {"kind": "webdav", "url": server.url, "username": USER}
    organisation, _ = org.create_organisation(
        tmp_path / "org", PASSPHRASE, "Northside Health Access", destination,
        password=PASSWORD, ca_pem=server.ca_pem,
    )  # fmt: skip
    with organisation:
        profile = org.profile_bytes(organisation)
        org.join(session, profile, password=PASSWORD, ca_pem=server.ca_pem)
        first = session.add_from_json_file(EXAMPLES / "inappropriate-interaction.json")
        session.finalize(first.incident_id)

        server.stop()
        offline = org.send(session)
        assert offline.sent == 0 and offline.queued == 1 and offline.offline
        server.start()

        second = session.add_from_json_file(EXAMPLES / "suspected-fraud.json")
        session.finalize(second.incident_id)
        online = org.send(session)
        assert (online.sent, online.queued, online.refused) == (2, 0, None)
        stored = sorted(p.name for p in root.rglob("*.age"))
        assert len(stored) == 2 and not list(root.rglob("*.part*"))

        imported = org.import_from_destination(organisation)
        assert (imported.accepted, imported.receipts, imported.refused) == (2, 2, [])
        assert org.import_from_destination(organisation).accepted == 0

        receipts = org.send(session)
        assert receipts.receipts == 2
        got = org.received(session, first.incident_id)
        assert got is not None and got.organisation == "Northside Health Access"


def test_a_wrong_webdav_password_is_refused_and_kept_queued(
    dav: tuple[HttpsServer, Path], session: Session, tmp_path: Path
) -> None:
    server, _root = dav
    destination = {"kind": "webdav", "url": server.url, "username": USER}
    organisation, _ = org.create_organisation(
        tmp_path / "org", PASSPHRASE, "Org", destination, password=PASSWORD
    )
    with organisation:
        profile = org.profile_bytes(organisation)
    org.join(session, profile, password="not the password", ca_pem=server.ca_pem)
    session.finalize(session.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id)
    report = org.send(session)
    assert report.sent == 0 and report.queued == 1
    assert report.refused and "user name or password" in report.refused


def test_an_untrusted_certificate_is_refused(
    dav: tuple[HttpsServer, Path], session: Session, tmp_path: Path
) -> None:
    server, _root = dav
    destination = {"kind": "webdav", "url": server.url, "username": USER}
    organisation, _ = org.create_organisation(tmp_path / "org", PASSPHRASE, "Org", destination)
    with organisation:
        profile = org.profile_bytes(organisation)
    org.join(session, profile, password=PASSWORD)  # no --ca-file
    session.finalize(session.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id)
    report = org.send(session)
    assert report.sent == 0 and report.refused and "certificate" in report.refused


def test_a_webdav_destination_needs_a_password_on_join(
    dav: tuple[HttpsServer, Path], session: Session, tmp_path: Path
) -> None:
    server, _root = dav
    destination = {"kind": "webdav", "url": server.url, "username": USER}
    organisation, _ = org.create_organisation(tmp_path / "org", PASSPHRASE, "Org", destination)
    with organisation:
        profile = org.profile_bytes(organisation)
    with pytest.raises(BadInput, match="password-stdin"):
        org.join(session, profile)
