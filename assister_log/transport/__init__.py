"""The delivery layer: opaque, already encrypted files (envelopes, receipts) carried between
a navigator's laptop and an organisation's storage, a folder or a WebDAV server.

Only the standard library and ``assister_log.errors``: the layer knows nothing of vaults,
records or envelopes, and is bytes in, bytes out. ``open_transport`` turns a destination as
stored in a profile (a small dict) into a ``Transport``.
"""

from __future__ import annotations

from collections.abc import Mapping

from assister_log.transport.base import (
    BadName,
    Refused,
    TooLarge,
    Transport,
    TransportError,
    Unreachable,
    check_name,
)
from assister_log.transport.folder import Folder
from assister_log.transport.webdav import WebDav

__all__ = [
    "BadName",
    "Folder",
    "Refused",
    "TooLarge",
    "Transport",
    "TransportError",
    "Unreachable",
    "WebDav",
    "check_name",
    "open_transport",
]


def open_transport(
    spec: Mapping[str, str], password: str | None = None, ca_pem: str | None = None
) -> Transport:
    """The transport for destination ``spec``: ``{"kind": "folder", "path": ...}`` or
    ``{"kind": "webdav", "url": "https://...", "username": ...}`` (with ``password`` and,
    for a private certificate authority, ``ca_pem``). Anything else is ``BadName``."""
    kind = spec.get("kind")
    if kind == "folder":
        path = spec.get("path")
        if not path:
            raise BadName("The folder destination names no folder: give its path.")
        return Folder(path)
    if kind == "webdav":
        url = spec.get("url")
        if not url:
            raise BadName("The WebDAV destination names no URL: give its https:// address.")
        if not password:
            raise BadName("The WebDAV destination needs the password of the account on it.")
        return WebDav(url, spec.get("username") or "", password, ca_pem=ca_pem)
    raise BadName(
        f"The destination kind {kind!r} is not one this app can deliver to "
        "(a folder or a WebDAV URL)."
    )
