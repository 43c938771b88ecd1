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


def quote_block(quote: Quote, number: int) -> Flowable:
    who = quote.speaker or "Unnamed speaker"
    meta = f"<b>{para(QUOTE_MARKS[quote.kind])}</b>"
    heading_line = (
        f'<font size="8" color="#52606D">Q{number} · {para(who)}'
        f"{' · ' + para(quote.language) if quote.language else ''}</font>"
    )
    if quote.kind is QuoteKind.VERBATIM:
        text = f"“{para(quote.text)}”"
        line = ACCENT
        background = NOTE_BG
    else:
        text = para(quote.text)
        line = RULE
        background = colors.white
    return boxed(
        [m(f"{heading_line}<br/>{meta}", "cell"), Spacer(1, 2), m(text, "quote")],
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
