"""Times that do not add up (issue 12): Ended before Began, a step before the interaction
began or (for a step taken during it) after it ended, and any time later than "now". One
Qt-free place for the desktop app's fields and compliance panel, the CLI's ``check`` and
``finalize``, and the PDFs.

"Now" is always passed in: the editor's clock while you type, the seal time for a sealed
record (a time after the seal cannot have been seen), the last save for a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from assister_log.domain.model import EventKind, Incident
from assister_log.policy.wording import EVENT_LABELS

# Steps that follow the call or meeting (reporting, referring, preserving): they may come
# after "Ended"; every other step happens during the interaction.
AFTERWARDS = frozenset(
    {
        EventKind.INTERACTION_ENDED,
        EventKind.LAW_ENFORCEMENT_CALLED,
        EventKind.LAW_ENFORCEMENT_NOT_CALLED,
        EventKind.THREAT_REPORTED,
        EventKind.RECORDING_PRESERVED,
        EventKind.LEADERSHIP_NOTIFIED,
        EventKind.FRAUD_REFERRED,
        EventKind.EVIDENCE_PRESERVED,
        EventKind.COMPLAINT_FILED,
        EventKind.OTHER,
    }
)
SLACK_S = 59  # a time within the current minute is not "after now"


@dataclass(frozen=True)
class TimeProblem:
    """A time that does not add up; ``target`` is "began", "ended" or a timeline index."""

    text: str
    target: str | int


def minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def clock_text(value: datetime, zone: tzinfo | None = None) -> str:
    """``HH:MM`` in ``zone`` (the computer's time zone when None)."""
    return value.astimezone(zone).strftime("%H:%M")


def day_text(value: datetime, zone: tzinfo | None = None) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def step_problem(
    kind: EventKind,
    at: datetime,
    began: datetime,
    ended: datetime | None,
    now: datetime,
    now_label: str = "now",
    zone: tzinfo | None = None,
) -> str:
    """Why ``at`` is not a plausible time for step ``kind``, or "". ``now_label`` names
    ``now`` in the message ("now", "the seal", "the last save"); times read in ``zone``."""
    label = EVENT_LABELS[kind]

    def hm(value: datetime) -> str:
        return clock_text(value, zone)

    if (at - now).total_seconds() > SLACK_S:
        return f"{label} at {day_text(at, zone)} is after {now_label} ({hm(now)})."
    if minute(at) < minute(began):
        return f"{label} at {hm(at)} is before the interaction began ({hm(began)})."
    if ended is not None and kind not in AFTERWARDS and minute(at) > minute(ended):
        return f"{label} at {hm(at)} is after the interaction ended ({hm(ended)})."
    return ""


def time_problems(
    incident: Incident, now: datetime, now_label: str = "now", zone: tzinfo | None = None
) -> list[TimeProblem]:
    """Every time of ``incident`` that does not add up, Began and Ended first, then the
    steps in timeline order."""
    problems = []
    began, ended = incident.occurred_at, incident.ended_at
    after = f"after {now_label}"
    if (began - now).total_seconds() > SLACK_S:
        problems.append(TimeProblem(f"Began ({day_text(began, zone)}) is {after}.", "began"))
    if ended is not None:
        if minute(ended) < minute(began):
            problems.append(
                TimeProblem(
                    f"Ended ({clock_text(ended, zone)}) is before Began "
                    f"({clock_text(began, zone)}).",
                    "ended",
                )
            )
        elif (ended - now).total_seconds() > SLACK_S:
            problems.append(TimeProblem(f"Ended ({day_text(ended, zone)}) is {after}.", "ended"))
    for index, event in enumerate(incident.timeline):
        text = step_problem(event.event, event.at, began, ended, now, now_label, zone)
        if text:
            problems.append(TimeProblem(text, index))
    return problems


def reference_now(incident: Incident) -> tuple[datetime, str]:
    """The "now" a stored record is judged against, and its name: its seal time once
    sealed, else its last save (else when it was first written)."""
    if incident.seal is not None:
        return incident.seal.sealed_at, "the seal"
    return incident.updated_at or incident.recorded_at, "the last save"


def stored_time_problems(incident: Incident, zone: tzinfo | None = None) -> list[TimeProblem]:
    """``time_problems`` of a stored record, against ``reference_now``."""
    now, label = reference_now(incident)
    return time_problems(incident, now, label, zone)
