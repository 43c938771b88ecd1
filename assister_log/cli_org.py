"""``assister-log org …``: the organisation hand-off on the command line (docs/organisation.md).
Never imports Qt."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assister_log.cli_commands import PROG, Context
from assister_log.cli_output import line
from assister_log.errors import BadInput


def _password(ctx: Context) -> str | None:
    """The WebDAV password: one line on standard input, after any vault passphrase."""
    if not ctx.args.password_stdin:
        return None
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise BadInput("--password-stdin was given but no password came on standard input.")
    return password


def _ca(ctx: Context) -> str | None:
    from assister_log.services.org import read_ca_file

    return read_ca_file(Path(ctx.args.ca_file)) if ctx.args.ca_file else None


def _destination(ctx: Context) -> dict[str, str] | None:
    from assister_log.services.org import destination_from_options

    a = ctx.args
    return destination_from_options(a.folder, a.url, a.user)


def _write(path: Path, data: bytes, what: str) -> None:
    from assister_log.services.org import write_file

    write_file(path, data, what)


def cmd_init(ctx: Context) -> int:
    from assister_log.services import org

    destination = _destination(ctx)
    if destination is None:
        raise BadInput(
            "Name where navigators deliver: --folder DIR (a share or synced folder) or "
            "--url https://… (WebDAV)."
        )
    out = Path(ctx.args.profile_out).expanduser()
    passphrase = ctx.secrets.new("passphrase")
    password = _password(ctx)
    session, recovery = org.create_organisation(
        ctx.vault_dir, passphrase, ctx.args.name, destination, password=password, ca_pem=_ca(ctx)
    )
    with session:
        data = org.profile_bytes(session)
        fingerprint = org.profile_of(session, org.require_organisation(session)).fingerprint
    _write(out, data, "the organisation profile")
    line(ctx.out, f"Created the organisation's vault in {ctx.vault_dir}")
    line(ctx.out, f"Recovery key: {recovery}")
    line(ctx.out, "Write the recovery key down and keep it apart from this computer.")
    line(ctx.out, f"Profile to hand out: {out}")
    line(
        ctx.out,
        f"Its fingerprint is {fingerprint}: tell navigators this by phone or on paper, so "
        "they can check the profile they join with is yours.",
    )
    return 0


def cmd_profile(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        data = org.profile_bytes(s)
    _write(Path(ctx.args.out).expanduser(), data, "the organisation profile")
    line(ctx.out, str(Path(ctx.args.out).expanduser()))
    return 0


def cmd_join(ctx: Context) -> int:
    from assister_log.services import org

    profile, data = org.read_profile_file(Path(ctx.args.file))
    with ctx.session() as s:
        password = _password(ctx)
        joined = org.join(
            s,
            data,
            destination=_destination(ctx),
            password=password,
            ca_pem=_ca(ctx),
        )
        state = org.queue_state(s)
    line(ctx.out, f"Joined {profile.name} (profile fingerprint {profile.fingerprint}).")
    line(ctx.out, "Check that fingerprint with your organisation before you send anything.")
    line(ctx.out, f"Destination: {org.describe_destination(joined.destination)}")
    line(
        ctx.out,
        f"{state.queued} sealed entr{'y' if state.queued == 1 else 'ies'} queued: "
        "run `assister-log org send` (the app sends by itself while it is open).",
    )
    return 0


def cmd_send(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        report = org.send(s)
    for text in report.lines():
        line(ctx.out, text)
    if report.refused:
        sys.stderr.write(f"{PROG}: {report.refused}\n")
        return 1
    return 0


def cmd_status(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        if org.organisation_of(s) is not None:
            raise BadInput(
                "This is an organisation's vault: see `assister-log org report` and `org inbox`."
            )
        state = org.queue_state(s)
        own_key = org.own_fingerprint(s)
    joined = state.joined
    if ctx.args.json:
        line(
            ctx.out,
            json.dumps(
                {
                    "organisation": joined.profile.name if joined else None,
                    "your_key": own_key,
                    "destination": joined.destination if joined else None,
                    "queued": state.queued,
                    "sent": state.sent,
                    "received": state.received,
                    "pending": [
                        {
                            "position": p.position,
                            "kind": p.kind,
                            "id": p.incident_id,
                            "attempts": p.attempts,
                            "next_attempt_at": p.next_attempt_at,
                            "last_error": p.last_error,
                        }
                        for p in state.pending
                    ],
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
        return 0
    line(ctx.out, f"Your key: {own_key}")
    if joined is None:
        line(ctx.out, "Not joined to an organisation (assister-log org join PROFILE).")
        return 0
    line(ctx.out, f"Organisation: {joined.profile.name} ({joined.profile.fingerprint})")
    line(ctx.out, f"Destination: {org.describe_destination(joined.destination)}")
    line(
        ctx.out,
        f"Queued {state.queued}, sent awaiting a receipt {state.sent}, received {state.received}.",
    )
    for p in state.pending:
        retry = f", next try {p.next_attempt_at[:16]}" if p.next_attempt_at else ""
        error = f" — {p.last_error}" if p.last_error else ""
        line(
            ctx.out,
            f"  entry {p.position:>5} {p.kind:<8} {p.incident_id}  tries {p.attempts}"
            f"{retry}{error}",
        )
    return 0


def cmd_import(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        report = org.import_from_destination(s)
    for text in report.lines():
        line(ctx.out, text)
    return 1 if report.refused else 0


def cmd_report(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        r = org.report(s)
    if ctx.args.json:
        line(
            ctx.out,
            json.dumps(
                {
                    "records": r.total,
                    "purged": r.purged,
                    "by_procedure": r.by_procedure,
                    "by_ground": r.by_ground,
                    "by_site": r.by_site,
                    "by_month": r.by_month,
                    "shared_parties": [
                        {"name": n, "case_number": c, "authors": a} for n, c, a in r.shared_parties
                    ],
                    "authors": [
                        {
                            "name": a.name,
                            "site": a.site,
                            "fingerprint": a.fingerprint,
                            "entries": a.entries,
                        }
                        for a in r.authors
                    ],
                    "refused": [p.problem for p in r.problems],
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
        return 0
    line(ctx.out, f"Records received: {r.total} ({r.purged} purged after retention).")
    for title, counts in (
        ("By procedure", r.by_procedure),
        ("By ground", r.by_ground),
        ("By site", r.by_site),
        ("By month", r.by_month),
    ):
        line(ctx.out, f"{title}:")
        for key, count in counts.items():
            line(ctx.out, f"  {count:>6}  {key}")
    line(ctx.out, "Authors:")
    for a in r.authors:
        line(ctx.out, f"  {a.entries:>6}  {a.name} {a.site}  key {a.fingerprint[:16]}")
    if r.shared_parties:
        line(ctx.out, "Appears in several authors' records (same name and case number):")
        for name, case, names in r.shared_parties:
            line(ctx.out, f"  {name} (case {case}): {', '.join(names)}")
    for p in r.problems:
        line(ctx.out, f"REFUSED: {p.problem}")
    return 0


def cmd_inbox(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        rows = org.inbox_records(s, ctx.args.query)
    if not rows:
        line(ctx.out, "No records.")
    for r in rows:
        line(
            ctx.out,
            f"{r.incident_id}  {r.state:<6}  {r.occurred_utc[:16]}  {r.procedure:<25}  "
            f"{r.party_name}  [{r.grounds}]  by {r.author_name} ({r.author[:16]})",
        )
    return 0


def cmd_export(ctx: Context) -> int:
    from assister_log.services import org

    with ctx.session() as s:
        path = org.export_received(
            s, ctx.args.id, ctx.args.kind, Path(ctx.args.out), author=ctx.args.author
        )
    line(ctx.out, str(path))
    return 0


ACTIONS = {
    "init": cmd_init,
    "profile": cmd_profile,
    "join": cmd_join,
    "send": cmd_send,
    "status": cmd_status,
    "import": cmd_import,
    "report": cmd_report,
    "inbox": cmd_inbox,
    "export": cmd_export,
}


def cmd_org(ctx: Context) -> int:
    return ACTIONS[ctx.args.org_command](ctx)
