"""A committee's 催报 of a missing period can be met: for a school (classes founded and
closed over two years, members moved between them), a village and a company branch, each
demo built on a day of the year, every quarter and year of the last two years builds and
verifies, and its roster places each member in a branch that existed then."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from cryptography import x509

from qzdesk.export.archive import build_archive, read_data, verify_archive
from qzdesk.services.clock import BEIJING, FixedClock, running_on
from qzdesk.services.demo.build import build_demo
from qzdesk.services.demo.village import build_branch_demo
from qzdesk.services.periods import parse_period
from qzdesk.services.security import branch_key
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import Sector

DAY = date(2026, 11, 20)
PERIODS = [*(f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)), "2025", "2026"]


def school(store, profiles):
    return build_demo(store, profiles, DAY)


def village(store, profiles):
    return build_branch_demo(store, profiles, DAY, "东关村团支部（演示）", Sector.VILLAGE, 3)


def company(store, profiles):
    return build_branch_demo(store, profiles, DAY, "某公司团支部（演示）", Sector.NEW_ECONOMIC, 5)


@pytest.mark.parametrize("build", [school, village, company])
def test_every_quarter_and_year_of_two_years_builds_and_verifies(build, tmp_path, profiles):
    from pyhanko.pdf_utils.reader import PdfFileReader

    at = datetime(DAY.year, DAY.month, DAY.day, 10, 0, tzinfo=BEIJING)
    with running_on(FixedClock(at)), Store.open(tmp_path / "data", "tests", create=True) as store:
        build(store, profiles)
        own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
        for code in PERIODS:
            period = parse_period(code)
            _id, pdf = build_archive(store, profiles, period, "qzdemo")
            check = verify_archive(pdf, [own])
            assert check.ok, (code, check.problems)
            data = read_data(PdfFileReader(BytesIO(pdf)))
            existing = {
                b["id"]: date.fromisoformat(b["created_on"]) for b in data["branches"]
            }
            as_of = date.fromisoformat(data["period"]["as_of"])
            assert all(existing[m["branch_id"]] <= as_of for m in data["members"]), code
