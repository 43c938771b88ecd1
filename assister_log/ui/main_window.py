"""The main window of an unlocked vault: menus and shortcuts, the list page and the editor
page in a stack, and the status bar with the last verified backup. It receives the Session
and the shared tools; it asks the app controller (by signals) to lock, quit or switch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from assister_log import APP_NAME, __version__
from assister_log.policy import wording as w
from assister_log.services import ui_support
from assister_log.services.session import Session

from assister_log.ui import accessible, errors, keep
from assister_log.ui.backup_bar import BackupReminder
from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.common import (
    backup_text,
    confirm,
    message,
    named,
)
from assister_log.ui.editor.page import EditorPage
from assister_log.ui.files import FileChooser
from assister_log.ui.geometry import fit_main_window, restore_geometry, saved_geometry
from assister_log.ui.list_page import ListPage
from assister_log.ui.new_incident import NewIncidentDialog
from assister_log.ui.organisation import OrganisationActions
from assister_log.ui.tasks import TaskRunner
from assister_log.ui.theme import Theme

TITLE = APP_NAME  # never any record data in a window title


@dataclass
class Tools:
    """What the windows of an unlocked vault share (not the application object)."""

    runner: TaskRunner
    files: FileChooser
    clipboard: SecretClipboard
    theme: Theme


class MainWindow(QMainWindow):
    lock_requested = Signal()
    quit_requested = Signal()
    open_vault_requested = Signal(object)
    autolock_changed = Signal()

    def __init__(self, session: Session, tools: Tools) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        self.session = session
        self.tools = tools
        self.editor: EditorPage | None = None
        self.dialog: QDialog | None = None
        self._closing_for_lock = False
        accessible.install()  # combo boxes named by their label (see ui.accessible)
        named(self, APP_NAME)

        self.stack = QStackedWidget()
        self.list_page = ListPage(session)
        self.stack.addWidget(self.list_page)
        self.backup_bar = BackupReminder()
        self.backup_bar.back_up.connect(lambda: self.backup())
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.backup_bar)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.stack.currentChanged.connect(
            lambda _i: self.backup_bar.place(self.stack.currentWidget() is self.list_page)
        )
        self.list_page.edit_requested.connect(self.open_editor)
        self.list_page.addendum_requested.connect(self.add_addendum)
        self.list_page.export_requested.connect(self.export)
        self.list_page.delete_requested.connect(self.delete_draft)
        self.list_page.new_requested.connect(self.new_incident)

        self._menus()
        self.organisation = OrganisationActions(
            self, session, tools.runner, tools.files, self.organisation_menu
        )
        self.list_page.delivery_text = self.organisation.delivery_text
        self.organisation.changed.connect(self.list_page.refresh_delivery)
        self.count_label = QLabel()
        self.backup_label = QLabel()
        self.backup_label.setObjectName("backupStatus")
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.list_page.count_changed.connect(self._count)
        self._count(self.list_page.model.rowCount())
        self.update_backup_status()
        fit_main_window(self)

    # --------------------------------------------------------------- geometry, view

    def view_state(self) -> dict[str, str]:
        """What to put back after a lock or a restart: the geometry and the selection."""
        state = {"geometry": saved_geometry(self)}
        current = self.list_page.current
        if current is not None:
            state["selected"] = current.incident_id
        return state

    def restore_view_state(self, state: object) -> None:
        if not isinstance(state, dict):
            return
        restore_geometry(self, state.get("geometry"))
        selected = state.get("selected")
        if isinstance(selected, str) and self.editor is None:
            self.list_page.select(selected)

    # ------------------------------------------------------------------- menus

    def _action(
        self,
        text: str,
        slot: Callable[..., object],  # with or without triggered's checked argument
        shortcut: QKeySequence | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.new_action = self._action("&New incident…", self.new_incident, "Ctrl+N")
        self.export_action = self._action("&Export PDF…", self.export_current, "Ctrl+E")
        self.lock_action = self._action("&Lock", self.lock_requested.emit, "Ctrl+L")
        self.quit_action = self._action("&Quit", self.quit_requested.emit, "Ctrl+Q")
        self.backup_action = self._action("&Back up…", self.backup)
        for action in (self.new_action, self.export_action):
            file.addAction(action)
        file.addSeparator()
        file.addAction(self.backup_action)
        file.addSeparator()
        file.addAction(self.lock_action)
        file.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        self.find_action = self._action("&Find…", self.focus_search, "Ctrl+F")
        edit.addAction(self.find_action)
        tools = bar.addMenu("&Tools")
        self.tools_action = self._action("&Vault tools…", self.vault_tools)
        tools.addAction(self.tools_action)
        view = bar.addMenu("&View")
        self.contrast_action = self._action("&High contrast", self._toggle_contrast)
        self.contrast_action.setCheckable(True)
        self.contrast_action.setChecked(self.tools.theme.high_contrast)
        view.addAction(self.contrast_action)
        # Filled by ui.organisation. No Alt letter: each of its letters is taken on the
        # main screens (F10 and the arrows reach it).
        self.organisation_menu = bar.addMenu("Organisation")
        help_menu = bar.addMenu("&Help")
        self.guide_action = self._action("Short &guide", self.guide, "F1")
        self.policy_action = self._action("The &policy", self.policy)
        self.about_action = self._action("&About Assister Log", self.about)
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.policy_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _toggle_contrast(self, on: bool) -> None:
        self.tools.theme.set_high_contrast(on)
        ui_support.set_preference(self.session, "high_contrast", on)

    # ----------------------------------------------------------------- status bar

    def _count(self, count: int) -> None:
        self.count_label.setText(f"{count:,} record{'s' if count != 1 else ''} shown")

    def update_backup_status(self) -> None:
        self.backup_label.setText(backup_text(self.session))
        overdue = self.session.backup_overdue()
        font = self.backup_label.font()
        font.setBold(overdue)
        self.backup_label.setFont(font)
        on_list = self.stack.currentWidget() is self.list_page
        self.backup_bar.show_for(self.session.last_verified_backup(), overdue, on_list)

    # ----------------------------------------------------------------- actions

    def show_error(self, error: BaseException) -> None:
        errors.handle(self, error, save_drafts=self.save_drafts)

    def focus_search(self) -> None:
        if self.editor is not None:
            self.close_editor()
        self.list_page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_page.search.selectAll()

    def new_incident(self) -> None:
        role = None
        profile = self.session.profile()
        if profile is not None:
            role = profile.role
        dialog = NewIncidentDialog(self, role)
        self.dialog = dialog

        def start() -> None:
            if self.editor is not None and not self.close_editor():
                return
            try:
                began, ended = dialog.interaction_times()
                incident = self.session.new_draft(
                    dialog.procedure, occurred_at=began, ended_at=ended
                )
            except Exception as error:
                self.show_error(error)
                return
            self.list_page.refresh(incident.incident_id)
            self.open_editor(incident.incident_id)

        dialog.accepted.connect(start)
        dialog.open()

    def open_editor(self, incident_id: str) -> None:
        if self.editor is not None and not self.close_editor():
            return
        incident = self.session.get(incident_id)
        if incident.is_final:
            self.list_page.select(incident_id)
            return
        editor = EditorPage(self.session, incident, self.tools.files)
        editor.closed.connect(self._editor_closed)
        editor.finalized.connect(self._editor_finalized)
        editor.failed.connect(self.show_error)
        self.editor = editor
        self.stack.addWidget(editor)
        self.stack.setCurrentWidget(editor)
        editor.who.channel.setFocus()

    def close_editor(self) -> bool:
        """Save and leave the editor; False if the draft could not be saved."""
        editor = self.editor
        if editor is None:
            return True
        if not editor.save():
            return False
        self._drop_editor(editor.incident_id)
        return True

    def _drop_editor(self, select: str | None) -> None:
        editor = self.editor
        if editor is None:
            return
        self.editor = None
        self.stack.setCurrentWidget(self.list_page)
        self.stack.removeWidget(editor)
        editor.deleteLater()
        self.list_page.refresh(select)
        self.list_page.table.setFocus()

    def _editor_closed(self, incident_id: str) -> None:
        self._drop_editor(incident_id)

    def _editor_finalized(self, incident_id: str) -> None:
        self._drop_editor(incident_id)
        self.list_page.select(incident_id)
        self.statusBar().showMessage("The record was finalized and sealed.", 8000)
        self.organisation.record_sealed()

    def current_incident_id(self) -> str | None:
        if self.editor is not None:
            return self.editor.incident_id
        current = self.list_page.current
        return current.incident_id if current else None

    def export_current(self) -> None:
        incident_id = self.current_incident_id()
        if incident_id is None:
            message(self, "Export", "Choose a record in the list first.")
            return
        self.export(incident_id)

    def export(self, incident_id: str) -> None:
        if self.editor is not None and not self.editor.save():
            return
        from assister_log.ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self, self.session, self.session.get(incident_id), self.tools.files, self.tools.runner
        )
        dialog.exported.connect(self._exported)
        dialog.failed.connect(self.show_error)
        self.dialog = dialog
        dialog.open()

    def _exported(self, path: Path) -> None:
        from assister_log.ui.files import saved_box

        self.statusBar().showMessage(f"PDF saved: {Path(path).name}", 8000)
        self.dialog = saved_box(self, Path(path))

    def add_addendum(self, incident_id: str) -> None:
        from assister_log.ui.finalize import AddendumDialog

        dialog = AddendumDialog(self)
        keep.track(dialog, "addendum", incident=incident_id)
        self.dialog = dialog

        def accepted() -> None:
            text, reason = dialog.values()
            try:
                self.session.addendum(incident_id, text, reason)
            except Exception as error:
                self.show_error(error)
                return
            self.statusBar().showMessage("The addendum was added and sealed.", 8000)
            accessible.announce(self, "The addendum was added and sealed.")
            self.organisation.record_sealed()
            self.list_page.refresh(incident_id)

        dialog.accepted.connect(accepted)
        dialog.open()

    def delete_draft(self, incident_id: str) -> None:
        def delete() -> None:
            try:
                self.session.delete_draft(incident_id)
            except Exception as error:
                self.show_error(error)
                return
            self.list_page.refresh()

        confirm(
            self,
            "Delete this draft?",
            "Delete this draft and its attachments? This cannot be undone. Finalized records "
            "are never deleted, only purged after the retention period.",
            "Delete draft",
            delete,
        )

    def vault_tools(self) -> None:
        from assister_log.ui.vault_tools import VaultToolsDialog

        dialog = VaultToolsDialog(
            self, self.session, self.tools.files, self.tools.runner, self.tools.clipboard
        )
        dialog.backup_done.connect(self.update_backup_status)
        dialog.records_changed.connect(lambda: self.list_page.refresh())
        dialog.records_changed.connect(self.organisation.record_sealed)  # a purge is sealed
        dialog.settings_changed.connect(self.autolock_changed)
        dialog.open_vault.connect(self.open_vault_requested)
        dialog.failed.connect(self.show_error)
        self.dialog = dialog
        dialog.open()

    def backup(self) -> None:
        """File → Back up…: the vault tools' backup, straight to choosing the file."""
        self.vault_tools()
        dialog = self.dialog
        choose = getattr(dialog, "choose_backup", None)
        if choose is not None:
            choose()

    def guide(self) -> None:
        from assister_log.ui.help import guide_dialog

        self.dialog = dialog = guide_dialog(self)
        dialog.open()

    def policy(self) -> None:
        from assister_log.ui.help import policy_dialog

        self.dialog = dialog = policy_dialog(self)
        dialog.open()

    def about(self) -> None:
        message(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nDocument calls and meetings ended under MNsure's "
            f"{w.POLICY_TITLE}, in an encrypted vault on this computer. Works offline; "
            "nothing is sent anywhere unless you join an organisation (Organisation menu), "
            "and then only encrypted so that only the organisation can read it.",
        )

    # ------------------------------------------------------------- drafts, lock

    def save_drafts(self) -> bool:
        """Save the open draft now (lock, quit, crash). True if nothing is left unsaved."""
        if self.editor is None:
            return True
        return self.editor.save()

    def wipe(self) -> None:
        """Before the vault locks: close dialogs, empty every widget and model."""
        from assister_log.ui.wipe import wipe_widgets

        self.organisation.stop()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        if self.editor is not None:
            self.editor.wipe()
        self.list_page.wipe()
        wipe_widgets(self)
        self.statusBar().clearMessage()

    def close_for_lock(self) -> None:
        self.organisation.stop()
        self._closing_for_lock = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing_for_lock:
            event.accept()
            return
        event.ignore()
        self.quit_requested.emit()
