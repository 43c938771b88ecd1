"""Slow work off the GUI thread: key derivation (unlock, create, change passphrase), backups,
restores, PDF export. One worker thread, so two tasks never race on the vault; results come
back to the GUI thread as queued signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    finished = Signal(object, object)  # result, error


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # handed to the GUI thread, which decides
            self._relay.finished.emit(None, error)
        else:
            self._relay.finished.emit(result, None)


class TaskRunner(QObject):
    """Run ``fn`` in the background; ``on_done(result)`` or ``on_error(error)`` run in the
    GUI thread afterwards."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def finished(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if not self._relays:
                self.busy_changed.emit(False)
            if error is not None:
                on_error(error)
            else:
                on_done(result)

        relay.finished.connect(finished)
        if len(self._relays) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, relay))

    def drain(self, msecs: int = 30_000) -> bool:
        """Before the vault closes: wait for running work, then drop the callbacks still
        queued (their windows are about to be torn down). True if all work ended."""
        done = self._pool.waitForDone(msecs)
        for relay in list(self._relays):
            relay.finished.disconnect()
            relay.deleteLater()
        had_work = bool(self._relays)
        self._relays.clear()
        if had_work:
            self.busy_changed.emit(False)
        return done
