"""PAdES signatures on exported PDFs, made with pyHanko and the vault's ECDSA P-256 key.

The signature is a PAdES baseline B-B signature (ETSI.CAdES.detached, SHA-256) over the whole
file as written, so a PDF reader shows "not modified since signed" and ``pdfsig`` reports
"Total document signed". No timestamp authority is reachable offline, so the signing time is
the laptop's clock (the organisation's receipts anchor time: docs/organisation.md).
Password-protected PDFs are signed after encryption, authenticated with their password.

A PDF/A document (a final record without a password, ``reports.pdfa``) is signed so that
it stays PDF/A-2b, which is based on PDF 1.7:

* its metadata is left as rendered. pyHanko would otherwise set the Info ``/Producer`` to
  "Assister Log …; pyHanko …" but the XMP ``pdf:Producer`` to "pyHanko …" and take the
  time twice for ``/ModDate`` and ``xmp:ModifyDate``: the two would no longer match, which
  PDF/A requires. The signing time is the signature's ``/M``. This overrides pyHanko's
  private ``IncrementalPdfFileWriter._update_meta`` (checked against pyHanko 0.38;
  ``pyproject.toml`` caps it below 0.39, and ``tests/unit/reports/test_pdfa.py`` fails if
  the metadata changes on signing).
* the file declares PDF 1.7 with the ESIC extension (PAdES on PDF 1.7), not PDF 2.0 with the
  ISO 32002 extension that pyHanko adds for an ECDSA P-256 key: the signature is the same
  CMS either way (ETSI EN 319 142-1 allows ECDSA), only the declared version differs.

Drafts and password-protected PDFs are signed as before (pyHanko's metadata and version).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

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
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers import constants
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class KeepMetadata(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            """Leave the Info dictionary and the XMP as rendered (they match)."""

    class Pdf17Signer(signers.PdfSigner):
        def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
            """PAdES on PDF 1.7 (the ESIC extension), as pyHanko declares for RSA keys."""
            pdf_out.ensure_output_version(version=(1, 7))
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)

    cert = x509.Certificate.load(signer.certificate_der)
    simple = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=keys.PrivateKeyInfo.load(signer.private_pkcs8),
        cert_registry=SimpleCertificateStore.from_certs([cert]),  # type: ignore[no-untyped-call]
    )
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    archival = password is None and _claims_pdfa(reader.root)
    writer_class = KeepMetadata if archival else IncrementalPdfFileWriter
    writer = writer_class.from_reader(reader)
    if password is not None:
        writer.encrypt(password)  # type: ignore[no-untyped-call]  # authenticates to edit
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=REASON,
    )
    signer_class = Pdf17Signer if archival else signers.PdfSigner
    out = signer_class(meta, signer=simple).sign_pdf(writer)
    return bytes(out.getvalue())


def _claims_pdfa(root: Any) -> bool:
    """Whether the catalog's XMP metadata says PDF/A (``reports.pdfa``)."""
    from assister_log.reports.pdfa import claims_pdfa

    if "/Metadata" not in root:
        return False
    return claims_pdfa(bytes(root["/Metadata"].get_object().data))


def preload() -> None:
    """Import pyHanko ahead of the first export (it costs ~0.35 s once per process)."""
    from pyhanko.sign import signers  # noqa: F401
