"""What the ``assister-log`` subcommands print: records, lists and findings as lines or
JSON (cli_commands.py and cli_org.py write through these). Never imports Qt."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from assister_log.domain.model import Incident
from assister_log.policy import wording
from assister_log.policy.checks import Finding
from assister_log.policy.timing import TimeProblem
from assister_log.services.types import Summary


def line(out: TextIO, text: str = "") -> None:
    out.write(text + "\n")


def summary_dict(s: Summary) -> dict[str, str]:
    return {
        "id": s.incident_id,
        "status": s.status.value,
        "occurred_utc": s.occurred_utc,
        "procedure": s.procedure.value,
        "party": s.party_name,
        "grounds": s.grounds,
    }


def print_summaries(rows: list[Summary], as_json: bool, out: TextIO) -> None:
    if as_json:
        line(out, json.dumps([summary_dict(s) for s in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        line(out, "No records.")
        return
    for s in rows:
        line(
            out,
            f"{s.incident_id}  {s.status.value:<9}  {s.occurred_utc[:16]}  "
            f"{s.procedure.value:<25}  {s.party_name}  [{s.grounds}]",
        )


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "clause": f.clause,
        "level": f.level.value,
        "title": f.title,
        "message": f.message,
        "open": f.is_open,
        "justification": f.deviation.justification if f.deviation else None,
    }


def time_dict(problem: TimeProblem) -> dict[str, Any]:
    """A time that does not add up, in ``check --json`` beside the findings."""
    return {
        "code": "time",
        "clause": "",
        "level": "check",
        "title": "A time that does not add up",
        "message": problem.text,
        "open": True,
        "justification": None,
    }


def print_findings(findings: list[Finding], out: TextIO, times: Sequence[TimeProblem] = ()) -> None:
    if not findings:
        line(out, "No findings: the record shows every step the policy names.")
    for f in findings:
        state = "OPEN" if f.is_open else "DEVIATION"
        line(out, f"{state:<9} {f.level.value:<8} {f.code}  ({f.clause})")
        line(out, f"          {f.message}")
        if f.deviation:
            line(out, f"          justified: {f.deviation.justification}")
    for problem in times:
        line(out, f"{'TIME':<9} {'check':<8} {problem.text}")


def print_incident(incident: Incident, out: TextIO) -> None:
    w = wording
    line(out, f"Record {incident.incident_id} — {w.STATUS_LABELS[incident.status]}")
    line(out, f"Procedure: {w.PROCEDURE_TITLES[incident.procedure]}")
    a = incident.author
    line(
        out,
        f"Author: {a.name}, {w.ROLE_LABELS[a.role]} {a.credential_id} {a.organisation}".rstrip(),
    )
    line(out, f"Channel: {w.CHANNEL_LABELS[incident.channel]}   Location: {incident.location}")
    ended = incident.ended_at.isoformat() if incident.ended_at else "—"
    line(out, f"Occurred: {incident.occurred_at.isoformat()} to {ended}")
    line(out, f"Recorded: {incident.recorded_at.isoformat(timespec='seconds')}")
    p = incident.party
    line(
        out,
        f"{w.PARTY_LABELS[p.kind]}: {p.name}  case: {p.case_number}  "
        f"language: {p.language}  interpreter: {p.interpreter}",
    )
    for g in incident.grounds:
        line(out, f"Ground: {w.GROUND_LABELS[g.kind]} {g.detail}".rstrip())
    for e in incident.timeline:
        line(out, f"  {e.at.isoformat()}  {w.EVENT_LABELS[e.event]}  {e.note}".rstrip())
    for q in incident.quotes:
        line(out, f"Quote ({q.kind.value}) {q.speaker}: {q.text}")
    for wi in incident.witnesses:
        line(out, f"Witness: {wi.name} {wi.role} {wi.contact}".rstrip())
    if incident.narrative:
        line(out, "Narrative:")
        line(out, incident.narrative)
    for att in incident.attachments:
        line(out, f"Attachment: {att.filename} ({att.size} bytes) sha256 {att.sha256}")
    for i, ad in enumerate(incident.addenda, 1):
        line(out, f"Addendum {i} ({ad.at.isoformat(timespec='seconds')}), reason: {ad.reason}")
        line(out, ad.text)
    if incident.seal:
        s = incident.seal
        line(
            out, f"Seal: position {s.position}, record {s.record_hash}, previous {s.previous_hash}"
        )
