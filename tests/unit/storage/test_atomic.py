"""Atomic replacement: the old file survives any failure, and no temp file is left behind."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assister_log.errors import DiskFull, KnownError, NotFound, ReadOnlyLocation
from assister_log.storage.atomic import atomic_write_bytes, atomic_writer


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "vault.key"
    path.write_bytes(b"old content")
    return path


@pytest.fixture
def umask_zero() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _failing_replace(code: int) -> object:
    def replace(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    return replace


def test_write_replaces_content_and_leaves_only_the_target(target: Path) -> None:
    atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["vault.key"]


def test_new_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "fresh.bin"
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"


@pytest.mark.skipif(os.name != "posix", reason="posix permissions")
@pytest.mark.usefixtures("umask_zero")
def test_created_file_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "secret.bin"
    atomic_write_bytes(path, b"x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with atomic_writer(tmp_path / "streamed.bin") as handle:
        handle.write(b"y")
    assert stat.S_IMODE((tmp_path / "streamed.bin").stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="posix permissions")
def test_replacing_a_world_readable_file_makes_it_owner_only(target: Path) -> None:
    os.chmod(target, 0o644)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_disk_full_at_rename_keeps_old_file_and_removes_temp(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _failing_replace(errno.ENOSPC))
    with pytest.raises(DiskFull, match="disk is full"):
        atomic_write_bytes(target, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["vault.key"]


def test_read_only_medium_is_reported_as_such(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _failing_replace(errno.EROFS))
    with pytest.raises(ReadOnlyLocation):
        atomic_write_bytes(target, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["vault.key"]


def test_failed_fsync_keeps_old_file(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KnownError, match=r"vault\.key"):
        atomic_write_bytes(target, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["vault.key"]


def test_missing_folder_is_a_known_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        atomic_write_bytes(tmp_path / "no-such-folder" / "x.bin", b"x")


def test_exception_inside_writer_discards_everything(target: Path) -> None:
    with pytest.raises(ValueError, match="export failed"), atomic_writer(target) as handle:
        handle.write(b"half a PDF")
        raise ValueError("export failed")
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["vault.key"]


def test_disk_full_while_streaming_keeps_old_file(target: Path) -> None:
    with pytest.raises(DiskFull), atomic_writer(target, what="the PDF") as handle:
        handle.write(b"part")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["vault.key"]


def test_streamed_writes_are_committed_on_clean_exit(target: Path) -> None:
    with atomic_writer(target) as handle:
        for chunk in (b"a" * 100_000, b"b" * 100_000):
            handle.write(chunk)
        # Until the block ends, readers still see the old file.
        assert target.read_bytes() == b"old content"
    assert target.read_bytes() == b"a" * 100_000 + b"b" * 100_000


def test_temp_file_is_hidden_beside_the_target(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        seen.append(Path(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write_bytes(target, b"new")
    assert len(seen) == 1
    assert seen[0].parent == target.parent
    assert seen[0].name.startswith(".vault.key.tmp-")
    assert len(seen[0].name) > len(".vault.key.tmp-")


@pytest.mark.skipif(os.name != "posix", reason="directory fsync is posix-only")
def test_folder_is_fsynced_after_the_rename(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file")
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write_bytes(target, b"new")
    assert events == ["fsync-file", "replace", "fsync-dir"]
