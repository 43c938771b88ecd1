"""TextParagraph: a reportlab Paragraph that does fallback, bidi and shaping after parsing."""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import Paragraph, ParaLines

from assister_log.reports import fonts
from assister_log.reports.text.bidi import (
    MAYBE_RTL,
    annotate_levels,
    needs_reordering,
    reorder_lines,
)
from assister_log.reports.text.fallback import apply_fallback
from assister_log.reports.text.frags import Frag, FragWord, frag_words, is_processed, is_text
from assister_log.reports.text.markup import para
from assister_log.reports.text.shaping import shape_word, split_long_words
from assister_log.reports.text.styles import cached_styles
from assister_log.reports.text.textobject import TextObject


class TextParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A Paragraph that prints any script: font fallback, bidi, shaping (see module doc).

    Same constructor as reportlab's Paragraph. Pass user text through :func:`para` first.
    A paragraph whose first strong character is right-to-left is right-aligned when its
    style says left (or justify).
    """

    frags: list[Any]
    style: Any
    # (wrap widths, lines) already broken for this paragraph by the split that made it
    _broken: tuple[list[float], list[Any]] | None = None

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle | None = None,
        bulletText: str | None = None,
        frags: list[Any] | None = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        fonts.register_fonts()
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._logical_text: str | None = None
        if self.frags and not is_processed(self.frags):
            self._logical_text = "".join(
                "\n" if getattr(f, "lineBreak", False) else f.text
                for f in self.frags
                if is_text(f) or getattr(f, "lineBreak", False)
            )
            words, rtl_base = _prepare(self.frags)
            self.frags = words
            if rtl_base and self.style.alignment in (TA_LEFT, TA_JUSTIFY):
                self.style = ParagraphStyle(
                    f"{self.style.name}-rtl", parent=self.style, alignment=TA_RIGHT
                )
        self._bidi = needs_reordering(self.frags)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """reportlab's split, plus: both parts keep the lines already broken.

        reportlab re-breaks both parts after every page break, which makes one long paragraph
        quadratic (a 73-page narrative took a minute, now 3.5 s). The lines are reused when a
        part is wrapped at the same width, as it is in the next frame of the same layout.
        """
        parts: list[Any] = super().split(availWidth, availHeight)
        if len(parts) == 2 and isinstance(parts[1], TextParagraph) and hasattr(self, "blPara"):
            lines = self.blPara.lines
            done = len(parts[0].blPara.lines)
            if self.blPara.kind == 1 and done < len(lines) and len(self._wrapWidths) == 2:
                later = self._wrapWidths[1]
                parts[0]._broken = (list(self._wrapWidths), lines[:done])
                offset = lines[done].sFW
                rest = [line.clone(sFW=line.sFW - offset) for line in lines[done:]]
                parts[1]._broken = ([later, later], rest)
        return parts

    def breakLines(self, width: Any) -> Any:
        widths: list[float] = list(width) if isinstance(width, (list, tuple)) else [width]
        broken = getattr(self, "_broken", None)
        if broken is not None and _same_widths(widths, broken[0]):
            return ParaLines(kind=1, lines=broken[1])
        self._broken = None  # the frags change below; those lines would no longer match them
        if self.frags and is_processed(self.frags):
            self.frags = split_long_words(self.frags, min(widths))
        lines = super().breakLines(width)
        if lines.kind == 1:
            if self._bidi:
                reorder_lines(lines.lines, self.frags)
            if getattr(self.style, "autoLeading", "") == "max":
                _line_heights_as_drawn(lines.lines, float(self.style.leading))
        return lines

    def beginText(self, x: float, y: float) -> TextObject:
        """reportlab's text object with /ActualText for shaped runs and a fixed text rise."""
        return TextObject(self.canv, x, y)

    def getPlainText(self, identify: Any = None) -> str:
        if self._logical_text is not None:
            return self._logical_text
        return str(super().getPlainText(identify))


def _line_heights_as_drawn(lines: list[Any], leading: float) -> None:
    """Give each line the height reportlab 5.1 draws it with (``autoLeading="max"``).

    reportlab measures such a line as ``max(ascent - descent, leading)`` (wrap, split) but
    draws it ``max(5/6 leading, ascent) + max(1/6 leading, -descent)`` apart
    (``_putFragLine``): with the body face at 10.5 pt on 14 pt that is 14.3 against 14.75,
    so a 41-line paragraph drew 18 pt below its own height, out of its box at a page foot.
    With ascent and descent raised to the drawn values both measures agree.
    """
    for line in lines:
        ascent = max(leading * 5 / 6, float(line.ascent))
        descent = max(leading / 6, -float(line.descent))
        line.ascent, line.descent = ascent, -descent


def _same_widths(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-6 for x, y in zip(a, b, strict=True))


def paragraph(
    text: str, style: ParagraphStyle | str = "body", *, bold: bool = False
) -> TextParagraph:
    """A :class:`TextParagraph` of user ``text`` in ``style`` (a style or a key of styles())."""
    if isinstance(style, str):
        style = cached_styles()[style]
    return TextParagraph(para(text, bold=bold), style)


def _prepare(frags: list[Frag]) -> tuple[list[FragWord], bool]:
    """Parsed fragments -> shaped frag words (reportlab's 'processed frags')."""
    frags = apply_fallback(frags)
    rtl_base = False
    if any(is_text(f) and MAYBE_RTL.search(f.text) for f in frags):
        frags, rtl_base = annotate_levels(frags)
    return [shape_word(w) for w in frag_words(frags)], rtl_base
