"""Password protection: AES-256 with the PDF 2.0 standard security handler (revision 6).

A document is rendered unencrypted, in memory, by reportlab; :func:`encrypt_pdf` has
pikepdf (qpdf) write the encrypted file, also in memory; ``services.export`` then writes the
bytes atomically with owner-only permissions. Nothing unencrypted touches the disk.

Why not reportlab: 5.1 offers 40/128-bit RC4 and, only if the unmaintained pure Python
``pyaes`` is installed, AES-256 revision 5, which PDF 2.0 deprecates (one unsalted SHA-256 of
the password, fast to brute-force). qpdf writes V 5 / R 6 / AESV3, encrypts strings (the
metadata too) and streams, and marks the file PDF 1.7 extension level 8 (``/Extensions <<
/ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> >>``, where R6 belongs in 1.7). Signing
(``reports.signing``: pyHanko, ECDSA) then raises the catalog's ``/Version`` to 2.0, where R6
is part of the standard; the ADBE entry stays for readers of the 1.7 header.

Passwords are prepared as PDF 2.0 asks (SASLprep, UTF-8, at most 127 bytes) before qpdf sees
them: qpdf uses the bytes it is given, so a password we did not prepare might not open in a
reader that does prepare it.
"""

from __future__ import annotations

import io
import unicodedata
from stringprep import (
    in_table_a1,
    in_table_b1,
    in_table_c3,
    in_table_c4,
    in_table_c5,
    in_table_c6,
    in_table_c7,
    in_table_c8,
    in_table_c9,
    in_table_c12,
    in_table_c21_c22,
    in_table_d1,
    in_table_d2,
)

import pikepdf

from assister_log.errors import BadInput

# Every permission granted (P = -4: bits 3-12 set, 1-2 clear): the password is the
# protection; PDF permission flags are advisory and would only get in an investigator's way.
_ALLOW_ALL = pikepdf.Permissions(
    accessibility=True,
    extract=True,
    modify_annotation=True,
    modify_assembly=True,
    modify_form=True,
    modify_other=True,
    print_lowres=True,
    print_highres=True,
)


class PasswordTooLong(BadInput):
    """The PDF standard caps passwords at 127 bytes of UTF-8."""


def prepare_password(password: str) -> str:
    """``password`` as PDF readers prepare it (SASLprep), or BadInput.

    An empty password is refused (it would encrypt with a key anyone can derive), and so is
    one longer than 127 bytes of UTF-8: it is not truncated silently.
    """
    prepared = saslprep(password)
    if not prepared:
        raise BadInput("A PDF password cannot be empty.")
    if len(prepared.encode("utf-8")) > 127:
        raise PasswordTooLong(
            "This password is longer than PDF allows (127 bytes); choose a shorter one."
        )
    return prepared


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """``pdf`` encrypted with AES-256 (R 6) under ``password`` (user and owner alike)."""
    prepared = prepare_password(password)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(
            out,
            encryption=pikepdf.Encryption(
                owner=prepared, user=prepared, R=6, allow=_ALLOW_ALL, aes=True, metadata=True
            ),
            # R6 is PDF 2.0, or 1.7 with Adobe's extension level 8: asked for, not left to
            # qpdf's default (tests/unit/reports/test_pdf_version.py).
            min_version=("1.7", 8),
        )
    return out.getvalue()


def saslprep(text: str) -> str:
    """RFC 4013 SASLprep, which PDF 2.0 applies to AES-256 passwords (7.6.4.3.3).

    Strict like pypdf: characters unassigned in Unicode 3.2 (emoji, many newer letters) are
    refused, so every password we accept opens in strict readers too.
    """
    mapped = "".join(" " if in_table_c12(ch) else ch for ch in text if not in_table_b1(ch))
    mapped = unicodedata.normalize("NFKC", mapped)
    for ch in mapped:
        if any(check(ch) for check in _PROHIBITED):
            raise BadInput(
                f"The password contains a character PDF readers refuse (U+{ord(ch):04X})."
            )
    rtl = any(in_table_d1(ch) for ch in mapped)
    if rtl and (
        any(in_table_d2(ch) for ch in mapped)
        or not (in_table_d1(mapped[0]) and in_table_d1(mapped[-1]))
    ):
        raise BadInput(
            "PDF readers refuse this password: right-to-left letters must not be mixed with "
            "left-to-right letters and must start and end it."
        )
    return mapped


_PROHIBITED = (
    in_table_c12, in_table_c21_c22, in_table_c3, in_table_c4, in_table_c5, in_table_c6,
    in_table_c7, in_table_c8, in_table_c9, in_table_a1,
)  # fmt: skip
