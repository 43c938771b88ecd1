"""Words used (quotes, marked verbatim or paraphrase), witnesses, and the narrative.

Quotes and witnesses are edited in place, one row each. A quote is stored once it has
words, a witness once it has a name (the record format requires both)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Incident, Quote, Witness
from assister_log.policy import wording as w

from assister_log.ui.common import (
    NARRATIVE_TEXT,
    EnumCombo,
    line_edit,
    named,
    text_edit,
    tidy,
    wrapped,
)

Item = TypeVar("Item")  # what a row holds: a Quote or a Witness


class EditRow(QFrame, Generic[Item]):
    """One editable row of a ``RowList``, holding an ``Item`` (a quote or a witness)."""

    changed = Signal()
    remove = Signal(object)

    def number(self, n: int) -> None:
        raise NotImplementedError

    def load(self, item: Item) -> None:
        raise NotImplementedError

    def item(self) -> Item | None:
        """What the row holds, or None if it is left empty."""
        raise NotImplementedError

    def first_field(self) -> QWidget:
        raise NotImplementedError


class QuoteRow(EditRow[Quote]):
    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        self.caption = QLabel()
        self.text = text_edit("Words", lines=2, placeholder="The words, as said")
        self.speaker = line_edit("Speaker", placeholder="e.g. Consumer, Caller")
        self.kind = EnumCombo(w.QUOTE_LABELS)
        self.language = line_edit("Language", placeholder="Language, if not English")
        self.remove_button = QPushButton("Remove")
        grid.addWidget(self.caption, 0, 0, 1, 4)
        grid.addWidget(self.text, 1, 0, 1, 4)
        grid.addWidget(self.speaker, 2, 0)
        grid.addWidget(self.kind, 2, 1)
        grid.addWidget(self.language, 2, 2)
        grid.addWidget(self.remove_button, 2, 3)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(2, 1)
        self.text.textChanged.connect(self.changed)
        self.speaker.textEdited.connect(self.changed)
        self.language.textEdited.connect(self.changed)
        self.kind.currentIndexChanged.connect(self.changed)
        self.remove_button.clicked.connect(lambda: self.remove.emit(self))

    def number(self, n: int) -> None:
        self.caption.setText(f"Quote {n}")
        named(self.text, f"Quote {n}: words")
        named(self.speaker, f"Quote {n}: speaker")
        named(self.kind, f"Quote {n}: verbatim or paraphrase")
        named(self.language, f"Quote {n}: language")
        named(self.remove_button, f"Remove quote {n}")

    def load(self, quote: Quote) -> None:
        self.text.setPlainText(quote.text)
        self.speaker.setText(quote.speaker)
        self.kind.set_value(quote.kind)
        self.language.setText(quote.language)

    def first_field(self) -> QWidget:
        return self.text

    def item(self) -> Quote | None:
        text = tidy(self.text.toPlainText(), multiline=True)
        if not text.strip():
            return None
        return Quote(
            speaker=tidy(self.speaker.text()).strip(),
            text=text,
            kind=self.kind.value(),
            language=tidy(self.language.text()).strip(),
        )


class WitnessRow(EditRow[Witness]):
    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.name = line_edit("Name", placeholder="Name")
        self.role = line_edit("Role", placeholder="Role, e.g. site coordinator")
        self.contact = line_edit("Contact", placeholder="Phone or email")
        self.remove_button = QPushButton("Remove")
        for widget in (self.name, self.role, self.contact):
            row.addWidget(widget, 1)
            widget.textEdited.connect(self.changed)
        row.addWidget(self.remove_button)
        self.remove_button.clicked.connect(lambda: self.remove.emit(self))

    def number(self, n: int) -> None:
        named(self.name, f"Witness {n}: name")
        named(self.role, f"Witness {n}: role")
        named(self.contact, f"Witness {n}: contact")
        named(self.remove_button, f"Remove witness {n}")

    def load(self, witness: Witness) -> None:
        self.name.setText(witness.name)
        self.role.setText(witness.role)
        self.contact.setText(witness.contact)

    def first_field(self) -> QWidget:
        return self.name

    def item(self) -> Witness | None:
        name = tidy(self.name.text()).strip()
        if not name:
            return None
        return Witness(
            name=name,
            contact=tidy(self.contact.text()).strip(),
            role=tidy(self.role.text()).strip(),
        )


class RowList(QGroupBox, Generic[Item]):
    """A titled list of editable rows with an Add button."""

    changed = Signal()

    def __init__(self, title: str, add_text: str, factory: Callable[[], EditRow[Item]]) -> None:
        super().__init__(title)
        named(self, title)
        self._factory = factory
        layout = QVBoxLayout(self)
        self._rows_layout = QVBoxLayout()
        layout.addLayout(self._rows_layout)
        self.add_button = QPushButton(add_text)
        named(self.add_button, add_text)
        self.add_button.clicked.connect(self.add_focused)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.rows: list[EditRow[Item]] = []

    def add(self) -> EditRow[Item]:
        row = self._factory()
        row.changed.connect(self.changed)
        row.remove.connect(self._remove)
        self._rows_layout.addWidget(row)
        self.rows.append(row)
        self._renumber()
        return row

    def add_focused(self) -> None:
        row = self.add()
        row.first_field().setFocus()
        self.changed.emit()

    def _remove(self, row: EditRow[Item]) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._renumber()
        self.add_button.setFocus()
        self.changed.emit()

    def _renumber(self) -> None:
        for i, row in enumerate(self.rows, 1):
            row.number(i)

    def set_items(self, items: Sequence[Item]) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for item in items:
            row = self.add()
            row.blockSignals(True)
            row.load(item)
            row.blockSignals(False)


class WordsSection(QScrollArea):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        named(self, "Words and witnesses")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(
            wrapped(
                "Write the person's exact words where you remember them and mark them "
                "verbatim; otherwise mark them as a paraphrase. Any language and script is fine."
            )
        )
        self.quotes: RowList[Quote] = RowList("Words used", "Add a &quote", QuoteRow)
        self.witnesses: RowList[Witness] = RowList("Witnesses", "Add a witne&ss", WitnessRow)
        layout.addWidget(self.quotes)
        layout.addWidget(self.witnesses)
        layout.addStretch(1)
        self.setWidget(inner)
        self.quotes.changed.connect(self.changed)
        self.witnesses.changed.connect(self.changed)

    def load(self, incident: Incident) -> None:
        self.quotes.set_items(incident.quotes)
        self.witnesses.set_items(incident.witnesses)

    def apply(self, incident: Incident) -> Incident:
        quotes = tuple(q for q in (row.item() for row in self.quotes.rows) if q)
        witnesses = tuple(x for x in (row.item() for row in self.witnesses.rows) if x)
        return replace(incident, quotes=quotes, witnesses=witnesses)


class NarrativeSection(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "The record's main text: what happened, in time order and in plain words: what "
                "was said and done, who was present, what you did and why. Stick to what you saw "
                "and heard. Write it once here; ground details and step notes are optional."
            )
        )
        self.text = text_edit("Narrative", lines=12, limit=NARRATIVE_TEXT)
        layout.addWidget(self.text, 1)
        self.text.textChanged.connect(self.changed)

    def load(self, incident: Incident) -> None:
        self.text.blockSignals(True)
        self.text.setPlainText(incident.narrative)
        self.text.blockSignals(False)

    def apply(self, incident: Incident) -> Incident:
        return replace(incident, narrative=tidy(self.text.toPlainText(), multiline=True))
