"""A WebDAV destination against a real WsgiDAV server over HTTPS (and a few canned servers
for what WsgiDAV never does: redirects, hostile listings, full disks, outages)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from assister_log.transport import BadName, Refused, TooLarge, Unreachable, WebDav
from assister_log.transport.webdav import parse_multistatus, status_error
from tests.support.webdav import HttpsServer, WsgiApp, canned_app, https_server, webdav_server

USER = "jamie"
PASSWORD = "correct-horse-Battery-9"
ENVELOPE = "assister-log/envelopes/0123456789abcdef/0000000001-0123456789abcdef.age"
RECEIPT = "assister-log/receipts/0123456789abcdef/0000000001-0123456789abcdef.json"


@pytest.fixture
def dav_root(tmp_path: Path) -> Path:
    root = tmp_path / "dav"
    root.mkdir()
    return root


@pytest.fixture
def server(dav_root: Path) -> Iterator[HttpsServer]:
    with webdav_server(dav_root, USER, PASSWORD) as running:
        yield running


@pytest.fixture
def dav(server: HttpsServer) -> Iterator[WebDav]:
    with WebDav(server.url, USER, PASSWORD, ca_pem=server.ca_pem, timeout=5) as transport:
        yield transport


@contextmanager
def client_of(app: WsgiApp, path: str = "/dav/") -> Iterator[WebDav]:
    """A transport to a canned HTTPS server running ``app`` (its certificate trusted)."""
    with (
        https_server(app, path) as server,
        WebDav(server.url, USER, PASSWORD, ca_pem=server.ca_pem, timeout=5) as dav,
    ):
        yield dav


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_round_trip_with_nested_folders(dav: WebDav, dav_root: Path) -> None:
    dav.probe()
    envelope, receipt = os.urandom(300_000), b'{"receipt": 1}'
    dav.put(ENVELOPE, envelope)
    dav.put(RECEIPT, receipt)
    assert (dav_root / ENVELOPE).read_bytes() == envelope  # where the organisation reads it
    assert dav.get(ENVELOPE, len(envelope)) == envelope
    assert dav.get(RECEIPT, 1000) == receipt
    assert dav.list("assister-log") == [ENVELOPE, RECEIPT]
    assert dav.list("assister-log/receipts/") == [RECEIPT]
    assert dav.list("") == [ENVELOPE, RECEIPT]
    assert files_under(dav_root) == [ENVELOPE, RECEIPT]  # no part file left behind


def test_overwriting_replaces_the_whole_file(dav: WebDav, dav_root: Path) -> None:
    dav.put("r/receipt.json", b"x" * 50_000)
    dav.put("r/receipt.json", b"short")
    assert dav.get("r/receipt.json", 100) == b"short"
    assert files_under(dav_root) == ["r/receipt.json"]


def test_absent_is_none_and_a_missing_prefix_is_empty(dav: WebDav) -> None:
    assert dav.get("assister-log/receipts/none.json", 100) is None
    assert dav.list("assister-log/receipts") == []


def test_list_skips_uploads_in_flight(dav: WebDav, dav_root: Path) -> None:
    dav.put("a/1.age", b"1")
    (dav_root / "a" / "2.age.part-0123abcd").write_bytes(b"half")
    (dav_root / "a" / "odd name.age").write_bytes(b"1")
    assert dav.list("a") == ["a/1.age"]


def test_get_refuses_a_file_over_the_limit(dav: WebDav) -> None:
    dav.put("big.age", b"x" * 5000)
    assert dav.get("big.age", 5000) == b"x" * 5000
    with pytest.raises(TooLarge, match="larger than 4999 bytes"):
        dav.get("big.age", 4999)
    assert dav.get("big.age", 5000) == b"x" * 5000  # the transport is still usable


def test_get_stops_reading_a_body_of_unknown_length_past_the_limit() -> None:
    body = b"y" * 200_000
    with client_of(canned_app("200 OK", body=body, chunked=True)) as dav:
        with pytest.raises(TooLarge):
            dav.get("big.age", 1000)
        assert dav.get("big.age", len(body)) == body  # the transport is still usable


def test_a_wrong_password_is_refused(server: HttpsServer) -> None:
    with WebDav(server.url, USER, "wrong password", ca_pem=server.ca_pem) as dav:
        with pytest.raises(Refused, match="refused the user name or password") as caught:
            dav.probe()
        with pytest.raises(Refused, match="user name or password"):
            dav.put("a.age", b"x")
    assert "wrong password" not in str(caught.value)


def test_an_untrusted_certificate_is_refused(server: HttpsServer) -> None:
    with (
        WebDav(server.url, USER, PASSWORD, timeout=5) as dav,
        pytest.raises(Refused, match=r"certificate is not trusted.*--ca-file"),
    ):
        dav.probe()


def test_another_servers_certificate_is_not_trusted(server: HttpsServer, dav_root: Path) -> None:
    with (
        webdav_server(dav_root, USER, PASSWORD) as other,
        WebDav(server.url, USER, PASSWORD, ca_pem=other.ca_pem, timeout=5) as dav,
        pytest.raises(Refused, match="not trusted"),
    ):
        dav.probe()


def test_a_server_that_goes_offline_is_unreachable_then_works_again(
    server: HttpsServer, dav: WebDav
) -> None:
    dav.put("a/1.age", b"before")
    server.stop()
    with pytest.raises(Unreachable, match=r"cannot be reached|refused the connection"):
        dav.probe()
    with pytest.raises(Unreachable):
        dav.put("a/2.age", b"while offline")
    server.start()
    dav.put("a/2.age", b"after")  # the same transport object, a new connection
    assert dav.list("a") == ["a/1.age", "a/2.age"]


def test_a_dropped_keep_alive_connection_is_reopened(server: HttpsServer, dav: WebDav) -> None:
    dav.put("a/1.age", b"1")
    server.stop()  # closes the kept-alive connection under the transport
    server.start()
    assert dav.get("a/1.age", 10) == b"1"


def test_a_server_that_never_answers_times_out_as_unreachable() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        with (
            WebDav(f"https://127.0.0.1:{port}/dav/", USER, PASSWORD, timeout=0.3) as dav,
            pytest.raises(Unreachable, match=r"did not answer within 0\.3 s"),
        ):
            dav.probe()


def test_an_unknown_host_is_unreachable() -> None:
    with (
        WebDav("https://no-such-host.invalid/dav/", USER, PASSWORD, timeout=2) as dav,
        pytest.raises(Unreachable, match=r"no-such-host\.invalid"),
    ):
        dav.probe()


@pytest.mark.parametrize("url", ["http://127.0.0.1/dav/", "HTTP://host/x", "ftp://host/x"])
def test_plain_http_is_refused_before_anything_is_sent(url: str) -> None:
    with pytest.raises(Refused, match=r"not https://.*sent in the clear"):
        WebDav(url, USER, PASSWORD)


def test_credentials_inside_the_url_are_refused_and_not_repeated() -> None:
    with pytest.raises(BadName, match="holds a user name or password") as caught:
        WebDav("https://jamie:hunter2@host/dav/", USER, PASSWORD)
    assert "hunter2" not in str(caught.value)


def test_describe_names_the_folder_never_the_password(dav: WebDav, server: HttpsServer) -> None:
    assert dav.describe() == f"WebDAV {server.url}"
    assert PASSWORD not in dav.describe()


def test_a_redirect_is_refused_with_its_target() -> None:
    app = canned_app("301 Moved Permanently", [("Location", "https://cloud.example.org/dav/")])
    with client_of(app, "/old/") as dav:
        with pytest.raises(Refused, match=r"redirects to https://cloud\.example\.org/dav/"):
            dav.probe()
        with pytest.raises(Refused, match="redirects"):
            dav.get("a.age", 10)


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (301, Refused, "redirects to https://x.example/"),
        (307, Refused, "redirects to"),
        (401, Refused, "refused the user name or password"),
        (403, Refused, "refused the user name or password"),
        (507, Refused, "is full"),
        (500, Unreachable, "cannot take requests now"),
        (502, Unreachable, "cannot take requests now"),
        (503, Unreachable, "cannot take requests now"),
        (423, Unreachable, "cannot take requests now"),
        (400, Refused, "answered HTTP 400"),
        (200, Refused, "does not answer as a WebDAV folder"),
    ],
)
def test_status_map(status: int, kind: type[Exception], words: str) -> None:
    error = status_error(status, "Reason", "https://h/dav/", "https://x.example/")
    assert type(error) is kind
    assert words in str(error)


def test_a_full_server_refuses_and_an_overloaded_one_is_unreachable() -> None:
    with (
        client_of(canned_app("507 Insufficient Storage")) as dav,
        pytest.raises(Refused, match="is full"),
    ):
        dav.put("a.age", b"x")
    with client_of(canned_app("503 Service Unavailable")) as dav, pytest.raises(Unreachable):
        dav.put("a.age", b"x")


def recording_app(answers: dict[str, str], seen: list[tuple[str, str, str]]) -> WsgiApp:
    """A server answering each method with ``answers[method]``, recording (method, path,
    Destination)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"].read(length)
        method = environ["REQUEST_METHOD"]
        seen.append((method, environ["PATH_INFO"], environ.get("HTTP_DESTINATION", "")))
        start_response(answers[method], [("Content-Length", "0")])
        return [b""]

    return app


def test_a_failed_rename_removes_the_upload() -> None:
    seen: list[tuple[str, str, str]] = []
    answers = {
        "MKCOL": "201 Created",
        "PUT": "201 Created",
        "MOVE": "507 Full",
        "DELETE": "204 No Content",
    }
    with client_of(recording_app(answers, seen), "/dav/") as dav:
        url = dav.describe().removeprefix("WebDAV ")
        with pytest.raises(Refused, match="is full"):
            dav.put("a/b/c.age", b"data")
    methods = [method for method, _, _ in seen]
    assert methods == ["MKCOL", "MKCOL", "PUT", "MOVE", "DELETE"]
    assert [path for _, path, _ in seen[:2]] == ["/dav/a/", "/dav/a/b/"]
    part = seen[2][1]
    assert part.startswith("/dav/a/b/c.age.part-")
    assert seen[3] == ("MOVE", part, f"{url}a/b/c.age")
    assert seen[4][1] == part


def test_folders_are_made_once_per_session() -> None:
    seen: list[tuple[str, str, str]] = []
    answers = {"MKCOL": "405 Method Not Allowed", "PUT": "201 Created", "MOVE": "204 No Content"}
    with client_of(recording_app(answers, seen), "/dav/") as dav:
        dav.put("a/1.age", b"1")  # 405: the folder exists already
        dav.put("a/2.age", b"2")
    assert [method for method, _, _ in seen] == ["MKCOL", "PUT", "MOVE", "PUT", "MOVE"]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>&lol2;</d:href></d:response></d:multistatus>
"""


def multistatus(*hrefs: tuple[str, bool]) -> bytes:
    parts = [
        f"<d:response><d:href>{href}</d:href><d:propstat><d:prop><d:resourcetype>"
        f"{'<d:collection/>' if collection else ''}</d:resourcetype></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        for href, collection in hrefs
    ]
    return (
        '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">' + "".join(parts) + "</d:multistatus>"
    ).encode()


def test_parse_multistatus_reads_hrefs_and_folders() -> None:
    body = multistatus(("/dav/", True), ("/dav/a.age", False), ("/dav/sub/", True))
    assert parse_multistatus(body) == [("/dav/", True), ("/dav/a.age", False), ("/dav/sub/", True)]


@pytest.mark.parametrize(
    "body",
    [
        BOMB,
        b'<?xml version="1.0"?><!doctype x SYSTEM "file:///etc/passwd"><x/>',
        '<?xml version="1.0" encoding="utf-16"?><d:multistatus xmlns:d="DAV:"/>'.encode("utf-16"),
        b"<html>not webdav</html>",
        b"not xml at all <<<",
    ],
)
def test_parse_multistatus_refuses_entities_and_non_listings(body: bytes) -> None:
    with pytest.raises(Refused, match="listing"):
        parse_multistatus(body)


def test_a_listing_with_a_doctype_is_refused_by_list() -> None:
    app = canned_app("207 Multi-Status", [("Content-Type", "application/xml")], BOMB)
    with client_of(app, "/dav/") as dav, pytest.raises(Refused, match="document type"):
        dav.list("")


def test_a_hostile_listing_cannot_name_files_outside_or_loop(tmp_path: Path) -> None:
    body = multistatus(
        ("/dav/", True),
        ("/dav/", True),  # itself again
        ("https://127.0.0.1/dav/plain.age", False),  # an absolute URL: fine
        ("/dav/%65ncoded.age", False),  # percent-encoded "encoded.age"
        ("/other/outside.age", False),  # outside the base
        ("/dav/a/b/deep.age", False),  # not a direct child of the folder listed
        ("/dav/x%2F..%2F..%2Fetc.age", False),  # an encoded '/' makes it a deeper name
        ("/dav/up.age.part-0123", False),  # an upload in flight
        ("/", True),  # an ancestor
    )
    app = canned_app("207 Multi-Status", [("Content-Type", "application/xml")], body)
    with client_of(app, "/dav/") as dav:
        assert dav.list("") == ["encoded.age", "plain.age"]


def test_tls_is_verified_against_the_hostname(server: HttpsServer) -> None:
    """The certificate is for 127.0.0.1; the same server reached as "localhost" is not
    trusted, even with the right certificate file."""
    if "127.0.0.1" not in {info[4][0] for info in socket.getaddrinfo("localhost", None)}:
        pytest.skip("localhost does not resolve to 127.0.0.1 here")
    url = server.url.replace("127.0.0.1", "localhost")
    with (
        WebDav(url, USER, PASSWORD, ca_pem=server.ca_pem, timeout=5) as dav,
        pytest.raises(Refused, match="not trusted"),
    ):
        dav.probe()
