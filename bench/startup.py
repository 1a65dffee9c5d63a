"""Cold start: `qzdesk` on the demo data, against a bare PySide6 window.

Each run is a fresh interpreter. Three figures: spawn until the login dialog is shown
(against spawn until the bare window is shown); from the password accepted (typed 1.5 s
after the dialog appeared, as a person would) until the 工作台 is filled; and spawn until
the 工作台 is filled when QZDESK_PASSWORD signs in at once. The runs alternate so all see
the same machine; medians are compared. `make bench` runs it offscreen and under a real X
server (Xvfb, `QT_QPA_PLATFORM=xcb`: windows mapped and painted, what a secretary sees).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import PLAIN, begin, demo, record, results  # bench/common.py, beside this script

RUNS = 9
TARGET_RATIO = 1.5
LOGIN_TARGET_RATIO = 1.3
ACCEPT_TO_FILLED_TARGET_S = 0.4
TYPING_S = 1.5
REAL_X = os.environ.get("QT_QPA_PLATFORM") == "xcb"
RESULTS = results("startup-x" if REAL_X else "startup")


def child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QLabel("团支部工作台"))
    window.resize(1100, 720)
    window.show()
    QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
    app.exec()


def child_floor() -> None:
    """The fixed stack's floor: the bare window plus importing the SQLAlchemy ORM."""
    import sqlalchemy.orm  # noqa: F401

    child_bare()


def child_qzdesk(data: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qzdesk.ui.app import run_gui

    def ready(window) -> None:
        def filled(_data: object) -> None:
            print("shown", flush=True)
            QTimer.singleShot(0, QApplication.quit)

        window.home.loaded.connect(filled)

    run_gui(Path(data), on_ready=ready)


def child_login(data: str) -> None:
    """Prints `shown` when the login dialog is up, then the seconds from the password
    accepted to the 工作台 filled."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qzdesk.ui.app import run_gui
    from qzdesk.ui.login import LoginDialog

    accepted: list[float] = []

    def look() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog)), None
        )
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(1, look)
            return
        print("shown", flush=True)
        dialog.accepted.connect(lambda: accepted.append(time.perf_counter()))
        dialog.password.setText("qzdemo")
        QTimer.singleShot(int(TYPING_S * 1000), dialog.try_login)

    def ready(window) -> None:
        def filled(_data: object) -> None:
            print(f"{time.perf_counter() - accepted[0]:.4f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)

        window.home.loaded.connect(filled)

    QTimer.singleShot(0, look)
    run_gui(Path(data), on_ready=ready)


def timed_login(data: str, env: dict[str, str]) -> tuple[float, float]:
    """(spawn → login dialog shown, password accepted → 工作台 filled) in seconds."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "child-login", data],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    shown = time.perf_counter() - start
    after = child.stdout.readline()
    if child.wait(timeout=60) != 0 or line.strip() != "shown":
        raise RuntimeError(f"the login run failed (exit {child.returncode})")
    return shown, float(after)


def timed(args: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the interpreter until it reports its window shown."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    if child.wait(timeout=60) != 0 or line.strip() != "shown":
        raise RuntimeError(f"{args[0]} did not show its window (exit {child.returncode})")
    return elapsed


def main() -> None:
    load_before = begin()
    if PLAIN:  # the app encrypts a plain file when the secretary signs in: no plain start
        print("startup: measured encrypted only (signing in converts a plain file)")
        return
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "demo")
        demo(Path(data))
        qz_env = {**env, "QZDESK_PASSWORD": "qzdemo"}
        timed(["child-bare"], env)  # warm the OS file cache for both
        timed(["child-qzdesk", data], qz_env)
        bare, floor, qzdesk, login, after_login = [], [], [], [], []
        for _ in range(RUNS):
            bare.append(timed(["child-bare"], env))
            floor.append(timed(["child-floor"], env))
            qzdesk.append(timed(["child-qzdesk", data], qz_env))
            shown, filled = timed_login(data, env)
            login.append(shown)
            after_login.append(filled)
    median_bare = statistics.median(bare)
    result = {
        "runs": RUNS,
        "bare_pyside6_median_s": round(median_bare, 3),
        "bare_plus_sqlalchemy_import_median_s": round(statistics.median(floor), 3),
        "qzdesk_median_s": round(statistics.median(qzdesk), 3),
        "ratio": round(statistics.median(qzdesk) / median_bare, 2),
        "floor_ratio": round(statistics.median(floor) / median_bare, 2),
        "target_ratio": TARGET_RATIO,
        "login_dialog_median_s": round(statistics.median(login), 3),
        "login_dialog_ratio": round(statistics.median(login) / median_bare, 2),
        "login_target_ratio": LOGIN_TARGET_RATIO,
        "accepted_to_home_filled_median_s": round(statistics.median(after_login), 3),
        "accepted_to_home_filled_target_s": ACCEPT_TO_FILLED_TARGET_S,
        "platform": env["QT_QPA_PLATFORM"],
    }
    record(RESULTS, result, load_before)
    print(
        f"cold start to main window with data: qzdesk {result['qzdesk_median_s']} s, "
        f"bare PySide6 window {result['bare_pyside6_median_s']} s, "
        f"ratio {result['ratio']}× (target ≤ {TARGET_RATIO}×; medians of {RUNS} runs); "
        f"the bare window plus `import sqlalchemy.orm` alone is {result['floor_ratio']}×\n"
        f"login dialog shown in {result['login_dialog_median_s']} s = "
        f"{result['login_dialog_ratio']}× the bare window (target ≤ {LOGIN_TARGET_RATIO}×); "
        f"password accepted to 工作台 filled {result['accepted_to_home_filled_median_s']} s "
        f"(target ≤ {ACCEPT_TO_FILLED_TARGET_S} s)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child-bare":
        child_bare()
    elif len(sys.argv) > 1 and sys.argv[1] == "child-floor":
        child_floor()
    elif len(sys.argv) > 2 and sys.argv[1] == "child-qzdesk":
        child_qzdesk(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "child-login":
        child_login(sys.argv[2])
    else:
        main()
