"""Check a built one-folder bundle without running it.

    python3 packaging/check_bundle.py [dist/assister-log]

- the files the program needs are there (our resources, reportlab's fonts, the compiled
  modules of sqlcipher3, uharfbuzz, python-bidi, cryptography);
- every Qt module the source imports (when assister_log/ is beside packaging/) is bundled, and
  none of the excluded ones came back (Quick, Qml, Pdf, VirtualKeyboard, WebEngine, ...);
- Linux: every shared library a bundled binary links to is in the bundle or on this host,
  except the optional host libraries (CUPS for printing, Wayland), which are only reported;
- prints the size. Exit 1 on any problem. Needs only Python and objdump (binutils).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REQUIRED = [
    "resources/RESOURCES.md",
    "resources/policy",
    "resources/examples/staff-call.json",
    "resources/fonts/NotoSans-Regular.ttf",
    "resources/icons/assister-log.svg",
    "reportlab/fonts/Vera.ttf",
]
REQUIRED_GLOBS = [
    "sqlcipher3/_sqlite3*",
    "uharfbuzz/_harfbuzz*",
    "bidi/bidi*",
    "cryptography/hazmat/bindings/_rust*",
    "PySide6/QtWidgets*",
    "PySide6/QtPrintSupport*",
    "PySide6/Qt/plugins/platforms/*offscreen*",
]
FORBIDDEN = re.compile(
    r"(?:lib)?Qt6?(?:Quick|Qml|Pdf|VirtualKeyboard|WebEngine|3D|Multimedia|Network|Designer)"
)
# Host libraries whose absence only disables a feature (the program still starts).
OPTIONAL_HOST = re.compile(r"^lib(?:cups|wayland-[a-z]+|gtk-3|gdk-3)\.so")
# 150 MB until the evidence work (issue 11): signed PDFs brought pyHanko (and Python's ssl
# with its OpenSSL, ~5 MB, which pyHanko imports at load), pikepdf/qpdf (~7 MB) and lxml
# (~9 MB, pikepdf's XMP support): 174 MB measured on Linux with PySide6 6.11.3.
LIMIT_MB = 180
ROOT = Path(__file__).resolve().parent.parent
QT_IMPORT = re.compile(r"PySide6\.(Qt\w+)|from\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")


def qt_modules_used(source: Path) -> set[str]:
    """The PySide6 modules the app's source refers to (imports anywhere, also in functions)."""
    used: set[str] = set()
    for path in source.rglob("*.py"):
        for match in QT_IMPORT.finditer(path.read_text("utf-8")):
            if match.group(1):
                used.add(match.group(1))
            else:
                used.update(n.strip() for n in match.group(2).split(",") if n.strip())
    return {name for name in used if name.startswith("Qt")}


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def host_libraries() -> set[str]:
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines()[1:] if line.strip()}


def check(bundle: Path) -> list[str]:
    internal = bundle / "_internal"
    problems = [f"missing: {name}" for name in REQUIRED if not (internal / name).exists()]
    problems += [
        f"missing: {pattern}" for pattern in REQUIRED_GLOBS if not list(internal.glob(pattern))
    ]
    source = ROOT / "assister_log"
    if source.is_dir():
        for module in sorted(qt_modules_used(source)):
            if not list(internal.glob(f"PySide6/{module}.*")):
                problems.append(f"the app imports PySide6.{module} but the bundle lacks it")
    for path in internal.rglob("*"):
        if FORBIDDEN.search(path.name) and path.suffix != ".py":
            problems.append(f"excluded Qt module came back: {path.relative_to(bundle)}")
    if sys.platform.startswith("linux"):
        bundled = {p.name for p in internal.rglob("*")}
        host = host_libraries()
        optional: set[str] = set()
        for elf in elf_files(bundle):
            for lib in needed(elf):
                if lib in bundled or lib in host:
                    continue
                if OPTIONAL_HOST.match(lib):
                    optional.add(lib)
                else:
                    problems.append(f"{elf.relative_to(bundle)} needs {lib}: not found")
        for lib in sorted(optional):
            print(f"note: optional host library {lib} is not installed here")
    return problems


def size_mb(bundle: Path) -> float:
    total = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1024 / 1024


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else "dist/assister-log")
    if not (bundle / "_internal").is_dir():
        print(f"check_bundle: {bundle} is not a one-folder bundle", file=sys.stderr)
        return 1
    problems = check(bundle)
    size = size_mb(bundle)
    if size > LIMIT_MB:
        problems.append(f"bundle is {size:.1f} MB, over the {LIMIT_MB} MB target")
    for problem in problems:
        print(f"check_bundle: {problem}", file=sys.stderr)
    print(f"bundle {bundle}: {size:.1f} MB (file sizes), {'OK' if not problems else 'FAILED'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
