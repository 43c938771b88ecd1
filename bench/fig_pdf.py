"""PDF figures: a typical 2–3 page termination record beside a bare reportlab document with
the same text, fonts and shaping; a fraud referral packet with ten photographed documents."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
from pathlib import Path

from bench import vaults
from bench.core import Row, Target, has_module, measure, median_ms, skipped

RECORD_TARGET = Target(ratio=2)
PACKET_TARGET = Target(absolute=1000, strict=True)
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
RECORD_FIGURE = "termination-record PDF, typical 2–3 pages"
PACKET_FIGURE = "fraud packet with ten image attachments"


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _photo(seed: int) -> bytes:
    """A 1600×1200 JPEG that compresses like a phone photo of a paper document."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 80, 1450, 1150), fill=(235, 232, 225))
    for y in range(160, 1100, 34):
        draw.line((220, y, 220 + rng.randint(500, 1150), y), fill=(40, 40, 50), width=9)
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1.2)).save(out, "JPEG", quality=85)
    return out.getvalue()


def _example(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return data


def _bare_document(text: str) -> bytes:
    """reportlab platypus, the app's registered faces picked per character, shaping on."""
    from xml.sax.saxutils import escape

    from bidi import get_display
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from assister_log.reports import fonts

    fonts.register_fonts()
    style = ParagraphStyle("body", fontName=fonts.BODY, fontSize=10, leading=13, shaping=1)
    story = []
    for line in text.splitlines():
        if re.search("[\u0590-\u08ff]", line):
            line = get_display(line)
        runs, current, face = [], "", fonts.BODY
        for ch in line:
            want = fonts.covering_font(ch) or fonts.BODY
            if want != face and current:
                runs.append(f'<font name="{face}">{escape(current)}</font>')
                current = ""
            face = want
            current += ch
        runs.append(f'<font name="{face}">{escape(current)}</font>')
        story.append(Paragraph("".join(runs), style))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=LETTER).build(story)
    return out.getvalue()


def _text_of(pdf: bytes) -> str:
    """The text the app's PDF shows, less what no bundled face draws (shaper private use)."""
    from pypdf import PdfReader

    from assister_log.reports import fonts

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(c for c in text if c == "\n" or fonts.covering_font(c))


def pdfs(reps: int) -> list[Row]:
    needed = (
        "assister_log.services.export",
        "assister_log.reports.termination_record",
        "assister_log.reports.fraud_referral",
    )
    missing = [m for m in needed if not has_module(m)]
    if missing:
        why = f"{missing[0]} does not exist yet (PDF issue)"
        return [
            skipped(RECORD_FIGURE, RECORD_TARGET, why),
            skipped(PACKET_FIGURE, PACKET_TARGET, why),
        ]
    from assister_log.domain.model import Profile, Role
    from assister_log.services.export import render_pdf
    from assister_log.services.session import Session

    folder = vaults.scratch("pdf") / "vault"
    profile = Profile("Jamie Ortiz", Role.NAVIGATOR, "NAV-20931", "Northside Health Access")
    session, _ = Session.create(folder, vaults.PASSPHRASE, profile, params=vaults.BENCH_KDF)
    with session:
        # The shortest example is already the shortest realistic record (see the note).
        record_id = session.add_from_data(_example("inappropriate-interaction")).incident_id
        session.finalize(record_id)
        first = measure(lambda: render_pdf(session, record_id, "record"), 1, warmup=0)
        app = measure(lambda: render_pdf(session, record_id, "record"), reps)
        pdf = render_pdf(session, record_id, "record")
        text = _text_of(pdf)
        floor = measure(lambda: _bare_document(text), reps)
        record_row = Row(
            RECORD_FIGURE,
            RECORD_TARGET,
            median_ms(app),
            median_ms(floor),
            reps=reps,
            note=f"docs/examples/inappropriate-interaction.json, finalized: {_pages(pdf)} pages "
            f"(bare document: {_pages(_bare_document(text))} pages, the same {len(text):,} "
            f"characters); first render in the process {first[0] * 1000:.0f} ms",
        )
        fraud_id = session.add_from_data(_example("suspected-fraud")).incident_id
        photos = [_photo(i) for i in range(10)]
        for i, photo in enumerate(photos):
            session.attach_bytes(fraud_id, f"document-{i + 1}.jpg", photo, "image/jpeg")
        session.finalize(fraud_id)
        packet = measure(lambda: render_pdf(session, fraud_id, "fraud-referral"), reps)
        packet_pdf = render_pdf(session, fraud_id, "fraud-referral")
        packet_row = Row(
            PACKET_FIGURE,
            PACKET_TARGET,
            median_ms(packet),
            reps=reps,
            note=f"{_pages(packet_pdf)} pages, {len(packet_pdf) / 1e6:.1f} MB; ten 1600×1200 "
            f"JPEGs, {sum(map(len, photos)) / 1e6:.1f} MB in all",
        )
    shutil.rmtree(folder.parent, ignore_errors=True)
    return [record_row, packet_row]
