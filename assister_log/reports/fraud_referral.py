"""The fraud referral packet, following MNsure's Reporting Fraud and Complaints Policy and what
fraud referrals usually contain (MN DHS OIG): who, what, when, where and how; each person's
name, date of birth, address and case number; the type of suspected fraud; the evidence; other
agencies already told; the reporter's statement.

A cover sheet says where to send it (values from the vault's settings). An anonymous referral
leaves out every reporter detail: name, role, organisation, contact details and signature.
"""

from __future__ import annotations

from datetime import tzinfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, PageBreak, Spacer

from assister_log.domain.model import (
    EventKind,
    FraudReferral,
    FraudType,
    GroundKind,
    Incident,
    Role,
)
from assister_log.policy import wording
from assister_log.policy.contacts import CONTACT_LABELS, DEFAULT_ATTESTATION
from assister_log.reports import blocks as c
from assister_log.reports.base import ReportInput
from assister_log.reports.kinds import FRAUD_REFERRAL
from assister_log.reports.text import para

KIND = FRAUD_REFERRAL.id
TITLE = FRAUD_REFERRAL.title
POLICY = "MNsure Reporting Fraud and Complaints Policy"
ASK = "ask your MNsure contact"

TENNESSEN_NOTE = (
    "Tennessen warning (Minnesota Government Data Practices Act): when MNsure asks a "
    "complainant for information about themselves it explains why the data is collected, "
    "that giving it is voluntary but the investigation may be limited without it, how the "
    "data may be used, and who may receive it. Reporter details are optional: a referral may "
    "be made anonymously."
)
PAST_NOTE = (
    "Fraud, waste or abuse may be reported even if it happened in the past. Reporting may be "
    "anonymous: the reporter's name and contact details are optional."
)
BROKER_NOTE = (
    "Brokers: as a licensed insurance producer you may also have a duty to report suspected "
    "insurance fraud to the Minnesota Commerce Department's fraud unit (Minn. Stat. 60A.952). "
    "Confirm what applies to you before relying on this referral alone."
)


class FraudReferralPacket(c.Document):
    kind = KIND
    title = TITLE

    def story(self, data: ReportInput) -> list[Flowable]:
        return story(data)


def contact(data: ReportInput, key: str) -> c.Cell:
    value = (data.contacts.get(key) or "").strip()
    return value if value else c.muted(f"not set — {ASK}")


def fraud_of(incident: Incident) -> FraudReferral:
    return incident.fraud if incident.fraud is not None else FraudReferral()


def fraud_types(incident: Incident) -> list[FraudType]:
    found: list[FraudType] = []
    for ground in incident.grounds:
        if ground.kind is GroundKind.SUSPECTED_FRAUD:
            found += [t for t in ground.fraud_types if t not in found]
    return found


def cover(data: ReportInput, zone: tzinfo | None) -> list[Flowable]:
    incident = data.incident
    fraud = fraud_of(incident)
    out: list[Flowable] = c.title_block(
        TITLE,
        [f"Suspected fraud referred under the {POLICY}", *c.procedure_lines(data, zone)],
    )
    if not incident.is_final:
        out += [
            c.alert(
                [
                    c.m(
                        "<b>DRAFT.</b> The source record is not finalized: it can still "
                        "change and is not sealed."
                    )
                ]
            ),
            Spacer(1, 6),
        ]
    types = fraud_types(incident)
    out.append(
        c.kv_table(
            [
                ("Record ID", c.Markup(f"<b>{para(incident.incident_id)}</b>")),
                ("Status of the record", c.status_text(incident)),
                (
                    "Referral",
                    c.Markup("<b>Anonymous referral</b>")
                    if fraud.anonymous
                    else "With reporter details (section 1)",
                ),
                ("Public program involved", c.yes_no(fraud.public_program)),
                (
                    "Type of suspected fraud",
                    "; ".join(wording.FRAUD_TYPE_LABELS[t] for t in types),
                ),
                ("When it happened", c.span(incident.occurred_at, c.end_of(incident), zone)),
            ]
        )
    )
    out.append(Spacer(1, 10))
    if fraud.public_program:
        out += [
            c.alert(
                [
                    c.m(
                        "<b>Public program: report to the DHS Office of Inspector General.</b>",
                        "subsection",
                    ),
                    c.cell(contact(data, "dhs_oig")),
                ]
            ),
            Spacer(1, 8),
        ]
    out.append(c.p("Where to send this referral", "subsection"))
    routes: list[tuple[str, c.Cell]] = [
        (CONTACT_LABELS["anonymous_complaints_line"], contact(data, "anonymous_complaints_line")),
        (CONTACT_LABELS["compliance_email"], contact(data, "compliance_email")),
        (
            CONTACT_LABELS["dhs_oig"],
            contact(data, "dhs_oig")
            if fraud.public_program
            else c.Markup(
                f"{para(str(contact(data, 'dhs_oig')))}<br/>"
                + str(c.muted("Only when the consumer's coverage is a public program."))
            ),
        ),
    ]
    out.append(c.kv_table(routes, label_width=2.1 * inch))
    out.append(Spacer(1, 8))
    notes: list[Flowable] = [c.p(PAST_NOTE, "cell"), Spacer(1, 3), c.p(TENNESSEN_NOTE, "cell")]
    out.append(c.boxed(notes))
    if incident.author.role is Role.BROKER:
        out += [Spacer(1, 8), c.alert([c.p(BROKER_NOTE, "cell")])]
    out.append(PageBreak())
    return out


def reporter_section(s: c.Story, incident: Incident) -> None:
    fraud = fraud_of(incident)
    s.section("Reporter")
    if fraud.anonymous:
        s.add(
            c.boxed(
                [
                    c.m("<b>Anonymous referral.</b>"),
                    c.p(
                        "The reporter's name, role, organisation and contact details are "
                        "omitted from this packet.",
                        "cell",
                    ),
                ]
            )
        )
        return
    r = fraud.reporter
    a = incident.author
    s.add(
        c.kv_table(
            [
                ("Name", r.name or a.name),
                ("Role", wording.ROLE_LABELS[a.role]),
                ("Certification / staff ID", a.credential_id),
                ("Organisation", a.organisation),
                ("Mailing address", r.mailing_address),
                ("Day phone", r.day_phone),
                ("Evening phone", r.evening_phone),
                ("Best time to call", r.best_time),
                ("Email", r.email),
            ]
        )
    )


def who_text(incident: Incident) -> c.Markup:
    party = incident.party
    fraud = fraud_of(incident)
    lines = [
        f"<b>{para(wording.PARTY_LABELS[party.kind])}:</b> "
        f"{para(party.name) if party.name else c.muted('name not given')}"
    ]
    if fraud.anonymous:
        lines.append("<b>Reporter:</b> the assister making this anonymous referral")
    else:
        a = incident.author
        lines.append(
            f"<b>Reporter:</b> {para(fraud.reporter.name or a.name)}, "
            f"{para(wording.ROLE_LABELS[a.role])}"
        )
    if party.interpreter:
        lines.append(f"<b>Interpreter:</b> {para(party.interpreter)}")
    for witness in incident.witnesses:
        role = f" ({para(witness.role)})" if witness.role else ""
        lines.append(f"<b>Witness:</b> {para(witness.name)}{role}")
    return c.join_markup(lines)


def what_text(incident: Incident) -> c.Markup:
    lines = []
    for ground in incident.grounds:
        if ground.kind is GroundKind.SUSPECTED_FRAUD:
            if ground.information:
                lines.append(para(ground.information))
            lines.append(
                "The consumer acknowledged the information is false."
                if ground.acknowledged_false
                else "The consumer did not acknowledge the information as false."
            )
            if ground.detail:
                lines.append(para(ground.detail))
        else:
            lines.append(f"Also: {para(wording.GROUND_LABELS[ground.kind])}")
    return c.join_markup(lines) if lines else c.muted("no suspected-fraud ground is recorded")


def story(data: ReportInput) -> list[Flowable]:
    incident = data.incident
    fraud = fraud_of(incident)
    zone = c.zone_for(incident)
    ref = incident.occurred_at
    s = c.Story()
    s.extend(cover(data, zone))

    reporter_section(s, incident)

    s.section("Subject of the referral")
    party = incident.party
    s.add(
        c.kv_table(
            [
                ("Name", party.name or c.muted("not given")),
                ("Date of birth", party.date_of_birth or c.muted("not known")),
                ("Address", party.address or c.muted("not known")),
                ("Case / application number", party.case_number or c.muted("not known")),
                ("Phone", party.phone),
                ("Party", wording.PARTY_LABELS[party.kind]),
                *c.language_rows(incident),
            ]
        )
    )

    s.section("Type of suspected fraud")
    types = fraud_types(incident)
    listed = [
        c.Markup(
            f"<b>{para(wording.FRAUD_TYPE_LABELS[t])}</b>"
            if t in types
            else str(c.muted(wording.FRAUD_TYPE_LABELS[t]))
        )
        for t in FraudType
    ]
    s.add(
        c.kv_table(
            [
                (
                    "Selected",
                    "; ".join(wording.FRAUD_TYPE_LABELS[t] for t in types)
                    or c.muted("none selected"),
                ),
                ("All types", c.Markup(" · ".join(listed))),
            ]
        )
    )
    s.add(Spacer(1, 4), c.policy_words(GroundKind.SUSPECTED_FRAUD))

    s.section("What happened: who, what, when, where, how")
    s.add(
        c.kv_table(
            [
                ("Who", who_text(incident)),
                ("What", what_text(incident)),
                ("When", c.span(incident.occurred_at, c.end_of(incident), zone)),
                ("Where", incident.location),
                (
                    "How",
                    c.Markup(
                        f"{para(wording.CHANNEL_LABELS[incident.channel])}"
                        + (f"; in {para(party.language)}" if party.language else "")
                        + (
                            f", through an interpreter ({para(party.interpreter)})"
                            if party.interpreter
                            else ""
                        )
                    ),
                ),
                (
                    "Written down",
                    f"{c.when(incident.recorded_at, zone)}; {c.recorded_gap(incident)}",
                ),
            ]
        )
    )
    s.subsection("Chronology")
    s.extend(c.timeline_table(incident, zone))

    s.section("Accuracy reminder and response")
    reminders = incident.events(EventKind.ACCURACY_REMINDER)
    s.add(
        c.kv_table(
            [
                (
                    "Reminder(s) given",
                    c.event_lines(reminders, zone, ref)
                    if reminders
                    else c.muted("no accuracy reminder is recorded"),
                ),
                ("Response", fraud.response_to_reminder),
                (
                    "Requests to enter false information",
                    c.event_lines(
                        incident.events(
                            EventKind.FRAUDULENT_ENTRY_REQUESTED,
                            EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
                        ),
                        zone,
                        ref,
                        labels=True,
                    )
                    or c.muted("none recorded"),
                ),
            ]
        )
    )

    s.section("Assistance and ending")
    continued = incident.events(EventKind.ASSISTANCE_CONTINUED)
    ended = incident.events(EventKind.INTERACTION_ENDED)
    end = c.end_of(incident)
    if ended:
        ended_cell: c.Cell = c.Markup(f"<b>Yes.</b><br/>{c.event_lines(ended, zone, ref)}")
    elif end is not None:
        ended_cell = f"Yes, at {c.clock(end, zone, ref)}."
    else:
        ended_cell = c.Markup("<b>No</b> end of the interaction is recorded.")
    s.add(
        c.kv_table(
            [
                (
                    "Assistance continued",
                    c.Markup(f"<b>Yes.</b><br/>{c.event_lines(continued, zone, ref)}")
                    if continued
                    else c.Markup("<b>No</b> — not recorded on the timeline."),
                ),
                ("Interaction ended", ended_cell),
            ]
        )
    )

    c.words_used(s, incident)

    s.section("Reporter's statement")
    s.extend(c.narrative_flowables(incident.narrative, empty="No statement is recorded."))

    s.section("Evidence")
    s.extend(c.evidence_index(incident, data.images, zone, shown_below=True))
    s.extend(c.exhibit_flowables(incident, data.images))

    s.section("Preservation of evidence")
    preserved = incident.events(EventKind.EVIDENCE_PRESERVED)
    statement = (
        "All evidence of the call or meeting is preserved: the record and the files listed "
        "above are kept encrypted and unaltered in the reporter's Assister Log vault, each "
        "file with the SHA-256 printed here"
        + (
            f", and the record is sealed (chain position {incident.seal.position})."
            if incident.seal is not None
            else "."
        )
    )
    s.extend(
        c.together(
            [
                c.p(statement),
                c.kv_table(
                    [
                        (
                            "Evidence preserved",
                            c.event_lines(preserved, zone, ref)
                            if preserved
                            else c.muted("no preservation step is recorded"),
                        ),
                        (
                            "Not discussed with co-workers",
                            "Confirmed by the reporter"
                            if fraud.no_discussion_acknowledged
                            else c.muted("not confirmed"),
                        ),
                    ]
                ),
                Spacer(1, 6),
                c.boxed(
                    [
                        c.m(
                            f"<b>Policy instruction:</b> {para(wording.NO_DISCUSSION_INSTRUCTION)}",
                            "policy",
                        ),
                        c.p(
                            f"— {wording.PROCEDURE_TITLES[incident.procedure]}, "
                            f"{wording.POLICY_TITLE}",
                            "note",
                        ),
                    ],
                    bar=True,
                ),
            ]
        )
    )

    s.section("Other agencies notified")
    s.add(
        c.p(fraud.other_agencies_notified)
        if fraud.other_agencies_notified
        else c.m(c.muted("None recorded."))
    )

    s.section("Source record and seal")
    s.extend(c.seal_flowables(incident, zone, data.seal))

    s.section("Reporter attestation")
    if fraud.anonymous:
        text = incident.attestation if incident.is_final and incident.attestation else None
        s.extend(
            c.together(
                [
                    c.boxed([c.p(text or DEFAULT_ATTESTATION, "quote")]),
                    c.p(
                        "Anonymous referral: given without the reporter's name or signature.",
                        "note",
                    ),
                    Spacer(1, 6),
                    c.date_line(),
                ]
            )
        )
    else:
        s.extend(
            c.attestation_flowables(
                incident,
                zone,
                default_text=DEFAULT_ATTESTATION,
                name=fraud.reporter.name or incident.author.name,
                signer="Reporter's signature",
            )
        )
    return s.items
