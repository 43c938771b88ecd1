"""A folder destination: whole files only, nothing outside the root, and failures that say
whether to wait (the share is not there) or to act (full, read-only, a link)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from assister_log.transport import Folder, Refused, TooLarge, Unreachable
from assister_log.transport.folder import folder_error

NAME = "assister-log/envelopes/0123456789abcdef/0000000001-0123456789abcdef.age"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


@pytest.fixture
def folder(root: Path) -> Folder:
    return Folder(root)


def files_under(root: Path) -> list[str]:
    """Every file on disk under ``root``, hidden ones included."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())


def test_round_trip_puts_the_bytes_where_the_name_says(folder: Folder, root: Path) -> None:
    data = os.urandom(70_000)
    folder.put(NAME, data)
    assert (root / NAME).read_bytes() == data
    assert folder.get(NAME, len(data)) == data
    assert folder.list("assister-log") == [NAME]
    assert folder.list("assister-log/envelopes/") == [NAME]
    assert files_under(root) == [NAME]  # no part file left behind


def test_overwriting_replaces_the_whole_file(folder: Folder, root: Path) -> None:
    folder.put("receipt.json", b"x" * 10_000)
    folder.put("receipt.json", b"short")
    assert folder.get("receipt.json", 100) == b"short"
    assert files_under(root) == ["receipt.json"]


def test_absent_is_none_and_a_missing_prefix_is_empty(folder: Folder) -> None:
    assert folder.get("assister-log/receipts/nothing.json", 100) is None
    assert folder.list("assister-log/receipts") == []


def test_list_is_recursive_sorted_and_skips_part_hidden_and_odd_files(
    folder: Folder, root: Path
) -> None:
    for name in ("b/2.age", "a/1.age", "a/deeper/3.age", "top.json"):
        folder.put(name, b"1")
    (root / "a" / ".1.age.0123abcd.part").write_bytes(b"half")  # this module's upload
    (root / "a" / "4.age.part-0123abcd").write_bytes(b"half")  # a WebDAV client's upload
    (root / ".hidden").mkdir()
    (root / ".hidden" / "5.age").write_bytes(b"1")
    (root / "a" / "with space.age").write_bytes(b"1")  # a name get() would refuse
    assert folder.list("") == ["a/1.age", "a/deeper/3.age", "b/2.age", "top.json"]
    assert folder.list("a") == ["a/1.age", "a/deeper/3.age"]


def test_a_missing_root_is_unreachable_with_a_plain_message(tmp_path: Path) -> None:
    missing = tmp_path / "not-mounted"
    with pytest.raises(Unreachable) as caught:
        Folder(missing)
    assert str(caught.value) == (
        f"The delivery folder {missing} is not there: connect the drive or share, then try again."
    )


def test_a_share_that_goes_away_is_unreachable_not_empty(folder: Folder, root: Path) -> None:
    folder.put("a/1.age", b"1")
    shutil.rmtree(root)  # the share is unmounted
    with pytest.raises(Unreachable):
        folder.get("a/1.age", 10)
    with pytest.raises(Unreachable):
        folder.list("a")
    with pytest.raises(Unreachable):
        folder.put("a/2.age", b"2")
    with pytest.raises(Unreachable):
        folder.probe()
    assert not root.exists()  # a put never recreates the share on the laptop's own disk


def test_get_refuses_a_file_over_the_limit(folder: Folder) -> None:
    folder.put("big.age", b"x" * 1000)
    assert folder.get("big.age", 1000) == b"x" * 1000
    with pytest.raises(TooLarge, match="larger than 999 bytes") as caught:
        folder.get("big.age", 999)
    assert isinstance(caught.value, Refused)


def test_symbolic_links_are_not_followed(folder: Folder, root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"outside the share")
    (root / "link.age").symlink_to(secret)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.age").write_bytes(b"outside")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(Refused, match="symbolic link"):
        folder.get("link.age", 100)
    with pytest.raises(Refused, match="symbolic link"):
        folder.get("linked/x.age", 100)
    with pytest.raises(Refused, match="symbolic link"):
        folder.put("linked/new.age", b"data")
    assert folder.list("") == []
    assert sorted(p.name for p in outside.iterdir()) == ["x.age"]


def test_a_folder_where_a_file_is_named_is_refused(folder: Folder, root: Path) -> None:
    (root / "a.age").mkdir()
    with pytest.raises(Refused, match="not a regular file"):
        folder.get("a.age", 100)
    with pytest.raises(Refused):
        folder.put("a.age", b"data")


def test_a_full_disk_is_refused_and_keeps_the_old_file(
    folder: Folder, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.put("r.json", b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(Refused, match="is full"):
        folder.put("r.json", b"new and longer")
    monkeypatch.undo()
    assert folder.get("r.json", 100) == b"old"
    assert files_under(root) == ["r.json"]  # the part file was removed


@pytest.mark.skipif(
    getattr(os, "geteuid", lambda: -1)() == 0,
    reason="root writes through chmod; see the errno map test",
)
def test_a_read_only_folder_is_refused(folder: Folder, root: Path) -> None:
    root.chmod(0o555)
    try:
        with pytest.raises(Refused, match="read-only"):
            folder.probe()
        with pytest.raises(Refused, match="read-only"):
            folder.put("a.age", b"x")
    finally:
        root.chmod(0o755)


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (errno.EROFS, Refused, "read-only or not permitted"),
        (errno.EACCES, Refused, "read-only or not permitted"),
        (errno.EPERM, Refused, "read-only or not permitted"),
        (errno.ENOSPC, Refused, "is full"),
        (errno.EDQUOT, Refused, "is full"),
        (errno.ENOENT, Unreachable, "cannot be reached now"),
        (errno.ENODEV, Unreachable, "cannot be reached now"),
        (errno.EIO, Unreachable, "cannot be reached now"),
        (errno.ESTALE, Unreachable, "cannot be reached now"),
        (errno.ENOTCONN, Unreachable, "cannot be reached now"),
        (errno.EHOSTDOWN, Unreachable, "cannot be reached now"),
    ],
)
def test_errno_map(code: int, kind: type[Exception], words: str) -> None:
    error = folder_error(OSError(code, os.strerror(code)), "/mnt/share", "a.age")
    assert type(error) is kind
    assert words in str(error) and "/mnt/share" in str(error)


def test_a_read_only_medium_refuses_the_write_and_leaves_nothing(
    folder: Folder, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(Refused, match="read-only"):
        folder.put("a.age", b"x")
    monkeypatch.undo()
    assert files_under(root) == []
