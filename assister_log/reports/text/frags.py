"""reportlab's paragraph internals that the text pipeline works on, in one place.

:class:`~assister_log.reports.text.paragraph.TextParagraph` works on reportlab's parsed
fragments and "frag words" (``[width, (frag, text), ...]``) between parsing and line breaking;
reportlab has no public API for that stage. Three private names of reportlab 5.1's
``platypus.paragraph`` have no public equivalent and are imported here, and only here:

* ``_getFragWords``: fragments -> frag words, the units reportlab breaks lines between;
* ``_HSFrag``: the frag-word class reportlab uses for "a space follows this word";
* ``_FK_BREAK``: the ``_fkind`` of a ``<br/>`` word.

They are imported, not copied, so a reportlab release that renames them fails at import (in
the tests) instead of printing wrong text; ``pyproject.toml`` caps reportlab below 5.2 for
the same reason. Two other private names used before were replaced: ``_processed_frags`` by
:func:`is_processed`, ``ttfonts._sdSimple`` by ``ShapedStr``'s own ``+``. The shaped strings'
``__shapeData__`` attribute and Paragraph's ``blPara``/``_wrapWidths`` are reportlab's
documented-by-source data model for shaping and splitting; they are checked by the tests.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import _FK_BREAK as BREAK_KIND
from reportlab.platypus.paragraph import _getFragWords as frag_words
from reportlab.platypus.paragraph import _HSFrag as SpaceFollowed

__all__ = ["BREAK_KIND", "Frag", "FragWord", "SpaceFollowed", "frag_words", "is_processed",
           "is_text"]  # fmt: skip

# reportlab's fragment objects (ParaFrag/ABag) and frag words are untyped.
Frag = Any
FragWord = Any


def is_processed(frags: list[Any]) -> bool:
    """True when ``frags`` are already frag words (``[width, (frag, text), ...]``)."""
    return bool(frags) and isinstance(frags[0], list) and isinstance(frags[0][0], (float, int))


def is_text(frag: Frag) -> bool:
    return (
        hasattr(frag, "text")
        and not hasattr(frag, "cbDefn")
        and not getattr(frag, "lineBreak", False)
    )
