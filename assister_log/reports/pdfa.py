"""PDF/A-2b structure for final documents: XMP metadata and an sRGB OutputIntent.

A final (sealed) record's PDFs without a password are archival copies, so they are made
PDF/A-2b in structure before they are signed (the PAdES signature is an incremental update
that keeps these bytes; ``reports.signing``). :func:`make_pdfa` has pikepdf (qpdf) add to
the catalog, in memory:

* ``/Metadata``: an XMP packet (uncompressed) that says ``pdfaid:part`` 2 and
  ``pdfaid:conformance`` B and repeats the Info dictionary, value for value (title, author,
  subject, keywords, creator tool, producer, creation and modification dates). The Info
  dictionary is the neutral one of ``reports.metadata``: it names the kind of document and
  the app only, and nothing is added to it.
* ``/OutputIntents``: one ``/GTS_PDFA1`` intent with the sRGB profile of ``reports.icc``
  (the documents draw in DeviceRGB and DeviceGray, which it gives a meaning).

The rest PDF/A-2b asks for is how the documents are drawn, and the tests check it
(``tests/unit/reports/test_pdfa.py``): every font embedded (reportlab embeds TrueType
subsets, and the first page no longer starts in Helvetica), no transparency in a final
document (the only alpha the app draws is the DRAFT mark; images with alpha are flattened
onto white in ``reports.images``), the file ID in the trailer, a PDF 1.4 header. Drafts
and password-protected exports are not made PDF/A: a draft is not an archival copy, and
PDF/A forbids encryption.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import pikepdf

from assister_log.reports import icc

PDFA_PART = 2
PDFA_CONFORMANCE = "B"
PDFA_NAMESPACE = "http://www.aiim.org/pdfa/ns/id/"
OUTPUT_CONDITION = icc.DESCRIPTION

_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:(Z)|([+-])(\d{2})'?(\d{2})'?)?$"
)


def xmp_date(pdf_date: str) -> str:
    """A PDF date string (``D:20260302201500+00'00'``) as an XMP date, the same instant and
    offset (``2026-03-02T20:15:00+00:00``); ValueError for anything else."""
    match = _PDF_DATE.match(pdf_date)
    if match is None:
        raise ValueError(f"not a full PDF date: {pdf_date!r}")
    year, month, day, hour, minute, second, zulu, sign, tz_hour, tz_minute = match.groups()
    stamp = f"{year}-{month}-{day}T{hour}:{minute}:{second}"
    if zulu:
        return stamp + "Z"
    if sign is None:
        raise ValueError(f"PDF date without a time zone: {pdf_date!r}")
    return f"{stamp}{sign}{tz_hour}:{tz_minute}"


def _text(info: pikepdf.Dictionary, key: str) -> str:
    value = info.get(key)
    return "" if value is None else str(value)


def xmp_packet(info: pikepdf.Dictionary) -> bytes:
    """The XMP packet of a PDF/A-2b document whose Info dictionary is ``info``."""
    title, author, subject = _text(info, "/Title"), _text(info, "/Author"), _text(info, "/Subject")
    keywords, creator = _text(info, "/Keywords"), _text(info, "/Creator")
    producer = _text(info, "/Producer")
    created = xmp_date(_text(info, "/CreationDate"))
    modified = xmp_date(_text(info, "/ModDate"))

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    dc = ["<dc:format>application/pdf</dc:format>"]
    if title:
        dc.append(f"<dc:title>{alt(title)}</dc:title>")
    if author:
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        dc.append(f"<dc:description>{alt(subject)}</dc:description>")
    xmp = [
        f"<xmp:CreateDate>{created}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
    ]
    if creator:
        xmp.append(f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>")
    pdf = []
    if producer:
        pdf.append(f"<pdf:Producer>{escape(producer)}</pdf:Producer>")
    if keywords:
        pdf.append(f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>")

    def description(prefix: str, namespace: str, lines: list[str]) -> str:
        body = "\n    ".join(lines)
        return (
            f'  <rdf:Description rdf:about="" xmlns:{prefix}="{namespace}">\n'
            f"    {body}\n  </rdf:Description>"
        )

    parts = [
        description(
            "pdfaid",
            PDFA_NAMESPACE,
            [
                f"<pdfaid:part>{PDFA_PART}</pdfaid:part>",
                f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>",
            ],
        ),
        description("dc", "http://purl.org/dc/elements/1.1/", dc),
        description("xmp", "http://ns.adobe.com/xap/1.0/", xmp),
        description("pdf", "http://ns.adobe.com/pdf/1.3/", pdf),
    ]
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        + "\n".join(parts)
        + "\n </rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")


def make_pdfa(pdf: bytes) -> bytes:
    """``pdf`` (as reportlab wrote it) with the PDF/A-2b XMP metadata and OutputIntent."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = pikepdf.Stream(document, xmp_packet(document.docinfo))
        metadata.Type = pikepdf.Name.Metadata
        metadata.Subtype = pikepdf.Name.XML
        document.Root.Metadata = document.make_indirect(metadata)
        profile = pikepdf.Stream(document, icc.srgb_profile())
        profile.N = 3
        document.Root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
                    Info=pikepdf.String(OUTPUT_CONDITION),
                    RegistryName=pikepdf.String("http://www.color.org"),
                    DestOutputProfile=document.make_indirect(profile),
                )
            ]
        )
        for page in document.pages:
            # reportlab writes an empty /Trans (no transition) on every page: it means
            # nothing, and validators that allow only what they know stop at it.
            if "/Trans" in page.obj and not page.obj.Trans.keys():
                del page.obj.Trans
        if "/ID" not in document.trailer:  # reportlab writes one; PDF/A requires it
            raise ValueError("the rendered PDF has no file ID")
        # qpdf keeps the file ID; it does not compress the XMP stream (PDF/A readers and
        # file managers read it as it is), and it flate-compresses the profile.
        document.save(out, fix_metadata_version=False)
    return out.getvalue()


def claims_pdfa(pdf_metadata: bytes) -> bool:
    """Whether an XMP packet says PDF/A (the signer keeps such metadata as it is)."""
    return PDFA_NAMESPACE.encode("ascii") in pdf_metadata
