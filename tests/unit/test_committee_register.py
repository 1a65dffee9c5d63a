"""The committee's register and its coverage: a period's figures computed from dated
changes (a village whose branch was set up mid-year counts from then), the 三新 growth
rate at its boundaries, hollow and secretary-less organisations, refusals that keep the
register's history straight, and the changes append-only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from qzdesk.services.committee import register
from qzdesk.services.committee.coverage import coverage
from qzdesk.services.errors import ValidationError
from qzdesk.services.periods import parse_period
from qzdesk.vocabulary import FourHas, OrgForm, Sector, UnitChange
from tests.unit.test_dues import desk_on

OWN = OrgForm.OWN


@pytest.fixture
def township(store, profiles):
    """Four villages listed at the start of 2025; two with a branch since March 2025."""
    desk = desk_on(store, profiles, date(2026, 12, 20))
    names = ["东关村", "西关村", "南山村", "北坡村"]
    ids = desk.write(
        register.add_units, names, Sector.VILLAGE, date(2025, 1, 1), township="玉泉镇"
    ).value
    for unit, name in list(zip(ids, names, strict=True))[:2]:
        desk.write(
            register.record_change, unit, UnitChange.SET_UP, date(2025, 3, 1), OWN, f"{name}团支部"
        )
    return desk, dict(zip(names, ids, strict=True))


def test_a_village_set_up_mid_year_counts_from_then(township):
    desk, units = township
    desk.write(
        register.record_change,
        units["南山村"],
        UnitChange.SET_UP,
        date(2026, 7, 1),
        OrgForm.JOINT,
        "南山村团支部",
    )
    half = desk.read(coverage, parse_period("2026Q2"))
    assert (half.villages, half.villages_with_org, half.village_rate) == (4, 2, 0.5)
    assert set(half.villages_without) == {"南山村", "北坡村"}
    year = desk.read(coverage, parse_period("2026"))
    assert (year.villages_with_org, year.villages_without) == (3, ("北坡村",))
    assert year.set_up == (("南山村", date(2026, 7, 1)),) and year.village_target_met is False
    # The branch dissolved in October: the year ends with two again, and says so.
    desk.write(
        register.record_change,
        units["东关村"],
        UnitChange.DISSOLVED,
        date(2026, 10, 8),
        note="团员全部外出务工，并入镇流动团支部",
    )
    year = desk.read(coverage, parse_period("2026"))
    assert year.villages_with_org == 2 and year.dissolved == (("东关村", date(2026, 10, 8)),)
    assert desk.read(coverage, parse_period("2026Q3")).villages_with_org == 3


@pytest.mark.parametrize(
    ("before", "after", "growth", "met"),
    [(5, 6, 0.2, True), (5, 5, 0.0, False), (10, 11, 0.1, False), (0, 2, None, None)],
)
def test_the_new_fields_growth_at_its_boundaries(store, profiles, before, after, growth, met):
    desk = desk_on(store, profiles, date(2026, 12, 20))
    ids = desk.write(
        register.add_units,
        [f"快递网点{n}" for n in range(12)],
        Sector.NEW_EMPLOYMENT,
        date(2024, 6, 1),
    ).value
    for n, unit in enumerate(ids[:after]):
        on = date(2025, 5, 1) if n < before else date(2026, 5, 1)
        desk.write(register.record_change, unit, UnitChange.SET_UP, on, OWN, f"快递网点{n}团支部")
    year = desk.read(coverage, parse_period("2026"))
    assert (year.new_fields_year_before, year.new_fields_now) == (before, after)
    assert (year.growth is None and growth is None) or year.growth == pytest.approx(growth)
    assert year.growth_target_met is met


def test_hollow_organisations_and_the_four_has(township, profiles):
    desk, _units = township
    desk.write(
        register.add_units, ["红旗社区"], Sector.COMMUNITY, date(2025, 1, 1), members_count=2
    )
    [community] = [
        s.id for s in desk.read(register.units_on, date(2026, 1, 1)) if s.name == "红旗社区"
    ]
    desk.write(
        register.record_change,
        community,
        UnitChange.SET_UP,
        date(2025, 4, 1),
        OWN,
        "红旗社区团支部",
    )
    desk.write(
        register.check_four_has,
        community,
        date(2026, 6, 1),
        {FourHas.TEAM: True, FourHas.ACTIVITIES: True, FourHas.VENUE: False, FourHas.RECORDS: True},
    )
    year = desk.read(coverage, parse_period("2026"))
    assert year.hollow == (("红旗社区", 2),)  # fewer than the profile's three
    line = next(x for x in year.lines if x.state.name == "红旗社区")
    assert line.state.four_has_text == "有班子✓、有活动✓、有阵地✗、有档案✓"
    assert dict((s, (n, w)) for s, n, w in year.by_sector)[Sector.COMMUNITY] == (1, 1)
    early = desk.read(coverage, parse_period("2026Q1"))
    assert next(x for x in early.lines if x.state.name == "红旗社区").state.four_has == {}


def test_the_register_refuses_what_would_tangle_its_history(township):
    desk, units = township
    with pytest.raises(ValidationError, match="已在名录中"):
        desk.write(register.add_units, ["东关村", "新村"], Sector.VILLAGE, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="已建有团组织"):
        desk.write(
            register.record_change, units["东关村"], UnitChange.SET_UP, date(2026, 1, 1), OWN, "x"
        )
    with pytest.raises(ValidationError, match="才列入名录"):
        desk.write(
            register.record_change, units["北坡村"], UnitChange.SET_UP, date(2024, 1, 1), OWN, "x"
        )
    with pytest.raises(ValidationError, match="按时间顺序"):
        desk.write(
            register.record_change,
            units["西关村"],
            UnitChange.DISSOLVED,
            date(2025, 2, 1),
            note="x",
        )
    with pytest.raises(ValidationError, match="组建方式和团组织名称"):
        desk.write(register.record_change, units["北坡村"], UnitChange.SET_UP, date(2026, 1, 1))
    with pytest.raises(ValidationError, match="写明撤销或撤并的原因"):
        desk.write(register.record_change, units["西关村"], UnitChange.DISSOLVED, date(2026, 1, 1))
    desk.write(
        register.record_change,
        units["北坡村"],
        UnitChange.GONE,
        date(2026, 2, 1),
        note="并入南山村",
    )
    year = desk.read(coverage, parse_period("2026"))
    assert year.villages == 3 and "北坡村" not in year.villages_without
    assert desk.read(coverage, parse_period("2025")).villages == 4  # a year it still stood
    assert [h[1] for h in desk.read(register.history, units["北坡村"])] == [
        "列入名录",
        "单位撤并或注销",
    ]


@pytest.mark.parametrize(
    "statement", ["UPDATE unit_event SET on = '2020-01-01'", "DELETE FROM unit_event"]
)
def test_the_register_s_changes_are_append_only(township, store, statement):
    with pytest.raises(IntegrityError, match="只能追加"), store.transaction() as session:
        session.execute(text(statement.replace(" on ", ' "on" ')))
