"""The real ``assister-log`` entry point (``__main__.main``: core dumps off, excepthook on) with
one command handler made to fail after it has run, for tests/reliability/test_14_crash_reports.py.

Environment: ``CRASH_COMMAND`` (the handler to break), ``CRASH_WHEN`` (``after`` the real
handler ran, or ``before``), ``CRASH_KIND`` (``error`` or ``interrupt``), ``CRASH_LIMITS``
(a file to write the process's RLIMIT_CORE into). The forced exception's message, its cause
and the handler's local variables all hold record data read from the vault.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assister_log.storage import kdf  # noqa: E402

kdf.enable_insecure_test_parameters()

from assister_log import cli_commands  # noqa: E402
from assister_log.__main__ import main  # noqa: E402
from assister_log.services.session import Session  # noqa: E402

COMMAND = os.environ["CRASH_COMMAND"]
real_handler = cli_commands.COMMANDS[COMMAND]
seen: list[str] = []
real_get = Session.get


def remembering_get(self: Session, incident_id: str):  # type: ignore[no-untyped-def]
    incident = real_get(self, incident_id)
    seen.extend([incident.party.name, incident.narrative])
    return incident


Session.get = remembering_get  # type: ignore[method-assign]


def broken(ctx: cli_commands.Context) -> int:
    record_data = list(seen)  # a local variable full of record data
    if os.environ.get("CRASH_WHEN", "after") == "after":
        real_handler(ctx)
        with Session.unlock(ctx.vault_dir, os.environ["CRASH_SECRET"]) as session:
            record_data += [f"{s.party_name} {s.grounds}" for s in session.list(limit=1000)]
            for summary in session.list(limit=1000):
                record_data.append(session.get(summary.incident_id).narrative)
    Path(os.environ["CRASH_LIMITS"]).write_text(repr(resource.getrlimit(resource.RLIMIT_CORE)))
    if os.environ.get("CRASH_KIND") == "interrupt":
        raise KeyboardInterrupt
    try:
        raise ValueError(" / ".join(record_data))
    except ValueError as cause:
        raise RuntimeError(f"forced failure while handling {record_data!r}") from cause


cli_commands.COMMANDS[COMMAND] = broken
sys.exit(main())
