"""Each hostile file (tests/hostile_spreadsheets.py, all ≤ 10 MB) is refused or read by
both imports within 10 s and 300 MB, measured on the importing process itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile_spreadsheets import HOSTILE, write_all

SECONDS, MEGABYTES = 10, 300


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("hostile"))


# The peak is read from the importing process's own /proc/self/status at its exit: its
# rusage would also count the pytest process it was forked from (kept across exec).
PEAK_AT_EXIT = """
import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("PEAK_KB", line.split()[1], file=sys.stderr)
atexit.register(peak)
sys.argv = ["qzdesk", *sys.argv[1:]]
runpy.run_module("qzdesk", run_name="__main__")
"""


def measured(*args: str) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak resident MB, output) of one qzdesk command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
    env["QZDESK_PASSWORD"] = "qzdemo"
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", PEAK_AT_EXIT, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.monotonic() - started
    peak_kb = int(run.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return run.returncode, seconds, peak_kb / 1024, run.stdout + run.stderr


@pytest.mark.parametrize("kind", ["members", "applicants"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_or_read_within_bounds(data_dir, hostile, kind, name):
    code, seconds, peak, output = measured(
        kind, "import", str(hostile[name]), "--dry-run", "--data", str(data_dir)
    )
    assert code in (0, 2, 3), output
    assert "Traceback" not in output
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert peak < MEGABYTES, f"{name}: {peak:.0f} MB"
