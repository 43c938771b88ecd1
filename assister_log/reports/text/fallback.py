"""Font fallback, cluster by cluster (a base and its combining marks stay together), keeping
each fragment's bold/italic: NotoSans -> Arabic -> Ethiopic -> Myanmar -> Khmer -> Lao ->
WenQuanYi (Han) / NanumGothic (Hangul); a character no bundled face has (an emoji) prints
as its Unicode name in brackets, ``[face with symbols on mouth]``, instead of a missing-glyph
box (``[U+XXXX]`` for a character without a name)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from reportlab.lib.fonts import ps2tt, tt2ps

from assister_log.reports import fonts
from assister_log.reports.text.frags import Frag, is_text
from assister_log.reports.text.markup import KEEP_FORMAT

# Invisible characters that only select a variant: dropped when the chosen face lacks them.
_IGNORABLE = re.compile("[\u034f\u180b-\u180f\u200c\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _clusters(text: str) -> Iterator[str]:
    """A base character with the marks and joiners that follow it."""
    start = 0
    for i in range(1, len(text)):
        ch = text[i]
        if ch in KEEP_FORMAT or unicodedata.category(ch) in ("Mn", "Mc", "Me"):
            continue
        yield text[start:i]
        start = i
    if text:
        yield text[start:]


@lru_cache(maxsize=1)
def _family_names() -> dict[str, str]:
    return {face.name.lower(): face.name for face in fonts.FACES}


def _family(font_name: str) -> tuple[str | None, int, int]:
    """(bundled family or None, bold, italic) of a registered font name."""
    try:
        family, bold, italic = ps2tt(font_name)
    except ValueError:
        return None, 0, 0
    return _family_names().get(family), bold, italic


@lru_cache(maxsize=256)
def _variant(family: str, bold: int, italic: int) -> str:
    return str(tt2ps(family, bold, italic))


def _is_neutral(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PSZN" and unicodedata.bidirectional(ch) not in (
        "L",
        "R",
        "AL",
    )


Runs = tuple[tuple[str, str], ...]  # (face, text) pairs
_GENERAL = frozenset((fonts.BODY, fonts.MONO))


@lru_cache(maxsize=16384)
def _cluster_runs(cluster: str, own: str | None, previous: str | None) -> Runs:
    """How to print one cluster; ``own`` is the fragment's family, ``previous`` the face of
    the cluster before it. Usually one (face, text) pair; characters no face can draw with
    the cluster's base become ``[U+XXXX]`` in the body face."""
    needed = _IGNORABLE.sub("", cluster) or cluster
    candidates: list[str] = []
    if previous is not None and _is_neutral(cluster[0]):
        candidates.append(previous)  # punctuation and spaces stay with the run they are in
    if own is not None and (own not in _GENERAL or fonts.covering_font(cluster[0]) == fonts.BODY):
        # The style's face, unless it is a general one (body, mono) and the cluster belongs
        # to a script that has its own face: DejaVu Sans Mono has Arabic, but no joining.
        candidates.append(own)
    candidates += _faces_for_char(cluster[0])
    for face in candidates:
        if all(fonts.covers(face, ch) for ch in needed):
            return ((face, _drop_uncovered_ignorables(cluster, face)),)
    base_face = fonts.covering_font(cluster[0])
    runs: list[tuple[str, str]] = []
    for ch in cluster:
        if base_face is not None and fonts.covers(base_face, ch):
            face, shown = base_face, ch
        elif _IGNORABLE.match(ch):
            continue
        else:
            face, shown = fonts.BODY, _stand_in(ch)
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + shown)
        else:
            runs.append((face, shown))
    return tuple(runs)


def _faces_for_char(ch: str) -> list[str]:
    first = fonts.covering_font(ch)
    if first is None:
        return []
    order = list(fonts.FALLBACK_ORDER)
    return [first] + [f for f in order if f != first and fonts.covers(f, ch)]


def _stand_in(ch: str) -> str:
    """A character no bundled face has (emoji, rare scripts), printed as its Unicode name:
    ``[face with symbols on mouth]`` says what was written; ``[U+1F92C]`` did not."""
    name = unicodedata.name(ch, "")
    return f"[{name.lower()}]" if name else f"[U+{ord(ch):04X}]"


def _drop_uncovered_ignorables(cluster: str, face: str) -> str:
    if not _IGNORABLE.search(cluster):
        return cluster
    return "".join(ch for ch in cluster if fonts.covers(face, ch) or not _IGNORABLE.match(ch))


def apply_fallback(frags: list[Frag]) -> list[Frag]:
    out: list[Frag] = []
    for frag in frags:
        if not is_text(frag) or not frag.text:
            out.append(frag)
            continue
        own, bold, italic = _family(frag.fontName)
        text = frag.text
        if (
            own is not None
            and fonts.covers_all(own, text)
            and (own not in _GENERAL or fonts.covers_all(fonts.BODY, text))
        ):
            out.append(frag)
            continue
        runs: list[list[str]] = []  # [face, text]
        previous: str | None = None
        for cluster in _clusters(text):
            for face, shown in _cluster_runs(cluster, own, previous):
                if runs and runs[-1][0] == face:
                    runs[-1][1] += shown
                else:
                    runs.append([face, shown])
                previous = face
        for face, shown in runs:
            if shown:
                out.append(frag.clone(text=shown, fontName=_variant(face, bold, italic)))
    return out
