"""Organisational life at district scale: five years of meetings for 50 branches.

Measures, each against the bare library doing the same work in the same run:
- the 落实情况 tab of a year (services.compliance and services.rating, as the tab computes
  both) vs raw sqlite3 counting the signed minutes per branch and kind;
- the 工作台 to-do list (services.todo) vs raw sqlite3 fetching the rows the list is
  computed from (the year's plan with the meetings held, drafts, members' birth dates,
  registrations, evaluation sessions, terms).
Run with `make bench`; results go to bench/results/meetings.json.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from common import begin, connect, demo, record, results  # bench/common.py, beside this script

from qzdesk.services.clock import FixedClock
from qzdesk.services.desk import Desk
from qzdesk.services.meetings import plan
from qzdesk.services.meetings.compliance import compliance
from qzdesk.services.meetings.rating import ratings
from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
from qzdesk.services.storage.store import Store
from qzdesk.services.todo import todo

BRANCHES = 50
YEARS = range(2022, 2027)
PLAN = (
    ("assembly", (1, 4, 7, 10)),
    ("lecture", (2, 5, 8, 11)),
    ("committee", range(1, 13)),
    ("league_day", range(1, 13)),
)
RESULTS = results("meetings")


def populate(db: Path) -> int:
    """Signed minutes with full attendance for every required meeting of five years."""
    conn = connect(db)
    # The demo sets its class branches up this September; these stood for the five years.
    conn.execute(f"UPDATE org SET created_on = '{min(YEARS)}-01-01' WHERE closed_on IS NULL")
    branches = [
        r[0] for r in conn.execute("SELECT id FROM org WHERE kind = 'branch' AND closed_on IS NULL")
    ]
    members: dict[int, list[int]] = {}
    for member_id, branch_id in conn.execute("SELECT id, branch_id FROM member"):
        members.setdefault(branch_id, []).append(member_id)
    meeting_id = 0
    meetings, attendance = [], []
    for branch in branches:
        for year in YEARS:
            for kind, months in PLAN:
                for number, month in enumerate(months, 1):
                    meeting_id += 1
                    meetings.append(
                        (
                            meeting_id,
                            branch,
                            kind,
                            number,
                            f"{year}-{month:02d}-10",
                            "主题",
                            "[]",
                            "[]",
                            "[]",
                            "draft",
                            "书记",
                            "x" * 64,
                        )
                    )
                    attendance += [(meeting_id, m, "present") for m in members.get(branch, [])]
    conn.executemany(
        "INSERT INTO meeting (id, branch_id, kind, number, held_on, topic, agenda, speeches,"
        " resolutions, status, recorded_by, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        meetings,
    )
    conn.executemany(
        "INSERT INTO meeting_attendance (meeting_id, member_id, status) VALUES (?,?,?)", attendance
    )
    # Signed after their attendance is in: the triggers freeze signed minutes.
    conn.execute("UPDATE meeting SET status = 'signed'")
    conn.commit()
    conn.close()
    return meeting_id


def bare_counts(db: Path, year: int) -> list[tuple[int, str, int]]:
    with connect(db) as conn:
        return conn.execute(
            "SELECT branch_id, kind, count(*) FROM meeting WHERE status = 'signed'"
            " AND held_on BETWEEN ? AND ? GROUP BY branch_id, kind",
            (f"{year}-01-01", f"{year}-12-31"),
        ).fetchall()


TODO_QUERIES = (
    "SELECT branch_id, kind, planned_on, topic, cancelled_reason FROM meeting_plan"
    " WHERE planned_on BETWEEN :start AND :end",
    "SELECT branch_id, kind, held_on FROM meeting WHERE held_on BETWEEN :start AND :end",
    "SELECT m.held_on, m.topic, o.name FROM meeting m JOIN org o ON o.id = m.branch_id"
    " WHERE m.status = 'draft' ORDER BY m.held_on",
    "SELECT id, branch_id, birth_date, league_post FROM member"
    " WHERE status = 'active' AND voided = 0",
    "SELECT member_id, year, status, follow_up_on FROM registration WHERE year >= :last",
    "SELECT branch_id, year, held_on, approved_on FROM evaluation_session WHERE year = :year",
    "SELECT branch_id, elected_on, years FROM term WHERE void_reason IS NULL",
)


def bare_todo(db: Path, today: date) -> int:
    window = {
        "start": f"{today.year}-01-01",
        "end": f"{today.year}-12-31",
        "year": today.year,
        "last": today.year - 1,
    }
    with connect(db) as conn:
        return sum(len(conn.execute(sql, window).fetchall()) for sql in TODO_QUERIES)


def median_ms(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    load_before = begin()
    profiles = load_profiles([bundled_rules_dir()])
    today = date(2026, 11, 24)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "district"
        demo(data, BRANCHES * 40)
        db = data / "qzdesk.sqlite"
        count = populate(db)
        with Store.open(data, "bench") as store:
            Desk(store, profiles).write(plan.lay_out_year, today.year)
            cells = Desk(store, profiles).read(compliance, 2025, today)
            assert len({c.branch for c in cells}) >= BRANCHES and all(c.met for c in cells)
            compliance_ms = median_ms(lambda: Desk(store, profiles).read(compliance, 2025, today))
            tab_ms = median_ms(
                lambda: (
                    Desk(store, profiles).read(compliance, 2025, today),
                    Desk(store, profiles).read(ratings, 2025, today),
                )
            )
            desk = Desk(store, profiles, FixedClock.on(today))
            todo_ms = median_ms(lambda: desk.read(todo))
        bare_ms = median_ms(lambda: bare_counts(db, 2025))
        bare_todo_ms = median_ms(lambda: bare_todo(db, today))
    result = {
        "branches": BRANCHES,
        "meetings": count,
        "compliance_ms": round(compliance_ms, 1),
        "compliance_tab_ms": round(tab_ms, 1),
        "todo_ms": round(todo_ms, 1),
        "bare_count_ms": round(bare_ms, 1),
        "bare_todo_ms": round(bare_todo_ms, 1),
        "compliance_ratio": round(compliance_ms / bare_ms, 2),
        "compliance_tab_ratio": round(tab_ms / bare_ms, 2),
        "todo_ratio": round(todo_ms / bare_todo_ms, 2),
    }
    record(RESULTS, result, load_before)
    print(
        f"{count} meetings of {BRANCHES} branches over five years: compliance "
        f"{compliance_ms:.0f} ms, with 对标定级 {tab_ms:.0f} ms (target ≤ 500 ms; bare "
        f"sqlite3 count {bare_ms:.1f} ms, {result['compliance_tab_ratio']}×); to-do list "
        f"{todo_ms:.0f} ms (target ≤ 300 ms; bare sqlite3 fetch of its rows "
        f"{bare_todo_ms:.1f} ms, {result['todo_ratio']}×)"
    )


if __name__ == "__main__":
    main()
