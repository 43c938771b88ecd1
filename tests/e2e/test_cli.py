"""The real ``assister-log`` command in subprocesses: what a script or a user at a terminal
sees, exit codes included (0 ok, 1 error with one line, 2 usage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, PASSPHRASE, run_cli

P = PASSPHRASE + "\n"


def _init(folder: Path, name: str, role: str, org: str, credential: str) -> Path:
    result = run_cli(
        "--vault",
        str(folder),
        "init",
        "--name",
        name,
        "--role",
        role,
        "--org",
        org,
        "--id",
        credential,
        "--passphrase-stdin",
        stdin=P,
    )
    assert result.returncode == 0, result.stderr
    assert any(line.startswith("Recovery key: ") for line in result.stdout.splitlines())
    return folder


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A navigator's vault."""
    return _init(tmp_path / "vault", "Jamie Ortiz", "navigator", "Northside", "NAV-1")


@pytest.fixture
def staff_vault(tmp_path: Path) -> Path:
    """An MNsure contact-center staff member's vault (the staff procedure is theirs only)."""
    return _init(
        tmp_path / "staff-vault", "Sam Lindqvist", "mnsure-staff", "MNsure Contact Center", "MNS-4"
    )


def ok(*args: str, stdin: str = P) -> str:
    result = run_cli(*args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def fails(*args: str, stdin: str = P, code: int = 1) -> str:
    result = run_cli(*args, stdin=stdin)
    assert result.returncode == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def add(vault: Path, name: str) -> str:
    out = ok(
        "--vault",
        str(vault),
        "add",
        "--from-json",
        str(EXAMPLES / f"{name}.json"),
        "--passphrase-stdin",
    )
    incident_id = out.strip()
    assert incident_id.startswith("AL-") and "\n" not in incident_id
    return incident_id


def test_full_flow(vault: Path, staff_vault: Path, tmp_path: Path) -> None:
    v = str(vault)
    ids = [add(vault, n) for n in ("inappropriate-interaction", "suspected-fraud")]
    listed = json.loads(ok("list", "--vault", v, "--json", "--passphrase-stdin"))
    assert {row["id"] for row in listed} == set(ids)
    shown = json.loads(ok("--vault", v, "show", ids[0], "--json", "--passphrase-stdin"))
    assert shown["party"]["name"] == "Nguyễn Thị Ánh" and shown["findings"] == []
    assert "No findings" in ok("--vault", v, "check", ids[0], "--passphrase-stdin")
    assert "chain position 1" in ok("--vault", v, "finalize", ids[0], "--passphrase-stdin")
    assert "addendum 1" in ok(
        "--vault",
        v,
        "addendum",
        ids[0],
        "--text",
        "Called back.",
        "--reason",
        "Follow-up",
        "--passphrase-stdin",
    )
    found = json.loads(ok("--vault", v, "search", "Abdirahman", "--json", "--passphrase-stdin"))
    assert [row["id"] for row in found] == [ids[1]]
    assert "seal chain of 2 signed entries intact" in ok(
        "--vault", v, "verify", "--passphrase-stdin"
    )
    backup = tmp_path / "site.albackup"
    assert "verified" in ok("--vault", v, "backup", "--out", str(backup), "--passphrase-stdin")
    assert "Restored 2 records" in ok(
        "--vault", str(tmp_path / "restored"), "restore", str(backup), "--passphrase-stdin"
    )
    assert "intact" in ok("--vault", str(tmp_path / "restored"), "verify", "--passphrase-stdin")
    # The staff call, in an MNsure contact-center staff member's vault.
    s = str(staff_vault)
    staff_id = add(staff_vault, "staff-call")
    assert "No findings" in ok("--vault", s, "check", staff_id, "--passphrase-stdin")
    found = json.loads(ok("--vault", s, "search", "Соколов", "--json", "--passphrase-stdin"))
    assert [row["id"] for row in found] == [staff_id]
    assert "chain position 1" in ok("--vault", s, "finalize", staff_id, "--passphrase-stdin")


def test_a_navigator_cannot_add_a_staff_call(vault: Path, staff_vault: Path) -> None:
    """Issue 12: the staff procedure is for MNsure contact-center staff; a navigator never
    signs a staff memo as 'Navigator'."""
    staff_call = str(EXAMPLES / "staff-call.json")
    message = fails("--vault", str(vault), "add", "--from-json", staff_call, "--passphrase-stdin")
    assert message == (
        "assister-log: The staff procedure is for MNsure contact-center staff; your profile "
        "says Navigator."
    )
    assert "No records." in ok("--vault", str(vault), "list", "--passphrase-stdin")
    staff_id = add(staff_vault, "staff-call")
    shown = json.loads(
        ok("--vault", str(staff_vault), "show", staff_id, "--json", "--passphrase-stdin")
    )
    assert shown["author"]["role"] == "mnsure-staff"


def test_global_options_work_after_the_subcommand_and_env_passphrase(vault: Path) -> None:
    result = run_cli("list", "--vault", str(vault), env={"ASSISTER_LOG_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0 and "No records." in result.stdout
    result = run_cli(
        "list", env={"ASSISTER_LOG_HOME": str(vault), "ASSISTER_LOG_PASSPHRASE": PASSPHRASE}
    )
    assert result.returncode == 0, result.stderr


def test_change_passphrase_reads_current_then_new(vault: Path) -> None:
    new = "a completely different passphrase"
    ok(
        "--vault",
        str(vault),
        "change-passphrase",
        "--passphrase-stdin",
        stdin=f"{PASSPHRASE}\n{new}\n",
    )
    assert "wrong" in fails("--vault", str(vault), "list", "--passphrase-stdin")
    ok("--vault", str(vault), "list", "--passphrase-stdin", stdin=new + "\n")


def test_recover_sets_a_new_passphrase(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    out = ok(
        "--vault", str(folder), "init", "--name", "A", "--role", "broker", "--passphrase-stdin"
    )
    recovery = next(
        line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Recovery key: ")
    )
    ok(
        "--vault",
        str(folder),
        "recover",
        "--passphrase-stdin",
        stdin=f"{recovery}\nforgotten but now replaced again\n",
    )
    ok(
        "--vault",
        str(folder),
        "list",
        "--passphrase-stdin",
        stdin="forgotten but now replaced again\n",
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"procedure": "inappropriate-interaction",', "not valid JSON"),
        (
            '{"procedure": "nope", "channel": "phone", "occurred_at": "2026-01-01T10:00:00-06:00", "party": {}}',
            "unknown value 'nope'",
        ),
        ('{"procedure": "staff-call"}', "missing the field"),
        (
            '{"procedure": "staff-call", "channel": "phone", "occurred_at": "2026-01-01T10:00:00-06:00", "ended_at": "2026-01-01T09:00:00-06:00", "party": {}}',
            "before occurred_at",
        ),
        ("[1, 2]", "must be an object"),
    ],
)
def test_bad_json_gives_one_line_and_changes_nothing(
    vault: Path, tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "record.json"
    path.write_text(content, "utf-8")
    before = ok("--vault", str(vault), "list", "--json", "--passphrase-stdin")
    assert expected in fails(
        "--vault", str(vault), "add", "--from-json", str(path), "--passphrase-stdin"
    )
    assert ok("--vault", str(vault), "list", "--json", "--passphrase-stdin") == before


def test_errors_are_one_line(vault: Path, tmp_path: Path) -> None:
    assert "passphrase is wrong" in fails(
        "--vault", str(vault), "list", "--passphrase-stdin", stdin="nope nope nope nope\n"
    )
    assert "no vault" in fails("--vault", str(tmp_path / "missing"), "list", "--passphrase-stdin")
    assert "No record with id" in fails(
        "--vault", str(vault), "show", "AL-XXXXXXXX", "--passphrase-stdin"
    )
    assert "Cannot find" in fails(
        "--vault",
        str(vault),
        "add",
        "--from-json",
        str(tmp_path / "none.json"),
        "--passphrase-stdin",
    )
    assert "usage error" in fails("--vault", str(vault), "frobnicate", code=2)
    assert "No passphrase given" in fails("--vault", str(vault), "list", stdin="")


def test_second_instance_is_refused_while_one_holds_the_vault(vault: Path) -> None:
    from assister_log.services.session import Session

    with Session.unlock(vault, PASSPHRASE):
        assert "already open" in fails("--vault", str(vault), "list", "--passphrase-stdin")


def test_read_only_folder_gives_a_clear_error(tmp_path: Path) -> None:
    import os
    import subprocess

    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a read-only filesystem here (not root?)")
    try:
        message = fails(
            "--vault",
            str(ro / "vault"),
            "init",
            "--name",
            "A",
            "--role",
            "cac",
            "--passphrase-stdin",
        )
        assert "read-only" in message
    finally:
        subprocess.run(["umount", str(ro)], check=False)
        assert os.path.ismount(ro) is False


def test_version_and_help() -> None:
    from assister_log import __version__

    assert __version__ in ok("--version", stdin="")
    assert "finalize" in ok("--help", stdin="")


def test_export_writes_owner_only_pdfs_with_neutral_names(vault: Path, tmp_path: Path) -> None:
    import stat

    from pypdf import PdfReader

    fraud = add(vault, "suspected-fraud")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    path = Path(
        ok(
            "--vault",
            str(vault),
            "export",
            fraud,
            "--kind",
            "fraud-referral",
            "--out",
            str(out_dir),
            "--passphrase-stdin",
        ).strip()
    )
    assert path.parent == out_dir and path.name.startswith(f"fraud-referral-{fraud}-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Abdirahman" not in path.name
    protected = tmp_path / "protected.pdf"
    ok(
        "--vault",
        str(vault),
        "export",
        fraud,
        "--kind",
        "record",
        "--out",
        str(protected),
        "--password-stdin",
        "--passphrase-stdin",
        stdin=f"{PASSPHRASE}\nPDF password 2026\n",
    )
    reader = PdfReader(protected)
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt("PDF password 2026") != 0
    assert "Abdirahman" in reader.pages[0].extract_text() + "".join(
        p.extract_text() for p in reader.pages[1:3]
    )
    assert "does not apply" in fails(
        "--vault",
        str(vault),
        "export",
        fraud,
        "--kind",
        "staff-memo",
        "--out",
        str(out_dir),
        "--passphrase-stdin",
    )
    assert sorted(p.name for p in out_dir.iterdir()) == [path.name]


def test_demo_says_where_it_put_everything(tmp_path: Path) -> None:
    out = ok("demo", "--out", str(tmp_path / "demo"), stdin="")
    assert f"Demo vault: {tmp_path / 'demo' / 'vault'}" in out
    pdfs = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("PDF: ")]
    assert len(pdfs) == 5 and all(Path(p).read_bytes().startswith(b"%PDF-") for p in pdfs)
    # Every kind, the staff memo signed by MNsure staff, never by the vault's navigator.
    from pypdf import PdfReader

    memo = next(p for p in pdfs if Path(p).name.startswith("staff-call-memo-"))
    memo_text = " ".join(page.extract_text() for page in PdfReader(memo).pages)
    assert "MNsure staff" in memo_text and "Navigator" not in memo_text


def test_unreadable_input_file_says_read_not_write(vault: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    message = fails("--vault", str(vault), "add", "--from-json", str(folder), "--passphrase-stdin")
    assert "Cannot read" in message and "folder" in message and "write" not in message


def test_check_and_finalize_name_a_time_that_does_not_add_up(vault: Path, tmp_path: Path) -> None:
    """A record added from JSON with a reminder 40 minutes after the meeting ended: `check`
    names it (text and --json), `finalize` says it prints on the record."""
    data = json.loads((EXAMPLES / "inappropriate-interaction.json").read_text("utf-8"))
    for event in data["timeline"]:
        if event["event"] == "reminder-given":
            event["at"] = "2026-03-02T15:11:00-06:00"
    path = tmp_path / "late.json"
    path.write_text(json.dumps(data), "utf-8")
    v = str(vault)
    incident_id = ok("--vault", v, "add", "--from-json", str(path), "--passphrase-stdin").strip()
    text = ok("--vault", v, "check", incident_id, "--passphrase-stdin")
    assert "TIME" in text and "at 15:11 is after the interaction ended (14:31)" in text
    listed = json.loads(ok("--vault", v, "check", incident_id, "--json", "--passphrase-stdin"))
    assert [item["message"] for item in listed if item["code"] == "time"] == [
        "Reminder given (policy allows ending the interaction) at 15:11 is after the "
        "interaction ended (14:31)."
    ]
    done = ok("--vault", v, "finalize", incident_id, "--passphrase-stdin")
    assert "a time does not add up (it prints on the record)" in done
