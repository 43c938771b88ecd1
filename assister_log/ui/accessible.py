"""What assistive technology is told beyond widget names: combo boxes named by their label,
the app's own top-level windows with a window role, and announcements (errors, "Saved").

Qt names a combo box after its current text on Linux (``QAccessibleComboBox::text`` ignores
the accessible name there and leaves the label to the labelled-by relation), so AT-SPI read
"In-person meeting" where the field is "How". A plain ``QWidget`` window gets the role
"filler". ``install()`` adds an accessibility factory that fixes both; it must run before the
first window is shown (``ui.app`` after the QApplication; the first-run wizard and the main
window call it too, and it is idempotent). Interfaces Qt already made are not replaced."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QAccessibleWidget, QComboBox, QWidget

# The app's top-level windows that are plain QWidgets (QDialog and QMainWindow have their
# roles from Qt), by class name: the first-run wizard and the lock screen.
WINDOW_CLASSES = frozenset({"FirstRunWizard", "UnlockWindow"})

_installed = False


class ComboBoxAccessible(QAccessibleWidget):
    """Qt's combo box interface as far as a reader uses it (value, popup list as child,
    expanded state, show-menu action), named by the accessible name (its label)."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo, QAccessible.Role.ComboBox)

    def _combo(self) -> QComboBox:
        return cast(QComboBox, self.widget())

    def text(self, t: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        combo = self._combo()
        if t in (QAccessible.Text.Name, QAccessible.Text.Value):
            editor = combo.lineEdit()
            value = editor.text() if combo.isEditable() and editor is not None else ""
            value = value or combo.currentText()
            if t is QAccessible.Text.Name:
                return combo.accessibleName() or value
            return value
        return super().text(t)

    def _children(self) -> list[QAccessibleInterface]:
        combo = self._combo()
        found = [QAccessible.queryAccessibleInterface(combo.view())]
        editor = combo.lineEdit()
        if combo.isEditable() and editor is not None:
            found.append(QAccessible.queryAccessibleInterface(editor))
        return [child for child in found if child is not None]

    def childCount(self) -> int:
        return len(self._children()) if self.isValid() else 0

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        children = self._children() if self.isValid() else []
        return children[index] if 0 <= index < len(children) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        if not self.isValid() or child is None:
            return -1
        objects = [c.object() for c in self._children()]
        return objects.index(child.object()) if child.object() in objects else -1

    def state(self) -> QAccessible.State:
        s = super().state()
        if self.isValid():
            combo = self._combo()
            s.expandable = True
            s.expanded = combo.view().isVisible()
            s.editable = combo.isEditable()
        return s

    def actionNames(self) -> list[str]:
        return [
            QAccessibleActionInterface.showMenuAction(),
            QAccessibleActionInterface.pressAction(),
            *super().actionNames(),
        ]

    def doAction(self, name: str) -> None:
        if not self.isValid():
            return
        if name in (
            QAccessibleActionInterface.showMenuAction(),
            QAccessibleActionInterface.pressAction(),
        ):
            combo = self._combo()
            if combo.view().isVisible():
                combo.hidePopup()
            else:
                combo.showPopup()
            return
        super().doAction(name)


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QComboBox):
        return ComboBoxAccessible(obj)
    if key in WINDOW_CLASSES and isinstance(obj, QWidget) and obj.isWindow():
        return QAccessibleWidget(obj, QAccessible.Role.Window)
    return None


def install() -> None:
    """Install the factory once (later calls do nothing)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


# ------------------------------------------------------------------------ announcements


class Announcer(QObject):
    """Says a short text to the screen reader (an accessible announcement: Assertive for
    errors, Polite for a state such as "Saved"); ``announced`` tells the app's own listeners
    (and tests) what was said."""

    announced = Signal(str, bool)  # text, assertive


announcer = Announcer()


def announce(source: QWidget, text: str, *, assertive: bool = False) -> None:
    event = QAccessibleAnnouncementEvent(source, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
    announcer.announced.emit(text, assertive)
