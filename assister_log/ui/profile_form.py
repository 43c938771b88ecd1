"""The author profile (printed on every record) and the contact numbers the app quotes,
used by the first-run wizard and by Vault tools."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from assister_log.domain.model import Profile, Role
from assister_log.policy.wording import ROLE_LABELS
from assister_log.services import settings

from assister_log.ui.common import EnumCombo, add_row, line_edit, wrapped


class ProfileForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            wrapped(
                "Your details print on every record you write, so a reader knows who "
                "documented the interaction. You can change them later in Vault tools."
            )
        )
        form = QFormLayout()
        self.name = line_edit("Your name")
        self.role = EnumCombo(ROLE_LABELS)
        self.credential = line_edit("Certification or staff ID")
        self.organisation = line_edit("Organisation")
        self.site = line_edit("Site")
        add_row(form, "Na&me:", self.name)
        add_row(form, "&Role:", self.role)
        self.credential_label = add_row(form, "Certification / staff &ID:", self.credential)
        add_row(form, "&Organisation:", self.organisation)
        add_row(form, "&Site:", self.site, "Where you usually meet people, e.g. a library branch")
        layout.addLayout(form)
        layout.addStretch(1)  # the form at the top; spare room below it, not between rows
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _role_changed(self) -> None:
        staff = self.role.value() is Role.MNSURE_STAFF
        text = "Staff &ID:" if staff else "Certification &ID:"
        self.credential_label.setText(text)
        self.credential.setAccessibleName(text.replace("&", "").rstrip(":"))

    def profile(self) -> Profile:
        return Profile(
            name=self.name.text().strip(),
            role=self.role.value(),
            credential_id=self.credential.text().strip(),
            organisation=self.organisation.text().strip(),
            site=self.site.text().strip(),
        )

    def set_profile(self, profile: Profile | None) -> None:
        if profile is None:
            return
        self.name.setText(profile.name)
        self.role.set_value(profile.role)
        self.credential.setText(profile.credential_id)
        self.organisation.setText(profile.organisation)
        self.site.setText(profile.site)

    @property
    def complete(self) -> bool:
        return bool(self.name.text().strip())


class ContactsForm(QWidget):
    """Every contact the app prints, prefilled from MNsure's public pages; all editable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            wrapped(
                "These numbers and addresses are MNsure's published ones. Organisations "
                "change them: correct any that differ for you, and fill in the two leadership "
                "contacts if you have them."
            )
        )
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, label in settings.CONTACT_LABELS.items():
            edit = line_edit(label)
            edit.setText(settings.DEFAULT_CONTACTS.get(key, ""))
            edit.setCursorPosition(0)
            add_row(form, f"{label}:", edit)
            self.fields[key] = edit
        layout.addLayout(form)
        layout.addStretch(1)

    def contacts(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.fields.items()}

    def set_contacts(self, contacts: dict[str, str]) -> None:
        for key, edit in self.fields.items():
            edit.setText(contacts.get(key, ""))
            edit.setCursorPosition(0)
