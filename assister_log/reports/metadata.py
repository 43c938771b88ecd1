"""Neutral PDF metadata: title, author, subject, keywords, creator and producer name the kind
of document only. Record text never goes there: a file manager, a search indexer or a mail
preview shows metadata without a password. A final document without a password repeats
these values, and only these, in the XMP packet PDF/A asks for (``reports.pdfa``).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas

from assister_log import APP_NAME, __version__
from assister_log.reports import fonts
from assister_log.reports.kinds import KINDS

# What each kind is called in the metadata: the document kinds, and the font specimen.
_DOC_TITLES = {kind.id: kind.description for kind in KINDS} | {"specimen": "font specimen"}


def neutral_metadata(doc_kind: str) -> dict[str, Any]:
    """PDF metadata that names only the kind of document.

    ``doc_kind`` is the id of a ``reports.kinds`` kind (or "specimen"); any other value
    raises, so record text cannot end up in the title by mistake.
    """
    try:
        what = _DOC_TITLES[doc_kind]
    except KeyError:
        raise ValueError(f"unknown document kind {doc_kind!r}") from None
    tool = f"{APP_NAME} {__version__}"
    return {
        "title": f"{APP_NAME} — {what}",
        "author": APP_NAME,
        "subject": f"{what[0].upper()}{what[1:]}",
        "keywords": [APP_NAME, "MNsure"],
        "creator": tool,
        "producer": tool,
    }


def apply_metadata(target: Any, doc_kind: str) -> None:
    """Set :func:`neutral_metadata` on a BaseDocTemplate (before build) or on a Canvas."""
    meta = neutral_metadata(doc_kind)
    if isinstance(target, Canvas):
        target.setTitle(meta["title"])
        target.setAuthor(meta["author"])
        target.setSubject(meta["subject"])
        target.setKeywords(meta["keywords"])
        target.setCreator(meta["creator"])
        target.setProducer(meta["producer"])
        return
    for key, value in meta.items():
        setattr(target, key, value)
    # Templates pass this to their canvas; without it the first page starts in Helvetica.
    if getattr(target, "initialFontName", None) is None:
        target.initialFontName = fonts.BODY
