"""The text object TextParagraph draws with: reportlab's, with the real text of shaped runs
and a text rise that cannot leak.

* ``/ActualText``: a shaped run whose drawn glyphs do not spell its text (Arabic contextual
  forms drawn right to left, Myanmar and Khmer vowels drawn before their consonant, glyphs
  with only a private code point) is wrapped in ``/Span <</ActualText (...)>> BDC ... EMC``
  holding the logical string, so search and copy in viewers that read marked content
  (poppler, mupdf, Acrobat) return what was written. :func:`shaping.shape_run` marks each
  glyph of such a run with its cluster's place in the run's text (``ShapeData.actual``).
* Text rise: reportlab 5.1's ``PDFTextObject.setRise`` merges two consecutive rise changes
  into one operator but then forgets the second value, so after a glyph with a vertical
  offset (a Khmer subscript) the rest of the line stayed ~3 pt low. Here the rise is
  always the last one written.

``_formatText`` and ``setRise`` are reportlab internals (checked against 5.1; ``pyproject``
caps reportlab below 5.2).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject


def actual_text_operand(text: str) -> str:
    """A PDF text string (UTF-16BE with BOM, hex) holding ``text``."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _segments(text: ShapedStr) -> list[tuple[int, int, str | None]]:
    """(start, end, actual text or None) of the runs of glyphs that share one source."""
    data = text.__shapeData__
    out: list[tuple[int, int, str | None]] = []
    i, n = 0, len(text)
    while i < n:
        mark = getattr(data[i], "actual", None)
        j = i + 1
        if mark is None:
            while j < n and getattr(data[j], "actual", None) is None:
                j += 1
            out.append((i, j, None))
        else:
            source = mark[0]
            lo, hi = mark[1], mark[2]
            while j < n:
                other = getattr(data[j], "actual", None)
                if other is None or other[0] is not source or other[1] != mark[1]:
                    break
                lo, hi = min(lo, other[1]), max(hi, other[2])
                j += 1
            out.append((i, j, source[lo:hi]))
        i = j
    return out


class TextObject(PDFTextObject):  # type: ignore[misc]  # reportlab is untyped
    _rise: float
    _y: float
    _code: list[str]

    def setRise(self, rise: float) -> None:
        operator = f"{fp_str(rise)} Ts"
        if self._code and self._code[-1].endswith(" Ts"):  # replace "r0 Ts" by "r1 Ts"
            self._y += self._rise
            self._code[-1] = operator
        else:
            self._code.append(operator)
        self._rise = rise  # reportlab forgot this when it replaced the operator
        self._y -= rise

    def _formatText(self, text: Any) -> str:
        if not isinstance(text, ShapedStr) or not any(
            getattr(sd, "actual", None) is not None for sd in text.__shapeData__
        ):
            return str(super()._formatText(text))
        parts: list[str] = []
        for start, end, actual in _segments(text):
            piece = super()._formatText(text[start:end])
            if actual is None:
                parts.append(piece)
            else:
                parts.append(f"/Span <</ActualText {actual_text_operand(actual)}>> BDC {piece} EMC")
        return " ".join(parts)
