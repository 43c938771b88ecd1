"""Issue 15: sealed records delivered end-to-end encrypted to the organisation's own storage
(here a folder; tests/unit/org/test_webdav_handoff.py does it over HTTPS WebDAV), imported
with every signature and each author's chain continuity checked, and signed receipts that
the navigator verifies and the PDF prints."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from assister_log import clock
from assister_log.domain.model import Profile, Role
from assister_log.services import org
from assister_log.services.export import export_pdf
from assister_log.services.session import Session, restore
from assister_log.storage import envelope as env
from assister_log.storage import evidence
from assister_log.transport import Folder
from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE

ORG_NAME = "Northside Health Access"


@dataclass
class World:
    share: Path
    org: Session
    profile: bytes
    navigator: Session
    tmp: Path

    def transport(self) -> Folder:
        return Folder(self.share)

    def seal(self, example: str = "inappropriate-interaction.json") -> str:
        incident_id = self.navigator.add_from_json_file(EXAMPLES / example).incident_id
        self.navigator.finalize(incident_id)
        return incident_id

    def envelopes(self) -> list[str]:
        return self.transport().list(env.ENVELOPES)


@pytest.fixture
def world(tmp_path: Path, session: Session) -> Iterator[World]:
    share = tmp_path / "share"
    share.mkdir()
    org_session, _ = org.create_organisation(
        tmp_path / "org-vault", PASSPHRASE, ORG_NAME, {"kind": "folder", "path": str(share)}
    )
    profile = org.profile_bytes(org_session)
    org.join(session, profile)
    yield World(share, org_session, profile, session, tmp_path)
    org_session.close()


def test_sealed_records_go_to_the_organisation_encrypted_and_come_back_with_receipts(
    world: World, tmp_path: Path
) -> None:
    first = world.seal()
    second = world.seal("suspected-fraud.json")
    world.navigator.addendum(first, "The caller phoned back at 16:10.", "New fact")
    draft = world.navigator.add_from_json_file(EXAMPLES / "inappropriate-interaction.json")
    draft = draft.incident_id

    sent = org.send(world.navigator)
    assert (sent.sent, sent.queued) == (3, 0)
    names = world.envelopes()
    assert len(names) == 3
    # Nothing personal on the destination: no id, no name, only ciphertext.
    raw = b"".join((world.share / n).read_bytes() for n in names)
    for secret in (first, second, draft, "APP-4471920", "Nguyễn", "Abdirahman", PROFILE.name):
        assert secret not in " ".join(names)
        assert secret.encode() not in raw
    assert all(
        data.startswith(b"age-encryption.org/v1")
        for data in [(world.share / n).read_bytes() for n in names]
    )

    imported = org.import_envelopes(world.org, world.transport())
    assert (imported.accepted, imported.receipts, imported.refused) == (3, 3, []), imported.lines()
    assert len(imported.new_authors) == 1 and PROFILE.name in imported.new_authors[0]
    rows = org.inbox_records(world.org)
    assert sorted(r.incident_id for r in rows) == sorted([first, second])
    assert draft not in {r.incident_id for r in rows}

    back = org.send(world.navigator)
    assert (back.sent, back.receipts, back.bad_receipts) == (0, 3, [])
    assert org.delivery_states(world.navigator) == {first: "received", second: "received"}

    pdf = export_pdf(world.navigator, first, "record", tmp_path / "a.pdf")
    text = " ".join(extract_text(str(pdf)).split())
    assert f"Received by {ORG_NAME} on" in text and "receipt verified" in text

    # The organisation prints the received record, with both addenda-era seals intact.
    out = org.export_received(world.org, first, "record", tmp_path / "org.pdf")
    org_text = " ".join(extract_text(str(out)).split())
    assert first in org_text and "phoned back at 16:10" in org_text
    assert f"exported by {ORG_NAME}" in org_text


def test_the_age_tool_decrypts_an_envelope_with_the_organisations_identity(
    world: World, tmp_path: Path
) -> None:
    age = shutil.which("age")
    if age is None:
        pytest.skip("the age command-line tool is not installed (apt install age)")
    world.seal()
    org.send(world.navigator)
    identity = tmp_path / "identity.txt"
    identity.write_text(org.require_organisation(world.org).identity + "\n")
    envelope_file = world.share / world.envelopes()[0]
    plain = subprocess.run(
        [age, "-d", "-i", str(identity), str(envelope_file)], capture_output=True, check=True
    ).stdout
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        body = json.loads(archive.read(env.ENVELOPE_JSON))
        assert archive.namelist() == [env.ENVELOPE_JSON, env.ENVELOPE_SIG, env.BUNDLE]
    assert body["format"] == "assister-log-envelope" and body["entry"]["position"] == 1


def _refused(world: World, words: str) -> org.ImportReport:
    report = org.import_envelopes(world.org, world.transport())
    assert report.accepted == 0, report.lines()
    assert len(report.refused) == 1 and words in report.refused[0], report.lines()
    return report


def test_a_changed_byte_in_an_envelope_is_refused(world: World) -> None:
    world.seal()
    org.send(world.navigator)
    path = world.share / world.envelopes()[0]
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01
    path.write_bytes(bytes(data))
    _refused(world, "cannot be decrypted with this organisation's key")
    assert org.report(world.org).problems[0].kind == "foreign"


def test_an_envelope_re_encrypted_with_altered_content_is_refused(world: World) -> None:
    """Anyone can encrypt to the organisation's public recipient: the author's signatures,
    not the encryption, make an envelope genuine."""
    world.seal()
    org.send(world.navigator)
    name = world.envelopes()[0]
    identity = org.require_organisation(world.org).identity
    plain = env.decrypt((world.share / name).read_bytes(), identity)
    members, _ = evidence.read_members(plain, env.ENVELOPE_JSON)
    assert b"APP-4471920" in members[env.BUNDLE]
    members[env.BUNDLE] = members[env.BUNDLE].replace(b"APP-4471920", b"APP-4471921")
    forged = evidence.pack_members(list(members.items()))
    recipient = org.require_organisation(world.org).recipient
    (world.share / name).write_bytes(env.encrypt(forged, (recipient,)))
    _refused(world, "content was changed")


def test_an_envelope_for_another_organisation_is_refused(world: World, tmp_path: Path) -> None:
    other, _ = org.create_organisation(
        tmp_path / "other-org", PASSPHRASE, "Other Org", {"kind": "folder", "path": str(tmp_path)}
    )
    with other:
        other_profile = org.profile_bytes(other)
    world.seal()
    joined = org.require_joined(world.navigator)
    foreign = org.Joined(
        env.read_profile(other_profile), joined.destination, None, None, joined.joined_at
    )
    name, data = org.build_envelope(world.navigator, foreign, 1)
    world.transport().put(name, data)
    _refused(world, "another organisation")


def test_a_replayed_envelope_under_another_name_is_refused_and_nothing_is_stored_twice(
    world: World,
) -> None:
    world.seal()
    org.send(world.navigator)
    assert org.import_envelopes(world.org, world.transport()).accepted == 1
    first = world.envelopes()[0]
    fake = first.replace("0000000001-", "0000000002-")
    shutil.copy(world.share / first, world.share / fake)
    _refused(world, "replayed")
    again = org.import_envelopes(world.org, world.transport())
    assert again.accepted == 0 and len(org.inbox_records(world.org)) == 1


def test_envelopes_arriving_out_of_order_wait_for_the_gap_then_import(world: World) -> None:
    world.seal()
    world.seal("suspected-fraud.json")
    org.send(world.navigator)
    names = world.envelopes()
    held = world.tmp / "held"
    held.write_bytes((world.share / names[0]).read_bytes())
    (world.share / names[0]).unlink()
    waiting = org.import_envelopes(world.org, world.transport())
    assert waiting.accepted == 0 and "waits for entry 1" in waiting.waiting[0]
    (world.share / names[0]).write_bytes(held.read_bytes())
    done = org.import_envelopes(world.org, world.transport())
    assert (done.accepted, done.refused, done.waiting) == (2, [], [])


def test_a_rewritten_history_and_a_fork_are_refused(world: World, tmp_path: Path) -> None:
    """The navigator restores an older backup and seals new records at positions the
    organisation has already received: the first history is kept, the new one refused."""
    world.seal()
    world.navigator.backup(tmp_path / "old.alb")
    world.seal("suspected-fraud.json")
    org.send(world.navigator)
    assert org.import_envelopes(world.org, world.transport()).accepted == 2
    restore(tmp_path / "old.alb", tmp_path / "restored", PASSPHRASE)
    with Session.unlock(tmp_path / "restored", PASSPHRASE) as rolled_back:
        rewrite = rolled_back.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id
        rolled_back.finalize(rewrite)
        rolled_back.finalize(
            rolled_back.add_from_json_file(EXAMPLES / "inappropriate-interaction.json").incident_id
        )
        org.send(rolled_back)
    report = org.import_envelopes(world.org, world.transport())
    assert report.accepted == 0
    assert any("history was rewritten" in r for r in report.refused), report.lines()
    assert any("forked" in r or "rewritten" in r for r in report.refused[1:]), report.lines()
    assert rewrite not in {r.incident_id for r in org.inbox_records(world.org)}


def test_offline_then_online_delivers_everything_exactly_once(world: World) -> None:
    world.seal()
    world.seal("suspected-fraud.json")
    joined = org.require_joined(world.navigator)
    unplugged = world.tmp / "unplugged"
    org.join(
        world.navigator,
        world.profile,
        destination={"kind": "folder", "path": str(unplugged)},
    )
    report = org.send(world.navigator)
    assert report.sent == 0 and report.queued == 2 and report.offline
    pending = org.queue_state(world.navigator).pending
    assert pending[0].attempts == 1 and pending[0].next_attempt_at is not None
    # The GUI's automatic sending waits for the back-off; an explicit send does not.
    assert org.due(world.navigator) == pending[1:]
    org.join(world.navigator, world.profile, destination=joined.destination)
    online = org.send(world.navigator)
    assert (online.sent, online.queued) == (2, 0)
    assert org.send(world.navigator).sent == 0
    imported = org.import_envelopes(world.org, world.transport())
    assert imported.accepted == 2
    assert org.import_envelopes(world.org, world.transport()).accepted == 0
    assert len(world.envelopes()) == 2


def test_a_purge_reaches_the_organisation_and_removes_the_consumers_data(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = world.seal()
    org.send(world.navigator)
    org.import_envelopes(world.org, world.transport())
    later = clock.now() + timedelta(days=365 * 7)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert world.navigator.purge([incident_id]) == 1
    assert org.send(world.navigator).sent == 1
    assert org.import_envelopes(world.org, world.transport()).accepted == 1
    (row,) = org.inbox_records(world.org)
    assert row.state == "purged" and row.party_name == "" and row.case_number == ""
    summary = org.report(world.org)
    assert (summary.total, summary.purged) == (1, 1)


def test_the_report_counts_and_flags_a_party_seen_by_two_authors(
    world: World, tmp_path: Path
) -> None:
    world.seal()
    org.send(world.navigator)
    other_profile = Profile("Sam Lee", Role.BROKER, "BRK-1", "Northside", "Midway Library")
    other, _ = Session.create(tmp_path / "second-navigator", PASSPHRASE, other_profile)
    with other:
        org.join(other, world.profile)
        other.finalize(
            other.add_from_json_file(EXAMPLES / "inappropriate-interaction.json").incident_id
        )
        org.send(other)
    imported = org.import_envelopes(world.org, world.transport())
    assert imported.accepted == 2 and len(imported.new_authors) == 2
    summary = org.report(world.org)
    assert summary.total == 2 and len(summary.authors) == 2
    assert sum(summary.by_procedure.values()) == 2
    assert set(summary.by_site) == {PROFILE.site, "Midway Library"}
    assert len(summary.shared_parties) == 1
    name, case, authors = summary.shared_parties[0]
    assert (name, case) == ("Nguyễn Thị Ánh", "APP-4471920")
    assert authors == sorted([PROFILE.name, "Sam Lee"])


def test_a_changed_profile_file_is_refused_on_join(world: World, session: Session) -> None:
    from assister_log.errors import BadInput

    data = json.loads(world.profile)
    data["profile"]["recipients"] = ["age1" + "q" * 58]
    with pytest.raises(BadInput, match="signature does not match"):
        org.join(session, json.dumps(data).encode())


def test_a_forged_receipt_is_not_stored_or_printed(world: World) -> None:
    incident_id = world.seal()
    org.send(world.navigator)
    org.import_envelopes(world.org, world.transport())
    (name,) = world.transport().list(env.RECEIPTS)
    receipt = json.loads((world.share / name).read_text())
    receipt["receipt"]["received_at"] = "2020-01-01T00:00:00+00:00"
    (world.share / name).write_text(json.dumps(receipt))
    report = org.send(world.navigator)
    assert report.receipts == 0 and "not signed by the organisation" in report.bad_receipts[0]
    assert org.received(world.navigator, incident_id) is None


def test_an_envelope_signed_by_another_key_under_an_authors_folder_is_refused(
    world: World, tmp_path: Path
) -> None:
    world.seal()
    org.send(world.navigator)
    assert org.import_envelopes(world.org, world.transport()).accepted == 1
    stranger, _ = Session.create(tmp_path / "stranger", PASSPHRASE, PROFILE)
    with stranger:
        org.join(stranger, world.profile)
        stranger.finalize(
            stranger.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id
        )
        name, data = org.build_envelope(stranger, org.require_joined(stranger), 1)
    (real,) = world.envelopes()
    planted = (
        real.rsplit("/", 1)[0] + "/" + name.rsplit("/", 1)[1].replace("0000000001", "0000000002")
    )
    world.transport().put(planted, data)
    report = _refused(world, "a different key from the author its folder names")
    assert report.refused and len(org.inbox_records(world.org)) == 1
