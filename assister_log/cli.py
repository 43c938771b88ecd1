"""The ``assister-log`` command line: argparse over ``services``. Never imports Qt.

Exit codes: 0 ok, 1 error (one line on stderr, no traceback), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from assister_log import __version__
from assister_log.errors import KnownError
from assister_log.services.kinds import KIND_IDS  # light: no reportlab

PROG = "assister-log"
_PRIVATE = "(- for standard input): not visible to other users in ps"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2
        self.exit(2, f"{self.prog}: usage error: {message} (see --help)\n")


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--vault",
        metavar="DIR",
        default=default,
        help="vault folder (default: ASSISTER_LOG_HOME or the user data folder)",
    )
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="read passphrases from standard input, one line each",
    )


def build_parser() -> argparse.ArgumentParser:
    from assister_log.domain.model import Procedure, Role, Status

    parser = _Parser(
        prog=PROG,
        description="Assister Log: document interactions ended under "
        "MNsure's Identifying and Terminating Inappropriate Interactions Policy.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="run a self-test without a window and exit (used on builds)",
    )
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, top=False)
        return p

    p = command("init", "create a vault and your author profile")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--org", default="")
    p.add_argument("--id", dest="credential_id", default="", help="certification or staff ID")
    p.add_argument("--site", default="")

    p = command("add", "add a draft record from a JSON file (prints the new id)")
    p.add_argument("--from-json", required=True, metavar="FILE", help="record file, or - for stdin")

    p = command("list", "list records")
    p.add_argument("--json", action="store_true")
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument("--procedure", choices=[x.value for x in Procedure])

    p = command("show", "show one record")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = command("search", "full-text search over names, quotes, narrative, notes, addenda")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("query", nargs="?", help="the words to find (visible to other users in ps)")
    g.add_argument("--query-file", metavar="FILE", help=f"read the query from FILE {_PRIVATE}")
    p.add_argument("--json", action="store_true")

    p = command("check", "check a record against the policy's procedure")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = command("finalize", "seal a draft into the tamper-evident chain")
    p.add_argument("id")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--attestation", help="attestation text (default: the standard one)")
    g.add_argument("--attestation-file", metavar="FILE", help=f"read it from FILE {_PRIVATE}")

    p = command("addendum", "add a sealed addendum to a finalized record")
    p.add_argument("id")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--text", help="the addendum (visible to other users in ps)")
    g.add_argument("--text-file", metavar="FILE", help=f"read the addendum from FILE {_PRIVATE}")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--reason", help="why it is added (visible to other users in ps)")
    g.add_argument("--reason-file", metavar="FILE", help=f"read the reason from FILE {_PRIVATE}")

    p = command("attach", "attach an evidence file to a draft (stored encrypted)")
    p.add_argument("id")
    p.add_argument("file")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--description", default="", help="(visible to other users in ps)")
    g.add_argument("--description-file", metavar="FILE", help=f"read it from FILE {_PRIVATE}")

    p = command("verify", "verify the seal chain and the database (exit 1 on any break)")
    p.add_argument(
        "--rebuild-index",
        action="store_true",
        help="first rewrite the list columns and search index from the records themselves",
    )
    command("change-passphrase", "change the vault passphrase (asks current, then new)")
    command("recover", "open with the recovery key and set a new passphrase")
    command("new-recovery-key", "replace the recovery key (the old one stops working)")

    p = command("backup", "write one encrypted, self-contained, verified backup file")
    p.add_argument("--out", required=True, metavar="FILE")

    p = command("restore", "restore a backup file into --vault DIR (a new or empty folder)")
    p.add_argument("file")

    p = command("export", "export a record as a signed PDF, or its evidence bundle")
    p.add_argument("id")
    p.add_argument("--kind", required=True, choices=KIND_IDS)
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="file to write, or an existing folder (a neutral name is chosen)",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="protect the PDF with a password read from standard input (AES-256)",
    )

    p = command(
        "check-evidence",
        "check an evidence bundle without a vault (exit 0 genuine, 1 naming the first problem)",
    )
    p.add_argument("file", help="the bundle written by `export ID --kind evidence`")
    p.add_argument("--qr", metavar="TEXT", help="also check a PDF's QR text against the bundle")
    p.add_argument("--pdf", metavar="FILE", help="also check a PDF's signature against the bundle")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the PDF's password from standard input (for --pdf)",
    )

    _org_parser(command("org", "deliver sealed records to your organisation, or receive them"))

    p = command("demo", "create a demo vault in a temporary folder with sample records")
    p.add_argument("--out", metavar="DIR", help="where to put it (default: a new temp folder)")
    return parser


def _destination_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--folder", metavar="DIR", help="a folder: network share, USB drive, synced")
    g.add_argument("--url", metavar="URL", help="a WebDAV folder (https://…, e.g. Nextcloud)")
    p.add_argument("--user", metavar="NAME", help="the WebDAV account's user name")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the WebDAV password from standard input (after any passphrase)",
    )
    p.add_argument(
        "--ca-file", metavar="PEM", help="trust this CA certificate for the WebDAV server"
    )


def _org_parser(org: argparse.ArgumentParser) -> None:
    sub = org.add_subparsers(
        dest="org_command", metavar="ACTION", parser_class=_Parser, required=True
    )

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, top=False)
        return p

    p = action("init", "create an organisation's vault and the profile file to hand out")
    p.add_argument("--name", required=True, help="the organisation's name, as navigators see it")
    _destination_options(p)
    p.add_argument("--profile-out", required=True, metavar="FILE", help="where to write it")
    p = action("profile", "write the organisation's profile file again")
    p.add_argument("--out", required=True, metavar="FILE")
    p = action("join", "deliver this vault's sealed records to the organisation of a profile")
    p.add_argument("file", help="the profile file the organisation gave you")
    _destination_options(p)
    action("send", "send every queued envelope now and collect receipts")
    p = action("status", "what is queued, sent and received")
    p.add_argument("--json", action="store_true")
    action("import", "organisation: receive new envelopes, verify them, write receipts")
    p = action("report", "organisation: counts by procedure, ground, site and month")
    p.add_argument("--json", action="store_true")
    p = action("inbox", "organisation: list received records (optionally matching words)")
    p.add_argument("query", nargs="?", default="", help="name, case number, id, author or site")
    p = action("export", "organisation: export a received record as a signed PDF or bundle")
    p.add_argument("id")
    p.add_argument("--kind", required=True, choices=KIND_IDS)
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--author", metavar="FINGERPRINT", help="when two authors used the same id")


def wants_gui(argv: Sequence[str]) -> tuple[bool, str | None]:
    """(True, vault) when the arguments hold no subcommand, only global options: the desktop
    app. Parsed without building the full parser, so the window appears sooner."""
    light = _Parser(prog=PROG, add_help=False)
    _global_options(light, top=True)
    args, rest = light.parse_known_args(list(argv))
    return (not rest, args.vault)


def run(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run a subcommand; returns -1 when the arguments ask for the desktop app instead."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = out or sys.stdout
    if args.smoke_test:
        from assister_log.services.demo import smoke_test

        return smoke_test(out)
    if args.command is None:
        return -1  # the caller starts the GUI
    from assister_log import cli_commands as commands

    ctx = commands.Context(
        args=args, out=out, secrets=commands.Secrets(from_stdin=args.passphrase_stdin)
    )
    try:
        return commands.COMMANDS[args.command](ctx)
    except KnownError as error:
        sys.stderr.write(f"{PROG}: {error.message}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted; nothing was half-written.\n")
        return 130
