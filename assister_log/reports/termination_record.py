"""The interaction termination record: what an assister (or MNsure staff member) keeps in
case a consumer files a complaint, laid out for an investigator reading it years later.

Order: title and key facts, author, the interaction, the other party, grounds in the policy's
words, timeline, policy checklist, words used, witnesses, narrative, procedure details,
evidence, attestation, seal, addenda. ``docs/pdfs.md`` maps each section to its data.
"""

from __future__ import annotations

from datetime import tzinfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer

from assister_log.domain.model import Incident
from assister_log.policy import wording
from assister_log.policy.contacts import DEFAULT_ATTESTATION
from assister_log.reports import blocks as c
from assister_log.reports.base import ReportInput
from assister_log.reports.kinds import RECORD
from assister_log.reports.text import para

KIND = RECORD.id
TITLE = RECORD.title


class TerminationRecord(c.Document):
    kind = KIND
    title = TITLE

    def story(self, data: ReportInput) -> list[Flowable]:
        return story(data)


def key_facts(incident: Incident, z: tzinfo | None) -> list[tuple[str, c.Cell]]:
    rows: list[tuple[str, c.Cell]] = [
        ("Record ID", c.Markup(f"<b>{para(incident.incident_id)}</b>")),
        (
            "Status",
            c.Markup(
                f"<b>{para(c.status_text(incident))}</b>"
                if incident.is_final
                else f'<font color="#A3151F"><b>{para(c.status_text(incident))}</b></font>'
            ),
        ),
        ("Procedure", wording.PROCEDURE_TITLES[incident.procedure]),
        ("When it happened", c.span(incident.occurred_at, c.end_of(incident), z)),
        (
            "When it was written down",
            c.Markup(
                f"{para(c.when(incident.recorded_at, z))}<br/>"
                f"<b>{para(c.recorded_gap(incident).capitalize())}</b>"
            ),
        ),
    ]
    if not incident.is_final and incident.updated_at is not None:
        rows.append(("Last changed", c.when(incident.updated_at, z)))
    return rows


def story(data: ReportInput) -> list[Flowable]:
    incident = data.incident
    zone = c.zone_for(incident)
    s = c.Story()
    s.extend(c.title_block(TITLE, c.procedure_lines(data, zone)))
    if not incident.is_final:
        s.add(
            c.alert(
                [
                    c.m(
                        "<b>DRAFT.</b> This record is not finalized: it can still change, it "
                        "is not sealed and it has not been attested."
                    )
                ]
            ),
            Spacer(1, 6),
        )
    s.add(c.kv_table(key_facts(incident, zone)))

    s.section("Author")
    s.add(c.kv_table(c.author_rows(incident)))

    s.section("The interaction")
    s.add(
        c.kv_table(
            [
                ("How", wording.CHANNEL_LABELS[incident.channel]),
                ("Where", incident.location),
                ("Began", c.when(incident.occurred_at, zone, weekday=True)),
                (
                    "Ended",
                    c.when(c.end_of(incident), zone, weekday=True)
                    or c.muted("end time not recorded"),
                ),
                ("Written down", c.when(incident.recorded_at, zone, weekday=True)),
                *c.language_rows(incident),
            ]
        )
    )

    s.section("The other party")
    s.add(c.kv_table(c.party_rows(incident, language=False)))

    s.section("Grounds (in the policy's words)")
    s.extend(c.grounds_flowables(incident))

    s.section("Timeline")
    s.extend(c.timeline_table(incident, zone))

    s.section("Policy checklist")
    s.add(c.p(f"{wording.PROCEDURE_TITLES[incident.procedure]}, {wording.POLICY_TITLE}.", "intro"))
    s.extend(c.checklist_table(data.checklist, zone, incident.occurred_at))
    listed = {step.rule.code for step in data.checklist}
    others = [d for d in incident.deviations if d.code not in listed]
    if others:
        s.subsection("Other documented deviations")
        s.add(
            c.grid_table(
                ["Step code", "Justification", "Recorded"],
                [[d.code, d.justification, c.when(d.recorded_at, zone)] for d in others],
                [1.6 * inch, c.FRAME_WIDTH - 3.4 * inch, 1.8 * inch],
            )
        )

    c.words_used(s, incident)

    s.section("Witnesses")
    s.add(c.witnesses_table(incident))

    s.section("Narrative")
    s.extend(c.narrative_flowables(incident.narrative))

    details = procedure_details(incident)
    if details:
        s.section("Procedure details")
        s.add(c.kv_table(details))

    s.section("Evidence")
    s.extend(c.evidence_index(incident, data.images, zone))

    s.section("Attestation and signature")
    s.extend(c.attestation_flowables(incident, zone, default_text=DEFAULT_ATTESTATION))

    s.section("Seal")
    s.extend(c.seal_flowables(incident, zone, data.seal))

    s.section("Addenda")
    if incident.is_final:
        s.add(
            c.p(
                "Added after the record was finalized, in the order they were made; each "
                "is sealed as its own chain entry. The record above is unchanged.",
                "intro",
            )
        )
        s.extend(c.addenda_flowables(incident, zone))
    else:
        s.add(c.p("None: a draft is edited directly; addenda follow finalization."))
    return s.items


def procedure_details(incident: Incident) -> list[tuple[str, c.Cell]]:
    rows: list[tuple[str, c.Cell]] = []
    staff = incident.staff_call
    if staff is not None:
        rows += [
            ("Recording available", c.yes_no(staff.recording_available)),
            ("Recording reference", staff.recording_reference),
            ("Reminder said the call is recorded", c.yes_no(staff.reminder_mentioned_recording)),
            ("A certified assister was on the call", c.yes_no(staff.assister_on_call)),
        ]
    fraud = incident.fraud
    if fraud is not None:
        rows += [
            ("Fraud referral", "Anonymous" if fraud.anonymous else "With reporter details"),
            ("Public program involved", c.yes_no(fraud.public_program)),
            ("Response to the accuracy reminder", fraud.response_to_reminder),
            ("Other agencies notified", fraud.other_agencies_notified),
            (
                "Not discussed with co-workers",
                "Confirmed" if fraud.no_discussion_acknowledged else c.muted("not confirmed"),
            ),
        ]
    return rows
