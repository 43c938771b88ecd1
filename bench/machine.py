"""What the numbers were measured on: CPU, cores, RAM, OS, Python and library versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "PySide6-Essentials",
    "sqlcipher3",
    "cryptography",
    "reportlab",
    "uharfbuzz",
    "python-bidi",
    "zxcvbn",
)


def _proc(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> list[str]:
    import sqlcipher3

    mem = _proc("/proc/meminfo", "MemTotal")
    ram = f"{int(mem.split()[0]) / 1024**2:.1f} GiB" if mem != "unknown" else mem
    sqlite = sqlcipher3.connect(":memory:").execute("SELECT sqlite_version()").fetchone()[0]
    versions = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    return [
        f"CPU: {_proc('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores; RAM {ram}",
        f"OS: {_os_name()} ({platform.machine()}, kernel {platform.release()})",
        f"Python {platform.python_version()}; SQLite {sqlite}; {versions}",
        f"load average when the table was printed: {load_average()}",
    ]


def load_average() -> str:
    """Other work on the machine skews timings; the 1/5/15-minute load shows how much."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
