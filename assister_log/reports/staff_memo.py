"""The staff call-termination memo: MNsure's procedure for terminating inappropriate telephone
calls, step by step as the record shows it — the call, the reminder that it is recorded, the
further attempt, the outcome, the recording, and the notification of the Broker Relations
Director or the Senior Director of Partner and Board Relations when an assister was on the
call — followed by the timeline, the policy checklist, the words used and the account.
"""

from __future__ import annotations

from datetime import tzinfo

from reportlab.platypus import Flowable, Spacer

from assister_log.domain.model import EventKind, Incident, PartyKind, Procedure, StaffCallDetails
from assister_log.policy import conditions, wording
from assister_log.policy.codes import RuleCode
from assister_log.policy.contacts import CONTACT_LABELS, DEFAULT_ATTESTATION
from assister_log.policy.procedures import spec
from assister_log.reports import blocks as c
from assister_log.reports.base import ReportInput
from assister_log.reports.kinds import STAFF_MEMO
from assister_log.reports.text import para

KIND = STAFF_MEMO.id
TITLE = STAFF_MEMO.title
LEADERSHIP = ("broker_relations_director", "senior_director_partner_board_relations")


class StaffCallMemo(c.Document):
    kind = KIND
    title = TITLE

    def story(self, data: ReportInput) -> list[Flowable]:
        return story(data)


def details_of(incident: Incident) -> StaffCallDetails:
    return incident.staff_call if incident.staff_call is not None else StaffCallDetails()


# The policy's own test (the condition of the leadership-notification rule), not a copy.
assister_involved = conditions.assister_on_call


def memo_header(data: ReportInput, zone: tzinfo | None) -> list[tuple[str, c.Cell]]:
    incident = data.incident
    a = incident.author
    if assister_involved(incident):
        to: c.Cell = (
            f"{CONTACT_LABELS['broker_relations_director']} or "
            f"{CONTACT_LABELS['senior_director_partner_board_relations']}; call file"
        )
    else:
        to = "Call file (no certified assister was on the call)"
    sender = ", ".join(
        part
        for part in (
            a.name,
            wording.ROLE_LABELS[a.role],
            f"staff ID {a.credential_id}" if a.credential_id else "",
            a.organisation,
        )
        if part
    )
    start = c.local(incident.occurred_at, zone)
    return [
        ("To", to),
        ("From", sender),
        ("Date", f"{start:%a %Y-%m-%d}"),  # the call's date, not the day it was printed
        (
            "Subject",
            f"Call terminated {start:%Y-%m-%d} under the {wording.POLICY_TITLE} "
            f"({wording.PROCEDURE_TITLES[incident.procedure]})",
        ),
        ("Record ID", c.Markup(f"<b>{para(incident.incident_id)}</b>")),
        (
            "Status",
            c.Markup(
                para(c.status_text(incident))
                if incident.is_final
                else f'<font color="#A3151F"><b>{para(c.status_text(incident))}</b></font>'
            ),
        ),
    ]


def story(data: ReportInput) -> list[Flowable]:
    incident = data.incident
    details = details_of(incident)
    zone = c.zone_for(incident)
    ref = incident.occurred_at
    steps = data.checklist
    s = c.Story()
    s.extend(c.title_block(TITLE, c.procedure_lines(data, zone)))
    if not incident.is_final:
        s.add(
            c.alert([c.m("<b>DRAFT.</b> The record is not finalized: it can still change.")]),
            Spacer(1, 6),
        )
    s.add(c.kv_table(memo_header(data, zone)))

    party = incident.party
    s.section("The call")
    rows: list[tuple[str, c.Cell]] = [
        ("When", c.span(incident.occurred_at, c.end_of(incident), zone)),
        ("Caller", party.name or c.muted("name not given")),
        ("Caller is", wording.PARTY_LABELS[party.kind]),
        ("Case / ID number", party.case_number),
    ]
    if party.phone:
        rows.append(("Caller's phone", party.phone))
    rows += c.language_rows(incident)
    rows.append(
        (
            "Channel",
            wording.CHANNEL_LABELS[incident.channel]
            if incident.channel in spec(Procedure.STAFF_CALL).channels
            else c.Markup(
                f"{para(wording.CHANNEL_LABELS[incident.channel])} — "
                f"{c.step_status(steps, RuleCode.STAFF_PHONE, zone, ref)}"
            ),
        )
    )
    rows += [
        ("Taken at", incident.location),
        ("Documented", f"{c.when(incident.recorded_at, zone)}; {c.recorded_gap(incident)}"),
    ]
    s.add(c.kv_table(rows))

    s.section("Why the call was inappropriate")
    s.extend(c.grounds_flowables(incident))

    s.section("Reminder that the call is recorded")
    reminders = incident.events(EventKind.REMINDER_GIVEN)
    s.add(
        c.kv_table(
            [
                (
                    "Told the call is being recorded",
                    c.Markup(f"<b>{c.yes_no(details.reminder_mentioned_recording)}</b>"),
                ),
                (
                    "Reminder given",
                    c.event_lines(reminders, zone, ref)
                    if reminders
                    else c.muted("no reminder is recorded"),
                ),
                (
                    "Policy checks",
                    c.join_markup(
                        [
                            c.step_status(steps, code, zone, ref, title=True)
                            for code in (RuleCode.STAFF_REMINDER, RuleCode.STAFF_REMINDER_RECORDED)
                        ]
                    ),
                ),
            ]
        )
    )

    s.section("Further attempt to resolve the caller's issue")
    attempts = incident.events(EventKind.FURTHER_ATTEMPT)
    s.add(
        c.kv_table(
            [
                (
                    "Attempt(s)",
                    c.event_lines(attempts, zone, ref)
                    if attempts
                    else c.muted("no further attempt is recorded"),
                ),
                ("Policy check", c.step_status(steps, RuleCode.STAFF_FURTHER_ATTEMPT, zone, ref)),
            ]
        )
    )

    s.section("Outcome")
    resolved = incident.events(EventKind.ISSUE_RESOLVED_ADVISED)
    continued = incident.events(EventKind.BEHAVIOUR_CONTINUED)
    redirected = incident.events(EventKind.REDIRECTED)
    ended = incident.events(EventKind.INTERACTION_ENDED)
    outcome: list[tuple[str, c.Cell]] = [
        (
            "Issue already resolved; caller advised",
            c.event_lines(resolved, zone, ref) if resolved else "No",
        ),
        (
            "Behavior continued after the reminder",
            c.event_lines(continued, zone, ref) if continued else "No",
        ),
    ]
    if redirected:
        outcome.append(("Redirected", c.event_lines(redirected, zone, ref)))
    end = c.end_of(incident)
    outcome += [
        (
            "Call ended",
            c.event_lines(ended, zone, ref)
            if ended
            else (c.clock(end, zone, ref) if end else c.muted("end of the call not recorded")),
        ),
        ("Policy check", c.step_status(steps, RuleCode.STAFF_BASIS, zone, ref)),
    ]
    s.add(c.kv_table(outcome))

    s.section("Recording of the call")
    preserved = incident.events(EventKind.RECORDING_PRESERVED)
    s.add(
        c.kv_table(
            [
                ("Recording available", c.yes_no(details.recording_available)),
                (
                    "Recording reference",
                    c.Markup(f"<b>{para(details.recording_reference)}</b>")
                    if details.recording_reference
                    else c.muted("not recorded"),
                ),
                (
                    "Preserved",
                    c.event_lines(preserved, zone, ref)
                    if preserved
                    else c.muted("no preservation step is recorded"),
                ),
                (
                    "Policy check",
                    c.step_status(steps, RuleCode.STAFF_RECORDING_PRESERVED, zone, ref)
                    if conditions.recording_available(incident)
                    else c.muted("not applicable: no recording is available"),
                ),
            ]
        )
    )

    s.section("Notification of partner leadership")
    involved = assister_involved(incident)
    notified = incident.events(EventKind.LEADERSHIP_NOTIFIED)
    rows = [
        (
            "A certified assister was on the call",
            c.yes_no(involved)
            + (
                " (the caller is an assister partner)"
                if party.kind is PartyKind.ASSISTER_PARTNER
                else ""
            ),
        ),
    ]
    if involved:
        rows += [
            (
                "Notified",
                c.event_lines(notified, zone, ref)
                if notified
                else c.Markup('<font color="#A3151F"><b>Not recorded</b></font>'),
            ),
            ("Policy check", c.step_status(steps, RuleCode.STAFF_LEADERSHIP_NOTIFIED, zone, ref)),
        ]
        for key in LEADERSHIP:
            value = (data.contacts.get(key) or "").strip()
            rows.append(
                (
                    CONTACT_LABELS[key],
                    value or c.muted("contact not set in Assister Log settings"),
                )
            )
    else:
        rows.append(
            (
                "Notification",
                "Not required: the policy asks for it when the call involved a certified assister.",
            )
        )
    s.add(c.kv_table(rows))

    s.section("Timeline")
    s.extend(c.timeline_table(incident, zone))

    s.section("Policy checklist")
    s.extend(c.checklist_table(steps, zone, ref))

    c.words_used(s, incident, "caller")

    if incident.witnesses:
        s.section("Others on the call")
        s.add(c.witnesses_table(incident))

    s.section("Staff member's account")
    s.extend(c.narrative_flowables(incident.narrative, empty="No account is recorded."))

    if incident.attachments:
        s.section("Evidence")
        s.extend(c.evidence_index(incident, data.images, zone))

    s.section("Seal")
    s.extend(c.seal_flowables(incident, zone, data.seal))

    if incident.addenda:
        s.section("Addenda")
        s.extend(c.addenda_flowables(incident, zone))

    s.section("Sign-off")
    s.extend(
        c.attestation_flowables(
            incident, zone, default_text=DEFAULT_ATTESTATION, signer="Staff member's signature"
        )
    )
    return s.items
