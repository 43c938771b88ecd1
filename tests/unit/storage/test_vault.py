"""The vault against the real SQLCipher store: what a user would notice when they create,
unlock, save, finalize, search, back up and restore, and when something is wrong."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from assister_log.errors import (
    BadInput,
    CorruptVault,
    NotAVault,
    NotFound,
    RecordSealed,
    VaultExists,
    VaultLocked,
    WrongSecret,
)
from assister_log.services.session import Session, restore
from assister_log.storage.vault import DB_FILE, KEY_FILE, Filters
from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE, add_as_author


def add(session: Session, name: str = "inappropriate-interaction") -> str:
    """An example record; a staff call is written by MNsure staff (``add_as_author``)."""
    if name == "staff-call":
        data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
        return add_as_author(session, data).incident_id
    return session.add_from_json_file(EXAMPLES / f"{name}.json").incident_id


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_new_vault_is_owner_only_and_has_no_plaintext_header(
    session: Session, vault_dir: Path
) -> None:
    add(session)
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    for path in vault_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert not (vault_dir / DB_FILE).read_bytes().startswith(b"SQLite format 3")


def test_every_connection_keeps_temp_data_in_memory(session: Session) -> None:
    conn = session.vault.conn
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_wrong_passphrase_leaves_files_untouched(created: tuple[Path, str]) -> None:
    folder, _ = created
    before = digest(folder)
    with pytest.raises(WrongSecret, match="passphrase is wrong"):
        Session.unlock(folder, "not the right passphrase at all")
    assert digest(folder) == before


def test_recovery_key_opens_and_a_new_one_revokes_it(created: tuple[Path, str]) -> None:
    folder, recovery = created
    with Session.unlock(folder, recovery.lower().replace("-", " ")) as s:
        new = s.new_recovery_key()
    with pytest.raises(WrongSecret):
        Session.unlock(folder, recovery)
    Session.unlock(folder, new).close()
    Session.unlock(folder, PASSPHRASE).close()


def test_change_passphrase_rewraps_only(created: tuple[Path, str]) -> None:
    folder, recovery = created
    db_before = (folder / DB_FILE).read_bytes()
    with Session.unlock(folder, PASSPHRASE) as s:
        s.change_passphrase("a brand new passphrase for the vault")
    assert (folder / DB_FILE).read_bytes() == db_before
    with pytest.raises(WrongSecret):
        Session.unlock(folder, PASSPHRASE)
    Session.unlock(folder, "a brand new passphrase for the vault").close()
    Session.unlock(folder, recovery).close()


def test_short_or_common_passphrases_are_refused(vault_dir: Path) -> None:
    with pytest.raises(BadInput, match="at least 15"):
        Session.create(vault_dir, "short one", PROFILE)
    assert not vault_dir.exists() or not any(vault_dir.iterdir())


def test_second_instance_gets_a_clear_message(session: Session, vault_dir: Path) -> None:
    with pytest.raises(VaultLocked, match="already open"):
        Session.unlock(vault_dir, PASSPHRASE)


def test_creating_over_an_existing_vault_is_refused(created: tuple[Path, str]) -> None:
    with pytest.raises(VaultExists):
        Session.create(created[0], PASSPHRASE, PROFILE)


def test_missing_vault_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(NotAVault, match="no vault"):
        Session.unlock(tmp_path / "nowhere", PASSPHRASE)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / KEY_FILE).write_bytes(b"just some text\n")
    (foreign / DB_FILE).write_bytes(os.urandom(4096))
    with pytest.raises(CorruptVault, match="damaged"):
        Session.unlock(foreign, PASSPHRASE)


def test_plaintext_sqlite_file_is_not_a_vault(created: tuple[Path, str]) -> None:
    folder, _ = created
    (folder / DB_FILE).unlink()
    sqlite3.connect(folder / DB_FILE).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CorruptVault, match="plain SQLite"):
        Session.unlock(folder, PASSPHRASE)


def test_key_file_of_another_vault_is_refused(tmp_path: Path) -> None:
    a, _ = Session.create(tmp_path / "a", PASSPHRASE, PROFILE)
    b, _ = Session.create(tmp_path / "b", PASSPHRASE, PROFILE)
    a.close()
    b.close()
    (tmp_path / "a" / KEY_FILE).write_bytes((tmp_path / "b" / KEY_FILE).read_bytes())
    with pytest.raises(CorruptVault, match="another vault"):
        Session.unlock(tmp_path / "a", PASSPHRASE)


def test_saved_record_reads_back_and_recorded_at_never_changes(session: Session) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    incident_id = add(session)
    first = session.get(incident_id)
    edited = replace(first, narrative="Rewritten.", recorded_at=datetime(2000, 1, 1, tzinfo=UTC))
    session.save_draft(edited)
    again = session.get(incident_id)
    assert again.narrative == "Rewritten."
    assert again.recorded_at == first.recorded_at


def test_finalize_seals_and_then_refuses_edits(session: Session) -> None:
    incident_id = add(session)
    final = session.finalize(incident_id)
    assert final.seal is not None and final.seal.position == 1
    with pytest.raises(RecordSealed):
        session.save_draft(session.get(incident_id))
    with pytest.raises(RecordSealed):
        session.finalize(incident_id)
    with pytest.raises(RecordSealed):
        session.attach_bytes(incident_id, "x.txt", b"x", "text/plain")
    session.addendum(incident_id, "The consumer called back to apologise.", "New information")
    assert session.get(incident_id).addenda[0].seal.position == 2  # type: ignore[union-attr]
    assert session.verify() == []


def test_addendum_needs_text_and_reason_and_a_final_record(session: Session) -> None:
    incident_id = add(session)
    with pytest.raises(BadInput, match="still a draft"):
        session.addendum(incident_id, "text", "reason")
    session.finalize(incident_id)
    with pytest.raises(BadInput, match="text and the reason"):
        session.addendum(incident_id, "text", " ")


def test_tampering_with_a_sealed_record_is_detected(session: Session) -> None:
    incident_id = add(session)
    session.finalize(incident_id)
    conn = session.vault.conn
    body = json.loads(
        conn.execute("SELECT body FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()[
            0
        ]
    )
    body["narrative"] = "Something else entirely."
    conn.execute(
        "UPDATE incidents SET body = ? WHERE incident_id = ?", (json.dumps(body), incident_id)
    )
    problems = session.verify()
    assert any(incident_id in p and "changed after it was sealed" in p for p in problems)


def test_chain_is_append_only_and_deleting_a_sealed_record_is_detected(session: Session) -> None:
    import sqlcipher3

    incident_id = add(session)
    session.finalize(incident_id)
    conn = session.vault.conn
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM chain")
    conn.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))
    assert any("missing from the vault" in p for p in session.verify())


def test_attachments_are_encrypted_and_hashed(session: Session, vault_dir: Path) -> None:
    incident_id = add(session)
    payload = b"CANARY-ATTACHMENT-" + os.urandom(64)
    attachment = session.attach_bytes(incident_id, "../../etc/photo.png", payload, "image/png")
    assert attachment.filename == "photo.png"
    assert attachment.sha256 == hashlib.sha256(payload).hexdigest()
    assert session.attachment_bytes(attachment.attachment_id) == payload
    session.vault.checkpoint()
    for path in vault_dir.iterdir():
        assert b"CANARY-ATTACHMENT" not in path.read_bytes()


def test_search_finds_names_quotes_notes_without_diacritics(session: Session) -> None:
    a = add(session, "inappropriate-interaction")
    b = add(session, "staff-call")
    c = add(session, "suspected-fraud")
    assert [s.incident_id for s in session.list(query="nguyen")] == [a]
    assert [s.incident_id for s in session.list(query="Соколов")] == [b]
    assert [s.incident_id for s in session.list(query="mushah")] == [
        c
    ]  # prefix of a Somali quote word
    assert [
        s.incident_id for s in session.list(query="nobody check")
    ] == []  # response isn't indexed text
    # Quotes and operators are words, never FTS or SQL syntax.
    assert session.count(query='" OR 1=1 --') == session.count(query="or 1 1")
    session.finalize(c)
    session.addendum(c, "Investigator Haugen asked for the call log.", "Follow-up")
    assert [s.incident_id for s in session.list(query="haugen")] == [c]


def test_filters_and_sorting(session: Session) -> None:
    from assister_log.domain.model import Procedure, Status

    ids = [add(session, n) for n in ("inappropriate-interaction", "suspected-fraud", "staff-call")]
    session.finalize(ids[1])
    assert session.count(Filters(status=Status.FINALIZED)) == 1
    assert [s.incident_id for s in session.list(Filters(procedure=Procedure.STAFF_CALL))] == [
        ids[2]
    ]
    oldest_first = [s.incident_id for s in session.list(sort="occurred", descending=False)]
    assert oldest_first == ids


def test_unknown_id_is_a_clear_error(session: Session) -> None:
    with pytest.raises(NotFound, match="No record with id"):
        session.get("AL-NOPE0000")


def test_backup_restores_into_a_new_folder_and_verifies(session: Session, tmp_path: Path) -> None:
    incident_id = add(session)
    session.finalize(incident_id)
    report = session.backup(tmp_path / "site.albackup")
    assert stat.S_IMODE(report.path.stat().st_mode) == 0o600
    assert session.last_verified_backup() is not None
    assert restore(report.path, tmp_path / "restored", PASSPHRASE) == 1
    with Session.unlock(tmp_path / "restored", PASSPHRASE) as restored:
        assert restored.get(incident_id) == session.get(incident_id)
        assert restored.verify() == []
    with pytest.raises(VaultExists):
        restore(report.path, tmp_path / "restored", PASSPHRASE)


def test_restore_with_wrong_passphrase_leaves_no_trace(session: Session, tmp_path: Path) -> None:
    add(session)
    report = session.backup(tmp_path / "b.albackup")
    with pytest.raises(WrongSecret):
        restore(report.path, tmp_path / "target", "definitely the wrong passphrase")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.albackup", "vault"]


def test_damaged_backup_is_refused(session: Session, tmp_path: Path) -> None:
    add(session)
    report = session.backup(tmp_path / "b.albackup")
    data = bytearray(report.path.read_bytes())
    data[-100] ^= 0x01
    (tmp_path / "bad.albackup").write_bytes(bytes(data))
    with pytest.raises(CorruptVault, match="backup file is damaged"):
        restore(tmp_path / "bad.albackup", tmp_path / "t", PASSPHRASE)
    assert not (tmp_path / "t").exists()


def test_retention_purge_is_recorded_in_the_chain(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retention runs from both the interaction and its seal (verify can check the seal's
    age from the chain alone once the record is gone)."""
    from datetime import timedelta

    from assister_log import clock
    from assister_log.domain.serialization import input_dict

    real_now = clock.now
    old = session.get(add(session))
    data = input_dict(old)
    data["occurred_at"] = (old.occurred_at - timedelta(days=365 * 7)).isoformat()
    data["ended_at"] = None
    data["timeline"] = []
    aged = session.add_from_data(data)
    late = session.add_from_data(data)  # an old interaction, but sealed only today
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(days=365 * 7 - 1))
    session.finalize(aged.incident_id)
    monkeypatch.setattr(clock, "now", real_now)
    session.finalize(late.incident_id)
    recent = add(session)
    session.finalize(recent)
    due = [s.incident_id for s in session.retention_due()]
    assert due == [aged.incident_id]
    for early in (recent, late.incident_id):
        with pytest.raises(BadInput, match="not past the retention period"):
            session.purge([early])
    session.purge(due)
    assert session.count() == 3
    assert session.verify() == []
    with pytest.raises(BadInput, match="at least six"):
        session.set_retention_years(5)


def test_search_pages_are_the_same_whichever_way_they_are_read(session: Session) -> None:
    """Few hits are looked up, many are found by walking the time index: same pages."""
    from dataclasses import replace
    from datetime import timedelta

    from assister_log.domain.model import Status
    from assister_log.storage.queries import _LOOKUP_HITS
    from bench import bulk

    template = session.get(add(session))
    batch = []
    for n in range(_LOOKUP_HITS + 300):
        word = "commonword" if n % 10 else "commonword rareword"
        incident = replace(
            template,
            incident_id=f"AL-B{n:07d}",
            narrative=word,
            occurred_at=template.occurred_at + timedelta(minutes=n % 997),
            ended_at=None,
        )
        batch.append((incident, "attested" if n % 3 == 0 else None))
    bulk.insert_many(session.vault, batch)

    def expected(word: str, status: Status | None = None) -> list[str]:
        rows = [
            (i.occurred_at, i.incident_id)
            for i, a in batch
            if word in i.narrative
            and (status is None or (a is not None) == (status is Status.FINALIZED))
        ]
        from datetime import UTC

        ordered = sorted(
            rows,
            key=lambda r: (
                r[0].astimezone(UTC).isoformat(timespec="seconds"),
                int(
                    session.vault.conn.execute(
                        "SELECT seq FROM incidents WHERE incident_id=?", (r[1],)
                    ).fetchone()[0]
                ),
            ),
            reverse=True,
        )
        return [r[1] for r in ordered]

    for word in ("commonword", "rareword"):
        want = expected(word)
        assert session.count(query=word) == len(want)
        got = [s.incident_id for s in session.list(query=word, limit=150)]
        got += [s.incident_id for s in session.list(query=word, limit=150, offset=150)]
        assert got == want[:300]
    finalized = expected("commonword", Status.FINALIZED)
    assert session.count(Filters(status=Status.FINALIZED), query="commonword") == len(finalized)
    assert [
        s.incident_id
        for s in session.list(Filters(status=Status.FINALIZED), query="commonword", limit=50)
    ] == finalized[:50]
    assert session.verify() == []


def test_search_finds_phone_and_case_numbers_by_any_run_of_three_digits(
    session: Session,
) -> None:
    """Issue 12: "612-555-0148", "0148" found nothing. The example's phone is 612-555-0143,
    its case number APP-4471920, its witness's contact 612-555-0199."""
    a = add(session, "inappropriate-interaction")
    add(session, "staff-call")
    for query in ("612-555-0143", "0143", "5550143", "6125550143", "4471920", "1920", "0199"):
        assert [s.incident_id for s in session.list(query=query)] == [a], query
    for query in ("0144", "612-555-0144", "99999"):
        assert session.list(query=query) == [], query
    assert session.vault.verify() == []  # the index matches what the record says
