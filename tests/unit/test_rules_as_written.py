"""The rule profile as the 2023 团章 and the 细则's implementations write it, each at its
boundary."""

from __future__ import annotations

from datetime import date

from qzdesk.services.admission import applicants
from qzdesk.services.admission.requirements import age_findings
from qzdesk.services.admission.stages import Step
from qzdesk.services.dates import add_months
from qzdesk.services.members.validation import MemberDraft, check_member
from tests.admission_helpers import new_applicant, rid
from tests.desks import desk_of

TODAY = date(2026, 11, 24)


def test_pioneer_recommendation_is_for_fourteen_year_olds_not_yet_fifteen(profiles):
    profile = profiles["qinzhou-2024"]
    born = date(2010, 5, 1)
    fifteenth = add_months(born, 15 * 12)
    last_day = date.fromordinal(fifteenth.toordinal() - 1)
    assert age_findings(profile, born, "pioneer", last_day) == []
    (refused,) = age_findings(profile, born, "pioneer", fifteenth)  # 15 years and 0 days
    assert refused.text.startswith("少先队推优入团限年满 14 周岁、未满 15 周岁（现 15 岁）")
    assert age_findings(profile, born, "members", fifteenth) == []


def member_no_problems(profiles, joined: date, number: str) -> list[str]:
    draft = MemberDraft(name="张三", id_number=rid("20020305"), joined_on=joined, member_no=number)
    checked = check_member(draft, profiles["qinzhou-2024"], TODAY)
    return [p.message for p in checked.errors if p.field == "member_no"]


def test_numbers_of_2017_and_2018_may_carry_either_year(profiles):
    assert member_no_problems(profiles, date(2018, 5, 1), "201762050001") == []
    assert member_no_problems(profiles, date(2017, 5, 1), "201862050001") == []
    assert member_no_problems(profiles, date(2018, 5, 1), "201662050001") == [
        "2018 年入团的团员编号前 4 位应为 2017或2018（现为 2016）。"
    ]
    assert member_no_problems(profiles, date(2019, 5, 1), "201862050001") == [
        "团员编号前 4 位应为入团年份 2019（现为 2018）。"
    ]


def test_the_talk_is_due_within_a_calendar_month(store, profiles):
    applicant = new_applicant(store, profiles, applied=date(2025, 1, 31)).id

    def late(on: date) -> list[str]:
        found = desk_of(store, profiles).read(applicants.check_step, applicant, Step.TALK, on)
        return [f.text for f in found if f.text.startswith("谈话晚于规定")]

    assert late(date(2025, 2, 28)) == []  # 31 January + one month
    assert late(date(2025, 3, 1)) == [
        "谈话晚于规定：应在收到申请后 1 个月内（2025-02-28 前）谈话，已过 29 天"
    ]


def test_an_adapted_profile_from_before_is_brought_up_to_date(tmp_path, profiles):
    from qzdesk.services.organisation.rules import FILLED_NOTE, bundled_rules_dir, load_profile

    text = (bundled_rules_dir() / "qinzhou-2024.toml").read_text(encoding="utf-8")
    old = (
        text.replace('id = "qinzhou-2024"', 'id = "old-copy"')
        .replace("[admission.talk_within_months]", "[admission.talk_within_days]")
        .replace("value = { school = [9, 10], other = [12] }", "value = [12]")
    )
    start = old.index("[meetings.election_quorum]")
    old = old[:start] + old[old.index("[meetings.evaluation_quorum]") :]
    path = tmp_path / "old.toml"
    path.write_text(old, encoding="utf-8")
    profile = load_profile(path)
    assert profile.meetings.election_quorum.value == 0.8
    assert profile.meetings.election_quorum.note.endswith(FILLED_NOTE)
    assert profile.membership.registration_months(school=False) == [12]
    assert profile.membership.registration_months(school=True) == [9, 10]
