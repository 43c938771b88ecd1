"""Organisation → Join an organisation…: the profile file's organisation, its fingerprint to
check with the organisation by another way, where envelopes go (a folder that may be
mounted elsewhere on this laptop, or a WebDAV account with its password and an optional
private CA certificate, both kept in the vault). What cannot be used is said in one line
inside the dialog. ``services.org.join`` does the joining."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assister_log.errors import BadInput, KnownError, from_os_error
from assister_log.services import org
from assister_log.services.session import Session

from assister_log.ui.common import (
    add_row,
    heading,
    line_edit,
    main_button,
    monospace,
    named,
    secret_field,
    wrapped,
)
from assister_log.ui.files import FileChooser
from assister_log.ui.geometry import fit_dialog
from assister_log.ui.organisation import PROFILE_SUFFIX, one_line

MAX_CA_BYTES = 256 * 1024
CHECK_FINGERPRINT = (
    "Check this fingerprint with your organisation before you join: compare it with what "
    "they told you by phone, at a meeting or on paper, not with the message that brought "
    "the file."
)


def read_certificate(path: Path) -> str:
    """A CA certificate file's text (``org.join`` checks it holds a PEM certificate)."""
    try:
        if not path.is_file():
            raise BadInput(f"{path.name} is not a file: choose the CA certificate (.pem, .crt).")
        if path.stat().st_size > MAX_CA_BYTES:
            raise BadInput(f"{path.name} is not a certificate file: it is far too large.")
        data = path.read_bytes()
    except OSError as error:
        raise from_os_error(error, "the CA certificate", reading=True) from None
    return data.decode("ascii", errors="replace")


def _with_button(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class JoinDialog(QDialog):
    joined = Signal(object)  # org.Joined

    def __init__(
        self, parent: QWidget | None, session: Session, files: FileChooser, path: Path
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Join an organisation")
        named(self, "Join an organisation")
        self._session = session
        self._files = files
        self.profile: Any = None  # services.org's OrgProfile, once a file is usable
        self.data = b""
        layout = QVBoxLayout(self)
        self.title = heading("Join an organisation")
        layout.addWidget(self.title)
        layout.addWidget(
            wrapped(
                "Every record you finalize, each addendum and each purge is then delivered to "
                "this organisation, encrypted so that only the organisation can read it. "
                "Records you sealed before joining are delivered too."
            )
        )

        form = QFormLayout()
        self.file_label = wrapped(selectable=True)
        form.addRow("Profile file:", self.file_label)
        self.name_label = wrapped(selectable=True)
        form.addRow("Organisation:", self.name_label)
        self.fingerprint = QLabel()
        font = monospace()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Profile fingerprint:", self.fingerprint)
        self.check = wrapped(CHECK_FINGERPRINT)
        check_font = self.check.font()
        check_font.setBold(True)
        self.check.setFont(check_font)
        form.addRow(self.check)
        self.destination = wrapped(selectable=True)
        form.addRow("Destination:", self.destination)
        layout.addLayout(form)

        self.folder_part = QWidget()
        folder_form = QFormLayout(self.folder_part)
        folder_form.setContentsMargins(0, 0, 0, 0)
        self.folder = line_edit("Delivery folder on this computer", max_length=4096)
        self.choose_folder_button = QPushButton("C&hoose…")
        named(self.choose_folder_button, "Choose the delivery folder")
        self.choose_folder_button.clicked.connect(self.choose_folder)
        add_row(
            folder_form,
            "&Delivery folder:",
            self.folder,
            "Where the organisation's folder is on this computer, if its share or drive is "
            "mounted somewhere else than the profile says.",
            field=_with_button(self.folder, self.choose_folder_button),
        )
        self.folder_hint = wrapped(
            "Change this only if the organisation's share or drive is mounted elsewhere on "
            "this computer."
        )
        folder_form.addRow(self.folder_hint)
        layout.addWidget(self.folder_part)

        self.webdav_part = QWidget()
        webdav_form = QFormLayout(self.webdav_part)
        webdav_form.setContentsMargins(0, 0, 0, 0)
        self.username = line_edit("User name")
        add_row(webdav_form, "&User name:", self.username)
        self.password = secret_field("Password")
        add_row(webdav_form, "&Password:", self.password, "Your account's password on the server")
        self.ca_file = line_edit("CA certificate file (optional)", max_length=4096)
        self.choose_ca_button = QPushButton("Ch&oose…")
        named(self.choose_ca_button, "Choose the CA certificate file")
        self.choose_ca_button.clicked.connect(self.choose_ca)
        add_row(
            webdav_form,
            "&CA certificate (optional):",
            self.ca_file,
            "Only for a server whose certificate comes from the organisation's own "
            "certificate authority.",
            field=_with_button(self.ca_file, self.choose_ca_button),
        )
        webdav_form.addRow(
            wrapped(
                "The password and the certificate are kept inside the encrypted vault, never "
                "in a settings file. Envelopes travel over HTTPS only."
            )
        )
        layout.addWidget(self.webdav_part)

        self.error = wrapped()
        self.error.setVisible(False)
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.other_file = buttons.addButton(
            "Choose another &file…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.other_file.clicked.connect(self.choose_file)
        self.join_button = buttons.addButton("&Join", QDialogButtonBox.ButtonRole.AcceptRole)
        for each in buttons.buttons():
            named(each, each.text().replace("…", ""))
        buttons.accepted.connect(self.join)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        main_button(self, buttons, self.join_button)
        fit_dialog(self, QSize(700, 420))
        self.load(path)

    # ----------------------------------------------------------------------- profile

    def show_error(self, text: str) -> None:
        line = one_line(text)
        self.error.setText(f"⚠ {line}" if line else "")
        self.error.setAccessibleName(line)
        self.error.setVisible(bool(line))

    def load(self, path: Path) -> None:
        self.file_label.setText(str(path))
        self.show_error("")
        try:
            profile, data = org.read_profile_file(path)
        except KnownError as error:
            self._unusable(error)
            return
        self.profile, self.data = profile, data
        destination = profile.destination
        kind = destination.get("kind")
        self.title.setText(f"Join {profile.name}")
        self.name_label.setText(profile.name)
        self.fingerprint.setText(profile.fingerprint)
        self.fingerprint.setAccessibleName(f"Profile fingerprint {profile.fingerprint}")
        self.check.setVisible(True)
        self.destination.setText(
            org.describe_destination(destination)
            if kind in ("folder", "webdav")
            else "none this app can deliver to: choose a delivery folder"
        )
        self.folder_part.setVisible(kind != "webdav")
        self.webdav_part.setVisible(kind == "webdav")
        self.folder.setText(destination.get("path", "") if kind == "folder" else "")
        self.username.setText(destination.get("username", ""))
        self.join_button.setEnabled(True)
        self.join_button.setFocus()

    def _unusable(self, error: KnownError) -> None:
        self.profile, self.data = None, b""
        self.title.setText("Not a usable organisation profile")
        self.name_label.setText("—")
        self.fingerprint.setText("")
        self.fingerprint.setAccessibleName("No fingerprint")
        self.check.setVisible(False)
        self.destination.setText("—")
        self.folder_part.setVisible(False)
        self.webdav_part.setVisible(False)
        self.join_button.setEnabled(False)
        self.show_error(error.message)
        self.other_file.setFocus()

    def choose_file(self) -> None:
        self._files.open_file(
            self,
            "Choose the organisation's profile file",
            f"Organisation profiles (*.{PROFILE_SUFFIX});;All files (*)",
            self.load,
        )

    def choose_folder(self) -> None:
        self._files.folder(
            self, "Choose the delivery folder", lambda path: self.folder.setText(str(path))
        )

    def choose_ca(self) -> None:
        self._files.open_file(
            self,
            "Choose the CA certificate",
            "Certificates (*.pem *.crt *.cer);;All files (*)",
            lambda path: self.ca_file.setText(str(path)),
        )

    # -------------------------------------------------------------------------- join

    def _options(self) -> tuple[dict[str, str] | None, str | None, str | None]:
        """(destination override, password, CA certificate) from the fields."""
        assert self.profile is not None
        destination = self.profile.destination
        if destination.get("kind") == "webdav":
            password = self.password.text()
            if not password:
                raise BadInput("Type the password of your account on the WebDAV server.")
            ca_path = self.ca_file.text().strip()
            ca = read_certificate(Path(ca_path).expanduser()) if ca_path else None
            url = destination.get("url", "")
            chosen = org.destination_from_options(None, url, self.username.text().strip())
            return chosen, password, ca
        folder = self.folder.text().strip()
        if not folder:
            raise BadInput(
                "Choose the delivery folder: where the organisation's folder is on this computer."
            )
        chosen = org.destination_from_options(folder, None, None)
        unchanged = destination.get("kind") == "folder" and chosen == {
            "kind": "folder",
            "path": destination.get("path", ""),
        }
        return (None if unchanged else chosen), None, None

    def join(self) -> None:
        if self.profile is None or not self.join_button.isEnabled():
            return
        try:
            destination, password, ca = self._options()
            joined = org.join(
                self._session, self.data, destination=destination, password=password, ca_pem=ca
            )
        except KnownError as error:
            self.show_error(error.message)
            return
        self.password.clear()
        self.accept()
        self.joined.emit(joined)
