"""The incident editor page: sections on the left, the live timeline on the right, the
compliance panel below both. The page holds the draft being edited; every change marks it dirty and
an autosave runs within a few seconds (and on lock, close, finalize, attach), through
``Session.save_draft``, which refuses a draft the reader could not read back. Nothing typed
is lost."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Attachment, EventKind, GroundKind, Incident, TimelineEvent
from assister_log.errors import KnownError
from assister_log.policy import wording as w
from assister_log.policy.checks import Finding, evaluate
from assister_log.policy.codes import RuleCode
from assister_log.policy.timing import TimeProblem
from assister_log.services.session import Session

from assister_log.ui.accessible import announce
from assister_log.ui.common import heading, named
from assister_log.ui.editor.attachments import AttachmentsSection
from assister_log.ui.editor.compliance import CompliancePanel
from assister_log.ui.editor.details import DetailsSection
from assister_log.ui.editor.grounds import GroundsSection
from assister_log.ui.editor.timeline import TimelinePanel
from assister_log.ui.editor.times import time_problems
from assister_log.ui.editor.who import WhoSection
from assister_log.ui.editor.words import NarrativeSection, WordsSection
from assister_log.ui.files import FileChooser
from assister_log.ui.finalize import FinalizeDialog

# The timeline step that resolves a finding (the editor opens "add a step" for it, or
# selects the step when the timeline has it at the wrong time).
STEP_FOR_RULE: dict[RuleCode, EventKind] = {
    RuleCode.ASSISTER_REMINDER: EventKind.REMINDER_GIVEN,
    RuleCode.ASSISTER_FURTHER_ATTEMPT: EventKind.FURTHER_ATTEMPT,
    RuleCode.ASSISTER_BASIS: EventKind.BEHAVIOUR_CONTINUED,
    RuleCode.ASSISTER_ENDED: EventKind.INTERACTION_ENDED,
    RuleCode.ASSISTER_LAW_ENFORCEMENT: EventKind.LAW_ENFORCEMENT_NOT_CALLED,
    RuleCode.ASSISTER_THREAT_REPORTED: EventKind.THREAT_REPORTED,
    RuleCode.STAFF_REMINDER: EventKind.REMINDER_GIVEN,
    RuleCode.STAFF_FURTHER_ATTEMPT: EventKind.FURTHER_ATTEMPT,
    RuleCode.STAFF_BASIS: EventKind.BEHAVIOUR_CONTINUED,
    RuleCode.STAFF_ENDED: EventKind.INTERACTION_ENDED,
    RuleCode.STAFF_RECORDING_PRESERVED: EventKind.RECORDING_PRESERVED,
    RuleCode.STAFF_LEADERSHIP_NOTIFIED: EventKind.LEADERSHIP_NOTIFIED,
    RuleCode.FRAUD_ACCURACY_REMINDER: EventKind.ACCURACY_REMINDER,
    RuleCode.FRAUD_ACCURACY_REMINDER_BEFORE_END: EventKind.ACCURACY_REMINDER,
    RuleCode.FRAUD_ASSISTANCE_CONTINUED: EventKind.ASSISTANCE_CONTINUED,
    RuleCode.FRAUD_REQUESTED_AGAIN: EventKind.FRAUDULENT_ENTRY_REQUESTED_AGAIN,
    RuleCode.FRAUD_REFERRED: EventKind.FRAUD_REFERRED,
    RuleCode.FRAUD_EVIDENCE_PRESERVED: EventKind.EVIDENCE_PRESERVED,
}

AUTOSAVE_MS = 3_000
CHECK_MS = 250
SAVED_ANNOUNCE_S = 60.0  # "Saved" is announced at most this often (failures always)


class EditorSection(Protocol):
    """A part of the editor that shows some fields of the record and writes them back."""

    @property
    def changed(self) -> Signal: ...

    def load(self, incident: Incident) -> None: ...

    def apply(self, incident: Incident) -> Incident: ...


class EditorPage(QWidget):
    closed = Signal(str)  # incident id, back to the list
    finalized = Signal(str)
    failed = Signal(object)  # an exception to show (KnownError: message; else: crash report)

    def __init__(
        self,
        session: Session,
        incident: Incident,
        files: FileChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._base = incident
        self.sections: tuple[
            EditorSection, ...
        ] = ()  # once built; until then current() is the base
        self._dirty = False
        self._loading = True
        self.finalize_dialog: FinalizeDialog | None = None
        self._announced_error = ""
        self._announced_saved = -SAVED_ANNOUNCE_S

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading(f"Draft: {w.PROCEDURE_LABELS[incident.procedure]}", 1)
        top.addWidget(self.title, 1)
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.save_state.setWordWrap(True)
        self.save_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.save_state, 1)
        self.back_button = QPushButton("Back to the &list")
        self.finalize_button = QPushButton("Finali&ze…")
        named(self.back_button, "Save and go back to the list")
        named(self.finalize_button, "Finalize the record")
        top.addWidget(self.back_button)
        top.addWidget(self.finalize_button)
        layout.addLayout(top)
        procedure = wrapped_title(incident)
        layout.addWidget(procedure)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        named(self.tabs, "Record sections")
        named(self.tabs.tabBar(), "Record sections")
        self.who = WhoSection()
        self.grounds = GroundsSection(incident.procedure)
        self.words = WordsSection()
        self.narrative = NarrativeSection()
        self.attachments = AttachmentsSection(
            session, files, self.flush, self.current, self.failed.emit
        )
        self.details = DetailsSection(incident)
        who_area = QScrollArea()
        named(who_area, "Who, when, where")
        who_area.setWidgetResizable(True)
        who_area.setWidget(self.who)
        self.tabs.addTab(who_area, "1 Who, when, &where")
        self.tabs.addTab(self.grounds, "2 &Grounds")
        self.tabs.addTab(self.words, "3 W&ords and witnesses")
        self.tabs.addTab(self.narrative, "4 &Narrative")
        self.tabs.addTab(self.attachments, "5 Attach&ments")
        if self.details.relevant:
            self.tabs.addTab(self.details, f"6 {self.details.title}")
        splitter.addWidget(self.tabs)

        self.timeline = TimelinePanel(self.current)
        self.compliance = CompliancePanel(self.current)
        # Scrolls rather than making the window taller than a 768-pixel laptop screen.
        timeline_area = QScrollArea()
        named(timeline_area, "Timeline")
        timeline_area.setWidgetResizable(True)
        timeline_area.setFrameShape(QScrollArea.Shape.NoFrame)
        timeline_area.setWidget(self.timeline)
        splitter.addWidget(timeline_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([740, 520])
        # The compliance panel spans the width below: findings read as lines, not columns.
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(splitter)
        outer.addWidget(self.compliance)
        outer.setStretchFactor(0, 4)
        outer.setStretchFactor(1, 1)
        outer.setChildrenCollapsible(False)
        layout.addWidget(outer, 1)

        self.sections = (self.who, self.grounds, self.words, self.narrative, self.details)
        for section in self.sections:
            section.load(incident)
            section.changed.connect(self.mark_dirty)
        self.attachments.load(incident)
        self.attachments.attached.connect(self._attachments_changed)
        self.timeline.changed.connect(self._replace_base)
        self.timeline.stamped.connect(self._stamped)
        self.compliance.changed.connect(self._replace_base)
        self.compliance.go_to.connect(self.go_to)

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_MS)
        self.check_timer.timeout.connect(self.refresh_compliance)
        self.back_button.clicked.connect(self.back)
        self.finalize_button.clicked.connect(self.ask_finalize)

        self._loading = False
        self.refresh_compliance()
        self._show_state(f"Saved {_clock(incident)}" if incident.updated_at else "Saved")

    # --------------------------------------------------------------------- the draft

    @property
    def incident_id(self) -> str:
        return self._base.incident_id

    @property
    def dirty(self) -> bool:
        return self._dirty

    def current(self) -> Incident:
        """The draft as it stands in the widgets (timeline, deviations and attachments
        live in the base record; every other field comes from a section)."""
        incident = self._base
        for section in self.sections:
            incident = section.apply(incident)
        return incident

    def mark_dirty(self) -> None:
        if self._loading:
            return
        self._dirty = True
        if not self.autosave.isActive():
            self.autosave.start()  # not restarted per keystroke: typing never delays a save
        self.check_timer.start()
        self._show_state("Changes not saved yet…")

    def _replace_base(self, incident: Incident) -> None:
        self._base = incident
        self.mark_dirty()
        self.refresh_compliance()

    def _stamped(self, event: TimelineEvent) -> None:
        if event is not None and event.event is EventKind.INTERACTION_ENDED:
            self.who.set_ended_if_empty(event.at)

    def _attachments_changed(self, attachments: tuple[Attachment, ...]) -> None:
        self._base = replace(self._base, attachments=attachments)
        self.attachments.load(self._base)
        self.mark_dirty()

    def refresh_compliance(self) -> None:
        incident = self.current()
        problems = self.time_problems(incident)
        self.compliance.refresh(incident, problems)
        self.timeline.mark_problems({p.target for p in problems if isinstance(p.target, int)})

    def time_problems(self, incident: Incident | None = None) -> list[TimeProblem]:
        """Times that do not add up: Began/Ended as typed, then each step."""
        problems = []
        typed = self.who.times_problem()
        if typed:
            problems.append(TimeProblem(typed, "ended"))
        return problems + time_problems(incident or self.current())

    # ------------------------------------------------------------------ go to a fix

    def go_to(self, target: Finding | TimeProblem) -> None:
        """Show the field or timeline step that resolves a finding or a time problem."""
        if isinstance(target, TimeProblem):
            if isinstance(target.target, int):
                self.timeline.select_step(target.target)
            else:
                field = self.who.occurred if target.target == "began" else self.who.ended
                self._show(self.who, field)
            return
        code = RuleCode(target.code)
        kind = STEP_FOR_RULE.get(code)
        if kind is not None:
            self.timeline.go_to_step(kind)
            return
        self._show(*self._field_for(code))

    def _field_for(self, code: RuleCode) -> tuple[QWidget, QWidget]:
        grounds = self.grounds.boxes
        if code in (
            RuleCode.ASSISTER_DOCUMENTED,
            RuleCode.STAFF_DOCUMENTED,
            RuleCode.FRAUD_DOCUMENTED,
        ):
            return self.narrative, self.narrative.text
        if code is RuleCode.STAFF_PHONE:
            return self.who, self.who.channel
        if code is RuleCode.STAFF_REMINDER_RECORDED and self.details.staff is not None:
            return self.details, self.details.staff.reminder_mentioned
        if code is RuleCode.FRAUD_NO_DISCUSSION and self.details.fraud is not None:
            return self.details, self.details.fraud.no_discussion
        box = None
        if code is RuleCode.ABUSE_REPEATED:
            box = grounds.get(GroundKind.VERBAL_ABUSE)
            if box is not None and box.occurrences is not None:
                return self.grounds, box.occurrences
        elif code is RuleCode.THREAT_TARGET:
            box = grounds.get(GroundKind.THREAT)
            if box is not None and box.targets is not None:
                return self.grounds, box.targets
        elif code in (RuleCode.REDIRECT_GET_HELP_PAGE, RuleCode.REDIRECT_PUBLIC_FEEDBACK_EMAIL):
            box = grounds.get(GroundKind.UNRELATED_MATTERS)
            if box is not None and box.redirections is not None:
                return self.grounds, box.redirections
        elif code in (RuleCode.GROUND_FRAUD, RuleCode.FRAUD_END_ALLOWED):
            box = grounds.get(GroundKind.SUSPECTED_FRAUD)
        first = box or next(iter(grounds.values()), None)
        return self.grounds, first or self.grounds

    def _show(self, section: QWidget, field: QWidget) -> None:
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is not None and (page is section or page.isAncestorOf(section)):
                self.tabs.setCurrentIndex(index)
        area = field.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(field)
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----------------------------------------------------------------------- saving

    def save(self) -> bool:
        """Save now if anything changed. False (and the reason shown) if it could not be."""
        self.autosave.stop()
        if not self._dirty:
            return True
        try:
            stored = self._session.save_draft(self.current())
        except KnownError as error:
            self._show_state(f"Not saved: {error.message}", error=True)
            self.autosave.start()  # try again: the cause (e.g. a full disk) may go away
            return False
        self._base = replace(
            self._base, updated_at=stored.updated_at, recorded_at=stored.recorded_at
        )
        self._dirty = False
        self._show_state(f"Saved {_clock(stored)}")
        return True

    def flush(self) -> bool:
        """Save before something that needs the stored draft (attach, finalize, lock)."""
        return self.save()

    def _show_state(self, text: str, *, error: bool = False) -> None:
        """Show the save state; tell the screen reader of a failure at once, and of "Saved"
        politely: after a failure, and otherwise at most once a minute (an autosave every
        few seconds while typing would talk over the user)."""
        self.save_state.setText(("⚠ " if error else "") + text)
        self.save_state.setAccessibleName(text)
        now = time.monotonic()
        if error:
            if text != self._announced_error:
                announce(self.save_state, text, assertive=True)
            self._announced_error = text
        elif text.startswith("Saved") and (
            self._announced_error or now - self._announced_saved >= SAVED_ANNOUNCE_S
        ):
            announce(self.save_state, text)
            self._announced_saved = now
            self._announced_error = ""

    # ------------------------------------------------------------------ finalize, back

    def back(self) -> None:
        if self.save():
            self.closed.emit(self.incident_id)

    def ask_finalize(self) -> None:
        if not self.save():
            return
        incident = self.current()
        self.finalize_dialog = FinalizeDialog(
            self, incident, evaluate(incident), self.time_problems(incident)
        )
        dialog = self.finalize_dialog

        def accepted() -> None:
            try:
                self._session.finalize(self.incident_id, dialog.text)
            except Exception as error:
                self.failed.emit(error)
                return
            self.finalized.emit(self.incident_id)

        dialog.accepted.connect(accepted)
        dialog.go_to.connect(self.go_to)
        dialog.open()

    def wipe(self) -> None:
        """Before a lock: stop timers and drop the draft from every widget."""
        self.autosave.stop()
        self.check_timer.stop()
        from assister_log.ui.wipe import wipe_widgets

        wipe_widgets(self)


def _clock(incident: Incident) -> str:
    at = incident.updated_at
    return at.astimezone().strftime("%H:%M:%S") if at else ""


def wrapped_title(incident: Incident) -> QLabel:
    label = QLabel(
        f"{w.PROCEDURE_TITLES[incident.procedure]} – the compliance panel shows what the "
        "policy asks for. Everything you type is saved in the vault within seconds."
    )
    label.setWordWrap(True)
    return label
