"""The shape of the house: the core never imports Qt, arrows between layers run one way,
and no module imports itself round a circle."""

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
    """Every module a file imports, at its top or inside a function; `from package import
    module` names the module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """qzdesk's modules (packages included) and the qzdesk modules each imports."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    return {
        name: {m for m in imported_modules(path) if m in files and m != name}
        for name, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# Each layer may import only the layers listed for it, itself and the shared modules at the
# top (the version, the data directory, logging, the League's vocabulary).
LAYERS = {
    "qzdesk.models": set(),
    "qzdesk.services": {"qzdesk.models"},
    "qzdesk.export": {"qzdesk.models", "qzdesk.services"},
    "qzdesk.ui": {"qzdesk.services", "qzdesk.export"},
}
SHARED = {"qzdesk", "qzdesk.config", "qzdesk.logs", "qzdesk.vocabulary"}
# Every package under services/ is a domain (receiving and archive included).
DOMAINS = tuple(sorted(p.parent.name for p in (PACKAGE / "services").glob("*/__init__.py")))
# What a printed page may know of the services: the archive's snapshot, nothing that reads.
PAGE_SOURCES = {"qzdesk.services.archive.snapshot"}


def layer_of(module: str) -> str:
    return next((layer for layer in LAYERS if f"{module}.".startswith(f"{layer}.")), module)


def test_no_import_circle_between_modules():
    graph = import_graph()
    assert len(graph) > 100
    assert cycles(graph) == []


def test_the_circle_check_would_catch_a_hidden_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_arrows_between_layers_run_one_way():
    """Models know nothing above them, services no PDF or window, export no window, and
    the ui reaches data only through services (not even for enums)."""
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        for target in targets
        if layer_of(source) in LAYERS
        and layer_of(target) not in {layer_of(source), *LAYERS[layer_of(source)], *SHARED}
    )
    assert upward == []


def test_domain_packages_do_not_import_each_other_round_a_circle():
    def domain(module: str) -> str | None:
        parts = module.split(".")
        return (
            parts[2] if len(parts) > 3 and parts[1] == "services" and parts[2] in DOMAINS else None
        )

    graph: dict[str, set[str]] = {d: set() for d in DOMAINS}
    for source, targets in import_graph().items():
        for target in targets:
            a, b = domain(source), domain(target)
            if a and b and a != b:
                graph[a].add(b)
    assert cycles(graph) == []


def page_queries(files: list[Path]) -> list[str]:
    """Imports of a service other than the snapshot in the archive's pages."""
    return sorted(
        f"{path.name} -> {name}"
        for path in files
        for name in imported_modules(path)
        if name.startswith("qzdesk.services")
        and not any(name == s or name.startswith(f"{s}.") for s in PAGE_SOURCES)
    )


def test_the_archive_pages_are_drawn_from_the_snapshot_alone():
    pages = sorted((PACKAGE / "export" / "pdf" / "documents").glob("*.py"))
    assert len(pages) >= 8 and "receiving" in DOMAINS and "archive" in DOMAINS
    assert page_queries(pages) == []


def test_the_page_check_would_catch_a_page_that_queries(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "from qzdesk.services.archive.snapshot import Snapshot\n"
        "from qzdesk.services.members.records import roster_on\n",
        encoding="utf-8",
    )
    assert page_queries([page]) == [
        "page.py -> qzdesk.services.members.records",
        "page.py -> qzdesk.services.members.records.roster_on",
    ]


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
