"""Entry point: safety first (no core dumps, no tracebacks to the user), then the CLI, or
the desktop app when no subcommand is given."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from assister_log import crash

    crash.disable_core_dumps()
    crash.disable_dumpable()
    crash.install_excepthook()
    from assister_log import cli

    args = sys.argv[1:] if argv is None else list(argv)
    gui, vault = cli.wants_gui(args)
    if not gui:
        code = cli.run(args)
        if code != -1:
            return code
    from assister_log.ui.app import run_gui  # type: ignore[import-untyped,unused-ignore]

    return int(run_gui(sys.argv[:1] + (["--vault", vault] if vault else [])))


if __name__ == "__main__":
    sys.exit(main())
