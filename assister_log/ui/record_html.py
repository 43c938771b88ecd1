"""A record as rich text for the detail pane, in the order and with the headings of the
printed termination record (``reports.termination_record``): key facts, author, the
interaction, the other party, grounds in the policy's words, timeline (corrections
visible), policy checklist, words used, witnesses, narrative, procedure details, evidence,
attestation, seal, addenda. Not an image of the PDF: text a screen reader can read.

Every piece of user text goes through ``html.escape`` (names and quotes are data, never
markup). Labels come from ``policy.wording``; the checklist from ``policy.checks``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import tzinfo

from assister_log.domain.model import Ground, GroundKind, Incident, QuoteKind
from assister_log.policy import wording as w
from assister_log.policy.checks import StepResult, StepState, checklist
from assister_log.policy.rules import Level
from assister_log.policy.timing import reference_now, stored_time_problems
from assister_log.services import presentation as times


def esc(text: str) -> str:
    """Escape user text and keep its line breaks."""
    return html.escape(text).replace("\n", "<br/>")


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td class='k'>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in pairs if v
    )
    return f"<table class='kv' cellspacing='0' cellpadding='3'>{cells}</table>" if cells else ""


def _section(title: str, body: str) -> str:
    if not body:
        return ""
    return f"<h3>{html.escape(title)}</h3>{body}"


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _ground(ground: Ground) -> str:
    parts = [
        f"<p><b>{html.escape(w.GROUND_LABELS[ground.kind])}</b><br/>"
        f"<i>Policy: “{html.escape(w.ground_quote(ground.kind))}”</i></p>"
    ]
    facts: list[tuple[str, str]] = []
    if ground.kind is GroundKind.THREAT:
        facts.append(("Against", esc(", ".join(w.TARGET_LABELS[t] for t in ground.targets)) or "—"))
    if ground.kind is GroundKind.VERBAL_ABUSE:
        facts.append(("Language", esc(", ".join(w.ABUSE_LABELS[c] for c in ground.categories))))
        facts.append(("Times it happened", str(ground.occurrences)))
    if ground.kind is GroundKind.UNRELATED_MATTERS:
        if ground.wish is not None:
            facts.append(("What the person wanted", esc(w.WISH_LABELS[ground.wish])))
        facts.append(
            ("Redirected", esc("; ".join(w.REDIRECTION_LABELS[r] for r in ground.redirections)))
        )
    if ground.kind is GroundKind.SUSPECTED_FRAUD:
        facts.append(("Information", esc(ground.information)))
        facts.append(("Acknowledged as false", "Yes" if ground.acknowledged_false else "No"))
        facts.append(("Type", esc(", ".join(w.FRAUD_TYPE_LABELS[t] for t in ground.fraud_types))))
    facts.append(("Details", esc(ground.detail)))
    return "".join(parts) + _rows(facts)


def _timeline(incident: Incident) -> str:
    zone = times.zone_for(incident)
    if not incident.timeline:
        return "<p>No steps recorded yet.</p>"
    problems = stored_time_problems(incident, zone)  # as the PDF prints them
    flagged = {t.target: t.text for t in problems if isinstance(t.target, int)}
    rows = []
    for index, event in enumerate(incident.timeline):
        note = esc(event.note)
        for edit in event.edits:
            before = esc(edit.previous_note) or "(no note)"
            note += (
                f"<br/><span class='edit'>Corrected {times.when(edit.edited_at, zone)}; was "
                f"{times.when(edit.previous_at, zone)}: {before}</span>"
            )
        if index in flagged:
            note += f"<br/><span class='edit'><b>Time to check:</b> {esc(flagged[index])}</span>"
        rows.append(
            f"<tr><td class='t'>{times.when(event.at, zone)}</td>"
            f"<td><b>{html.escape(w.EVENT_LABELS[event.event])}</b>"
            f"{'<br/>' + note if note else ''}</td></tr>"
        )
    table = f"<table class='tl' cellspacing='0' cellpadding='3'>{''.join(rows)}</table>"
    if not problems:
        return table
    _now, against = reference_now(incident)
    listed = "".join(f"<li>{esc(t.text)}</li>" for t in problems)
    return (
        f"{table}<p><b>Times that do not add up</b> (checked against the interaction's Began "
        f"and Ended and {esc(against)}):</p><ul>{listed}</ul>"
    )


_STATE = {StepState.DONE: "Done", StepState.DEVIATION: "Deviation", StepState.MISSING: "Missing"}


def _checklist(steps: list[StepResult], zone: tzinfo | None) -> str:
    if not steps:
        return ""
    rows = []
    for step in steps:
        state = _STATE[step.state]
        if step.state is StepState.DONE and step.at is not None:
            state += f" {times.when(step.at, zone)}"
        level = "required" if step.rule.level is Level.REQUIRED else "advised"
        extra = ""
        if step.deviation is not None:
            extra = f"<br/>Justification: {esc(step.deviation.justification)}"
        elif step.state is StepState.MISSING:
            extra = f"<br/>{esc(step.message)}"
        rows.append(
            f"<tr><td class='s {step.state.value}'>{html.escape(state)}</td>"
            f"<td>{html.escape(step.rule.title)} <span class='c'>({level}; "
            f"{html.escape(step.rule.clause)})</span>{extra}</td></tr>"
        )
    return f"<table class='cl' cellspacing='0' cellpadding='3'>{''.join(rows)}</table>"


STYLE = """
<style>
h2 { margin-bottom: 2px; }
h3 { margin-top: 14px; margin-bottom: 4px; }
td.k { font-weight: bold; padding-right: 12px; vertical-align: top; }
td.t { white-space: nowrap; padding-right: 10px; vertical-align: top; }
td.s { white-space: nowrap; padding-right: 10px; vertical-align: top; font-weight: bold; }
span.c, span.edit, p.meta { font-size: small; }
blockquote { margin-left: 16px; }
</style>
"""


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _procedure_details(incident: Incident) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    sc = incident.staff_call
    if sc is not None:
        rows += [
            ("Recording available", _yes(sc.recording_available)),
            ("Recording reference", esc(sc.recording_reference)),
            ("Reminder said the call is recorded", _yes(sc.reminder_mentioned_recording)),
            ("A certified assister was on the call", _yes(sc.assister_on_call)),
        ]
    f = incident.fraud
    if f is not None:
        r = f.reporter
        reporter = "; ".join(
            esc(v)
            for v in (r.name, r.mailing_address, r.day_phone, r.evening_phone, r.best_time, r.email)
            if v
        )
        rows += [
            ("Fraud referral", "Anonymous" if f.anonymous else "With reporter details"),
            ("Reporter", "" if f.anonymous else reporter),
            ("Public program involved", _yes(f.public_program)),
            ("Response to the accuracy reminder", esc(f.response_to_reminder)),
            ("Other agencies notified", esc(f.other_agencies_notified)),
            (
                "Not discussed with co-workers",
                "Confirmed" if f.no_discussion_acknowledged else "Not confirmed",
            ),
        ]
    return rows


def record_html(
    incident: Incident,
    steps: list[StepResult] | None = None,
    *,
    delivery: str = "",
    sealing: bool = False,
) -> str:
    """The whole record as HTML, in the printed termination record's order and headings
    (``steps`` defaults to ``policy.checks.checklist``); ``delivery`` is the line of the
    organisation hand-off, shown with the seal ("Delivery to …: queued"). ``sealing``: the
    draft as the Finalize dialog previews it, about to be sealed."""
    steps = checklist(incident) if steps is None else steps
    title = w.PROCEDURE_TITLES[incident.procedure]
    status = "Finalized (sealed)" if incident.is_final else "Draft: not finalized, not sealed"
    out = [
        STYLE,
        f"<h2>{html.escape(w.PROCEDURE_LABELS[incident.procedure])}</h2>",
        f"<p class='meta'>{html.escape(title)} – {html.escape(w.POLICY_TITLE)}</p>",
    ]
    if sealing and not incident.is_final:
        out.append(
            "<p><b>WHAT WILL BE SEALED.</b> Finalizing seals this record exactly as shown "
            "here, with your attestation; after that it can only be added to with "
            "addenda.</p>"
        )
    elif not incident.is_final:
        out.append(
            "<p><b>DRAFT.</b> This record is not finalized: it can still change, it is not "
            "sealed and it has not been attested.</p>"
        )
    zone = times.zone_for(incident)
    end = times.end_of(incident)
    when = times.span(incident.occurred_at, end, zone)
    out.append(
        _rows(
            [
                ("Record ID", f"<b>{html.escape(incident.incident_id)}</b>"),
                ("Status", f"<b>{status}</b>"),
                ("Procedure", html.escape(title)),
                ("When it happened", when),
                (
                    "When it was written down",
                    f"{times.when(incident.recorded_at, zone)}<br/><b>"
                    f"{html.escape(times.recorded_gap(incident).capitalize())}</b>",
                ),
            ]
        )
    )
    a = incident.author
    out.append(
        _section(
            "Author",
            _rows(
                [
                    ("Name", esc(a.name)),
                    ("Role", html.escape(w.ROLE_LABELS[a.role])),
                    ("Certification / staff ID", esc(a.credential_id)),
                    ("Organisation", esc(a.organisation)),
                    ("Site", esc(a.site)),
                ]
            ),
        )
    )
    p = incident.party
    out.append(
        _section(
            "The interaction",
            _rows(
                [
                    ("How", html.escape(w.CHANNEL_LABELS[incident.channel])),
                    ("Where", esc(incident.location)),
                    ("Began", times.when(incident.occurred_at, zone)),
                    ("Ended", times.when(end, zone) or "end time not recorded"),
                    ("Written down", times.when(incident.recorded_at, zone)),
                    ("Language", esc(p.language)),
                    ("Interpreter", esc(p.interpreter)),
                ]
            ),
        )
    )
    out.append(
        _section(
            "The other party",
            _rows(
                [
                    ("Who", html.escape(w.PARTY_LABELS[p.kind])),
                    ("Name", esc(p.name) or "(not given)"),
                    ("Case / application number", esc(p.case_number)),
                    ("Phone", esc(p.phone)),
                    ("Date of birth", esc(p.date_of_birth)),
                    ("Address", esc(p.address)),
                ]
            ),
        )
    )
    grounds = "".join(_ground(g) for g in incident.grounds) or "<p>No ground chosen yet.</p>"
    out.append(_section("Grounds (in the policy's words)", grounds))
    out.append(_section("Timeline", _timeline(incident)))
    checks = _checklist(steps, zone)
    listed = {step.rule.code for step in steps}
    others = [d for d in incident.deviations if d.code not in listed]
    if others:
        checks += "<p><b>Other documented deviations</b></p>" + _rows(
            (d.code, f"{esc(d.justification)} ({times.when(d.recorded_at, zone)})") for d in others
        )
    out.append(_section("Policy checklist", checks))
    quotes = "".join(
        f"<p><b>{esc(q.speaker) or 'Unnamed speaker'}</b> "
        f"({html.escape(w.QUOTE_LABELS[q.kind])}"
        f"{', ' + esc(q.language) if q.language else ''}):</p>"
        f"<blockquote>{'“' if q.kind is QuoteKind.VERBATIM else ''}{esc(q.text)}"
        f"{'”' if q.kind is QuoteKind.VERBATIM else ''}</blockquote>"
        for q in incident.quotes
    )
    out.append(_section("Words used", quotes or "<p>None recorded.</p>"))
    witnesses = "".join(
        f"<li>{esc(x.name)}{' – ' + esc(x.role) if x.role else ''}"
        f"{' – ' + esc(x.contact) if x.contact else ''}</li>"
        for x in incident.witnesses
    )
    out.append(
        _section("Witnesses", f"<ul>{witnesses}</ul>" if witnesses else "<p>None recorded.</p>")
    )
    out.append(
        _section(
            "Narrative",
            f"<p>{esc(incident.narrative)}</p>"
            if incident.narrative
            else "<p>Not written yet.</p>",
        )
    )
    details = _procedure_details(incident)
    if details:
        out.append(_section("Procedure details", _rows(details)))
    evidence = "".join(
        f"<li>{esc(x.filename)} ({_size(x.size)}, added {times.when(x.added_at, zone)})"
        f"{' – ' + esc(x.description) if x.description else ''}"
        f"<br/><span class='c'>SHA-256 {x.sha256}</span></li>"
        for x in incident.attachments
    )
    out.append(
        _section("Evidence", f"<ul>{evidence}</ul>" if evidence else "<p>None attached.</p>")
    )
    if incident.is_final:
        out.append(_section("Attestation and signature", f"<p>{esc(incident.attestation)}</p>"))
        seal = incident.seal
        if seal is not None:
            out.append(
                _section(
                    "Seal",
                    _rows(
                        [
                            ("Sealed", times.when(seal.sealed_at, zone)),
                            ("Chain position", str(seal.position)),
                            ("Record hash", f"<span class='c'>{seal.record_hash}</span>"),
                        ]
                    ),
                )
            )
        if delivery:
            out.append(f"<p class='delivery'><b>{esc(delivery)}</b></p>")
        addenda = "".join(
            f"<p><b>Addendum, {times.when(x.at, zone)}</b> – reason: {esc(x.reason)}</p>"
            f"<blockquote>{esc(x.text)}</blockquote>"
            for x in incident.addenda
        )
        out.append(_section("Addenda", addenda or "<p>None.</p>"))
    else:
        out.append(
            _section(
                "Attestation and signature",
                "<p>The attestation you confirm in the Finalize dialog is added here.</p>"
                if sealing
                else "<p>Not attested yet: a draft is attested when it is finalized.</p>",
            )
        )
    return "".join(out)
