"""Attachments: files added into the vault encrypted (``Session.attach_file``), each with its
SHA-256, and images previewed (decoded only when selected, scaled down)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.domain.model import Attachment, Incident
from assister_log.services.session import Session

from assister_log.ui.common import add_row, confirm, line_edit, monospace, named, tidy, wrapped
from assister_log.ui.files import FileChooser

PREVIEW = QSize(360, 240)


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


class AttachmentsSection(QWidget):
    """``flush`` saves the editor's draft first (an attachment is stored against the saved
    draft); ``attached`` carries the new attachments tuple."""

    attached = Signal(object)

    def __init__(
        self,
        session: Session,
        files: FileChooser,
        flush: Callable[[], bool],
        get_incident: Callable[[], Incident],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._files = files
        self._flush = flush
        self._get = get_incident
        self._on_error = on_error
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "Files you add are copied into the vault, encrypted; the original stays where "
                "it is. The SHA-256 fingerprint printed on the record proves a copy is unchanged."
            )
        )
        add = QFormLayout()
        self.description = line_edit("Description of the next file")
        add_row(add, "Description:", self.description, "Optional; saved with the next file")
        layout.addLayout(add)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add a f&ile…")
        self.remove_button = QPushButton("Remove")
        named(self.add_button, "Add a file")
        named(self.remove_button, "Remove the selected attachment")
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.list = QListWidget()
        named(self.list, "Attachments")
        layout.addWidget(self.list, 1)
        self.sha = QLabel()
        self.sha.setFont(monospace())
        self.sha.setWordWrap(True)
        self.sha.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sha)
        self.preview = QLabel()
        named(self.preview, "Attachment preview", "No attachment selected")  # see _selected
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview.setMinimumHeight(40)
        layout.addWidget(self.preview)
        self.add_button.clicked.connect(self.choose_file)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentRowChanged.connect(self._selected)
        self._attachments: tuple[Attachment, ...] = ()

    def load(self, incident: Incident) -> None:
        self._attachments = incident.attachments
        self.list.clear()
        for a in incident.attachments:
            text = f"{a.filename} – {size_text(a.size)}"
            if a.description:
                text += f" – {a.description}"
            item = QListWidgetItem(text)
            item.setToolTip(f"SHA-256 {a.sha256}")
            self.list.addItem(item)
        self._selected(self.list.currentRow())

    def _selected(self, row: int) -> None:
        self.preview.clear()
        named(self.preview, "Attachment preview", "No attachment selected")
        if not 0 <= row < len(self._attachments):
            self.sha.setText("")
            self.remove_button.setEnabled(False)
            return
        a = self._attachments[row]
        self.remove_button.setEnabled(True)
        self.sha.setText(f"SHA-256 {a.sha256}")
        self.preview.setAccessibleDescription(f"No preview of {a.filename}: not a picture")
        if a.media_type.startswith("image/"):
            image = QImage.fromData(self._session.attachment_bytes(a.attachment_id))
            if not image.isNull():
                pixmap = QPixmap.fromImage(image).scaled(
                    PREVIEW,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                self.preview.setPixmap(pixmap)
                named(self.preview, f"Preview of {a.filename}", "A scaled-down picture")

    def choose_file(self) -> None:
        self._files.open_file(self, "Attach a file", "All files (*)", self.attach)

    def attach(self, path: Path) -> None:
        if not self._flush():
            return
        incident_id = self._get().incident_id
        description = tidy(self.description.text()).strip()
        try:
            self._session.attach_file(incident_id, path, description)
        except Exception as error:
            self._on_error(error)
            return
        self.description.clear()
        stored = self._session.get(incident_id)
        self.attached.emit(stored.attachments)
        self.list.setCurrentRow(self.list.count() - 1)

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._attachments):
            return
        a = self._attachments[row]

        def remove() -> None:
            if not self._flush():
                return
            try:
                stored = self._session.remove_attachment(self._get().incident_id, a.attachment_id)
            except Exception as error:
                self._on_error(error)
                return
            self.attached.emit(stored.attachments)

        confirm(
            self,
            "Remove the attachment?",
            f"Remove {a.filename} from this draft?",
            "Remove",
            remove,
        )

    def clear(self) -> None:
        self._attachments = ()
        self.list.clear()
        self.preview.clear()
        named(self.preview, "Attachment preview", "No attachment selected")
        self.sha.clear()
