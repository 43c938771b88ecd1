"""Fixtures of the reliability suite; the helpers live in support.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.support import make_vault


@pytest.fixture
def base_vault(tmp_path: Path) -> tuple[Path, list[str]]:
    """A closed vault: three records, the first finalized with an addendum."""
    folder = tmp_path / "vault"
    return folder, make_vault(folder)
