"""团费 at a large school: 2,000 members with a year of the book behind them.

Measures, each against the bare libraries doing the same work in the same run:
- the 团费 page for the year (services.dues: the grid, arrears, the figures, a
  collection's lines, the money side; then the grid's 2,000 × 14 cells filled) vs raw
  sqlite3 reading the members, bases and entries and the same cells put in a bare
  QTableWidget; the target is the page within 1 s;
- a collection session of 100 members (services.dues.book.collect: each line checked
  against the member's months, the audit written) vs raw sqlite3 inserting the same 100
  payments in one transaction.
Run with `make bench`; results go to bench/results/dues.json."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path

from common import begin, connect, demo, record, results  # bench/common.py, beside this script

MEMBERS = int(os.environ.get("QZDESK_BENCH_MEMBERS", "2000"))
COLLECTED = 100
RESULTS = results("dues")


def populate(db: Path, today: date) -> None:
    """Every active member a student from January, paid up to last month."""
    conn = connect(db)
    start = date(today.year, 1, 1)
    last = date(today.year, today.month - 1, 1) if today.month > 1 else start
    months = last.month - start.month + 1
    ids = [r[0] for r in conn.execute("SELECT id FROM member WHERE status = 'active'")]
    with conn:
        conn.execute("DELETE FROM dues_basis WHERE 0")  # the triggers allow nothing else
        conn.executemany(
            "INSERT INTO dues_basis (member_id, from_month, category, income_fen, "
            "recorded_by, recorded_at) VALUES (?, ?, 'student', NULL, 'bench', '')",
            [(i, start.isoformat()) for i in ids],
        )
        conn.executemany(
            'INSERT INTO dues_entry (member_id, kind, first_month, last_month, amount_fen, "on", '
            "method, recorded_by, recorded_at) VALUES (?, 'payment', ?, ?, ?, ?, '现金', "
            "'bench', '')",
            [(i, start.isoformat(), last.isoformat(), 20 * months, last.isoformat()) for i in ids],
        )
    conn.close()


def bare_page(db: Path, year: int) -> float:
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    started = time.perf_counter()
    conn = connect(db)
    members = conn.execute(
        "SELECT m.id, m.name, o.name, m.joined_on FROM member m JOIN org o ON o.id = "
        "m.branch_id WHERE m.status = 'active' AND m.voided = 0 ORDER BY o.position, m.id"
    ).fetchall()
    bases = conn.execute("SELECT member_id, from_month, category FROM dues_basis").fetchall()
    entries = conn.execute(
        "SELECT member_id, kind, first_month, last_month, amount_fen FROM dues_entry"
    ).fetchall()
    conn.close()
    assert bases and entries
    table = QTableWidget(len(members), 14)
    for row, (_id, name, branch, _joined) in enumerate(members):
        for column, text in enumerate((name, branch, *(["已交"] * 12))):
            table.setItem(row, column, QTableWidgetItem(text))
    return time.perf_counter() - started


def bare_inserts(db: Path, lines: list[tuple[int, str]]) -> float:
    started = time.perf_counter()
    conn = connect(db)
    with conn:
        conn.executemany(
            'INSERT INTO dues_entry (member_id, kind, first_month, last_month, amount_fen, "on", '
            "method, recorded_by, recorded_at) VALUES (?, 'extra', ?, ?, 20, ?, '现金', "
            "'bench', '')",
            [(member, month, month, month) for member, month in lines],
        )
    conn.close()
    return time.perf_counter() - started


def wait_until(app, condition) -> None:  # type: ignore[no-untyped-def]
    while not condition():
        app.processEvents()
        time.sleep(0.001)


def main() -> None:
    load_before = begin()
    from PySide6.QtWidgets import QApplication

    from qzdesk.config import DataPaths
    from qzdesk.logs import setup_logging
    from qzdesk.services import clock
    from qzdesk.services.desk import Desk
    from qzdesk.services.dues import book
    from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.context import AppContext
    from qzdesk.ui.dues.page import DuesPage
    from qzdesk.ui.error_dialog import ErrorHandler
    from qzdesk.ui.worker import DbWorker

    app = QApplication.instance() or QApplication([])
    profiles = load_profiles([bundled_rules_dir()])
    today = clock.today()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        demo(data, MEMBERS)
        db = data / "qzdesk.sqlite"
        populate(db, today)
        store = Store.open(data, "bench")
        desk = Desk(store, profiles)
        assert desk.sign_in("qzdemo").ok
        context = AppContext(desk, DbWorker(ErrorHandler(setup_logging(DataPaths(data).logs))))
        page = DuesPage(context)
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        timings = []
        for _ in range(3):
            page.data = None
            started = time.perf_counter()
            page.refresh()
            wait_until(app, lambda: page.data is not None and context.worker.pending == 0)
            page.repaint()
            timings.append(time.perf_counter() - started)
        shown = min(timings)
        assert len(page.data.grid) >= MEMBERS * 0.9
        lines = [
            book.Collected(o.member_id, o.first_month, o.last_month, o.due_fen / 100)
            for o in page.data.owing[:COLLECTED]
        ]
        assert len(lines) == COLLECTED, f"only {len(lines)} members owe this month"
        started = time.perf_counter()
        desk.write(book.collect, today, lines)
        collected = time.perf_counter() - started
        context.worker.shutdown()
        store.close()
        bare = min(bare_page(db, today.year) for _ in range(3))
        month = date(today.year, today.month, 1).isoformat()
        inserted = bare_inserts(db, [(x.member_id, month) for x in lines])
    result = {
        "members": MEMBERS,
        "page_s": round(shown, 3),
        "bare_page_s": round(bare, 3),
        "page_ratio": round(shown / bare, 2),
        "collect_100_s": round(collected, 3),
        "bare_insert_100_s": round(inserted, 4),
        "collect_ratio": round(collected / inserted, 1),
    }
    record(RESULTS, result, load_before)
    print(
        f"团费 page of {MEMBERS} members shown in {shown:.2f} s ({result['page_ratio']}× raw "
        f"sqlite3 + QTableWidget, {bare:.2f} s); a collection of {COLLECTED} in "
        f"{collected:.2f} s ({result['collect_ratio']}× raw inserts, {inserted * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
