"""Crash-safe file replacement: a crash or a full disk at any instant leaves either the old
file or the new one, never a torn mix (temp file in the same folder, fsync, os.replace, fsync
of the folder). New files are owner-only whatever the umask."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from assister_log.errors import from_os_error

# Some filesystems (certain network and FUSE mounts) cannot fsync a directory; that is not
# an error the user can act on, and the rename itself has already happened.
_DIR_FSYNC_UNSUPPORTED = frozenset(
    {errno.EINVAL, errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)}
)


def temp_name(target: Path) -> Path:
    """The temp file beside ``target``; hidden and recognisable so stale ones can be swept."""
    return target.with_name(f".{target.name}.tmp-{secrets.token_hex(8)}")


def fsync_dir(path: Path) -> None:
    """Make a rename or create inside ``path`` durable (posix only; a no-op on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        raise from_os_error(error, f"the folder {path.name or path}") from None
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise from_os_error(error, f"the folder {path.name or path}") from None
    finally:
        os.close(fd)


def _open_temp(tmp: Path, mode: int) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags, mode)
    if os.name == "posix":
        try:
            os.fchmod(fd, mode)  # os.open's mode is filtered by the umask
        except BaseException:
            os.close(fd)
            raise
    return fd


@contextmanager
def atomic_writer(path: Path, mode: int = 0o600, what: str | None = None) -> Iterator[BinaryIO]:
    """Stream into a temp file that replaces ``path`` only when the block exits cleanly.

    On an exception the temp file is removed and ``path`` is untouched. OSErrors become the
    user's situation (DiskFull, ReadOnlyLocation, ...); ``what`` names the file in messages
    (default: its file name; pass a neutral word if the name itself is sensitive).
    """
    path = Path(path)
    label = what if what is not None else path.name
    tmp = temp_name(path)
    try:
        fd = _open_temp(tmp, mode)
    except OSError as error:
        raise from_os_error(error, label) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise from_os_error(error, label) from None
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600, what: str | None = None) -> None:
    """Replace ``path`` with ``data`` so a crash leaves the old or the new content."""
    with atomic_writer(path, mode, what) as handle:
        handle.write(data)
