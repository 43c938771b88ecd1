"""A new passphrase typed twice, with feedback on every keystroke: its length against the
minimum, and whether it is on the list of common passwords or a trivial pattern. The rules
are ``assister_log.passphrase``'s; this widget only shows them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from assister_log import passphrase as rules

from assister_log.ui.common import add_row, named, secret_field, wrapped


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
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._ok = False
        self._update()

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
        ok = check.ok and matches
        self._ok = ok
        self.changed.emit(ok)
