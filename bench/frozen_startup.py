"""The frozen bundle's cold start against the source install's, in the same run: spawn
until the login window is mapped on a real X server (run under xvfb-run; the window found
with xdotool), as a secretary sees it. Needs `make dist` first.
Results go to bench/results/frozen_startup.json.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import begin, demo, record, results  # bench/common.py, beside this script

ROOT = Path(__file__).parent.parent
FROZEN = ROOT / "dist" / "qzdesk" / "qzdesk"
RUNS = 5
TITLE = "登录 qzdesk"
RESULTS = results("frozen_startup")


def shown_after(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn until a window titled like the login is on the screen."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < 60:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", TITLE],
                env=env,
                capture_output=True,
            )
            if found.returncode == 0 and found.stdout.strip():
                return time.perf_counter() - started
            time.sleep(0.02)
        raise RuntimeError(f"no login window from {command[0]} in 60 s")
    finally:
        process.kill()
        process.wait()


def main() -> None:
    load_before = begin()
    if not FROZEN.exists() or not os.environ.get("DISPLAY") or not shutil.which("xdotool"):
        sys.exit(
            "frozen_startup: run `make dist` first, then this under xvfb-run "
            '(xvfb-run -a -s "-screen 0 1366x768x24" …) with xdotool installed'
        )
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QZDESK_PASSWORD", None)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "demo"
        demo(data)
        frozen = [str(FROZEN), "--data", str(data)]
        source = [str(ROOT / ".venv" / "bin" / "python"), "-m", "qzdesk", "--data", str(data)]
        shown_after(frozen, env), shown_after(source, env)  # warm the file cache
        frozen_s = [shown_after(frozen, env) for _ in range(RUNS)]
        source_s = [shown_after(source, env) for _ in range(RUNS)]
    result = {
        "runs": RUNS,
        "frozen_login_shown_median_s": round(statistics.median(frozen_s), 3),
        "source_login_shown_median_s": round(statistics.median(source_s), 3),
        "ratio": round(statistics.median(frozen_s) / statistics.median(source_s), 2),
    }
    record(RESULTS, result, load_before)
    print(
        f"frozen bundle: login window after {result['frozen_login_shown_median_s']} s, source "
        f"{result['source_login_shown_median_s']} s ({result['ratio']}×)"
    )


if __name__ == "__main__":
    main()
