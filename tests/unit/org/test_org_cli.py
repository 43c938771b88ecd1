"""Issue 15 on the command line: `org init`, `join`, `send`, `status`, `import`, `report`,
`inbox` and `export`, through the real CLI in subprocesses; and a kill at any moment of a
send or an import loses nothing and duplicates nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, PASSPHRASE, ROOT, run_cli

CLI = ROOT / "tests" / "support" / "insecure_kdf_cli.py"


def _ok(*args: str, stdin: str = PASSPHRASE + "\n") -> str:
    result = run_cli(*args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _setup(tmp_path: Path, records: int = 2) -> tuple[Path, Path, Path]:
    share, org_vault, nav = tmp_path / "share", tmp_path / "org", tmp_path / "nav"
    share.mkdir()
    profile = tmp_path / "northside.alorg"
    out = _ok(
        "--vault", str(org_vault), "--passphrase-stdin", "org", "init",
        "--name", "Northside Health Access", "--folder", str(share),
        "--profile-out", str(profile),
    )  # fmt: skip
    assert "Recovery key:" in out and "fingerprint is" in out and profile.is_file()
    _ok(
        "--vault", str(nav), "--passphrase-stdin", "init", "--name", "Jamie Ortiz",
        "--role", "navigator", "--site", "Brian Coyle Center",
    )  # fmt: skip
    for n in range(records):
        example = ("inappropriate-interaction.json", "suspected-fraud.json")[n % 2]
        record_id = _ok(
            "--vault", str(nav), "--passphrase-stdin", "add", "--from-json",
            str(EXAMPLES / example),
        ).strip()  # fmt: skip
        _ok("--vault", str(nav), "--passphrase-stdin", "finalize", record_id)
    joined = _ok("--vault", str(nav), "--passphrase-stdin", "org", "join", str(profile))
    assert "Joined Northside Health Access" in joined and f"{records} sealed entr" in joined
    return share, org_vault, nav


def test_the_whole_hand_off_on_the_command_line(tmp_path: Path) -> None:
    share, org_vault, nav = _setup(tmp_path)
    status = json.loads(_ok("--vault", str(nav), "--passphrase-stdin", "org", "status", "--json"))
    assert (status["queued"], status["organisation"]) == (2, "Northside Health Access")
    assert "Sent 2 envelopes" in _ok("--vault", str(nav), "--passphrase-stdin", "org", "send")
    names = " ".join(str(p.relative_to(share)) for p in share.rglob("*"))
    assert names.count(".age") == 2 and "AL-" not in names and "Jamie" not in names
    imported = _ok("--vault", str(org_vault), "--passphrase-stdin", "org", "import")
    assert "Imported 2 envelopes; wrote 2 receipts." in imported
    assert "New author (trusted on first use): Jamie Ortiz" in imported
    sent = _ok("--vault", str(nav), "--passphrase-stdin", "org", "send")
    assert "2 new receipts verified" in sent
    status = json.loads(_ok("--vault", str(nav), "--passphrase-stdin", "org", "status", "--json"))
    assert (status["queued"], status["sent"], status["received"]) == (0, 0, 2)
    report = json.loads(
        _ok("--vault", str(org_vault), "--passphrase-stdin", "org", "report", "--json")
    )
    assert report["records"] == 2 and report["by_site"] == {"Brian Coyle Center": 2}
    inbox = _ok("--vault", str(org_vault), "--passphrase-stdin", "org", "inbox", "Nguyễn")
    record_id = inbox.split()[0]
    assert len(inbox.strip().splitlines()) == 1 and "Jamie Ortiz" in inbox
    pdf = _ok(
        "--vault", str(org_vault), "--passphrase-stdin", "org", "export", record_id,
        "--kind", "record", "--out", str(tmp_path),
    ).strip()  # fmt: skip
    assert Path(pdf).read_bytes().startswith(b"%PDF-")
    _ok(
        "--vault", str(nav), "--passphrase-stdin", "export", record_id, "--kind", "record",
        "--out", str(tmp_path / "mine.pdf"),
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "mine.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Received by Northside Health Access on" in " ".join(text.split())


def test_join_refuses_a_file_that_is_not_a_profile_in_one_line(tmp_path: Path) -> None:
    _share, _org, nav = _setup(tmp_path, records=0)
    bad = tmp_path / "bad.alorg"
    bad.write_text('{"profile": {"format": "something-else"}, "signature": "AA=="}')
    result = run_cli("--vault", str(nav), "--passphrase-stdin", "org", "join", str(bad),
                     stdin=PASSPHRASE + "\n")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not a usable organisation profile" in result.stderr
    assert "Traceback" not in result.stderr


def test_send_to_an_unplugged_folder_keeps_the_queue(tmp_path: Path) -> None:
    share, _org, nav = _setup(tmp_path, records=1)
    share.rename(tmp_path / "unplugged")
    out = _ok("--vault", str(nav), "--passphrase-stdin", "org", "send")
    assert "Not reachable now" in out and "1 still queued" in out
    status = _ok("--vault", str(nav), "--passphrase-stdin", "org", "status")
    assert "tries 1" in status and "not there" in status


def _killed(args: list[str], delay: float) -> None:
    env = dict(os.environ, ASSISTER_LOG_PASSPHRASE=PASSPHRASE)
    proc = subprocess.Popen(
        [sys.executable, str(CLI), *args], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


@pytest.mark.slow
def test_a_kill_during_send_or_import_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    records = 12
    share, org_vault, nav = _setup(tmp_path, records=records)
    rng = random.Random(15)
    trials = int(os.environ.get("ASSISTER_LOG_KILL_TRIALS", "6"))
    for _ in range(trials):
        _killed(["--vault", str(nav), "org", "send"], rng.uniform(0.3, 2.0))
        _killed(["--vault", str(org_vault), "org", "import"], rng.uniform(0.3, 2.0))
    # Then both run to the end, twice: everything arrives once, every receipt comes back.
    for _ in range(2):
        _ok("--vault", str(nav), "--passphrase-stdin", "org", "send")
        _ok("--vault", str(org_vault), "--passphrase-stdin", "org", "import")
    _ok("--vault", str(nav), "--passphrase-stdin", "org", "send")
    envelopes = list((share / "assister-log" / "envelopes").rglob("*.age"))
    receipts = list((share / "assister-log" / "receipts").rglob("*.json"))
    assert len(envelopes) == records and len(receipts) == records
    assert not [p for p in share.rglob("*") if p.name.startswith(".")]  # no part files left
    report = json.loads(
        _ok("--vault", str(org_vault), "--passphrase-stdin", "org", "report", "--json")
    )
    assert report["records"] == records and report["refused"] == []
    assert report["authors"][0]["entries"] == records
    status = json.loads(_ok("--vault", str(nav), "--passphrase-stdin", "org", "status", "--json"))
    assert (status["queued"], status["sent"], status["received"]) == (0, 0, records)
    verify = run_cli("--vault", str(org_vault), "--passphrase-stdin", "verify",
                     stdin=PASSPHRASE + "\n")  # fmt: skip
    assert verify.returncode == 0, verify.stderr
