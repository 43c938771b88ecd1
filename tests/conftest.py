"""Shared fixtures. Tests never touch the real home: ASSISTER_LOG_TESTING makes the path
module refuse the user data folder, and every vault lives in a temp folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["ASSISTER_LOG_TESTING"] = "1"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("ASSISTER_LOG_HOME", None)
os.environ.pop("ASSISTER_LOG_PASSPHRASE", None)

from assister_log.storage import kdf

kdf.enable_insecure_test_parameters()

from assister_log.domain.model import Profile, Role  # noqa: E402
from assister_log.services.session import Session  # noqa: E402

# Who writes a test record: a staff call is written by MNsure staff (the rule is policy's).
from tests.support.authors import STAFF_PROFILE as STAFF_PROFILE  # noqa: E402
from tests.support.authors import add_as_author as add_as_author  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PASSPHRASE = "correct horse battery staple"
PROFILE = Profile(
    "Jamie Ortiz", Role.NAVIGATOR, "NAV-20931", "Northside Health Access", "Brian Coyle Center"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def session(vault_dir: Path) -> Iterator[Session]:
    s, _recovery = Session.create(vault_dir, PASSPHRASE, PROFILE)
    yield s
    s.close()


@pytest.fixture
def staff_session(tmp_path: Path) -> Iterator[Session]:
    """A vault of an MNsure contact-center staff member (the staff procedure's author)."""
    s, _recovery = Session.create(tmp_path / "staff-vault", PASSPHRASE, STAFF_PROFILE)
    yield s
    s.close()


@pytest.fixture
def created(vault_dir: Path) -> tuple[Path, str]:
    """A closed vault on disk and its recovery key."""
    s, recovery = Session.create(vault_dir, PASSPHRASE, PROFILE)
    s.close()
    return vault_dir, recovery


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess (test-sized KDF through tests/support)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "tests" / "support" / "insecure_kdf_cli.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )
