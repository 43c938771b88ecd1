"""Names cannot leave the destination's root, and a destination spec is checked before use."""

from __future__ import annotations

from pathlib import Path

import pytest

from assister_log.errors import BadInput
from assister_log.transport import (
    BadName,
    Folder,
    TransportError,
    WebDav,
    check_name,
    open_transport,
)

GOOD = [
    "envelope.age",
    "assister-log/envelopes/0123456789abcdef/0000000001-0123456789abcdef.age",
    "a/b_c/D-9.json",
    "x" * 201,
]
BAD = [
    "",
    "../x",
    "a/../../x",
    "/abs",
    "a//b",
    "a/./b",
    "a/",
    ".hidden",
    "a/.hidden",
    "a b",
    "tab\tname",
    "new\nline",
    "é.age",
    "ﬁle",  # a ligature NFKC would fold to "file"
    "a\\b",
    "C:x",
    "x" * 202,
    "/".join(["a" * 100] * 11),  # 1110 characters
    "x..y",
    "envelope.age.part-0123",  # would look like an upload in flight and be hidden
]


@pytest.mark.parametrize("name", GOOD)
def test_good_names_pass(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", BAD)
def test_traversal_and_odd_names_are_refused(name: str) -> None:
    with pytest.raises(BadName) as caught:
        check_name(name)
    assert isinstance(caught.value, TransportError) and isinstance(caught.value, BadInput)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["../outside.age", "/tmp/escape.age", "a/../../outside.age"])
def test_a_folder_never_writes_outside_its_root(tmp_path: Path, name: str) -> None:
    root = tmp_path / "share"
    root.mkdir()
    folder = Folder(root)
    with pytest.raises(BadName):
        folder.put(name, b"data")
    with pytest.raises(BadName):
        folder.get(name, 100)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["share"]


def test_open_transport_gives_a_folder(tmp_path: Path) -> None:
    transport = open_transport({"kind": "folder", "path": str(tmp_path)})
    assert isinstance(transport, Folder)
    assert transport.describe() == f"folder {tmp_path}"


def test_open_transport_gives_webdav_without_showing_the_password() -> None:
    transport = open_transport(
        {"kind": "webdav", "url": "https://dav.example.org/files/jamie", "username": "jamie"},
        password="hunter2-secret",
    )
    assert isinstance(transport, WebDav)
    assert transport.describe() == "WebDAV https://dav.example.org/files/jamie/"
    transport.close()


@pytest.mark.parametrize(
    ("spec", "password", "words"),
    [
        ({"kind": "s3", "bucket": "x"}, None, "'s3' is not one this app can deliver to"),
        ({}, None, "None is not one this app"),
        ({"kind": "folder"}, None, "names no folder"),
        ({"kind": "webdav", "url": "https://h/x", "username": "u"}, None, "needs the password"),
        ({"kind": "webdav", "username": "u"}, "pw", "names no URL"),
    ],
)
def test_open_transport_refuses_a_bad_spec(
    spec: dict[str, str], password: str | None, words: str
) -> None:
    with pytest.raises(BadName, match=words) as caught:
        open_transport(spec, password=password)
    assert isinstance(caught.value, BadInput)
    assert "\n" not in str(caught.value)
