"""The frozen program, built and run: packaging/build.sh makes the one-folder bundle with
PyInstaller (about 20-40 s), packaging/smoke.sh runs the BUILT program (--version,
--smoke-test, portable mode, the desktop app up to its unlock window, the bundle check)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the build scripts are for Linux")
@pytest.mark.skipif(shutil.which("objdump") is None, reason="PyInstaller needs objdump (binutils)")
def test_frozen_bundle_builds_and_passes_its_smoke_test() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTER_LOG_")}
    env["PYTHON"] = sys.executable  # the interpreter running the tests, with the app installed
    build = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    smoke = subprocess.run(
        ["bash", str(ROOT / "packaging" / "smoke.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert smoke.returncode == 0, smoke.stdout[-3000:] + smoke.stderr[-3000:]
    assert "smoke.sh: all passed" in smoke.stdout
