"""A committee's 催报 of a missing period can be met: for a school (classes founded and
closed over two years, members moved between them), a village and a company branch, each
demo built on its own day of the year, every month, quarter and year of the last two years
builds and verifies, its roster places each member in a branch that existed then, and a committee
recounting 应开 and 定级 from the archive alone finds the branch's own figures."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from cryptography import x509

from qzdesk.export.archive import build_archive, read_data, verify_archive
from qzdesk.services.admission.stages import Stage
from qzdesk.services.clock import BEIJING, FixedClock, running_on
from qzdesk.services.demo.build import build_demo
from qzdesk.services.demo.village import build_branch_demo
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving.summary import row_of
from qzdesk.services.security import branch_key
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import UNKNOWN, Sector
from tests.desks import desk_at, desk_of
from tests.export.test_documents import pdf_text

STAGES = [s.value for s in Stage]


def periods_before(day: date) -> list[str]:
    """Every month, quarter and year of the two years up to `day` that has begun by it."""
    index = day.year * 12 + day.month - 1
    months = [f"{n // 12}-{n % 12 + 1:02d}" for n in range(index - 23, index + 1)]
    quarters = [
        f"{y}Q{q}"
        for y in (day.year - 1, day.year)
        for q in (1, 2, 3, 4)
        if date(y, 3 * q - 2, 1) <= day
    ]
    return [*months, *quarters, str(day.year - 1), str(day.year)]


def school(store, profiles, day):
    return build_demo(desk_of(store, profiles), day)


def village(store, profiles, day):
    return build_branch_demo(
        desk_of(store, profiles), day, "东关村团支部（演示）", Sector.VILLAGE, 3
    )


def company(store, profiles, day):
    return build_branch_demo(
        desk_of(store, profiles), day, "某公司团支部（演示）", Sector.NEW_ECONOMIC, 5
    )


# Each demo built on its own day of the year: late, early and in the middle of one.
BUILDS = [(school, date(2026, 11, 20)), (village, date(2026, 2, 10)), (company, date(2026, 7, 1))]


@pytest.mark.parametrize(("build", "day"), BUILDS, ids=["school", "village", "company"])
def test_every_month_quarter_and_year_of_two_years_builds_and_verifies(
    build, day, tmp_path, profiles
):
    from pyhanko.pdf_utils.reader import PdfFileReader

    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=BEIJING)
    with running_on(FixedClock(at)), Store.open(tmp_path / "data", "tests", create=True) as store:
        build(store, profiles, day)
        own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
        codes = periods_before(day)
        assert len([c for c in codes if "-" in c]) == 24
        for code in codes:
            period = parse_period(code)
            _id, pdf = desk_at(store, at, profiles).read(build_archive, period, "qzdemo")
            check = verify_archive(pdf, [own])
            assert check.ok, (code, check.problems)
            data = read_data(PdfFileReader(BytesIO(pdf)))
            existing = {b["id"]: date.fromisoformat(b["created_on"]) for b in data["branches"]}
            as_of = date.fromisoformat(data["period"]["as_of"])
            assert as_of == min(period.end, day), code
            assert all(existing[m["branch_id"]] <= as_of for m in data["members"]), code
            # A committee with none of the branch's rule profiles recounts 应开 and 定级 from
            # the archive alone and finds the branch's own figures.
            recount = row_of(data, {})
            assert recount.differs == (), (code, recount.differs)
            assert recount.required["assembly"] is not None, code
            if "-" in code:
                continue  # a month: built and verified; its pages are read for quarters
            if len(code) == 4 and data["figures"]["rating"]:
                assert recount.rating, code
            pages_agree_with_data(pdf, data, tmp_path)  # its pages say what its data says
            if len(code) == 4:
                summary = row_of(data, profiles)  # and the committee reads the same
                pages = " ".join(pdf_text(pdf, tmp_path))
                assert f"团支部 {summary.branches} 个" in pages
                if summary.secretary == UNKNOWN:  # no election of the organisation itself
                    assert "无本级选举记录" in pages
                else:  # never a class branch's secretary
                    assert f"书记：{summary.secretary}" in pages


def pages_agree_with_data(pdf: bytes, data: dict, tmp_path) -> None:
    """The stage counts of 发展团员工作情况 and each 积分档案 balance, read back from the
    printed pages (pdftotext), equal the archive's JSON."""
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    as_of = data["period"]["as_of"]
    counted = [sum(1 for a in data["admission"]["applicants"] if a["stage"] == s) for s in STAGES]
    # The year's quota line counts the approvals made by as_of, as the data holds them.
    year = as_of[:4]
    approved = sum(
        1
        for a in data["admission"]["applicants"]
        for step in a["steps"]
        if step["step"] == "approval" and step["on"][:4] == year and step["on"] <= as_of
    )
    assert f"已批准 {approved} 人" in text
    heading = f"截至 {as_of} 各阶段人数 "
    assert heading in text
    after = text.split(heading, 1)[1].split()
    labels = len(STAGES)
    assert [int(n) for n in after[labels : 2 * labels]] == counted
    for person in data["admission"]["applicants"]:
        stage1 = person["points"]["stage1"]
        line = f"{person['name']}（"
        if line in text and stage1:
            shown = text.split(line, 1)[1].split("已通过积分：第一阶段 ", 1)[1].split(" 分")[0]
            assert float(shown) == stage1, person["name"]
