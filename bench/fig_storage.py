"""Storage figures: saving a record, full-text search, encrypted backup with verification."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from assister_log.domain.model import Incident, Profile, Role
from assister_log.domain.serialization import incident_to_dict, parse_new_incident
from assister_log.services.session import Session
from assister_log.storage.vault import Vault, fts_query
from bench import vaults
from bench.core import Row, Target, median_ms, paired
from bench.synth import RecordMaker

SAVE_TARGET = Target(ratio=2)
SEARCH_TARGET = Target(ratio=1.5)
SEARCH_TARGET_100K = Target(ratio=1.5, absolute=20)
BACKUP_TARGET = Target(ratio=3)
PROFILE = Profile("Jamie Ortiz", Role.NAVIGATOR)


def _copy_vault(size: int, name: str) -> Path:
    target = vaults.scratch(name) / "vault"
    shutil.copytree(vaults.ensure(size), target)
    (target / "vault.lock").unlink(missing_ok=True)
    return target


def _bare_database(folder: Path) -> Any:
    """A bare SQLCipher database: raw key, WAL, synchronous=FULL, one table, no FTS."""
    conn = sqlcipher3.connect(str(folder / "bare.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{secrets.token_hex(32)}'\"")
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    return conn


def save(size: int, reps: int) -> list[Row]:
    """Vault.save_draft (commit + FTS) beside a bare single-row SQLCipher commit."""
    folder = _copy_vault(size, "save")
    maker = RecordMaker(seed=99)
    with Vault.open(folder, vaults.PASSPHRASE) as vault:

        def draft() -> Incident:
            data = maker.make()
            recorded = datetime.fromisoformat(data["occurred_at"]) + timedelta(hours=1)
            return parse_new_incident(
                data, incident_id=vault.new_id(), author=PROFILE, recorded_at=recorded
            )

        drafts = iter([draft() for _ in range(reps + 2)])  # + warm-up + the edited one
        edited = [next(drafts)]
        body = json.dumps(incident_to_dict(edited[0]), ensure_ascii=False)  # as stored
        conn = _bare_database(folder.parent)

        def bare() -> None:
            conn.execute("INSERT INTO t (body) VALUES (?)", (body,))

        def edit() -> None:
            edited[0] = vault.save_draft(
                replace(edited[0], narrative=edited[0].narrative + " Edited.")
            )

        new, floor_new = paired(lambda: vault.save_draft(next(drafts)), bare, reps)
        edits, floor_edit = paired(edit, bare, reps)
        conn.close()
    shutil.rmtree(folder.parent, ignore_errors=True)
    label = f"{size // 1000}k-record vault"
    return [
        Row(
            f"save a record: new draft ({label})",
            SAVE_TARGET,
            median_ms(new),
            median_ms(floor_new),
            reps=reps,
        ),
        Row(
            f"save a record: edit a draft ({label})",
            SAVE_TARGET,
            median_ms(edits),
            median_ms(floor_edit),
            reps=reps,
            note=f"floor: INSERT of a {len(body.encode()) / 1000:.1f} KB row into a bare "
            "SQLCipher table (raw key, WAL, synchronous=FULL, no FTS), same disk",
        ),
    ]


def search_terms(vault: Vault) -> list[str]:
    """What users type: names (Latin and native script), a case number, words, prefixes."""
    first = vault.get(vault.summaries(limit=1, sort="occurred", descending=False)[0].incident_id)
    return [
        "Nguyễn Thị Ánh",
        "Xiong",
        "김민준",
        "محمد",
        "Соколов",
        "Caalaa Tufaa",
        first.party.case_number,
        "windows",
        "immigration privacy",
        "interp",
        "W-2",
        "lease",
    ]


def search(size: int, reps: int, sizes_label: str) -> Row:
    """Vault.summaries(query=…) (first page, joined, sorted) beside bare FTS5 MATCH."""
    with Vault.open(vaults.ensure(size), vaults.PASSPHRASE) as vault:
        conn = vault.conn
        app, bare, detail = [], [], []
        for term in search_terms(vault):
            match = fts_query(term)
            a, b = map(
                median_ms,
                paired(
                    lambda t=term: vault.summaries(query=t),
                    lambda m=match: conn.execute(
                        "SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?", (m,)
                    ).fetchall(),
                    reps,
                ),
            )
            hits = vault.count(query=term)
            app.append(a)
            bare.append(b)
            detail.append((a, b, term, hits))
    worst = max(detail)
    target = SEARCH_TARGET_100K if size >= 100_000 else SEARCH_TARGET
    return Row(
        f"full-text search, {sizes_label} records (median of {len(app)} queries)",
        target,
        statistics.median(app),
        statistics.median(bare),
        reps=reps,
        note=f"slowest query {worst[2]!r} ({worst[3]:,} hits): {worst[0]:.1f} ms vs bare "
        f"{worst[1]:.1f} ms; per query, app/bare ms: "
        + "; ".join(f"{t!r} ({n:,} hits) {a:.1f}/{b:.1f}" for a, b, t, n in detail),
    )


def _fsync_copy(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with open(dst, "rb+") as handle:
        os.fsync(handle.fileno())


def backup(size: int, reps: int) -> Row:
    """Session.backup (write, read back, open and verify the copy) beside copying the files."""
    folder = vaults.ensure(size)
    out_dir = vaults.scratch("backup")
    with Session(Vault.open(folder, vaults.PASSPHRASE)) as session:
        runs, copies = iter(range(reps + 1)), iter(range(reps + 1))
        vault_bytes = sum((folder / n).stat().st_size for n in ("vault.db", "vault.key"))

        def copy() -> None:
            target = out_dir / f"copy{next(copies)}"
            target.mkdir()
            for name in ("vault.db", "vault.key"):
                _fsync_copy(folder / name, target / name)

        app, floor = paired(lambda: session.backup(out_dir / f"b{next(runs)}.albackup"), copy, reps)
    shutil.rmtree(out_dir, ignore_errors=True)
    return Row(
        f"encrypted backup + verification, {size // 1000}k records",
        BACKUP_TARGET,
        median_ms(app),
        median_ms(floor),
        reps=reps,
        note=f"vault files {vault_bytes / 1e6:.0f} MB; floor = copy + fsync of vault.db and "
        "vault.key",
    )
