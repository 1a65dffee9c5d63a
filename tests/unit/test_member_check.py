"""The member record rules shared by the form, the importer and the CLI."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qzdesk.services.dates import add_months
from qzdesk.services.members.columns import parse_written_date
from qzdesk.services.members.idcard import check_char
from qzdesk.services.members.validation import MemberDraft, check_member, normalise_mobile
from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
from qzdesk.vocabulary import IdType, PoliticalStatus

TODAY = date(2026, 11, 24)
# Module-wide (not a fixture) so Hypothesis runs each example against the same profile.
PROFILE = load_profiles([bundled_rules_dir()])["qinzhou-2024"]


def rid(born: str, order: int = 11) -> str:
    first17 = f"620502{born}{order:03d}"
    return first17 + check_char(first17)


def draft(**changes) -> MemberDraft:
    values = dict(
        name="张三丰",
        id_number=rid("20110305"),
        joined_on=date(2025, 5, 1),
        member_no="202562050001",
    )
    values.update(changes)
    return MemberDraft(**values)


def problems(profile, **changes) -> dict[str, str]:
    checked = check_member(draft(**changes), profile, TODAY)
    return {p.field: p.message for p in checked.problems}


@pytest.fixture(scope="module")
def profile(profiles):
    return profiles["qinzhou-2024"]


def test_a_good_record_is_normalised_and_derived(profile):
    checked = check_member(draft(name=" 张 三丰 ", mobile="+86 138-0013-8000"), profile, TODAY)
    assert checked.problems == []
    d = checked.draft
    assert (d.name, d.gender, d.birth_date, d.mobile) == (
        "张三丰",
        "男",
        date(2011, 3, 5),
        "13800138000",
    )


def test_typed_birth_date_or_sex_contradicting_the_id_is_an_error(profile):
    found = problems(profile, birth_date=date(2011, 3, 6), gender="女")
    assert "2011-03-05" in found["birth_date"] and "男性" in found["gender"]


def test_member_number_rules(profile):
    missing = check_member(draft(member_no=""), profile, TODAY)
    assert missing.errors == []  # village rosters seldom carry it: followed up, not refused
    assert [p.message for p in missing.warnings] == ["缺团员编号，请在智慧团建核对后补录。"]
    assert "12 位数字" in problems(profile, member_no="20256205001")["member_no"]
    assert "入团年份 2025（现为 2024）" in problems(profile, member_no="202462050001")["member_no"]
    old = problems(profile, id_number=rid("19990305"), joined_on=date(2014, 5, 1), member_no="")
    assert "member_no" not in old  # joined before 2017: the number is optional


def test_joining_dates(profile):
    assert (
        "晚于今天"
        in problems(profile, joined_on=date(2027, 1, 1), member_no="202762050001")["joined_on"]
    )
    too_young = problems(profile, joined_on=date(2024, 2, 1))
    assert "入团时未满 14 周岁" in too_young["joined_on"]
    at_thirteen = problems(profile, joined_on=date(2025, 2, 1))
    assert at_thirteen["joined_on"] == "入团时 13 周岁：按现行团章须年满 14 周岁，请核对。"
    # Born 2011-03-05: turning 14 within March 2025 counts for the month 2025-03.
    assert "joined_on" not in problems(profile, joined_on=date(2025, 3, 1))


def test_mobile_numbers(profile):
    assert normalise_mobile("０１３８ 0013 8000") == "013800138000"
    assert "11 位" in problems(profile, mobile="1380013800")["mobile"]


def test_age_warnings_are_not_errors(profile):
    checked = check_member(
        draft(id_number=rid("19980101"), joined_on=date(2012, 5, 1), member_no=""), profile, TODAY
    )
    assert not checked.errors
    assert "超龄离团" in checked.warnings[0].message
    turning = check_member(
        draft(id_number=rid("19981230"), joined_on=date(2013, 5, 1), member_no=""), profile, TODAY
    )
    assert "今年 12月30日 满 28 周岁" in turning.warnings[0].message
    with_post = check_member(
        draft(
            id_number=rid("19980101"), joined_on=date(2012, 5, 1), member_no="", league_post="书记"
        ),
        profile,
        TODAY,
    )
    assert with_post.problems == []


def test_party_members_keeping_league_membership_get_a_note(profile):
    checked = check_member(draft(political_status=PoliticalStatus.PARTY), profile, TODAY)
    fields = {p.field for p in checked.warnings}
    assert {"political_status", "party_joined_on"} <= fields and not checked.errors


def test_foreign_documents_take_their_own_path(profile):
    found = problems(profile, id_type=IdType.OTHER, id_number="H12345678")
    assert "手工填写出生日期" in found["birth_date"] and "选择性别" in found["gender"]
    ok = problems(
        profile,
        id_type=IdType.OTHER,
        id_number="h1234 5678",
        gender="女",
        birth_date=date(2011, 3, 5),
    )
    assert ok == {}


# Dates as rosters write them: compared with the ID at the precision written.
birth_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2012, 12, 31))


def written_forms(born: date) -> list[object]:
    """The ways a 花名册 writes a birth: year and month as text, numbers and Excel cells."""
    return [
        f"{born:%Y-%m}",
        f"{born.year}.{born.month}",
        f"{born.year}年{born.month}月",
        f"{born:%Y%m}",
        int(f"{born:%Y%m}"),
        f"{born.year}",
        born.year,
        born.isoformat(),
        f"{born.year}/{born.month}/{born.day}",
        datetime(born.year, born.month, born.day),
        (born - date(1899, 12, 30)).days,  # an Excel serial that lost its date format
    ]


def with_birth(born: date, written: object) -> MemberDraft:
    return draft(
        id_number=rid(f"{born:%Y%m%d}"),
        birth_written=parse_written_date(written),
        joined_on=date(2010, 5, 1),
        member_no="",
    )


@settings(max_examples=60, deadline=None)
@given(born=birth_days)
def test_a_birth_written_in_any_roster_form_agrees_with_its_id(born):
    for written in written_forms(born):
        checked = check_member(with_birth(born, written), PROFILE, TODAY)
        assert "birth_date" not in {p.field for p in checked.errors}, written


@settings(max_examples=60, deadline=None)
@given(born=birth_days, later=st.sampled_from(["month", "year"]))
def test_a_birth_a_month_or_a_year_off_is_refused_naming_both(born, later):
    off = add_months(born, 1 if later == "month" else 12)
    written = f"{off:%Y-%m}" if later == "month" else f"{off.year}"
    checked = check_member(with_birth(born, written), PROFILE, TODAY)
    label = "出生年月" if later == "month" else "出生年份"
    assert [p.message for p in checked.errors if p.field == "birth_date"] == [
        f"{label} {written} 与身份证号（{born.isoformat()}）不符。"
    ]


@settings(max_examples=60, deadline=None)
@given(born=st.dates(min_value=date(1995, 1, 1), max_value=date(2011, 10, 31)))
@example(born=date(2000, 2, 29))  # a birthday that a common year does not have
def test_joining_is_judged_by_the_month_of_the_birthday(born):
    """The month of the 14th birthday is accepted; a record of a join at 13 (accepted by
    智慧团建 for old records) warns; the last month before 13 is refused."""

    def joined(month: date) -> list[tuple[str, bool]]:
        checked = check_member(
            draft(id_number=rid(f"{born:%Y%m%d}"), joined_on=month, member_no=""), PROFILE, TODAY
        )
        return [(p.message, p.warning) for p in checked.problems if p.field == "joined_on"]

    def birthday(age: int) -> date:
        # 29 February's birthday falls on 1 March in a common year, as age_on counts.
        try:
            return born.replace(year=born.year + age)
        except ValueError:
            return date(born.year + age, 3, 1)

    fourteenth = birthday(14).replace(day=1)
    thirteenth = birthday(13).replace(day=1)
    assert joined(fourteenth) == []
    ((message, warning),) = joined(add_months(fourteenth, -1))
    assert warning and message == "入团时 13 周岁：按现行团章须年满 14 周岁，请核对。"
    assert joined(thirteenth)[0][1] is True
    ((message, warning),) = joined(add_months(thirteenth, -1))
    assert not warning and message.startswith("入团时未满 14 周岁")


def test_a_far_future_join_month_is_one_row_s_error_not_a_crash(profile):
    found = problems(profile, joined_on=date(9999, 12, 1), member_no="")
    assert "晚于今天" in found["joined_on"]


def test_a_foreign_id_needs_a_whole_birth_date(profile):
    found = problems(
        profile,
        id_type=IdType.OTHER,
        id_number="H1234567",
        gender="男",
        birth_written=parse_written_date("2006-03"),
    )
    assert found["birth_date"] == "境外证件须填写完整的出生日期（现为 2006-03）。"
