"""The measured figure of issue 12: a threatening call written up after the fact, through the
real widgets only, counted. Every user action goes through ``Journey``: a click (on the
widget's visible area, scrolling first if it is out of view, which counts too) or a key
press other than typed text; typed text is counted in characters, into the widget that has
the focus (the user got there by a counted action). Target: at most 30 actions, and no fact
typed twice. The record is then sealed and must show every step at the minute typed, on the
record and in the record PDF.

    QT_QPA_PLATFORM=offscreen .venv/bin/pytest tests/gui/test_after_call_journey.py -s
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from pdfminer.high_level import extract_text

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QScrollArea,
    QStyle,
    QStyleOptionGroupBox,
    QTabBar,
    QWidget,
)

from assister_log.domain.model import Channel, EventKind, GroundKind, Procedure, ThreatTarget
from assister_log.services.export import render_pdf
from tests.gui.conftest import type_text

from assister_log.ui.main_window import MainWindow

MAX_ACTIONS = 30
DAY = (datetime.now().astimezone() - timedelta(days=1)).date()  # the call was yesterday
BEGAN = f"{DAY.isoformat()} 9:40"
ENDED = "9:52"
NAME = "Nguyễn Văn Minh"
PHONE = "612-555-0148"
QUOTE = "I know where your office is and I will be waiting outside for you."
NARRATIVE = (
    "He called about his denied renewal and grew angry. When he threatened me I reminded him "
    "that I can end the call, tried once more to sort out the renewal, and ended the call "
    "when he went on. I then reported the threat to the Assister Resource Center."
)
# The steps, each at the minute typed (None: the row's default, Began or Ended, is right).
STEPS: tuple[tuple[EventKind, str | None, str], ...] = (
    (EventKind.BEHAVIOUR_STARTED, None, "09:40"),
    (EventKind.REMINDER_GIVEN, "9:43", "09:43"),
    (EventKind.FURTHER_ATTEMPT, "9:45", "09:45"),
    (EventKind.BEHAVIOUR_CONTINUED, "9:48", "09:48"),
    (EventKind.INTERACTION_ENDED, None, "09:52"),
    (EventKind.THREAT_REPORTED, "10:05", "10:05"),
)


class Journey:
    """Counts what the user does: ``actions`` (clicks, key presses, scrolls) and ``typed``
    (each string typed, in order)."""

    def __init__(self, qtbot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window
        self.actions = 0
        self.log: list[str] = []
        self.typed: list[str] = []

    def _count(self, what: str) -> None:
        self.actions += 1
        self.log.append(what)

    def _in_view(self, widget: QWidget, pos: QPoint) -> None:
        """Scroll (one counted action) if the point to click is outside its scroll area."""
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                viewport = parent.viewport()
                at = widget.mapTo(viewport, pos)
                if not viewport.rect().contains(at):
                    self._count(f"scroll to {widget.accessibleName()}")
                    parent.ensureWidgetVisible(widget)
                    QApplication.processEvents()
            parent = parent.parentWidget()
        assert widget.isVisible(), widget.accessibleName()
        window = widget.window()
        assert window.rect().contains(widget.mapTo(window, pos)), "off the window"

    def click(self, widget: QWidget, pos: QPoint | None = None, what: str = "") -> None:
        pos = pos or widget.rect().center()
        self._in_view(widget, pos)
        assert widget.isEnabled(), widget.accessibleName()
        self._count(f"click {what or widget.accessibleName() or type(widget).__name__}")
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        QApplication.processEvents()

    def click_tab(self, tabs: QTabBar, widget: QWidget) -> None:
        index = next(i for i in range(tabs.count()) if self._tab_page(tabs, i) is widget)
        what = f"the tab {tabs.tabText(index).replace('&', '')}"
        self.click(tabs, tabs.tabRect(index).center(), what)

    def _tab_page(self, tabs: QTabBar, index: int) -> QWidget:
        editor = self.window.editor
        assert editor is not None
        return editor.tabs.widget(index)

    def tick_group(self, box: QGroupBox) -> None:
        """A checkable group box: click its check box (in its title)."""
        option = QStyleOptionGroupBox()
        box.initStyleOption(option)
        rect = box.style().subControlRect(
            QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxCheckBox, box
        )
        self.click(box, rect.center())

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        target = QApplication.focusWidget() or QApplication.activeWindow()
        assert target is not None
        self._count(f"key {QKeySequence(key | modifier).toString()}")
        QTest.keyClick(target, key, modifier)
        QApplication.processEvents()

    def type(self, widget: QWidget, text: str) -> None:
        """Type into the focused widget; the user must have put the focus there."""
        focused = QApplication.focusWidget()
        assert focused is widget or widget.isAncestorOf(focused), (
            f"typing into {widget.accessibleName()!r} but the focus is on "
            f"{focused.accessibleName() if focused else None!r}"
        )
        self.typed.append(text)
        type_text(widget, text)

    @property
    def characters(self) -> int:
        return sum(len(t) for t in self.typed)


def _active(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)


def test_a_threatening_call_written_up_after_the_fact(qtbot, session, main_window) -> None:
    window = main_window
    window.showNormal()
    window.resize(1366, 768)  # a laptop screen
    _active(qtbot, window)
    assert (window.width(), window.height()) == (1366, 768)
    j = Journey(qtbot, window)

    # New incident: the procedure is the profile's default, "It has ended" the default.
    j.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    _active(qtbot, dialog)
    assert dialog.procedure is Procedure.INAPPROPRIATE_INTERACTION and dialog.has_ended.isChecked()
    j.click(dialog.began)
    j.type(dialog.began, BEGAN)
    j.key(Qt.Key.Key_Tab)
    j.type(dialog.ended, ENDED)
    j.key(Qt.Key.Key_Return)  # Start the record
    editor = window.editor
    assert editor is not None and editor.timeline.checklist_mode
    editor.autosave.setInterval(30)
    _active(qtbot, window)

    # Who: a phone call (the focus starts on "How"), the consumer's name and phone.
    assert QApplication.focusWidget() is editor.who.channel
    j.key(Qt.Key.Key_P)  # "Phone call"
    assert editor.who.channel.value() is Channel.PHONE
    j.click(editor.who.name)
    j.type(editor.who.name, NAME)
    j.click(editor.who.phone)
    j.type(editor.who.phone, PHONE)

    # Grounds: a threat, against the assister.
    j.click_tab(editor.tabs.tabBar(), editor.grounds)
    threat = editor.grounds.boxes[GroundKind.THREAT]
    j.tick_group(threat)
    assert threat.targets is not None
    j.click(threat.targets.boxes[ThreatTarget.ASSISTER])

    # Words: the threat, as said; then the narrative.
    j.click_tab(editor.tabs.tabBar(), editor.words)
    j.click(editor.words.quotes.add_button)
    quote = editor.words.quotes.rows[0].first_field()
    j.type(quote, QUOTE)
    j.click_tab(editor.tabs.tabBar(), editor.narrative)
    j.click(editor.narrative.text)
    j.type(editor.narrative.text, NARRATIVE)

    # The checklist: tick a row whose default is right, else click its time and type it.
    rows = editor.timeline.checklist.rows
    for kind, typed, _shown in STEPS:
        row = rows[kind]
        if typed is None:
            j.click(row.done)
        else:
            j.click(row.at)
            j.type(row.at, typed)

    # Finalize (the click leaves the last time field: that step is added first).
    j.click(editor.finalize_button)
    finalize = editor.finalize_dialog
    assert finalize is not None
    _active(qtbot, finalize)
    incident = editor.current()
    assert [e.event for e in incident.timeline] == [kind for kind, _t, _s in STEPS]
    j.key(Qt.Key.Key_Space)  # "I confirm the attestation above" has the focus
    if finalize.needs_word:
        j.key(Qt.Key.Key_Tab)
        j.type(finalize.word, "SEAL")
    j.key(Qt.Key.Key_Return)
    record_id = incident.incident_id
    qtbot.waitUntil(lambda: session.get(record_id).is_final, timeout=5_000)

    print(
        f"\nAfter the call journey: {j.actions} actions, {j.characters} typed characters "
        f"({len(j.typed)} strings)"
    )
    print("  " + "\n  ".join(j.log))
    assert j.actions <= MAX_ACTIONS, j.log
    facts = [t for t in j.typed if t != "SEAL"]
    for i, text in enumerate(facts):
        for j_, other in enumerate(facts):
            assert i == j_ or text not in other, f"{text!r} typed again in {other!r}"

    # The sealed record: every step at the minute typed, whole minutes.
    sealed = session.get(record_id)
    assert sealed.is_final and sealed.seal is not None
    assert sealed.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") == f"{DAY} 09:40:00"
    assert sealed.ended_at is not None
    assert sealed.ended_at.astimezone().strftime("%H:%M:%S") == "09:52:00"
    assert sealed.party.name == NAME and sealed.party.phone == PHONE
    assert sealed.quotes[0].text == QUOTE and sealed.narrative == NARRATIVE
    assert [g.kind for g in sealed.grounds] == [GroundKind.THREAT]
    got = [(e.event, e.at.astimezone().strftime("%H:%M:%S")) for e in sealed.timeline]
    assert got == [(kind, f"{shown}:00") for kind, _t, shown in STEPS]
    assert all(e.at.astimezone().date() == DAY and not e.edits for e in sealed.timeline)

    # On paper: the record PDF prints each step at its minute, without seconds.
    text = " ".join(extract_text(io.BytesIO(render_pdf(session, record_id, "record"))).split())
    for _kind, _typed, shown in STEPS:
        assert shown in text
        assert f"{shown}:00" not in text
    assert NAME in text and PHONE in text
