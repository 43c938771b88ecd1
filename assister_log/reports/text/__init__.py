"""User text to reportlab Paragraphs that print in every script MNsure serves.

Two steps, because Paragraph markup alone cannot do it:

1. :func:`para` makes user text safe markup: NFC, controls and invisible format characters
   removed, XML-escaped, newlines as ``<br/>``. It does *not* pick fonts: reportlab's
   ``<font name=...>`` resets bold/italic, so a run chosen there would print regular inside a
   bold heading.
2. :class:`TextParagraph` (a Paragraph) does the rest after the markup is parsed, so it also
   works for labels and values composed by renderers (``f"<b>Name:</b> {para(name)}"``):

   * font fallback, cluster by cluster (a base and its combining marks stay together), keeping
     each fragment's bold/italic: NotoSans -> Arabic -> Ethiopic -> Myanmar -> Khmer -> Lao ->
     WenQuanYi (Han) / NanumGothic (Hangul); a character no bundled face has prints as
     ``[U+XXXX]`` instead of a missing-glyph box;
   * bidi levels per paragraph from python-bidi (Unicode Bidirectional Algorithm);
   * shaping with HarfBuzz run by run: one font and one direction per run. reportlab's own
     shaper shapes a whole word with its first font, so ``abc(مرحبا)`` would come out as
     ``.notdef`` glyphs, and it guesses direction, which reverses Arabic-Indic digits;
   * line breaking in *logical* order by reportlab, then each line is reordered visually
     (UBA rule L2). Reordering a whole paragraph before breaking would put the first words
     of a wrapped Arabic paragraph on its last line;
   * runs wider than a line (Chinese, Burmese, Khmer, Lao have no spaces; long hashes) are cut
     at grapheme/syllable boundaries, never inside a cluster.

Usage::

    st = styles()
    story = [
        TextParagraph("Interaction termination record", st["heading1"]),
        TextParagraph(f"<b>Consumer:</b> {para(party_name)}", st["body"]),
        paragraph(quote, "body"),                       # same as TextParagraph(para(quote), ...)
        Table(rows, style=table_style(("GRID", (0, 0), (-1, -1), 0.3, colors.grey))),
    ]

Tables must start from :func:`table_style`: reportlab's Table sets Helvetica on every cell.

Normalisation is NFC, not the NFKC that STYLE.md suggests: NFKC rewrites what people wrote
(full-width letters, ligatures, superscripts, Arabic presentation forms) and a verbatim quote
must print as entered. Passphrases are NFKC-normalised elsewhere; printed text is not.

Modules: ``markup`` (user text to markup), ``styles``, ``fallback``, ``bidi``, ``shaping``,
``paragraph`` (the flowable), ``frags`` (the reportlab internals they share).
"""

from __future__ import annotations

from assister_log.reports.text.bidi import bidi_levels, visual_order
from assister_log.reports.text.markup import clean_text, is_rtl, para
from assister_log.reports.text.paragraph import TextParagraph, paragraph
from assister_log.reports.text.shaping import shape_run
from assister_log.reports.text.styles import styles, table_style

__all__ = [
    "TextParagraph",
    "bidi_levels",
    "clean_text",
    "is_rtl",
    "para",
    "paragraph",
    "shape_run",
    "styles",
    "table_style",
    "visual_order",
]
