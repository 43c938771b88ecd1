"""Argon2id key derivation for the key file: parameters are stored with each slot and
bounds-checked when read, so a damaged or hostile key file cannot make an unlock trivially
cheap (weak key) or impossibly expensive (hang, out of memory).

Tests need fast derivations: ``enable_insecure_test_parameters()`` makes new vaults use
``TEST_PARAMS`` and relaxes the memory floor. Only tests (conftest) and the test wrapper entry
point call it; no production code path does.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from assister_log.errors import CorruptVault

ALG = "argon2id"
KEY_LENGTH = 32
MIN_SALT_LENGTH = 16

MIN_MEMORY_KIB = 19 * 1024  # OWASP minimum for Argon2id
MIN_ITERATIONS = 1
MIN_LANES = 1

# What creation can ever pick, on any machine: ``calibrate`` keeps memory at
# CALIBRATED_MEMORY_KIB, lanes within 1..CALIBRATED_MAX_LANES and passes within
# CALIBRATED_MIN_ITERATIONS..CALIBRATED_MAX_ITERATIONS (a fast machine hits the ceiling).
PRODUCTION_MIN_NEW_MEMORY_KIB = 64 * 1024  # RFC 9106 second recommended option
CALIBRATED_MEMORY_KIB = PRODUCTION_MIN_NEW_MEMORY_KIB
CALIBRATED_MIN_ITERATIONS, CALIBRATED_MAX_ITERATIONS = 3, 64
CALIBRATED_MAX_LANES = 16

# The bounds a stored setting is held to when read: exactly the ceiling of calibration, so
# no genuine key file is refused and a crafted one costs at most what a real one can
# (issue 14: 4 GiB and 64 passes used to be accepted — 260 s and 4.2 GB per attempt).
MAX_MEMORY_KIB = CALIBRATED_MEMORY_KIB
MAX_ITERATIONS = CALIBRATED_MAX_ITERATIONS
MAX_LANES = CALIBRATED_MAX_LANES

TEST_MIN_MEMORY_KIB = 8

_insecure_test_parameters = False


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost settings, stored beside each wrapped key."""

    memory_kib: int
    iterations: int
    lanes: int

    def to_dict(self) -> dict[str, Any]:
        return {"alg": ALG, "m": self.memory_kib, "t": self.iterations, "p": self.lanes}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KdfParams:
        """Read stored settings; anything malformed or out of bounds is a damaged key file."""
        if not isinstance(data, Mapping) or set(data) != {"alg", "m", "t", "p"}:
            raise CorruptVault(
                "The key file's key-derivation settings are malformed: it is damaged; "
                "restore from a backup."
            )
        if data["alg"] != ALG:
            raise CorruptVault(
                "The key file names an unknown key-derivation method: it is damaged or was "
                "written by another program; restore from a backup."
            )
        values = (data["m"], data["t"], data["p"])
        if not all(type(value) is int for value in values):
            raise CorruptVault(
                "The key file's key-derivation settings are malformed: it is damaged; "
                "restore from a backup."
            )
        params = cls(memory_kib=data["m"], iterations=data["t"], lanes=data["p"])
        check_bounds(params)
        return params

    def describe(self) -> str:
        """Canonical text form, also bound into the key-wrapping AAD."""
        return f"{ALG},m={self.memory_kib},t={self.iterations},p={self.lanes}"


TEST_PARAMS = KdfParams(memory_kib=8, iterations=1, lanes=1)


def enable_insecure_test_parameters() -> None:
    """Make new vaults cheap to unlock and accept tiny memory settings. Tests only."""
    global _insecure_test_parameters
    _insecure_test_parameters = True


def insecure_test_parameters_enabled() -> bool:
    return _insecure_test_parameters


def min_memory_kib() -> int:
    return TEST_MIN_MEMORY_KIB if _insecure_test_parameters else MIN_MEMORY_KIB


def check_bounds(params: KdfParams) -> None:
    """Refuse settings a genuine key file never holds (too weak, or a denial of service)."""
    ok = (
        min_memory_kib() <= params.memory_kib <= MAX_MEMORY_KIB
        and MIN_ITERATIONS <= params.iterations <= MAX_ITERATIONS
        and MIN_LANES <= params.lanes <= MAX_LANES
        and params.memory_kib >= 8 * params.lanes  # Argon2's own floor
    )
    if not ok:
        raise CorruptVault(
            "The key file asks for key-derivation settings outside safe bounds "
            f"({params.describe()}; at most m={MAX_MEMORY_KIB},t={MAX_ITERATIONS},"
            f"p={MAX_LANES}): it is damaged or was altered; restore from a backup."
        )


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Stretch a passphrase or recovery key into a 32-byte key-encryption key."""
    check_bounds(params)
    if len(salt) < MIN_SALT_LENGTH:
        raise ValueError(f"salt must be at least {MIN_SALT_LENGTH} bytes")
    kdf = Argon2id(
        salt=salt,
        length=KEY_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def _time_one(memory_kib: int, iterations: int, lanes: int) -> float:
    kdf = Argon2id(
        salt=bytes(MIN_SALT_LENGTH),
        length=KEY_LENGTH,
        iterations=iterations,
        lanes=lanes,
        memory_cost=memory_kib,
    )
    start = time.perf_counter()
    kdf.derive(b"calibration")
    return time.perf_counter() - start


def calibrate(target_seconds: float = 0.6, memory_kib: int = 65536, lanes: int = 4) -> KdfParams:
    """Pick iterations so one unlock takes about ``target_seconds`` on this machine.

    Time per pass is measured as t=3 minus t=1 (a single run also pays a fixed set-up cost
    for allocating and filling memory). Memory is CALIBRATED_MEMORY_KIB (64 MiB) whatever is
    asked; iterations are kept within 3..64 and lanes within 1..16: these limits are the
    ceiling ``check_bounds`` holds every stored setting to.
    """
    memory_kib = min(max(memory_kib, PRODUCTION_MIN_NEW_MEMORY_KIB), CALIBRATED_MEMORY_KIB)
    lanes = min(max(lanes, MIN_LANES), CALIBRATED_MAX_LANES)
    _time_one(memory_kib, 1, lanes)  # warm-up: first allocation is slower than the rest
    one = _time_one(memory_kib, 1, lanes)
    three = _time_one(memory_kib, 3, lanes)
    per_pass = (three - one) / 2
    fixed = max(one - per_pass, 0.0)
    if per_pass <= three / 30:  # noise swamped the difference: assume cost ∝ passes
        per_pass, fixed = three / 3, 0.0
    iterations = math.ceil(round((target_seconds - fixed) / per_pass, 6))
    iterations = min(max(iterations, CALIBRATED_MIN_ITERATIONS), CALIBRATED_MAX_ITERATIONS)
    return KdfParams(memory_kib=memory_kib, iterations=iterations, lanes=lanes)


def params_for_new_vault() -> KdfParams:
    """Settings for a new vault or a new passphrase: calibrated, or TEST_PARAMS in tests."""
    if _insecure_test_parameters:
        return TEST_PARAMS
    return calibrate()
