"""The one registry of document kinds: everything that names kinds reads it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from assister_log import cli
from assister_log.reports import kinds
from assister_log.reports.base import renderer_for
from assister_log.services import export
from tests.unit.reports.test_documents import example


def test_ids_are_unique_and_every_renderer_says_its_own_kind() -> None:
    assert len(set(kinds.KIND_IDS)) == len(kinds.KINDS)
    assert len({k.file_stem for k in kinds.KINDS}) == len(kinds.KINDS)
    assert [k for k in kinds.KINDS if not k.is_pdf] == [kinds.EVIDENCE]
    for kind in kinds.PDF_KINDS:
        factory = renderer_for(kind.id)
        assert factory is kind.renderer_factory()
        assert (factory.kind, factory.title) == (kind.id, kind.title)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        kinds.by_id("evidence-bundle")
    with pytest.raises(KeyError):
        renderer_for("Record")


def test_cli_kind_choices_are_the_registry() -> None:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    export_parser = commands.choices["export"]
    kind = next(a for a in export_parser._actions if a.dest == "kind")
    assert tuple(kind.choices or ()) == kinds.KIND_IDS


def test_export_titles_and_file_names_come_from_the_registry() -> None:
    assert export.KINDS == kinds.KIND_IDS
    assert {k.id: k.title for k in kinds.KINDS} == export.KIND_TITLES
    incident = example("staff-call")
    when = datetime(2026, 3, 3, tzinfo=UTC)
    assert export.suggested_filename("staff-memo", incident, when) == (
        f"staff-call-memo-{incident.incident_id}-2026-03-03.pdf"
    )
    assert set(export.kinds_for(incident)) <= set(kinds.KIND_IDS)


def test_the_cli_parser_and_the_registry_stay_light() -> None:
    """Parsing the command line loads no PDF library (reportlab, pikepdf)."""
    code = (
        "import sys\n"
        "from assister_log import cli\n"
        "import assister_log.reports.kinds, assister_log.reports.base\n"
        "cli.build_parser().parse_args(['export', 'X', '--kind', 'record', '--out', '.'])\n"
        "heavy = [m for m in ('reportlab', 'pikepdf', 'assister_log.reports.termination_record')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
