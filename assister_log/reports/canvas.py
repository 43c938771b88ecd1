"""Page furniture, neutral metadata and password protection shared by every document.

* :func:`numbered_canvas` makes a Canvas class for ``doc.build(story, canvasmaker=...)`` that
  prints the document title and record id at the top, the private-data notice and
  "Page X of Y" at the bottom, and a light diagonal DRAFT on every page of a draft.
* :func:`neutral_metadata` / :func:`apply_metadata`: title, author, subject, keywords, creator
  and producer name the kind of document only. Record text never goes there: a file manager,
  a search indexer or a mail preview shows metadata without a password.
* :func:`encrypt_option`: AES-256 (PDF 2.0 security handler revision 6) built on
  ``cryptography``. reportlab 5.1 offers 40/128-bit RC4 and, only if the unmaintained pure
  Python ``pyaes`` is installed, AES-256 revision 5, which PDF 2.0 deprecates (one unsalted
  SHA-256 of the password, fast to brute-force).
"""

from __future__ import annotations

import os
import struct
import unicodedata
from hashlib import sha256, sha384, sha512
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
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from reportlab.lib import colors
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFName, PDFObject
from reportlab.pdfgen.canvas import Canvas

from assister_log import APP_NAME, __version__
from assister_log.errors import BadInput
from assister_log.reports import fonts

PRIVATE_DATA_NOTICE = (
    "Private data under the Minnesota Government Data Practices Act (Minn. Stat. ch. 13). "
    "Keep it encrypted; share only as the law allows."
)

# Space the furniture needs: give the document template at least these margins.
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 22 * mm
SIDE_MARGIN = 18 * mm

_DOC_TITLES = {
    "record": "interaction termination record",
    "fraud-referral": "fraud referral packet",
    "staff-memo": "staff call-termination memo",
    "specimen": "font specimen",
}


# --------------------------------------------------------------------------- the canvas


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Buffers pages so each can say "Page X of Y" once Y is known.

    Configure through :func:`numbered_canvas`; the class attributes are its settings.
    """

    record_id: str = ""
    heading: str = APP_NAME
    draft: bool = False
    footer_text: str = PRIVATE_DATA_NOTICE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fonts.register_fonts()
        # Without this the canvas starts in Helvetica, which pdffonts lists as not embedded.
        if kwargs.get("initialFontName") is None:
            kwargs["initialFontName"] = fonts.BODY
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_furniture(number, total)
            super().showPage()
        super().save()

    def draw_furniture(self, number: int, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        if self.draft:
            self._draw_draft_mark(width, height)
        self.setFillColor(colors.HexColor("#333333"))
        self.setStrokeColor(colors.HexColor("#999999"))
        self.setLineWidth(0.4)
        top = height - 12 * mm
        self.setFont(fonts.BOLD, 8.5)
        self.drawString(SIDE_MARGIN, top, _printable(self.heading))
        if self.record_id:
            self.setFont(fonts.MONO, 8.5)
            self.drawRightString(width - SIDE_MARGIN, top, f"Record {_printable(self.record_id)}")
        self.line(SIDE_MARGIN, top - 2.5 * mm, width - SIDE_MARGIN, top - 2.5 * mm)
        bottom = 12 * mm
        self.line(SIDE_MARGIN, bottom + 4 * mm, width - SIDE_MARGIN, bottom + 4 * mm)
        self.setFont(fonts.BODY, 7)
        page = f"Page {number} of {total}"
        page_width = self.stringWidth(page, fonts.BODY, 8)
        self._draw_fitted(
            self.footer_text, SIDE_MARGIN, bottom, width - 2 * SIDE_MARGIN - page_width - 6 * mm
        )
        self.setFont(fonts.BODY, 8)
        self.drawRightString(width - SIDE_MARGIN, bottom, page)
        if self.draft:
            self.setFont(fonts.BOLD, 8)
            self.setFillColor(colors.HexColor("#B00020"))
            self.drawCentredString(width / 2, top, "DRAFT")
        self.restoreState()

    def _draw_fitted(self, text: str, x: float, y: float, room: float) -> None:
        """The footer notice on one line, or two if the page is narrow."""
        text = _printable(text)
        if self.stringWidth(text, fonts.BODY, 7) <= room:
            self.drawString(x, y, text)
            return
        words = text.split()
        first: list[str] = []
        while words and self.stringWidth(" ".join([*first, words[0]]), fonts.BODY, 7) <= room:
            first.append(words.pop(0))
        self.drawString(x, y + 4, " ".join(first))
        self.drawString(x, y - 4, " ".join(words))

    def _draw_draft_mark(self, width: float, height: float) -> None:
        self.saveState()
        self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
        self.setFont(fonts.BOLD, 110)
        self.translate(width / 2, height / 2)
        self.rotate(45)
        self.drawCentredString(0, -38, "DRAFT")
        self.restoreState()


def numbered_canvas(
    record_id: str,
    *,
    draft: bool,
    heading: str = APP_NAME,
    footer_text: str = PRIVATE_DATA_NOTICE,
) -> type[NumberedCanvas]:
    """A canvas class for ``doc.build(story, canvasmaker=numbered_canvas(...))``.

    ``record_id`` and ``heading`` print on every page; keep them to identifiers and the kind
    of document (no names), since a printed page may travel alone.
    """
    return type(
        "RecordCanvas",
        (NumberedCanvas,),
        {
            "record_id": record_id,
            "draft": draft,
            "heading": heading,
            "footer_text": footer_text,
        },
    )


def _printable(text: str) -> str:
    """Text the canvas can draw without shaping: NFC, covered by NotoSans, one line."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return "".join(ch if fonts.covers(fonts.BODY, ch) else "?" for ch in text)


# --------------------------------------------------------------------------- metadata


def neutral_metadata(doc_kind: str) -> dict[str, Any]:
    """PDF metadata that names only the kind of document.

    ``doc_kind`` is one of "record", "fraud-referral", "staff-memo" (and "specimen"); any
    other value raises, so record text cannot end up in the title by mistake.
    """
    try:
        what = _DOC_TITLES[doc_kind]
    except KeyError:
        raise ValueError(f"unknown document kind {doc_kind!r}") from None
    tool = f"{APP_NAME} {__version__}"
    return {
        "title": f"{APP_NAME} — {what}",
        "author": APP_NAME,
        "subject": f"{what[0].upper()}{what[1:]}",
        "keywords": [APP_NAME, "MNsure"],
        "creator": tool,
        "producer": tool,
    }


def apply_metadata(target: Any, doc_kind: str) -> None:
    """Set :func:`neutral_metadata` on a BaseDocTemplate (before build) or on a Canvas."""
    meta = neutral_metadata(doc_kind)
    if isinstance(target, Canvas):
        target.setTitle(meta["title"])
        target.setAuthor(meta["author"])
        target.setSubject(meta["subject"])
        target.setKeywords(meta["keywords"])
        target.setCreator(meta["creator"])
        target.setProducer(meta["producer"])
        return
    for key, value in meta.items():
        setattr(target, key, value)
    # Templates pass this to their canvas; without it the first page starts in Helvetica.
    if getattr(target, "initialFontName", None) is None:
        target.initialFontName = fonts.BODY


# --------------------------------------------------------------------------- encryption

# Every permission granted (bits 3-12 set, 1-2 clear): the password is the protection; PDF
# permission flags are advisory and would only get in an investigator's way.
_PERMISSION_BITS = 0xFFFFFFFC


class PasswordTooLong(BadInput):
    """The PDF standard caps passwords at 127 bytes of UTF-8."""


def encrypt_option(password: str | None) -> Aes256Encryption | None:
    """The ``encrypt=`` argument for a document: AES-256, or None for a plaintext PDF.

    None is only for an explicit plaintext export. An empty password is refused (it would
    encrypt with a key anyone can derive). The password is prepared like PDF readers do
    (SASLprep, UTF-8) and must fit in 127 bytes; it is not truncated silently.
    """
    if password is None:
        return None
    prepared = saslprep(password)
    if not prepared:
        raise BadInput("A PDF password cannot be empty.")
    encoded = prepared.encode("utf-8")
    if len(encoded) > 127:
        raise PasswordTooLong(
            "This password is longer than PDF allows (127 bytes); choose a shorter one."
        )
    return Aes256Encryption(encoded)


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


def _aes_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _hash_r6(password: bytes, salt: bytes, user_key: bytes = b"") -> bytes:
    """ISO 32000-2 algorithm 2.B (the revision 6 password hash)."""
    k = sha256(password + salt + user_key).digest()
    round_ = 0
    while True:
        k1 = (password + k + user_key) * 64
        e = _aes_cbc(k[:16], k[16:32], k1)
        digest = (sha256, sha384, sha512)[sum(e[:16]) % 3]
        k = digest(e).digest()
        round_ += 1
        if round_ >= 64 and e[-1] <= round_ - 32:
            return k[:32]


class Aes256Encryption(StandardEncryption):  # type: ignore[misc]  # reportlab is untyped
    """reportlab's encryption hook with the PDF 2.0 AES-256 handler (V 5, R 6, AESV3)."""

    def __init__(self, password: bytes) -> None:
        super().__init__(password, password, canPrint=1, canModify=1, canCopy=1, canAnnotate=1,
                         strength=128)  # fmt: skip
        self.revision = 6
        self._password = password
        self._file_key = b""

    def prepare(self, document: Any, overrideID: Any = None) -> None:
        if self._file_key:
            raise ValueError("encryption already prepared")
        key = self._file_key = os.urandom(32)
        pw = self._password
        user_validation, user_key_salt = os.urandom(8), os.urandom(8)
        self.U = _hash_r6(pw, user_validation) + user_validation + user_key_salt
        self.UE = _aes_cbc(_hash_r6(pw, user_key_salt), bytes(16), key)
        owner_validation, owner_key_salt = os.urandom(8), os.urandom(8)
        self.O = _hash_r6(pw, owner_validation, self.U) + owner_validation + owner_key_salt
        self.OE = _aes_cbc(_hash_r6(pw, owner_key_salt, self.U), bytes(16), key)
        self.P = struct.unpack("<i", struct.pack("<I", _PERMISSION_BITS))[0]
        perms = struct.pack("<I", _PERMISSION_BITS) + b"\xff\xff\xff\xff" + b"Tadb" + os.urandom(4)
        ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # one block, as specified
        self.Perms = ecb.update(perms) + ecb.finalize()
        # AES-256 arrived with PDF 1.7 extension level 3/8 and is standard in PDF 2.0.
        if getattr(document, "_pdfVersion", (1, 7)) < (1, 7):
            document._pdfVersion = (1, 7)
        self.objnum = self.version = None
        self.prepared = 1

    def encode(self, t: Any) -> bytes:
        if not self._file_key:
            raise ValueError("encryption not prepared")
        data = t.encode("latin-1") if isinstance(t, str) else bytes(t)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        iv = os.urandom(16)
        return iv + _aes_cbc(self._file_key, iv, padded)

    def info(self) -> _Aes256Dictionary:
        if not self._file_key:
            raise ValueError("encryption not prepared")
        return _Aes256Dictionary(self)


class _Aes256Dictionary(PDFObject):  # type: ignore[misc]
    __RefOnly__ = 1

    def __init__(self, enc: Aes256Encryption) -> None:
        self.enc = enc

    def format(self, document: Any) -> bytes:
        e = self.enc
        crypt_filter = PDFDictionary(
            {"CFM": PDFName("AESV3"), "AuthEvent": PDFName("DocOpen"), "Length": 32}
        )
        entries = {
            "Filter": PDFName("Standard"),
            "V": 5,
            "R": 6,
            "Length": 256,
            "P": e.P,
            "O": _hex(e.O),
            "U": _hex(e.U),
            "OE": _hex(e.OE),
            "UE": _hex(e.UE),
            "Perms": _hex(e.Perms),
            "CF": PDFDictionary({"StdCF": crypt_filter}),
            "StmF": PDFName("StdCF"),
            "StrF": PDFName("StdCF"),
        }
        # The dictionary itself is never encrypted: format it against a plain document.
        return bytes(PDFDictionary(entries).format(DummyDoc()))


def _hex(data: bytes) -> str:
    return f"<{data.hex().upper()}>"
