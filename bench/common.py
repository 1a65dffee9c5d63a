"""What the benchmarks share: a demo data directory of a given size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def demo(data: Path, members: int) -> None:
    command = [
        sys.executable,
        "-m",
        "qzdesk",
        "demo",
        "--data",
        str(data),
        "--members",
        str(members),
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
