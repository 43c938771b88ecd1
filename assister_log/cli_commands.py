"""The ``assister-log`` subcommands over ``services``, imported only when a subcommand runs
(the desktop app starts without loading them). Never imports Qt."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from assister_log.cli_output import (
    finding_dict,
    line,
    print_findings,
    print_incident,
    print_summaries,
    time_dict,
)
from assister_log.domain.model import Procedure, Profile, Role, Status
from assister_log.domain.serialization import incident_to_dict
from assister_log.errors import BadInput
from assister_log.paths import resolve_vault_dir
from assister_log.services.session import Session
from assister_log.services.types import Filters

PASSPHRASE_ENV = "ASSISTER_LOG_PASSPHRASE"
PROG = "assister-log"


@dataclass
class Secrets:
    """Where passphrases come from: --passphrase-stdin lines, the environment, or a prompt."""

    from_stdin: bool
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    _used_env: bool = False

    def _line(self, what: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise BadInput(f"Expected the {what} on standard input (one line each); got nothing.")
        return line.rstrip("\r\n")

    def current(self, what: str = "passphrase") -> str:
        if self.from_stdin:
            return self._line(what)
        env = os.environ.get(PASSPHRASE_ENV)
        if env is not None and not self._used_env:
            self._used_env = True
            return env
        return self._prompt(f"Vault {what}: ")

    def new(self, what: str = "new passphrase") -> str:
        if self.from_stdin:
            return self._line(what)
        first = self._prompt(f"{what.capitalize()} (at least 15 characters): ")
        again = self._prompt(f"Repeat the {what}: ")
        if first != again:
            raise BadInput("The two entries differ; nothing was changed. Try again.")
        return first

    @staticmethod
    def _prompt(prompt: str) -> str:
        if not sys.stdin.isatty():
            raise BadInput(
                "No passphrase given: run in a terminal, or use --passphrase-stdin "
                f"or {PASSPHRASE_ENV} for automation."
            )
        return getpass.getpass(prompt)


# -------------------------------------------------------------------------- commands


@dataclass
class Context:
    args: argparse.Namespace
    out: TextIO
    secrets: Secrets

    @property
    def vault_dir(self) -> Path:
        return resolve_vault_dir(self.args.vault)

    def session(self) -> Session:
        from assister_log.services.inputs import exposure_warning

        session = Session.unlock(self.vault_dir, self.secrets.current())
        # Group/world access: one warning line, once the vault has opened (a refusal stays
        # one line). Issue 14.
        warning = exposure_warning(self.vault_dir)
        if warning:
            sys.stderr.write(f"{PROG}: {warning}\n")
        notice = session.unclean_end_notice(f"run `{PROG} verify` to check")
        if notice:  # once: this session's own marker is removed when it closes
            sys.stderr.write(f"{PROG}: {notice}\n")
        return session


def cmd_init(ctx: Context) -> int:
    a = ctx.args
    profile = Profile(
        name=a.name,
        role=Role(a.role),
        credential_id=a.credential_id,
        organisation=a.org,
        site=a.site,
    )
    from assister_log.domain.serialization import clean_text

    for field_name in ("name", "credential_id", "organisation", "site"):
        clean_text(getattr(profile, field_name), f"--{field_name}", 500)
    if not profile.name.strip():
        raise BadInput("--name is empty: give your name as it should print on records.")
    passphrase = ctx.secrets.new("passphrase")
    session, recovery = Session.create(ctx.vault_dir, passphrase, profile)
    session.close()
    line(ctx.out, f"Created a vault in {ctx.vault_dir}")
    line(ctx.out, f"Recovery key: {recovery}")
    line(
        ctx.out,
        "Write the recovery key down and keep it apart from this computer: it is "
        "shown only once and is the only way in if the passphrase is forgotten.",
    )
    return 0


def cmd_add(ctx: Context) -> int:
    with ctx.session() as s:
        if ctx.args.from_json == "-":
            from assister_log.domain.serialization import loads_user_json
            from assister_log.services.inputs import json_from_stdin

            text = json_from_stdin(sys.stdin)
            incident = s.add_from_data(loads_user_json(text, "standard input"))
        else:
            incident = s.add_from_json_file(Path(ctx.args.from_json))
    line(ctx.out, incident.incident_id)
    return 0


def cmd_list(ctx: Context) -> int:
    a = ctx.args
    filters = Filters(
        procedure=Procedure(a.procedure) if a.procedure else None,
        status=Status(a.status) if a.status else None,
    )
    with ctx.session() as s:
        rows = s.list(filters, limit=1_000_000)
    print_summaries(rows, a.json, ctx.out)
    return 0


def cmd_show(ctx: Context) -> int:
    with ctx.session() as s:
        incident = s.get(ctx.args.id)
        findings = s.check(incident.incident_id)
    if ctx.args.json:
        data = incident_to_dict(incident)
        data["findings"] = [finding_dict(f) for f in findings]
        line(ctx.out, json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_incident(incident, ctx.out)
        line(ctx.out)
        print_findings(findings, ctx.out)
    return 0


# Consumer data given on the command line is visible to every user in ``ps``; each such
# option has a ``--…-file FILE`` twin (``-`` is standard input), read bounded (issue 14).
SHORT_TEXT_BYTES = 8_000  # 2,000 characters (the stored limit) of up to 4 bytes each
LONG_TEXT_BYTES = 400_000  # the addendum text: 100,000 characters


def _text_option(
    ctx: Context, name: str, what: str, limit: int, used_stdin: list[bool] | None = None
) -> str:
    """``--name`` as given, or the text of ``--name-file`` (``-``: standard input)."""
    from assister_log.services.inputs import text_arg

    file_name = getattr(ctx.args, f"{name}_file", None)
    if file_name is None:
        return str(getattr(ctx.args, name) or "")
    return text_arg(file_name, limit, what, sys.stdin, used_stdin)


def cmd_search(ctx: Context) -> int:
    with ctx.session() as s:
        query = _text_option(ctx, "query", "search query", SHORT_TEXT_BYTES)
        rows = s.list(query=query, limit=1_000_000)
    print_summaries(rows, ctx.args.json, ctx.out)
    return 0


def cmd_check(ctx: Context) -> int:
    with ctx.session() as s:
        findings = s.check(ctx.args.id)
        times = s.time_problems(ctx.args.id)
    if ctx.args.json:
        listed = [finding_dict(f) for f in findings] + [time_dict(t) for t in times]
        line(ctx.out, json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        print_findings(findings, ctx.out, times)
    return 0


def cmd_finalize(ctx: Context) -> int:
    with ctx.session() as s:
        attestation = _text_option(ctx, "attestation", "attestation", SHORT_TEXT_BYTES)
        kwargs = {"attestation": attestation} if attestation else {}
        open_count = len([f for f in s.check(ctx.args.id) if f.is_open])
        times = s.time_problems(ctx.args.id)
        incident = s.finalize(ctx.args.id, **kwargs)
    assert incident.seal is not None
    line(
        ctx.out,
        f"Finalized {incident.incident_id}: sealed at chain position "
        f"{incident.seal.position} ({incident.seal.record_hash[:16]}…).",
    )
    if open_count:
        line(ctx.out, f"Note: {open_count} policy finding(s) were open; they print on the record.")
    for problem in times:
        line(ctx.out, f"Note: a time does not add up (it prints on the record): {problem.text}")
    return 0


def cmd_addendum(ctx: Context) -> int:
    with ctx.session() as s:
        used: list[bool] = []
        text = _text_option(ctx, "text", "addendum text", LONG_TEXT_BYTES, used)
        reason = _text_option(ctx, "reason", "addendum reason", SHORT_TEXT_BYTES, used)
        incident = s.addendum(ctx.args.id, text, reason)
    line(ctx.out, f"Added addendum {len(incident.addenda)} to {incident.incident_id}.")
    return 0


def cmd_attach(ctx: Context) -> int:
    from assister_log.services.inputs import check_attachment

    path = Path(ctx.args.file)
    check_attachment(path)  # before the passphrase is asked: a pipe, device, folder, too large
    with ctx.session() as s:
        description = _text_option(ctx, "description", "description", SHORT_TEXT_BYTES)
        att = s.attach_file(ctx.args.id, path, description)
    line(ctx.out, f"Attached {att.filename} ({att.size} bytes), SHA-256 {att.sha256}")
    return 0


def cmd_verify(ctx: Context) -> int:
    with ctx.session() as s:
        if ctx.args.rebuild_index:
            rebuilt = s.vault.rebuild_index()
            line(ctx.out, f"Rebuilt the list columns and search index of {rebuilt} records.")
        problems = s.verify()
        length = s.vault.chain_length()
        count = s.count()
    if problems:
        for problem in problems:
            sys.stderr.write(f"{PROG}: broken: {problem}\n")
        return 1
    line(
        ctx.out,
        f"Vault verified: {count} records, seal chain of {length} signed entries intact "
        "and matching every record, addendum, purge and attachment; database pages and "
        "structure intact.",
    )
    return 0


def cmd_change_passphrase(ctx: Context) -> int:
    with Session.unlock(ctx.vault_dir, ctx.secrets.current("current passphrase")) as s:
        s.change_passphrase(ctx.secrets.new())
    line(ctx.out, "Passphrase changed. The recovery key still works.")
    return 0


def cmd_recover(ctx: Context) -> int:
    from assister_log.recovery_key import normalize_recovery_key

    key = ctx.secrets.current("recovery key")
    if normalize_recovery_key(key) is None:
        raise BadInput("That is not a recovery key (8 groups of 4 letters and digits).")
    with Session.unlock(ctx.vault_dir, key) as s:
        s.change_passphrase(ctx.secrets.new())
    line(
        ctx.out,
        "New passphrase set. The recovery key still works; replace it with "
        "`assister-log new-recovery-key` if it may have been seen.",
    )
    return 0


def cmd_new_recovery_key(ctx: Context) -> int:
    with ctx.session() as s:
        recovery = s.new_recovery_key()
    line(ctx.out, f"Recovery key: {recovery}")
    line(ctx.out, "The old recovery key no longer works. Write this one down.")
    return 0


def cmd_backup(ctx: Context) -> int:
    with ctx.session() as s:
        report = s.backup(Path(ctx.args.out))
    line(
        ctx.out,
        f"Backup written and verified: {report.path} ({report.records} records, "
        f"{report.size:,} bytes).",
    )
    return 0


def cmd_restore(ctx: Context) -> int:
    from assister_log.services.session import restore

    if not ctx.args.vault:
        raise BadInput("Name the folder to restore into with --vault DIR (a new or empty folder).")
    records = restore(
        Path(ctx.args.file),
        ctx.vault_dir,
        ctx.secrets.current("passphrase (or recovery key) of the backup"),
    )
    line(ctx.out, f"Restored {records} records into {ctx.vault_dir}; verified.")
    return 0


# The shortest PDF password accepted, in characters: the export dialog's MIN_PASSWORD.
MIN_PDF_PASSWORD = 8


def cmd_export(ctx: Context) -> int:
    from assister_log.services.export import export_pdf

    if ctx.args.kind == "evidence" and ctx.args.password_stdin:
        raise BadInput(
            "An evidence bundle is not password-protected (it is meant for an investigator to "
            "check): drop --password-stdin, and hand the file over as securely as the PDF."
        )
    with ctx.session() as s:
        password = None
        if ctx.args.password_stdin:  # asked after the vault passphrase
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise BadInput(
                    "--password-stdin was given but no PDF password came on standard input."
                )
            if len(password) < MIN_PDF_PASSWORD:
                raise BadInput(
                    f"The PDF password is {len(password)} characters long; use at least "
                    f"{MIN_PDF_PASSWORD}."
                )
        path = export_pdf(s, ctx.args.id, ctx.args.kind, Path(ctx.args.out), password=password)
    line(ctx.out, str(path))
    return 0


def cmd_check_evidence(ctx: Context) -> int:
    """No vault and no passphrase: anyone holding the bundle can run it."""
    from assister_log.services.evidence import check_file

    password = None
    if ctx.args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    summary = check_file(
        Path(ctx.args.file),
        qr=ctx.args.qr,
        pdf=Path(ctx.args.pdf) if ctx.args.pdf else None,
        pdf_password=password,
    )
    for text in summary.lines():
        line(ctx.out, text)
    if ctx.args.qr:
        line(ctx.out, "The QR statement matches this bundle and its signature is valid.")
    if ctx.args.pdf:
        line(
            ctx.out,
            "The PDF is signed by the same key and was not changed after it was signed.",
        )
    return 0


def cmd_demo(ctx: Context) -> int:
    from assister_log.services.demo import create_demo

    result = create_demo(Path(ctx.args.out) if ctx.args.out else None)
    line(ctx.out, f"Demo vault: {result.vault_dir}")
    line(ctx.out, f"Demo passphrase: {result.passphrase}")
    line(ctx.out, f"Records: {', '.join(result.incident_ids)}")
    for pdf in result.pdfs:
        line(ctx.out, f"PDF: {pdf}")
    for bundle in result.bundles:
        line(ctx.out, f"Evidence bundle: {bundle}")
    line(
        ctx.out,
        f"Try: assister-log --vault {result.vault_dir} list  "
        "(passphrase above; it is a demo, not for real records)",
    )
    return 0


def cmd_org(ctx: Context) -> int:
    from assister_log.cli_org import cmd_org as run

    return run(ctx)


COMMANDS: dict[str, Callable[[Context], int]] = {
    "init": cmd_init,
    "add": cmd_add,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "check": cmd_check,
    "finalize": cmd_finalize,
    "addendum": cmd_addendum,
    "attach": cmd_attach,
    "verify": cmd_verify,
    "change-passphrase": cmd_change_passphrase,
    "recover": cmd_recover,
    "new-recovery-key": cmd_new_recovery_key,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "export": cmd_export,
    "check-evidence": cmd_check_evidence,
    "demo": cmd_demo,
    "org": cmd_org,
}
