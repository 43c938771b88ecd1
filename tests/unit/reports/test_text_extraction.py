"""Text comes back out of the PDF as it was written (issue 13, items 2 and 3), read by tools
this code did not write: poppler's pdftotext, and pdfminer.six.

* pdftotext honours ``/ActualText``: it must return the logical string of names in shaped
  scripts, searchable as typed (no presentation forms, no private-use code points).
* pdfminer.six reads the same marked content (its interpreter parses ``BDC`` properties;
  its text output ignores ActualText, so the test assembles the text from the spans and
  the characters outside them, in content order).
* Latin has no ligatures: "office" copies as "office" through both.
* Glyph baselines (pdfminer's character boxes): a Khmer subscript's offset does not move the
  rest of the line.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from bidi import get_display
from pdfminer.converter import PDFPageAggregator
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.psparser import PSLiteral

from assister_log.reports.text import paragraph

NAMES = {
    "Arabic": "أحمد محمد",
    "Burmese": "မောင်မောင်",
    "Karen": "နီၢ်ပ့ၤဝါ",
    "Khmer": "សុខ ចាន់",
    "Lao": "ສົມພອນ ແກ້ວມະນີ",
    "Khmer window": "បង្អួចការិយាល័យ",
    "Latin": "office affluent flow",
}


class _ActualTextReader(PDFPageAggregator):
    """Content-order text: the ActualText of each span, the characters outside spans."""

    def __init__(self, rsrcmgr: Any) -> None:
        super().__init__(rsrcmgr, laparams=LAParams())
        self.parts: list[str] = []
        self._spans: list[str | None] = []

    def begin_tag(self, tag: PSLiteral, props: Any = None) -> None:
        actual = props.get("ActualText") if isinstance(props, dict) else None
        if isinstance(actual, bytes):
            text = actual.decode("utf-16") if actual[:2] == b"\xfe\xff" else actual.decode()
            self.parts.append(text)
            self._spans.append(text)
        else:
            self._spans.append(None)

    def end_tag(self) -> None:
        if self._spans:
            self._spans.pop()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        before = len(self.cur_item._objs)
        width = float(super().render_char(*args, **kwargs))
        if not any(s is not None for s in self._spans):
            for item in self.cur_item._objs[before:]:
                if isinstance(item, LTChar):
                    self.parts.append(item.get_text())
        return width


def pdfminer_actual_text(pdf: bytes) -> str:
    manager = PDFResourceManager()
    device = _ActualTextReader(manager)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(io.BytesIO(pdf)):
        interpreter.process_page(page)
    return "".join(device.parts)


@pytest.fixture(scope="module")
def names_pdf(build: Any) -> bytes:
    pdf: bytes = build([paragraph(name, "body") for name in NAMES.values()])
    return pdf


def _no_bidi_marks(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


@pytest.mark.parametrize("language", sorted(NAMES))
def test_pdftotext_returns_the_logical_string(
    language: str, names_pdf: bytes, poppler: Any
) -> None:
    lines = [_no_bidi_marks(line).strip() for line in poppler.text(names_pdf).splitlines()]
    assert NAMES[language] in lines, lines


@pytest.mark.parametrize("language", sorted(NAMES))
def test_pdfminer_reads_the_same_text_from_the_marked_content(
    language: str, names_pdf: bytes
) -> None:
    text = pdfminer_actual_text(names_pdf)
    if language == "Arabic":
        # Right-to-left text is drawn in display order, one span per letter: a reader
        # without bidi (pdfminer) sees the letters right to left; the UBA (python-bidi)
        # turns a pure right-to-left line back into reading order.
        text = get_display(text)
    assert NAMES[language] in text, text
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in text)  # no private-use code points


def test_latin_copies_without_ligatures(names_pdf: bytes, poppler: Any) -> None:
    for text in (extract_text(io.BytesIO(names_pdf)), poppler.text(names_pdf)):
        assert "office affluent flow" in text
        assert not any(c in text for c in "\ufb00\ufb01\ufb02\ufb03\ufb04")


def test_khmer_baseline_stays_level_after_a_subscript(build: Any) -> None:
    """The consonants of one line share one baseline (their boxes' bottoms, one font)."""
    pdf = build([paragraph("បង្អួចការិយាល័យ បង្អួចការិយាល័យ ក្ដី", "body")])
    bottoms: dict[str, list[float]] = {}

    def walk(item: Any) -> None:
        if isinstance(item, LTChar):
            ch = item.get_text()
            if len(ch) == 1 and unicodedata.category(ch) == "Lo":
                bottoms.setdefault(item.fontname, []).append(item.y0)
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for page in extract_pages(io.BytesIO(pdf)):
        walk(page)
    assert bottoms and sum(len(v) for v in bottoms.values()) > 10
    for values in bottoms.values():
        assert max(values) - min(values) < 0.05, sorted(values)
