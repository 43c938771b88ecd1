"""Bidi: UBA embedding levels per paragraph (python-bidi), then visual order per line (L2).

Lines are broken in *logical* order by reportlab, then each line is reordered visually.
Reordering a whole paragraph before breaking would put the first words of a wrapped Arabic
paragraph on its last line.

python-bidi 0.6 (a binding of the Rust ``unicode-bidi`` crate) has no public call that
returns the resolved levels; ``get_display(..., debug=True)`` returns the crate's debug dump
of its ``BidiInfo``, and :func:`bidi_levels` reads the ``levels`` list from it. Its other
module, ``bidi.algorithm``, does return levels but implements an older UBA (no isolates, no
bracket pairs: ``abc(مرحبا)`` would get other levels). So the dump is parsed, checked (one
level per UTF-8 byte, or RuntimeError), and ``pyproject.toml`` caps python-bidi below 0.7.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from bidi import get_display
from reportlab.pdfbase.ttfonts import ShapedStr

from assister_log.reports.text.frags import (
    BREAK_KIND,
    Frag,
    FragWord,
    SpaceFollowed,
    is_processed,
    is_text,
)
from assister_log.reports.text.markup import is_rtl

# Characters that may make a paragraph need reordering (R, AL and AN classes live here).
MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


_LEVELS_BLOCK = re.compile(r"^    levels: \[\n(.*?)^    \],$", re.M | re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Resolved UBA embedding level of each character of one paragraph (no newlines).

    python-bidi 0.6 prints its calculated levels (per UTF-8 byte) in the debug dump it returns
    with ``debug=True`` (no public call returns them: see the module doc); we read the first
    byte of each character, and raise if the dump no longer has one level per byte.
    """
    if not text:
        return []
    dump = get_display(text, base_dir="R" if rtl else "L", debug=True)
    match = _LEVELS_BLOCK.search(str(dump))
    per_byte = [int(v) for v in _LEVEL.findall(match.group(1))] if match else []
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi did not return one level per byte")
    levels = []
    offset = 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels


# Whitespace runs and the text between them; a no-break space is not a break (as in reportlab).
_TOKENS = re.compile(r"[^\S\xa0]+|(?:[^\s]|\xa0)+")


def _uba_paragraphs(frags: list[Frag]) -> Iterator[tuple[list[Frag], Frag | None]]:
    group: list[Frag] = []
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            yield group, frag
            group = []
        else:
            group.append(frag)
    yield group, None


def annotate_levels(frags: list[Frag]) -> tuple[list[Frag], bool]:
    """Split fragments where the bidi level or whitespace changes; tag each with its level."""
    out: list[Frag] = []
    rtl_base: bool | None = None
    for group, line_break in _uba_paragraphs(frags):
        texts = [f.text if is_text(f) else "\ufffc" for f in group]
        joined = "".join(texts)
        rtl = is_rtl(joined)
        if rtl_base is None and any(unicodedata.bidirectional(c) in "LRAL" for c in joined):
            rtl_base = rtl
        base = 1 if rtl else 0
        levels = bidi_levels(joined, rtl)
        pos = 0
        for frag, text in zip(group, texts, strict=True):
            if not is_text(frag):
                frag._bidiLevel = levels[pos]
                frag._bidiBase = base
                out.append(frag)
                pos += 1
                continue
            for token in _TOKENS.finditer(text):
                a, b = token.span()
                here = levels[pos + a : pos + b]
                if min(here) == max(here):
                    out.append(frag.clone(text=token.group(), _bidiLevel=here[0], _bidiBase=base))
                    continue
                start = a
                for i in range(a + 1, b + 1):
                    if i == b or levels[pos + i] != levels[pos + start]:
                        out.append(
                            frag.clone(
                                text=text[start:i], _bidiLevel=levels[pos + start], _bidiBase=base
                            )
                        )
                        start = i
            pos += len(text)
        if line_break is not None:
            out.append(line_break)
    return out, bool(rtl_base)


def level_of(frag: Frag) -> int:
    return int(getattr(frag, "_bidiLevel", getattr(frag, "_bidiBase", 0)))


def needs_reordering(words: list[FragWord]) -> bool:
    if not words or not is_processed(words):
        return False
    return any(level_of(f) > 0 for w in words for f, _ in w[1:])


def visual_order(levels: list[int]) -> list[int]:
    """UBA rule L2: indices of the items in display order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(levels) if min(levels) % 2 else min(levels) + 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def reorder_lines(lines: list[Any], words: list[FragWord]) -> None:
    starts = [line.sFW for line in lines] + [len(words)]
    for i, line in enumerate(lines):
        line.words = _visual_line(line.words, words[starts[i] : starts[i + 1]])


_SAME_FRAG = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def _style_key(frag: Frag) -> tuple[Any, ...]:
    """What reportlab's sameFrag compares: fragments with equal keys can share one run."""
    values = frag.__dict__
    return tuple(values.get(k) for k in _SAME_FRAG)


def _join_shaped(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    if not any(isinstance(p, ShapedStr) for p in parts):
        return "".join(parts)
    # ShapedStr's + gives plain characters reportlab's "simple character" shape data.
    return functools.reduce(operator.add, parts, ShapedStr("", shapeData=[]))


def _visual_line(old: list[Frag], words: list[FragWord]) -> list[Frag]:
    atoms: list[tuple[Frag, Any, int]] = []
    for word in words:
        pieces = word[1:]
        if not pieces or getattr(pieces[0][0], "_fkind", None) == BREAK_KIND:
            continue
        for frag, text in pieces:
            if text or hasattr(frag, "cbDefn"):
                atoms.append((frag, text, level_of(frag)))
        if isinstance(word, SpaceFollowed):
            frag = pieces[-1][0]
            atoms.append((frag, " ", level_of(frag)))
    while atoms and atoms[-1][1] == " ":  # rule L1: trailing whitespace is not shown
        atoms.pop()
    out: list[Frag] = []
    texts: list[list[Any]] = []  # the pieces of each out frag, joined once at the end
    key: tuple[Any, ...] | None = None
    for index in visual_order([a[2] for a in atoms]):
        frag, text, _ = atoms[index]
        if hasattr(frag, "cbDefn"):
            out.append(frag.clone())
            texts.append([])
            key = None
            continue
        frag_key = _style_key(frag)
        if frag_key == key:
            texts[-1].append(text)
        else:
            out.append(frag.clone())
            texts.append([text])
            key = frag_key
    for frag, parts in zip(out, texts, strict=True):
        if parts:
            frag.text = _join_shaped(parts)
    if old and getattr(old[-1], "_fkind", None) == BREAK_KIND:
        out.append(old[-1])
    return out
