"""PAdES signatures on exported PDFs, made with pyHanko and the vault's ECDSA P-256 key.

The signature is a PAdES baseline B-B signature (ETSI.CAdES.detached, SHA-256) over the whole
file as written, so a PDF reader shows "not modified since signed" and ``pdfsig`` reports
"Total document signed". No timestamp authority is reachable offline, so the signing time is
the laptop's clock (the organisation's receipts anchor time: docs/organisation.md).
Password-protected PDFs are signed after encryption, authenticated with their password.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

FIELD_NAME = "AssisterLogSeal"
REASON = "Exported from an Assister Log vault; signed with the vault's key"


@dataclass(frozen=True)
class PdfSigner:
    """The vault key as pyHanko needs it: PKCS#8 private key and certificate, both DER."""

    private_pkcs8: bytes
    certificate_der: bytes


def sign_pdf(pdf: bytes, signer: PdfSigner, *, password: str | None = None) -> bytes:
    """``pdf`` with an incremental PAdES signature covering all of it."""
    from asn1crypto import keys, x509  # type: ignore[import-untyped]  # no stubs shipped
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = x509.Certificate.load(signer.certificate_der)
    simple = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=keys.PrivateKeyInfo.load(signer.private_pkcs8),
        cert_registry=SimpleCertificateStore.from_certs([cert]),  # type: ignore[no-untyped-call]
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if password is not None:
        writer.encrypt(password)  # type: ignore[no-untyped-call]  # authenticates to edit
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=REASON,
    )
    out = signers.sign_pdf(writer, meta, signer=simple)
    return bytes(out.getvalue())


def preload() -> None:
    """Import pyHanko ahead of the first export (it costs ~0.35 s once per process)."""
    from pyhanko.sign import signers  # noqa: F401
