"""Organisation → Delivery queue…: where sealed entries go, how many are queued, sent
(awaiting the organisation's receipt) and received, and each entry still queued with its
tries, next try and last error (``assister-log org status`` in a window). Send now runs
the same background send as the menu."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assister_log.services import org
from assister_log.services.session import Session

from assister_log.ui.common import heading, local_text, named, wrapped
from assister_log.ui.geometry import fit_dialog
from assister_log.ui.organisation import OrganisationActions

COLUMNS = ("Entry", "Kind", "Record ID", "Tries", "Next try", "Last error")
KIND_LABELS = {"finalize": "Finalized record", "addendum": "Addendum", "purge": "Purge"}


def local_time(utc_text: str | None) -> str:
    if not utc_text:
        return ""
    try:
        return local_text(datetime.fromisoformat(utc_text))
    except ValueError:
        return utc_text


def _item(text: str, *, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class QueueDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, session: Session, actions: OrganisationActions
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Delivery queue")
        named(self, "Delivery queue")
        self._session = session
        self._actions = actions
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Delivery queue"))
        form = QFormLayout()
        self.organisation = wrapped(selectable=True)
        self.destination = wrapped(selectable=True)
        self.queued = QLabel()
        self.sent = QLabel()
        self.received = QLabel()
        form.addRow("Organisation:", self.organisation)
        form.addRow("Destination:", self.destination)
        form.addRow("Queued:", self.queued)
        form.addRow("Sent, awaiting a receipt:", self.sent)
        form.addRow("Received:", self.received)
        layout.addLayout(form)
        layout.addWidget(
            wrapped(
                "Entries waiting to be sent, oldest first. The app sends them by itself every "
                "two minutes while the vault is unlocked; after a failure it waits 1, 2, 4 … "
                "minutes (at most an hour) before the next try."
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        named(self.table, "Entries waiting to be sent")
        layout.addWidget(self.table, 1)
        self.status = wrapped(selectable=True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.send_button = buttons.addButton("&Send now", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        for each in buttons.buttons():
            named(each, each.text())
        self.send_button.clicked.connect(self.send_now)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.send_button.setDefault(True)
        actions.changed.connect(self.refresh)
        fit_dialog(self, QSize(960, 540))
        self.refresh()

    def send_now(self) -> None:
        self._actions.send_now()
        self.refresh()

    def refresh(self) -> None:
        state = org.queue_state(self._session)
        joined = state.joined
        if joined is None:
            self.organisation.setText("Not joined to an organisation")
            self.destination.setText("—")
        else:
            self.organisation.setText(
                f"{joined.profile.name} (profile fingerprint {joined.profile.fingerprint})"
            )
            self.destination.setText(org.describe_destination(joined.destination))
        self.queued.setText(f"{state.queued:,}")
        self.sent.setText(f"{state.sent:,}")
        self.received.setText(f"{state.received:,}")
        self.table.setRowCount(len(state.pending))
        for row, entry in enumerate(state.pending):
            cells = (
                _item(str(entry.position), right=True),
                _item(KIND_LABELS.get(entry.kind, entry.kind)),
                _item(entry.incident_id),
                _item(str(entry.attempts), right=True),
                _item(local_time(entry.next_attempt_at) or ("now" if entry.attempts else "")),
                _item(entry.last_error or ""),
            )
            for column, cell in enumerate(cells):
                if column == len(COLUMNS) - 1 and entry.last_error:
                    cell.setToolTip(entry.last_error)
                self.table.setItem(row, column, cell)
        sending = self._actions.sending
        self.send_button.setEnabled(joined is not None and not sending)
        self.status.setText(
            f"Sending to {joined.profile.name}…"
            if sending and joined is not None
            else self._actions.last_result
        )
