"""Organisation → Inbox…, in an organisation's vault: the records received from every author
(search by name, case number, record id, author or site), the selected one as it was sealed,
Export PDF… (signed by the organisation's key; its seal block shows the author's seal and
the receipt), Import now, and the envelopes an import refused, with the reason. The CLI's
``org inbox``, ``org export`` and the refusals of ``org report``, in a window."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import GroundKind, Incident, Procedure
from assister_log.errors import KnownError
from assister_log.policy import wording as w
from assister_log.services import export, org
from assister_log.services.session import Session

from assister_log.ui import errors
from assister_log.ui.common import (
    heading,
    local_text,
    named,
    search_field,
    secret_field,
    wrapped,
)
from assister_log.ui.export_dialog import MIN_PASSWORD
from assister_log.ui.files import FileChooser
from assister_log.ui.geometry import fit_dialog
from assister_log.ui.organisation import OrganisationActions, one_line
from assister_log.ui.record_html import record_html
from assister_log.ui.tasks import TaskRunner

COLUMNS = ("Record ID", "State", "Occurred", "Procedure", "Other party", "Grounds", "Author")
STATE_LABELS = {"held": "Received", "purged": "Purged"}
SEARCH_DELAY_MS = 150
PURGED_HTML = (
    "<h2>Purged</h2><p>Its author purged this record after the retention period: only the "
    "signed purge statement is kept, not the record.</p>"
)
EMPTY_HTML = "<p>Choose a record above to read it as its author sealed it.</p>"


def first_pdf_kind(incident: Incident) -> str:
    """The document Export PDF… writes: the first PDF the record's procedure calls for."""
    return next(k for k in export.kinds_for(incident) if k in export.PDF_KINDS)


def _occurred(utc_text: str) -> str:
    try:
        return local_text(datetime.fromisoformat(utc_text))
    except ValueError:
        return utc_text


def _procedure(value: str) -> str:
    try:
        return w.PROCEDURE_LABELS[Procedure(value)]
    except ValueError:
        return value


def _grounds(values: str) -> str:
    labels = []
    for value in (v for v in values.split(",") if v):
        try:
            labels.append(w.GROUND_LABELS[GroundKind(value)])
        except ValueError:
            labels.append(value)
    return "; ".join(labels)


def row_cells(record: Any) -> tuple[str, ...]:
    """A received record (``services.org.inbox_records``) as the inbox table shows it."""
    return (
        record.incident_id,
        STATE_LABELS.get(record.state, record.state),
        _occurred(record.occurred_utc),
        _procedure(record.procedure),
        record.party_name or ("" if record.state == "purged" else "(not named)"),
        _grounds(record.grounds),
        f"{record.author_name} · key {record.author[:8].upper()}",
    )


class InboxDialog(QDialog):
    exported = Signal(object)  # Path

    def __init__(
        self,
        parent: QWidget | None,
        session: Session,
        files: FileChooser,
        runner: TaskRunner,
        actions: OrganisationActions,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Inbox")
        named(self, "Inbox")
        self._session = session
        self._files = files
        self._runner = runner
        self._actions = actions
        self.rows: list[Any] = []  # services.org.inbox_records
        self.incident: Incident | None = None  # the selected record, rebuilt from its bundle
        organisation = org.require_organisation(session)
        fingerprint = org.profile_of(session, organisation).fingerprint
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Inbox of {organisation.name}"))
        self.about = wrapped(
            f"Profile fingerprint {fingerprint} · "
            f"{org.describe_destination(organisation.destination)}",
            selectable=True,
        )
        layout.addWidget(self.about)

        bar = QHBoxLayout()
        search_label = QLabel("&Search:")
        self.search = search_field(
            "Search the inbox", "Name, case number, record ID, author or site"
        )
        search_label.setBuddy(self.search)
        self.import_button = QPushButton("&Import now")
        named(self.import_button, "Import now")
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column in (3, 4, 5)
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        named(self.table, "Received records")
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        named(self.detail, "Selected record as its author sealed it")
        splitter.addWidget(self.detail)
        splitter.setSizes([220, 300])
        layout.addWidget(splitter, 1)
        self.count = QLabel()
        layout.addWidget(self.count)

        self.problems_button = QPushButton("Show &problems")
        self.problems_button.setCheckable(True)
        named(self.problems_button, "Show problems", "Envelopes an import refused, and why")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setTabChangesFocus(True)
        self.problems.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 16)
        self.problems.setVisible(False)
        named(self.problems, "Refused envelopes")

        export_row = QHBoxLayout()
        password_label = QLabel("PDF pass&word (optional):")
        self.password = secret_field("PDF password (optional)")
        password_label.setBuddy(self.password)
        self.password.setToolTip(
            f"At least {MIN_PASSWORD} characters; leave it empty for a plaintext PDF that "
            "anyone who gets the file can read."
        )
        self.export_button = QPushButton("&Export PDF…")
        named(self.export_button, "Export PDF")
        export_row.addWidget(self.problems_button)
        export_row.addStretch(1)
        export_row.addWidget(password_label)
        export_row.addWidget(self.password)
        export_row.addWidget(self.export_button)
        layout.addLayout(export_row)
        layout.addWidget(self.problems)
        self.status = wrapped(selectable=True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        named(self.close_button, "Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.import_button.clicked.connect(self.import_now)
        self.export_button.clicked.connect(self.choose_export)
        self.problems_button.toggled.connect(self._toggle_problems)
        actions.changed.connect(self._after_import)
        fit_dialog(self, QSize(1180, 700))
        self.refresh()
        self.refresh_problems()

    # ------------------------------------------------------------------ the list

    def refresh(self) -> None:
        self.search_timer.stop()
        keep = self.current.incident_id if self.current is not None else None
        self.rows = org.inbox_records(self._session, self.search.text())
        self.table.setRowCount(len(self.rows))
        for row, record in enumerate(self.rows):
            for column, text in enumerate(row_cells(record)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        self.count.setText(
            f"{len(self.rows):,} record{'' if len(self.rows) == 1 else 's'}"
            + (" match" if self.search.text().strip() else " received")
        )
        rows = [i for i, r in enumerate(self.rows) if r.incident_id == keep]
        if rows:
            self.table.selectRow(rows[0])
        self._selected()

    @property
    def current(self) -> Any:
        selected = self.table.selectionModel().selectedRows() if self.table.model() else []
        if not selected or selected[0].row() >= len(self.rows):
            return None
        return self.rows[selected[0].row()]

    def _selected(self) -> None:
        record = self.current
        self.incident = None
        if record is None:
            self.detail.setHtml(EMPTY_HTML)
        elif record.state == "purged":
            self.detail.setHtml(PURGED_HTML)
        else:
            try:
                self.incident, _bundle = org.received_incident(self._session, record)
            except KnownError as error:
                self.detail.setPlainText(error.message)
            else:
                self.detail.setHtml(record_html(self.incident))
        self.export_button.setEnabled(self.incident is not None)

    def _after_import(self) -> None:
        self.import_button.setEnabled(not self._actions.importing)
        self.status.setText(self._actions.last_result)
        self.refresh()
        self.refresh_problems()

    def import_now(self) -> None:
        self._actions.import_now()
        self.import_button.setEnabled(not self._actions.importing)

    # ------------------------------------------------------------------ problems

    def refresh_problems(self) -> None:
        problems = org.report(self._session).problems
        self.problems_button.setText(
            f"Show &problems ({len(problems)})" if problems else "Show &problems"
        )
        named(self.problems_button, f"Show problems ({len(problems)})")
        lines = [f"{_occurred(p.last_seen)}  {p.kind}: {p.problem}" for p in problems] or [
            "No envelope was refused."
        ]
        self.problems.setPlainText("\n".join(lines))

    def _toggle_problems(self, on: bool) -> None:
        if on:
            self.refresh_problems()
        self.problems.setVisible(on)

    # -------------------------------------------------------------------- export

    def choose_export(self) -> None:
        record, incident = self.current, self.incident
        if record is None or incident is None:
            return
        password = self.password.text()
        if password and len(password) < MIN_PASSWORD:
            self.status.setText(
                f"Use a PDF password of at least {MIN_PASSWORD} characters, or leave it empty "
                "for a plaintext PDF."
            )
            return
        kind = first_pdf_kind(incident)
        self._files.save_file(
            self,
            "Save the PDF",
            export.suggested_filename(kind, incident),
            "PDF files (*.pdf)",
            "pdf",
            lambda path: self.export_to(record, kind, path, password or None),
        )

    def export_to(self, record: Any, kind: str, path: Path, password: str | None) -> None:
        session = self._session
        self.export_button.setEnabled(False)
        self.status.setText(f"Writing the PDF of {record.incident_id}…")
        self._runner.run(
            lambda: org.export_received(
                session, record.incident_id, kind, path, author=record.author, password=password
            ),
            self._exported,
            self._export_failed,
        )

    def _exported(self, path: Path) -> None:
        self.password.clear()
        self.export_button.setEnabled(self.incident is not None)
        self.status.setText(f"PDF saved: {path}")
        self.exported.emit(path)

    def _export_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(self.incident is not None)
        if isinstance(error, KnownError):
            self.status.setText(one_line(f"The PDF was not written: {error.message}"))
        else:
            self.status.setText("")
            errors.handle(self, error)
