"""Issue 5, test 14: a bug in any command handler ends in one line on stderr and a crash report
without record data; the process never dumps core.

Every CLI command's handler is made to fail (tests/reliability/crashing_cli.py) after it has
really run on a vault whose records carry canaries — the exception's message, its cause and
the handler's local variables all hold record text. Pass: exit 1; exactly one stderr line,
no traceback, no canary; a crash report (0600) naming the error type and the stack, with no
canary, no passphrase, no message and no local variable; RLIMIT_CORE is (0, 0) in the app
process. Also: an interrupt says so in one line; a crash folder that cannot be written still
gives the one line. The app writes no log files (the scan of test 6 covers HOME and XDG).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assister_log.services.session import Session
from tests.conftest import EXAMPLES, PASSPHRASE, PROFILE, add_as_author
from tests.reliability.support import HERE, child_env

CANARY = "KNRY-crash Ünïcødé-Ꙁ"
NEW = "a brand new passphrase for this"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    root = tmp_path_factory.mktemp("crash")
    session, recovery = Session.create(root / "vault", PASSPHRASE, PROFILE)
    ids = []
    with session:
        for n, path in enumerate(sorted(EXAMPLES.glob("*.json"))):
            record = json.loads(path.read_bytes())
            record["party"]["name"] = f"{CANARY} party {n}"
            record["narrative"] = f"{CANARY} narrative {n}"
            ids.append(add_as_author(session, record).incident_id)
        session.finalize(ids[0])
        session.backup(root / "b.albackup")
        from assister_log.services.evidence import export_evidence

        export_evidence(session, ids[0], root / "e.zip")
    return root, recovery, ids


def commands(root: Path, recovery: str, ids: list[str], work: Path) -> dict[str, tuple]:
    evidence = work / "evidence.txt"
    evidence.write_text(f"{CANARY} evidence")
    p = PASSPHRASE
    return {
        "init": (["--vault", str(work / "new"), "init", "--name", CANARY, "--role", "navigator"], [p], "before"),
        "add": (["add", "--from-json", str(EXAMPLES / "suspected-fraud.json")], [p], "after"),
        "list": (["list"], [p], "after"),
        "show": (["show", ids[1]], [p], "after"),
        "search": (["search", "KNRY"], [p], "after"),
        "check": (["check", ids[1]], [p], "after"),
        "finalize": (["finalize", ids[1]], [p], "after"),
        "addendum": (["addendum", ids[0], "--text", CANARY, "--reason", CANARY], [p], "after"),
        "attach": (["attach", ids[2], str(evidence)], [p], "after"),
        "verify": (["verify"], [p], "after"),
        "change-passphrase": (["change-passphrase"], [p, NEW], "after"),
        "recover": (["recover"], [recovery, NEW], "after"),
        "new-recovery-key": (["new-recovery-key"], [p], "after"),
        "backup": (["backup", "--out", str(work / "b2.albackup")], [p], "after"),
        "restore": (["--vault", str(work / "restored"), "restore", str(root / "b.albackup")], [p], "after"),
        "export": (["export", ids[0], "--kind", "record", "--out", str(work)], [p], "after"),
        "check-evidence": (["check-evidence", str(root / "e.zip")], [], "after"),
        "demo": (["demo", "--out", str(work / "demo")], [p], "before"),
        "org": (["org", "status"], [p], "after"),
    }  # fmt: skip


def run_broken(
    command: str, argv: list[str], lines: list[str], when: str, vault: Path, work: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    limits = work / "limits.txt"
    crash = work / "crash"
    secret = NEW if command in ("change-passphrase", "recover") else PASSPHRASE
    if not argv[0].startswith("--vault"):
        argv = ["--vault", str(vault), *argv]
    result = subprocess.run(
        [sys.executable, str(HERE / "crashing_cli.py"), "--passphrase-stdin", *argv],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=child_env(
            **{
                "CRASH_COMMAND": command,
                "CRASH_WHEN": when,
                "CRASH_LIMITS": str(limits),
                "CRASH_SECRET": secret,
                "ASSISTER_LOG_CRASH_DIR": str(crash),
                **env,
            }
        ),
        timeout=120,
    )
    return result, crash


@pytest.mark.slow
def test_a_bug_in_any_handler_leaves_no_record_data(
    base: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    from assister_log.cli_commands import COMMANDS

    root, recovery, ids = base
    table = commands(root, recovery, ids, tmp_path)
    assert set(table) == set(COMMANDS), "a command was added: give it a row here"
    for command, (argv, lines, when) in table.items():
        work = tmp_path / command
        work.mkdir()
        vault = work / "vault"
        shutil.copytree(root / "vault", vault)
        result, crash = run_broken(command, argv, lines, when, vault, work)
        assert result.returncode == 1, (command, result.stderr)
        line = result.stderr.strip()
        assert "\n" not in line and line.startswith("assister-log: unexpected error (RuntimeError)")
        assert "Traceback" not in result.stderr and "KNRY" not in result.stderr, command
        reports = list(crash.iterdir())
        assert len(reports) == 1 and str(reports[0]) in line, (command, line)
        text = reports[0].read_text(encoding="utf-8")
        assert "error type: builtins.RuntimeError" in text and "in broken" in text, text
        for secret in ("KNRY", PASSPHRASE, NEW, recovery, "while handling [", "party 1"):
            assert secret not in text, (command, secret)
        assert (work / "limits.txt").read_text() == "(0, 0)", command


def test_an_interrupt_and_an_unwritable_crash_folder_still_give_one_line(
    base: tuple[Path, str, list[str]], tmp_path: Path
) -> None:
    root, _recovery, ids = base
    vault = tmp_path / "vault"
    shutil.copytree(root / "vault", vault)
    result, _crash = run_broken(
        "show", ["show", ids[0]], [PASSPHRASE], "after", vault, tmp_path, CRASH_KIND="interrupt"
    )
    assert result.returncode == 130
    assert result.stderr == "assister-log: interrupted; nothing was half-written.\n"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result, _crash = run_broken(
        "show",
        ["show", ids[0]],
        [PASSPHRASE],
        "after",
        vault,
        tmp_path,
        ASSISTER_LOG_CRASH_DIR=str(blocker / "crash"),
    )
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and "unexpected error (RuntimeError)" in line and "KNRY" not in line
    assert "report" not in line  # there is none to point at


def test_a_reader_that_went_away_is_not_a_crash(tmp_path: Path) -> None:
    """``assister-log list | head``: the pipe is closed under the writer (here: before it
    writes). No crash report, no traceback, nothing on stderr."""
    folder = tmp_path / "vault"
    session, _recovery = Session.create(folder, PASSPHRASE, PROFILE)
    with session:
        session.add_from_data(json.loads((EXAMPLES / "suspected-fraud.json").read_bytes()))
    crash = tmp_path / "crash"
    proc = subprocess.Popen(
        [sys.executable, str(HERE.parent / "support" / "insecure_kdf_cli.py"), "--vault",
         str(folder), "--passphrase-stdin", "list", "--json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=child_env(ASSISTER_LOG_CRASH_DIR=str(crash)),
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    proc.stdin.write((PASSPHRASE + "\n").encode())
    proc.stdin.close()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(60)
    assert "unexpected error" not in stderr and "Traceback" not in stderr, stderr
    assert not crash.exists() or not list(crash.iterdir())
