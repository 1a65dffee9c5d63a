"""The roster at district scale: 50,000 members.

Measures, each against the bare library doing the same work in the same run:
- the 团员 page shown and filled (worker query + model + view) vs raw sqlite3 reading
  the same columns;
- each search keystroke (model + proxy + view repaint), p95, vs a plain Python filter
  over the same rows;
- importing 10,000 rows (preview + commit) vs openpyxl alone reading the same file;
- resident memory with the roster open.
Run with `make bench`; results go to bench/results/roster.json.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl
import psutil
from common import begin, connect, demo, record, results  # bench/common.py, beside this script
from PySide6.QtWidgets import QApplication

from qzdesk.config import DataPaths
from qzdesk.export.roster_excel import write_roster
from qzdesk.logs import setup_logging
from qzdesk.services.demo.people import PeopleMaker
from qzdesk.services.desk import Desk
from qzdesk.services.members.importer import commit_import, preview_import
from qzdesk.services.members.search import normalise_query
from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
from qzdesk.services.storage.store import Store
from qzdesk.ui.app import ensure_app
from qzdesk.ui.context import AppContext
from qzdesk.ui.error_dialog import ErrorHandler
from qzdesk.ui.members.page import RosterPage
from qzdesk.ui.worker import DbWorker

MEMBERS = 50_000
IMPORT_ROWS = 10_000
RESULTS = results("roster")
TYPED = [
    "z",
    "zh",
    "zha",
    "zhan",
    "zhang",
    "",
    "w",
    "wa",
    "wan",
    "wang",
    "",
    "6",
    "62",
    "620",
    "6205",
    "62050",
    "620502",
    "",
    "2",
    "20",
    "202",
    "2025",
    "",
    "李",
    "李文",
    "",
]


def wait_until(app: QApplication, condition) -> None:
    while not condition():
        app.processEvents()
        time.sleep(0.001)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def bench_page(app: QApplication, data: Path, result: dict) -> None:
    profiles = load_profiles([bundled_rules_dir()])
    store = Store.open(data, "bench")
    desk = Desk(store, profiles)
    assert desk.sign_in("qzdemo").ok
    context = AppContext(desk, DbWorker(ErrorHandler(setup_logging(DataPaths(data).logs))))
    page = RosterPage(context)
    page.resize(1200, 800)
    page.show()
    app.processEvents()

    start = time.perf_counter()
    page.refresh()
    wait_until(app, lambda: page.model.rowCount() == MEMBERS and context.worker.pending == 0)
    page.repaint()
    shown = time.perf_counter() - start
    result["rss_mb_with_roster_open"] = round(psutil.Process().memory_info().rss / 2**20)

    start = time.perf_counter()
    with connect(data / "qzdesk.sqlite") as conn:
        raw = conn.execute(
            "SELECT m.id, m.branch_id, o.name, m.name, m.gender, m.id_number, m.birth_date, "
            "m.joined_on, m.member_no, m.political_status, m.status, m.league_post, m.mobile, "
            "m.occupation, m.work_unit, m.search_key FROM member m "
            "JOIN org o ON o.id = m.branch_id WHERE m.voided = 0 ORDER BY o.position, m.id"
        ).fetchall()
    bare_read = time.perf_counter() - start
    result["page_shown_s"] = round(shown, 3)
    result["raw_sqlite_read_s"] = round(bare_read, 4)
    result["page_shown_ratio"] = round(shown / bare_read, 1)

    keystrokes, plain = [], []
    blobs = [f"{r[15]} {r[5].lower()} {r[8] or ''}" for r in raw]
    for text in TYPED * 3:
        start = time.perf_counter()
        page.search.setText(text)
        page.table.viewport().repaint()
        keystrokes.append(time.perf_counter() - start)
        start = time.perf_counter()
        needle = normalise_query(text)
        _kept = [r for r, b in zip(raw, blobs, strict=True) if needle in b and r[10] == "active"]
        plain.append(time.perf_counter() - start)
    result["keystroke_p95_ms"] = round(p95(keystrokes) * 1000, 1)
    result["plain_python_filter_p95_ms"] = round(p95(plain) * 1000, 1)
    result["keystroke_ratio"] = round(p95(keystrokes) / p95(plain), 2)
    context.worker.shutdown()
    store.close()


def bench_import(tmp: Path, result: dict) -> None:
    data = tmp / "import"
    demo(data, 0)  # the organisation and its branches, no members yet
    maker = PeopleMaker(seed=99)
    today = date.today()
    rows = [
        (maker.student(today, 15, "初三", "1班", "秦州区示范中学"), "初三（1）班团支部")
        for _ in range(IMPORT_ROWS)
    ]
    path = tmp / "import.xlsx"
    write_roster(path, rows)

    start = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for row in book.active.iter_rows(values_only=True))
    book.close()
    bare = time.perf_counter() - start
    assert cells

    profiles = load_profiles([bundled_rules_dir()])
    with Store.open(data, "bench") as store:
        start = time.perf_counter()
        preview = Desk(store, profiles).read(preview_import, path)
        report = Desk(store, profiles).write(commit_import, preview).value
        ours = time.perf_counter() - start
    assert report.created == IMPORT_ROWS, (report, [r.errors for r in preview.rows[:3]])
    result["import_rows"] = IMPORT_ROWS
    result["openpyxl_read_s"] = round(bare, 2)
    result["import_preview_commit_s"] = round(ours, 2)
    result["import_ratio"] = round(ours / bare, 2)


def main() -> None:
    load_before = begin()
    app = ensure_app()
    result: dict = {"members": MEMBERS}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "district"
        demo(data, MEMBERS)
        bench_page(app, data, result)
        shutil.rmtree(data)
        bench_import(tmp, result)
    record(RESULTS, result, load_before)
    print(
        f"roster of {MEMBERS}: shown in {result['page_shown_s']} s (target ≤ 1 s; "
        f"{result['page_shown_ratio']}× raw sqlite3 reading the rows); keystroke p95 "
        f"{result['keystroke_p95_ms']} ms (target ≤ 50 ms; plain Python filter "
        f"{result['plain_python_filter_p95_ms']} ms, {result['keystroke_ratio']}×); "
        f"RSS {result['rss_mb_with_roster_open']} MB (target ≤ 300 MB)\n"
        f"import {IMPORT_ROWS} rows: {result['import_preview_commit_s']} s vs openpyxl read "
        f"{result['openpyxl_read_s']} s = {result['import_ratio']}× (target ≤ 3×)"
    )


if __name__ == "__main__":
    main()
