"""A reader written from docs/archive-format.md alone ("The figures, in words"): it
recomputes 应开, 已开 and 定级 from an archive's data, with no qzdesk code, and finds the
figures the branch printed and signed. If the doc and the code part ways, this fails."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest

from qzdesk.export.archive import build_archive, read_data
from qzdesk.services.clock import BEIJING, FixedClock, running_on
from qzdesk.services.demo.build import build_demo
from qzdesk.services.storage.store import Store
from tests.desks import desk_at, desk_of

AT = datetime(2026, 11, 20, 10, tzinfo=BEIJING)


def owed(every: int, created: date, start: date, as_of: date) -> int | None:
    """应开 as the doc words it: windows of `every` months cut from January; one is owed
    when it has begun by as_of, does not end before the branch's created_on month, and
    does not end before the period's first month. 0 months: as needed, nothing owed."""
    if not every:
        return None
    year = start.year
    began_by = 12 if as_of.year > year else as_of.month
    formed = created.month if created.year == year else 1
    count = 0
    for first in range(1, 13, every):
        last = min(first + every - 1, 12)
        if first <= began_by and last >= formed and last >= start.month:
            count += 1
    return count


def rated(rules: dict, own: dict) -> tuple[float, str]:
    """定级 as the doc words it: round(points × share, 1) per line, summed to a tenth;
    the first band reached, 软弱涣散 below the last or under any 一票否决."""
    points = {line["measure"]: line["points"] for line in rules["lines"]}
    lines = own["lines"]
    total = round(sum(round(points[x["measure"]] * x["share"], 1) for x in lines), 1)
    names = rules["band_names"]
    if own["vetoes"]:
        return total, names[-1]
    band = next((names[i] for i, low in enumerate(rules["bands"]) if total >= low), names[-1])
    return total, band


@pytest.fixture(scope="module")
def archives(tmp_path_factory, profiles):
    """The school demo's year and one quarter, as a committee would receive them."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.services.periods import parse_period

    root = tmp_path_factory.mktemp("school")
    with running_on(FixedClock(AT)), Store.open(root, "tests", create=True) as store:
        build_demo(desk_of(store, profiles), AT.date())
        found = []
        for code in ("2025", "2026Q3"):
            _id, pdf = desk_at(store, AT, profiles).read(
                build_archive, parse_period(code), "qzdemo"
            )
            found.append(read_data(PdfFileReader(BytesIO(pdf))))
    return found


def test_a_reader_of_the_doc_finds_the_branch_s_own_figures(archives):
    for data in archives:
        period, rules = data["period"], data["rules"]
        start, as_of = (date.fromisoformat(period[k]) for k in ("start", "as_of"))
        branches = {b["id"]: b for b in data["branches"]}
        signed = [m["content"] for m in data["meetings"] if m["status"] == "signed"]
        assert data["figures"]["meetings"], period["code"]
        for cell in data["figures"]["meetings"]:
            every = rules["meetings_every_months"][cell["kind"]]
            created = date.fromisoformat(branches[cell["branch_id"]]["created_on"])
            assert cell["required"] == owed(every, created, start, as_of), (period, cell)
            held = sum(
                1
                for m in signed
                if m["branch_id"] == cell["branch_id"] and m["kind"] == cell["kind"]
            )
            assert cell["held"] == held, (period, cell)
        for own in data["figures"]["rating"]:
            assert rated(rules["rating"], own) == (own["total"], own["band"])
    assert archives[0]["figures"]["rating"], "the year's archive rates its branches"
