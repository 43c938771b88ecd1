"""The list page: search as you type (full-text, debounced), filters, the lazy incident
table, and the selected record as it will print, with the actions that fit its status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from assister_log import clock
from assister_log.domain.model import Incident, Status
from assister_log.policy import wording as w
from assister_log.services.session import Session
from assister_log.services.types import Filters

from assister_log.ui.common import EnumCombo, named, search_field
from assister_log.ui.incident_model import ID_ROLE, IncidentTableModel
from assister_log.ui.record_html import record_html

SEARCH_DELAY_MS = 150


def typing_query(text: str) -> str:
    """What to search for while the user is still typing: one-letter words (``n``, ``t``) are
    left out until a second letter follows, since as a prefix each matches nearly every
    record and would stall the list for a second on 100,000 records. Enter searches the
    text exactly as typed."""
    words = text.split()
    kept = [w for w in words if len(w) > 1 or not (w.isascii() and w.isalnum())]
    return " ".join(kept)


EMPTY_HTML = (
    "<h2>No record selected</h2><p>Choose a record on the left to see it as it will print, "
    "or press <b>Ctrl+N</b> to document an interaction you ended.</p>"
)
NO_RECORDS_HTML = (
    "<h2>No records yet</h2><p>Press <b>Ctrl+N</b> (or File → New incident) to document a "
    "call or meeting you ended under MNsure's policy. Everything stays encrypted on this "
    "computer.</p>"
)


def python_date(value: QDate) -> date:
    """``QDate.toPython()``, typed (PySide6's stubs say it returns ``object``)."""
    return date(value.year(), value.month(), value.day())


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    named(edit, name)
    return edit


class ListPage(QWidget):
    edit_requested = Signal(str)
    addendum_requested = Signal(str)
    export_requested = Signal(str)
    delete_requested = Signal(str)
    new_requested = Signal()
    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.current: Incident | None = None
        # The organisation hand-off's line for a finalized record (ui.organisation).
        self.delivery_text: Callable[[Incident], str] | None = None
        self._delivery_shown = ""
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = search_field(
            "Search records", "Search names, quotes, notes, narrative…  (Ctrl+F)"
        )
        bar.addWidget(self.search, 3)
        self.procedure = EnumCombo(w.PROCEDURE_LABELS, none_label="All procedures")
        named(self.procedure, "Filter by procedure")
        bar.addWidget(self.procedure, 2)
        self.status = EnumCombo(
            {s: f"{w.STATUS_LABELS[s]} only" for s in Status}, none_label="Drafts and finalized"
        )
        named(self.status, "Filter by status")
        bar.addWidget(self.status, 1)
        layout.addLayout(bar)

        dates = QHBoxLayout()
        self.use_dates = QCheckBox("Only between")
        named(self.use_dates, "Filter by date")
        self.date_from = _date_edit("From date")
        self.date_to = _date_edit("To date")
        today = QDate.currentDate()
        self.date_from.setDate(today.addMonths(-1))
        self.date_to.setDate(today)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        self.new_button = QPushButton("&New incident…")
        named(self.new_button, "New incident")
        dates.addWidget(self.new_button)
        layout.addLayout(dates)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = IncidentTableModel(session, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        metrics = self.table.fontMetrics()
        for column, sample in enumerate(
            (
                "Finalized ",
                "Occurred (local time) ▲",
                "Inappropriate interaction (assi",
                "Abdirahman Cali X",
            )
        ):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        named(self.table, "Records")
        splitter.addWidget(self.table)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        actions = QHBoxLayout()
        self.edit_button = QPushButton("Edit &draft")
        self.addendum_button = QPushButton("Add addend&um…")
        self.export_button = QPushButton("E&xport PDF…")
        self.delete_button = QPushButton("Delete draft…")
        for button in (
            self.edit_button,
            self.addendum_button,
            self.export_button,
            self.delete_button,
        ):
            named(button, button.text().replace("&", "").replace("…", ""))
            actions.addWidget(button)
        actions.addStretch(1)
        detail_layout.addLayout(actions)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        named(self.detail, "Selected record as it will print")
        detail_layout.addWidget(self.detail, 1)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 560])
        layout.addWidget(splitter, 1)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(lambda: self.apply_search(exact=True))
        for combo in (self.procedure, self.status):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self.apply_filters)
        self.date_to.dateChanged.connect(self.apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self._open_current())
        self.table.activated.connect(lambda _index: self._open_current())
        self.model.modelReset.connect(self._after_reset)
        self.edit_button.clicked.connect(self._edit)
        self.addendum_button.clicked.connect(self._addendum)
        self.export_button.clicked.connect(self._export)
        self.delete_button.clicked.connect(self._delete)
        self.new_button.clicked.connect(self.new_requested)
        self._after_reset()

    # ------------------------------------------------------------------ filtering

    def apply_search(self, *, exact: bool = False) -> None:
        self.search_timer.stop()
        text = self.search.text()
        self.model.set_query(text if exact else typing_query(text))

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def filters(self) -> Filters:
        start = end = None
        if self.use_dates.isChecked():
            # Each end with its own day's UTC offset (a range across a DST change).
            start = clock.local_day(python_date(self.date_from.date()))[0]
            end = clock.local_day(python_date(self.date_to.date()))[1]
        return Filters(
            procedure=self.procedure.value(),
            status=self.status.value(),
            occurred_from=start,
            occurred_to=end,
        )

    def apply_filters(self) -> None:
        self.model.set_filters(self.filters())

    def refresh(self, select: str | None = None) -> None:
        keep = select or (self.current.incident_id if self.current else None)
        self.model.refresh()
        if keep:
            self.select(keep)

    def select(self, incident_id: str) -> bool:
        row = self.model.row_of(incident_id)
        if row is None:
            # Not on a page read yet: read the first page and look again.
            self.model.incident_id(0)
            row = self.model.row_of(incident_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _after_reset(self) -> None:
        self.count_changed.emit(self.model.rowCount())
        self.show_incident(None)

    # --------------------------------------------------------------------- detail

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        incident_id = current.data(ID_ROLE) if current.isValid() else None
        if incident_id is None:
            self.show_incident(None)
            return
        self.show_incident(self._session.get(incident_id))

    def show_incident(self, incident: Incident | None) -> None:
        self.current = incident
        if incident is None:
            empty = self.model.rowCount() == 0 and not self.model.query
            self.detail.setHtml(NO_RECORDS_HTML if empty else EMPTY_HTML)
        else:
            self._delivery_shown = self._delivery(incident)
            self.detail.setHtml(record_html(incident, delivery=self._delivery_shown))
        draft = incident is not None and not incident.is_final
        final = incident is not None and incident.is_final
        self.edit_button.setEnabled(draft)
        self.delete_button.setEnabled(draft)
        self.addendum_button.setEnabled(final)
        self.export_button.setEnabled(incident is not None)

    def _delivery(self, incident: Incident) -> str:
        return self.delivery_text(incident) if self.delivery_text is not None else ""

    def refresh_delivery(self) -> None:
        """The delivery state may have changed: show it again if it did, where the reader
        was in the record."""
        incident = self.current
        if incident is None or self._delivery(incident) == self._delivery_shown:
            return
        bar = self.detail.verticalScrollBar()
        where = bar.value()
        self.show_incident(incident)
        bar.setValue(where)

    def _open_current(self) -> None:
        if self.current is None:
            return
        if self.current.is_final:
            self.detail.setFocus()
        else:
            self.edit_requested.emit(self.current.incident_id)

    def _edit(self) -> None:
        if self.current is not None:
            self.edit_requested.emit(self.current.incident_id)

    def _addendum(self) -> None:
        if self.current is not None:
            self.addendum_requested.emit(self.current.incident_id)

    def _export(self) -> None:
        if self.current is not None:
            self.export_requested.emit(self.current.incident_id)

    def _delete(self) -> None:
        if self.current is not None:
            self.delete_requested.emit(self.current.incident_id)

    def wipe(self) -> None:
        self.search_timer.stop()
        self.current = None
        self.model.clear()
