"""The member record rules shared by the form, the importer and the CLI."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services.members.idcard import check_char
from qzdesk.services.members.validation import MemberDraft, check_member, normalise_mobile
from qzdesk.vocabulary import IdType, PoliticalStatus

TODAY = date(2026, 11, 24)


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


@pytest.fixture
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
    assert "必须填写 12 位团员编号" in problems(profile, member_no="")["member_no"]
    assert "12 位数字" in problems(profile, member_no="20256205001")["member_no"]
    assert "入团年份 2025（现为 2024）" in problems(profile, member_no="202462050001")["member_no"]
    old = problems(profile, id_number=rid("19990305"), joined_on=date(2014, 5, 1), member_no="")
    assert "member_no" not in old  # joined before 2017: the number is optional


def test_joining_dates(profile):
    assert (
        "晚于今天"
        in problems(profile, joined_on=date(2027, 1, 1), member_no="202762050001")["joined_on"]
    )
    too_young = problems(profile, joined_on=date(2025, 2, 1))
    assert "入团时未满 14 周岁" in too_young["joined_on"]
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
