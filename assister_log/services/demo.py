"""The demo vault (``assister-log demo``) and the no-window self-test (``--smoke-test``).

Both build a vault in a temporary folder from the bundled example records (one per
procedure, in ``resources/examples``), finalize and add an addendum, attach an image, render
every PDF kind and verify the seal chain — the demo to show a newcomer what the app makes,
the smoke test to prove a frozen build works end to end. The vault is a navigator's; its staff
call is written by a demo MNsure staff member, because the staff procedure is MNsure staff's
only (``policy.procedures``).
"""

from __future__ import annotations

import json
import struct
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from assister_log.domain.model import Profile, Role
from assister_log.errors import KnownError
from assister_log.paths import resource
from assister_log.services.session import Session
from assister_log.storage.kdf import KdfParams

DEMO_PASSPHRASE = "demo vault only, never for real records"
DEMO_PROFILE = Profile(
    name="Jamie Ortiz",
    role=Role.NAVIGATOR,
    credential_id="NAV-20931",
    organisation="Northside Health Access (demo)",
    site="Brian Coyle Center",
)
# The staff procedure is for MNsure contact-center staff: its example has its own author.
DEMO_STAFF_PROFILE = Profile(
    name="Sam Lindqvist",
    role=Role.MNSURE_STAFF,
    credential_id="MNS-4471",
    organisation="MNsure Contact Center (demo)",
    site="St. Paul",
)
EXAMPLES = ("inappropriate-interaction", "suspected-fraud", "staff-call")
AUTHORS = {"staff-call": DEMO_STAFF_PROFILE}
# RFC 9106's second recommended option: production-strength, without calibration time.
FIXED_PARAMS = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=4)


@dataclass
class DemoResult:
    vault_dir: Path
    passphrase: str
    incident_ids: list[str] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    bundles: list[Path] = field(default_factory=list)


def sample_png(width: int = 320, height: int = 200) -> bytes:
    """A small generated PNG (a grey 'screenshot' with a band), so the demo needs no files."""
    rows = []
    for y in range(height):
        shade = 90 if 40 <= y < 70 else 225
        rows.append(b"\x00" + bytes([shade, shade, 235 if shade == 90 else shade]) * width)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def populate(session: Session) -> list[str]:
    """Add one record per procedure, each by an author who may follow it (a record copies
    the profile when it is made; the vault keeps its own); finalize two, add an addendum and
    an image."""
    ids = []
    own = session.require_profile()
    for name in EXAMPLES:
        data = json.loads(resource("examples", f"{name}.json").read_text("utf-8"))
        author = AUTHORS.get(name, own)
        if author != own:
            session.set_profile(author)
        try:
            ids.append(session.add_from_data(data).incident_id)
        finally:
            if author != own:
                session.set_profile(own)
    session.attach_bytes(
        ids[1],
        "call-log-screenshot.png",
        sample_png(),
        "image/png",
        "Screenshot of the call log showing the 10:00 call.",
    )
    session.finalize(ids[0])
    session.addendum(
        ids[0],
        "The site manager confirmed the consumer left the building at 14:35.",
        "Witness confirmation received the next day",
    )
    session.finalize(ids[2])
    return ids


def create_demo(out: Path | None = None, *, params: KdfParams | None = FIXED_PARAMS) -> DemoResult:
    from assister_log.services.export import export_pdf, kinds_for

    base = out if out is not None else Path(tempfile.mkdtemp(prefix="assister-log-demo-"))
    vault_dir = base / "vault"
    session, _recovery = Session.create(vault_dir, DEMO_PASSPHRASE, DEMO_PROFILE, params=params)
    result = DemoResult(vault_dir, DEMO_PASSPHRASE)
    with session:
        result.incident_ids = populate(session)
        pdf_dir = base / "pdfs"
        pdf_dir.mkdir(mode=0o700, exist_ok=True)
        for incident_id in result.incident_ids:
            for kind in kinds_for(session.get(incident_id)):
                written = export_pdf(session, incident_id, kind, pdf_dir)
                (result.pdfs if written.suffix == ".pdf" else result.bundles).append(written)
    return result


def smoke_test(out: TextIO) -> int:
    """Exercise every layer without a window; exit 0 only if all of it works."""
    from assister_log.services.export import PDF_KINDS as KINDS
    from assister_log.services.export import render_pdf

    with tempfile.TemporaryDirectory(prefix="assister-log-smoke-") as tmp:
        try:
            folder = Path(tmp) / "vault"
            session, _ = Session.create(folder, DEMO_PASSPHRASE, DEMO_PROFILE, params=FIXED_PARAMS)
            with session:
                ids = populate(session)
                session.finalize(ids[1])
                rendered = set()
                for incident_id in ids:
                    for kind in KINDS:
                        try:
                            pdf = render_pdf(session, incident_id, kind)
                        except KnownError:
                            continue  # kind not applicable to this procedure
                        if not pdf.startswith(b"%PDF-"):
                            raise RuntimeError(f"{kind} is not a PDF")
                        rendered.add(kind)
                if rendered != set(KINDS):
                    raise RuntimeError(f"rendered only {sorted(rendered)}")
                problems = session.verify()
                if problems:
                    raise RuntimeError(problems[0])
            with Session.unlock(folder, DEMO_PASSPHRASE) as again:
                if again.count() != 3:
                    raise RuntimeError("records missing after reopening")
        except Exception as error:  # the smoke test reports, it does not crash
            out.write(f"smoke test FAILED: {type(error).__name__}: {error}\n")
            return 1
    out.write(
        "smoke test passed: vault, records of every procedure, seal chain, "
        f"signed PDFs ({', '.join(KINDS)})\n"
    )
    return 0
