"""Issue 14, test 17: hostile input is refused fast, in one clear line, with bounded memory,
and the vault is left byte-identical.

Each case runs the real CLI (test-sized Argon2) in a child process, timed, and reads the
child's peak RSS (VmHWM, written by ``measured_cli.py`` as it exits). The inputs: a named pipe with no writer
(reading it would hang for ever while holding the vault lock), ``/dev/zero`` (never ends), a
folder, a 2 GB sparse file (``truncate``: no disk space used, but reading it would cost
2 GB of memory), standard input from ``/dev/zero``, a backup header nested 100,000 levels
deep, key files asking for Argon2 settings no creation can pick, symlinks planted inside
the vault folder, and a vault folder other users can read.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.reliability.support import HERE, child_env, file_hashes, make_vault, one_clear_line

MEASURED_CLI = HERE / "measured_cli.py"
LIMIT_SECONDS = 2.0
SPARSE_BYTES = 2 * 1024**3
# A child that read a 2 GB file (or 16 MB+ of stdin twice over) would be far above this;
# the CLI's own baseline (Python, sqlcipher3, cryptography) is about 40 MB here.
RSS_CEILING_KIB = 100 * 1024


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    maxrss_kib: int  # VmHWM of the child itself (see measured_cli.py)


def run_measured_with_secret(secret: str, *args: str, **kwargs: object) -> Run:
    return run_measured(*args, secret=secret, **kwargs)  # type: ignore[arg-type]


def run_measured(
    *args: str,
    stdin: Path | None = None,
    stdin_text: str = "",
    timeout: float = 30,
    secret: str = PASSPHRASE,
) -> Run:
    """The real CLI (passphrase from the environment, so stdin stays free), timed, with its
    own peak resident memory."""
    hwm = Path(tempfile.mkdtemp()) / "hwm"
    env = child_env(ASSISTER_LOG_PASSPHRASE=secret, ASSISTER_LOG_HWM_FILE=str(hwm))
    stdin_handle = open(stdin, "rb") if stdin is not None else subprocess.PIPE  # noqa: SIM115
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(MEASURED_CLI), *args],
        stdin=stdin_handle,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    outputs: dict[str, bytes] = {}

    def drain(name: str, pipe: object) -> None:
        outputs[name] = pipe.read()  # type: ignore[attr-defined]

    threads = [
        threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
    ]
    for thread in threads:
        thread.start()
    if stdin is None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin_text.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
    else:
        stdin_handle.close()  # type: ignore[union-attr]
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        _pid, status, _usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for thread in threads:
        thread.join(timeout)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    assert proc.returncode != -9 or seconds < timeout, f"hung: killed after {timeout} s"
    return Run(
        proc.returncode,
        outputs.get("out", b"").decode(errors="replace"),
        outputs.get("err", b"").decode(errors="replace"),
        seconds,
        int(hwm.read_text()),
    )


def refused(run: Run, *words: str) -> str:
    """Exit 1, one clear line naming the problem, in under LIMIT_SECONDS."""
    assert run.returncode == 1, (run.returncode, run.stderr)
    line = one_clear_line(run.stderr)
    for word in words:
        assert word in line, (word, line)
    assert run.seconds < LIMIT_SECONDS, f"took {run.seconds:.2f} s: {line}"
    return line


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, list[str]]:
    folder = tmp_path / "vault"
    ids = make_vault(folder, records=2, finalize=1)
    return folder, ids


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.pdf"
    os.mkfifo(path)
    return path


@pytest.fixture
def sparse(tmp_path: Path) -> Path:
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as handle:
        handle.truncate(SPARSE_BYTES)
    return path


def hostile_inputs(tmp_path: Path, fifo: Path, sparse: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    return {
        "fifo": (fifo, "named pipe"),
        "dev-zero": (Path("/dev/zero"), "device"),
        "folder": (folder, "folder"),
        "sparse-2GB": (sparse, "MB"),
    }


# --------------------------------------------------------------------------- 1. reads


@pytest.mark.parametrize("case", ["fifo", "dev-zero", "folder", "sparse-2GB"])
def test_attach_refuses_non_regular_and_huge_files_fast(
    case: str, vault: tuple[Path, list[str]], tmp_path: Path, fifo: Path, sparse: Path
) -> None:
    folder, ids = vault
    path, word = hostile_inputs(tmp_path, fifo, sparse)[case]
    before = file_hashes(folder)
    run = run_measured("--vault", str(folder), "attach", ids[1], str(path))
    line = refused(run, word)
    assert run.maxrss_kib < RSS_CEILING_KIB, (run.maxrss_kib, line)
    assert file_hashes(folder) == before
    print(f"\nattach {case}: {run.seconds:.2f} s, {run.maxrss_kib // 1024} MB peak: {line}")


@pytest.mark.parametrize("case", ["fifo", "dev-zero", "folder", "sparse-2GB"])
def test_add_from_json_refuses_non_regular_and_huge_files_fast(
    case: str, vault: tuple[Path, list[str]], tmp_path: Path, fifo: Path, sparse: Path
) -> None:
    folder, _ids = vault
    path, word = hostile_inputs(tmp_path, fifo, sparse)[case]
    before = file_hashes(folder)
    run = run_measured("--vault", str(folder), "add", "--from-json", str(path))
    line = refused(run, word)
    assert run.maxrss_kib < RSS_CEILING_KIB, (run.maxrss_kib, line)
    assert file_hashes(folder) == before
    print(f"\nadd {case}: {run.seconds:.2f} s, {run.maxrss_kib // 1024} MB peak: {line}")


def test_add_from_stdin_is_capped(vault: tuple[Path, list[str]]) -> None:
    """``add --from-json -`` with /dev/zero on stdin: at most 16 MB + 1 byte is read."""
    folder, _ids = vault
    before = file_hashes(folder)
    run = run_measured("--vault", str(folder), "add", "--from-json", "-", stdin=Path("/dev/zero"))
    line = refused(run, "Standard input", "16 MB")
    assert run.maxrss_kib < RSS_CEILING_KIB, (run.maxrss_kib, line)
    assert file_hashes(folder) == before
    print(f"\nadd - </dev/zero: {run.seconds:.2f} s, {run.maxrss_kib // 1024} MB peak: {line}")


def test_add_from_stdin_still_works(vault: tuple[Path, list[str]]) -> None:
    folder, _ids = vault
    from tests.reliability.support import EXAMPLES

    text = (EXAMPLES / "suspected-fraud.json").read_text(encoding="utf-8")
    run = run_measured("--vault", str(folder), "add", "--from-json", "-", stdin_text=text)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()


@pytest.mark.parametrize("case", ["fifo", "dev-zero", "folder", "sparse-2GB"])
def test_restore_refuses_non_regular_and_huge_files_fast(
    case: str, tmp_path: Path, fifo: Path, sparse: Path
) -> None:
    path, _word = hostile_inputs(tmp_path, fifo, sparse)[case]
    word = "not an Assister Log backup" if case == "sparse-2GB" else _word
    target = tmp_path / "restored"
    run = run_measured("--vault", str(target), "restore", str(path))
    line = refused(run, word)
    assert run.maxrss_kib < RSS_CEILING_KIB, (run.maxrss_kib, line)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restored")]
    print(f"\nrestore {case}: {run.seconds:.2f} s, {run.maxrss_kib // 1024} MB peak: {line}")


def _backup_of(folder: Path, out: Path) -> bytes:
    from assister_log.services.session import Session

    with Session.unlock(folder, PASSPHRASE) as s:
        s.backup(out)
    return out.read_bytes()


def test_restore_streams_a_large_backup_whose_part_is_wrong(
    vault: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """A backup whose header claims a 150 MB database (sparse zeros, wrong hash): restore
    copies it in chunks, finds the checksum wrong, and keeps nothing. Memory stays bounded
    (a whole-file read would cost 150 MB)."""
    folder, _ids = vault
    from assister_log.storage.backup import MAGIC

    good = _backup_of(folder, tmp_path / "good.albackup")
    end = good.index(b"\n", len(MAGIC))
    header = json.loads(good[len(MAGIC) : end])
    key_entry = next(f for f in header["files"] if f["name"] == "vault.key")
    key_start = end + 1
    offset = key_start
    for entry in header["files"]:
        if entry["name"] == "vault.key":
            break
        offset += entry["size"]
    key_bytes = good[offset : offset + key_entry["size"]]
    big = 150 * 1024 * 1024
    for entry in header["files"]:
        if entry["name"] == "vault.db":
            entry["size"] = big
    parts_order = [f["name"] for f in header["files"]]
    crafted = tmp_path / "crafted.albackup"
    with open(crafted, "wb") as handle:
        handle.write(MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n")
        for name in parts_order:
            if name == "vault.key":
                handle.write(key_bytes)
            else:
                handle.truncate(handle.tell() + big)
                handle.seek(0, os.SEEK_END)
    with crafted.open("rb") as handle:
        before = hashlib.sha256(handle.read(4096)).hexdigest()
    target = tmp_path / "restored"
    run = run_measured("--vault", str(target), "restore", str(crafted), stdin_text="")
    line = refused(run, "does not match its checksum")
    assert run.maxrss_kib < RSS_CEILING_KIB, (run.maxrss_kib, line)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restored")]
    with crafted.open("rb") as handle:
        assert hashlib.sha256(handle.read(4096)).hexdigest() == before
    print(f"\nrestore 150 MB bad part: {run.seconds:.2f} s, {run.maxrss_kib // 1024} MB: {line}")


# ------------------------------------------------------------------ 2. key-file cost


def _with_kdf(raw: bytes, settings: dict[str, int]) -> bytes:
    """The key file with every slot's KDF settings replaced and the checksum recomputed (what
    an attacker who can write the file or a backup can do; the MAC needs the data key)."""
    body, _checksum, mac = raw.split(b"\n")[:3]
    obj = json.loads(body)
    for slot in obj["slots"]:
        slot["kdf"].update(settings)
    new = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    return b"%s\nsha256:%s\n%s\n" % (new, hashlib.sha256(new).hexdigest().encode(), mac)


COSTLY = {
    "4 GiB, 64 passes (the review's file)": {"m": 4 * 1024 * 1024, "t": 64, "p": 4},
    "64 MiB + 1 KiB": {"m": 64 * 1024 + 1, "t": 3, "p": 4},
    "65 passes": {"m": 64 * 1024, "t": 65, "p": 4},
    "17 lanes": {"m": 64 * 1024, "t": 3, "p": 17},
}


@pytest.mark.parametrize("case", sorted(COSTLY))
def test_a_key_file_asking_for_more_than_creation_can_pick_is_refused_at_once(
    case: str, vault: tuple[Path, list[str]]
) -> None:
    folder, _ids = vault
    key = folder / "vault.key"
    key.write_bytes(_with_kdf(key.read_bytes(), COSTLY[case]))
    before = file_hashes(folder)
    # A recovery-key-shaped secret is tried on both slots: the worst case of an attempt.
    for secret in (PASSPHRASE, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"):
        env_run = run_measured_with_secret(secret, "--vault", str(folder), "list")
        line = refused(env_run, "key-derivation settings outside safe bounds", "at most m=65536")
        assert env_run.maxrss_kib < RSS_CEILING_KIB, env_run.maxrss_kib
    assert file_hashes(folder) == before
    print(f"\nkey file {case}: {env_run.seconds:.2f} s, {env_run.maxrss_kib // 1024} MB: {line}")


def test_a_costly_key_file_inside_a_backup_is_refused_at_once(
    vault: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, _ids = vault
    from assister_log.storage.backup import MAGIC, read_backup

    good = _backup_of(folder, tmp_path / "good.albackup")
    header, parts = read_backup(good)
    parts["vault.key"] = _with_kdf(parts["vault.key"], {"m": 4 * 1024 * 1024, "t": 64})
    order = [f["name"] for f in header["files"]]
    header["files"] = [
        {"name": n, "size": len(parts[n]), "sha256": hashlib.sha256(parts[n]).hexdigest()}
        for n in order
    ]
    crafted = tmp_path / "crafted.albackup"
    crafted.write_bytes(
        MAGIC
        + json.dumps(header, sort_keys=True).encode()
        + b"\n"
        + b"".join(parts[n] for n in order)
    )
    before = hashlib.sha256(crafted.read_bytes()).hexdigest()
    target = tmp_path / "restored"
    run = run_measured("--vault", str(target), "restore", str(crafted))
    line = refused(run, "outside safe bounds")
    assert run.maxrss_kib < RSS_CEILING_KIB, run.maxrss_kib
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restored")]
    assert hashlib.sha256(crafted.read_bytes()).hexdigest() == before
    print(
        f"\nbackup with a 4 GiB key file: {run.seconds:.2f} s, {run.maxrss_kib // 1024} MB: {line}"
    )


def test_the_ceiling_is_what_calibration_can_pick() -> None:
    """Every setting calibration can return passes the bounds; one step beyond fails."""
    from assister_log.errors import CorruptVault
    from assister_log.storage import kdf

    top = kdf.KdfParams(
        kdf.CALIBRATED_MEMORY_KIB, kdf.CALIBRATED_MAX_ITERATIONS, kdf.CALIBRATED_MAX_LANES
    )
    kdf.check_bounds(top)
    for beyond in (
        kdf.KdfParams(top.memory_kib + 1, top.iterations, top.lanes),
        kdf.KdfParams(top.memory_kib, top.iterations + 1, top.lanes),
        kdf.KdfParams(top.memory_kib, top.iterations, top.lanes + 1),
    ):
        with pytest.raises(CorruptVault, match="outside safe bounds"):
            kdf.check_bounds(beyond)


def test_calibration_never_leaves_the_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    from assister_log.storage import kdf

    monkeypatch.setattr(kdf, "_time_one", lambda m, t, p: 1e-6 * t)  # an absurdly fast machine
    for memory, lanes in ((1024, 1), (65536, 4), (4 * 1024 * 1024, 64)):
        params = kdf.calibrate(memory_kib=memory, lanes=lanes)
        assert params.memory_kib == kdf.CALIBRATED_MEMORY_KIB
        assert params.iterations == kdf.CALIBRATED_MAX_ITERATIONS
        assert params.lanes <= kdf.CALIBRATED_MAX_LANES
        kdf.check_bounds(params)


# ------------------------------------------------------- 3. consumer data off the command line

CANARY = "Canary Quill-Ashdown 7731"


def _show(folder: Path, incident_id: str) -> dict[str, object]:
    run = run_measured("--vault", str(folder), "show", incident_id, "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_addendum_text_and_reason_from_a_file_and_stdin(
    vault: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, ids = vault
    text_file = tmp_path / "addendum.txt"
    text_file.write_text(f"{CANARY} called back.\nSecond line.\n", encoding="utf-8")
    args = ("--vault", str(folder), "addendum", ids[0], "--text-file", str(text_file))
    run = run_measured(*args, "--reason-file", "-", stdin_text=f"{CANARY} asked\n")
    assert run.returncode == 0, run.stderr
    assert not any(CANARY in a for a in args)  # what ps would show
    addenda = _show(folder, ids[0])["addenda"]
    assert isinstance(addenda, list)
    assert addenda[-1]["text"] == f"{CANARY} called back.\nSecond line."
    assert addenda[-1]["reason"] == f"{CANARY} asked"


def test_search_finalize_and_attach_read_their_text_privately(
    vault: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, ids = vault
    from assister_log.services.session import Session

    with Session.unlock(folder, PASSPHRASE) as s:
        name = s.get(ids[1]).party.name
    run = run_measured("--vault", str(folder), "search", "--query-file", "-", stdin_text=name)
    assert run.returncode == 0, run.stderr
    assert ids[1] in run.stdout
    note = tmp_path / "description.txt"
    note.write_text(f"Photo of {CANARY}'s note\n", encoding="utf-8")
    evidence = tmp_path / "photo.jpg"
    evidence.write_bytes(b"\xff\xd8\xff" + bytes(100))
    run = run_measured(
        "--vault", str(folder), "attach", ids[1], str(evidence), "--description-file", str(note)
    )
    assert run.returncode == 0, run.stderr
    attestation = tmp_path / "attestation.txt"
    attestation.write_text(f"I, {CANARY}, attest this is accurate.", encoding="utf-8")
    run = run_measured(
        "--vault", str(folder), "finalize", ids[1], "--attestation-file", str(attestation)
    )
    assert run.returncode == 0, run.stderr
    shown = _show(folder, ids[1])
    assert shown["attachments"][0]["description"] == f"Photo of {CANARY}'s note"  # type: ignore[index]
    assert shown["attestation"] == f"I, {CANARY}, attest this is accurate."


@pytest.mark.parametrize("case", ["fifo", "dev-zero", "folder", "sparse-2GB"])
def test_text_files_are_read_bounded(
    case: str, vault: tuple[Path, list[str]], tmp_path: Path, fifo: Path, sparse: Path
) -> None:
    folder, ids = vault
    path, word = hostile_inputs(tmp_path, fifo, sparse)[case]
    word = "bytes" if case == "sparse-2GB" else word
    before = file_hashes(folder)
    run = run_measured(
        "--vault", str(folder), "addendum", ids[0], "--text-file", str(path), "--reason", "x"
    )
    refused(run, word)
    assert run.maxrss_kib < RSS_CEILING_KIB, run.maxrss_kib
    assert file_hashes(folder) == before


def test_stdin_text_is_capped_and_read_once(vault: tuple[Path, list[str]]) -> None:
    folder, ids = vault
    before = file_hashes(folder)
    run = run_measured(
        "--vault", str(folder), "addendum", ids[0], "--text-file", "-", "--reason", "x",
        stdin=Path("/dev/zero"),
    )  # fmt: skip
    refused(run, "400,000 bytes")
    assert run.maxrss_kib < RSS_CEILING_KIB, run.maxrss_kib
    run = run_measured(
        "--vault", str(folder), "addendum", ids[0], "--text-file", "-", "--reason-file", "-",
        stdin_text="a\nb\n",
    )  # fmt: skip
    refused(run, "Only one option can read standard input")
    run = run_measured(
        "--vault", str(folder), "addendum", ids[0], "--text", "a", "--text-file", "-",
        "--reason", "b",
    )  # fmt: skip
    assert run.returncode == 2 and "not allowed with" in run.stderr, run.stderr
    assert file_hashes(folder) == before


# --------------------------------------------------------------------------- 4. smaller


def test_a_deeply_nested_backup_header_is_a_clear_error(
    vault: tuple[Path, list[str]], tmp_path: Path
) -> None:
    from assister_log.storage.backup import MAGIC

    crafted = tmp_path / "nested.albackup"
    crafted.write_bytes(MAGIC + b"[" * 30_000 + b"]" * 30_000 + b"\n")
    before = hashlib.sha256(crafted.read_bytes()).hexdigest()
    target = tmp_path / "restored"
    run = run_measured("--vault", str(target), "restore", str(crafted))
    refused(run, "unreadable header")
    assert not target.exists()
    assert hashlib.sha256(crafted.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("name", ["vault.db", "vault.key", "vault.db-wal", "vault.lock"])
def test_a_symlink_inside_the_vault_folder_is_refused(
    name: str, vault: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, _ids = vault
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = folder / name
    if link.exists():
        os.replace(link, elsewhere / name)
    else:
        (elsewhere / name).write_bytes(b"")
    link.symlink_to(elsewhere / name)
    before = file_hashes(folder) | {f"elsewhere/{k}": v for k, v in file_hashes(elsewhere).items()}
    run = run_measured("--vault", str(folder), "list")
    refused(run, f"{name} in", "symbolic link")
    after = file_hashes(folder) | {f"elsewhere/{k}": v for k, v in file_hashes(elsewhere).items()}
    assert after == before
    assert link.is_symlink()


def test_a_vault_others_can_read_gets_a_one_line_warning(vault: tuple[Path, list[str]]) -> None:
    folder, _ids = vault
    run = run_measured("--vault", str(folder), "list")
    assert run.returncode == 0 and run.stderr == "", run.stderr  # private: no warning
    os.chmod(folder, 0o777)
    for path in folder.iterdir():
        os.chmod(path, 0o666)
    modes = {p.name: p.stat().st_mode for p in folder.iterdir()}
    run = run_measured("--vault", str(folder), "list")
    assert run.returncode == 0, run.stderr
    line = one_clear_line(run.stderr)
    assert "other users" in line and f"chmod 700 '{folder}'" in line, line
    assert {p.name: p.stat().st_mode for p in folder.iterdir()} == modes  # warned, not changed
    os.chmod(folder, 0o700)
    for path in folder.iterdir():
        os.chmod(path, 0o600)
    run = run_measured("--vault", str(folder), "list")
    assert run.returncode == 0 and run.stderr == "", run.stderr  # the offered fix works


@pytest.mark.parametrize("weak", ["password1234567", "MNsure12345678!"])
def test_guessable_passphrases_are_refused(weak: str, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    run = run_measured(
        "--vault", str(folder), "--passphrase-stdin", "init", "--name", "Jamie Ortiz",
        "--role", "navigator", stdin_text=weak + "\n",
    )  # fmt: skip
    refused(run, "easy to guess")
    assert not folder.exists() or not any(folder.iterdir())


def test_passphrase_checks_keep_their_rules() -> None:
    from assister_log.passphrase import check_passphrase

    assert check_passphrase(PASSPHRASE).ok  # "correct horse battery staple"
    assert check_passphrase("purple otters juggle quietly").ok
    for weak in ("password1234567", "MNsure12345678!", "Minnesota2024!!!", "navigator123456"):
        assert not check_passphrase(weak).ok, weak
    # still no composition rules: lower-case words with spaces pass
    assert check_passphrase("a brand new passphrase for the vault").ok


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_the_program_is_not_dumpable(vault: tuple[Path, list[str]], tmp_path: Path) -> None:
    """The real entry point clears the dumpable flag: the CLI child reports
    ``prctl(PR_GET_DUMPABLE)`` as it exits (measured_cli.py). The control, the same wrapper
    with the entry point's call undone, reports 1, so the reading itself works."""
    folder, _ids = vault
    flag_file = tmp_path / "dumpable"
    env = child_env(
        ASSISTER_LOG_PASSPHRASE=PASSPHRASE,
        ASSISTER_LOG_HWM_FILE=str(tmp_path / "hwm"),
        ASSISTER_LOG_DUMPABLE_FILE=str(flag_file),
    )
    result = subprocess.run(
        [sys.executable, str(MEASURED_CLI), "--vault", str(folder), "list"],
        capture_output=True, text=True, env=env, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert flag_file.read_text() == "0", "the CLI process stayed dumpable"
    control = (
        "import ctypes, runpy, sys; from assister_log import crash; "
        "crash.disable_dumpable = lambda: False; "
        f"sys.argv = [{str(MEASURED_CLI)!r}, '--vault', {str(folder)!r}, 'list']; "
        f"runpy.run_path({str(MEASURED_CLI)!r}, run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", control], capture_output=True, text=True, env=env, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert flag_file.read_text() == "1", "the control should be dumpable"
