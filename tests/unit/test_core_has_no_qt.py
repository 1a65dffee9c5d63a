"""The core never imports Qt: services and models must work without a window."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import qzdesk

PACKAGE = Path(qzdesk.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")
CORE = ["qzdesk.services", "qzdesk.models", "qzdesk.export", "qzdesk.config", "qzdesk.logs"]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_source_file_imports_qt():
    files = [
        *(PACKAGE / "services").rglob("*.py"),
        *(PACKAGE / "models").rglob("*.py"),
        *(PACKAGE / "export").rglob("*.py"),
    ]
    assert len(files) > 10
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] in QT_MODULES
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_core_module_loads_no_qt():
    script = (
        "import importlib, pkgutil, sys\n"
        f"for top in {CORE!r}:\n"
        "    module = importlib.import_module(top)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), top + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_ast_check_would_catch_a_qt_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport os\n", encoding="utf-8")
    assert "PySide6.QtCore" in imported_modules(sample)


def test_no_widget_opens_a_database_session():
    """Views lay out, services decide: the Qt layer reaches data only through services."""
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("transaction", "engine"):
                offenders.append(f"{path.name}:{node.lineno} .{node.attr}")
        offenders += [
            f"{path.name}: imports {name}"
            for name in imported_modules(path)
            if name.split(".")[0] in ("sqlalchemy", "sqlite3")
        ]
    assert offenders == []
