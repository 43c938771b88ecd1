"""A writer process for the reliability tests (tests/reliability/support.py runs it).

It does real work on a real vault and reports every step as one JSON line on ``--msg-fd``:
``begin`` before a step, ``ack`` once the step has returned (the commit is acknowledged),
``result`` at the end. Scenarios:

``ops``       saves, edits, attachments, finalizations and addenda in a seeded random mix;
``keyslots``  passphrase changes, recovery-key regeneration and recovery, one unlock each;
``cli``       one ``assister-log`` command run in this process through ``cli.run`` (output and
              errors captured in memory, so a failing write cannot hide the message).

Under libfiu (``fiu-run -x``), ``--fault`` acts at the N-th POSIX I/O call (write, pwrite,
writev, pwritev, ftruncate, fsync, fdatasync, open, rename, unlink) made by the work itself:
``kill`` SIGKILLs the process there, ``fail`` makes that call (``--transient``) or that call
and every later one fail with ``--errno``, ``count`` only counts. The calls of this harness
(its own messages) are not counted.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import io
import json
import os
import random
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["ASSISTER_LOG_TESTING"] = "1"

from assister_log.storage import kdf  # noqa: E402

kdf.enable_insecure_test_parameters()

import fcntl  # noqa: E402, F401  (imported up front: no lazy import opens a file mid-fault)
import mimetypes  # noqa: E402

from assister_log import cli, crash, recovery_key  # noqa: E402
from assister_log.domain.serialization import incident_to_dict, loads_user_json  # noqa: E402
from assister_log.errors import KnownError  # noqa: E402
from assister_log.services.session import Session  # noqa: E402
from assister_log.storage import backup  # noqa: E402, F401
from assister_log.storage.vault import Filters  # noqa: E402
from tests.support.authors import add_as_author  # noqa: E402  (a staff call by MNsure staff)

mimetypes.init()
GENERATE_RECOVERY_KEY = recovery_key.generate_recovery_key


def preload(pdf: bool) -> None:
    """Import every module the CLI may import lazily and read the bundled resources (password
    blocklist and zxcvbn; PDF fonts when ``pdf``) before faults are armed: the sweep is about the vault's
    and the output's I/O, and an injected ``open`` failure should not land on the program's
    own files. An unreadable installation is pinned by its own tests (test_04_io_faults.py,
    the strict xfails)."""
    import importlib
    import pkgutil

    import assister_log
    from assister_log import passphrase

    for module in pkgutil.walk_packages(assister_log.__path__, "assister_log."):
        if module.name.startswith("assister_log.ui"):
            continue  # Qt: the CLI never imports it
        if module.name.startswith("assister_log.reports") and not pdf:
            continue
        importlib.import_module(module.name)
    passphrase.blocklist()
    passphrase.check_passphrase("warm up the guessability estimator")  # imports zxcvbn
    if pdf:
        from assister_log.reports.fonts import register_fonts

        register_fonts()


EXAMPLES = ROOT / "docs" / "examples"
POINTS = (
    b"posix/io/rw/write",
    b"posix/io/rw/pwrite",
    b"posix/io/rw/writev",
    b"posix/io/rw/pwritev",
    b"posix/io/rw/ftruncate",
    b"posix/io/sync/fsync",
    b"posix/io/sync/fdatasync",
    b"posix/io/oc/open",
    b"posix/io/dir/rename",
    b"posix/io/dir/unlink",
)
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.c_char_p,
    ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.POINTER(ctypes.c_uint),
)


class Faults:
    """libfiu's POSIX failure points driven by a counting callback."""

    def __init__(self, action: str, at: int, error: int, transient: bool) -> None:
        self.action, self.at, self.error, self.transient = action, at, error, transient
        self.count = 0
        self.fired = 0
        self.active = False
        self.names: list[str] = []
        self._lib: Any = None
        self._cb = _CALLBACK(self._callback)

    def _callback(self, name: bytes, failnum: Any, failinfo: Any, flags: Any) -> int:
        if not self.active:
            return 0
        self.count += 1
        if self.action == "count":
            self.names.append(name.decode().rsplit("/", 1)[-1])
        if self.action == "kill" and self.count == self.at:
            os.kill(os.getpid(), signal.SIGKILL)
        if self.action == "fail" and (
            self.count == self.at or (not self.transient and self.count > self.at)
        ):
            self.fired += 1
            self.names.append(name.decode())
            failinfo[0] = self.error
            return 1
        return 0

    def install(self) -> None:
        if self.action == "none":
            return
        self._lib = ctypes.CDLL("libfiu.so.0")
        self._lib.fiu_enable_external.argtypes = [
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.c_uint,
            _CALLBACK,
        ]
        for point in POINTS:
            if self._lib.fiu_enable_external(point, 1, None, 0, self._cb) != 0:
                raise RuntimeError(f"libfiu refused {point!r}: is the writer under fiu-run -x?")

    def uninstall(self) -> None:
        self.active = False
        if self._lib is not None:
            for point in POINTS:
                self._lib.fiu_disable(point)


class Messages:
    def __init__(self, fd: int, faults: Faults) -> None:
        self.fd, self.faults = fd, faults

    def send(self, **message: Any) -> None:
        was, self.faults.active = self.faults.active, False
        try:
            os.write(self.fd, (json.dumps(message, ensure_ascii=False) + "\n").encode())
        finally:
            self.faults.active = was


def record_as_read(session: Session, incident_id: str) -> dict[str, Any]:
    """The record read back after the step returned: what the user was told is saved."""
    return incident_to_dict(session.get(incident_id))


# ------------------------------------------------------------------------------ scenarios


def scenario_ops(args: argparse.Namespace, faults: Faults, msg: Messages) -> None:
    preload(pdf=False)
    rng = random.Random(args.seed)
    examples = [loads_user_json(p.read_bytes(), p.name) for p in sorted(EXAMPLES.glob("*.json"))]
    faults.active = True
    session = Session.unlock(Path(args.vault), args.secret)
    drafts = [
        s.incident_id for s in session.list(Filters(), limit=1_000_000) if s.status == "draft"
    ]
    finals = [
        s.incident_id for s in session.list(Filters(), limit=1_000_000) if s.status != "draft"
    ]
    n = 0
    while args.ops == 0 or n < args.ops:
        n += 1
        marker = f"m{args.seed}x{n}"
        choices = ["add"] * 4
        if drafts:
            choices += ["edit", "attach", "finalize", "finalize"]
        if finals:
            choices += ["addendum", "addendum"]
        op = rng.choice(choices)
        if op == "add":
            data = dict(rng.choice(examples))
            data["narrative"] = f"{data.get('narrative', '')} [{marker}]"
            msg.send(t="begin", op=op, marker=marker)
            incident_id = add_as_author(session, data).incident_id
            drafts.append(incident_id)
        elif op == "edit":
            incident_id = rng.choice(drafts)
            msg.send(t="begin", op=op, id=incident_id, marker=marker)
            current = session.get(incident_id)
            session.save_draft(replace(current, narrative=f"{current.narrative} [{marker}]"))
        elif op == "attach":
            incident_id = rng.choice(drafts)
            size = rng.choice([10, 3000, 70_000])
            msg.send(t="begin", op=op, id=incident_id, marker=marker)
            body = (marker.encode() * (size // len(marker) + 1))[:size]
            session.attach_bytes(incident_id, f"{marker}.txt", body, "text/plain")
        elif op == "finalize":
            incident_id = drafts.pop(rng.randrange(len(drafts)))
            msg.send(t="begin", op=op, id=incident_id, marker=marker)
            session.finalize(incident_id)
            finals.append(incident_id)
        else:
            incident_id = rng.choice(finals)
            msg.send(t="begin", op=op, id=incident_id, marker=marker)
            session.addendum(incident_id, f"Addendum [{marker}]", "Follow-up")
        msg.send(
            t="ack",
            op=op,
            id=incident_id,
            marker=marker,
            record=record_as_read(session, incident_id),
        )
    session.close()
    faults.active = False
    msg.send(t="result", code=0, count=faults.count)


def scenario_keyslots(args: argparse.Namespace, faults: Faults, msg: Messages) -> None:
    rng = random.Random(args.seed)
    passphrase, recovery = args.secret, args.recovery
    n = 0
    while args.ops == 0 or n < args.ops:
        n += 1
        op = args.only or rng.choice(["passphrase", "recovery", "recover"])
        if op == "recovery":
            new = GENERATE_RECOVERY_KEY()
            recovery_key.generate_recovery_key = lambda new=new: new  # announced before use
            msg.send(t="begin", op=op, new=new)
            faults.active = True
            with Session.unlock(Path(args.vault), passphrase) as session:
                returned = session.new_recovery_key()
            faults.active = False
            assert returned == new
            recovery = new
        else:
            new = f"{args.secret} {args.seed} {n}"
            msg.send(t="begin", op=op, new=new)
            faults.active = True
            with Session.unlock(Path(args.vault), recovery if op == "recover" else passphrase) as s:
                s.change_passphrase(new)
            faults.active = False
            passphrase = new
        msg.send(t="ack", op=op, new=new)
    msg.send(t="result", code=0, count=faults.count, names=faults.names)


def scenario_contend(args: argparse.Namespace, faults: Faults, msg: Messages) -> None:
    """Try to open the vault ``--attempts`` times: a save when it opens, a count when another
    process holds it (VaultLocked)."""
    import time

    from assister_log.errors import VaultLocked

    examples = [loads_user_json(p.read_bytes(), p.name) for p in sorted(EXAMPLES.glob("*.json"))]
    rng = random.Random(args.seed)
    locked = opened = 0
    for n in range(args.attempts):
        time.sleep(rng.uniform(0, 0.012))  # a user (or a script) retrying, not a spin loop
        try:
            session = Session.unlock(Path(args.vault), args.secret)
        except VaultLocked as error:
            locked += 1
            if locked == 1:
                msg.send(t="locked", message=str(error))
            continue
        with session:
            data = dict(examples[n % len(examples)])
            data["narrative"] = f"contender {args.seed} attempt {n}"
            incident_id = add_as_author(session, data).incident_id
            msg.send(t="ack", id=incident_id, record=record_as_read(session, incident_id))
        opened += 1
    msg.send(t="result", code=0, locked=locked, opened=opened)


def rehearse_export(args: argparse.Namespace) -> None:
    """Run the same export once into a scratch folder before faults are armed: reportlab
    imports codecs and modules lazily (shift-jis for the QR code, …) and caches fonts."""
    import shutil
    import tempfile

    scratch = tempfile.mkdtemp()
    argv = list(args.command)
    argv[argv.index("--out") + 1] = scratch
    real = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.StringIO("".join(line + "\n" for line in args.stdin_line))
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        cli.run(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = real
        shutil.rmtree(scratch, ignore_errors=True)


def scenario_cli(args: argparse.Namespace, faults: Faults, msg: Messages) -> None:
    pdf = bool({"export", "demo"} & set(args.command))
    preload(pdf=pdf)
    if "export" in args.command:
        rehearse_export(args)
    new = GENERATE_RECOVERY_KEY()
    recovery_key.generate_recovery_key = lambda: new
    msg.send(t="intent", recovery=new)
    stdout, stderr = io.StringIO(), io.StringIO()
    real = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.StringIO("".join(line + "\n" for line in args.stdin_line))
    sys.stdout, sys.stderr = stdout, stderr
    unexpected = None
    faults.active = True
    try:
        code = cli.run(args.command)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    except BaseException as error:  # what the excepthook would report
        faults.active = False
        code = 1
        unexpected = type(error).__name__
        report = crash.format_report(type(error), error.__traceback__)
        stderr.write(f"assister-log: unexpected error ({unexpected})\n")
        msg.send(t="crash-report", text=report, error=repr(error)[:300])
    finally:
        faults.active = False
        faults.uninstall()
        sys.stdin, sys.stdout, sys.stderr = real
    msg.send(
        t="result",
        code=code,
        stdout=stdout.getvalue(),
        stderr=stderr.getvalue(),
        unexpected=unexpected,
        count=faults.count,
        fired=faults.fired,
        names=faults.names,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--msg-fd", type=int, required=True)
    parser.add_argument("--fault", choices=["none", "kill", "fail", "count"], default="none")
    parser.add_argument("--at", type=int, default=0)
    parser.add_argument("--errno", default="EIO")
    parser.add_argument("--transient", action="store_true")
    sub = parser.add_subparsers(dest="scenario", required=True)
    p = sub.add_parser("ops")
    p.add_argument("--vault", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ops", type=int, default=0)
    p = sub.add_parser("keyslots")
    p.add_argument("--vault", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--recovery", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ops", type=int, default=0)
    p.add_argument("--only", choices=["passphrase", "recovery", "recover"])
    p = sub.add_parser("contend")
    p.add_argument("--vault", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--attempts", type=int, default=100)
    p = sub.add_parser("cli")
    p.add_argument("--stdin-line", action="append", default=[])
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.scenario == "cli" and args.command[:1] == ["--"]:
        args.command = args.command[1:]
    faults = Faults(args.fault, args.at, getattr(errno, args.errno), args.transient)
    faults.install()
    msg = Messages(args.msg_fd, faults)
    try:
        scenarios = {
            "ops": scenario_ops,
            "keyslots": scenario_keyslots,
            "contend": scenario_contend,
            "cli": scenario_cli,
        }
        scenarios[args.scenario](args, faults, msg)
    except KnownError as error:
        faults.active = False
        msg.send(t="result", code=1, error=type(error).__name__, message=str(error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
