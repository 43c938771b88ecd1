"""Start the desktop app: arguments, the QApplication, the GUI excepthook, then the unlock
screen (or the first-run wizard). Only what the unlock screen needs is imported here; the
vault code and the main window load in the background or after unlock."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from assister_log import APP_ID, APP_NAME, __version__

if TYPE_CHECKING:
    from assister_log.ui.controller import AppController


def parse_args(argv: Sequence[str]) -> tuple[str | None, bool]:
    """``--vault DIR`` / ``--vault=DIR`` and ``--high-contrast``; anything else is Qt's."""
    vault: str | None = None
    args = list(argv[1:])
    for i, arg in enumerate(args):
        if arg == "--vault" and i + 1 < len(args):
            vault = args[i + 1]
        elif arg.startswith("--vault="):
            vault = arg.split("=", 1)[1]
    from assister_log.ui.theme import requested_at_start

    return vault, requested_at_start(args)


def make_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    from assister_log.ui import accessible

    # Before the first window (the lock screen or the wizard): its window role, and combo
    # boxes named by their label (Qt makes a widget's interface once, when first asked).
    accessible.install()
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    # No organisation name: nothing of ours goes to QSettings.
    return app


def install_excepthook(controller: AppController) -> None:
    """Route exceptions that escape a slot to the error dialogs (loaded only when needed)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        from assister_log.ui import errors

        sys.excepthook = errors.install_excepthook(controller.parent_widget, controller.save_drafts)
        sys.excepthook(exc_type, exc, tb)

    sys.excepthook = hook


def run_gui(argv: Sequence[str] | None = None, *, vault_dir: Path | None = None) -> int:
    """The desktop app's main loop; returns the exit code."""
    argv = list(sys.argv if argv is None else argv)
    from assister_log import crash

    # Not dumpable (again, if __main__ started us), and freed heap memory overwritten from
    # now on, so what a locked app no longer needs does not linger (issue 14).
    crash.disable_dumpable()
    crash.harden_heap()
    explicit, high_contrast = parse_args(argv)
    app = make_application(argv)

    from assister_log.errors import KnownError
    from assister_log.paths import resolve_vault_dir

    from assister_log.ui.controller import AppController
    from assister_log.ui.theme import Theme, platform_prefers_high_contrast

    try:
        folder = vault_dir or resolve_vault_dir(explicit)
    except KnownError as error:
        sys.stderr.write(f"assister-log: {error.message}\n")
        return 1
    theme = Theme(app)
    if high_contrast:
        theme.set_high_contrast(True)
    else:  # asked once the first window shows (it costs the Qt enums, see ui.basics)

        def follow_platform() -> None:
            if platform_prefers_high_contrast():
                theme.set_high_contrast(True)

        QTimer.singleShot(50, follow_platform)
    controller = AppController(app, folder, theme)
    install_excepthook(controller)
    controller.start()
    # The controller lives for the app's lifetime: this frame holds it until exec returns,
    # and so does the excepthook installed above.
    return app.exec()
