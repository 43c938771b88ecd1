"""Changes to a draft that keep the record credible: timeline corrections keep the original
visible, deviations carry their justification and time. The editor and the CLI both use
these instead of rebuilding records by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from assister_log.domain.model import (
    Deviation,
    EventKind,
    Incident,
    TimelineEdit,
    TimelineEvent,
)
from assister_log.domain.serialization import NOTE_TEXT, clean_text
from assister_log.errors import BadInput, RecordSealed


def _draft(incident: Incident) -> None:
    if incident.is_final:
        raise RecordSealed(
            f"Record {incident.incident_id} is finalized; add an addendum instead of editing."
        )


def _sorted(events: list[TimelineEvent]) -> tuple[TimelineEvent, ...]:
    return tuple(sorted(events, key=lambda e: e.at))


def stamp_event(incident: Incident, event: EventKind, at: datetime, note: str = "") -> Incident:
    """Add a timeline event (the live timeline's one-click buttons stamp ``at`` = now)."""
    _draft(incident)
    if at.tzinfo is None:
        raise BadInput("A timeline time needs a time zone.")
    note = clean_text(note, "the note", NOTE_TEXT, multiline=True)
    return replace(incident, timeline=_sorted([*incident.timeline, TimelineEvent(at, event, note)]))


def edit_event(
    incident: Incident, index: int, *, at: datetime, note: str, edited_at: datetime
) -> Incident:
    """Correct event ``index`` (in timeline order); the previous time and note are kept."""
    _draft(incident)
    if not 0 <= index < len(incident.timeline):
        raise BadInput("That timeline entry no longer exists; reload the record.")
    if at.tzinfo is None:
        raise BadInput("A timeline time needs a time zone.")
    note = clean_text(note, "the note", NOTE_TEXT, multiline=True)
    old = incident.timeline[index]
    if old.at == at and old.note == note:
        return incident
    edit = TimelineEdit(edited_at=edited_at, previous_at=old.at, previous_note=old.note)
    new = replace(old, at=at, note=note, edits=(*old.edits, edit))
    events = list(incident.timeline)
    events[index] = new
    return replace(incident, timeline=_sorted(events))


def add_note(incident: Incident, index: int, note: str) -> Incident:
    """Give event ``index`` a note where it had none (a step ticked first, its note typed
    next). Nothing is replaced, so there is no earlier version to keep; changing a note that
    exists is a correction (``edit_event``)."""
    _draft(incident)
    if not 0 <= index < len(incident.timeline):
        raise BadInput("That timeline entry no longer exists; reload the record.")
    old = incident.timeline[index]
    if old.note:
        raise BadInput("This step already has a note; correct it to change it.")
    note = clean_text(note, "the note", NOTE_TEXT, multiline=True)
    events = list(incident.timeline)
    events[index] = replace(old, note=note)
    return replace(incident, timeline=tuple(events))


def remove_event(incident: Incident, index: int) -> Incident:
    """Drop a mistaken event from a draft (drafts are the author's working notes)."""
    _draft(incident)
    events = list(incident.timeline)
    if not 0 <= index < len(events):
        raise BadInput("That timeline entry no longer exists; reload the record.")
    del events[index]
    return replace(incident, timeline=tuple(events))


def record_deviation(
    incident: Incident, code: str, justification: str, recorded_at: datetime
) -> Incident:
    """Document why a step the policy names was not followed (e.g. immediate danger)."""
    _draft(incident)
    justification = clean_text(justification, "the justification", NOTE_TEXT, multiline=True)
    if not justification.strip():
        raise BadInput("A deviation needs a justification: say why the step was not followed.")
    kept = [d for d in incident.deviations if d.code != code]
    return replace(incident, deviations=(*kept, Deviation(code, justification, recorded_at)))


def withdraw_deviation(incident: Incident, code: str) -> Incident:
    _draft(incident)
    return replace(incident, deviations=tuple(d for d in incident.deviations if d.code != code))
