"""Issue 11: each hand edit an outside review made to a vault, with the passphrase and direct
SQL (signing with the vault's own key where that makes the forgery harder to see), and what
`verify` must say about it. Before the fix, `verify` said "intact" after every one of them."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assister_log import clock
from assister_log.domain.model import ChainEntryKind
from assister_log.errors import IntegrityFailure
from assister_log.services.session import Session
from assister_log.storage import chain, keyfile, signing
from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE


def add(session: Session, name: str = "inappropriate-interaction") -> str:
    return session.add_from_json_file(EXAMPLES / f"{name}.json").incident_id


def finalized(session: Session, name: str = "inappropriate-interaction") -> str:
    incident_id = add(session, name)
    session.finalize(incident_id)
    return incident_id


def body(session: Session, incident_id: str) -> dict[str, Any]:
    row = session.vault.conn.execute(
        "SELECT body FROM incidents WHERE incident_id = ?", (incident_id,)
    ).fetchone()
    return dict(json.loads(row[0]))


def write_body(session: Session, incident_id: str, data: dict[str, Any]) -> None:
    session.vault.conn.execute(
        "UPDATE incidents SET body = ? WHERE incident_id = ?",
        (json.dumps(data, ensure_ascii=False), incident_id),
    )


def signer(session: Session) -> signing.Signer:
    """The vault's own signing key, as someone holding the passphrase can unwrap it."""
    kf = keyfile.parse((session.vault.folder / keyfile.FILE_NAME).read_bytes())
    assert kf.signing is not None
    data_key, _slot = keyfile.unlock(kf, PASSPHRASE)
    private = signing.unwrap(kf.vault_id, data_key, kf.signing)
    return lambda payload: signing.sign(private, payload)


def forge_entry(
    session: Session, kind: ChainEntryKind, incident_id: str, rec_hash: str, when: datetime
) -> chain.ChainEntry:
    """Append a correctly linked and signed entry by hand."""
    conn = session.vault.conn
    chain.append(conn, kind, incident_id, rec_hash, when, signer(session))
    return chain.entries(conn)[-1]


def drop_guards(session: Session) -> None:
    conn = session.vault.conn
    for name in (
        "chain_append_only_delete",
        "chain_signatures_append_only_delete",
        "chain_signatures_append_only_update",
    ):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def test_an_intact_vault_verifies(session: Session) -> None:
    first = finalized(session)
    session.addendum(first, "The caller phoned back.", "New fact")
    finalized(session, "suspected-fraud")
    assert session.verify() == []


def test_deleting_the_newest_entries_and_their_records_is_detected(session: Session) -> None:
    finalized(session)
    newest = finalized(session, "suspected-fraud")
    session.addendum(newest, "Text", "Reason")
    drop_guards(session)
    conn = session.vault.conn
    conn.execute("DELETE FROM chain_signatures WHERE position >= 2")
    conn.execute("DELETE FROM chain WHERE position >= 2")
    conn.execute("DELETE FROM incidents WHERE incident_id = ?", (newest,))
    problems = session.verify()
    assert any("older than this vault's last seal" in p and "2-3" in p for p in problems), problems


def test_a_fake_purge_of_a_recent_record_is_detected(session: Session) -> None:
    victim = finalized(session)
    seal = session.get(victim).seal
    assert seal is not None
    conn = session.vault.conn
    final_entry = chain.entries(conn)[0]
    statement = chain.purge_statement(victim, final_entry, 6)
    chain.append(
        conn,
        ChainEntryKind.PURGE,
        victim,
        hashlib.sha256(statement).hexdigest(),
        clock.now(),
        signer(session),
        statement,
    )
    conn.execute("DELETE FROM attachments WHERE incident_id = ?", (victim,))
    conn.execute("DELETE FROM incidents WHERE incident_id = ?", (victim,))
    problems = session.verify()
    assert any("before its retention period ended" in p for p in problems), problems


def test_a_purge_without_the_rule_is_detected(session: Session) -> None:
    victim = finalized(session)
    conn = session.vault.conn
    forge_entry(session, ChainEntryKind.PURGE, victim, "ab" * 32, clock.now())
    conn.execute("DELETE FROM incidents WHERE incident_id = ?", (victim,))
    problems = session.verify()
    assert any("no retention statement" in p for p in problems), problems


def test_removing_an_addendum_from_its_record_is_detected(session: Session) -> None:
    incident_id = finalized(session)
    session.addendum(incident_id, "Later fact", "Reason")
    data = body(session, incident_id)
    data["addenda"] = []
    write_body(session, incident_id, data)
    problems = session.verify()
    assert any("addendum sealed at chain position 2 is missing" in p for p in problems), problems


def test_replacing_an_attachment_s_bytes_is_detected(session: Session, tmp_path: Path) -> None:
    incident_id = add(session)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8original photo bytes")
    session.attach_file(incident_id, photo)
    session.finalize(incident_id)
    session.vault.conn.execute(
        "UPDATE attachments SET data = ? WHERE incident_id = ?", (b"other bytes", incident_id)
    )
    problems = session.verify()
    assert any("stored bytes do not match its SHA-256" in p for p in problems), problems


@pytest.mark.parametrize("field", ["sealed_at", "previous_hash"])
def test_forging_the_seal_inside_the_record_body_is_detected(session: Session, field: str) -> None:
    incident_id = finalized(session)
    data = body(session, incident_id)
    data["seal"][field] = "2020-01-01T00:00:00+00:00" if field == "sealed_at" else "1" * 64
    write_body(session, incident_id, data)
    problems = session.verify()
    assert any("seal stored in the record" in p for p in problems), problems


def test_a_backdated_addendum_is_detected(session: Session) -> None:
    incident_id = finalized(session)
    finalized(session, "suspected-fraud")
    from assister_log.domain.model import Addendum
    from assister_log.domain.serialization import incident_from_storage, incident_to_dict

    past = clock.now() - timedelta(days=30)
    addendum = Addendum(text="Backdated", reason="Looks earlier", at=past)
    entry = forge_entry(
        session,
        ChainEntryKind.ADDENDUM,
        incident_id,
        chain.addendum_hash(incident_id, addendum),
        past,
    )
    record = incident_from_storage(body(session, incident_id))
    from dataclasses import replace

    from assister_log.domain.model import Seal

    seal = Seal(entry.record_hash, entry.entry_hash, entry.previous_hash, entry.position, past)
    record = replace(record, addenda=(replace(addendum, seal=seal),))
    write_body(session, incident_id, incident_to_dict(record))
    problems = session.verify()
    assert any("backdated" in p for p in problems), problems


def test_editing_list_columns_or_the_search_index_is_detected(session: Session) -> None:
    incident_id = finalized(session)
    conn = session.vault.conn
    conn.execute(
        "UPDATE incidents SET party_name = 'Someone Else' WHERE incident_id = ?", (incident_id,)
    )
    problems = session.verify()
    assert any("list columns" in p for p in problems), problems
    session.vault.rebuild_index()
    assert session.verify() == []
    seq = conn.execute(
        "SELECT seq FROM incidents WHERE incident_id = ?", (incident_id,)
    ).fetchone()[0]
    conn.execute("UPDATE incidents_fts SET names = 'nobody' WHERE rowid = ?", (seq,))
    problems = session.verify()
    assert any("search index" in p for p in problems), problems


def test_swapping_signatures_between_entries_is_detected(session: Session) -> None:
    finalized(session)
    finalized(session, "suspected-fraud")
    conn = session.vault.conn
    sigs = chain.signatures(conn)
    drop_guards(session)
    conn.execute("UPDATE chain_signatures SET signature = ? WHERE position = 1", (sigs[2],))
    problems = session.verify()
    assert any("chain position 1" in p and "signature is not valid" in p for p in problems)


def test_an_entry_signed_by_another_key_is_detected(session: Session) -> None:
    finalized(session)
    conn = session.vault.conn
    other = signing.generate("OTHER", b"\x01" * 32)[0]
    drop_guards(session)
    payload = chain.entries(conn)[0].payload()
    conn.execute(
        "UPDATE chain_signatures SET signature = ? WHERE position = 1",
        (signing.sign(other, payload),),
    )
    assert any("signature is not valid" in p for p in session.verify())


def _copy_vault_db(folder: Path, target: Path, *, with_wal: bool) -> None:
    target.mkdir()
    for name in ("vault.db", "vault.db-wal") if with_wal else ("vault.db",):
        if (folder / name).exists():
            shutil.copy2(folder / name, target / name)


@pytest.mark.parametrize("with_wal", [False, True], ids=["db-alone", "db-and-wal"])
def test_a_rolled_back_database_is_detected_without_any_secret(
    vault_dir: Path, tmp_path: Path, with_wal: bool
) -> None:
    s, _ = Session.create(vault_dir, PASSPHRASE, PROFILE)
    first = finalized(s)
    s.addendum(first, "one", "r")
    s.vault.checkpoint()
    s.close()
    old = tmp_path / "old"
    _copy_vault_db(vault_dir, old, with_wal=with_wal)
    s = Session.unlock(vault_dir, PASSPHRASE)
    second = finalized(s, "suspected-fraud")
    s.addendum(second, "two", "r")
    s.close()
    # Someone without any secret copies the old database back over the current one.
    for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
        (vault_dir / name).unlink(missing_ok=True)
        if (old / name).exists():
            shutil.copy2(old / name, vault_dir / name)
    s = Session.unlock(vault_dir, PASSPHRASE)
    try:
        problems = s.verify()
        assert any(
            "older than this vault's last seal" in p and "positions 3-4" in p and second in p
            for p in problems
        ), problems
    finally:
        s.close()


def test_exporting_a_tampered_record_is_refused(session: Session, tmp_path: Path) -> None:
    from assister_log.services.export import export_pdf

    incident_id = finalized(session)
    data = body(session, incident_id)
    data["narrative"] = "Rewritten after the seal."
    write_body(session, incident_id, data)
    out = tmp_path / "out.pdf"
    with pytest.raises(IntegrityFailure, match="fails verification"):
        export_pdf(session, incident_id, "record", out)
    assert not out.exists()


def test_entry_payloads_are_rfc8785_bytes(session: Session) -> None:
    """The chain hashes entries with the fast canonical JSON; it must be exactly what the
    rfc8785 library writes, or a third party could not recompute the hash."""
    import rfc8785

    from assister_log.storage import chain

    for position, incident_id in ((1, "AL-7JDB726N"), (2**40, 'odd "id" \\ é \u2028 \x01')):
        payload = chain.entry_payload(position, "finalize", incident_id, "a" * 64, "0" * 64,
                                      "2026-12-03T09:00:00.123456-06:00")  # fmt: skip
        fields = {
            "position": position, "kind": "finalize", "incident_id": incident_id,
            "record_hash": "a" * 64, "previous_hash": "0" * 64,
            "sealed_at": "2026-12-03T09:00:00.123456-06:00",
        }  # fmt: skip
        assert payload == rfc8785.dumps(fields)
