"""The architecture's rules, checked: everything but assister_log.ui is Qt-free; imports
go down the layers (ui and the CLI -> services -> domain/policy/storage/reports), never up
and never round in a cycle; and the bundled resources are found the same way from the
source tree and from an installed wheel."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
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


# ------------------------------------------------------------------------ the layers

PACKAGE = "assister_log"

# Top-level helper modules (and the package's own __init__: APP_NAME, __version__): a base
# layer every layer may import. They import nothing but one another.
BASE = frozenset({PACKAGE, "errors", "paths", "passphrase", "recovery_key", "crash", "clock"})

# Which layer each layer may import (besides itself and BASE). Front ends sit on top.
ALLOWED: dict[str, frozenset[str]] = {
    "main": frozenset({"cli", "ui"}),  # __main__: picks the CLI or the desktop app
    "ui": frozenset({"services", "domain", "policy"}),
    # cli.py, cli_commands.py, cli_org.py, cli_output.py
    "cli": frozenset({"services", "domain", "policy"}),
    "services": frozenset({"domain", "policy", "storage", "reports", "transport"}),
    "transport": frozenset(),  # destinations (folder, WebDAV): bytes in, bytes out
    "reports": frozenset({"domain", "policy"}),
    "storage": frozenset({"domain"}),
    "policy": frozenset({"domain"}),
    "domain": frozenset(),
    "base": frozenset(),
}

# Edges that break the table today, each with its reason; the test fails if one goes away
# (so that the exception is removed from here too).
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def layer_of(module: str) -> str:
    """The layer of an ``assister_log`` module; an unplaced module is an error."""
    parts = module.split(".")
    assert parts[0] == PACKAGE, module
    if len(parts) == 1 or parts[1] in BASE:
        return "base"
    head = parts[1]
    if head == "__main__":
        return "main"
    if head in ("cli", "cli_commands", "cli_org", "cli_output"):
        return "cli"
    if head in ALLOWED:
        return head
    raise AssertionError(f"{module} belongs to no layer: add it to the table in {__file__}")


def imports_of(source: str, module: str, is_package: bool, known: Iterable[str]) -> set[str]:
    """Every ``assister_log`` module that ``source`` imports, anywhere in it (inside
    functions and ``if TYPE_CHECKING:`` too); ``from pkg import name`` counts as importing
    ``pkg.name`` when that is a module."""
    known = set(known)
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
    return {name for name in found if name == PACKAGE or name.startswith(PACKAGE + ".")}


def import_map(root: Path) -> dict[str, set[str]]:
    """module -> the assister_log modules it imports, for every module under ``root``
    (the package folder)."""
    files: dict[str, tuple[Path, bool]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        files[".".join(parts)] = (path, is_package)
    return {
        name: imports_of(path.read_text("utf-8"), name, is_package, files)
        for name, (path, is_package) in files.items()
    }


def layer_violations(
    imports: Mapping[str, Iterable[str]],
    exceptions: Mapping[tuple[str, str], str] = KNOWN_EXCEPTIONS,
) -> list[str]:
    """Each import that goes against ``ALLOWED`` (and is not a known exception), and
    each cycle between layers."""
    problems = []
    graph: dict[str, set[str]] = {}
    for module, targets in sorted(imports.items()):
        source = layer_of(module)
        for target in sorted(set(targets)):
            into = layer_of(target)
            if into == source:
                continue
            graph.setdefault(source, set()).add(into)
            if into == "base" or into in ALLOWED[source] or (module, target) in exceptions:
                continue
            problems.append(f"{module} ({source}) imports {target} ({into})")
    for cycle in layer_cycles(graph):
        problems.append("cycle between layers: " + " -> ".join(cycle))
    return problems


def layer_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The cycles of a layer graph (one path per cycle found by depth-first search)."""
    cycles: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_the_layer_table_has_no_cycle() -> None:
    assert layer_cycles(ALLOWED) == []


def test_imports_follow_the_layers() -> None:
    imports = import_map(Path(assister_log.__file__).parent)
    # The walk sees the real tree, imports inside functions included.
    assert "assister_log.services.session" in imports["assister_log.ui.controller"]
    assert layer_violations(imports) == []
    for module, target in KNOWN_EXCEPTIONS:
        assert target in imports.get(module, set()), f"{module} -> {target} is gone: drop it"


def test_ui_and_cli_never_import_storage() -> None:
    imports = import_map(Path(assister_log.__file__).parent)
    front = [m for m in imports if layer_of(m) in ("ui", "cli")]
    assert "assister_log.ui.list_page" in front and "assister_log.cli_commands" in front
    assert [(m, t) for m in front for t in imports[m] if layer_of(t) == "storage"] == []


def test_a_planted_upward_import_is_reported(tmp_path: Path) -> None:
    """The checker on a small package written to disk: an upward import hidden in a
    function, a relative one, and a new module no layer holds are all caught."""
    root = tmp_path / PACKAGE
    for folder in ("storage", "services", "domain", "ui"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "errors.py").write_text("")
    (root / "domain" / "model.py").write_text("from assister_log import errors\n")
    (root / "services" / "session.py").write_text("from ..storage import vault\n")
    (root / "storage" / "vault.py").write_text(
        "from assister_log.domain import model\n"
        "def load():\n"
        "    from assister_log.services.session import Session  # upward\n"
    )
    (root / "ui" / "page.py").write_text("import assister_log.storage.vault\n")
    imports = import_map(root)
    assert imports["assister_log.services.session"] == {"assister_log.storage.vault"}
    assert layer_violations(imports) == [
        "assister_log.storage.vault (storage) imports assister_log.services.session (services)",
        "assister_log.ui.page (ui) imports assister_log.storage.vault (storage)",
        "cycle between layers: services -> storage -> services",
    ]
    (root / "gadgets.py").write_text("")
    with pytest.raises(AssertionError, match="belongs to no layer"):
        layer_violations(import_map(root))


def test_a_known_exception_covers_only_its_own_edge() -> None:
    imports = {
        "assister_log.cli": {"assister_log.reports.kinds"},
        "assister_log.cli_commands": {"assister_log.reports.base"},
        "assister_log.domain.model": {"assister_log.policy.rules"},
    }
    known = {("assister_log.cli", "assister_log.reports.kinds"): "a planted exception"}
    assert layer_violations(imports, exceptions=known) == [
        "assister_log.cli_commands (cli) imports assister_log.reports.base (reports)",
        "assister_log.domain.model (domain) imports assister_log.policy.rules (policy)",
    ]
    assert len(layer_violations(imports)) == 3  # the real table has no exception left


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
