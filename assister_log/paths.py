"""Where things live: the vault folder and the bundled resources.

Precedence for the vault folder: ``--vault DIR``, then ``ASSISTER_LOG_HOME``, then portable
mode (a ``portable.txt`` marker beside a frozen executable), then platformdirs' user data dir.
Resources are looked up the same way in a wheel (``assister_log/resources``), an editable
install or source tree (``<root>/resources``) and a frozen bundle (``sys._MEIPASS/resources``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from assister_log.errors import KnownError

HOME_ENV = "ASSISTER_LOG_HOME"
PORTABLE_MARKER = "portable.txt"
_RESOURCE_MARKER = "RESOURCES.md"


class UnsafePath(KnownError):
    """Refusing a path (e.g. the real home while testing)."""


def resource_dir() -> Path:
    """The folder holding fonts, icons, policy data and the password blocklist."""
    here = Path(__file__).resolve().parent
    candidates = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        candidates.append(Path(meipass) / "resources")
    candidates += [here / "resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / _RESOURCE_MARKER).is_file():
            return candidate
    raise KnownError("The program's resource files are missing: reinstall Assister Log.")


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def executable_dir() -> Path | None:
    """The folder of a frozen executable, or None when running from Python."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def portable_root() -> Path | None:
    """The frozen executable's folder when a ``portable.txt`` marker is beside it, else None.

    Portable mode (a USB stick at a community site) keeps everything the program writes in
    this folder: the vault (and so the settings, which live inside it) and crash reports."""
    exe_dir = executable_dir()
    if exe_dir is not None and (exe_dir / PORTABLE_MARKER).is_file():
        return exe_dir
    return None


def portable_home() -> Path | None:
    root = portable_root()
    return root / "vault" if root is not None else None


def portable_crash_dir() -> Path | None:
    """Where crash reports go in portable mode (None when not portable)."""
    root = portable_root()
    return root / "crash-reports" if root is not None else None


def default_vault_dir() -> Path:
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    portable = portable_home()
    if portable is not None:
        return portable
    if os.environ.get("ASSISTER_LOG_TESTING") == "1":
        raise UnsafePath(
            "Refusing to use the real user data folder while testing: set ASSISTER_LOG_HOME."
        )
    import platformdirs

    return Path(platformdirs.user_data_dir("AssisterLog", appauthor=False)) / "vault"


def resolve_vault_dir(explicit: str | os.PathLike[str] | None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    return default_vault_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
