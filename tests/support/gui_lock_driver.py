"""The real desktop app in a child process (offscreen, test-sized Argon2), started through
``assister_log.__main__.main`` as a user starts it, then driven step by step for the memory
scan after lock (tests/reliability/test_18_memory_after_lock.py).

argv: VAULT_DIR RECORD_ID. The passphrase arrives on stdin (first line) and is typed into the
unlock window as key presses. Then, each step announced on stdout and started by a line on
stdin: "opened PID DUMPABLE" (the record is open in the editor) -> "lock" -> "locked" ->
"quit". The only test hook: ``AppController.start`` is wrapped to install the steps."""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assister_log.storage import kdf

kdf.enable_insecure_test_parameters()

from PySide6.QtCore import QEvent, QSocketNotifier, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from assister_log import crash  # noqa: E402

from assister_log.ui import controller as controller_module  # noqa: E402

PR_GET_DUMPABLE = 3
SCRUBS: list[str] = []  # what the app's own scrub did after the lock (measured, not changed)
_scrub = crash.scrub_freed_memory


def _measured_scrub() -> dict[str, int]:
    started = time.perf_counter()
    counts = _scrub()
    SCRUBS.append(f"{(time.perf_counter() - started) * 1000:.0f}ms:{json.dumps(counts)}")
    return counts


crash.scrub_freed_memory = _measured_scrub


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def type_into(widget: Any, text: str) -> None:
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


def after(msecs: int, fn: Callable[[], None]) -> None:
    QTimer.singleShot(msecs, fn)


def wait_for(condition: Callable[[], bool], then: Callable[[], None]) -> None:
    def poll() -> None:
        if condition():
            then()
        else:
            after(20, poll)

    after(20, poll)


def drive(controller: Any, record_id: str) -> None:
    # The passphrase: read as bytes into a bytearray and wiped, so the only str copies are
    # those the app itself makes when it is typed (the field's text, the unlock signal).
    raw = bytearray(sys.stdin.buffer.readline().rstrip(b"\n"))
    type_into(controller.unlock_window.field, raw.decode("utf-8"))
    raw[:] = bytes(len(raw))
    steps: dict[str, Callable[[], None]] = {}
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, controller.app)

    def command() -> None:
        line = sys.stdin.buffer.readline().decode().strip()
        if line not in steps:
            say(f"error unknown command {line!r}")
            controller.app.exit(3)
            return
        steps[line]()

    notifier.activated.connect(command)

    def opened() -> None:
        controller.main.open_editor(record_id)
        dumpable = ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)
        after(200, lambda: say(f"opened {os.getpid()} {dumpable}"))

    def lock() -> None:
        controller.lock("the test locked it")
        # the app scrubs on its next timer; let the event loop run it
        after(300, lambda: say(f"locked {' '.join(SCRUBS)}"))

    steps.update({"lock": lock, "quit": controller.quit})
    controller.unlock_window.submit()
    wait_for(lambda: controller.main is not None and not controller.runner.busy, opened)


def main() -> int:
    folder, record_id = Path(sys.argv[1]), sys.argv[2]
    start = controller_module.AppController.start

    def start_and_drive(self: Any) -> None:
        start(self)
        after(0, lambda: drive(self, record_id))

    controller_module.AppController.start = start_and_drive  # type: ignore[method-assign]
    from assister_log.__main__ import main as app_main

    return app_main(["--vault", str(folder)])


if __name__ == "__main__":
    sys.exit(main())
