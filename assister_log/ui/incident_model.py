"""The incident list as a lazy table model: ``count()`` gives the row count, rows are read
in pages of 200 with ``Session.list(limit, offset)`` only when the view asks for them, and
only a few pages are kept. 100,000 records cost one count and one page to show."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from assister_log.domain.model import GroundKind
from assister_log.policy import wording as w
from assister_log.services.session import Session
from assister_log.services.types import Filters, Summary

PAGE_SIZE = 200
KEEP_PAGES = 16

# (sort key from storage.vault.SORT_COLUMNS, header)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "Status"),
    ("occurred", "Occurred (local time)"),
    ("procedure", "Procedure"),
    ("party", "Other party"),
    ("grounds", "Grounds"),
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _local(utc_text: str) -> str:
    try:
        return datetime.fromisoformat(utc_text).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return utc_text


def _grounds(values: str) -> str:
    labels = []
    for value in (v.strip() for v in values.split(",")):
        if not value:
            continue
        try:
            labels.append(w.GROUND_LABELS[GroundKind(value)])
        except ValueError:
            labels.append(value)
    return "; ".join(labels)


def _row(s: Summary) -> tuple[str, tuple[str, ...]]:
    return s.incident_id, (
        w.STATUS_LABELS[s.status],
        _local(s.occurred_utc),
        w.PROCEDURE_LABELS[s.procedure],
        s.party_name or "(not named)",
        _grounds(s.grounds) or "(none yet)",
    )


class IncidentTableModel(QAbstractTableModel):
    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(parent)
        self._session: Session | None = session
        self._filters = Filters()
        self._query = ""
        self._sort = "occurred"
        self._descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[tuple[str, tuple[str, ...]]]] = OrderedDict()
        self.refresh()

    # ------------------------------------------------------------------ what to show

    @property
    def query(self) -> str:
        return self._query

    @property
    def filters(self) -> Filters:
        return self._filters

    def set_query(self, query: str) -> None:
        if query != self._query:
            self._query = query
            self.refresh()

    def set_filters(self, filters: Filters) -> None:
        if filters != self._filters:
            self._filters = filters
            self.refresh()

    def refresh(self) -> None:
        """Re-count and drop cached pages (after a save, a search or a new sort)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = (
            self._session.count(self._filters, self._query) if self._session is not None else 0
        )
        self.endResetModel()

    def clear(self) -> None:
        """Forget everything (the vault is locking)."""
        self.beginResetModel()
        self._session = None
        self._pages.clear()
        self._count = 0
        self.endResetModel()

    # --------------------------------------------------------------------- paging

    def _page(self, number: int) -> list[tuple[str, tuple[str, ...]]]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if self._session is None:
            return []
        summaries = self._session.list(
            self._filters,
            self._query,
            sort=self._sort,
            descending=self._descending,
            limit=PAGE_SIZE,
            offset=number * PAGE_SIZE,
        )
        page = [_row(s) for s in summaries]
        self._pages[number] = page
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        return page

    def _entry(self, row: int) -> tuple[str, tuple[str, ...]] | None:
        if not 0 <= row < self._count:
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def incident_id(self, row: int) -> str | None:
        entry = self._entry(row)
        return entry[0] if entry else None

    def row_of(self, incident_id: str) -> int | None:
        """The row of a record among the pages already read (None if not loaded)."""
        for number, page in self._pages.items():
            for offset, (rid, _) in enumerate(page):
                if rid == incident_id:
                    return number * PAGE_SIZE + offset
        return None

    # ---------------------------------------------------------------- model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            entry = self._entry(index.row())
            return entry[1][index.column()] if entry else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            entry = self._entry(index.row())
            return f"{COLUMNS[index.column()][1]}: {entry[1][index.column()]}" if entry else None
        if role == ID_ROLE:
            entry = self._entry(index.row())
            return entry[0] if entry else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, descending = COLUMNS[column][0], order is Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return  # the view announcing the default order: nothing to re-read
        self._sort, self._descending = key, descending
        self.refresh()
