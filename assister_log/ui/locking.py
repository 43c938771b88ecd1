"""When to lock: after idle time across the whole app (an event filter on the application
sees every key press and mouse event in every window), and when the desktop session locks
or the computer goes to sleep, where Qt can tell:

* Linux: the freedesktop / GNOME screensaver's ``ActiveChanged(true)`` and logind's
  ``Lock`` and ``PrepareForSleep(true)`` D-Bus signals.
* Everywhere: ``QGuiApplication.applicationState`` becoming Suspended or Hidden (mobile-style
  platforms, macOS "Hide"). Inactive (another window has focus) only saves drafts: locking
  whenever the user looks something up in a browser would be unbearable; the idle timer
  still runs while the app is in the background.
* Windows and macOS screen locks are not visible to Qt; the idle timer covers them.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

# The system bus's well-known socket (D-Bus specification), when no address is given.
SYSTEM_BUS_SOCKETS = ("/run/dbus/system_bus_socket", "/var/run/dbus/system_bus_socket")

_BUSES: tuple[QDBusConnection | None, QDBusConnection | None] | None = None


def bus_present(kind: str) -> bool:
    """Whether a ``"session"`` or ``"system"`` bus can be there at all: its address in the
    environment, or its socket on disk. Qt is asked only then: a connection attempt to a
    bus that does not exist has crashed inside libdbus (seen once in CI, no bus running)."""
    if kind == "session":
        if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return True
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        return bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))
    if os.environ.get("DBUS_SYSTEM_BUS_ADDRESS"):
        return True
    return any(os.path.exists(path) for path in SYSTEM_BUS_SOCKETS)


def _buses() -> tuple[QDBusConnection | None, QDBusConnection | None]:
    """The session and system bus connections, looked up once per process (Qt shares one
    connection per bus anyway); None for a bus that is not there."""
    global _BUSES
    if _BUSES is None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # pragma: no cover - QtDBus ships with Essentials on Linux
            _BUSES = (None, None)
            return _BUSES
        _BUSES = (
            QDBusConnection.sessionBus() if bus_present("session") else None,
            QDBusConnection.systemBus() if bus_present("system") else None,
        )
    return _BUSES


INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` once the user has not touched the app for ``minutes``."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = time.monotonic()
        self._limit_s = minutes * 60.0
        self._timer = QTimer(self)
        self._timer.setInterval(5_000)
        self._timer.timeout.connect(self._check)

    def start(self) -> None:
        self._last = time.monotonic()
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self._limit_s = minutes * 60.0

    def set_check_interval(self, msecs: int) -> None:
        self._timer.setInterval(msecs)

    def touch(self) -> None:
        self._last = time.monotonic()

    @property
    def idle_seconds(self) -> float:
        return time.monotonic() - self._last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if self.idle_seconds >= self._limit_s:
            self._timer.stop()
            self.idle.emit()


def _dbus_connect(
    bus: QDBusConnection, signal: tuple[str, str, str, str], receiver: QObject, slot: str
) -> bool:
    """Connect the D-Bus ``signal`` (service, path, interface, name) to ``slot``."""
    service, path, interface, name = signal
    # PySide6's stubs type the slot as bytes, but the binding takes only SLOT()'s str
    # (bytes raise ValueError; checked on PySide6 6.11 against a real session bus).
    return bool(bus.connect(service, path, interface, name, receiver, slot))  # type: ignore[call-overload]


class SessionLockWatcher(QObject):
    """Emits ``lock_now`` when the desktop locks or sleeps, ``save_now`` when the app goes
    to the background."""

    lock_now = Signal(str)
    save_now = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dbus_connected: list[str] = []
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._state_changed)
        if sys.platform.startswith("linux"):
            self._connect_dbus()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state in (
            Qt.ApplicationState.ApplicationSuspended,
            Qt.ApplicationState.ApplicationHidden,
        ):
            self.lock_now.emit("the application was suspended or hidden")
        elif state is Qt.ApplicationState.ApplicationInactive:
            self.save_now.emit()

    def _connect_dbus(self) -> None:
        session, system = _buses()
        if session is not None and session.isConnected():
            for service, path, interface in (
                (
                    "org.freedesktop.ScreenSaver",
                    "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver",
                ),
                ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
            ):
                if _dbus_connect(
                    session,
                    (service, path, interface, "ActiveChanged"),
                    self,
                    SLOT("screensaver(bool)"),
                ):
                    self.dbus_connected.append(interface)
        if system is not None and system.isConnected():
            if _dbus_connect(
                system,
                ("org.freedesktop.login1", "", "org.freedesktop.login1.Session", "Lock"),
                self,
                SLOT("session_locked()"),
            ):
                self.dbus_connected.append("login1.Session.Lock")
            if _dbus_connect(
                system,
                (
                    "org.freedesktop.login1",
                    "/org/freedesktop/login1",
                    "org.freedesktop.login1.Manager",
                    "PrepareForSleep",
                ),
                self,
                SLOT("sleeping(bool)"),
            ):
                self.dbus_connected.append("login1.Manager.PrepareForSleep")

    @Slot(bool)
    def screensaver(self, active: bool) -> None:
        if active:
            self.lock_now.emit("the screen locked")

    @Slot()
    def session_locked(self) -> None:
        self.lock_now.emit("the session locked")

    @Slot(bool)
    def sleeping(self, going: bool) -> None:
        if going:
            self.lock_now.emit("the computer is going to sleep")
