"""Shared fixtures: offscreen Qt, one template database built once, a fresh copy per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from qzdesk.services import clock
from qzdesk.services.demo.build import build_demo
from qzdesk.services.desk import Desk
from qzdesk.services.organisation.rules import RuleProfile, bundled_rules_dir, load_profiles
from qzdesk.services.security.auth import login
from qzdesk.services.storage.store import Store
from tests.desks import desk_of

DEMO_PASSWORD = "qzdemo"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on the real display")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--onscreen"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.pop("QZDESK_PASSWORD", None)
    os.environ.pop("QZDESK_DATA", None)


@pytest.fixture(scope="session")
def profiles() -> dict[str, RuleProfile]:
    return load_profiles([bundled_rules_dir()])


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory, profiles) -> Path:
    """A demo organisation's data directory, built once per test session: without the
    two years of history (tests/unit/test_demo.py covers those), a quiet baseline to
    which each test adds its own meetings and evaluations on fixed days."""
    root = tmp_path_factory.mktemp("template") / "data"
    with Store.open(root, "tests", create=True) as store:
        build_demo(desk_of(store, profiles), clock.today(), history=False)
    return root


@pytest.fixture
def data_dir(template_dir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo data directory (password qzdemo)."""
    target = tmp_path / "data"
    shutil.copytree(template_dir, target, ignore=shutil.ignore_patterns("*.lock*", "logs"))
    return target


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """The demo data directory, opened and signed in as its secretary."""
    with Store.open(data_dir, "tests") as opened:
        assert login(opened.paths, DEMO_PASSWORD).ok
        yield opened


@pytest.fixture
def desk(store: Store, profiles: dict[str, RuleProfile]) -> Desk:
    """A desk over the demo store, signed in as its secretary (who the audit log names)."""
    opened = Desk(store, profiles)
    assert opened.sign_in(DEMO_PASSWORD).ok
    return opened


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "empty", "tests", create=True) as opened:
        yield opened


@pytest.fixture
def lock_holder():
    """Starts another process that holds a data directory's lock until the test ends."""
    started: list[subprocess.Popen[str]] = []

    def hold(data: Path) -> subprocess.Popen[str]:
        script = textwrap.dedent(
            f"""
            import sys
            from pathlib import Path
            from qzdesk.config import DataPaths
            from qzdesk.services.storage.lock import DataDirLock
            lock = DataDirLock(DataPaths(Path({str(data)!r})), "测试占用进程")
            lock.acquire()
            print("locked", flush=True)
            sys.stdin.read()
            """
        )
        process = subprocess.Popen(
            [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        started.append(process)
        return process

    yield hold
    for process in started:
        process.communicate(timeout=10)
