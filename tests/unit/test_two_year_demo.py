"""The demo shows two real years up to its day: built "on" New Year's Day, a leap day,
mid-year and New Year's Eve (the clock set to it), last year's and this year's archives
verify and hold the year's work, and the branches differ as a district's do."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from io import BytesIO

import pytest

from qzdesk.export.archive import read_data, save_archive
from qzdesk.services import clock
from qzdesk.services.clock import FixedClock, running_on
from qzdesk.services.demo.build import build_demo
from qzdesk.services.demo.village import DEMO_TOWN
from qzdesk.services.meetings.rating import ratings
from qzdesk.services.periods import parse_period
from qzdesk.services.storage.store import Store
from tests.desks import desk_at, desk_of

GOOD, POOR = {"五星", "四星"}, {"后进", "软弱涣散"}


@pytest.mark.parametrize(
    "day", [date(2027, 1, 1), date(2028, 2, 29), date(2026, 6, 30), date(2026, 12, 31)]
)
def test_two_years_of_a_demo_read_as_real_years(day, tmp_path, profiles):
    from pyhanko.pdf_utils.reader import PdfFileReader

    at = datetime(day.year, day.month, day.day, 10, 0).astimezone()
    with running_on(FixedClock(at)), Store.open(tmp_path / "data", "tests", create=True) as store:
        build_demo(desk_of(store, profiles), day)
        bands = {
            r.band
            for year in (day.year - 1, day.year)
            for r in desk_of(store, profiles).read(
                ratings, year, day, as_of=min(date(year, 12, 31), day)
            )[1]
        }
        last, this = parse_period(str(day.year - 1)), parse_period(str(day.year))
        saved = [
            desk_at(store, at, profiles).write(save_archive, p, "qzdemo", tmp_path / "out")
            for p in (last, this)
        ]
    assert bands & GOOD and bands & POOR, bands
    last_year = read_data(PdfFileReader(BytesIO(saved[0].path.read_bytes())))
    # Last year's archive is a year's record: its minutes, its plan, its evaluation.
    assert len([m for m in last_year["meetings"] if m["status"] == "signed"]) >= 40
    assert last_year["evaluations"] and last_year["registrations"]
    assert all(m["content"]["held_on"].startswith(str(day.year - 1)) for m in last_year["meetings"])
    contents = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(saved[0].path), "-"],
        capture_output=True,
        text=True,
    ).stdout
    titles = set(re.findall(r"^\s*\d+\s+(\S+)\s+\d+\s*$", contents, re.M))
    assert {
        "会议记录本",
        "年度组织生活计划",
        "组织生活落实情况",
        "团员教育评议和团籍注册",
    } <= titles
    # Nothing that happened this year in last year's data (a term may end in the future).
    happened = [
        *(m["joined_on"] for m in last_year["members"]),
        *(s["on"] for a in last_year["admission"]["applicants"] for s in a["steps"]),
        *(e["recorded_at"] for e in last_year["admission"]["ledger"]["entries"]),
        *(t["elected_on"] for t in last_year["terms"]),
        *(v["held_on"] for v in last_year["evaluations"]),
    ]
    assert happened and not [d for d in happened if d.startswith(str(day.year))]


def test_distinct_village_demos_are_received_by_a_committee(tmp_path):
    """Three villages built with their own names and seeds: each signs its own last-year
    archive, and a committee that registered them receives all three."""
    from tests.unit.test_member_import import run_cli

    year = str(clock.today().year - 1)
    stick = tmp_path / "U盘"
    committee = tmp_path / "镇团委"
    town = DEMO_TOWN  # the committee the village demos name above them
    assert run_cli("demo", "--data", str(committee), "--org-name", town).returncode == 0
    fingerprints = {}
    for seed, name in enumerate(("东关村团支部", "西关村团支部", "南山村团支部"), start=1):
        data = tmp_path / name
        made = run_cli(
            "demo", "--kind", "branch", "--org-name", name, "--seed", str(seed), "--data", str(data)
        )
        assert made.returncode == 0, made.stderr
        cert = tmp_path / f"{name}.pem"
        exported = run_cli("key", "export-cert", str(cert), "--json", "--data", str(data))
        fingerprints[name] = (cert, json.loads(exported.stdout)["fingerprint"])
        built = run_cli(
            "archive", "build", "--period", year, "--out", str(stick), "--data", str(data)
        )
        assert built.returncode == 0, built.stderr
    for name, (cert, fingerprint) in fingerprints.items():
        added = run_cli(
            "trust",
            "add",
            str(cert),
            "--org",
            name,
            "--fingerprint",
            fingerprint,
            "--data",
            str(committee),
        )
        assert added.returncode == 0, added.stderr
    received = run_cli("receive", str(stick), "--json", "--data", str(committee))
    assert received.returncode == 0, received.stdout + received.stderr
    report = json.loads(received.stdout)["files"]
    assert sorted(f["org"] for f in report) == sorted(fingerprints)


def test_demos_with_other_seeds_share_no_one(tmp_path, profiles):
    """Two schools built with --seed 1 and 2: no ID number in common, members and
    applicants alike (a committee receiving both would otherwise see one person twice)."""
    from qzdesk.services.storage import cipher

    found = []
    for seed in (1, 2):
        root = tmp_path / f"school-{seed}"
        with Store.open(root, "tests", create=True) as store:
            build_demo(
                desk_of(store, profiles),
                date(2026, 11, 20),
                org_name=f"第{seed}中学团委",
                seed=seed,
            )
        conn = cipher.connect(root / "qzdesk.sqlite")
        try:
            found.append(
                {r[0] for r in conn.execute("SELECT id_number FROM member")}
                | {r[0] for r in conn.execute("SELECT id_number FROM applicant")}
            )
        finally:
            conn.close()
    assert found[0] and found[1] and not found[0] & found[1]
