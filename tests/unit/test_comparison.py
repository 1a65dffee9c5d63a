"""互查互评互比 and 团干部, computed from archives as a committee receives them: real
village branches built by the demo, their archive data, then the committee's view."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qzdesk.services.archive.data import archive_data
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.demo.village import build_branch_demo
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving import cadres, comparison
from qzdesk.services.receiving.summary import row_of
from qzdesk.services.storage.store import Store
from tests.desks import desk_at, desk_of

TODAY = date(2026, 11, 20)
PERIOD = "2026"


@pytest.fixture(scope="module")
def villages(tmp_path_factory, profiles):
    """Four village branches that kept their records differently (the demo's seeds)."""
    found = []
    for seed, name in (
        (1, "东关村团支部"),
        (2, "西关村团支部"),
        (3, "南山村团支部"),
        (4, "北坡村团支部"),
    ):
        root = tmp_path_factory.mktemp("village") / "data"
        with Store.open(root, "tests", create=True) as store:
            build_branch_demo(desk_of(store, profiles), TODAY, name, seed=seed)
            found.append(
                archive_data(
                    desk_at(store, datetime.now(UTC), profiles).read(
                        take_snapshot, parse_period(PERIOD)
                    ),
                    f"T-{seed}",
                )
            )
    return found


def test_cadres_come_from_the_terms_with_the_roster_s_facts(villages):
    elected = [data for data in villages if data["terms"]]
    assert elected and len(elected) < len(villages)  # the weaker branches never elected
    for data in elected:
        found = cadres.cadres_of(data)
        term = data["terms"][-1]
        assert [c.name for c in found] == [term["secretary"], *term["committee"]]
        assert found[0].post == "书记" and all(c.post == "委员" for c in found[1:])
        for cadre in found:
            member = next(m for m in data["members"] if m["name"] == cadre.name)
            assert cadre.gender == member["gender"]
            born = date.fromisoformat(member["birth_date"])
            assert cadre.age == 2026 - born.year - ((born.month, born.day) > (12, 31))
            assert cadre.elected_on.isoformat() == term["elected_on"]
            as_of = date.fromisoformat(data["period"]["as_of"])
            years = (as_of - date.fromisoformat(term["elected_on"])).days / 365.25
            assert cadre.years_in_post == pytest.approx(years)
            assert cadre.id_number == member["id_number"] and cadre.level == "团支部"
            assert cadres.years_band(cadre.years_in_post) == "1–3年"


def test_a_secretary_not_on_the_roster_stays_unknown(villages):
    data = next(d for d in villages if d["terms"])
    changed = {**data, "terms": [{**data["terms"][-1], "secretary": "外聘教师"}]}
    secretary = cadres.cadres_of(changed)[0]
    assert (secretary.name, secretary.gender, secretary.age, secretary.education) == (
        "外聘教师",
        "未填",
        None,
        "未填",
    )


def test_organisations_are_ranked_side_by_side(villages, profiles):
    rows = [row_of(data, profiles) for data in villages]
    compared = comparison.compare(rows)
    assert sorted(c.org_name for c in compared) == sorted(r.org_name for r in rows)
    for measure in comparison.MEASURES:
        values = {c.org_name: c.values[measure.key] for c in compared}
        ranks = {c.org_name: c.ranks[measure.key] for c in compared}
        for a in values:
            for b in values:
                if values[a] is not None and values[b] is not None and values[a] > values[b]:
                    assert ranks[a] < ranks[b], (measure.key, a, b)
    done = [c.values["meetings"] for c in compared]
    assert done == sorted(done, reverse=True)  # listed best first
    assert all(0 <= v <= 1 for v in done if v is not None)


def test_the_month_grid_counts_signed_meetings(villages):
    grid = comparison.month_grid(villages, PERIOD)
    assert grid.months[0] == "2026-01" and grid.months[-1] == "2026-12"
    for data, (name, counts) in zip(villages, grid.rows, strict=True):
        assert name == data["branch"]["name"]
        signed = [m for m in data["meetings"] if m["status"] == "signed"]
        assert sum(counts) == sum(1 for m in signed if m["content"]["held_on"] >= "2026-01-01")


def test_the_comparison_exports_to_excel_as_text_and_numbers(villages, profiles, tmp_path):
    import openpyxl

    from qzdesk.export.summary_excel import write_comparison

    rows = [row_of(data, profiles) for data in villages]
    compared = comparison.Comparison(
        PERIOD, comparison.compare(rows), comparison.month_grid(villages, PERIOD)
    )
    book = openpyxl.load_workbook(write_comparison(tmp_path / "互比.xlsx", compared))
    ranking, grid = book.worksheets
    header = [c.value for c in ranking[1]]
    assert header[:3] == ["组织", "三会两制一课完成率", "名次"]
    assert ranking.max_row == 1 + len(villages)
    assert [c.value for c in grid[1]][-1] == "合计" and grid.max_column == 14


def test_the_summary_says_where_an_election_is_due(villages, profiles):
    states = {row_of(d, profiles).org_name: row_of(d, profiles).election for d in villages}
    for data in villages:
        state = states[data["branch"]["name"]]
        if not data["terms"]:
            assert state == "无选举记录"
        else:  # elected 20 months ago for three years
            assert state.startswith("任期内（最早 ") and data["terms"][-1]["ends_on"][:7] in state
    data = next(d for d in villages if d["terms"])
    term = data["terms"][-1]
    as_of = date.fromisoformat(data["period"]["as_of"])
    warning = profiles["qinzhou-2024"].branch.term_warning_days.value
    for ends_on, expected in (
        (as_of.replace(year=as_of.year - 1), "1 个已到期未换届"),
        (as_of, f"1 个将于 {warning} 天内到期"),
    ):
        changed = {**data, "terms": [{**term, "ends_on": ends_on.isoformat()}]}
        assert row_of(changed, profiles).election == expected
