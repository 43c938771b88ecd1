"""Telling the user the last session ended uncleanly (issue 14, item 5): a real process
holding the vault open is SIGKILLed; the next open says so once, in the CLI on stderr; a
clean end says nothing. The marker holds no record data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assister_log.services.session import Session
from assister_log.storage import session_marker
from tests.conftest import EXAMPLES, PASSPHRASE, run_cli
from tests.support.session_holder import MARKER, hold, killed_mid_session


def test_a_killed_session_is_reported_once_at_the_next_open(
    created: tuple[Path, str],
) -> None:
    folder, _ = created
    assert not (folder / MARKER).exists()  # a closed vault holds no marker
    killed_mid_session(folder)
    assert (folder / MARKER).exists()
    with Session.unlock(folder, PASSPHRASE) as s:
        notice = s.unclean_end_notice("run verify")
        assert notice is not None
        assert notice.startswith("The last session did not end cleanly (it began ")
        assert notice.endswith("your records are safe up to the last save; run verify.")
        assert (folder / MARKER).exists()  # this session's own marker
    assert not (folder / MARKER).exists()
    with Session.unlock(folder, PASSPHRASE) as s:  # told once
        assert s.unclean_end_notice("run verify") is None


def test_a_clean_end_says_nothing(created: tuple[Path, str]) -> None:
    folder, _ = created
    child = hold(folder, "close")
    assert child.stdout is not None
    assert child.stdout.readline() == "closed\n"
    assert child.wait(10) == 0
    child.stdout.close()
    assert not (folder / MARKER).exists()
    with Session.unlock(folder, PASSPHRASE) as s:
        assert s.unclean_end_notice("run verify") is None


def test_a_marker_of_a_live_process_is_not_reported(created: tuple[Path, str]) -> None:
    """The lock says that process no longer holds the vault; its id was reused, or it is this
    process. No notice (reuse can hide an unclean end, never invent one)."""
    folder, _ = created
    (folder / MARKER).write_text(json.dumps({"pid": os.getpid(), "started_at": "2025-01-01"}))
    with Session.unlock(folder, PASSPHRASE) as s:
        assert s.unclean_end_notice("x") is None


def test_an_unreadable_marker_is_still_reported(created: tuple[Path, str]) -> None:
    folder, _ = created
    (folder / MARKER).write_bytes(b"\x00garbage")
    with Session.unlock(folder, PASSPHRASE) as s:
        assert s.unclean_end_notice("x") == (
            "The last session did not end cleanly: your records are safe up to the last save; x."
        )


def test_a_refused_open_writes_no_marker(created: tuple[Path, str]) -> None:
    from assister_log.errors import WrongSecret

    folder, _ = created
    with pytest.raises(WrongSecret):
        Session.unlock(folder, "not the passphrase at all")
    assert not (folder / MARKER).exists()


def test_a_marker_that_cannot_be_written_does_not_stop_the_open(
    created: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marker is advisory: a read-only medium or a full disk still opens the vault."""
    folder, _ = created

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(session_marker.atomic, "atomic_write_bytes", fail)
    with Session.unlock(folder, PASSPHRASE) as s:
        assert s.unclean_end_notice("x") is None
    assert not (folder / MARKER).exists()


def test_the_cli_says_it_once_on_stderr(created: tuple[Path, str]) -> None:
    folder, _ = created
    session = Session.unlock(folder, PASSPHRASE)
    session.add_from_json_file(EXAMPLES / "inappropriate-interaction.json")
    session.close()
    killed_mid_session(folder)
    first = run_cli("--vault", str(folder), "list", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert first.returncode == 0, first.stderr
    (line,) = first.stderr.splitlines()
    assert line.startswith("assister-log: The last session did not end cleanly (it began ")
    assert line.endswith("run `assister-log verify` to check.")
    assert "inappropriate" not in first.stderr.lower()
    again = run_cli("--vault", str(folder), "list", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert again.returncode == 0 and again.stderr == ""


def test_the_cli_after_a_clean_end_says_nothing(created: tuple[Path, str]) -> None:
    folder, _ = created
    for _ in range(2):
        done = run_cli(
            "--vault", str(folder), "list", "--passphrase-stdin", stdin=PASSPHRASE + "\n"
        )
        assert done.returncode == 0 and done.stderr == ""
    assert not (folder / MARKER).exists()
