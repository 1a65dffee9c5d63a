"""Admission at district scale: 5,000 applicants with 100,000 points entries.

Measures, each against the bare library doing the same work in the same run:
- ranking one grade (services.quotas.ranking: points after caps, stages, gates, quota)
  vs raw sqlite3 summing the approved points per applicant of that grade and sorting;
- `ledger verify` of the whole chain vs raw sqlite3 + hashlib recomputing it;
- posting one entry (service: checks, chain link, audit row, own transaction) vs raw
  sqlite3 inserting one chained row in its own transaction.
Run with `make bench`; results go to bench/results/admission.json.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import begin, connect, demo, record, results  # bench/common.py, beside this script

from qzdesk.services.admission import ledger, quotas
from qzdesk.services.admission.chain import GENESIS, link_hash
from qzdesk.services.admission.ledger import ENTRY_FIELDS, REVIEW_FIELDS
from qzdesk.services.desk import Desk
from qzdesk.services.members.idcard import check_char
from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
from qzdesk.services.storage.store import Store

APPLICANTS = 5_000
ENTRIES = 100_000
GRADES = ("初一", "初二", "初三")
RESULTS = results("admission")
ITEMS = [
    ("basic", "ideology_course", "A", 200),
    ("basic", "academic", "B", 120),
    ("basic", "conduct", "A", 200),
    ("contribution", "volunteer", None, 20),
    ("contribution", "labour", None, 20),
    ("contribution", "activity", None, 20),
    ("honours", "award_district", None, 20),
    ("deductions", "warning", None, -50),
]


def populate(db: Path) -> None:
    """Applicants, their first steps and a valid chained ledger, written in bulk."""
    rng = random.Random(5)
    conn = connect(db)
    branch = conn.execute("SELECT id FROM org WHERE kind = 'branch' LIMIT 1").fetchone()[0]
    start = date(2025, 9, 1)
    applicants, events = [], []
    for i in range(1, APPLICANTS + 1):
        first17 = f"620502{2011 + i % 2}0{1 + i % 9}{10 + i % 18}{i % 1000:03d}"
        number = first17 + check_char(first17)
        grade = GRADES[i % 3]
        applicants.append(
            (
                i,
                branch,
                f"申请人{i}",
                "男",
                "汉族",
                f"{number[:-4]}{i:04d}"[:18],
                f"20{11 + i % 2}-0{1 + i % 9}-{10 + i % 18}",
                "示范中学",
                grade,
                f"{1 + i % 12}班",
                None,
                "member",
                None,
                f"sqr{i}",
            )
        )
        events.append(
            (i, "application", start.isoformat(), "{}", "[]", "书记", "2025-09-01T00:00:00+00:00")
        )
        events.append(
            (
                i,
                "talk",
                (start + timedelta(days=5)).isoformat(),
                "{}",
                "[]",
                "书记",
                "2025-09-06T00:00:00+00:00",
            )
        )
    conn.executemany(
        "INSERT INTO applicant (id, branch_id, name, gender, ethnicity, id_number, birth_date,"
        " school, grade, class_name, mobile, recommended_by, member_id, search_key)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        applicants,
    )
    conn.executemany(
        'INSERT INTO stage_event (applicant_id, step, "on", details, evidence, recorded_by,'
        " recorded_at) VALUES (?,?,?,?,?,?,?)",
        events,
    )
    entries, reviews = [], []
    prev_entry = prev_review = GENESIS
    for entry_id in range(1, ENTRIES + 1):
        category, item, grade, points10 = rng.choice(ITEMS)
        values = {
            "id": entry_id,
            "applicant_id": rng.randint(1, APPLICANTS),
            "stage": 1,
            "category": category,
            "item": item,
            "grade": grade,
            "points10": points10,
            "occurred_on": (start + timedelta(days=entry_id % 300)).isoformat(),
            "note": None,
            "evidence": [],
            "reverses_id": None,
            "recorded_by": "书记",
            "recorded_at": f"2026-01-01T00:00:{entry_id:06d}",
        }
        prev_entry = link_hash(prev_entry, values)
        entries.append(
            (
                *[json.dumps(values[f]) if f == "evidence" else values[f] for f in ENTRY_FIELDS],
                "",
                prev_entry,
            )
        )
        if entry_id % 5:
            review = {
                "id": len(reviews) + 1,
                "entry_id": entry_id,
                "decision": "approved",
                "reason": None,
                "session_no": 1 + entry_id // 1000,
                "reviewed_on": values["occurred_on"],
                "reviewers": "领导小组",
                "recorded_by": "书记",
                "recorded_at": values["recorded_at"],
            }
            previous = prev_review
            prev_review = link_hash(prev_review, review)
            reviews.append((*[review[f] for f in REVIEW_FIELDS], previous, prev_review))
    # prev_hash of each entry is the hash before it: fill it in one pass.
    chained = []
    previous = GENESIS
    for row in entries:
        chained.append((*row[:-2], previous, row[-1]))
        previous = row[-1]
    columns = ", ".join((*ENTRY_FIELDS, "prev_hash", "hash"))
    conn.executemany(f"INSERT INTO points_entry ({columns}) VALUES ({','.join('?' * 15)})", chained)
    columns = ", ".join((*REVIEW_FIELDS, "prev_hash", "hash"))
    conn.executemany(
        f"INSERT INTO points_review ({columns}) VALUES ({','.join('?' * 11)})", reviews
    )
    conn.commit()
    conn.close()


def median_ms(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bare_ranking(db: Path, grade: str) -> list[tuple[int, int]]:
    with connect(db) as conn:
        rows = conn.execute(
            "SELECT e.applicant_id, SUM(e.points10) FROM points_entry e"
            " JOIN points_review r ON r.entry_id = e.id AND r.decision = 'approved'"
            " JOIN applicant a ON a.id = e.applicant_id WHERE a.grade = ?"
            " GROUP BY e.applicant_id",
            (grade,),
        ).fetchall()
    return sorted(rows, key=lambda r: -r[1])


def bare_verify(db: Path) -> str:
    with connect(db) as conn:
        prev = GENESIS
        columns = ", ".join((*ENTRY_FIELDS, "hash"))
        for row in conn.execute(f"SELECT {columns} FROM points_entry ORDER BY id"):
            content = dict(zip(ENTRY_FIELDS, row[:-1], strict=True))
            content["evidence"] = json.loads(content["evidence"])
            text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            prev = hashlib.sha256(f"{prev}\n{text}".encode()).hexdigest()
            assert prev == row[-1]
    return prev


def bare_post(db: Path, applicant_id: int) -> None:
    conn = connect(db, isolation_level=None)
    conn.execute("BEGIN")
    last_id, last_hash = conn.execute(
        "SELECT id, hash FROM points_entry ORDER BY id DESC LIMIT 1"
    ).fetchone()
    values = {
        "id": last_id + 1,
        "applicant_id": applicant_id,
        "stage": 1,
        "category": "contribution",
        "item": "volunteer",
        "grade": None,
        "points10": 20,
        "occurred_on": "2026-01-05",
        "note": None,
        "evidence": [],
        "reverses_id": None,
        "recorded_by": "书记",
        "recorded_at": "2026-01-05T00:00:00+00:00",
    }
    row = [json.dumps(values[f]) if f == "evidence" else values[f] for f in ENTRY_FIELDS]
    columns = ", ".join((*ENTRY_FIELDS, "prev_hash", "hash"))
    conn.execute(
        f"INSERT INTO points_entry ({columns}) VALUES ({','.join('?' * 15)})",
        (*row, last_hash, link_hash(last_hash, values)),
    )
    conn.execute("COMMIT")
    conn.close()


def main() -> None:
    load_before = begin()
    profiles = load_profiles([bundled_rules_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "school"
        demo(data, 2_000)
        db = data / "qzdesk.sqlite"
        populate(db)
        with Store.open(data, "bench") as store:
            assert len(Desk(store, profiles).read(quotas.ranking, 1, "初二")) > 1_500
            ranking_ms = median_ms(lambda: Desk(store, profiles).read(quotas.ranking, 1, "初二"))
            start = time.perf_counter()
            check = Desk(store, {}).read(ledger.verify_ledger)
            verify_s = time.perf_counter() - start
            assert check.ok and check.entries.count == ENTRIES, check
            posts = []
            for n in range(30):
                start = time.perf_counter()
                Desk(store, profiles).write(
                    ledger.post_entry, 1 + n, "volunteer", date(2026, 1, 5), today=date(2026, 1, 6)
                )
                posts.append(time.perf_counter() - start)
            post_ms = statistics.median(posts) * 1000
            assert Desk(store, {}).read(ledger.verify_ledger).ok
        bare_ranking_ms = median_ms(lambda: bare_ranking(db, "初二"))
        start = time.perf_counter()
        bare_verify(db)
        bare_verify_s = time.perf_counter() - start
        bare_post_ms = median_ms(lambda: bare_post(db, 1), runs=30)
    result = {
        "applicants": APPLICANTS,
        "entries": ENTRIES,
        "ranking_grade_ms": round(ranking_ms, 1),
        "bare_ranking_ms": round(bare_ranking_ms, 1),
        "ranking_ratio": round(ranking_ms / bare_ranking_ms, 2),
        "verify_s": round(verify_s, 2),
        "bare_verify_s": round(bare_verify_s, 2),
        "verify_ratio": round(verify_s / bare_verify_s, 2),
        "post_ms": round(post_ms, 1),
        "bare_post_ms": round(bare_post_ms, 1),
        "post_ratio": round(post_ms / bare_post_ms, 2),
    }
    record(RESULTS, result, load_before)
    print(
        f"ranking a grade of ~{APPLICANTS // 3} applicants: {ranking_ms:.0f} ms (target ≤ 200 ms; "
        f"bare sqlite3 {bare_ranking_ms:.0f} ms, {result['ranking_ratio']}×)\n"
        f"ledger verify of {ENTRIES} entries: {verify_s:.2f} s (target ≤ 2 s; bare "
        f"{bare_verify_s:.2f} s, {result['verify_ratio']}×)\n"
        f"posting an entry: {post_ms:.1f} ms (target ≤ 20 ms; bare {bare_post_ms:.1f} ms, "
        f"{result['post_ratio']}×)"
    )


if __name__ == "__main__":
    main()
