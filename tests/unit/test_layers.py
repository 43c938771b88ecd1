"""The architecture's rules, checked: everything but assister_log.ui is Qt-free, and the
bundled resources are found the same way from the source tree and from an installed wheel."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import assister_log

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(assister_log.__path__, "assister_log."):
        if info.name.startswith("assister_log.ui") or info.name == "assister_log.__main__":
            continue
        names.append(info.name)
    return names


def test_core_never_imports_qt() -> None:
    modules = core_modules()
    assert "assister_log.storage.vault" in modules and "assister_log.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_commands_do_not_load_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from assister_log import cli\n"
        "cli.run(['--vault', sys.argv[1], 'list', '--passphrase-stdin'])\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "none")],
        input="x\n",
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "False"


def test_resources_found_from_the_source_tree() -> None:
    from assister_log.paths import resource, resource_dir

    assert resource_dir() == ROOT / "resources"
    assert resource("passwords", "common-passwords.txt").is_file()


@pytest.mark.slow
def test_resources_found_from_an_installed_wheel(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(wheel_dir.glob("assister_log-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    code = (
        "from assister_log.paths import resource_dir, resource; import assister_log;"
        "print(resource_dir()); print(resource('passwords','common-passwords.txt').stat().st_size > 0);"
        "print(assister_log.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    location, found, module = result.stdout.split()
    assert location == str(target / "assister_log" / "resources")
    assert found == "True" and module.startswith(str(target))
