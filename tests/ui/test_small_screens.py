"""Every page and the main dialogs fit the office screens secretaries have: 1024×768 at
100 %, and 1366×768 at 150 % (a logical 911×512). Each size runs in a process of its own,
since Qt's screen is fixed when the application starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = Path(__file__).parent / "small_screen.py"


@pytest.mark.parametrize(
    ("width", "height", "scale", "logical"),
    [(1024, 768, "1", [1024, 768]), (1366, 768, "1.5", [911, 512])],
)
def test_every_window_fits_the_screen(width, height, scale, logical):
    env = {**os.environ, "QT_SCALE_FACTOR": scale}
    done = subprocess.run(
        [sys.executable, str(CHECK), str(width), str(height)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).parent.parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["screen"] == logical
    assert found["problems"] == []
