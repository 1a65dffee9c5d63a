"""kill -9 at random moments during the demo build, first-run setup, an import and an
archive build: afterwards the data directory is whole (check --full passes), an import
is wholly in or wholly absent, setup left either nothing or an organisation that can
sign, and no half-written file stays behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

from qzdesk.config import DataPaths
from qzdesk.services.members.idcard import check_char
from qzdesk.services.security import auth
from qzdesk.services.storage import cipher
from tests.unit.test_member_import import run_cli

SEED = 20261202
PASSWORD = "qzdemo"


def start(*args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
    env["QZDESK_PASSWORD"] = PASSWORD
    return subprocess.Popen(
        [sys.executable, "-m", "qzdesk", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> bool:
    """SIGKILL after `seconds` unless it finished; True when it was killed mid-way."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


def healthy(root: Path) -> None:
    result = run_cli("check", "--full", "--data", str(root))
    assert result.returncode == 0, result.stdout + result.stderr


def unlocked(root: Path) -> Path:
    """The store another process wrote, its key unlocked here with the password."""
    assert auth.login(DataPaths(root), PASSWORD).ok
    return root / "qzdesk.sqlite"


def members(root: Path) -> int:
    with cipher.connect(unlocked(root)) as conn:
        return conn.execute("SELECT count(*) FROM member WHERE voided = 0").fetchone()[0]


def test_a_killed_demo_leaves_nothing_or_everything(tmp_path):
    moments = random.Random(SEED)
    killed = 0
    for attempt in range(4):
        root = tmp_path / f"demo{attempt}"
        if kill_after(start("demo", "--data", str(root)), moments.uniform(0.4, 2.0)):
            killed += 1
        if (root / "qzdesk.sqlite").exists():
            healthy(root)
            assert run_cli("demo", "--data", str(root)).returncode == 2  # whole: kept
        else:
            assert run_cli("demo", "--data", str(root)).returncode == 0  # nothing: rebuilt
            healthy(root)
        assert leftovers(root) == [] and not (root / ".setup.part").exists()
    assert killed >= 2


def test_a_killed_setup_leaves_no_organisation_that_cannot_sign(tmp_path):
    moments = random.Random(SEED + 1)
    killed = 0
    for attempt in range(3):
        root = tmp_path / f"init{attempt}"
        args = ("init", "--data", str(root), "--org-name", "某村团支部", "--org-kind", "branch")
        setup = start(
            *args, "--sector", "village", "--secretary", "王芳", "--parent-org", "某镇团委"
        )
        killed += kill_after(setup, moments.uniform(0.3, 1.0))
        if not (root / "qzdesk.sqlite").exists():  # nothing was set up: the next run does it
            again = run_cli(
                *args, "--sector", "village", "--secretary", "王芳", "--parent-org", "某镇团委"
            )
            assert again.returncode == 0, again.stderr
        if (root / "qzdesk.sqlite").exists():
            # Only ever a finished setup: the organisation with its key.
            with cipher.connect(unlocked(root)) as conn:
                assert conn.execute("SELECT count(*) FROM org").fetchone()[0] == 1
            assert (root / "keys" / "branch-key.p12").exists()
            healthy(root)
        assert leftovers(root) == []
    assert killed >= 1


def roster_file(path: Path, rows: int) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("团员")
    sheet.append(["姓名", "身份证号", "入团年月", "所在团支部"])
    for n in range(rows):
        first17 = f"6205022009{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
        sheet.append([f"测试{n}", first17 + check_char(first17), "2024-05", "初三（1）班团支部"])
    book.save(path)
    return path


def test_a_killed_import_is_wholly_in_or_wholly_absent(data_dir, tmp_path):
    big = roster_file(tmp_path / "名册.xlsx", 900)
    moments = random.Random(SEED + 2)
    before = members(data_dir)
    for _ in range(3):
        process = start("members", "import", str(big), "--data", str(data_dir))
        kill_after(process, moments.uniform(0.5, 3.0))
        now = members(data_dir)
        assert now == before or now == before + 900, (before, now)
        healthy(data_dir)
        assert leftovers(data_dir) == []
        before = now


def test_a_killed_archive_build_leaves_no_half_file(data_dir, tmp_path):
    out = tmp_path / "archives"
    moments = random.Random(SEED + 3)
    for _ in range(2):
        build = start(
            "archive", "build", "--period", "2026", "--out", str(out), "--data", str(data_dir)
        )
        kill_after(build, moments.uniform(0.5, 2.5))
        healthy(data_dir)
    # The next build clears what a killed one left in the archives' folder once it is old
    # enough not to be another qzdesk's write in progress on the same stick, which stays.
    out.mkdir(exist_ok=True)
    long_ago = time.time() - 20 * 60
    for part in leftovers(out):
        os.utime(part, (long_ago, long_ago))
    writing = out / ".台账-2026-另一个支部.pdf.1a2b3c4d.part"
    writing.write_bytes(b"%PDF-")
    done = run_cli(
        "archive", "build", "--period", "2026", "--out", str(out), "--data", str(data_dir)
    )
    assert done.returncode == 0
    assert leftovers(out) == [writing] and leftovers(data_dir) == []
    writing.unlink()
    assert all(
        run_cli("archive", "verify", str(p), "--data", str(data_dir)).returncode == 0
        for p in out.glob("*.pdf")
    )
