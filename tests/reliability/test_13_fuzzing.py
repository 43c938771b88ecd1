"""Issue 5, test 13: hypothesis drives malformed input into the three parsers a user (or an
attacker handing over a file) can reach: ``add --from-json``, backup restore and the key
file. Pass: a record is saved, or a typed KnownError with a one-line message; never another
exception; a refused input changes nothing (record count, verification, no restored folder
left behind).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assister_log.domain.serialization import loads_user_json
from assister_log.errors import BadInput, CorruptVault, KnownError, WrongSecret
from assister_log.services.session import Session
from assister_log.storage import keyfile
from assister_log.storage.backup import MAGIC, read_backup
from assister_log.storage.restore import restore_backup
from tests.conftest import PASSPHRASE, PROFILE
from tests.reliability.support import example_data, one_clear_line, run_cli, trials

EXAMPLES = example_data()
FUZZ = settings(
    max_examples=trials(ci=250, full=4000),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)


def one_line(error: KnownError) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message, message


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


@st.composite
def mutated_records(draw: st.DrawFn) -> Any:
    record = json.loads(json.dumps(draw(st.sampled_from(EXAMPLES))))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(paths(record)))
        action = draw(st.sampled_from(["replace", "delete", "add", "long", "control"]))
        if not where:
            record = draw(json_values) if action == "replace" else record
            continue
        parent: Any = record
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "delete":
            parent.pop(last)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_values)
        elif action == "long":
            parent[last] = draw(st.sampled_from(["x", "é", "\U0001f600", "\u202e"])) * draw(
                st.sampled_from([499, 500, 501, 10_001, 400_001])
            )
        else:
            parent[last] = draw(st.text(max_size=5)) + draw(
                st.sampled_from("\x00\x07\x1b\ud800\r\x85")
            )
    return record


def test_add_from_json_takes_a_record_or_refuses_it_cleanly(tmp_path: Path) -> None:
    session, _recovery = Session.create(tmp_path / "v", PASSPHRASE, PROFILE)
    counts = {"saved": 0, "refused": 0}

    def check(data: Any) -> None:
        before = session.count()
        try:
            session.add_from_data(data)
        except KnownError as error:
            assert isinstance(error, BadInput), error
            one_line(error)
            assert session.count() == before
            counts["refused"] += 1
        else:
            assert session.count() == before + 1
            counts["saved"] += 1

    @FUZZ
    @given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
    def raw_bytes(raw: bytes) -> None:
        try:
            data = loads_user_json(raw, "record.json")
        except BadInput as error:
            one_line(error)
            return
        check(data)

    @FUZZ
    @given(json_values)
    def any_json(data: Any) -> None:
        check(data)

    @FUZZ
    @given(mutated_records())
    def mutated(data: Any) -> None:
        check(data)

    with session:
        raw_bytes()
        any_json()
        mutated()
        with pytest.raises(BadInput, match="nested too deeply"):
            loads_user_json(b"[" * 100_000 + b"]" * 100_000, "deep.json")
        assert session.verify() == []
    print(f"\nadd --from-json fuzz: {counts}")
    assert counts["saved"] and counts["refused"]


def test_add_from_json_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    Session.create(folder, PASSPHRASE, PROFILE)[0].close()
    outcomes = []

    @settings(FUZZ, max_examples=trials(ci=8, full=60))
    @given(mutated_records(), st.integers(0, 3), st.randoms(use_true_random=False))
    def through_cli(record: Any, shape: int, rng: random.Random) -> None:
        text = json.dumps(rng.choice(EXAMPLES) if shape == 0 else record, ensure_ascii=False)
        if shape == 3:
            text = text[: rng.randrange(len(text))]  # cut short
        source = tmp_path / "record.json"
        source.write_bytes(text.encode("utf-8", "surrogatepass"))
        result = run_cli(
            "--vault", str(folder), "--passphrase-stdin", "add", "--from-json", str(source),
            stdin=PASSPHRASE + "\n",
        )  # fmt: skip
        if result.returncode:
            assert result.returncode == 1
            one_clear_line(result.stderr)
        outcomes.append(result.returncode)

    through_cli()
    assert 1 in outcomes


@pytest.fixture(scope="module")
def backup_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-backup")
    session, _ = Session.create(root / "v", PASSPHRASE, PROFILE)
    with session:
        session.add_from_data(EXAMPLES[0])
        session.backup(root / "good.albackup")
    return root / "good.albackup"


class Blob:
    """Mutated file bytes with a short repr (hypothesis prints the arguments it tried)."""

    def __init__(self, data: bytes, how: str) -> None:
        self.data, self.how = data, how

    def __repr__(self) -> str:
        return f"Blob({self.how}, {len(self.data)} bytes, sha256 {hashlib.sha256(self.data).hexdigest()[:12]})"


def repack(header: Any, parts: list[bytes]) -> bytes:
    return MAGIC + json.dumps(header).encode() + b"\n" + b"".join(parts)


@st.composite
def mutated_backups(draw: st.DrawFn, good: bytes) -> Blob:
    kind = draw(st.sampled_from(["bytes", "header", "files", "truncate", "prefix"]))
    return Blob(_mutated_backup(draw, good, kind), kind)


def _mutated_backup(draw: st.DrawFn, good: bytes, kind: str) -> bytes:
    header, parts = read_backup(good)
    ordered = [parts["vault.key"], parts["vault.db"]]
    if kind == "bytes":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 5))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return bytes(data)
    if kind == "truncate":
        return good[: draw(st.integers(0, len(good) - 1))]
    if kind == "prefix":
        return MAGIC + draw(st.binary(max_size=200))
    header = json.loads(json.dumps(header))
    if kind == "header":
        header[draw(st.sampled_from(sorted(header)))] = draw(json_values)
    else:
        files = header["files"]
        index = draw(st.integers(0, len(files)))
        if index == len(files):
            files.append(draw(json_values))
        else:
            files[index] = draw(json_values) if draw(st.booleans()) else {**files[index], draw(st.sampled_from(["name", "size", "sha256"])): draw(json_values)}  # fmt: skip
    return repack(header, ordered)


def test_restore_takes_a_backup_or_refuses_it_cleanly(backup_file: Path, tmp_path: Path) -> None:
    good = backup_file.read_bytes()
    counts = {"restored": 0, "refused": 0}

    @FUZZ
    @given(mutated_backups(good))
    def restore_one(blob: Blob) -> None:
        data = blob.data
        try:
            read_backup(data)
        except CorruptVault as error:
            one_line(error)
        target = tmp_path / "restored"
        source = tmp_path / "in.albackup"
        source.write_bytes(data)
        try:
            restore_backup(source, target, PASSPHRASE)
        except KnownError as error:
            one_line(error)
            assert not target.exists(), "a refused restore left a folder behind"
            counts["refused"] += 1
        else:
            counts["restored"] += 1
            shutil.rmtree(target)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    restore_one()
    print(f"\nbackup fuzz: {counts}")
    assert counts["refused"]


@st.composite
def mutated_key_files(draw: st.DrawFn, good: bytes) -> bytes:
    body, _checksum, mac = good.split(b"\n")[:3]
    kind = draw(st.sampled_from(["bytes", "body", "slot", "kdf", "created", "cost"]))
    if kind == "bytes":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    obj = json.loads(body)
    if kind == "body":
        obj[draw(st.sampled_from([*sorted(obj), "extra"]))] = draw(json_values)
    elif kind == "created":  # well-formed, so parsing passes: the MAC must catch it
        obj["created_at"] = draw(st.text(min_size=1, max_size=64))
    elif kind == "cost":  # in bounds, so parsing passes: the wrap's authentication must catch it
        obj["slots"][draw(st.integers(0, 1))]["kdf"]["t"] = draw(st.integers(2, 64))
    elif kind == "slot":
        slot = obj["slots"][draw(st.integers(0, 1))]
        slot[draw(st.sampled_from([*sorted(slot), "extra"]))] = draw(json_values)
    else:
        kdf = obj["slots"][draw(st.integers(0, 1))]["kdf"]
        kdf[draw(st.sampled_from(["alg", "m", "t", "p", "x"]))] = draw(json_values)
    new = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=draw(st.booleans()))
    raw = new.encode("utf-8", "surrogatepass")
    return b"%s\nsha256:%s\n%s\n" % (raw, hashlib.sha256(raw).hexdigest().encode(), mac)


def test_key_file_parsing_accepts_or_refuses_cleanly(backup_file: Path) -> None:
    _header, parts = read_backup(backup_file.read_bytes())
    good = parts["vault.key"]
    counts = {"parsed": 0, "refused": 0}

    @FUZZ
    @given(mutated_key_files(good).map(lambda data: Blob(data, "key file")))
    def parse_one(blob: Blob) -> None:
        data = blob.data
        if data == good:
            return  # the mutation changed nothing (e.g. "version" set to 1)
        try:
            kf = keyfile.parse(data)
        except CorruptVault as error:
            one_line(error)
            counts["refused"] += 1
            return
        counts["parsed"] += 1
        with pytest.raises((WrongSecret, CorruptVault)) as caught:  # never an unlock
            data_key, _slot = keyfile.unlock(kf, PASSPHRASE)
            keyfile.verify_mac(data, data_key)
        one_line(caught.value)

    parse_one()
    print(f"\nkey file fuzz: {counts}")
    assert counts["refused"] and counts["parsed"]
