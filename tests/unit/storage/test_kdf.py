"""Argon2id settings: stored settings are bounds-checked, new vaults get strong settings."""

from __future__ import annotations

from typing import Any

import pytest

from assister_log.errors import CorruptVault
from assister_log.storage import kdf
from assister_log.storage.kdf import TEST_PARAMS, KdfParams, derive_key

kdf.enable_insecure_test_parameters()

SALT = bytes(range(16))


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run one test with the real bounds; the flag is restored afterwards."""
    monkeypatch.setattr(kdf, "_insecure_test_parameters", False)


def test_derive_key_is_deterministic_32_bytes_and_depends_on_every_input() -> None:
    key = derive_key(b"secret", SALT, TEST_PARAMS)
    assert len(key) == 32
    assert derive_key(b"secret", SALT, TEST_PARAMS) == key
    others = {
        derive_key(b"secreT", SALT, TEST_PARAMS),
        derive_key(b"secret", bytes(16), TEST_PARAMS),
        derive_key(b"secret", SALT, KdfParams(memory_kib=16, iterations=1, lanes=1)),
        derive_key(b"secret", SALT, KdfParams(memory_kib=8, iterations=2, lanes=1)),
        derive_key(b"secret", SALT, KdfParams(memory_kib=16, iterations=1, lanes=2)),
    }
    assert key not in others
    assert len(others) == 5


def test_short_salt_is_refused() -> None:
    with pytest.raises(ValueError, match="salt"):
        derive_key(b"secret", bytes(8), TEST_PARAMS)


def test_params_dict_round_trip() -> None:
    params = KdfParams(memory_kib=65536, iterations=3, lanes=4)
    assert params.to_dict() == {"alg": "argon2id", "m": 65536, "t": 3, "p": 4}
    assert KdfParams.from_dict(params.to_dict()) == params


@pytest.mark.parametrize(
    "data",
    [
        {"alg": "argon2i", "m": 65536, "t": 3, "p": 4},
        {"alg": "argon2id", "m": 65536, "t": 3},
        {"alg": "argon2id", "m": 65536, "t": 3, "p": 4, "x": 1},
        {"alg": "argon2id", "m": "65536", "t": 3, "p": 4},
        {"alg": "argon2id", "m": 65536, "t": True, "p": 4},
        {"alg": "argon2id", "m": 65536.0, "t": 3, "p": 4},
        [],
    ],
)
def test_malformed_params_are_a_damaged_key_file(data: Any) -> None:
    with pytest.raises(CorruptVault, match="damaged"):
        KdfParams.from_dict(data)


@pytest.mark.parametrize(
    ("m", "t", "p"),
    [
        (4 * 1024 * 1024 + 1, 3, 4),  # more than 4 GiB: would exhaust memory
        (65536, 0, 4),
        (65536, 65, 4),
        (65536, 3, 0),
        (65536, 3, 17),
        (7, 1, 1),  # below the test floor too
        (16, 1, 4),  # below Argon2's 8 KiB per lane
    ],
)
def test_out_of_bounds_params_are_refused(m: int, t: int, p: int) -> None:
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        KdfParams.from_dict({"alg": "argon2id", "m": m, "t": t, "p": p})
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        derive_key(b"secret", SALT, KdfParams(memory_kib=m, iterations=t, lanes=p))


def test_upper_bounds_are_inclusive() -> None:
    # The ceiling is what calibration can pick (issue 14): 64 MiB, 64 passes, 16 lanes.
    params = {"alg": "argon2id", "m": 64 * 1024, "t": 64, "p": 16}
    assert KdfParams.from_dict(params).memory_kib == 64 * 1024
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        KdfParams.from_dict({**params, "m": 64 * 1024 + 1})


def test_test_switch_gives_cheap_params_for_new_vaults() -> None:
    assert kdf.insecure_test_parameters_enabled()
    assert kdf.params_for_new_vault() == TEST_PARAMS
    assert KdfParams.from_dict(TEST_PARAMS.to_dict()) == TEST_PARAMS


@pytest.mark.usefixtures("production")
def test_production_refuses_memory_below_19_mib() -> None:
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        KdfParams.from_dict(TEST_PARAMS.to_dict())
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        KdfParams.from_dict({"alg": "argon2id", "m": 19455, "t": 3, "p": 4})
    with pytest.raises(CorruptVault, match="outside safe bounds"):
        derive_key(b"secret", SALT, TEST_PARAMS)
    assert KdfParams.from_dict({"alg": "argon2id", "m": 19456, "t": 3, "p": 4}).memory_kib == (
        19456
    )


@pytest.mark.usefixtures("production")
def test_production_new_vault_params_are_calibrated_and_at_least_64_mib() -> None:
    params = kdf.params_for_new_vault()
    assert params.memory_kib >= 64 * 1024
    assert 3 <= params.iterations <= 64
    assert params.lanes == 4
    assert kdf.calibrate(memory_kib=1024).memory_kib >= 64 * 1024
    assert not kdf.insecure_test_parameters_enabled()


def _simulate(
    monkeypatch: pytest.MonkeyPatch, fixed: float, per_pass: float
) -> list[tuple[int, int, int]]:
    runs: list[tuple[int, int, int]] = []

    def fake(memory_kib: int, iterations: int, lanes: int) -> float:
        runs.append((memory_kib, iterations, lanes))
        return fixed + per_pass * iterations

    monkeypatch.setattr(kdf, "_time_one", fake)
    return runs


@pytest.mark.parametrize(
    ("fixed", "per_pass", "expected"),
    [
        (0.03, 0.02, 29),  # ~0.6 s: (0.6 - 0.03) / 0.02 = 28.5 -> 29
        (0.0, 0.1, 6),
        (0.0, 0.001, 64),  # very fast machine: capped
        (0.5, 1.0, 3),  # slow machine: never below 3 passes
    ],
)
def test_calibrate_aims_for_the_target_unlock_time(
    monkeypatch: pytest.MonkeyPatch, fixed: float, per_pass: float, expected: int
) -> None:
    runs = _simulate(monkeypatch, fixed, per_pass)
    params = kdf.calibrate(target_seconds=0.6)
    assert params == KdfParams(memory_kib=65536, iterations=expected, lanes=4)
    assert all(m == 65536 for m, _, _ in runs)
    predicted = fixed + per_pass * params.iterations
    if 3 < expected < 64:
        assert 0.5 <= predicted <= 1.0


def test_calibrate_survives_timer_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """If t=3 measures no slower than t=1, fall back to cost proportional to passes."""
    times = iter([0.2, 0.2, 0.15])

    def fake(memory_kib: int, iterations: int, lanes: int) -> float:
        return next(times)

    monkeypatch.setattr(kdf, "_time_one", fake)
    params = kdf.calibrate(target_seconds=0.6)
    assert params.iterations == 12  # 0.15 s per 3 passes -> 0.05 s per pass
