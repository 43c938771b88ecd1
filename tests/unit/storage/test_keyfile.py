"""The key file: opens with the passphrase or the recovery key, refuses everything else, and
any change to its bytes ends in an error, never in a silently different vault key."""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assister_log import passphrase as policy
from assister_log import recovery_key
from assister_log.errors import CorruptVault, DiskFull, NotFound, WrongSecret
from assister_log.storage import kdf, keyfile
from assister_log.storage.kdf import TEST_PARAMS, KdfParams
from assister_log.storage.keyfile import KeyFile

kdf.enable_insecure_test_parameters()

VAULT_ID = "0b6f3c9e-5d1a-4f7e-9a51-3c2d8e7f6a10"
PASSPHRASE = "violet tram key lamp"
DATA_KEY = bytes(range(100, 132))
RECOVERY = "7K3Q-M9XD-0AB1-ZZ4T-HJKM-NPQR-STVW-XY25"
WRONG = keyfile.WRONG_SECRET_MESSAGE


def _make(
    passphrase: str = PASSPHRASE, recovery: str = RECOVERY, params: KdfParams = TEST_PARAMS
) -> KeyFile:
    return keyfile.create(
        VAULT_ID,
        DATA_KEY,
        policy.to_secret_bytes(passphrase),
        recovery_key.to_secret_bytes(recovery),
        params,
        created_at="2025-01-02T03:04:05+00:00",
    )


@pytest.fixture(scope="module")
def kf() -> KeyFile:
    return _make()


@pytest.fixture(scope="module")
def data(kf: KeyFile) -> bytes:
    return keyfile.serialize(kf, DATA_KEY)


def _open(data: bytes, text: str = PASSPHRASE) -> tuple[bytes, str]:
    """What the app does on unlock: parse, unwrap, then check the MAC."""
    parsed = keyfile.parse(data)
    key, slot = keyfile.unlock(parsed, text)
    keyfile.verify_mac(data, key)
    return key, slot


def _reseal(data: bytes, mutate: Callable[[dict[str, Any]], None]) -> bytes:
    """Edit the body and recompute the checksum, as a deliberate tamperer would."""
    body, _, mac_line, _ = data.split(b"\n")
    obj = json.loads(body)
    mutate(obj)
    new_body = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(new_body).hexdigest().encode()
    return new_body + b"\nsha256:" + digest + b"\n" + mac_line + b"\n"


def _slot(obj: dict[str, Any], slot_id: str) -> dict[str, Any]:
    return next(s for s in obj["slots"] if s["id"] == slot_id)


# --- opening -------------------------------------------------------------------------------


def test_passphrase_opens_the_vault(data: bytes) -> None:
    assert _open(data) == (DATA_KEY, "passphrase")


def test_passphrase_typed_in_another_normal_form_opens(data: bytes) -> None:
    assert _open(data, "ｖｉｏｌｅｔ ｔｒａｍ ｋｅｙ ｌａｍｐ") == (DATA_KEY, "passphrase")


@pytest.mark.parametrize(
    "typed", [RECOVERY, RECOVERY.lower(), RECOVERY.replace("-", " "), RECOVERY.replace("0", "O")]
)
def test_recovery_key_opens_the_vault_however_typed(data: bytes, typed: str) -> None:
    assert _open(data, typed) == (DATA_KEY, "recovery")


@pytest.mark.parametrize(
    "typed",
    [
        "violet tram key lam",
        "Violet tram key lamp",
        "",
        "7K3Q-M9XD-0AB1-ZZ4T-HJKM-NPQR-STVW-XY26",  # recovery key with one typo
    ],
)
def test_wrong_secret_is_one_generic_message_and_leaves_the_file_alone(
    tmp_path: Path, kf: KeyFile, typed: str
) -> None:
    path = tmp_path / "vault.key"
    keyfile.write(path, kf, DATA_KEY)
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    with pytest.raises(WrongSecret) as info:
        keyfile.unlock(keyfile.parse(keyfile.read(path)), typed)
    assert str(info.value) == WRONG
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.key"]


def test_passphrase_shaped_like_a_recovery_key_still_opens_its_slot() -> None:
    odd_passphrase = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"
    other_recovery = "0000-1111-2222-3333-4444-5555-6666-7777"
    kf = _make(passphrase=odd_passphrase, recovery=other_recovery)
    data = keyfile.serialize(kf, DATA_KEY)
    assert _open(data, odd_passphrase) == (DATA_KEY, "passphrase")
    assert _open(data, other_recovery) == (DATA_KEY, "recovery")


def test_recovery_key_does_not_open_the_passphrase_slot(kf: KeyFile) -> None:
    with pytest.raises(WrongSecret):
        keyfile.unwrap(kf, "passphrase", recovery_key.to_secret_bytes(RECOVERY))
    with pytest.raises(WrongSecret):
        keyfile.unwrap(kf, "recovery", policy.to_secret_bytes(PASSPHRASE))


def test_the_file_holds_no_secret_in_the_clear(data: bytes) -> None:
    for secret in (DATA_KEY, PASSPHRASE.encode(), RECOVERY.encode()):
        assert secret not in data
        assert base64.b64encode(secret) not in data
        assert secret.hex().encode() not in data


def test_every_wrap_uses_fresh_salt_and_nonce(kf: KeyFile) -> None:
    again = _make()
    for slot_id in keyfile.SLOT_IDS:
        a, b = kf.slot(slot_id), again.slot(slot_id)
        assert a.salt != b.salt and a.nonce != b.nonce and a.wrapped != b.wrapped
    assert kf.slot("passphrase").salt != kf.slot("recovery").salt


# --- changing the passphrase ---------------------------------------------------------------


def test_passphrase_change_rewraps_only_the_passphrase_slot(tmp_path: Path, kf: KeyFile) -> None:
    path = tmp_path / "vault.key"
    keyfile.write(path, kf, DATA_KEY)
    key, _ = _open(keyfile.read(path))
    new = "seven quiet herons at dawn"
    changed = keyfile.rewrap(kf, key, "passphrase", policy.to_secret_bytes(new), TEST_PARAMS)
    keyfile.write(path, changed, key)

    assert changed.slot("recovery") == kf.slot("recovery")
    assert changed.slot("passphrase") != kf.slot("passphrase")
    assert (changed.vault_id, changed.created_at) == (kf.vault_id, kf.created_at)
    on_disk = keyfile.read(path)
    assert _open(on_disk, new) == (DATA_KEY, "passphrase")
    assert _open(on_disk, RECOVERY) == (DATA_KEY, "recovery")
    with pytest.raises(WrongSecret):
        _open(on_disk, PASSPHRASE)


def test_rewrap_can_move_to_new_kdf_settings(kf: KeyFile) -> None:
    stronger = KdfParams(memory_kib=16, iterations=2, lanes=1)
    changed = keyfile.rewrap(kf, DATA_KEY, "passphrase", b"new secret bytes", stronger)
    data = keyfile.serialize(changed, DATA_KEY)
    assert keyfile.parse(data).slot("passphrase").params == stronger
    assert keyfile.unwrap(keyfile.parse(data), "passphrase", b"new secret bytes") == DATA_KEY


# --- serialization and damage --------------------------------------------------------------


def test_round_trip_and_layout(kf: KeyFile, data: bytes) -> None:
    assert keyfile.parse(data) == kf
    lines = data.split(b"\n")
    assert len(lines) == 4 and lines[3] == b""
    assert json.loads(lines[0])["format"] == "assister-log-keyfile"
    assert lines[1] == b"sha256:" + hashlib.sha256(lines[0]).hexdigest().encode()
    assert lines[2].startswith(b"hmac:") and len(lines[2]) == 5 + 64


def test_every_single_bit_flip_is_detected(data: bytes) -> None:
    outcomes: dict[str, int] = {}
    for position in range(len(data)):
        for bit in range(8):
            damaged = bytearray(data)
            damaged[position] ^= 1 << bit
            try:
                _open(bytes(damaged))
            except CorruptVault as error:
                kind = "mac" if "altered" in str(error) else "corrupt"
            except WrongSecret:
                kind = "wrong"
            else:
                pytest.fail(f"flipping bit {bit} of byte {position} went unnoticed")
            outcomes[kind] = outcomes.get(kind, 0) + 1
    assert outcomes.get("mac", 0) > 0  # flips in the MAC line got past parse and unlock
    assert sum(outcomes.values()) == 8 * len(data)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda o: o.update(created_at="2020-01-01T00:00:00+00:00"), CorruptVault),
        (lambda o: o["slots"].reverse(), CorruptVault),
        (lambda o: o.update(vault_id="another-vault"), WrongSecret),
        (
            lambda o: _slot(o, "passphrase").update(salt=base64.b64encode(bytes(16)).decode()),
            WrongSecret,
        ),
        (
            lambda o: _slot(o, "passphrase").update(nonce=base64.b64encode(bytes(12)).decode()),
            WrongSecret,
        ),
        (lambda o: _slot(o, "passphrase")["kdf"].update(t=2), WrongSecret),
        (lambda o: _slot(o, "passphrase")["kdf"].update(m=16), WrongSecret),
        (
            lambda o: _slot(o, "passphrase").update(wrapped=_slot(o, "recovery")["wrapped"]),
            WrongSecret,
        ),
    ],
)
def test_edits_with_a_recomputed_checksum_are_caught(
    data: bytes, mutate: Callable[[dict[str, Any]], None], expected: type[Exception]
) -> None:
    tampered = _reseal(data, mutate)
    assert tampered != data
    with pytest.raises(expected):
        _open(tampered)


def test_swapping_slot_labels_does_not_open_with_the_passphrase(data: bytes) -> None:
    def swap(obj: dict[str, Any]) -> None:
        a, b = obj["slots"]
        a["id"], b["id"] = b["id"], a["id"]

    with pytest.raises(WrongSecret):
        _open(_reseal(data, swap))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: b"", "empty file"),
        (lambda d: d[:-1], "truncated"),
        (lambda d: d[: len(d) // 2], "truncated"),
        (lambda d: d + b"extra\n", "wrong number of lines"),
        (lambda d: b"\x00\xff garbage \x13\n" * 3, "unreadable checksum"),
        (lambda d: d.replace(b"\nsha256:", b"\nsha1:"), "unreadable checksum"),
        (lambda d: d.replace(b"\nhmac:", b"\nmac::"), "unreadable authentication code"),
        (lambda d: b"x" * 70_000 + d, "far too large"),
        (lambda d: d.replace(b"0", b"1", 1), "checksum mismatch"),
        (lambda d: _reseal(d, lambda o: o.update(format="other-app")), "not an Assister Log"),
        (lambda d: _reseal(d, lambda o: o.update(version=0)), "unknown version"),
        (lambda d: _reseal(d, lambda o: o.update(version="1")), "unknown version"),
        (lambda d: _reseal(d, lambda o: o.update(extra=1)), "unexpected fields"),
        (lambda d: _reseal(d, lambda o: o.update(vault_id="")), "malformed vault id"),
        (lambda d: _reseal(d, lambda o: o.update(created_at=5)), "malformed creation date"),
        (lambda d: _reseal(d, lambda o: o.update(slots={})), "malformed slots"),
        (lambda d: _reseal(d, lambda o: o["slots"].pop()), "no recovery slot"),
        (lambda d: _reseal(d, lambda o: o["slots"].append(o["slots"][0])), "duplicate slot"),
        (lambda d: _reseal(d, lambda o: o["slots"][0].update(id="admin")), "unknown slot"),
        (lambda d: _reseal(d, lambda o: o["slots"][0].pop("nonce")), "malformed slot"),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0].update(salt="!!not base64!!")),
            "malformed salt",
        ),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0].update(salt=_b64(bytes(8)))),
            "wrong salt length",
        ),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0].update(nonce=_b64(bytes(16)))),
            "wrong nonce length",
        ),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0].update(wrapped=_b64(bytes(32)))),
            "wrong wrapped length",
        ),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0]["kdf"].update(alg="scrypt")),
            "unknown key-derivation",
        ),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0]["kdf"].update(m=8 * 1024 * 1024)),
            "outside safe bounds",
        ),
        (
            lambda d: _reseal(d, lambda o: o["slots"][0]["kdf"].update(t=1000)),
            "outside safe bounds",
        ),
    ],
)
def test_damage_is_reported_with_its_reason(
    data: bytes, make: Callable[[bytes], bytes], reason: str
) -> None:
    with pytest.raises(CorruptVault, match=reason):
        keyfile.parse(make(data))


def test_newer_format_asks_for_an_update(data: bytes) -> None:
    with pytest.raises(CorruptVault, match="newer version of Assister Log"):
        keyfile.parse(_reseal(data, lambda o: o.update(version=keyfile.FORMAT_VERSION + 1)))


def test_non_canonical_json_is_refused(data: bytes) -> None:
    body = data.split(b"\n")[0]
    spaced = json.dumps(json.loads(body), sort_keys=True, indent=1).replace("\n", " ").encode()
    digest = hashlib.sha256(spaced).hexdigest().encode()
    with pytest.raises(CorruptVault, match="non-canonical"):
        keyfile.parse(spaced + b"\nsha256:" + digest + b"\n" + data.split(b"\n")[2] + b"\n")


def test_duplicate_json_keys_are_refused(data: bytes) -> None:
    body = data.split(b"\n")[0]
    doubled = body[:-1] + b',"version":1}'
    digest = hashlib.sha256(doubled).hexdigest().encode()
    with pytest.raises(CorruptVault, match="duplicate field"):
        keyfile.parse(doubled + b"\nsha256:" + digest + b"\n" + data.split(b"\n")[2] + b"\n")


def test_mac_under_another_data_key_is_refused(kf: KeyFile) -> None:
    data = keyfile.serialize(kf, bytes(32))
    with pytest.raises(CorruptVault, match="altered"):
        _open(data)


def test_key_file_made_with_test_settings_is_refused_in_production(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kdf, "_insecure_test_parameters", False)
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        keyfile.parse(data)


# --- files on disk -------------------------------------------------------------------------


def test_write_and_read_back(tmp_path: Path, kf: KeyFile, data: bytes) -> None:
    path = tmp_path / "vault.key"
    keyfile.write(path, kf, DATA_KEY)
    assert keyfile.read(path) == data
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_key_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        keyfile.read(tmp_path / "vault.key")


def test_failed_write_keeps_the_old_key_file_usable(
    tmp_path: Path, kf: KeyFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "vault.key"
    keyfile.write(path, kf, DATA_KEY)
    before = path.read_bytes()
    changed = keyfile.rewrap(kf, DATA_KEY, "passphrase", b"another passphrase!", TEST_PARAMS)

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFull):
        keyfile.write(path, changed, DATA_KEY)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _open(keyfile.read(path)) == (DATA_KEY, "passphrase")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.key"]


def test_bad_arguments_are_programming_errors(kf: KeyFile) -> None:
    with pytest.raises(ValueError, match="data key"):
        keyfile.serialize(kf, b"short")
    with pytest.raises(ValueError, match="vault_id"):
        keyfile.create("bad id\x00", DATA_KEY, b"p", b"r", TEST_PARAMS)
    with pytest.raises(ValueError, match="slot"):
        keyfile.rewrap(kf, DATA_KEY, "admin", b"x", TEST_PARAMS)
