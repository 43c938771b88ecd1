"""Two kinds of failure: a KnownError is the user's situation (wrong passphrase, disk full,
a locked or corrupt vault, bad input) and gets a one-line message; anything else is a bug
and gets a crash report without record data."""

from __future__ import annotations


class KnownError(Exception):
    """A situation the user can act on. ``str(error)`` is the one-line message to show."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(KnownError):
    """Input the user gave is malformed or breaks a rule (JSON, a field, a passphrase)."""


class WrongSecret(KnownError):
    """The passphrase or recovery key does not open this vault. Files are untouched."""


class CorruptVault(KnownError):
    """A vault file is damaged, foreign, or has been altered."""


class NotAVault(KnownError):
    """The folder holds no vault (missing key file and database)."""


class VaultExists(KnownError):
    """Refusing to create a vault where one already exists."""


class VaultLocked(KnownError):
    """Another Assister Log process has this vault open for writing."""


class DiskFull(KnownError):
    """No space left on the device holding the vault or the output."""


class ReadOnlyLocation(KnownError):
    """The folder cannot be written to (permissions or a read-only medium)."""


class NotFound(KnownError):
    """A record, attachment or file the user named does not exist."""


class RecordSealed(KnownError):
    """A finalized record cannot be edited; only addenda can be added."""


class IntegrityFailure(KnownError):
    """The seal chain or the database failed verification."""


def from_os_error(error: OSError, what: str, *, reading: bool = False) -> KnownError:
    """Map an OSError to the user's situation; ``what`` names the thing being written (or
    read, with ``reading=True``)."""
    import errno

    if error.errno == errno.ENOENT:
        return NotFound(f"Cannot find {what}: check the path.")
    if reading:
        if error.errno in (errno.EACCES, errno.EPERM):
            return KnownError(f"Cannot read {what}: permission denied; check the file's owner.")
        if error.errno == errno.EISDIR:
            return BadInput(f"Cannot read {what}: it is a folder; choose a file.")
        return KnownError(f"Cannot read {what}: {error.strerror or error}.")
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"The disk is full while writing {what}: free some space and try again.")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyLocation(
            f"Cannot write {what}: the folder is read-only or not permitted; "
            "choose a folder you can write to."
        )
    return KnownError(f"Cannot write {what}: {error.strerror or error}.")
