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
    module` names the module. Imports for type annotations alone (`if TYPE_CHECKING:`) are
    no dependency at run time and are left out (the context names the overview's type)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
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


# Who may import whom among the domains (docs/architecture.md has the same table): the
# lower a domain, the fewer it knows. A new arrow is a design decision: add it here and
# to the doc, never round a circle.
DOMAIN_IMPORTS = {
    "storage": set(),
    "organisation": {"storage"},
    "security": {"organisation", "storage"},
    "members": {"organisation", "storage"},
    "admission": {"members", "organisation", "storage"},
    "meetings": {"members", "organisation", "storage"},
    "receiving": {
        "dues",
        "meetings",
        "members",
        "organisation",
        "party",
        "security",
        "storage",
        "transfer",
    },
    "archive": {
        "admission",
        "committee",
        "dues",
        "meetings",
        "members",
        "organisation",
        "receiving",
        "party",
        "security",
        "storage",
        "transfer",
    },
    "demo": {
        "admission",
        "committee",
        "dues",
        "meetings",
        "members",
        "organisation",
        "party",
        "security",
        "storage",
    },
    "dues": {"meetings", "organisation"},
    "committee": {"members", "organisation", "receiving", "storage"},
    "dossier": {"admission", "meetings", "members", "organisation", "party", "storage"},
    "party": {"admission", "dues", "meetings", "members", "organisation", "storage"},
    "transfer": {"dossier", "dues", "members", "organisation", "security", "storage"},
}


def domain_graph() -> dict[str, set[str]]:
    def domain(module: str) -> str | None:
        parts = module.split(".")
        return (
            parts[2] if len(parts) > 2 and parts[1] == "services" and parts[2] in DOMAINS else None
        )

    graph: dict[str, set[str]] = {d: set() for d in DOMAINS}
    for source, targets in import_graph().items():
        for target in targets:
            a, b = domain(source), domain(target)
            if a and b and a != b:
                graph[a].add(b)
    return graph


def test_domain_packages_do_not_import_each_other_round_a_circle():
    assert cycles(domain_graph()) == []
    assert cycles(DOMAIN_IMPORTS) == []


def test_domains_import_only_what_the_table_allows():
    assert sorted(DOMAIN_IMPORTS) == sorted(DOMAINS), "a new domain gets its row in the table"
    found = domain_graph()
    beyond = sorted(f"{a} -> {b}" for a in found for b in found[a] - DOMAIN_IMPORTS[a])
    assert beyond == []


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


# The one clock: nothing but services/clock.py reads the time (a widget's wall clock
# dated a member's move once; the machine's time zone is not the League's).
CLOCK_READS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    # Qt's own wall clock: a date widget started on it is a day behind Beijing for eight
    # hours of every day on a machine outside China's zone.
    ("QDate", "currentDate"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
}


def clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in CLOCK_READS
        ):
            found.append(f"{path.name}:{node.lineno} {node.func.value.id}.{node.func.attr}()")
    return found


def test_only_the_clock_reads_the_time():
    files = [p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "services" / "clock.py"]
    assert len(files) > 150
    assert [hit for path in files for hit in clock_reads(path)] == []
    assert clock_reads(PACKAGE / "services" / "clock.py")  # it does read it itself


def test_the_clock_check_would_catch_a_widget_s_wall_clock(tmp_path):
    widget = tmp_path / "form.py"
    widget.write_text(
        "from datetime import date\nimport time\nmoved_on = date.today()\nstarted = time.time()\n"
        "shown = QDate.currentDate()\n",
        encoding="utf-8",
    )
    assert clock_reads(widget) == [
        "form.py:3 date.today()",
        "form.py:4 time.time()",
        "form.py:5 QDate.currentDate()",
    ]


# Operations take the desk's context (`def op(ctx, …)`). Only the store's keeping takes
# the store itself: opening and unlocking it, its keys, re-keying and the files sealed with
# its key (`storage/`, `security/`), which run below the desk and outside units of work.
KEEPING = ("qzdesk.services.storage.", "qzdesk.services.security.")


def store_first(source: str, module: str) -> set[str]:
    """The public functions of a module whose first parameter is the store."""
    return {
        f"{module}.{node.name}"
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and node.args.args
        and node.args.args[0].arg == "store"
    }


def test_every_operation_takes_the_context():
    found = sorted(
        name
        for path in (PACKAGE / "services").rglob("*.py")
        for name in store_first(path.read_text(encoding="utf-8"), module_name(path))
        if not name.startswith(KEEPING)
    )
    assert found == [], "an operation takes ctx, not store"
    own_units = sorted(
        module_name(path)
        for path in [*(PACKAGE / "services").rglob("*.py"), *(PACKAGE / "export").rglob("*.py")]
        if not f"{module_name(path)}.".startswith(KEEPING)
        and ".transaction()" in path.read_text(encoding="utf-8")
    )
    assert own_units == [], "an operation uses ctx.session (or ctx.savepoint()), no unit of its own"


def test_the_window_and_the_command_line_go_through_the_desk():
    """No unit of work made by hand and no store-first call path: the window reads and
    writes through its context, the command line through its desk."""
    offending = sorted(
        f"{path.relative_to(PACKAGE)}: {needle}"
        for path in [*(PACKAGE / "ui").rglob("*.py"), *PACKAGE.glob("cli*.py")]
        for needle in ("store.unit(", "store.transaction(", "desk.call(", "context.submit(")
        if needle in path.read_text(encoding="utf-8")
    )
    assert offending == []


def test_the_rule_would_catch_a_new_store_first_service():
    planted = "def move(store, member_id): ...\ndef moved(ctx, member_id): ...\n"
    assert store_first(planted, "qzdesk.services.x") == {"qzdesk.services.x.move"}
