"""Unlock: open the vault with the passphrase and load the first list page, beside one
Argon2id derivation with the very same (calibrated, production) parameters."""

from __future__ import annotations

import shutil
import statistics

from assister_log import passphrase as passphrase_policy
from assister_log.services.session import Session
from assister_log.storage import kdf, keyfile
from assister_log.storage.vault import KEY_FILE, Vault
from bench import vaults
from bench.core import Row, Target, median_ms, paired

TARGET = Target(over=50)


def unlock(size: int, reps: int) -> Row:
    """A copy of the synthetic vault whose passphrase slot is rewrapped with ``calibrate()``."""
    if kdf.insecure_test_parameters_enabled():
        raise RuntimeError("the unlock figure must run with production KDF bounds")
    folder = vaults.scratch("unlock") / "vault"
    shutil.copytree(vaults.ensure(size), folder)
    (folder / "vault.lock").unlink(missing_ok=True)
    params = kdf.calibrate()
    with Vault.open(folder, vaults.PASSPHRASE) as vault:
        vault.change_passphrase(vaults.PASSPHRASE, params=params)
    slot = keyfile.parse(keyfile.read(folder / KEY_FILE)).slot(keyfile.PASSPHRASE_SLOT)
    assert slot.params == params
    secret = passphrase_policy.to_secret_bytes(vaults.PASSPHRASE)

    def open_and_list() -> None:
        with Session.unlock(folder, vaults.PASSPHRASE) as session:
            session.count()  # what the list model does first (its row count)
            session.list()

    app, floor = paired(open_and_list, lambda: kdf.derive_key(secret, slot.salt, slot.params), reps)
    shutil.rmtree(folder.parent, ignore_errors=True)
    difference = statistics.median([a - b for a, b in zip(app, floor, strict=True)])
    return Row(
        f"unlock: open + first list page ({size // 1000}k records)",
        TARGET,
        median_ms(app),
        median_ms(floor),
        reps=reps,
        excess=difference * 1000,
        note=f"calibrated Argon2id {params.describe()}; first list = Session.count() + "
        "Session.list() (200 summaries), as the list model does; PASS/MISS "
        f"from the median of the {reps} paired differences, {difference * 1000:+.0f} ms",
    )
