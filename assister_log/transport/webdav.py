"""A destination on a WebDAV server (Nextcloud, ownCloud, SharePoint's WebDAV, Apache
mod_dav), over HTTPS only, with the standard library's ``http.client`` and ``ssl``.

The password goes in a Basic ``Authorization`` header, so plain http:// is refused outright
and certificates are always verified (hostname included); an organisation with a private
or self-signed certificate hands out its PEM file, which then becomes the only trusted
authority. Redirects are never followed: a redirect could carry the password elsewhere,
so it is reported with its target for the user to fix the URL.

A file is uploaded as ``<name>.part-<hex>`` and renamed with ``MOVE`` (``Overwrite: T``),
so a reader never sees a partial file; listings skip part names. Listings are PROPFIND
multistatus XML from a server that may be hostile: document type declarations (entity
expansion) and responses over 32 MB are refused, and only direct children of each folder
are followed, so a listing cannot loop or name files outside the root.

One keep-alive connection is reused; a connection the server dropped while idle is
reopened once. Not thread-safe: one transport per thread.
"""

from __future__ import annotations

import base64
import http.client
import secrets
import socket
import ssl
import xml.etree.ElementTree as ElementTree
from contextlib import suppress
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from assister_log.transport.base import (
    PART_MARK,
    BadName,
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

MAX_LISTING_BYTES = 32 * 1024 * 1024
_ERROR_BODY_BYTES = 64 * 1024
_READ_CHUNK = 8 * 1024 * 1024
_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>\n'
)
# Raised when a kept-alive connection was closed by the server while idle: the request
# never reached it, so one retry on a new connection is safe.
_DROPPED = (
    http.client.RemoteDisconnected,
    BrokenPipeError,
    ConnectionResetError,
    ssl.SSLEOFError,
    ssl.SSLZeroReturnError,
)
_NETWORK = (OSError, http.client.HTTPException)
# ``list`` is a method of WebDav, so annotations inside the class use these names.
Names = list[str]
Entries = list[tuple[str, bool]]


def _clean(text: str, limit: int = 200) -> str:
    """Server-supplied text made safe for a one-line message."""
    printable = "".join(c if c.isprintable() else " " for c in text).strip()
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


def _display(parts: SplitResult) -> str:
    """The URL as the user may see it: never a user name or password inside it."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def status_error(
    status: int, reason: str, where: str, location: str | None = None
) -> TransportError:
    """The user's situation behind an HTTP ``status`` from the WebDAV server at ``where``:
    what the user must fix is ``Refused``, what passes by itself is ``Unreachable``."""
    reason = _clean(reason, 80)
    if 300 <= status < 400:
        target = _clean(location, 300) if location else "an address it does not give"
        return Refused(
            f"The WebDAV server at {where} redirects to {target}: give that address as the "
            "destination URL (redirects are not followed, so the password goes only where "
            "you said)."
        )
    if status in (401, 403):
        return Refused(
            f"The WebDAV server at {where} refused the user name or password (HTTP {status}): "
            "check them, or ask your organisation whether this account may use that folder."
        )
    if status == 507:
        return Refused(
            f"The WebDAV server at {where} is full (HTTP 507): ask your organisation to free "
            "space, then try again."
        )
    if status == 413:
        return Refused(
            f"The WebDAV server at {where} does not accept a file this large (HTTP 413)."
        )
    if status in (408, 423, 425, 429) or status >= 500:
        return Unreachable(
            f"The WebDAV server at {where} cannot take requests now (HTTP {status} {reason}): "
            "try again later."
        )
    if 200 <= status < 300:
        return Refused(
            f"The address {where} does not answer as a WebDAV folder (HTTP {status}): check "
            "the URL."
        )
    return Refused(
        f"The WebDAV server at {where} answered HTTP {status} {reason}: check the URL and "
        "the account."
    )


def parse_multistatus(body: bytes) -> list[tuple[str, bool]]:
    """``(href, is_collection)`` for each response in a PROPFIND multistatus ``body``.

    The body is refused (``Refused``) when it is over ``MAX_LISTING_BYTES``, declares a
    document type or entities (an entity bomb expands to gigabytes), is not ASCII-based
    (UTF-16 would hide a declaration from the check) or is not a DAV multistatus."""
    if len(body) > MAX_LISTING_BYTES:
        raise Refused(
            f"The WebDAV server's listing is over {MAX_LISTING_BYTES} bytes: it is not read."
        )
    lowered = body.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered or b"\x00" in body:
        raise Refused(
            "The WebDAV server's listing declares a document type or entities: it is not "
            "read (it could expand without end)."
        )
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise Refused(
            "The WebDAV server's listing is not valid XML: check that the URL is a WebDAV folder."
        ) from None
    if root.tag != "{DAV:}multistatus":
        raise Refused("The WebDAV server's listing is not a DAV multistatus: check the URL.")
    entries: list[tuple[str, bool]] = []
    for response in root.iterfind("{DAV:}response"):
        href = (response.findtext("{DAV:}href") or "").strip()
        if not href:
            continue
        collection = (
            response.find("{DAV:}propstat/{DAV:}prop/{DAV:}resourcetype/{DAV:}collection")
            is not None
        )
        entries.append((href, collection))
    return entries


class WebDav(ClosesOnExit):
    """Files under the WebDAV folder ``url`` (https:// only), for account ``username``.

    ``ca_pem`` is the organisation's certificate (PEM text) when its server's certificate
    is not signed by a public authority; given, it is the only authority trusted."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        ca_pem: str | None = None,
        timeout: float = 20.0,
    ) -> None:
        parts = urlsplit(url.strip())
        shown = _display(parts)
        if parts.scheme.lower() != "https":
            raise Refused(
                f"The WebDAV address {shown} is not https://: the user name and password "
                "would be sent in the clear. Give the https:// address."
            )
        if parts.username is not None or parts.password is not None:
            raise BadName(
                f"The WebDAV address {shown} holds a user name or password: give the address "
                "without them, and the user name separately."
            )
        try:
            port = parts.port or 443
        except ValueError:
            raise BadName(f"The WebDAV address {shown} has an invalid port number.") from None
        if not parts.hostname or parts.query or parts.fragment:
            raise BadName(
                f"The WebDAV address {shown} is not a folder address like "
                "https://host/remote.php/dav/files/user/: check it."
            )
        if ":" in username:
            raise BadName("A WebDAV user name cannot contain ':'.")
        if not password:
            raise BadName("A WebDAV destination needs the password of the account on it.")
        try:
            context = (
                ssl.create_default_context(cadata=ca_pem)
                if ca_pem is not None
                else ssl.create_default_context()
            )
        except (ssl.SSLError, ValueError):
            raise BadName(
                "The certificate file is not a usable PEM certificate: ask your organisation "
                "for its certificate file again."
            ) from None
        self._host = parts.hostname
        self._port = port
        self._base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._url = f"https://{parts.netloc}{self._base_path}"
        self._context = context
        self._timeout = timeout
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._authorization = f"Basic {token}"
        self._connection: http.client.HTTPSConnection | None = None
        self._made: set[str] = set()  # folders known to exist (made or found) this session

    def describe(self) -> str:
        return f"WebDAV {self._url}"

    def probe(self) -> None:
        entries = self._propfind(self._base_path, "0")
        if entries is None:
            raise Refused(
                f"The WebDAV folder {self._url} does not exist on the server: check the URL."
            )
        if entries and not any(collection for _, collection in entries):
            raise Refused(f"The WebDAV address {self._url} is a file, not a folder: check the URL.")

    def put(self, name: str, data: bytes) -> None:
        check_name(name)
        *folders, _ = name.split("/")
        for depth in range(1, len(folders) + 1):
            self._make_folder("/".join(folders[:depth]))
        part = f"{name}{PART_MARK}{secrets.token_hex(8)}"
        try:
            response = self._request(
                "PUT",
                self._path(part),
                body=data,
                headers={"Content-Type": "application/octet-stream"},
            )
            self._finish(response)
            if response.status not in (200, 201, 204):
                if response.status in (404, 409):
                    self._made.clear()  # a folder went away: make them again next time
                raise self._status_error(response)
            response = self._request(
                "MOVE",
                self._path(part),
                headers={"Destination": self._url + quote(name, safe="/"), "Overwrite": "T"},
            )
            self._finish(response)
            if response.status not in (201, 204):
                raise self._status_error(response)
        except Unreachable:
            raise  # a delete would wait for the same timeout; a stray part file is skipped
        except TransportError:
            self._discard(part)
            raise

    def get(self, name: str, limit: int) -> bytes | None:
        check_name(name)
        check_limit(limit)
        response = self._request("GET", self._path(name))
        if response.status in (404, 410):
            self._finish(response)
            return None
        if response.status != 200:
            self._finish(response)
            raise self._status_error(response)
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            self._drop(response)
            raise self._too_large(name, limit)
        data = self._read(response, limit + 1)
        if len(data) > limit:
            self._drop(response)
            raise self._too_large(name, limit)
        return data

    def list(self, prefix: str) -> list[str]:
        prefix = check_prefix(prefix)
        names: list[str] = []
        self._list_into(prefix, names)
        return sorted(names)

    def close(self) -> None:
        self._drop()

    # ------------------------------------------------------------------------ internals

    def _path(self, name: str) -> str:
        return self._base_path + quote(name, safe="/")

    def _make_folder(self, folder: str) -> None:
        """MKCOL ``folder`` unless this session made or found it already; 405 means it
        exists."""
        if folder in self._made:
            return
        response = self._request("MKCOL", self._path(folder) + "/")
        self._finish(response)
        if response.status not in (200, 201, 405):
            raise self._status_error(response)
        self._made.add(folder)

    def _discard(self, part: str) -> None:
        """Best-effort removal of an upload that did not become a file."""
        with suppress(TransportError):
            self._finish(self._request("DELETE", self._path(part)))

    def _list_into(self, folder: str, names: Names) -> None:
        path = self._path(folder) + "/" if folder else self._base_path
        entries = self._propfind(path, "1")
        for href, collection in entries or ():
            name = self._name_of(href)
            if name is None or name == folder:
                continue
            parent, _, leaf = name.rpartition("/")
            if parent != folder or PART_MARK in leaf or not is_valid_name(name):
                continue  # only direct children: a hostile listing cannot loop or escape
            if collection:
                self._list_into(name, names)
            else:
                names.append(name)

    def _name_of(self, href: str) -> str | None:
        """The name under the base URL that ``href`` (an absolute URL or path) points to;
        ``""`` for the base itself, ``None`` for anything outside it."""
        path = unquote(urlsplit(urljoin(self._url, href)).path)
        base = unquote(self._base_path)
        if path.rstrip("/") + "/" == base:
            return ""
        if not path.startswith(base):
            return None
        return path[len(base) :].rstrip("/")

    def _propfind(self, path: str, depth: str) -> Entries | None:
        """The multistatus entries for ``path``; ``None`` if the server has no such folder."""
        response = self._request(
            "PROPFIND",
            path,
            body=_PROPFIND_BODY,
            headers={"Depth": depth, "Content-Type": 'application/xml; charset="utf-8"'},
        )
        if response.status == 404:
            self._finish(response)
            return None
        if response.status != 207:
            self._finish(response)
            raise self._status_error(response)
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > MAX_LISTING_BYTES:
            self._drop(response)
            raise Refused(
                f"The WebDAV server's listing is over {MAX_LISTING_BYTES} bytes: it is not read."
            )
        body = self._read(response, MAX_LISTING_BYTES + 1)
        if len(body) > MAX_LISTING_BYTES:
            self._drop(response)  # the rest is never read
        return parse_multistatus(body)  # refuses the oversized body

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPResponse:
        """Send one request and return its response (status and headers read, body not)."""
        all_headers = {"Authorization": self._authorization, "User-Agent": "Assister Log"}
        all_headers.update(headers or {})
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPSConnection(
                    self._host, self._port, timeout=self._timeout, context=self._context
                )
            connection = self._connection
            kept_alive = connection.sock is not None
            try:
                connection.request(method, path, body=body, headers=all_headers)
                return connection.getresponse()
            except _DROPPED as error:
                self._drop()
                if kept_alive and attempt == 1:
                    continue  # the server closed the idle connection: once more, fresh
                raise self._network_error(error) from None
            except _NETWORK as error:
                self._drop()
                raise self._network_error(error) from None
        raise AssertionError("the loop returns or raises")  # pragma: no cover

    def _read(self, response: http.client.HTTPResponse, most: int) -> bytes:
        """At most ``most`` bytes of the body (stops there; never reads the rest)."""
        data = bytearray()
        try:
            while len(data) < most:
                chunk = response.read(min(most - len(data), _READ_CHUNK))
                if not chunk:
                    break
                data += chunk
        except _NETWORK as error:
            self._drop(response)
            raise self._network_error(error) from None
        return bytes(data)

    def _finish(self, response: http.client.HTTPResponse) -> None:
        """Read a response's (small) body so the connection can carry the next request;
        a long one closes the connection instead of being read."""
        self._read(response, _ERROR_BODY_BYTES + 1)
        if not response.isclosed():
            self._drop(response)

    def _drop(self, response: http.client.HTTPResponse | None = None) -> None:
        """Close the connection (and a response still being read: after a ``Connection:
        close`` answer the response, not the connection, holds the socket)."""
        if response is not None:
            response.close()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _status_error(self, response: http.client.HTTPResponse) -> TransportError:
        return status_error(
            response.status, response.reason, self._url, response.getheader("Location")
        )

    def _too_large(self, name: str, limit: int) -> TooLarge:
        return TooLarge(
            f"{name} on the WebDAV server {self._url} is larger than {limit} bytes: it is not read."
        )

    def _network_error(self, error: BaseException) -> TransportError:
        host = self._host
        if isinstance(error, ssl.SSLCertVerificationError):
            why = _clean(error.verify_message or str(error), 120)
            return Refused(
                f"The WebDAV server {host}'s certificate is not trusted ({why}): ask your "
                "organisation for its certificate file (--ca-file)."
            )
        if isinstance(error, socket.gaierror):
            return Unreachable(
                f"The WebDAV server {host} cannot be found now (no network, or a wrong name): "
                "try again when online."
            )
        if isinstance(error, TimeoutError):
            return Unreachable(
                f"The WebDAV server {host} did not answer within {self._timeout:g} s: try "
                "again later."
            )
        if isinstance(error, ConnectionRefusedError):
            return Unreachable(
                f"The WebDAV server {host} refused the connection (it may be down): try "
                "again later."
            )
        reason = _clean(str(error) or type(error).__name__, 120)
        return Unreachable(
            f"The WebDAV server {host} cannot be reached now ({reason}): try again later."
        )
