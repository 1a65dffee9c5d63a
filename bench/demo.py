"""Building demo organisations: today's two-year demo, the quiet baseline without history,
and a 5,000-member school, each against raw sqlite3 inserting the same number of rows
into the same tables' shapes (one transaction, executemany) in the same run.
Run with `make bench`; results go to bench/results/demo.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import PLAIN, begin, connect, record, results  # bench/common.py, beside this script

from qzdesk.services.demo.build import build_demo
from qzdesk.services.desk import Desk
from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
from qzdesk.services.storage.store import Store

RESULTS = results("demo")


def rows_in(db: Path) -> dict[str, int]:
    conn = connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    found = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return found


def raw_insert(rows: dict[str, int], folder: Path) -> float:
    """The bare library writing as many rows, one table per table, in one transaction."""
    db = folder / "raw.sqlite"
    conn = connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    with conn:
        for table, count in rows.items():
            conn.execute(f'CREATE TABLE "raw_{table}" (id INTEGER PRIMARY KEY, a TEXT, b TEXT)')
            conn.executemany(
                f'INSERT INTO "raw_{table}" (a, b) VALUES (?, ?)',
                (("值" * 20, str(n)) for n in range(count)),
            )
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def timed(folder: Path, **options: object) -> tuple[float, dict[str, int]]:
    profiles = load_profiles([bundled_rules_dir()])
    started = time.perf_counter()
    with Store.open(folder, "bench", create=True) as store:
        build_demo(Desk(store, profiles), date.today(), **options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    return elapsed, rows_in(folder / "qzdesk.sqlite")


def main() -> None:
    load_before = begin()
    if PLAIN:  # a store is made encrypted from its first page: no plain build to time
        print("demo: built encrypted only (the plain pass has nothing to compare)")
        return
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, options in (
            ("two_year_demo", {}),
            ("baseline_demo", {"history": False}),
            ("members_5000", {"members": 5000}),
        ):
            seconds, rows = timed(root / name, **options)
            raw = raw_insert(rows, root / name)
            results[name] = {
                "seconds": round(seconds, 2),
                "rows": sum(rows.values()),
                "raw_sqlite_seconds": round(raw, 4),
                "ratio": round(seconds / raw, 1),
            }
        # What a secretary waits for: the command itself, start to finish.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "qzdesk", "demo", "--data", str(root / "cli")],
            check=True,
            stdout=subprocess.DEVNULL,
            env={"QZDESK_PASSWORD": "qzdemo", "PATH": "/usr/bin:/bin"},
        )
        results["cli_demo_seconds"] = round(time.perf_counter() - started, 2)
    record(RESULTS, results, load_before)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
