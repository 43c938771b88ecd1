"""Runs in a fresh process for the GUI figures; prints one JSON line and exits.

``bare``: QApplication + an empty QWidget shown (the floor). ``start``: the real app
(``python -m assister_log`` with no subcommand, which calls ``run_gui``) up to its first window (the unlock window when ASSISTER_LOG_HOME holds a vault).
``list``: the real app, unlocked through its unlock window, then the list, typing in the search
field, and resident memory. Nothing in the app is changed: the probe wraps
``QApplication.exec`` so it runs once the event loop has started, then finds widgets by type.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget

TYPED = "nguyễn thị"
WAIT = 5.0  # seconds before giving up on a widget or an update


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def report(**values: object) -> None:
    print(json.dumps(values), flush=True)
    os._exit(0)  # skip teardown: only the numbers matter, and the next run starts fresh


def on_event_loop(then: Callable[[QApplication], None]) -> None:
    """Call ``then`` once the app's event loop runs and its first window has been painted."""
    original = QApplication.exec

    def exec_(*_args: object) -> int:
        app = QApplication.instance()

        def ready() -> None:
            process_events()
            then(app)

        QTimer.singleShot(0, ready)
        return original()

    QApplication.exec = exec_


def process_events() -> None:
    """``QEventLoop().processEvents``: with PySide6 6.12 on Python 3.11 every call of a
    ``void`` binding such as ``QCoreApplication.processEvents`` drops a reference to None
    (the process aborts after a few thousand); this instance method does not."""
    QEventLoop().processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def pump_until(test: Callable[[], object], limit: float = WAIT) -> bool:
    end = time.perf_counter() + limit
    while not test():
        if time.perf_counter() > end:
            return False
        process_events()
    process_events()  # paint what changed
    return True


def visible(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.allWidgets() if isinstance(w, kind) and w.isVisible()]


def populated_view() -> QAbstractItemView | None:
    for view in visible(QAbstractItemView):
        model = view.model()
        if model is not None and model.rowCount() > 0:
            return view
    return None


def search_field() -> QLineEdit | None:
    fields = [f for f in visible(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Normal]
    named = [f for f in fields if "search" in (f.placeholderText() + f.objectName()).lower()]
    return (named or fields or [None])[0]


def type_char(widget: QWidget, ch: str) -> None:
    """Post a key with text (QTest.keyClicks asserts on non-ASCII; see TRIALS.md)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
        )


def keystrokes(view: QAbstractItemView, field: QLineEdit) -> tuple[list[float], list[float]]:
    """Per key that changes the list: UI-thread work (handling the key, then from the model
    starting its update to the list repainted) and latency (key press to repainted, which
    includes any debounce delay)."""
    began, ended = [0.0], [0.0]

    def begin() -> None:
        began[0] = began[0] or time.perf_counter()

    def end() -> None:
        ended[0] = 1.0

    model = view.model()  # a lazily paged model: a new query resets it
    model.modelAboutToBeReset.connect(begin)
    model.modelReset.connect(end)
    model.layoutAboutToBeChanged.connect(begin)
    model.layoutChanged.connect(end)
    busy, latency = [], []
    for ch in TYPED:
        began[0] = ended[0] = 0.0
        start = time.perf_counter()
        type_char(field, ch)
        key_work = time.perf_counter() - start
        if pump_until(lambda: ended[0], 1.0):
            done = time.perf_counter()
            busy.append(key_work + done - (began[0] or done))
            latency.append(done - start)
    return busy, latency


def unlock_and_use(_app: QApplication) -> None:
    passwords = [f for f in visible(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Password]
    if not passwords:
        report(error="no passphrase field in the first window")
    field = passwords[0]
    field.setText(os.environ["BENCH_PASSPHRASE"])
    start = time.perf_counter()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            field, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
        )
    if not pump_until(populated_view, 60):
        report(error="no list with rows appeared after unlocking")
    list_ms = (time.perf_counter() - start) * 1000
    view = populated_view()
    search = search_field()
    busy, latency = keystrokes(view, search) if search is not None else ([], [])
    report(
        list_ms=list_ms,
        keys_ms=[k * 1000 for k in busy],
        latency_ms=[k * 1000 for k in latency],
        typed=len(TYPED),
        rss_mb=rss_mb(),
        hwm_mb=rss_mb("VmHWM"),
        search=search is not None,
    )


def main(mode: str) -> None:
    if mode == "bare":
        on_event_loop(lambda app: report(rss_mb=rss_mb()))
        app = QApplication(sys.argv[:1])
        window = QWidget()
        window.show()
        app.exec()
        return
    from assister_log.__main__ import main as app_main  # the real entry point: CLI, then GUI

    if mode == "start":
        on_event_loop(
            lambda app: report(
                rss_mb=rss_mb(),
                windows=[type(w).__name__ for w in app.topLevelWidgets() if w.isVisible()],
            )
        )
    else:
        on_event_loop(unlock_and_use)
    app_main([])
    report(error="the app returned before its event loop started")


if __name__ == "__main__":
    main(sys.argv[1])
