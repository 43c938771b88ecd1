"""Every script MNsure serves prints with embedded fonts, real glyphs and the right order."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table

from assister_log.reports import fonts
from assister_log.reports.specimen import MIXED_LINE, SAMPLES, WRAPPED_ARABIC, specimen_pdf
from assister_log.reports.text import (
    TextParagraph,
    bidi_levels,
    clean_text,
    is_rtl,
    para,
    paragraph,
    styles,
    table_style,
    visual_order,
)

SAMPLE = dict(SAMPLES)
# Scripts whose shaped glyphs all have a cmap entry (or a presentation form), so the text
# comes back out of the PDF. Myanmar and Khmer draw reordered vowels and subscript forms
# with no code point of their own: checked glyph by glyph instead.
COMPLEX = ("Burmese", "Karen", "Khmer")
ROUND_TRIP = [lang for lang, _ in SAMPLES if lang not in COMPLEX]
EXPECTED_FACE = {
    "Arabic": fonts.ARABIC,
    "Amharic": fonts.ETHIOPIC,
    "Oromo (Ge'ez)": fonts.ETHIOPIC,
    "Burmese": fonts.MYANMAR,
    "Karen": fonts.MYANMAR,
    "Khmer": fonts.KHMER,
    "Lao": fonts.LAO,
    "Chinese": fonts.CJK,
    "Korean": fonts.HANGUL,
}


def faces_used(par: TextParagraph) -> set[str]:
    return {f.fontName for w in par.frags for f, t in w[1:] if t}


def assert_embedded_only(rows: list[Any]) -> None:
    assert rows, "no fonts at all"
    for row in rows:
        assert row.embedded, f"{row.name} is not embedded"
        assert row.kind.startswith("TrueType"), row
        assert not any(std.lower() in row.name.lower() for std in ("helvetica", "times", "courier"))


# --------------------------------------------------------------------------- per script


@pytest.mark.parametrize("language", [lang for lang, _ in SAMPLES])
def test_script_prints_with_real_glyphs_and_embedded_fonts(
    language: str, build: Any, poppler: Any, drawn_glyphs: Any
) -> None:
    text = SAMPLE[language]
    body = TextParagraph(para(text), styles()["body"])
    bold = TextParagraph(para(text, bold=True), styles()["body"])
    for par in (body, bold):
        glyphs = drawn_glyphs(par)
        assert glyphs
        notdef = [(font, ch) for font, gid, ch in glyphs if gid == 0]
        assert not notdef, f".notdef drawn for {language}: {notdef}"
    if language in EXPECTED_FACE:
        assert EXPECTED_FACE[language] in faces_used(body)
        assert fonts.bold_of(EXPECTED_FACE[language]) in faces_used(bold)
    pdf = build([TextParagraph(para(text), styles()["body"])])
    assert_embedded_only(poppler.fonts(pdf))


@pytest.mark.parametrize("language", ROUND_TRIP)
def test_script_text_comes_back_out(language: str, build: Any, poppler: Any, plain: Any) -> None:
    text = SAMPLE[language]
    pdf = build([TextParagraph(para(text), styles()["body"])])
    extracted = plain(poppler.text(pdf))
    assert plain(text) in extracted


@pytest.mark.parametrize("language", COMPLEX)
def test_complex_script_extraction_holds_only_its_own_letters(
    language: str, build: Any, poppler: Any
) -> None:
    """What comes back is a subset of the sample (reordered, private glyphs dropped)."""
    text = SAMPLE[language]
    pdf = build([TextParagraph(para(text), styles()["body"])])
    extracted = "".join(poppler.text(pdf).split())
    letters = {c for c in extracted if unicodedata.category(c).startswith("L")}
    assert letters, "no letters extracted at all"
    assert letters <= set(text)


def test_karen_letters_are_covered_by_myanmar_face() -> None:
    for ch in "ၡၢၣၤၥၦၧၨၩၪၫၬၭၮၯၰ" + "ကညီကျိာ်":
        assert fonts.covering_font(ch) == fonts.MYANMAR, fonts.describe(ch)


def test_vietnamese_stacked_marks_stay_in_one_face(drawn_glyphs: Any) -> None:
    par = TextParagraph(para("Nguyễn Thị Ánh Ệ ậ ữ e\u0302\u0303 a\u0306\u0301"), styles()["body"])
    assert faces_used(par) == {fonts.BODY}
    assert all(gid for _, gid, _ in drawn_glyphs(par))


def test_myanmar_prefix_vowel_is_drawn_before_its_consonant(drawn_glyphs: Any) -> None:
    """Shaping reorders U+1031 (written after the consonant) to the left of it."""
    glyphs = drawn_glyphs(TextParagraph(para("အောင်"), styles()["body"]))
    codes = [ch for _, _, ch in glyphs]
    assert codes.index("\u1031") < codes.index("\u1021")


def test_khmer_coeng_makes_a_subscript_glyph(drawn_glyphs: Any) -> None:
    """ស្ត: without shaping the coeng (U+17D2) and TA would print as two spacing letters."""
    glyphs = drawn_glyphs(TextParagraph(para("ស្ត"), styles()["body"]))
    face = pdfmetrics.getFont(fonts.KHMER).face
    plain_ta = face.charToGlyph[0x178F]
    assert plain_ta not in [gid for _, gid, _ in glyphs]
    assert "\u17d2" not in [ch for _, _, ch in glyphs]


def test_arabic_letters_are_joined(drawn_glyphs: Any) -> None:
    """Joined (initial/medial/final) forms differ from the isolated glyph of each letter."""
    face = pdfmetrics.getFont(fonts.ARABIC).face
    isolated = {face.charToGlyph[ord(c)] for c in "مرحبا"}
    drawn = {gid for _, gid, ch in drawn_glyphs(TextParagraph(para("مرحبا"), styles()["body"]))}
    assert len(drawn - isolated) >= 3


# --------------------------------------------------------------------------- mixed text


def test_mixed_line_uses_several_fonts(build: Any, poppler: Any, plain: Any) -> None:
    par = TextParagraph(para(MIXED_LINE), styles()["body"])
    assert {fonts.BODY, fonts.ARABIC, fonts.CJK, fonts.HANGUL} <= faces_used(par)
    pdf = build([TextParagraph(para(MIXED_LINE), styles()["body"])])
    names = " ".join(r.name for r in poppler.fonts(pdf))
    for face in ("NotoSans-Regular", "NotoSansArabic", "WenQuanYi", "NanumGothic"):
        assert face in names
    assert_embedded_only(poppler.fonts(pdf))
    # Positions, not pdftotext's text: its own bidi pass moves the "(" next to the Arabic.
    read = [plain_word(w.text) for w in sorted(poppler.words(pdf), key=lambda w: w.x0)]
    assert read == ["Interpreter", "said:", "مرحبا", "(Arabic)", "and", "你好", "and", "안녕하세요"]


def test_word_mixing_fonts_is_shaped_font_by_font(drawn_glyphs: Any) -> None:
    """reportlab alone shapes ``abc(مرحبا)`` with the first font: Arabic becomes .notdef."""
    par = TextParagraph(para("abc(مرحبا)x Nguyễn(阮)"), styles()["body"])
    glyphs = drawn_glyphs(par)
    assert all(gid for _, gid, _ in glyphs)
    assert {fonts.BODY, fonts.ARABIC, fonts.CJK} <= {f for f, _, _ in glyphs}


def test_arabic_inside_an_english_line_reads_right_to_left(build: Any, poppler: Any) -> None:
    pdf = build([TextParagraph(para("Before مرحبا بالعالم after"), styles()["body"])])
    words = poppler.words(pdf)
    x = {plain_word(w.text): w.x0 for w in words}
    assert x["Before"] < x["بالعالم"] < x["مرحبا"] < x["after"]


def plain_word(text: str) -> str:
    """A pdftotext -bbox word in logical order: RTL words come out in visual order."""
    if is_rtl(text):
        text = text[::-1]  # before NFKC, which expands a lam-alef ligature in logical order
    return unicodedata.normalize("NFKC", text)


def test_bold_heading_keeps_fallback_faces_bold() -> None:
    """reportlab's <font name=...> would reset bold; fallback keeps each fragment's weight."""
    par = TextParagraph(para("Nguyễn مرحبا ሰላም"), styles()["heading2"])
    assert faces_used(par) == {fonts.BOLD, f"{fonts.ARABIC}-Bold", f"{fonts.ETHIOPIC}-Bold"}
    composed = TextParagraph(f"<b>Name:</b> {para('مرحبا')}", styles()["body"])
    assert faces_used(composed) == {fonts.BOLD, fonts.ARABIC}


def test_tables_built_on_table_style_embed_only_bundled_fonts(build: Any, poppler: Any) -> None:
    cells = [[TextParagraph(para(text), styles()["cell"]) for text in ("Ann", "مرحبا", "你好")]]
    pdf = build([Table(cells, style=table_style(("GRID", (0, 0), (-1, -1), 0.3, "grey")))])
    assert_embedded_only(poppler.fonts(pdf))


def test_mono_style_leaves_other_scripts_to_their_faces() -> None:
    """DejaVu Sans Mono has Arabic letters but no joining: Arabic goes to Noto Sans Arabic."""
    par = TextParagraph(para("0f3a Ж مرحبا"), styles()["mono"])
    assert faces_used(par) == {fonts.MONO, fonts.ARABIC}


def test_helvetica_style_still_embeds_only_bundled_fonts(build: Any, poppler: Any) -> None:
    style = ParagraphStyle("careless", fontName="Helvetica", shaping=1)
    pdf = build([TextParagraph(para("Plain text, Ещё, 你好"), style)])
    assert_embedded_only(poppler.fonts(pdf))


# --------------------------------------------------------------------------- safety


def test_markup_in_a_name_prints_literally(build: Any, poppler: Any, drawn_glyphs: Any) -> None:
    name = "<b>Ann & Bo</b>"
    assert para(name) == "&lt;b&gt;Ann &amp; Bo&lt;/b&gt;"
    par = TextParagraph(para(name), styles()["body"])
    assert faces_used(par) == {fonts.BODY}  # not bold
    pdf = build([TextParagraph(para(name), styles()["body"])])
    assert "<b>Ann & Bo</b>" in poppler.text(pdf)


def test_control_and_format_characters_are_removed() -> None:
    raw = "A\x00n\x07n\x1b[31m \u202eevil\u202c\u2066x\u2069\ufeff\u00ad\u200b B\x7f\x85C\tD\r\nE"
    cleaned = clean_text(raw)
    assert all(unicodedata.category(c) not in ("Cc", "Cf") or c == "\n" for c in cleaned)
    assert cleaned == "Ann[31m evilx B\nC D\nE"
    assert para("one\ntwo") == "one<br/>two"
    assert para("ZWJ\u200dZWNJ\u200c kept") == "ZWJ\u200dZWNJ\u200c kept"


def test_text_is_nfc_not_nfkc() -> None:
    assert clean_text("e\u0301") == "é"  # composed
    assert clean_text("ＡＢＣ ﬁ ²") == "ＡＢＣ ﬁ ²"  # compatibility forms stay as written


def test_characters_no_font_has_print_as_their_names(build: Any, poppler: Any) -> None:
    pdf = build([TextParagraph(para("ok 🙂 🤬 \ue000 done"), styles()["body"])])
    out = " ".join(poppler.text(pdf).split())
    assert "[slightly smiling face]" in out and "[serious face with symbols covering mouth]" in out
    assert "[U+E000]" in out  # no name: the code point
    assert_embedded_only(poppler.fonts(pdf))


def test_private_glyphs_never_count_as_coverage() -> None:
    TextParagraph(para("مرحبا سួស្តី"), styles()["body"])  # adds private code points
    assert fonts.covering_font("\ue000") is None
    assert fonts.covering_font("\ue001") is None


# --------------------------------------------------------------------------- bidi


def test_is_rtl_follows_the_first_strong_character() -> None:
    assert is_rtl("مرحبا Ann")
    assert is_rtl("123 (مرحبا)")
    assert not is_rtl("Ann مرحبا")
    assert not is_rtl("123 ...")


def test_rtl_paragraph_is_right_aligned() -> None:
    assert TextParagraph(para("مرحبا بالعالم"), styles()["body"]).style.alignment == TA_RIGHT
    assert TextParagraph(para("Hello مرحبا"), styles()["body"]).style.alignment == TA_LEFT


def test_wrapped_arabic_lines_are_in_reading_order(build: Any, poppler: Any) -> None:
    """Three lines: the first words on the top line, each line read right to left."""
    pdf = build([TextParagraph(para(WRAPPED_ARABIC), styles()["body"])], width=320)
    words = [w for w in poppler.words(pdf) if is_rtl(plain_word(w.text))]
    tops = sorted({round(w.y1) for w in words})
    assert len(tops) == 3
    first_line = sorted((w for w in words if round(w.y1) == tops[0]), key=lambda w: -w.x0)
    expected = WRAPPED_ARABIC.split()
    assert [plain_word(w.text) for w in first_line[:3]] == expected[:3]
    assert bare(" ".join(read_rtl(words))) == bare(WRAPPED_ARABIC)


def bare(text: str) -> str:
    """Letters and punctuation only: pdftotext splits a word at a shadda (ّ) and files the
    mark as a word of its own, so marks and spaces are left out of order comparisons."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c)[0] != "M")


def read_rtl(words: list[Any]) -> list[str]:
    """RTL words in reading order: page by page, line by line (top first), right to left."""
    lines: dict[tuple[int, float], list[Any]] = {}
    for w in words:
        if is_rtl(plain_word(w.text)):
            lines.setdefault((w.page, round(w.y1)), []).append(w)
    return [
        plain_word(w.text) for key in sorted(lines) for w in sorted(lines[key], key=lambda w: -w.x0)
    ]


def test_long_rtl_paragraph_splits_across_pages_in_order(build: Any, poppler: Any) -> None:
    text = " ".join([WRAPPED_ARABIC] * 25)
    pdf = build([TextParagraph(para(text), styles()["body"])])
    assert poppler.text(pdf).count("\f") >= 2  # at least two pages
    assert bare(" ".join(read_rtl(poppler.words(pdf)))) == bare(text)


def test_a_long_paragraph_is_broken_into_lines_once(
    build: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reportlab re-breaks the rest of a paragraph after each page: quadratic in pages."""
    calls = []
    original = Paragraph.breakLines

    def counting(self: Any, width: Any) -> Any:
        calls.append(width)
        return original(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    text = "The consumer said مرحبا and left at 10:42, as the log shows. " * 900
    pdf = build([TextParagraph(para(text), styles()["body"])])
    assert PdfReader(io.BytesIO(pdf)).get_num_pages() >= 8
    assert len(calls) <= 2


RTL_ALPHABET = "ab مرح123٣٤ ().,-،!"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=RTL_ALPHABET, min_size=1, max_size=24))
def test_levels_and_reordering_match_python_bidi(text: str) -> None:
    """bidi_levels + visual_order (rules L1, L2) give python-bidi's get_display."""
    from bidi import get_display

    rtl = is_rtl(text)
    levels = bidi_levels(text, rtl)
    base = 1 if rtl else 0
    i = len(text)
    while i and text[i - 1] == " ":  # rule L1: trailing whitespace to the paragraph level
        i -= 1
        levels[i] = base
    ours = "".join(text[j] for j in visual_order(levels))
    assert ours == get_display(text, base_dir="R" if rtl else "L")


def test_levels_match_character_count_outside_the_bmp() -> None:
    assert len(bidi_levels("a 𝐀 مرحبا 🙂", False)) == len("a 𝐀 مرحبا 🙂")


# --------------------------------------------------------------------------- any input

ANY_SCRIPT = "".join(t for _, t in SAMPLES) + "\n\t\x00\u202e\u200f\u200d<>&  ٣0🙂\u0301\ue000"


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=ANY_SCRIPT, max_size=60),
    st.sampled_from([30.0, 90.0, 300.0]),
    st.sampled_from(["body", "heading1", "mono", "label"]),
)
def test_any_text_prints_real_glyphs_in_any_column(
    drawn_glyphs: Any, text: str, width: float, style: str
) -> None:
    """Random mixes of every script, controls, orphan marks and emoji: no exception and
    no .notdef, in narrow and wide columns."""
    par = TextParagraph(para(text), styles()[style])
    glyphs = drawn_glyphs(par, width)
    assert all(gid for _, gid, _ in glyphs), [g for g in glyphs if not g[1]]


# --------------------------------------------------------------------------- wrapping


@pytest.mark.parametrize(
    "text",
    [
        "中文长段落测试，不能超出右边距。" * 12,
        "မင်္ဂလာပါ" * 25,
        "សួស្តីពិភពលោក" * 20,
        "ສະບາຍດີ" * 30,
        "0123456789abcdef" * 8,
    ],
)
def test_runs_without_spaces_wrap_inside_the_column(text: str, drawn_glyphs: Any) -> None:
    par = TextParagraph(para(text), styles()["body"])
    drawn_glyphs(par, 200)
    lines = par.blPara.lines
    assert len(lines) > 2
    assert all(line.extraSpace > -0.5 for line in lines)  # nothing sticks out
    assert all(gid for _, gid, _ in drawn_glyphs(TextParagraph(para(text), styles()["body"]), 200))


def test_chinese_closing_punctuation_never_starts_a_line() -> None:
    par = TextParagraph(para("一二三四五，六七八九十。" * 10), styles()["body"])
    par.wrap(120, 10_000)
    for line in par.blPara.lines[1:]:
        first = line.words[0].text
        assert first and first[0] not in "\uff0c\u3002", line  # WQY maps ，。 to themselves


# --------------------------------------------------------------------------- styles, API


def test_styles_shape_and_use_bundled_fonts() -> None:
    registered = set(fonts.font_names())
    for name, style in styles().items():
        assert style.shaping == 1, name
        assert style.fontName in registered, name
        assert style.bulletFontName in registered, name
    assert {"body", "small", "heading1", "heading2", "heading3", "cell", "label", "mono"} <= set(
        styles()
    )


def test_paragraph_helper_and_plain_text() -> None:
    par = paragraph("Nguyễn\nمرحبا", "cell", bold=True)
    assert isinstance(par, TextParagraph)
    assert par.getPlainText() == "Nguyễn\nمرحبا"


def test_specimen_renders_every_sample(poppler: Any, plain: Any) -> None:
    pdf = specimen_pdf()
    assert_embedded_only(poppler.fonts(pdf))
    out = plain(poppler.text(pdf))
    for language in ROUND_TRIP:
        assert plain(SAMPLE[language]) in out, language
