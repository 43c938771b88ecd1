"""A destination that is a folder: a mounted share, a synced folder, a USB drive.

Writes go to a hidden part file in the same folder, are flushed and fsynced, and replace
the target in one ``os.replace``, so a reader (the organisation's import, a sync client)
sees the old file, the new one or none, never a torn one. Symbolic links are never
followed: someone with write access to a share must not be able to point a name elsewhere.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path

from assister_log.transport.base import (
    ClosesOnExit,
    Refused,
    TooLarge,
    TransportError,
    Unreachable,
    check_limit,
    check_name,
    check_prefix,
    is_valid_name,
)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_READ_CHUNK = 8 * 1024 * 1024
# ``list`` is a method of Folder, so annotations inside the class use these names.
Names = list[str]


def _errnos(*names: str) -> frozenset[int]:
    """The errno values of ``names`` that this platform defines."""
    return frozenset(getattr(errno, name) for name in names if hasattr(errno, name))


_FULL = _errnos("ENOSPC", "EDQUOT")
_NOT_PERMITTED = _errnos("EROFS", "EACCES", "EPERM")
_GONE = _errnos(
    "ENOENT",
    "ENODEV",
    "ENXIO",
    "EIO",
    "ESTALE",
    "ENOTCONN",
    "EHOSTDOWN",
    "EHOSTUNREACH",
    "ENETDOWN",
    "ENETUNREACH",
    "ETIMEDOUT",
    "ECONNRESET",
    "ECONNABORTED",
)
_IN_THE_WAY = _errnos("EISDIR", "ENOTDIR", "EEXIST", "ELOOP", "ENAMETOOLONG")
# Directory fsync is not supported everywhere (some network and FUSE filesystems).
_NO_DIRECTORY_SYNC = _errnos("EINVAL", "ENOTSUP", "EOPNOTSUPP", "EBADF", "EACCES", "EPERM")


def folder_error(error: OSError, root: str, what: str, *, reading: bool = False) -> TransportError:
    """The user's situation behind ``error``, raised while using ``what`` (a name) in the
    delivery folder ``root``: full and not-permitted are ``Refused``, a missing or
    disconnected medium is ``Unreachable``."""
    code = error.errno
    reason = error.strerror or str(error)
    if code in _FULL:
        return Refused(
            f"The delivery folder {root} is full: free some space there, then try again."
        )
    if code in _NOT_PERMITTED:
        if reading:
            return Refused(
                f"Cannot read {what} in the delivery folder {root}: permission denied; "
                "ask whoever manages the share for read access."
            )
        return Refused(
            f"Cannot write {what} to the delivery folder {root}: it is read-only or not "
            "permitted for this user; ask whoever manages the share for write access."
        )
    if code in _IN_THE_WAY:
        return Refused(
            f"Cannot use {what} in the delivery folder {root}: something else is in the way "
            f"({reason}); move it aside, then try again."
        )
    if code in _GONE:
        return Unreachable(
            f"The delivery folder {root} cannot be reached now ({reason}): connect the drive "
            "or share, then try again."
        )
    return Unreachable(f"The delivery folder {root} failed ({reason}): try again later.")


def _sync_folder(path: Path) -> None:
    """Make a rename or a new entry in ``path`` durable (POSIX; Windows has no way)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _NO_DIRECTORY_SYNC:
            raise
    finally:
        os.close(fd)


class Folder(ClosesOnExit):
    """Files under ``root``, a folder that must exist (a share that is not mounted is
    ``Unreachable``, not silently created on the laptop's own disk)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = Path(os.path.abspath(os.fspath(root)))
        self._require_root()

    @property
    def root(self) -> Path:
        """The folder's absolute path."""
        return self._root

    def describe(self) -> str:
        return f"folder {self._root}"

    def probe(self) -> None:
        self._require_root()
        if not os.access(self._root, os.W_OK):
            raise Refused(
                f"The delivery folder {self._root} is read-only for this user: ask whoever "
                "manages the share for write access."
            )

    def put(self, name: str, data: bytes) -> None:
        check_name(name)
        self._require_root()
        *folders, base = name.split("/")
        part: Path | None = None
        try:
            parent = self._folder(folders, create=True)
            assert parent is not None  # create=True makes every folder or raises
            target = parent / base
            part = parent / f".{base}.{secrets.token_hex(8)}.part"
            fd = os.open(
                part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY, 0o666
            )
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(part, target)
            part = None
            _sync_folder(parent)
        except OSError as error:
            raise folder_error(error, str(self._root), name) from None
        finally:
            if part is not None:
                with suppress(OSError):
                    os.unlink(part)

    def get(self, name: str, limit: int) -> bytes | None:
        check_name(name)
        check_limit(limit)
        self._require_root()
        *folders, base = name.split("/")
        try:
            parent = self._folder(folders, create=False)
            if parent is None:
                return None
            path = parent / base
            try:
                info = os.lstat(path)
            except (FileNotFoundError, NotADirectoryError):
                self._require_root()  # absent, unless the share went away meanwhile
                return None
            self._check_regular(info.st_mode, name)
            if info.st_size > limit:
                raise self._too_large(name, limit)
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _BINARY)
            with os.fdopen(fd, "rb", buffering=0) as stream:
                self._check_regular(os.fstat(stream.fileno()).st_mode, name)
                data = bytearray()
                while len(data) <= limit:
                    chunk = stream.read(min(limit + 1 - len(data), _READ_CHUNK))
                    if not chunk:
                        break
                    data += chunk
        except OSError as error:
            raise folder_error(error, str(self._root), name, reading=True) from None
        if len(data) > limit:
            raise self._too_large(name, limit)
        return bytes(data)

    def list(self, prefix: str) -> list[str]:
        prefix = check_prefix(prefix)
        self._require_root()
        names: list[str] = []
        try:
            top = self._folder(prefix.split("/"), create=False) if prefix else self._root
            if top is not None:
                self._walk(top, prefix, names)
        except OSError as error:
            raise folder_error(error, str(self._root), prefix or "the root", reading=True) from None
        return sorted(names)

    def close(self) -> None:
        """Nothing to release: every operation opens and closes its own files."""

    # ------------------------------------------------------------------------ internals

    def _require_root(self) -> None:
        if not self._root.is_dir():
            raise Unreachable(
                f"The delivery folder {self._root} is not there: connect the drive or share, "
                "then try again."
            )

    def _folder(self, segments: Names, *, create: bool) -> Path | None:
        """The folder ``root/segments``, each step checked to be a real folder (never a
        symbolic link); made when ``create``, else ``None`` when a step is missing."""
        here = self._root
        for segment in segments:
            parent, here = here, here / segment
            try:
                mode = os.lstat(here).st_mode
            except FileNotFoundError:
                if not create:
                    return None
                with suppress(FileExistsError):  # another writer made it meanwhile
                    os.mkdir(here)
                _sync_folder(parent)
                mode = os.lstat(here).st_mode
            if stat.S_ISLNK(mode):
                raise Refused(
                    f"{here} in the delivery folder is a symbolic link: it is not followed; "
                    "replace it with a real folder."
                )
            if not stat.S_ISDIR(mode):
                if not create:
                    return None
                raise Refused(
                    f"{here} in the delivery folder is a file where a folder is needed: "
                    "move it aside, then try again."
                )
        return here

    def _walk(self, folder: Path, relative: str, names: Names) -> None:
        """Add every regular file under ``folder`` (named ``relative``) to ``names``;
        hidden entries (part files) and symbolic links are skipped, not followed."""
        with os.scandir(folder) as entries:
            found = [
                (
                    entry.name,
                    entry.is_dir(follow_symlinks=False),
                    entry.is_file(follow_symlinks=False),
                )
                for entry in entries
            ]
        for entry_name, is_dir, is_file in found:
            if entry_name.startswith("."):
                continue
            name = f"{relative}/{entry_name}" if relative else entry_name
            if not is_valid_name(name):
                continue
            if is_dir:
                self._walk(folder / entry_name, name, names)
            elif is_file:
                names.append(name)

    def _check_regular(self, mode: int, name: str) -> None:
        if stat.S_ISLNK(mode):
            raise Refused(
                f"{name} in the delivery folder {self._root} is a symbolic link: it is not "
                "followed."
            )
        if not stat.S_ISREG(mode):
            raise Refused(
                f"{name} in the delivery folder {self._root} is not a regular file: it is not read."
            )

    def _too_large(self, name: str, limit: int) -> TooLarge:
        return TooLarge(
            f"{name} in the delivery folder {self._root} is larger than {limit} bytes: it "
            "is not read."
        )
