"""Issue 11 figures: what signing costs a seal and an export, and verify over a whole vault.

- finalize with signing + high-water mark, beside the same finalize with both switched off
  (the signature replaced by empty bytes, the key-file update skipped): target ≤ 2 ms over;
- ``verify`` of the whole synthetic vault (every entry's signature checked, every record
  re-hashed, attachments re-hashed, list/search columns compared): target ≤ 5 s at 10k;
- PDF export with its PAdES signature beside the same export unsigned: target ≤ 100 ms over.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from assister_log.domain.model import Profile, Role
from assister_log.services import export
from assister_log.services.session import Session
from assister_log.storage.vault import Vault
from bench import vaults
from bench.core import Row, Target, median_ms, paired

FINALIZE_TARGET = Target(over=2)
VERIFY_TARGET = Target(absolute=5000)
SIGN_PDF_TARGET = Target(over=100)
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def _overhead_row(
    figure: str, target: Target, app: list[float], floor: list[float], note: str
) -> Row:
    """A figure beside its floor, judged by the median of the paired differences."""
    diffs = sorted(a - b for a, b in zip(app, floor, strict=True))
    return Row(
        figure,
        target,
        median_ms(app),
        median_ms(floor),
        reps=len(app),
        excess=diffs[len(diffs) // 2] * 1000,
        note=note,
    )


def finalize(reps: int) -> Row:
    folder = vaults.scratch("finalize") / "vault"
    session, _ = Session.create(
        folder, vaults.PASSPHRASE, Profile("Jamie Ortiz", Role.NAVIGATOR), params=vaults.BENCH_KDF
    )
    with session:
        store = session.vault.store
        drafts = iter(
            [
                session.add_from_json_file(EXAMPLES / "inappropriate-interaction.json").incident_id
                for _ in range(2 * reps + 2)
            ]
        )
        real_sign, real_advance = store.sealer.sign, store.advance_high_water

        def signed() -> None:
            store.sealer.sign, store.advance_high_water = real_sign, real_advance  # type: ignore[method-assign]
            session.finalize(next(drafts))

        def unsigned() -> None:
            store.sealer.sign = lambda payload: b""  # type: ignore[method-assign]
            store.advance_high_water = lambda: None  # type: ignore[method-assign]
            session.finalize(next(drafts))

        app, floor = paired(signed, unsigned, reps)
        store.sealer.sign, store.advance_high_water = real_sign, real_advance  # type: ignore[method-assign]
    shutil.rmtree(folder.parent, ignore_errors=True)
    return _overhead_row(
        "finalize: signed entry + high-water mark in the key file",
        FINALIZE_TARGET,
        app,
        floor,
        "floor: the same finalize with the signature and the key-file update switched off",
    )


def verify(size: int, reps: int) -> Row:
    folder = vaults.ensure(size)
    with Vault.open(folder, vaults.PASSPHRASE) as vault:
        vault.verify()  # the first open of an older cache upgrades it; not timed
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            problems = vault.verify()
            times.append(time.perf_counter() - start)
        entries = vault.chain_length()
    note = f"{entries:,} signed chain entries; {'intact' if not problems else problems[0]}"
    return Row(
        f"verify, {size // 1000}k records", VERIFY_TARGET, median_ms(times), reps=reps, note=note
    )


def sign_pdf(reps: int) -> Row:
    folder = vaults.scratch("signpdf") / "vault"
    session, _ = Session.create(
        folder, vaults.PASSPHRASE, Profile("Jamie Ortiz", Role.NAVIGATOR), params=vaults.BENCH_KDF
    )
    out = folder.parent / "out.pdf"
    with session:
        rid = session.add_from_json_file(EXAMPLES / "inappropriate-interaction.json").incident_id
        session.finalize(rid)
        real = export._sign

        def signed() -> None:
            export._sign = real
            export.export_pdf(session, rid, "record", out)

        def unsigned() -> None:
            export._sign = lambda _session, pdf, _password: pdf
            export.export_pdf(session, rid, "record", out)

        app, floor = paired(signed, unsigned, reps, warmup=2)
        export._sign = real
    shutil.rmtree(folder.parent, ignore_errors=True)
    return _overhead_row(
        "record PDF export: PAdES signature added",
        SIGN_PDF_TARGET,
        app,
        floor,
        "floor: the same export unsigned; pyHanko's one-time import (~0.35 s) not counted",
    )
