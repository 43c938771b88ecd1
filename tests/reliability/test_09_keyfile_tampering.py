"""Issue 5, test 9: any changed byte in vault.key ends in an error with a clear message —
never in an unlock. Every byte position is changed (one bit, and a replacement by another
printable character) and the vault opened with the right passphrase: a typed CorruptVault
naming the key file, with a one-line message. Deliberate edits that recompute the checksum
(a changed salt, nonce, wrapped key, vault id or KDF setting) are refused too (the wrap's
authentication or the MAC), and KDF settings outside the bounds are refused before any
key derivation, with the settings named in the message. The CLI says the same in one line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from assister_log.errors import CorruptVault, KnownError, WrongSecret
from assister_log.storage import kdf
from assister_log.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.reliability.support import file_hashes, make_vault, one_clear_line, run_cli


def clear(error: KnownError) -> str:
    message = str(error)
    assert "\n" not in message and 20 < len(message) < 300, message
    assert "Traceback" not in message and "b'" not in message, message
    return message


def open_fails(folder: Path, key: bytes) -> KnownError:
    (folder / "vault.key").write_bytes(key)
    with pytest.raises(KnownError) as caught:
        Vault.open(folder, PASSPHRASE).close()
    return caught.value


def rebuilt(raw: bytes, change: Any) -> bytes:
    """The key file with its JSON body edited and the checksum line recomputed."""
    body, _checksum, mac = raw.split(b"\n")[:3]
    obj = json.loads(body)
    change(obj)
    new = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    return b"%s\nsha256:%s\n%s\n" % (new, hashlib.sha256(new).hexdigest().encode(), mac)


def test_every_changed_byte_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder, records=1, finalize=0)
    raw = (folder / "vault.key").read_bytes()
    db_before = file_hashes(folder)["vault.db"]
    messages: dict[str, int] = {}
    for position in range(len(raw)):
        replacement = b"A" if raw[position : position + 1] != b"A" else b"B"
        for changed in (
            raw[:position] + bytes([raw[position] ^ 1]) + raw[position + 1 :],
            raw[:position] + replacement + raw[position + 1 :],
        ):
            error = open_fails(folder, changed)
            assert isinstance(error, CorruptVault), (position, error)
            message = clear(error)
            assert "key file" in message or "vault.key" in message, message
            reason = message.split("(")[1].split(")")[0] if "(" in message else message
            messages[reason] = messages.get(reason, 0) + 1
    (folder / "vault.key").write_bytes(raw)
    Vault.open(folder, PASSPHRASE).close()  # the original still opens
    assert file_hashes(folder)["vault.db"] == db_before
    print(f"\nkey file: {len(raw)} bytes x 2 changes refused; reasons {messages}")


def _b64_flip(value: str) -> str:
    data = bytearray(base64.b64decode(value))
    data[0] ^= 1
    return base64.b64encode(bytes(data)).decode()


EDITS = {
    "salt": lambda o: o["slots"][0].update(salt=_b64_flip(o["slots"][0]["salt"])),
    "nonce": lambda o: o["slots"][0].update(nonce=_b64_flip(o["slots"][0]["nonce"])),
    "wrapped key": lambda o: o["slots"][0].update(wrapped=_b64_flip(o["slots"][0]["wrapped"])),
    "vault id": lambda o: o.update(vault_id=o["vault_id"][:-1] + "0"),
    "created_at": lambda o: o.update(created_at="2020-01-01T00:00:00+00:00"),
    "slots swapped": lambda o: o["slots"].reverse(),
    "slot relabelled": lambda o: [s.update(id="recovery" if s["id"] == "passphrase" else "passphrase") for s in o["slots"]],
    "cheaper iterations": lambda o: o["slots"][0]["kdf"].update(t=2),
}  # fmt: skip


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_deliberate_edits_with_a_recomputed_checksum_are_refused(edit: str, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder, records=1, finalize=0)
    raw = (folder / "vault.key").read_bytes()
    changed = rebuilt(raw, EDITS[edit])
    if changed == raw:
        pytest.skip("the edit changed nothing")
    error = open_fails(folder, changed)
    assert isinstance(error, CorruptVault | WrongSecret), error
    clear(error)


BAD_PARAMS = {
    "memory far too low": {"m": 1, "t": 1, "p": 1},
    "memory 64 GiB": {"m": 64 * 1024 * 1024, "t": 1, "p": 1},
    "no iterations": {"m": 8, "t": 0, "p": 1},
    "10,000 iterations": {"m": 8, "t": 10_000, "p": 1},
    "no lanes": {"m": 8, "t": 1, "p": 0},
    "255 lanes": {"m": 8 * 255, "t": 1, "p": 255},
    "negative": {"m": -8, "t": 1, "p": 1},
    "a string": {"m": "8", "t": 1, "p": 1},
    "a float": {"m": 8.0, "t": 1, "p": 1},
    "a boolean": {"m": 8, "t": True, "p": 1},
    "another algorithm": {"alg": "scrypt", "m": 8, "t": 1, "p": 1},
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMS))
def test_kdf_settings_out_of_bounds_are_refused_before_deriving(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vault"
    make_vault(folder, records=1, finalize=0)
    raw = (folder / "vault.key").read_bytes()
    derived: list[Any] = []
    monkeypatch.setattr(kdf, "derive_key", lambda *a: derived.append(a) or bytes(32))

    def change(obj: dict[str, Any]) -> None:
        for slot in obj["slots"]:
            slot["kdf"].update(BAD_PARAMS[case])

    error = open_fails(folder, rebuilt(raw, change))
    assert isinstance(error, CorruptVault), error
    assert derived == [], "a key was derived with settings outside the bounds"
    message = clear(error)
    assert "key-derivation" in message, message


def test_production_bounds_refuse_test_sized_memory() -> None:
    """Outside tests the floor is OWASP's 19 MiB: a key file asking for 8 KiB is refused."""
    params = kdf.KdfParams(memory_kib=8, iterations=1, lanes=1)
    try:
        kdf._insecure_test_parameters = False
        with pytest.raises(CorruptVault, match="outside safe bounds"):
            kdf.check_bounds(params)
    finally:
        kdf._insecure_test_parameters = True


def test_the_cli_reports_a_tampered_key_file_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder, records=1, finalize=0)
    raw = (folder / "vault.key").read_bytes()
    (folder / "vault.key").write_bytes(raw[:100] + bytes([raw[100] ^ 4]) + raw[101:])
    result = run_cli("--vault", str(folder), "--passphrase-stdin", "list", stdin=PASSPHRASE + "\n")
    assert result.returncode == 1
    assert "vault.key" in one_clear_line(result.stderr)
    shutil.rmtree(folder)
