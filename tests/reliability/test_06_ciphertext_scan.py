"""Issue 5, test 6: canaries (UTF-8 and UTF-16) in every field of three records, in the author
profile, an attachment's content, name and description, an attestation and an addendum; the
full CLI flow (init, add, attach, finalize, addendum, backup, restore, verify, search, show,
list, check, new-recovery-key, export (plain and password-protected PDF), a wrong
passphrase and a missing id) with TMPDIR and
SQLITE_TMPDIR pointed at watched folders and HOME / XDG_* at temp folders.

Pass: no canary (nor the passphrase or the recovery key) in any file under the vault, the
restored vault, the backups, HOME, the XDG folders, the temp folders or the crash folder,
nor in any stderr; stdout of show/search/list/check is the explicitly requested output and
is not scanned, nor is the content of the exported PDFs (their file names and metadata
are, and a password-protected PDF's bytes are). No file is created in TMPDIR / SQLITE_TMPDIR at all (inotify sees files
SQLite deletes right after creating them). vault.db, the restored vault.db and the database
inside the backup start without the SQLite header and carry > 7.9 bits of entropy per byte.
The GUI's QSettings / QtProject.conf are covered by the GUI suite (see docs/reliability.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from assister_log.storage.backup import read_backup
from assister_log.storage.database import SQLITE_HEADER
from tests.conftest import EXAMPLES, PASSPHRASE
from tests.reliability.support import Watch, child_env, entropy, run_cli

TEXT_KEYS = {
    "name", "case_number", "phone", "language", "interpreter", "date_of_birth", "address",
    "location", "detail", "information", "note", "speaker", "text", "contact", "role",
    "narrative", "recording_reference", "mailing_address", "day_phone", "evening_phone",
    "best_time", "email", "other_agencies_notified", "response_to_reminder",
}  # fmt: skip


class Canaries:
    """Unique marker strings: an ASCII core (what FTS would index) and a non-ASCII tail."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def new(self) -> str:
        value = f"KNRY{len(self.made):03d}qz Ünïcødé-Ꙁ-ท"
        self.made.append(value)
        return value

    def needles(self, extra: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for value in [*self.made, *extra]:
            core = value.split(" ")[0]
            for label, text in (("full", value), ("core", core), ("lower", core.lower())):
                for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                    found[f"{value!r} {label} {encoding}"] = text.encode(encoding)
        return found


def canary_record(data: Any, canaries: Canaries, key: str = "") -> Any:
    if isinstance(data, dict):
        return {k: canary_record(v, canaries, k) for k, v in data.items()}
    if isinstance(data, list):
        return [canary_record(v, canaries, key) for v in data]
    if isinstance(data, str) and key in TEXT_KEYS:
        return canaries.new()
    return data


def all_files(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in sorted(root.rglob("*")) if p.is_file()]


@pytest.mark.slow
def test_no_record_data_outside_the_ciphertext(tmp_path: Path) -> None:
    canaries = Canaries()
    home = tmp_path / "home"
    tmp, sqltmp, crash = tmp_path / "tmp", tmp_path / "sqltmp", tmp_path / "crash"
    for folder in (home, tmp, sqltmp, crash):
        folder.mkdir()
    env = child_env(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TMPDIR=str(tmp),
        SQLITE_TMPDIR=str(sqltmp),
        ASSISTER_LOG_CRASH_DIR=str(crash),
    )
    vault, restored, backups = tmp_path / "vault", tmp_path / "restored", tmp_path / "backups"
    backups.mkdir()
    inputs = tmp_path / "inputs"  # the user's own source files: not part of the scan
    inputs.mkdir()
    stderr: list[str] = []
    system_temp = [p for p in (Path("/var/tmp"), Path("/tmp")) if p.is_dir()]
    watch = Watch(tmp, sqltmp, *system_temp)

    def cli(*args: str, stdin: str = PASSPHRASE, ok: bool = True, where: Path = vault) -> str:
        result = run_cli(
            "--vault", str(where), "--passphrase-stdin", *args, stdin=stdin + "\n", env=env
        )
        assert (result.returncode == 0) == ok, (args, result.stderr)
        stderr.append(result.stderr)
        return result.stdout

    author = [canaries.new() for _ in range(4)]
    cli("init", "--name", author[0], "--role", "navigator", "--org", author[1],
        "--id", author[2], "--site", author[3])  # fmt: skip
    # The staff procedure is MNsure staff's only: the staff call is in a staff member's vault.
    staff = tmp_path / "staff-vault"
    cli("init", "--name", canaries.new(), "--role", "mnsure-staff", "--org", canaries.new(),
        "--id", canaries.new(), "--site", canaries.new(), where=staff)  # fmt: skip
    ids, firsts = {}, {}
    for path in sorted(EXAMPLES.glob("*.json")):
        firsts[path.stem] = len(canaries.made)
        record = canary_record(json.loads(path.read_bytes()), canaries)
        source = inputs / path.name
        source.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        where = staff if path.stem == "staff-call" else vault
        ids[path.stem] = cli("add", "--from-json", str(source), where=where).strip()
    first, fraud, call = ids["inappropriate-interaction"], ids["suspected-fraud"], ids["staff-call"]
    evidence = inputs / f"{canaries.new()}.txt"
    content = canaries.new()
    evidence.write_bytes(content.encode("utf-8") + b"\n" + content.encode("utf-16"))
    cli("attach", first, str(evidence), "--description", canaries.new())
    cli("finalize", fraud, "--attestation", canaries.new())
    cli("addendum", fraud, "--text", canaries.new(), "--reason", canaries.new())
    cli("finalize", call, "--attestation", canaries.new(), where=staff)
    recovery = cli("new-recovery-key").split("Recovery key: ")[1].split()[0]
    cli("backup", "--out", str(backups / "b.albackup"))
    cli("restore", str(backups / "b.albackup"), where=restored)
    for folder in (vault, restored, staff):
        assert "Vault verified" in cli("verify", where=folder)
    word = canaries.made[firsts["suspected-fraud"] + 1].split(" ")[0]
    assert [row["id"] for row in json.loads(cli("search", word, "--json"))] == [fraud]
    word = canaries.made[firsts["staff-call"] + 1].split(" ")[0]
    assert [row["id"] for row in json.loads(cli("search", word, "--json", where=staff))] == [call]
    assert canaries.made[firsts["inappropriate-interaction"] + 1] in cli("show", first)
    cli("list")
    cli("check", fraud)
    cli("check", call, where=staff)
    cli("show", "AL-NOPE0000", ok=False)
    cli("list", stdin="not the passphrase at all", ok=False)
    exports = tmp_path / "exports"  # explicitly exported output: its content is not scanned
    exports.mkdir()
    pdfs = [Path(cli("export", first, "--kind", "record", "--out", str(exports)).strip())]
    pdfs.append(
        Path(
            cli(
                "export", fraud, "--kind", "record", "--out", str(exports / "locked.pdf"),
                "--password-stdin", stdin=f"{PASSPHRASE}\nPDF password 123",
            ).strip()
        )
    )  # fmt: skip

    created = watch.poll()
    watch.close()
    in_temp = [p for p in created if p.startswith((str(tmp), str(sqltmp)))]
    sqlite_temp = [p for p in created if "etilqs_" in p]
    assert in_temp == [] and sqlite_temp == [], (in_temp, sqlite_temp)

    needles = canaries.needles([PASSPHRASE, recovery])
    hits = []
    scanned = all_files(vault, restored, staff, backups, home, tmp, sqltmp, crash)
    for path in scanned:
        data = path.read_bytes()
        hits += [f"{path.name}: {label}" for label, needle in needles.items() if needle in data]
    for text in stderr:
        hits += [f"stderr: {label}" for label, needle in needles.items() if needle in text.encode()]
    assert hits == [], hits[:20]
    assert any(p.name == "vault.db" for p in scanned)

    for pdf in pdfs:  # the PDFs hold the record, but neither their names nor their metadata
        assert not [label for label, needle in needles.items() if needle in os.fsencode(pdf.name)]
        reader = PdfReader(pdf)
        if reader.is_encrypted:
            assert reader.decrypt("PDF password 123")
            raw = pdf.read_bytes()  # encrypted: no canary in the file's bytes either
            assert not [label for label, needle in needles.items() if needle in raw]
        info = " ".join(str(v) for v in (reader.metadata or {}).values())
        assert "KNRY" not in info and "Ünïcødé" not in info, info

    _header, parts = read_backup((backups / "b.albackup").read_bytes())
    for label, db in (
        ("vault.db", (vault / "vault.db").read_bytes()),
        ("restored vault.db", (restored / "vault.db").read_bytes()),
        ("backup's vault.db", parts["vault.db"]),
    ):
        assert not db.startswith(SQLITE_HEADER), label
        assert entropy(db) > 7.9, (label, entropy(db))
    print(
        f"\nciphertext scan: {len(canaries.made)} canaries x {len(needles) // len(canaries.made)} "
        f"encodings, {len(scanned)} files and {len(stderr)} stderr streams scanned, "
        f"entropy of vault.db {entropy((vault / 'vault.db').read_bytes()):.4f} bits/byte, "
        f"files created in watched temp folders: {len(in_temp)}"
    )
