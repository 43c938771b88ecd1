"""Issue 5, test 5: a corpus of damaged vaults (bit flips in the salt, the pages, the WAL and
the key file; truncations; empty files; garbage; a plaintext SQLite file; files from another
vault). For every variant, in under 5 s and without a crash:

* refused: a typed CorruptVault / WrongSecret (or another one-line KnownError), and the
  input files are byte-identical afterwards (nothing replayed, checkpointed or deleted);
* or detected: it opens, but ``verify`` (or a read) reports the damage — files again
  byte-identical;
* or intact: the flip hit dead space (a stale page, a WAL frame of an older generation) and
  every record reads back exactly as written.

Never accepted: a vault that opens, verifies clean and is missing an acknowledged commit —
with two documented exceptions SQLite cannot tell from a crash: a WAL cut short (truncated or
emptied), and damage inside the WAL's *last* transaction (it looks exactly like a torn final
write). Both may roll back to an earlier committed state, never to a mix.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assister_log.errors import CorruptVault, KnownError, NotAVault, WrongSecret
from assister_log.services.session import Session
from assister_log.storage.vault import Vault
from tests.conftest import PASSPHRASE, PROFILE, add_as_author
from tests.reliability.support import digest, example_data, file_hashes, records_of, trials

FILES = ("vault.key", "vault.db", "vault.db-wal")
PAGE = 4096
FRAME = 24 + PAGE


@dataclass
class Corpus:
    snapshot: Path  # vault.key, vault.db, vault.db-wal of a live vault (WAL not checkpointed)
    other: Path  # another vault, same passphrase
    other_secret: Path  # another vault, another passphrase
    states: list[str]  # digest of all records after each transaction in the WAL (last = now)
    wal_last_tx_start: int  # byte offset of the first frame of the WAL's last transaction
    plain: Path  # a plaintext SQLite file


def _state(vault: Vault) -> str:
    return digest(records_of(vault))


def _commits(wal: bytes) -> list[int]:
    """Byte offsets just after each commit frame of a WAL."""
    ends = []
    for offset in range(32, len(wal) - FRAME + 1, FRAME):
        if wal[offset + 4 : offset + 8] != b"\0\0\0\0":
            ends.append(offset + FRAME)
    return ends


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("corpus")
    data = example_data()
    session, _recovery = Session.create(root / "live", PASSPHRASE, PROFILE)
    ids = [add_as_author(session, d).incident_id for d in data * 2]  # staff call by staff
    session.finalize(ids[0])
    session.addendum(ids[0], "Called back.", "Follow-up")
    session.attach_bytes(ids[1], "photo.jpg", bytes(range(256)) * 40, "image/jpeg")
    session.vault.checkpoint()
    states = [_state(session.vault)]
    steps: list[Callable[[], Any]] = [
        lambda: session.add_from_data(data[2]),
        lambda: session.finalize(ids[1]),
        lambda: session.addendum(ids[1], "Evidence checked.", "Review"),
        lambda: session.attach_bytes(ids[2], "note.txt", b"n" * 9000, "text/plain"),
        lambda: session.finalize(ids[2]),
    ]
    for step in steps:
        step()
        states.append(_state(session.vault))
    snapshot = root / "snapshot"
    snapshot.mkdir()
    for name in FILES:  # copied while open: the WAL still holds the five transactions
        shutil.copy2(root / "live" / name, snapshot / name)
    session.close()
    wal = (snapshot / "vault.db-wal").read_bytes()
    commits = _commits(wal)
    assert len(commits) == len(steps)

    other_session, _ = Session.create(root / "other", PASSPHRASE, PROFILE)
    other_session.add_from_data(data[0])
    other_session.close()
    third, _ = Session.create(root / "third", "a different passphrase for this", PROFILE)
    third.close()
    plain = root / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE incidents (body TEXT)")
        conn.execute("INSERT INTO incidents VALUES ('Nguyễn Thị Ánh')")
    conn.close()
    return Corpus(snapshot, root / "other", root / "third", states, commits[-2], plain)


# ------------------------------------------------------------------------------ variants


@dataclass
class Variant:
    name: str
    files: dict[str, bytes | None]  # None: the file is absent
    may_roll_back: str = "no"  # "no" | "last" (last WAL transaction) | "any" (WAL cut short)


def flip(data: bytes, position: int, bit: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 1 << bit
    return bytes(changed)


def variants(corpus: Corpus, count: int, seed: int) -> list[Variant]:
    rng = random.Random(seed)
    base = {name: (corpus.snapshot / name).read_bytes() for name in FILES}
    key, db, wal = base["vault.key"], base["vault.db"], base["vault.db-wal"]

    def with_(name: str, data: bytes | None, **kw: Any) -> dict[str, Any]:
        return {"files": {**base, name: data}, **kw}

    def wal_flip() -> dict[str, Any]:
        pos = rng.randrange(len(wal))
        last = pos >= corpus.wal_last_tx_start
        return with_(
            "vault.db-wal", flip(wal, pos, rng.randrange(8)), may_roll_back="last" if last else "no"
        )

    other = {n: (corpus.other / n).read_bytes() for n in ("vault.key", "vault.db")}
    third_key = (corpus.other_secret / "vault.key").read_bytes()
    kinds: list[tuple[str, int, Callable[[], dict[str, Any]]]] = [
        (
            "salt bit flip",
            8,
            lambda: with_("vault.db", flip(db, rng.randrange(16), rng.randrange(8))),
        ),
        (
            "page 1 bit flip",
            6,
            lambda: with_("vault.db", flip(db, rng.randrange(16, PAGE), rng.randrange(8))),
        ),
        (
            "page bit flip",
            24,
            lambda: with_("vault.db", flip(db, rng.randrange(PAGE, len(db)), rng.randrange(8))),
        ),
        ("WAL bit flip", 22, wal_flip),
        (
            "key file bit flip",
            14,
            lambda: with_("vault.key", flip(key, rng.randrange(len(key)), rng.randrange(8))),
        ),
        (
            "db truncated",
            5,
            lambda: with_(
                "vault.db",
                db[
                    : rng.choice([rng.randrange(len(db)), rng.randrange(1, len(db) // PAGE) * PAGE])
                ],
            ),
        ),
        (
            "WAL truncated",
            5,
            lambda: with_("vault.db-wal", wal[: rng.randrange(len(wal))], may_roll_back="any"),
        ),
        ("key file truncated", 3, lambda: with_("vault.key", key[: rng.randrange(len(key))])),
        ("empty file", 2, lambda: with_(rng.choice(FILES), b"", may_roll_back="any")),
        (
            "garbage file",
            3,
            lambda: (
                lambda n: with_(
                    n,
                    rng.randbytes(len(base[n])),
                    may_roll_back="any" if n == "vault.db-wal" else "no",
                )
            )(rng.choice(FILES)),
        ),
        ("plaintext SQLite db", 1, lambda: with_("vault.db", corpus.plain.read_bytes())),
        ("key file of another vault", 1, lambda: with_("vault.key", other["vault.key"])),
        ("key file of a vault with another passphrase", 1, lambda: with_("vault.key", third_key)),
        (
            "db of another vault",
            1,
            lambda: {"files": {**base, "vault.db": other["vault.db"], "vault.db-wal": None}},
        ),
        ("missing file", 1, lambda: with_(rng.choice(["vault.key", "vault.db"]), None)),
        ("swapped pages", 2, lambda: with_("vault.db", swap_pages(db, rng))),
    ]
    names = [k[0] for k in kinds]
    weights = [k[1] for k in kinds]
    makers = dict((k[0], k[2]) for k in kinds)
    out = []
    for i in range(count):
        # every kind at least once, then by weight
        kind = names[i] if i < len(names) else rng.choices(names, weights)[0]
        out.append(Variant(name=kind, **makers[kind]()))
    return out


def swap_pages(db: bytes, rng: random.Random) -> bytes:
    pages = [db[i : i + PAGE] for i in range(0, len(db), PAGE)]
    a, b = rng.sample(range(1, len(pages)), 2)
    pages[a], pages[b] = pages[b], pages[a]
    return b"".join(pages)


# ---------------------------------------------------------------------------- the check


def attempt(folder: Path) -> tuple[str, str, str | None]:
    """Open like a user, verify, read everything. (outcome, detail, state digest)."""
    try:
        vault = Vault.open(folder, PASSPHRASE)
    except (CorruptVault, WrongSecret, NotAVault) as error:
        return "refused", type(error).__name__, None
    except KnownError as error:
        return "refused", f"KnownError: {error}", None
    try:
        problems = vault.verify()
        if problems:
            return "detected", problems[0][:60], None
        try:
            for incident in vault.iter_incidents():
                for attachment in incident.attachments:
                    vault.attachment_bytes(attachment.attachment_id)
            vault.summaries(query="Nguyễn")
            state = _state(vault)
        except KnownError as error:
            return "detected", f"on read: {type(error).__name__}", None
        return "opened clean", "", state
    finally:
        vault.close()


@pytest.mark.slow
def test_corruption_corpus(corpus: Corpus, tmp_path: Path) -> None:
    count = trials(ci=1000, full=5000)
    cases = variants(corpus, count, seed=20260502)
    outcomes: dict[str, int] = {}
    slowest = 0.0
    started = time.monotonic()
    work = tmp_path / "v"
    for number, case in enumerate(cases):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name, data in case.files.items():
            if data is not None:
                (work / name).write_bytes(data)
        before = file_hashes(work)
        t0 = time.monotonic()
        outcome, detail, state = attempt(work)
        elapsed = time.monotonic() - t0
        slowest = max(slowest, elapsed)
        where = f"variant {number} ({case.name}): {outcome} {detail}"
        assert elapsed < 5, where
        after = file_hashes(work)
        if outcome != "opened clean":
            assert {n: after.get(n) for n in before} == before, f"{where}: input files changed"
        else:
            allowed = {
                "no": corpus.states[-1:],
                "last": corpus.states[-2:],
                "any": corpus.states,
            }[case.may_roll_back]
            assert state in allowed, f"{where}: opened clean without every acknowledged commit"
            if state != corpus.states[-1]:
                outcome = "opened clean, WAL rolled back"
        key = f"{case.name}: {outcome}"
        outcomes[key] = outcomes.get(key, 0) + 1
    total = time.monotonic() - started
    summary = json.dumps(dict(sorted(outcomes.items())), indent=1, ensure_ascii=False)
    print(
        f"\ncorruption corpus: {count} variants in {total:.1f} s, slowest {slowest:.2f} s\n{summary}"
    )


def test_a_refused_corrupt_vault_stays_untouched_by_the_cli(corpus: Corpus, tmp_path: Path) -> None:
    """The real CLI (``verify`` and ``list``) on a damaged WAL: one clear line, files unchanged."""
    from tests.reliability.support import one_clear_line, run_cli

    work = tmp_path / "v"
    work.mkdir()
    for name in FILES:
        (work / name).write_bytes((corpus.snapshot / name).read_bytes())
    wal = bytearray((work / "vault.db-wal").read_bytes())
    wal[32 + 24 + 100] ^= 0x10  # the first transaction's first page
    (work / "vault.db-wal").write_bytes(bytes(wal))
    before = file_hashes(work)
    for command in ("verify", "list"):
        result = run_cli(
            "--vault", str(work), "--passphrase-stdin", command, stdin=PASSPHRASE + "\n"
        )
        assert result.returncode == 1
        assert "write-ahead log" in one_clear_line(result.stderr)
    assert {n: h for n, h in file_hashes(work).items() if n in before} == before
