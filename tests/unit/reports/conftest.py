"""Render small PDFs and read them back with poppler (pdffonts, pdftotext)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from assister_log.reports import fonts
from assister_log.reports.metadata import apply_metadata

STANDARD_14 = (
    "Courier",
    "Helvetica",
    "Times",
    "Symbol",
    "ZapfDingbats",
)


@dataclass(frozen=True)
class FontRow:
    name: str
    kind: str
    embedded: bool


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    page: int
    y1: float = 0.0  # the box's bottom: the same for every word of a line, marks or not


class Poppler:
    """pdffonts / pdftotext on PDF bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._n = 0

    def _file(self, pdf: bytes) -> Path:
        self._n += 1
        path = self.folder / f"doc{self._n}.pdf"
        path.write_bytes(pdf)
        return path

    def run(self, tool: str, pdf: bytes, *args: str) -> str:
        path = self._file(pdf)
        result = subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def fonts(self, pdf: bytes) -> list[FontRow]:
        rows = []
        for line in self.run("pdffonts", pdf).splitlines()[2:]:
            parts = line.split()
            # name, type (may be two words, e.g. "Type 1"), encoding, emb, sub, uni, id, gen
            name = parts[0]
            embedded = parts[-5] == "yes"
            rows.append(FontRow(name, " ".join(parts[1:-6]), embedded))
        return rows

    def text(self, pdf: bytes, *args: str) -> str:
        return self.run("pdftotext", pdf, "-enc", "UTF-8", *args)

    def words(self, pdf: bytes) -> list[Word]:
        xml = self.run("pdftotext", pdf, "-bbox", "-enc", "UTF-8")
        root = ET.fromstring(xml)
        words = []
        for page_no, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), 1):
            for w in page.iter("{http://www.w3.org/1999/xhtml}word"):
                words.append(
                    Word(
                        w.text or "",
                        float(w.attrib["xMin"]),
                        float(w.attrib["yMin"]),
                        float(w.attrib["xMax"]),
                        page_no,
                        float(w.attrib["yMax"]),
                    )
                )
        return words


@pytest.fixture(scope="session", autouse=True)
def _fonts_registered() -> None:
    fonts.register_fonts()


@pytest.fixture
def poppler(tmp_path: Path) -> Poppler:
    for tool in ("pdffonts", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} (poppler-utils) is not installed")
    return Poppler(tmp_path)


def build_pdf(
    story: Sequence[Any],
    *,
    width: float | None = None,
    canvasmaker: Any = None,
    encrypt: Any = None,
) -> bytes:
    """A letter-size PDF of ``story``; ``width`` narrows the text column."""
    buf = io.BytesIO()
    side = 72.0 if width is None else (letter[0] - width) / 2
    doc = SimpleDocTemplate(
        buf,
        pagesize=letter,
        leftMargin=side,
        rightMargin=side,
        topMargin=72,
        bottomMargin=72,
        encrypt=encrypt,
    )
    apply_metadata(doc, "record")
    if canvasmaker is None:
        doc.build(list(story))
    else:
        doc.build(list(story), canvasmaker=canvasmaker)
    return buf.getvalue()


def plain(text: str) -> str:
    """Extracted text made comparable: NFKC (Arabic presentation forms back to letters),
    bidi marks that pdftotext inserts removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def drawn_glyphs(paragraph: Any, width: float = 400) -> list[tuple[str, int, str]]:
    """(font, glyph id, code) of every glyph a wrapped paragraph draws, in drawing order."""
    paragraph.wrap(width, 10_000)
    glyphs = []
    for line in paragraph.blPara.lines:
        for frag in line.words:
            text = getattr(frag, "text", "")
            face = pdfmetrics.getFont(frag.fontName).face
            for ch in text:
                glyphs.append((frag.fontName, face.charToGlyph.get(ord(ch), 0), ch))
    return glyphs


@pytest.fixture(scope="session")
def build() -> Any:
    return build_pdf


@pytest.fixture(name="plain", scope="session")
def plain_fixture() -> Any:
    return plain


@pytest.fixture(name="drawn_glyphs", scope="session")
def drawn_glyphs_fixture() -> Any:
    return drawn_glyphs
