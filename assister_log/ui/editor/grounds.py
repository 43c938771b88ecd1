"""Grounds: one box per ground the procedure offers, each with the policy's own wording and
the sub-cases the policy distinguishes (whom a threat targeted, what the abusive language was
about and how often, what an insisting person wanted and where they were directed, what
information seemed fraudulent)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import Enum
from typing import Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Ground, GroundKind, Incident, Procedure
from assister_log.policy import wording as w
from assister_log.policy.procedures import spec

from assister_log.ui.common import EnumCombo, add_row, named, policy_text, text_edit, tidy, wrapped

E = TypeVar("E", bound=Enum)


class ChoiceGrid(QWidget, Generic[E]):
    """Checkboxes for a set of enum values, in two columns."""

    changed = Signal()

    def __init__(self, labels: Mapping[E, str], group_name: str, columns: int = 2) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[E, QCheckBox] = {}
        for i, (value, label) in enumerate(labels.items()):
            box = QCheckBox(label)
            named(box, label, group_name)
            box.toggled.connect(self.changed)
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[value] = box
        named(self, group_name)

    def values(self) -> tuple[E, ...]:
        return tuple(v for v, box in self.boxes.items() if box.isChecked())

    def set_values(self, values: tuple[E, ...]) -> None:
        for value, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(value in values)
            box.blockSignals(False)


class GroundBox(QGroupBox):
    changed = Signal()

    def __init__(self, kind: GroundKind) -> None:
        super().__init__(w.GROUND_LABELS[kind])
        self.kind = kind
        self.setCheckable(True)
        self.setChecked(False)
        named(self, w.GROUND_LABELS[kind], "Check if this ground applies")
        layout = QVBoxLayout(self)
        layout.addWidget(policy_text(f"Policy: “{w.ground_quote(kind)}”"))
        form = QFormLayout()
        layout.addLayout(form)
        self.targets = self.categories = self.redirections = self.fraud_types = None
        self.occurrences = self.wish = self.information = self.acknowledged = None
        if kind is GroundKind.THREAT:
            self.targets = ChoiceGrid(w.TARGET_LABELS, "Threat was against")
            form.addRow(QLabel("Against (all that apply):"), self.targets)
            self.targets.changed.connect(self.changed)
        elif kind is GroundKind.VERBAL_ABUSE:
            self.categories = ChoiceGrid(w.ABUSE_LABELS, "What the language was about")
            form.addRow(QLabel("Language:"), self.categories)
            self.categories.changed.connect(self.changed)
            self.occurrences = QSpinBox()
            self.occurrences.setRange(0, 1_000_000)
            add_row(
                form,
                "How many times:",
                self.occurrences,
                w.ABUSE_REPEATED_HINT,
            )
            self.occurrences.valueChanged.connect(self.changed)
        elif kind is GroundKind.UNRELATED_MATTERS:
            self.wish = EnumCombo(w.WISH_LABELS, none_label="(not said)")
            add_row(form, "What they wanted:", self.wish)
            self.wish.currentIndexChanged.connect(self.changed)
            self.redirections = ChoiceGrid(w.REDIRECTION_LABELS, "Where they were directed", 1)
            form.addRow(QLabel("Directed to:"), self.redirections)
            self.redirections.changed.connect(self.changed)
            form.addRow(wrapped(w.REDIRECTION_HINT))
        elif kind is GroundKind.SUSPECTED_FRAUD:
            self.information = text_edit("What information seemed fraudulent", lines=2)
            add_row(form, "Information:", self.information)
            self.information.textChanged.connect(self.changed)
            self.acknowledged = QCheckBox(
                "The consumer acknowledged it is false and asked me to enter it"
            )
            named(self.acknowledged, self.acknowledged.text())
            form.addRow(self.acknowledged)
            self.acknowledged.toggled.connect(self.changed)
            self.fraud_types = ChoiceGrid(w.FRAUD_TYPE_LABELS, "Type of suspected fraud")
            form.addRow(QLabel("Type:"), self.fraud_types)
            self.fraud_types.changed.connect(self.changed)
        # Describe once: the narrative is the record's main text; this is for what is
        # particular to this ground and not already there.
        self.detail = text_edit(
            "Details (optional)",
            lines=3,
            placeholder="Optional: only what the narrative does not say",
        )
        add_row(form, "Details (optional):", self.detail)
        self.detail.textChanged.connect(self.changed)
        self.toggled.connect(self.changed)

    def load(self, ground: Ground | None) -> None:
        self.blockSignals(True)
        self.setChecked(ground is not None)
        self.blockSignals(False)
        g = ground or Ground(self.kind)
        for edit, text in ((self.detail, g.detail), (self.information, g.information)):
            if edit is not None:
                edit.blockSignals(True)
                edit.setPlainText(text)
                edit.blockSignals(False)
        if self.targets is not None:
            self.targets.set_values(g.targets)
        if self.categories is not None:
            self.categories.set_values(g.categories)
        if self.redirections is not None:
            self.redirections.set_values(g.redirections)
        if self.fraud_types is not None:
            self.fraud_types.set_values(g.fraud_types)
        if self.occurrences is not None:
            self.occurrences.blockSignals(True)
            self.occurrences.setValue(g.occurrences)
            self.occurrences.blockSignals(False)
        if self.wish is not None:
            self.wish.blockSignals(True)
            self.wish.set_value(g.wish)
            self.wish.blockSignals(False)
        if self.acknowledged is not None:
            self.acknowledged.blockSignals(True)
            self.acknowledged.setChecked(g.acknowledged_false)
            self.acknowledged.blockSignals(False)

    def ground(self) -> Ground | None:
        if not self.isChecked():
            return None
        return Ground(
            kind=self.kind,
            detail=tidy(self.detail.toPlainText(), multiline=True),
            targets=self.targets.values() if self.targets else (),
            categories=self.categories.values() if self.categories else (),
            occurrences=self.occurrences.value() if self.occurrences else 0,
            wish=self.wish.value() if self.wish else None,
            redirections=self.redirections.values() if self.redirections else (),
            information=(
                tidy(self.information.toPlainText(), multiline=True) if self.information else ""
            ),
            acknowledged_false=self.acknowledged.isChecked() if self.acknowledged else False,
            fraud_types=self.fraud_types.values() if self.fraud_types else (),
        )


class GroundsSection(QScrollArea):
    changed = Signal()

    def __init__(self, procedure: Procedure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        named(self, "Grounds")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(
            wrapped(
                "Check each ground that applies. The policy's own words are under each one; "
                "the compliance panel says what else the policy asks for."
            )
        )
        self.boxes: dict[GroundKind, GroundBox] = {}
        for kind in spec(procedure).grounds:
            box = GroundBox(kind)
            box.changed.connect(self.changed)
            layout.addWidget(box)
            self.boxes[kind] = box
        layout.addStretch(1)
        self.setWidget(inner)

    def load(self, incident: Incident) -> None:
        for kind, box in self.boxes.items():
            box.load(incident.ground(kind))

    def apply(self, incident: Incident) -> Incident:
        # Grounds this procedure does not offer (e.g. imported from JSON) are kept as they are.
        kept = [g for g in incident.grounds if g.kind not in self.boxes]
        chosen = [g for g in (box.ground() for box in self.boxes.values()) if g is not None]
        return replace(incident, grounds=(*chosen, *kept))
