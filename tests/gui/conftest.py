"""GUI test helpers: Qt's own settings redirected into a temp folder (so tests never write
the real ~/.config/QtProject.conf and can inspect what Qt would write), Unicode typing
through QKeyEvent (qtbot.keyClicks aborts on non-ASCII), the accessibility walker, and
the shared tools of an unlocked vault."""

from __future__ import annotations

import atexit
import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

from assister_log.services.session import Session
from tests.conftest import EXAMPLES, add_as_author

from assister_log.ui import accessible
from assister_log.ui.clipboard import SecretClipboard
from assister_log.ui.files import FileChooser
from assister_log.ui.main_window import MainWindow, Tools
from assister_log.ui.tasks import TaskRunner
from assister_log.ui.theme import Theme

QT_SETTINGS = Path(tempfile.mkdtemp(prefix="assister-log-qtsettings-"))
atexit.register(shutil.rmtree, QT_SETTINGS, ignore_errors=True)
for _format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
    QSettings.setPath(_format, QSettings.Scope.UserScope, str(QT_SETTINGS))
    QSettings.setPath(_format, QSettings.Scope.SystemScope, str(QT_SETTINGS / "system"))


# The offscreen platform cannot resize or raise real windows and says so on every layout
# change of a shown top-level window; these lines are about the platform, not the app.
OFFSCREEN_LIMITS = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_LIMITS))


def type_text(widget: QWidget, text: str) -> None:
    """Type any Unicode text into ``widget`` as key presses carrying the text."""
    widget.setFocus()
    for ch in text:
        if ch == "\n":
            key, char = Qt.Key.Key_Return, "\r"
        else:
            key, char = Qt.Key.Key_unknown, ch
        press = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        release = QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, char)
        QApplication.sendEvent(widget, press)
        QApplication.sendEvent(widget, release)


INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTabBar,
)


# Qt's own containers that hold the app's widgets (a scroll area's viewport, a tab widget's
# pages): what is inside them is the app's and is checked.
QT_CONTAINERS = frozenset({"qt_scrollarea_viewport", "qt_tabwidget_stackedwidget"})


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside composite widgets (a spin box's line edit, a scroll area's
    viewport, a header): named through their owner."""
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        name = parent.objectName()
        if isinstance(parent, QAbstractSpinBox | QComboBox) or (
            name.startswith("qt_") and name not in QT_CONTAINERS
        ):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # headers, corner buttons, editors of item views
        parent = parent.parentWidget()
    return False


def _accessible(widget: QWidget) -> QAccessibleInterface | None:
    return QAccessible.queryAccessibleInterface(widget)


def unnamed_controls(root: QWidget) -> list[str]:
    """What a screen reader would reach under ``root`` without a proper name: interactive
    widgets with no name, combo boxes named after their current value instead of their
    label (as Qt does on Linux unless ``ui.accessible`` is installed), scroll areas,
    picture labels and a line edit's clear button with no name, and a window whose role
    is "filler" (Client) instead of a window or dialog."""
    missing = []
    if root.isWindow():
        iface = _accessible(root)
        if iface is not None and iface.role() == QAccessible.Role.Client:
            missing.append(f"window {type(root).__name__} has the role 'filler'")
    for widget in [root, *root.findChildren(QWidget)]:
        if _qt_internal(widget):
            continue
        kind = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QScrollArea) and not widget.accessibleName().strip():
            missing.append(f"{kind} (scroll area)")
            continue
        if isinstance(widget, QLabel) and widget.pixmap() is not None:
            if not widget.pixmap().isNull() and not widget.accessibleName().strip():
                missing.append(f"{kind} (picture)")
            continue
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QScrollBar):
            continue
        line_button = isinstance(widget, QToolButton) and isinstance(
            widget.parentWidget(), QLineEdit
        )  # a line edit's clear button: no focus, but a reader reaches it
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not line_button:
            continue
        if not widget.accessibleName().strip():
            text = getattr(widget, "text", lambda: "")()
            missing.append(f"{kind} {text!r}")
        elif isinstance(widget, QComboBox):
            iface = _accessible(widget)
            spoken = iface.text(QAccessible.Text.Name) if iface is not None else ""
            if spoken != widget.accessibleName():
                missing.append(f"{kind} is read as {spoken!r}, not {widget.accessibleName()!r}")
    return missing


def load_example(session: Session, name: str):
    """An example record in the vault; a staff call is written by MNsure staff
    (``add_as_author``), whatever the vault's own profile."""
    data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return add_as_author(session, data)


def settle(qtbot, runner: TaskRunner, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: not runner.busy, timeout=timeout)


@pytest.fixture(scope="session", autouse=True)
def accessibility_factory(qapp) -> None:
    """As the app does before its first window (``ui.accessible.install``): combo boxes
    named by their label, the app's plain windows with a window role. Installed once for
    the whole run, so no test depends on which window another test made first."""
    accessible.install()


@pytest.fixture
def announced() -> Iterator[list[tuple[str, bool]]]:
    """What the app says to the screen reader (text, assertive), in order."""
    said: list[tuple[str, bool]] = []

    def hear(text: str, assertive: bool) -> None:
        said.append((text, assertive))

    accessible.announcer.announced.connect(hear)
    yield said
    accessible.announcer.announced.disconnect(hear)


@pytest.fixture
def theme(qapp) -> Iterator[Theme]:
    t = Theme(qapp)
    yield t
    t.set_high_contrast(False)


@pytest.fixture
def tools(qapp, theme) -> Iterator[Tools]:
    runner = TaskRunner()
    clipboard = SecretClipboard()
    yield Tools(runner, FileChooser(), clipboard, theme)
    runner.drain()
    clipboard.clear()


@pytest.fixture
def main_window(qtbot, session: Session, tools: Tools) -> Iterator[MainWindow]:
    window = MainWindow(session, tools)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.save_drafts()
    window.close_for_lock()


def type_time(field: QLineEdit, text: str) -> None:
    """Replace what a time field holds by typing, then leave it (the echo)."""
    field.setFocus()
    field.selectAll()
    type_text(field, text)
    field.editingFinished.emit()


def _mnemonic(text: str) -> str | None:
    i = 0
    while (i := text.find("&", i)) != -1:
        if i + 1 < len(text) and text[i + 1] != "&":
            return text[i + 1].lower()
        i += 2
    return None


def mnemonic_clashes(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter keys that two visible controls of ``root``'s window claim (buttons, labels
    with a buddy, tabs, group boxes, the menu bar), each with the texts that claim it."""
    from PySide6.QtWidgets import QGroupBox, QLabel, QMainWindow

    claims: dict[str, list[str]] = {}

    def claim(text: str) -> None:
        letter = _mnemonic(text)
        if letter is not None:
            claims.setdefault(letter, []).append(text.replace("\n", " "))

    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if (isinstance(widget, QAbstractButton) and widget.isEnabled()) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            claim(widget.text())
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                claim(widget.tabText(i))
        elif isinstance(widget, QGroupBox):
            claim(widget.title())
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            claim(action.text())
    return {letter: texts for letter, texts in claims.items() if len(texts) > 1}


@contextlib.contextmanager
def started_app(qapp, vault_dir: Path):
    """The app controller started on ``vault_dir`` (lock screen, or first run when there is
    no vault); on exit the session closes and every window it made is closed."""
    from assister_log.ui.controller import AppController

    theme = Theme(qapp)
    c = AppController(qapp, vault_dir, theme)
    c.start()
    try:
        yield c
    finally:
        c._close_session()
        wizard = c.wizard
        if wizard is not None and shiboken6.isValid(wizard) and wizard.session is not None:
            wizard.session.close()
        for window in (c.dialog, c.window, c.unlock_window, wizard):
            if window is not None and shiboken6.isValid(window):  # a message may be gone
                getattr(window, "allow_close", lambda: None)()
                window.close()
        theme.set_high_contrast(False)


@pytest.fixture
def controller(qapp, created):
    """The app started on a created vault: its lock screen is showing."""
    with started_app(qapp, created[0]) as c:
        yield c


def unlock_with_passphrase(qtbot, c) -> None:
    from tests.conftest import PASSPHRASE

    type_text(c.unlock_window.field, PASSPHRASE)
    c.unlock_window.submit()
    qtbot.waitUntil(lambda: c.main is not None, timeout=10_000)


@pytest.fixture
def unlocked(qtbot, controller):
    """The app started on a created vault and unlocked with the passphrase."""
    unlock_with_passphrase(qtbot, controller)
    return controller


def clipped_labels(root: QWidget) -> list[str]:
    """Visible labels shown shorter than their text needs at their width (a wrapped form
    label cut in half, as the first-run contacts page showed at 720×620)."""
    from PySide6.QtWidgets import QLabel

    cut = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text():
            continue  # hidden, or a picture
        need = (
            label.heightForWidth(label.width())
            if label.wordWrap()
            else label.fontMetrics().boundingRect(label.text()).height()
        )
        if label.height() < need:
            cut.append(f"{label.text()!r}: {label.height()} < {need} px")
    return cut
