"""The three documents: every section and value is in the PDF, page furniture on every page,
embedded fonts only, no private data in metadata or file names, anonymous referrals leave the
reporter out, images are embedded, the checklist shows missing steps and deviations.

Records come from the real vault (``session`` + ``services.export``) and from ReportInput
built directly; text is read back with pypdf (content order) and poppler.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from assister_log.domain.editing import edit_event, record_deviation, remove_event
from assister_log.domain.model import (
    Addendum,
    Attachment,
    EventKind,
    FraudReferral,
    FraudType,
    Ground,
    GroundKind,
    Incident,
    Party,
    PartyKind,
    Profile,
    Quote,
    QuoteKind,
    ReporterDetails,
    Role,
    Seal,
    StaffCallDetails,
    Status,
    TimelineEvent,
    Witness,
)
from assister_log.domain.serialization import parse_new_incident
from assister_log.errors import BadInput
from assister_log.policy import wording
from assister_log.policy.checks import checklist
from assister_log.reports import images as report_images
from assister_log.reports import times
from assister_log.reports.base import ReportInput, renderer_for
from assister_log.reports.page import FRAME_WIDTH, PRIVATE_DATA_NOTICE
from assister_log.reports.sections import seal as seal_section
from assister_log.services.demo import sample_png
from assister_log.services.export import export_pdf, kinds_for, render_pdf, suggested_filename
from assister_log.services.session import Session
from assister_log.services.settings import CONTACT_LABELS, DEFAULT_CONTACTS
from tests.conftest import EXAMPLES, PROFILE, STAFF_PROFILE, add_as_author

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
GENERATED = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
CANARY = "Qzxcanary7731"
PASSWORD = "investigator copy ✓ 2026"
HEADINGS = {
    "record": "Assister Log · Interaction termination record",
    "fraud-referral": "Assister Log · Fraud referral packet",
    "staff-memo": "Assister Log · Staff call-termination memo",
}
EXAMPLE_FOR = {
    "record": "inappropriate-interaction",
    "fraud-referral": "suspected-fraud",
    "staff-memo": "staff-call",
}
SECTIONS = {
    "record": [
        "Interaction termination record",
        "1. Author",
        "2. The interaction",
        "3. The other party",
        "4. Grounds (in the policy's words)",
        "5. Timeline",
        "6. Policy checklist",
        "7. Words used",
        "8. Witnesses",
        "9. Narrative",
        "Evidence",
        "Attestation and signature",
        "Seal",
        "Addenda",
    ],
    "fraud-referral": [
        "Fraud referral packet",
        "Where to send this referral",
        "1. Reporter",
        "2. Subject of the referral",
        "3. Type of suspected fraud",
        "4. What happened: who, what, when, where, how",
        "Chronology",
        "5. Accuracy reminder and response",
        "6. Assistance and ending",
        "7. Words used",
        "8. Reporter's statement",
        "9. Evidence",
        "10. Preservation of evidence",
        "11. Other agencies notified",
        "12. Source record and seal",
        "13. Reporter attestation",
    ],
    "staff-memo": [
        "Staff call-termination memo",
        "1. The call",
        "2. Why the call was inappropriate",
        "3. Reminder that the call is recorded",
        "4. Further attempt to resolve the caller's issue",
        "5. Outcome",
        "6. Recording of the call",
        "7. Notification of partner leadership",
        "8. Timeline",
        "9. Policy checklist",
        "10. Words used",
        "11. Staff member's account",
        "Seal",
        "Sign-off",
    ],
}


# --------------------------------------------------------------------------- helpers


def example_data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return data


def example(name: str, **changes: Any) -> Incident:
    """An example record, written by an author who may follow its procedure (a staff call
    by MNsure staff)."""
    data = example_data(name)
    incident = parse_new_incident(
        data,
        incident_id="AL-TEST0001",
        author=PROFILE if data["procedure"] != "staff-call" else STAFF_PROFILE,
        recorded_at=T0 + timedelta(hours=2),
    )
    return replace(incident, **changes)


def finalized(incident: Incident, position: int = 7) -> Incident:
    seal = Seal("a" * 64, "b" * 64, "c" * 64, position, T0 + timedelta(hours=3))
    return replace(
        incident,
        status=Status.FINALIZED,
        attestation="I attest this is true.",
        seal=seal,
    )


def report(
    incident: Incident,
    *,
    images: dict[str, bytes] | None = None,
    contacts: dict[str, str] | None = None,
) -> ReportInput:
    return ReportInput(
        incident=incident,
        checklist=tuple(checklist(incident)),
        contacts=dict(DEFAULT_CONTACTS) if contacts is None else contacts,
        generated_at=GENERATED,
        images=images or {},
    )


def render(kind: str, data: ReportInput, password: str | None = None) -> bytes:
    return renderer_for(kind)(password=password).render(data)


def normal(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def page_texts(pdf: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    if password is not None:
        assert reader.decrypt(password)
    return [normal(page.extract_text()) for page in reader.pages]


def full_text(pdf: bytes, password: str | None = None) -> str:
    return " ".join(page_texts(pdf, password))


def assert_furniture(pdf: bytes, kind: str, record_id: str, *, draft: bool) -> list[str]:
    texts = page_texts(pdf)
    total = len(texts)
    notice = normal(PRIVATE_DATA_NOTICE)
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {total}" in text, (number, text[-300:])
        assert f"Record {record_id}" in text, number
        assert HEADINGS[kind] in text, number
        assert notice in text, number
        if draft:
            assert "DRAFT" in text, number
        else:
            assert "DRAFT" not in text, number
    return texts


def png(width: int, height: int, color: tuple[int, int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), color if mode == "RGB" else (*color, 128)).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int, height: int, orientation: int = 1) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def gif(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("P", (width, height), 3).save(out, "GIF")
    return out.getvalue()


def attachment(name: str, data: bytes, media_type: str, n: int) -> Attachment:
    return Attachment(
        attachment_id=f"att-{n}",
        filename=name,
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        added_at=T0 + timedelta(minutes=50 + n),
        description=f"Exhibit description {n}",
    )


def image_count(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        if not xobjects:
            continue
        for name, ref in xobjects.get_object().items():
            if ref.get_object().get("/Subtype") == "/Image":
                names.add(str(ref.idnum) if hasattr(ref, "idnum") else name)
    return len(names)


def image_filters(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in xobjects.get_object().values() if xobjects else []:
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(str(obj.get("/Filter")))
    return found


@pytest.fixture
def vault_record(session: Session) -> Iterator[Any]:
    """A factory: add an example to the real vault, optionally finalize it."""

    def make(name: str, *, final: bool = False) -> str:
        incident_id = add_as_author(session, example_data(name)).incident_id
        if final:
            session.finalize(incident_id)
        return incident_id

    yield make


# --------------------------------------------------------------------------- through the vault


@pytest.mark.parametrize("kind", ["record", "fraud-referral", "staff-memo"])
def test_every_section_and_value_from_the_vault(
    kind: str, session: Session, vault_record: Any, poppler: Any
) -> None:
    incident_id = vault_record(EXAMPLE_FOR[kind], final=True)
    incident = session.get(incident_id)
    pdf = render_pdf(session, incident_id, kind)
    text = full_text(pdf)
    for heading in SECTIONS[kind]:
        assert heading in text, heading
    party = incident.party
    values = [incident_id, party.name, party.case_number, incident.location]
    values += [q.text for q in incident.quotes]
    values += [e.note for e in incident.timeline]
    values += [normal(block) for block in incident.narrative.split("\n\n")]
    values += [wording.EVENT_LABELS[e.event] for e in incident.timeline]
    values += [wording.GROUND_LABELS[g.kind] for g in incident.grounds]
    assert incident.seal is not None
    values += [incident.seal.record_hash, incident.seal.previous_hash, incident.seal.entry_hash]
    for value in values:
        assert normal(value) in text, value
    zone = times.zone_for(incident)
    assert times.span(incident.occurred_at, incident.ended_at, zone) in text
    # poppler agrees, and every font is embedded TrueType, never Helvetica
    assert incident_id in poppler.text(pdf)
    for row in poppler.fonts(pdf):
        assert row.embedded, row
        assert "Helvetica" not in row.name and row.kind.startswith("TrueType"), row


def test_record_content_in_detail(session: Session, vault_record: Any) -> None:
    incident_id = vault_record("inappropriate-interaction", final=True)
    session.addendum(incident_id, "First addendum text.", "First reason")
    session.addendum(incident_id, "Second addendum text.", "Second reason")
    incident = session.get(incident_id)
    text = full_text(render_pdf(session, incident_id, "record"))
    a = PROFILE
    for value in (a.name, a.credential_id, a.organisation, a.site, "Navigator"):
        assert value in text
    for value in ("In-person meeting", "Vietnamese", "Trần Văn Bảo (site interpreter)"):
        assert value in text
    for kind in (GroundKind.VERBAL_ABUSE, GroundKind.THREAT):
        assert normal(wording.GROUND_WORDING[kind]) in text
    assert "Curse words / profanity; Insults about language ability or proficiency" in text
    assert "4 times" in text
    assert "A MNsure assister; The assister's office location" in text
    assert "Hodan Abdi" in text and "Site coordinator" in text and "612-555-0199" in text
    # the gap between the interaction and the writing, in words
    assert times.recorded_gap(incident).capitalize() in text
    # checklist from the policy checks, with clauses and levels
    for step in checklist(incident):
        assert normal(step.rule.title) in text, step.rule.code
        assert normal(step.rule.clause) in text
    assert "Assister procedure, step 1 · required" in text
    # attestation, signature and date lines, seal with chain position
    assert incident.attestation in text
    assert "Signature — Jamie Ortiz, Navigator" in text and "Date" in text
    assert incident.seal is not None
    assert f"sealed as entry {incident.seal.position} of the author's vault chain" in text
    assert "signed with the vault key whose fingerprint begins" in text
    assert "Signed entry (RFC 8785 JSON)" in text and "To check it:" in text
    # addenda in order, with reason and seal position
    first = text.index("Addendum 1 of 2")
    second = text.index("Addendum 2 of 2")
    assert first < text.index("First reason") < second < text.index("Second reason")
    positions = [x.seal.position for x in incident.addenda if x.seal]
    assert positions == sorted(positions) and len(positions) == 2


def test_drafts_carry_draft_on_every_page_and_finalized_none(
    session: Session, vault_record: Any
) -> None:
    draft_id = vault_record("inappropriate-interaction")
    final_id = vault_record("staff-call", final=True)
    draft = assert_furniture(
        render_pdf(session, draft_id, "record"), "record", draft_id, draft=True
    )
    assert "Not sealed — draft" in " ".join(draft)
    assert "DRAFT — not finalized" in " ".join(draft)
    for kind in ("record", "staff-memo"):
        final = assert_furniture(render_pdf(session, final_id, kind), kind, final_id, draft=False)
        assert "Not sealed" not in " ".join(final)


def test_fraud_packet_from_the_vault_embeds_images(session: Session, vault_record: Any) -> None:
    incident_id = vault_record("suspected-fraud")
    photo = jpeg(900, 600)
    session.attach_bytes(incident_id, "photo.jpg", photo, "image/jpeg", "Photo of the form")
    session.attach_bytes(incident_id, "call-log.png", sample_png(), "image/png", "Call log")
    session.attach_bytes(incident_id, "notes.txt", b"plain notes", "text/plain", "Notes")
    pdf = render_pdf(session, incident_id, "fraud-referral")
    assert image_count(pdf) == 2
    assert "/DCTDecode" in " ".join(image_filters(pdf))  # the JPEG goes in undecoded
    text = full_text(pdf)
    incident = session.get(incident_id)
    for item in incident.attachments:
        assert item.sha256 in text and item.filename in text
    assert "Exhibit E1: photo.jpg" in text and "Exhibit E2: call-log.png" in text
    assert "not an image: kept in the vault" in text
    assert "The file printed here matches this SHA-256." in text
    # the record shows the same images as thumbnails, stored once each
    assert image_count(render_pdf(session, incident_id, "record")) == 2


def test_export_writes_a_neutral_name_and_a_password_protected_file(
    session: Session, vault_record: Any, tmp_path: Path
) -> None:
    incident_id = vault_record("suspected-fraud", final=True)
    path = export_pdf(session, incident_id, "fraud-referral", tmp_path, password=PASSWORD)
    assert path.name == suggested_filename("fraud-referral", session.get(incident_id))
    assert path.name.startswith(f"fraud-referral-{incident_id}-")
    pdf = path.read_bytes()
    assert b"Abdirahman" not in pdf and incident_id.encode() not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(pdf)).decrypt("wrong password")
    assert "Abdirahman Cali Xasan" in full_text(pdf, PASSWORD)
    with pytest.raises(BadInput):
        render_pdf(session, incident_id, "record", password="")


def test_kinds_offered_match_the_procedures(session: Session, vault_record: Any) -> None:
    ids = {name: vault_record(name) for name in EXAMPLE_FOR.values()}
    assert kinds_for(session.get(ids["staff-call"])) == ["record", "staff-memo"]
    assert kinds_for(session.get(ids["suspected-fraud"])) == ["record", "fraud-referral"]
    for name, incident_id in ids.items():
        for kind in kinds_for(session.get(incident_id)):
            assert render_pdf(session, incident_id, kind).startswith(b"%PDF-"), (name, kind)


# --------------------------------------------------------------------------- furniture, pages


def test_fifty_page_narrative_and_200_events_paginate_with_furniture() -> None:
    paragraph = (
        "The consumer repeated the same complaint about the renewal notice and I explained "
        "again which documents MNsure needs. "
    ) * 6
    narrative = "\n\n".join(f"{i}. {paragraph}" for i in range(1, 330))
    narrative += "\n\n" + ("One paragraph that runs over several pages without a break. " * 900)
    events = tuple(
        TimelineEvent(
            T0 + timedelta(minutes=i),
            EventKind.OTHER if i % 2 else EventKind.FURTHER_ATTEMPT,
            f"Event note number {i}",
        )
        for i in range(200)
    )
    incident = example("inappropriate-interaction", narrative=narrative, timeline=events)
    pdf = render("record", report(incident))
    texts = assert_furniture(pdf, "record", "AL-TEST0001", draft=True)
    assert len(texts) >= 50
    joined = " ".join(texts)
    for i in (0, 57, 123, 199):
        assert f"Event note number {i}" in joined
    assert "329. The consumer repeated" in joined
    # the timeline's header row repeats on every page it spans
    header_pages = [t for t in texts if "Time What happened Note" in t]
    assert len(header_pages) >= 4
    # the last page still has the seal and addenda sections, after the narrative
    assert joined.index("329. The consumer") < joined.index("Attestation and signature")


def test_page_numbers_and_fonts_on_every_page_of_every_kind(poppler: Any) -> None:
    incident = example("staff-call")
    for kind in ("record", "staff-memo"):
        pdf = render(kind, report(finalized(incident)))
        assert_furniture(pdf, kind, "AL-TEST0001", draft=False)
        rows = poppler.fonts(pdf)
        assert rows and all(r.embedded and "Helvetica" not in r.name for r in rows)
    fraud = example("suspected-fraud")
    pdf = render("fraud-referral", report(fraud))
    assert_furniture(pdf, "fraud-referral", "AL-TEST0001", draft=True)


def test_scripts_print_with_embedded_fonts_only(poppler: Any) -> None:
    incident = example(
        "suspected-fraud",
        party=Party(
            PartyKind.CONSUMER,
            name="محمد عبد الله",
            case_number="CASE-1",
            language="Arabic",
            interpreter="王秀英 / 김민준",
        ),
        quotes=(
            Quote("Consumer", "مرحبا بالعالم", QuoteKind.VERBATIM, "Arabic"),
            Quote("Consumer", "မင်္ဂလာပါ សួស្តី ສະບາຍດີ ሰላም", QuoteKind.VERBATIM),
            Quote("Consumer", "Екатерина: «Я не согласна»", QuoteKind.PARAPHRASE),
        ),
    )
    for kind in ("record", "fraud-referral"):
        pdf = render(kind, report(incident))
        names = {row.name.split("+")[-1] for row in poppler.fonts(pdf)}
        for face in ("NotoSansArabic", "WenQuanYi", "NanumGothic", "Myanmar", "Ethiopic"):
            assert any(face in name for name in names), (face, names)
        for row in poppler.fonts(pdf):
            assert row.embedded and "Helvetica" not in row.name, row


# --------------------------------------------------------------------------- privacy


def canary_incident() -> tuple[Incident, dict[str, bytes]]:
    c = CANARY
    image = png(40, 30, (10, 20, 30))
    attach = replace(attachment(f"{c}.png", image, "image/png", 1), description=c)
    incident = example(
        "suspected-fraud",
        author=Profile(f"{c} Author", Role.BROKER, f"{c}-ID", f"{c} Org", f"{c} Site"),
        party=Party(
            PartyKind.CONSUMER,
            name=f"{c} Name",
            case_number=f"{c}-CASE",
            phone=f"{c}-PHONE",
            language=f"{c} Lang",
            interpreter=f"{c} Interp",
            date_of_birth=f"{c}-DOB",
            address=f"{c} Address",
        ),
        location=f"{c} Location",
        narrative=f"{c} narrative",
        quotes=(Quote(f"{c} speaker", f"{c} quote", QuoteKind.VERBATIM, f"{c} lang"),),
        witnesses=(Witness(f"{c} Witness", f"{c} contact", f"{c} role"),),
        grounds=(
            Ground(
                GroundKind.SUSPECTED_FRAUD,
                detail=f"{c} detail",
                information=f"{c} info",
                acknowledged_false=True,
                fraud_types=(FraudType.OTHER,),
            ),
        ),
        timeline=(TimelineEvent(T0, EventKind.INTERACTION_ENDED, f"{c} note"),),
        attachments=(attach,),
        staff_call=StaffCallDetails(recording_reference=f"{c}-REC"),
        fraud=FraudReferral(
            reporter=ReporterDetails(name=f"{c} Reporter", email=f"{c}@example.org"),
            other_agencies_notified=f"{c} agency",
            response_to_reminder=f"{c} response",
        ),
    )
    return incident, {"att-1": image}


@pytest.mark.parametrize("kind", ["record", "fraud-referral", "staff-memo"])
def test_metadata_and_file_names_carry_no_canary(kind: str, poppler: Any) -> None:
    incident, images = canary_incident()
    incident = finalized(replace(incident, attestation=f"{CANARY} attest"))
    incident = replace(
        incident,
        addenda=(Addendum(f"{CANARY} addendum", f"{CANARY} reason", T0 + timedelta(days=1)),),
    )
    pdf = render(kind, report(incident, images=images))
    assert CANARY in full_text(pdf)  # the canary is in the document ...
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.title
    for value in meta.values():  # ... but in no metadata field
        assert CANARY not in str(value)
    info = poppler.run("pdfinfo", pdf)
    assert CANARY not in info
    assert CANARY not in suggested_filename(kind, incident)
    assert CANARY.encode() not in render(kind, report(incident, images=images), PASSWORD)


def test_anonymous_referral_omits_every_reporter_detail() -> None:
    incident, _images = canary_incident()
    incident = replace(
        incident,
        fraud=replace(incident.fraud or FraudReferral(), anonymous=True),
        narrative="The consumer asked me to leave income off.",
        witnesses=(),
        attachments=(),
    )
    text = full_text(render("fraud-referral", report(incident)))
    assert "Anonymous referral" in text
    for private in (
        f"{CANARY} Reporter",
        f"{CANARY}@example.org",
        f"{CANARY} Author",
        f"{CANARY}-ID",
        f"{CANARY} Org",
        "Certification / staff ID",
        "Reporter's signature",
    ):
        assert private not in text, private
    assert f"{CANARY} Name" in text  # the subject is still there
    named = full_text(
        render("fraud-referral", report(replace(incident, fraud=FraudReferral(
            reporter=ReporterDetails(name="Rita Reporter", day_phone="651-555-0100",
                                     evening_phone="651-555-0101", best_time="mornings",
                                     mailing_address="PO Box 1", email="rita@example.org"),
        ))))
    )  # fmt: skip
    for value in ("Rita Reporter", "651-555-0100", "651-555-0101", "mornings", "PO Box 1"):
        assert value in named
    assert "Anonymous referral" not in named


def test_user_markup_prints_literally() -> None:
    name = "<b>Ann & Bo</b>"
    incident = example(
        "staff-call",
        party=Party(PartyKind.CONSUMER, name=name, case_number="<i>X</i>"),
        narrative="a < b & c > d <br/> &amp;",
        quotes=(Quote("<u>Caller</u>", "<font color='red'>hi</font>", QuoteKind.VERBATIM),),
    )
    for kind in ("record", "staff-memo"):
        text = full_text(render(kind, report(incident)))
        assert name in text
        assert "<i>X</i>" in text
        assert "a < b & c > d <br/> &amp;" in text
        assert "“<font color='red'>hi</font>”" in text
        assert "<u>Caller</u>" in text


# --------------------------------------------------------------------------- content


def test_quotes_are_marked_verbatim_or_paraphrase() -> None:
    incident = example(
        "inappropriate-interaction",
        quotes=(
            Quote("Consumer", "Exact words here", QuoteKind.VERBATIM, "English"),
            Quote("Consumer", "The gist of it", QuoteKind.PARAPHRASE),
        ),
    )
    text = full_text(render("record", report(incident)))
    verbatim = text.index("VERBATIM — the person's exact words")
    paraphrase = text.index("PARAPHRASE — not the exact words")
    assert verbatim < text.index("“Exact words here”") < paraphrase
    assert paraphrase < text.index("The gist of it")
    assert "“The gist of it”" not in text


def test_checklist_prints_missing_steps_and_deviations_with_justification() -> None:
    incident = example("inappropriate-interaction")
    attempt = next(
        i for i, e in enumerate(incident.timeline) if e.event is EventKind.FURTHER_ATTEMPT
    )
    incident = remove_event(incident, attempt)  # step 2 now missing
    incident = record_deviation(
        incident,
        "assister-reminder",
        "He was advancing on me; there was no safe moment to remind him.",
        T0 + timedelta(hours=1, minutes=5),
    )
    incident = replace(incident, timeline=tuple(
        e for e in incident.timeline if e.event is not EventKind.REMINDER_GIVEN
    ))  # fmt: skip
    data = report(incident)
    states = {s.rule.code: s.state.value for s in data.checklist}
    assert states["assister-further-attempt"] == "missing"
    assert states["assister-reminder"] == "deviation"
    text = full_text(render("record", data))
    assert "MISSING" in text
    assert "No further attempt to resolve the issue is recorded." in text
    assert "Deviation" in text
    assert "He was advancing on me; there was no safe moment to remind him." in text
    zone = times.zone_for(incident)
    assert f"Justification recorded {times.when(T0 + timedelta(hours=1, minutes=5), zone)}" in text
    assert "1 documented deviation, 2 missing." in text


def test_timeline_corrections_keep_the_original_visible() -> None:
    incident = example("inappropriate-interaction")
    index = next(i for i, e in enumerate(incident.timeline) if e.event is EventKind.REMINDER_GIVEN)
    old = incident.timeline[index]
    corrected_at = T0 + timedelta(hours=5)
    incident = edit_event(
        incident, index, at=old.at + timedelta(minutes=1), note="Corrected note.",
        edited_at=corrected_at,
    )  # fmt: skip
    zone = times.zone_for(incident)
    text = full_text(render("record", report(incident)))
    assert "Corrected note." in text
    expected = (
        f"Corrected on {times.when(corrected_at, zone)}; originally "
        f"{times.clock(old.at, zone, old.at + timedelta(minutes=1))} “{old.note}”"
    )
    assert normal(expected) in text


def test_fraud_cover_routes_warnings_and_broker_note() -> None:
    incident = example("suspected-fraud")
    assert incident.fraud is not None and incident.fraud.public_program
    contacts = dict(DEFAULT_CONTACTS, compliance_email="")
    text = full_text(render("fraud-referral", report(incident, contacts=contacts)))
    cover = page_texts(render("fraud-referral", report(incident, contacts=contacts)))[0]
    assert "Public program: report to the DHS Office of Inspector General." in cover
    assert normal(DEFAULT_CONTACTS["dhs_oig"]) in cover
    assert DEFAULT_CONTACTS["anonymous_complaints_line"] in cover
    assert "MNsure compliance email not set — ask your MNsure contact" in cover
    assert "Tennessen warning" in cover
    assert "Minn. Stat. 60A.952" not in text  # the author is a navigator
    assert "Unreported income" in cover
    # values the packet must carry
    for value in (
        "1984-07-19",
        "1420 5th Ave SE, Rochester, MN 55904",
        "CASE-20577310",
        "He said nobody would check.",
        "None yet.",
        normal(wording.NO_DISCUSSION_INSTRUCTION),
        "Explained that the application must list all household income accurately.",
        "Assistance continued No",
        "Interaction ended Yes.",
        "Confirmed by the reporter",
        "jortiz@example.org",
        "Phone, from the Rochester office",
    ):
        assert value in text, value
    broker = replace(incident, author=replace(PROFILE, role=Role.BROKER),
                     fraud=replace(incident.fraud, public_program=False))  # fmt: skip
    contacts["compliance_email"] = "compliance@example.org"
    text = full_text(render("fraud-referral", report(broker, contacts=contacts)))
    assert "Minn. Stat. 60A.952" in text and "Commerce Department" in text
    assert "compliance@example.org" in text
    assert "Public program: report to" not in text
    assert "Only when the consumer's coverage is a public program." in text


def test_staff_memo_reminder_outcome_recording_and_leadership() -> None:
    incident = example("staff-call")
    contacts = dict(DEFAULT_CONTACTS)
    text = full_text(render("staff-memo", report(incident, contacts=contacts)))
    for value in (
        "Дмитрий Соколов",
        "Assister partner",
        "Russian",
        "CC-REC-2026-05-20-0912-7781",
        "Told the call is being recorded Yes",
        "Reminded the caller the call is recorded and that policy requires ending it if the "
        "language continues.",
        "Asked which client case he was calling about.",
        "Kept swearing.",
        "Disconnected.",
        "Flagged recording for retention.",
        "Emailed the Broker Relations Director.",
        "contact not set in Assister Log settings",
        CONTACT_LABELS["broker_relations_director"],
        CONTACT_LABELS["senior_director_partner_board_relations"],
    ):
        assert normal(value) in text, value
    contacts["broker_relations_director"] = "Pat Director, 651-555-0177"
    text = full_text(render("staff-memo", report(incident, contacts=contacts)))
    assert "Pat Director, 651-555-0177" in text
    consumer = replace(
        incident,
        party=replace(incident.party, kind=PartyKind.CONSUMER),
        staff_call=replace(incident.staff_call or StaffCallDetails(), assister_on_call=False),
    )
    text = full_text(render("staff-memo", report(consumer, contacts=contacts)))
    assert "Not required" in text and "Pat Director" not in text


def test_seal_block_and_qr_payload() -> None:
    incident = finalized(example("staff-call"), position=42)
    text = full_text(render("record", report(incident)))
    assert "a" * 64 in text and "b" * 64 in text and "c" * 64 in text
    assert "sealed as entry 42" in text
    assert incident.seal is not None
    payload = seal_section.seal_payload(incident, incident.seal)
    for value in ("AL-TEST0001", "a" * 64, "b" * 64, "c" * 64, "chain position: 42"):
        assert value in payload
    modules = seal_section._qr_modules(payload)
    assert len(modules) >= 21 and all(len(row) == len(modules) for row in modules)


def test_images_scale_to_fit_and_bad_images_are_listed_not_shown() -> None:
    big = jpeg(4000, 1000)
    rotated = jpeg(300, 200, orientation=6)
    broken = b"\x89PNG\r\n\x1a\nnot really"
    files = [
        attachment("wide.jpg", big, "image/jpeg", 1),
        attachment("rotated.jpg", rotated, "image/jpeg", 2),
        attachment("broken.png", broken, "image/png", 3),
        attachment("anim.gif", gif(50, 40), "image/gif", 4),
        attachment("alpha.png", png(60, 40, (0, 0, 255), "RGBA"), "image/png", 5),
    ]
    images = {a.attachment_id: data for a, data in zip(files, [big, rotated, broken, gif(50, 40),
              png(60, 40, (0, 0, 255), "RGBA")], strict=True)}  # fmt: skip
    tampered = replace(files[4], sha256="0" * 64)
    incident = example("suspected-fraud", attachments=(*files[:4], tampered))
    pdf = render("fraud-referral", report(incident, images=images))
    assert image_count(pdf) == 4
    text = full_text(pdf)
    assert "image not shown" in text
    assert "This file could not be displayed as an image" in text
    assert "Warning: the file printed here does not match the recorded SHA-256" in text
    wide = report_images.EvidenceImage(big, FRAME_WIDTH, 500)
    assert wide.draw_width == pytest.approx(FRAME_WIDTH)
    assert wide.prepared.filters == ("DCTDecode",)
    assert wide.prepared.data == report_images.strip_jpeg_metadata(big)  # picture data as is
    turned = report_images.EvidenceImage(rotated, 1000, 1000)
    assert turned.prepared.turns == 1
    assert (turned.draw_width, turned.draw_height) == (200, 300)  # shown upright, not enlarged


def test_ten_images_in_one_packet() -> None:
    photos = [jpeg(1600, 1200) for _ in range(10)]
    files = [attachment(f"p{i}.jpg", data, "image/jpeg", i) for i, data in enumerate(photos)]
    # distinct bytes per photo so each is its own image object
    photos = [p + bytes([i]) for i, p in enumerate(photos)]
    files = [replace(f, sha256=hashlib.sha256(p).hexdigest(), size=len(p))
             for f, p in zip(files, photos, strict=True)]  # fmt: skip
    incident = example("suspected-fraud", attachments=tuple(files))
    images = {f.attachment_id: p for f, p in zip(files, photos, strict=True)}
    pdf = render("fraud-referral", report(incident, images=images))
    assert image_count(pdf) == 10
    text = full_text(pdf)
    for f in files:
        assert f.sha256 in text


# --------------------------------------------------------------------------- wording units


def test_duration_and_gap_words() -> None:
    words = times.duration_words
    assert words(timedelta(seconds=20)) == "less than a minute"
    assert words(timedelta(minutes=1)) == "1 minute"
    assert words(timedelta(minutes=12)) == "12 minutes"
    assert words(timedelta(hours=3, minutes=5)) == "3 hours 5 minutes"
    assert words(timedelta(hours=2)) == "2 hours"
    assert words(timedelta(days=4, hours=2)) == "4 days 2 hours"
    assert words(timedelta(days=40, hours=5)) == "40 days"
    incident = example("inappropriate-interaction")
    end = incident.ended_at
    assert end is not None
    gap = times.recorded_gap(replace(incident, recorded_at=end + timedelta(minutes=12)))
    assert gap == "recorded 12 minutes after the interaction ended"
    during = times.recorded_gap(replace(incident, recorded_at=end - timedelta(minutes=5)))
    assert during == "recorded while the interaction was under way, 5 minutes before it ended"
    no_end = replace(
        incident,
        ended_at=None,
        timeline=incident.events(EventKind.BEHAVIOUR_STARTED),
        recorded_at=incident.occurred_at + timedelta(hours=1),
    )
    assert times.recorded_gap(no_end) == (
        "recorded 1 hour after the interaction began (no end time is recorded)"
    )


def test_times_show_their_offset() -> None:
    central = datetime.fromisoformat("2026-03-02T14:05:00-06:00")
    assert times.when(central, central.tzinfo) == "2026-03-02 14:05 (UTC-06:00)"
    later = datetime.fromisoformat("2026-03-03T09:12:30-06:00")
    assert times.clock(later, central.tzinfo, central) == "2026-03-03 09:12:30"
    summer = datetime.fromisoformat("2026-05-20T09:10:00-05:00")
    assert times.offset_text(summer) == "UTC-05:00"
    incident = example("inappropriate-interaction")
    zone = times.zone_for(incident)
    assert times.local(incident.occurred_at, zone).strftime("%H:%M") == "14:05"


def test_renderers_refuse_an_empty_password() -> None:
    with pytest.raises(BadInput):
        render("record", report(example("staff-call")), password="")


def test_blank_drafts_of_every_procedure_render(session: Session, staff_session: Session) -> None:
    from assister_log.domain.model import Procedure

    for procedure in Procedure:
        # each by an author who may follow it: the staff procedure by MNsure staff
        writer = staff_session if procedure is Procedure.STAFF_CALL else session
        incident = writer.new_draft(procedure)
        for kind in kinds_for(incident):
            pdf = render_pdf(writer, incident.incident_id, kind)
            texts = assert_furniture(pdf, kind, incident.incident_id, draft=True)
            joined = " ".join(texts)
            assert "No timeline events are recorded." in joined or kind == "staff-memo"
            assert "MISSING" in joined or kind == "fraud-referral"
    # a fraud packet for a record without fraud details or a fraud ground still renders
    bare = example("staff-call", fraud=None, grounds=())
    text = full_text(render("fraud-referral", report(bare)))
    assert "no suspected-fraud ground is recorded" in text


def test_a_note_longer_than_a_page_splits_inside_its_row() -> None:
    long_note = "A very long timeline note that keeps going. " * 700
    huge_word = "x" * 3000
    incident = example(
        "inappropriate-interaction",
        timeline=(
            TimelineEvent(T0, EventKind.BEHAVIOUR_STARTED, long_note),
            TimelineEvent(T0 + timedelta(minutes=1), EventKind.INTERACTION_ENDED, huge_word),
        ),
        location="https://example.org/" + "a" * 400,
    )
    pdf = render("record", report(incident))
    texts = assert_furniture(pdf, "record", "AL-TEST0001", draft=True)
    assert sum("A very long timeline note" in t for t in texts) >= 2
