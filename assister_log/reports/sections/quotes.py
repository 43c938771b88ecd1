"""Words used: verbatim quotes and paraphrases."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

from assister_log.domain.model import Incident, Quote, QuoteKind
from assister_log.reports.layout import Story, boxed
from assister_log.reports.styles import ACCENT, NOTE_BG, RULE, m, p
from assister_log.reports.text import para

QUOTE_MARKS = {
    QuoteKind.VERBATIM: "VERBATIM — the person's exact words",
    QuoteKind.PARAPHRASE: "PARAPHRASE — not the exact words",
}


# Invisible bidi controls: in a verbatim quote they are part of what was entered, so they are
# shown (by their short names) instead of silently dropped, and shown only: text.para removes
# the characters themselves, so they cannot reorder the printed words.
BIDI_CONTROLS = {
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u061c": "ALM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
BIDI_NOTE = (
    "The words contain invisible text-direction characters; each is shown in brackets by "
    "its short name ([RLO], [PDI], …) and has no effect on how the words print."
)


def neutralise_bidi(text: str) -> tuple[str, bool]:
    """``text`` with each bidi control replaced by ``[NAME]``; whether there was one."""
    if not any(ch in BIDI_CONTROLS for ch in text):
        return text, False
    return "".join(f"[{BIDI_CONTROLS[ch]}]" if ch in BIDI_CONTROLS else ch for ch in text), True


def quote_block(quote: Quote, number: int) -> Flowable:
    who = quote.speaker or "Unnamed speaker"
    meta = f"<b>{para(QUOTE_MARKS[quote.kind])}</b>"
    heading_line = (
        f'<font size="8" color="#52606D">Q{number} · {para(who)}'
        f"{' · ' + para(quote.language) if quote.language else ''}</font>"
    )
    words, had_controls = neutralise_bidi(quote.text)
    if quote.kind is QuoteKind.VERBATIM:
        text = f"“{para(words)}”"
        line = ACCENT
        background = NOTE_BG
    else:
        text = para(words)
        line = RULE
        background = colors.white
    body: list[Flowable] = [m(f"{heading_line}<br/>{meta}", "cell"), Spacer(1, 2), m(text, "quote")]
    if had_controls:
        body.append(p(BIDI_NOTE, "note"))
    return boxed(
        body,
        bar=True,
        line=line,
        background=background,
    )


def words_used(s: Story, incident: Incident, speaker: str = "person") -> None:
    """The "Words used" section: what VERBATIM and PARAPHRASE mean, then the quotes."""
    s.section("Words used")
    s.add(
        p(
            f"VERBATIM quotes are the {speaker}'s exact words, in quotation marks; PARAPHRASE "
            "gives the sense, not the words.",
            "intro",
        )
    )
    s.extend(quotes_flowables(incident))


def quotes_flowables(incident: Incident) -> list[Flowable]:
    if not incident.quotes:
        return [p("No words are recorded.")]
    out: list[Flowable] = []
    for i, quote in enumerate(incident.quotes, 1):
        out += [quote_block(quote, i), Spacer(1, 5)]
    return out
