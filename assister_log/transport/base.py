"""What every destination promises, and the two ways a delivery can fail.

A transport carries opaque files (age envelopes, signed receipts: already encrypted and
signed, so the transport never sees record data) between a navigator's laptop and an
organisation's storage. It knows nothing about what the bytes mean; it only guarantees that
a reader sees either a whole file or none, that names cannot leave the destination, and
that a failure says whether to wait (``Unreachable``) or to act (``Refused``).

Adding an S3-compatible store later (for example one with S3 Object Lock, so delivered
envelopes cannot be deleted or rewritten during their retention period) maps onto the same
protocol without changing callers:

- ``put(name, data)``: one ``PutObject`` of key ``<prefix>/<name>`` is already atomic (a
  reader sees the old object, the new one, or none). Send ``Content-MD5`` or
  ``x-amz-checksum-sha256`` so a damaged upload is rejected, and either ``If-None-Match: *``
  (write once: a 412 for an existing envelope is success if the bytes match) or, on a
  bucket with object lock, ``x-amz-object-lock-mode: COMPLIANCE`` plus
  ``x-amz-object-lock-retain-until-date``. Receipts are rewritten on replay, so they go
  to a prefix without retention or are written once under a name that never changes.
- ``get(name, limit)``: ``GetObject`` with ``Range: bytes=0-<limit>`` so no more than
  ``limit + 1`` bytes ever arrive; ``NoSuchKey`` (404) is ``None``; a ``Content-Range``
  total over ``limit`` is ``TooLarge``.
- ``list(prefix)``: ``ListObjectsV2`` with ``Prefix=<prefix>/`` (no delimiter, so it is
  recursive), following ``ContinuationToken`` pages; keys come back sorted already.
- ``probe()``: ``HeadBucket``. Status mapping as for WebDAV: 403 ``AccessDenied`` or
  ``SignatureDoesNotMatch`` is ``Refused``; 5xx, ``SlowDown`` and socket errors are
  ``Unreachable``.
- Credentials are an access key and secret (SigV4), never sent in the clear; HTTPS only.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Protocol, Self

from assister_log.errors import BadInput, KnownError

MAX_NAME_LENGTH = 1024
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
# A WebDAV upload in flight is ``<name>.part-<hex>``: a name must never look like one, or
# listings would hide it.
PART_MARK = ".part-"


class TransportError(KnownError):
    """A delivery failed in a way the user is told about in one line."""


class Unreachable(TransportError):
    """The destination cannot be reached now (offline, DNS, timeout, connection refused,
    a server error, a share that is not mounted): nothing to fix, retry later."""


class Refused(TransportError):
    """The destination answered and said no (credentials, full, untrusted certificate,
    read-only, a moved address): the user must act before a retry can succeed."""


class TooLarge(Refused):
    """A file at the destination is larger than the caller accepts: it is not read."""


class BadName(TransportError, BadInput):
    """A file name or destination setting the transport will not use."""


class ClosesOnExit:
    """``with Folder(...) as t:`` / ``with WebDav(...) as t:``: ``close()`` on the way out."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Transport(Protocol):
    """A destination for opaque files, addressed by '/'-separated names under its root."""

    def describe(self) -> str:
        """Human text naming the destination ("folder /mnt/share"), never a password."""
        ...

    def probe(self) -> None:
        """Check that the destination can be used now; raise ``Unreachable``/``Refused``."""
        ...

    def put(self, name: str, data: bytes) -> None:
        """Store ``data`` as ``name`` atomically and durably, replacing any old file whole."""
        ...

    def get(self, name: str, limit: int) -> bytes | None:
        """The bytes of ``name``, ``None`` if absent; ``TooLarge`` over ``limit`` bytes."""
        ...

    def list(self, prefix: str) -> list[str]:
        """Every file name under folder ``prefix`` (recursively), sorted, part files
        left out; ``[]`` when the folder does not exist."""
        ...

    def close(self) -> None:
        """Release connections; the transport is not used afterwards."""
        ...


def check_name(name: str) -> str:
    """``name`` if it is a safe relative file name, else ``BadName``.

    Segments are ASCII letters, digits, '.', '_' and '-', starting with a letter or digit,
    so no segment can be '.', '..', empty, hidden or absolute; '..' anywhere is refused as
    well. This is what keeps a hostile listing or a bug from writing outside the root."""
    if not isinstance(name, str) or not name:
        raise BadName("A file name for the destination is empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise BadName(f"A file name for the destination is longer than {MAX_NAME_LENGTH}.")
    if ".." in name or PART_MARK in name:
        raise BadName(f"The file name {name!r} is not allowed at the destination.")
    for segment in name.split("/"):
        if not _SEGMENT.fullmatch(segment):
            raise BadName(
                f"The file name {name!r} is not allowed at the destination: each part must "
                "be letters, digits, '.', '_' or '-', starting with a letter or digit."
            )
    return name


def check_prefix(prefix: str) -> str:
    """A folder prefix for ``list``: ``""`` (the root) or a valid name; a trailing '/' is
    dropped."""
    if prefix == "":
        return ""
    return check_name(prefix.removesuffix("/"))


def is_valid_name(name: str) -> bool:
    """Whether ``check_name`` accepts ``name`` (listings skip names a get would refuse)."""
    try:
        check_name(name)
    except BadName:
        return False
    return True


def check_limit(limit: int) -> int:
    """A byte limit for ``get``: a non-negative int."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise BadName(f"The size limit {limit!r} is not a number of bytes.")
    return limit
