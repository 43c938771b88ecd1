"""Issue 5, test 8: a guard that reads the package source (every .py under assister_log/,
GUI and reports included) and refuses the ways SQLCipher data leaves the ciphertext:

* ``ATTACH`` without ``KEY``, or with an empty key (a plaintext database);
* ``VACUUM INTO`` and ``sqlcipher_export`` (copies out of the encrypted file);
* the SQLite backup API (``<connection>.backup(...)``) and ``iterdump`` (plaintext copies);
* extension loading (``enable_load_extension`` / ``load_extension``);
* ``temp_store`` set to anything but MEMORY, a plaintext header, or an empty ``PRAGMA key``;
* ``sqlite3`` (plain SQLite) imported anywhere, and ``sqlcipher3`` anywhere but the one
  module that opens connections (storage/database.py).

The checker is run first on a snippet holding each violation: it must flag every one, so
the guard cannot pass by seeing nothing.
"""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

PACKAGE = ROOT / "assister_log"
CONNECTION_MODULE = "assister_log/storage/database.py"
SQL_RULES = [
    (re.compile(r"\bVACUUM\s+INTO\b", re.I), "VACUUM INTO"),
    (re.compile(r"\bsqlcipher_export\b", re.I), "sqlcipher_export"),
    (re.compile(r"\btemp_store\s*=\s*(?!\s*(MEMORY|2)\b)", re.I), "temp_store not MEMORY"),
    (re.compile(r"\bcipher_plaintext_header_size\b", re.I), "plaintext header"),
    (re.compile(r"\bPRAGMA\s+(\w+\.)?(re)?key\s*=\s*(''|\"\"|$)", re.I), "empty key"),
]
ATTACH = re.compile(r"\bATTACH\s+(DATABASE\b|['\"?:{])", re.I)  # SQL, not the word "attach"
ATTACH_WITH_KEY = re.compile(r"\bKEY\s+(?!''|\"\")\S", re.I)
FORBIDDEN_ATTRIBUTES = {"enable_load_extension", "load_extension", "iterdump"}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants, with f-strings joined (placeholders become ``{}``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            found.append((node.lineno, "".join(str(p) for p in parts)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def violations(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    found = []
    for line, text in _strings(tree):
        for pattern, label in SQL_RULES:
            if pattern.search(text):
                found.append(f"{name}:{line}: {label}")
        if ATTACH.search(text) and not ATTACH_WITH_KEY.search(text):
            found.append(f"{name}:{line}: ATTACH without a key")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{name}:{node.lineno}: {node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "backup"
            and "conn" in ast.unparse(node.func.value).lower()
        ):
            found.append(f"{name}:{node.lineno}: SQLite backup API")
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for module in modules:
                top = module.split(".")[0]
                if top == "sqlite3":
                    found.append(f"{name}:{node.lineno}: plain sqlite3 imported")
                if top == "sqlcipher3" and name != CONNECTION_MODULE:
                    found.append(f"{name}:{node.lineno}: sqlcipher3 outside {CONNECTION_MODULE}")
    return found


BAD = """
import sqlite3
import sqlcipher3.dbapi2
def f(conn, other, path, key):
    conn.execute("ATTACH DATABASE 'x.db' AS plain")
    conn.execute(f"ATTACH DATABASE '{path}' AS p KEY ''")
    conn.execute("VACUUM INTO '/tmp/copy.db'")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA cipher_plaintext_header_size = 32")
    conn.execute("PRAGMA key = ''")
    conn.enable_load_extension(True)
    conn.load_extension("x")
    conn.backup(other)
    self._conn.backup(other)
    list(conn.iterdump())
"""


def test_the_guard_flags_every_kind_of_leak() -> None:
    found = violations(BAD, "example.py")
    labels = {v.split(": ", 1)[1] for v in found}
    assert labels == {
        "plain sqlite3 imported",
        f"sqlcipher3 outside {CONNECTION_MODULE}",
        "ATTACH without a key",
        "VACUUM INTO",
        "sqlcipher_export",
        "temp_store not MEMORY",
        "plaintext header",
        "empty key",
        "enable_load_extension",
        "load_extension",
        "SQLite backup API",
        "iterdump",
    }, found
    good = 'conn.execute("ATTACH DATABASE ? AS b KEY \\"x\'00\'\\"")\nsession.backup(out)\n'
    assert violations(good, "ok.py") == []


def test_the_package_source_has_no_way_out_of_the_ciphertext() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20 and (PACKAGE / "storage" / "database.py") in files
    found = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        found += violations(path.read_text(encoding="utf-8"), name)
    assert found == [], found
