"""A font specimen: one page showing every script MNsure serves, as the reports print it.

Used by the tests (each sample must come back out of the PDF) and for docs/samples: render it
with ``pdftoppm -png -r 80`` and look for boxes, broken joining or wrong order.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.platypus import SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from assister_log.reports.metadata import apply_metadata
from assister_log.reports.page import BOTTOM_MARGIN, SIDE_MARGIN, TOP_MARGIN, numbered_canvas
from assister_log.reports.text import TextParagraph, para, styles

# (language, sample). Names are invented; the quotes are greetings and everyday phrases.
SAMPLES: tuple[tuple[str, str], ...] = (
    ("English", "Ann O'Neil-Smith said: “I don't want help.”"),
    ("Spanish", "José Martínez Peña: «¿Dónde está mi solicitud?»"),
    ("Somali", "Cabdullaahi Maxamed Xuseen: “Ma doonayo caawimaad.”"),
    ("Hmong", "Ntxhi Vaj Xyooj: “Kuv tsis xav tau kev pab.”"),
    ("Oromo", "Caaltuu Abbaa Gadaa: “Gargaarsa hin barbaadu.”"),
    ("French", "Hélène Lefèvre-Çelik : « Où est l’hôpital ? » — œuvre, naïve"),
    ("Vietnamese", "Nguyễn Thị Ánh, Đặng Quốc Việt — Ệ ậ ữ ỷ ẫ ờ"),
    ("Russian", "Екатерина Смирнова: «Я не согласна с этим решением»"),
    ("Arabic", "مرحبا بالعالم — محمد عبد الله"),
    ("Amharic", "ሰላም ዓለም — አበበ ቢቂላ"),
    ("Oromo (Ge'ez)", "ኦሮሞ — ጫልቱ"),
    ("Burmese", "မင်္ဂလာပါ — အောင်ဆန်းစုကြည်"),
    ("Karen", "ကညီကျိာ် — တၢ်ဘျုးဘၣ်သ့ၣ်"),
    ("Khmer", "សួស្តី ពិភពលោក — សុខ ចាន់ធី"),
    ("Lao", "ສະບາຍດີ — ສົມພອນ ແກ້ວມະນີ"),
    ("Chinese", "你好，世界 — 王秀英"),
    ("Korean", "안녕하세요 — 김민준"),
)

MIXED_LINE = "Interpreter said: مرحبا (Arabic) and 你好 and 안녕하세요"

WRAPPED_ARABIC = (
    "قال المستهلك إنه لا يريد المساعدة بعد الآن وطلب إنهاء المكالمة فورا. "
    "شرح المساعد الخيارات المتاحة وذكّره بأن تقديم معلومات كاذبة جريمة يعاقب عليها القانون. "
    "انتهت المكالمة في الساعة العاشرة وخمس دقائق صباحا."
)


def specimen_story() -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        TextParagraph("Assister Log — how names and quotes print", st["heading1"]),
    ]
    for language, sample in SAMPLES:
        story.append(TextParagraph(f"<b>{para(language)}:</b> {para(sample)}", st["body"]))
        story.append(TextParagraph(para(sample, bold=True), st["heading3"]))
    story += [
        Spacer(1, 6),
        TextParagraph("Mixed line", st["heading2"]),
        TextParagraph(para(MIXED_LINE), st["body"]),
        TextParagraph("Wrapped right-to-left paragraph", st["heading2"]),
        TextParagraph(para(WRAPPED_ARABIC), st["body"]),
        TextParagraph("Literal markup and a hash", st["heading2"]),
        TextParagraph(para("<b>Ann & Bo</b>"), st["body"]),
        TextParagraph(para("sha256 " + "0123456789abcdef" * 4), st["mono"]),
    ]
    return story


def specimen_pdf(*, draft: bool = True) -> bytes:
    """The specimen as PDF bytes (DRAFT-marked by default)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=letter,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
    )
    apply_metadata(doc, "specimen")
    doc.build(
        specimen_story(),
        canvasmaker=numbered_canvas("SPECIMEN", draft=draft, heading="Font specimen"),
    )
    return buf.getvalue()
