"""A new passphrase typed twice, with feedback on every keystroke: its length against the
minimum, and whether it is on the list of common passwords or a trivial pattern. The rules
are ``assister_log.passphrase``'s; this widget only shows them. What is wrong is also told to
the screen reader (an assertive announcement), once the typing pauses or the field is left,
and only when it is new: not at every keystroke, and not again while it stays the same."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from assister_log import passphrase as rules

from assister_log.ui.accessible import announce
from assister_log.ui.common import add_row, named, secret_field, wrapped

ANNOUNCE_PAUSE_MS = 800  # what is wrong is said once the typing stops this long


class PassphraseFields(QWidget):
    changed = Signal(bool)  # acceptable and confirmed

    def __init__(self, label: str = "New passphrase", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.first = secret_field(label)
        self.second = secret_field("Repeat the passphrase")
        add_row(form, f"{label}:", self.first)
        add_row(form, "Repeat it:", self.second)
        layout.addLayout(form)
        self.show_box = QCheckBox("Show what I type")
        named(self.show_box, "Show what I type")
        self.show_box.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_box)
        self.feedback = wrapped()
        self.feedback.setObjectName("passphraseFeedback")
        self.match = QLabel()
        self.match.setWordWrap(True)
        layout.addWidget(self.feedback)
        layout.addWidget(self.match)
        # What is wrong, per field: (what kind of problem, the text to say); the kind
        # ignores the character count, so a passphrase still too short is not said again.
        self._problems: dict[QLabel, list[tuple[str, str]]] = {}
        self._said: dict[QLabel, set[str]] = {}
        self.announce_timer = QTimer(self)
        self.announce_timer.setSingleShot(True)
        self.announce_timer.setInterval(ANNOUNCE_PAUSE_MS)
        self.announce_timer.timeout.connect(self.announce_problems)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self.first.editingFinished.connect(self.announce_problems)
        self.second.editingFinished.connect(self.announce_problems)
        self._ok = False
        self._update()
        self.announce_timer.stop()  # nothing typed yet: nothing to say

    @property
    def passphrase(self) -> str:
        return self.first.text()

    @property
    def ok(self) -> bool:
        return self._ok

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
        self.show_box.setChecked(False)
        self.announce_timer.stop()
        self._said.clear()

    def announce_problems(self) -> None:
        """Say what is wrong now and was not wrong when last said (per field)."""
        self.announce_timer.stop()
        for label in (self.feedback, self.match):
            problems = self._problems.get(label, [])
            said = self._said.get(label, set())
            new = [text for kind, text in problems if kind not in said]
            if new:
                announce(label, " ".join(new), assertive=True)
            self._said[label] = {kind for kind, _text in problems}

    def _toggle_echo(self, show: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if show else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _update(self) -> None:
        text = self.first.text()
        check = rules.check_passphrase(text)
        minimum = rules.MIN_LENGTH
        if check.length == 0:
            lines = [
                f"Use at least {minimum} characters. A few unrelated words are easy to "
                "remember and hard to guess, e.g. “river lamp orange Tuesday”."
            ]
        elif check.ok:
            lines = [
                f"✓ {check.length} characters (at least {minimum}).",
                "✓ Not a common password or a simple pattern.",
            ]
        else:
            lines = [f"✗ {problem}" for problem in check.problems]
            if not check.too_short:
                lines.insert(0, f"✓ {check.length} characters (at least {minimum}).")
        problems = check.problems if check.length else ()
        length = "too short" if check.too_short else "too long" if check.too_long else ""
        self._problems[self.feedback] = [
            (length if i == 0 and length else p, p) for i, p in enumerate(problems)
        ]
        self.feedback.setText("\n".join(lines))
        self.first.setAccessibleDescription(" ".join(lines))
        again = self.second.text()
        if not again:
            self.match.setText("Type the passphrase again to confirm it.")
            matches = False
        elif again == text:
            self.match.setText("✓ The two entries match.")
            matches = True
        else:
            self.match.setText("✗ The two entries differ.")
            matches = False
        self.second.setAccessibleDescription(self.match.text())
        differ = bool(again) and not matches
        self._problems[self.match] = [("differ", "The two entries differ.")] if differ else []
        self.announce_timer.start()
        ok = check.ok and matches
        self._ok = ok
        self.changed.emit(ok)
