"""Issue 11: evidence bundles an outsider can check — with `check-evidence` (no vault, no
passphrase) and by hand with openssl and sha256sum, following docs/evidence-format.md."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from assister_log.errors import BadInput, IntegrityFailure
from assister_log.services import evidence as evidence_service
from assister_log.services.session import Session
from assister_log.storage import evidence, signing
from tests.conftest import EXAMPLES, run_cli

OPENSSL = shutil.which("openssl")


@pytest.fixture
def sealed(session: Session, tmp_path: Path) -> str:
    incident_id = session.add_from_json_file(
        EXAMPLES / "inappropriate-interaction.json"
    ).incident_id
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo's bytes \x00\x01")
    session.attach_file(incident_id, photo, "Photo of the note left at the desk")
    session.finalize(incident_id)
    session.addendum(incident_id, "The caller phoned back at 16:10 and apologised.", "New fact")
    session.addendum(incident_id, "Second addendum: ሰላም, مرحبا, 你好.", "Correction")
    return incident_id


@pytest.fixture
def bundle(session: Session, sealed: str) -> bytes:
    return evidence_service.bundle_bytes(session, sealed)


def test_a_genuine_bundle_checks_and_says_what_it_holds(bundle: bytes, sealed: str) -> None:
    summary = evidence.check(bundle)
    assert summary.record_id == sealed
    assert (summary.addenda, summary.attachments) == (2, 1)
    text = " ".join(summary.lines())
    assert "Genuine" in text and sealed in text and "2 addenda" in text


def _members(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_flipped_bit_anywhere_in_the_file_is_refused(bundle: bytes) -> None:
    for offset in range(0, len(bundle), max(1, len(bundle) // 400)):
        data = bytearray(bundle)
        data[offset] ^= 0x04
        with pytest.raises(evidence.BundleError):
            evidence.check(bytes(data))


def test_changing_any_byte_of_any_member_is_refused(bundle: bytes) -> None:
    members = _members(bundle)
    assert {"manifest.json", "manifest.sig", "record.json", "public-key.pem"} <= set(members)
    assert any(n.startswith("attachments/") for n in members)
    assert any(n.startswith("addenda/") for n in members)
    assert any(n.startswith("chain/") and n.endswith(".sig") for n in members)
    for name, data in members.items():
        for offset in (0, len(data) // 2, len(data) - 1):
            changed = dict(members)
            changed[name] = data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]
            with pytest.raises(evidence.BundleError):
                evidence.check(_rezip(changed))


def test_removed_or_added_members_are_refused(bundle: bytes) -> None:
    members = _members(bundle)
    for name in members:
        fewer = {k: v for k, v in members.items() if k != name}
        with pytest.raises(evidence.BundleError):
            evidence.check(_rezip(fewer))
    with pytest.raises(evidence.BundleError, match="not listed in the signed manifest"):
        evidence.check(_rezip({**members, "attachments/ffff": b"extra"}))


def test_a_whole_bundle_re_signed_with_another_key_names_another_key(
    bundle: bytes, session: Session
) -> None:
    """Swapping in another key makes every signature invalid unless all is re-signed; a
    re-signed bundle is internally consistent but shows a different fingerprint."""
    members = _members(bundle)
    _other, wrapped = signing.generate("OTHER", b"\x02" * 32)
    members["public-key.pem"] = signing.public_pem(wrapped.public_der)
    with pytest.raises(evidence.BundleError):
        evidence.check(_rezip(members))


def test_the_qr_statement_checks_against_the_bundle(session: Session, sealed: str) -> None:
    bundle = evidence_service.bundle_bytes(session, sealed)
    statement = session.vault.qr_statement(sealed)
    assert statement.startswith("ALSEAL1." + sealed + ".")
    evidence.check(bundle, qr=statement)
    parts = statement.split(".")
    forged = ".".join([*parts[:2], "0" * 64, *parts[3:]])
    with pytest.raises(evidence.BundleError, match="hashes differ"):
        evidence.check(bundle, qr=forged)
    bad_sig = ".".join([*parts[:5], parts[5][:-4] + "AAAA"])
    with pytest.raises(evidence.BundleError, match="signature"):
        evidence.check(bundle, qr=bad_sig)


def test_a_draft_has_no_bundle(session: Session) -> None:
    draft = session.add_from_json_file(EXAMPLES / "suspected-fraud.json").incident_id
    with pytest.raises(BadInput, match="draft"):
        evidence_service.bundle_bytes(session, draft)


def test_a_tampered_record_gets_no_bundle(session: Session, sealed: str) -> None:
    session.vault.conn.execute(
        "UPDATE attachments SET data = ? WHERE incident_id = ?", (b"swapped", sealed)
    )
    with pytest.raises(IntegrityFailure, match="fails verification"):
        evidence_service.bundle_bytes(session, sealed)


@pytest.mark.skipif(OPENSSL is None, reason="openssl is installed by scripts/setup.sh --test")
def test_the_by_hand_recipe_in_the_docs_is_true(bundle: bytes, tmp_path: Path) -> None:
    """docs/evidence-format.md, "Checking a bundle by hand", step by step."""
    folder = tmp_path / "b"
    folder.mkdir()
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        archive.extractall(folder)

    def run(*args: str, data: bytes | None = None) -> str:
        done = subprocess.run(args, cwd=folder, input=data, capture_output=True, check=True)
        return done.stdout.decode()

    manifest = json.loads((folder / "manifest.json").read_bytes())
    # 1. manifest signature and key fingerprint
    assert "Verified OK" in run(
        "openssl",
        "dgst",
        "-sha256",
        "-verify",
        "public-key.pem",
        "-signature",
        "manifest.sig",
        "manifest.json",
    )
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-in", "public-key.pem", "-outform", "DER"],
        cwd=folder,
        capture_output=True,
        check=True,
    ).stdout
    assert hashlib.sha256(der).hexdigest() == manifest["key_fingerprint"]
    # 2. every member against the manifest, with sha256sum -c
    listing = "".join(f"{m['sha256']}  {m['name']}\n" for m in manifest["members"])
    assert "FAILED" not in run("sha256sum", "-c", data=listing.encode())
    # 3. each chain entry: signature, and its SHA-256 is its entry hash
    entries = sorted((folder / "chain").glob("*.json"))
    assert len(entries) == 3
    for entry in entries:
        assert "Verified OK" in run(
            "openssl",
            "dgst",
            "-sha256",
            "-verify",
            "public-key.pem",
            "-signature",
            str(entry.with_suffix(".sig")),
            str(entry),
        )
    # 4. record.json is what the finalize entry sealed; each addendum what its entry sealed
    finals = [json.loads(e.read_bytes()) for e in entries]
    sums = run("sha256sum", "record.json", "addenda/1.json", "addenda/2.json").split()
    assert sums[0] == finals[0]["record_hash"] and finals[0]["kind"] == "finalize"
    assert sums[2] == finals[1]["record_hash"] and sums[4] == finals[2]["record_hash"]
    # And a changed record no longer matches, by the same recipe.
    (folder / "record.json").write_bytes((folder / "record.json").read_bytes() + b" ")
    assert (
        "FAILED"
        in subprocess.run(
            ["sha256sum", "-c"], cwd=folder, input=listing.encode(), capture_output=True
        ).stdout.decode()
    )


def test_cli_export_evidence_and_check_it_without_the_vault(tmp_path: Path) -> None:
    vault = str(tmp_path / "v")
    secret = "correct horse battery staple"
    made = run_cli(
        "--vault",
        vault,
        "init",
        "--name",
        "J O",
        "--role",
        "navigator",
        "--passphrase-stdin",
        stdin=f"{secret}\n",
    )
    assert made.returncode == 0, made.stderr
    env = {"ASSISTER_LOG_PASSPHRASE": secret}
    rid = run_cli(
        "--vault", vault, "add", "--from-json", str(EXAMPLES / "suspected-fraud.json"), env=env
    ).stdout.strip()
    assert run_cli("--vault", vault, "finalize", rid, env=env).returncode == 0
    out = tmp_path / "e.zip"
    done = run_cli(
        "--vault", vault, "export", rid, "--kind", "evidence", "--out", str(out), env=env
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "r.pdf"
    assert (
        run_cli(
            "--vault", vault, "export", rid, "--kind", "record", "--out", str(pdf), env=env
        ).returncode
        == 0
    )
    # No vault and no passphrase from here on.
    checked = run_cli(
        "check-evidence", str(out), "--pdf", str(pdf), env={"ASSISTER_LOG_PASSPHRASE": ""}
    )
    assert checked.returncode == 0, checked.stderr
    assert "Genuine" in checked.stdout and rid in checked.stdout
    assert "not changed after it was signed" in checked.stdout
    original = out.read_bytes()
    # A flipped bit anywhere: in a deflated member (zlib error), a header, the directory.
    for offset in (40, len(original) // 3, len(original) // 2, len(original) - 30):
        data = bytearray(original)
        data[offset] ^= 0x01
        out.write_bytes(bytes(data))
        refused = run_cli("check-evidence", str(out))
        assert refused.returncode == 1, (offset, refused.stderr)
        assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    not_zip = run_cli("check-evidence", str(pdf))
    assert not_zip.returncode == 1 and "not a ZIP file" in not_zip.stderr
