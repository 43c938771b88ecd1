"""User text to safe Paragraph markup: NFC, controls and format characters removed, escaped.

Normalisation is NFC, not the NFKC that STYLE.md suggests: NFKC rewrites what people wrote
(full-width letters, ligatures, superscripts, Arabic presentation forms) and a verbatim quote
must print as entered. Passphrases are NFKC-normalised elsewhere; printed text is not.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from xml.sax.saxutils import escape

KEEP_FORMAT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: they change how a word is shaped
_KEEP_SPACES = frozenset("\u00a0\u202f")  # no-break spaces keep their meaning


@lru_cache(maxsize=4096)
def _clean_char(ch: str) -> str:
    if ch == "\n":
        return ch
    if ch in "\t\x0b\x0c":
        return " "
    category = unicodedata.category(ch)
    if category in ("Zl", "Zp") or ch == "\x85":
        return "\n"
    if category == "Zs":
        # reportlab only breaks lines on a few space characters; widths are not worth it.
        return ch if ch in _KEEP_SPACES else " "
    if category in ("Cc", "Cs"):
        return ""
    if category == "Cf":
        # Bidi embeddings/overrides/isolates could make a name read reversed; soft hyphens,
        # BOMs, word joiners and the like print nothing useful.
        return ch if ch in KEEP_FORMAT else ""
    cp = ord(ch)
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return ""  # noncharacters
    return ch


def clean_text(text: str) -> str:
    """NFC-normalised ``text`` with newlines unified and control/format characters removed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(_clean_char(ch) for ch in text)


def para(text: str, *, bold: bool = False) -> str:
    """Safe Paragraph markup for arbitrary user text (prints literally, e.g. ``<b>Ann & Bo</b>``).

    Render it with :class:`TextParagraph` (or :func:`paragraph`), which chooses fonts, shapes
    and orders right-to-left text; a plain reportlab Paragraph does none of that.
    """
    markup = escape(clean_text(text)).replace("\n", "<br/>")
    return f"<b>{markup}</b>" if bold and markup else markup


def is_rtl(text: str) -> bool:
    """True when the first strong character of ``text`` is right-to-left (UBA rules P2/P3)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False
