"""Real HTTPS servers for the transport and hand-off tests: a WsgiDAV server over a folder
(Basic auth, locks, a self-signed certificate for 127.0.0.1 made at run time) and a tiny
canned server that answers every request the same way (redirects, hostile listings).

Each can be stopped and started again on the same port, to play a server that goes
offline and comes back while a client keeps its transport object."""

from __future__ import annotations

import datetime
import ipaddress
import logging
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from wsgidav.wsgidav_app import WsgiDAVApp

HOST = "127.0.0.1"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def self_signed_certificate(folder: Path, host: str = HOST) -> tuple[Path, Path, str]:
    """A P-256 key and a self-signed certificate for IP ``host`` written into ``folder``:
    ``(certificate file, key file, certificate PEM text)``. It is its own CA (what a
    self-hosted Nextcloud often has), with the extensions strict verifiers want."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Assister Log test {host}")])
    now = datetime.datetime.now(datetime.UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    cert_file, key_file = folder / "server.crt", folder / "server.key"
    cert_file.write_text(pem)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file, pem


class _QuietServer(wsgi.Server):  # type: ignore[misc]
    """cheroot's server, with its error log (failed handshakes from clients that do not
    trust the certificate, on purpose) kept instead of written to stderr."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.errors: list[str] = []

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        self.errors.append(msg)


def _free_port() -> int:
    """A port nobody listens on now. cheroot sets SO_REUSEADDR only for a port it is given
    (not for port 0), and without it a restart on the same port fails while the closed
    connections linger, so the port is chosen here and always passed in."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


class HttpsServer:
    """A WSGI app served over HTTPS on 127.0.0.1 in a daemon thread; ``url`` ends with
    ``path``. The port is picked on the first start and kept on later ones."""

    def __init__(self, app: WsgiApp, certificate: Path, key: Path, ca_pem: str, path: str):
        self.app = app
        self.ca_pem = ca_pem
        self._certificate = certificate
        self._key = key
        self._path = path
        self.port = 0
        self._server: _QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.port}{self._path}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        """Listen (again) on the same port and serve in a background thread."""
        if self._server is not None:
            return
        if self.port == 0:
            self.port = _free_port()
        server = _QuietServer((HOST, self.port), self.app, numthreads=4, shutdown_timeout=2)
        server.expiration_interval = 0.05  # how long stop() waits for the serving loop
        server.ssl_adapter = BuiltinSSLAdapter(str(self._certificate), str(self._key))
        server.prepare()
        thread = threading.Thread(target=server.serve, name=f"https-{self.port}", daemon=True)
        thread.start()
        self._server, self._thread = server, thread

    def stop(self) -> None:
        """Stop listening and close every open connection (the server "goes offline")."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.stop()
        if thread is not None:
            thread.join(timeout=5)


@contextmanager
def https_server(app: WsgiApp, path: str = "/") -> Iterator[HttpsServer]:
    """``app`` over HTTPS with a fresh self-signed certificate, stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="assister-tls-") as folder:
        certificate, key, pem = self_signed_certificate(Path(folder))
        server = HttpsServer(app, certificate, key, pem, path)
        server.start()
        try:
            yield server
        finally:
            server.stop()


@contextmanager
def webdav_server(root: Path, user: str, password: str) -> Iterator[HttpsServer]:
    """A WsgiDAV server publishing folder ``root`` at ``https://127.0.0.1:PORT/dav/``,
    for ``user``/``password`` only (Basic auth, no anonymous access), locks on."""
    logging.getLogger("wsgidav").setLevel(logging.ERROR)
    app = WsgiDAVApp(
        {
            "provider_mapping": {"/dav": str(root)},
            "simple_dc": {"user_mapping": {"*": {user: {"password": password}}}},
            "http_authenticator": {
                "domain_controller": None,  # the simple one, from simple_dc
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "lock_storage": True,
            "dir_browser": {"enable": False},
            "verbose": 0,
            "logging": {"enable": False},
        }
    )
    with https_server(app, "/dav/") as server:
        yield server


def canned_app(
    status: str,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    *,
    chunked: bool = False,
) -> WsgiApp:
    """A WSGI app answering every request with ``status``, ``headers`` and ``body`` (the
    request body is read first, as a real server would); ``chunked`` sends no
    Content-Length, so the client cannot know the size before reading."""
    fixed = list(headers)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        names = {name.lower() for name, _ in fixed}
        sized = chunked or "content-length" in names
        extra = [] if sized else [("Content-Length", str(len(body)))]
        start_response(status, [*fixed, *extra])
        if chunked:  # several pieces, so cheroot streams them chunked
            return [body[i : i + 4096] for i in range(0, len(body), 4096)]
        return [body]

    return app
