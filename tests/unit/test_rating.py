"""对标定级: each line scored from the records, the bands from the profile."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import evaluation, minutes, terms
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.meetings.minutes import MeetingKind, MinutesDraft
from qzdesk.services.meetings.rating import band_of, ratings
from qzdesk.services.members import records
from tests.admission_helpers import branch_id
from tests.desks import desk_of

BRANCH = "初三（3）班团支部"
LATER = date(2027, 1, 10)  # 2026 has ended: every month of it is judged


def lines(store, profiles) -> dict[str, tuple[float, str]]:
    scheme, found = desk_of(store, profiles).read(ratings, 2026, LATER)
    rating = next(r for r in found if r.branch == BRANCH)
    assert rating.total == round(sum(d.scored for d in rating.dimensions), 1)
    assert [d.name for d in rating.dimensions] == [d.name for d in scheme.dimensions]
    return {line.name: (line.scored, line.evidence) for d in rating.dimensions for line in d.lines}


@pytest.mark.parametrize(
    ("total", "band"),
    [(100, "五星"), (90, "五星"), (89.9, "四星"), (70, "三星"), (60, "后进"), (59.9, "软弱涣散")],
)
def test_bands_from_the_profile(profiles, total, band):
    bands = next(iter(profiles.values())).branch.rating_bands.value
    assert band_of(total, bands) == band


def test_a_branch_with_no_records_scores_nothing_for_them(store, profiles):
    found = lines(store, profiles)
    assert found["支部大会按期召开"] == (0, "按期召开 0/4")
    assert found["主题团日按期开展"] == (0, "按期召开 0/12")
    assert found["按期换届、任期未届满"] == (0, "未登记换届")
    assert found["开展团员教育评议并经上级批准"] == (0, "本年未评议")
    assert found["年度计划执行"] == (0, "未制定年度计划")
    assert found["会议记录签字确认"] == (0, "本年无会议记录")
    assert found["团员年度注册率"] == (0, "已注册 0/10")
    assert found["配备团支部书记"] == (0, "未登记书记")
    assert found["支部委员会人数符合规定"] == (0, "支委 0 人，应为 3–5 人")


def test_the_records_raise_the_score(store, profiles):
    before = next(
        r for r in desk_of(store, profiles).read(ratings, 2026, LATER)[1] if r.branch == BRANCH
    )
    branch = branch_id(store, BRANCH)
    people = {m: ("present", "") for m, _ in desk_of(store).read(minutes.branch_members_on, branch)}
    for month in (2, 5, 8, 11):
        draft = MinutesDraft(
            MeetingKind.ASSEMBLY,
            date(2026, month, 10),
            "支部大会",
            chair="李文静",
            recorder="王芳",
            attendance=people,
        )
        meeting_id = desk_of(store).write(minutes.create_minutes, branch, draft, LATER).value
        if month != 11:
            desk_of(store, profiles).write(minutes.sign_off, meeting_id, "李文静", "王芳")
    desk_of(store, profiles).write(
        terms.record_election, branch, date(2026, 8, 10), "李文静", ["王芳", "张强"], None, LATER
    )
    evaluation_id = (
        desk_of(store, profiles)
        .write(evaluation.open_evaluation, branch, 2026, date(2026, 12, 20), 10, LATER)
        .value
    )
    grades = {m: (Grade.QUALIFIED, (0, 10, 0, 0), "") for m in people}
    desk_of(store, profiles).write(
        evaluation.propose_grades, evaluation_id, grades, date(2026, 12, 21)
    )
    found = lines(store, profiles)
    assert found["开展团员教育评议并经上级批准"] == (3, "12-20 已评议，待上级批准")
    desk_of(store).write(evaluation.approve, evaluation_id, date(2026, 12, 28))
    for member_id in list(people)[:8]:
        desk_of(store, profiles).write(evaluation.register, member_id, 2026, date(2026, 12, 30))
    found = lines(store, profiles)
    # The November assembly is only a draft: three quarters of four met, 3 of 4 signed.
    assert found["支部大会按期召开"] == (7.5, "按期召开 3/4")
    assert found["会议记录签字确认"] == (3.8, "已签字 3/4")
    # The election names the secretary and a committee of three.
    assert found["配备团支部书记"] == (8, "书记：李文静（换届选举产生）")
    assert found["支部委员会人数符合规定"] == (6, "支委 3 人")
    assert found["按期换届、任期未届满"] == (6, "任期至 2027-08-10")
    assert found["开展团员教育评议并经上级批准"] == (6, "12-20 评议，12-28 批准")
    assert found["团员年度注册率"] == (8, "已注册 8/10")
    after = next(
        r for r in desk_of(store, profiles).read(ratings, 2026, LATER)[1] if r.branch == BRANCH
    )
    assert after.total == pytest.approx(before.total + 7.5 + 3.8 + 8 + 6 + 6 + 6 + 8, abs=0.05)


def test_only_a_branch_standing_six_months_is_rated(store, profiles):
    from qzdesk.services.organisation import orgs

    root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
    young = (
        desk_of(store).write(orgs.add_branch, root.id, "初一（9）班团支部", date(2026, 7, 2)).value
    )
    older = (
        desk_of(store).write(orgs.add_branch, root.id, "初一（8）班团支部", date(2026, 6, 30)).value
    )

    def rated(on: date) -> set[int]:
        return {r.branch_id for r in desk_of(store, profiles).read(ratings, 2026, on)[1]}

    on = date(2026, 12, 31)  # half a year back is 2026-06-30
    assert older.id in rated(on) and young.id not in rated(on)


def test_a_later_election_is_not_credited_to_an_earlier_year(store, profiles):
    from tests.unit.test_meetings import assembly

    def term_line(year: int, as_of: date) -> tuple[float, str]:
        found = desk_of(store, profiles).read(ratings, year, as_of=as_of)[1]
        rating = next(r for r in found if r.branch == BRANCH)
        line = next(x for d in rating.dimensions for x in d.lines if x.name.startswith("按期换届"))
        return line.scored, line.evidence

    before = term_line(2025, date(2025, 12, 31))
    meeting, draft = assembly(store, 10)  # held 2026-03-20
    desk_of(store, profiles).write(
        terms.record_election,
        branch_id(store, BRANCH),
        draft.held_on,
        "李文静",
        ["王芳", "张强"],
        meeting,
        date(2026, 6, 30),
    )
    assert term_line(2025, date(2025, 12, 31)) == before  # 2025 as it stood
    assert term_line(2026, date(2026, 12, 31)) != before  # the 2026 rating credits it


def test_the_elected_secretary_is_the_one_fact_and_a_roster_that_differs_is_flagged(
    store, profiles
):
    branch = branch_id(store, BRANCH)
    desk_of(store, profiles).write(
        terms.record_election, branch, date(2026, 8, 10), "马雅涵", ["王芳", "张强"], None, LATER
    )
    posted = next(m for m in desk_of(store).read(records.roster) if m.branch_id == branch)
    record = desk_of(store).read(records.member_record, posted.id)
    record.draft.league_post = "书记"
    desk_of(store).write(records.update_member, posted.id, record.draft, LATER)
    found = lines(store, profiles)
    assert found["配备团支部书记"] == (
        8,
        f"书记：马雅涵（换届选举产生；名册中“书记”为{posted.name}，请核对）",
    )


def test_mobile_temporary_and_pending_branches_are_not_rated(store, profiles):
    from qzdesk.services.organisation import orgs
    from qzdesk.vocabulary import BranchNature

    branch = branch_id(store, BRANCH)
    rated = lambda: {r.branch_id for r in desk_of(store, profiles).read(ratings, 2026, LATER)[1]}  # noqa: E731
    assert branch in rated()
    for nature in (BranchNature.MOBILE, BranchNature.TEMPORARY, BranchNature.PENDING_TRANSFER):
        assert desk_of(store).write(orgs.set_nature, branch, nature).value.nature is nature
        assert branch not in rated()
    desk_of(store).write(orgs.set_nature, branch, BranchNature.REGULAR)
    assert branch in rated()
    root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
    with pytest.raises(ValidationError, match="只有团支部"):
        desk_of(store).write(orgs.set_nature, root.id, BranchNature.TEMPORARY)


def test_any_veto_item_makes_the_rating_weak_whatever_the_score(store, profiles):
    from qzdesk.services.meetings import rating

    branch = branch_id(store, BRANCH)

    def mine():
        return next(
            r
            for r in desk_of(store, profiles).read(ratings, 2026, LATER)[1]
            if r.branch_id == branch
        )

    assert mine().vetoes == []
    with pytest.raises(ValidationError, match="没有这一项"):
        desk_of(store, profiles).write(
            rating.record_veto, branch, 2026, "nonsense", date(2026, 5, 1), "x"
        )
    with pytest.raises(ValidationError, match="2026 年内"):
        desk_of(store, profiles).write(
            rating.record_veto, branch, 2026, "falsified", date(2025, 5, 1), "x"
        )
    noted = (
        desk_of(store, profiles)
        .write(
            rating.record_veto,
            branch,
            2026,
            "falsified",
            date(2026, 5, 1),
            "区团委通报（秦团通〔2026〕5号）",
        )
        .value
    )
    assert noted.item == "弄虚作假、虚报瞒报工作数据"
    found = mine()
    assert found.band == "软弱涣散" and found.vetoes == ["弄虚作假、虚报瞒报工作数据"]
    # As of a day before it was noted, it does not count.
    earlier = next(
        r
        for r in desk_of(store, profiles).read(ratings, 2026, LATER, as_of=date(2026, 4, 30))[1]
        if r.branch_id == branch
    )
    assert earlier.vetoes == []
    desk_of(store, profiles).write(rating.void_veto, noted.id, "通报对象有误")
    bands = next(iter(profiles.values())).branch.rating_bands.value
    assert mine().vetoes == [] and mine().band == band_of(mine().total, bands)
    assert [v.void_reason for v in desk_of(store, profiles).read(rating.vetoes, 2026)] == [
        "通报对象有误"
    ]
    with pytest.raises(ValidationError, match="已经作废"):
        desk_of(store, profiles).write(rating.void_veto, noted.id, "再次")
