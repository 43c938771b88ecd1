"""Packaging, checked without building: desktop entry and AppStream metainfo validate, the
icons exist in every size with the right pixels, the installer scripts say what they must,
the version comes from one place, and the PyInstaller spec leaves out the Qt modules the app
does not use (and none that it does)."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import assister_log
from assister_log import APP_ID, APP_NAME, __version__, paths

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
DESKTOP = ROOT / "resources" / "desktop" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / "desktop" / f"{APP_ID}.metainfo.xml"
ISS = PACKAGING / "windows" / "assister-log.iss"
PLIST = PACKAGING / "macos" / "Info.plist"
SPEC = PACKAGING / "assister-log.spec"


def load(name: str) -> ModuleType:
    """A script in packaging/ as a module (packaging/ is no package: PyPI owns that name)."""
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_icons = load("make_icons")
check_bundle = load("check_bundle")


def spec_value(name: str) -> Any:
    """A literal assigned at the top level of the .spec (lists, sets, dicts, re.compile(str))."""
    for node in ast.parse(SPEC.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            value = node.value
            if isinstance(value, ast.Call):  # re.compile("...")
                value = value.args[0]
            return ast.literal_eval(value)
    raise AssertionError(f"{name} not assigned in {SPEC.name}")


def png_dimensions(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# ---------------------------------------------------------------------------- desktop entry


def test_desktop_entry_fields() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == APP_NAME
    assert section["Icon"] == APP_ID
    assert section["Exec"].split()[0] == "assister-log"
    assert section["Terminal"] == "false"


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate not installed (apt: desktop-file-utils)",
)
def test_desktop_entry_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# ------------------------------------------------------------------------------- metainfo


def test_metainfo_fields_and_release_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    launchable = root.find("launchable")
    assert launchable is not None and launchable.text == DESKTOP.name
    releases = root.findall("releases/release")
    assert releases, "no <release>"
    assert releases[0].get("version") == __version__, "newest <release> is not __version__"


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli not installed (apt: appstream)"
)
def test_metainfo_validates_with_appstreamcli() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^[EW]:", result.stdout, re.M), result.stdout


@pytest.mark.skipif(
    shutil.which("appstream-util") is None,
    reason="appstream-util not installed (apt: appstream-util)",
)
def test_metainfo_validates_with_appstream_util() -> None:
    result = subprocess.run(
        ["appstream-util", "validate-relax", "--nonet", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------------------------- icons


def test_svg_master_is_square_svg() -> None:
    root = ET.parse(ICONS / "assister-log.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"


@pytest.mark.parametrize("size", make_icons.SIZES)
def test_png_icon_has_its_size(size: int) -> None:
    data = make_icons.png_path(size).read_bytes()
    assert png_dimensions(data) == (size, size)


def test_sizes_cover_16_to_512() -> None:
    assert {16, 32, 48, 64, 128, 256, 512} <= set(make_icons.SIZES)


def test_ico_holds_each_size_as_png() -> None:
    data = (ICONS / "assister-log.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height, _c, _r, _planes, _bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        pixels = png_dimensions(data[offset : offset + length])
        assert pixels == (width or 256, height or 256)
        sizes.add(pixels[0])
    assert sizes == set(make_icons.ICO_SIZES)


def test_icns_holds_each_type_with_its_pixels() -> None:
    data = (ICONS / "assister-log.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found = {}
    pos = 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        found[kind] = png_dimensions(data[pos + 8 : pos + length])[0]
        pos += length
    assert found == {kind: size for kind, size in make_icons.ICNS_TYPES}


def test_icon_writers_round_trip_through_pillow(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    pngs = {size: make_icons.png_path(size).read_bytes() for size in make_icons.SIZES}
    (tmp_path / "a.ico").write_bytes(make_icons.ico_bytes({s: pngs[s] for s in (16, 32, 256)}))
    with image.open(tmp_path / "a.ico") as ico:
        assert ico.info["sizes"] == {(16, 16), (32, 32), (256, 256)}
    pngs[1024] = pngs[512]  # stands in: only the structure is read here
    (tmp_path / "a.icns").write_bytes(make_icons.icns_bytes(pngs))
    with image.open(tmp_path / "a.icns") as icns:
        assert (16, 16, 1) in icns.info["sizes"] and (512, 512, 1) in icns.info["sizes"]


# ------------------------------------------------------------------------ Windows installer


def iss_text() -> str:
    return ISS.read_text("utf-8")


def test_iss_is_per_user_without_admin() -> None:
    text = iss_text()
    assert re.search(r"^PrivilegesRequired=lowest\s*$", text, re.M)
    assert not re.search(r"^PrivilegesRequiredOverridesAllowed=", text, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}", text, re.M)  # per-user Programs folder


def test_iss_has_start_menu_entry_and_icon() -> None:
    text = iss_text()
    assert re.search(
        r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', text, re.M
    )
    icon = re.search(r"^SetupIconFile=(.+)$", text, re.M)
    assert icon is not None
    assert (ISS.parent / icon.group(1).strip().replace("\\", "/")).is_file()


def test_iss_uninstaller_keeps_the_vault_and_says_so() -> None:
    text = iss_text()
    message = re.search(r"^english:VaultKept=(.+)$", text, re.M)
    assert message is not None
    assert "NOT deleted" in message.group(1) and "vault" in message.group(1).lower()
    assert "CurUninstallStepChanged" in text and "usPostUninstall" in text
    assert "CustomMessage('VaultKept')" in text
    assert "{localappdata}\\AssisterLog\\vault" in text  # where platformdirs puts it
    deleted = re.search(r"^\[UninstallDelete\](.*?)^\[", text, re.M | re.S)
    assert deleted is None or "vault" not in deleted.group(1).lower()


def test_iss_version_comes_from_the_build() -> None:
    text = iss_text()
    assert "AppVersion={#AppVersion}" in text
    assert "OutputBaseFilename=assister-log-{#AppVersion}-" in text
    assert not re.search(r"AppVersion=\d", text), "version written into the .iss"


# ------------------------------------------------------------------------------- macOS


def test_info_plist_parses_and_matches_the_package() -> None:
    info = plistlib.loads(PLIST.read_bytes())
    assert info["CFBundleShortVersionString"] == __version__
    assert info["CFBundleVersion"] == __version__
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleName"] == APP_NAME
    assert info["CFBundleExecutable"] == "assister-log"
    assert (ICONS / info["CFBundleIconFile"]).is_file()
    plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())


def test_dmg_recipe_uses_hdiutil_and_the_package_version() -> None:
    script = (PACKAGING / "macos" / "build-app.sh").read_text("utf-8")
    assert "hdiutil create" in script
    assert "assister_log.__version__" in script
    assert 'dmg="dist/assister-log-$version-macos-$arch.dmg"' in script


# --------------------------------------------------------------------- version, one place


def test_spec_reads_the_version_from_the_package() -> None:
    text = SPEC.read_text("utf-8")
    assert 'VERSION = read_constant("__version__")' in text
    assert not re.search(r"\b\d+\.\d+\.\d+\b", text), "a version number written into the spec"


def test_no_packaging_script_hardcodes_the_version() -> None:
    written = re.compile(rf"(?<![\d.]){re.escape(__version__)}(?![\d.])")
    for path in [*PACKAGING.rglob("*.sh"), *PACKAGING.rglob("*.py"), *PACKAGING.rglob("*.cmd")]:
        assert not written.search(path.read_text("utf-8")), path


# ------------------------------------------------------------------------ PyInstaller spec


def qt_modules_in_source() -> set[str]:
    used: set[str] = check_bundle.qt_modules_used(Path(assister_log.__file__).parent)
    return used


def test_spec_excludes_unused_qt_modules() -> None:
    excluded = set(spec_value("EXCLUDED_QT_MODULES"))
    for name in (
        "QtQuick",
        "QtQml",
        "QtPdf",
        "QtVirtualKeyboard",
        "QtWebEngineCore",
        "Qt3DCore",
        "QtMultimedia",
        "QtNetwork",
        "QtQuickWidgets",
        "QtOpenGL",
    ):
        assert name in excluded, name


def test_spec_excludes_nothing_the_app_imports() -> None:
    used = qt_modules_in_source()
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    excluded = set(spec_value("EXCLUDED_QT_MODULES"))
    assert not used & excluded, f"the app imports {sorted(used & excluded)}: un-exclude them"
    libs = re.compile(spec_value("EXCLUDED_QT_LIBS"))
    for module in used:
        assert not libs.search(f"PySide6/Qt/lib/libQt6{module[2:]}.so.6"), module


@pytest.mark.parametrize(
    ("path", "dropped"),
    [
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),
        ("PySide6/Qt/lib/libQt6QmlModels.so.6", True),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", True),
        ("PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", True),
        ("PySide6\\Qt6WebEngineCore.dll", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("PySide6/Qt/lib/libQt6Gui.so.6", False),
        ("PySide6/Qt/lib/libQt6DBus.so.6", False),
        ("PySide6/Qt/lib/libQt6PrintSupport.so.6", False),
        ("PySide6/Qt/lib/libQt6OpenGL.so.6", False),  # Wayland's EGL client buffers
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", False),
    ],
)
def test_excluded_qt_library_pattern(path: str, dropped: bool) -> None:
    libs = re.compile(spec_value("EXCLUDED_QT_LIBS"))
    assert bool(libs.search(path)) is dropped


def test_spec_keeps_the_plugins_a_desktop_needs() -> None:
    kept = spec_value("KEPT_PLUGINS")
    assert isinstance(kept, dict)
    assert {"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"} <= kept["platforms"]
    assert "qtvirtualkeyboardplugin" not in kept["platforminputcontexts"]
    assert "qpdf" not in kept["imageformats"]
    assert "printsupport" in kept  # the recovery key can be printed
    assert "qml" not in kept and "qmltooling" not in kept


def test_spec_collects_our_data_and_compiled_modules() -> None:
    text = SPEC.read_text("utf-8")
    assert '(str(ROOT / "resources"), "resources")' in text
    assert 'collect_data_files("reportlab")' in text  # its fonts/ folder is not collected
    for module in ("sqlcipher3._sqlite3", "uharfbuzz._harfbuzz", "bidi.bidi"):
        assert f'"{module}"' in text, module
    assert 'collect_submodules("assister_log")' in text  # renderers are imported by name
    assert 'collect_submodules("reportlab.graphics.barcode")' in text  # imported by name


# --------------------------------------------------------------------------- portable mode


def test_portable_mode_keeps_vault_and_crash_reports_beside_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "assister-log"))
    monkeypatch.delenv("ASSISTER_LOG_HOME", raising=False)
    assert paths.portable_root() is None and paths.portable_home() is None
    assert paths.portable_crash_dir() is None
    (tmp_path / paths.PORTABLE_MARKER).write_text("", "utf-8")
    assert paths.portable_root() == tmp_path
    assert paths.default_vault_dir() == tmp_path / "vault"
    assert paths.portable_crash_dir() == tmp_path / "crash-reports"


def test_not_portable_when_running_from_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / paths.PORTABLE_MARKER).write_text("", "utf-8")
    assert paths.portable_root() is None


# ------------------------------------------------------------------------------- scripts


SCRIPTS = sorted([*PACKAGING.glob("*.sh"), *PACKAGING.glob("*/*.sh")])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(PACKAGING)))
def test_shell_script_syntax(script: Path) -> None:
    assert script.stat().st_mode & 0o111, f"{script} is not executable"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shell_scripts_pass_shellcheck() -> None:
    result = subprocess.run(["shellcheck", *map(str, SCRIPTS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_check_bundle_finds_every_qt_import_form(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "from PySide6.QtCore import Qt\nimport PySide6.QtSvg\n"
        "def f():\n    from PySide6 import (QtPrintSupport,\n        QtDBus)\n",
        "utf-8",
    )
    assert check_bundle.qt_modules_used(tmp_path) == {"QtCore", "QtSvg", "QtPrintSupport", "QtDBus"}
