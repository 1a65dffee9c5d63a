"""团员教育评议 (quorum, the 30 % cap, Party members skip it) and 团籍注册."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services import clock
from qzdesk.services.dates import add_months
from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import evaluation
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.members import records
from tests.admission_helpers import branch_id
from tests.desks import desk_of

BRANCH = "初三（3）班团支部"  # ten members, all 团员
HELD = date(2025, 12, 20)
TODAY = date(2026, 6, 30)


def open_session(store, profiles, present=8):
    branch = branch_id(store, BRANCH)
    return (
        desk_of(store, profiles)
        .write(evaluation.open_evaluation, branch, 2025, HELD, present, TODAY)
        .value
    )


def grades(view, excellent: int, unqualified: int = 0):
    ids = [r.member_id for r in view.rows]
    chosen = {}
    for index, member_id in enumerate(ids):
        grade = (
            Grade.EXCELLENT
            if index < excellent
            else Grade.UNQUALIFIED
            if index >= len(ids) - unqualified
            else Grade.QUALIFIED
        )
        chosen[member_id] = (grade, (1, 6, 1, 0), "自我评价：学习认真")
    return chosen


@pytest.mark.parametrize(("present", "allowed"), [(6, False), (7, True)])
def test_more_than_two_thirds_must_be_present(store, profiles, present, allowed):
    if allowed:
        view = desk_of(store, profiles).read(
            evaluation.evaluation, open_session(store, profiles, present)
        )
        assert view.expected == 10 and view.quorate
    else:
        with pytest.raises(ValidationError, match="到会 6/10 人，未超过 67%"):
            open_session(store, profiles, present)


def test_excellent_is_capped_at_thirty_percent(store, profiles):
    evaluation_id = open_session(store, profiles)
    view = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    assert view.excellent_cap == 3
    with pytest.raises(ValidationError, match="“优秀”4 人，超过参评 10 人的 30%（最多 3 人）"):
        desk_of(store, profiles).write(
            evaluation.propose_grades, evaluation_id, grades(view, 4), HELD
        )
    desk_of(store, profiles).write(evaluation.propose_grades, evaluation_id, grades(view, 3), HELD)
    desk_of(store).write(evaluation.approve, evaluation_id, date(2026, 1, 5))
    approved = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    assert [r.grade for r in approved.rows].count(Grade.EXCELLENT) == 3
    with pytest.raises(ValidationError, match="已经上级团委批准"):
        desk_of(store, profiles).write(
            evaluation.propose_grades, evaluation_id, grades(view, 1), HELD
        )


def test_party_members_keeping_league_membership_skip_the_evaluation(store, profiles):
    teachers = branch_id(store, "教职工团支部")
    evaluation_id = (
        desk_of(store, profiles)
        .write(evaluation.open_evaluation, teachers, 2025, HELD, 4, TODAY)
        .value
    )
    view = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    roster = {r.id: r for r in desk_of(store).read(records.roster)}
    assert view.rows and all(
        roster[r.member_id].political_status.value == "league" for r in view.rows
    )
    assert any(
        r.political_status.value == "party" and r.branch_id == teachers for r in roster.values()
    )


def test_unqualified_defers_registration_with_a_follow_up(store, profiles):
    evaluation_id = open_session(store, profiles)
    view = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    desk_of(store, profiles).write(
        evaluation.propose_grades, evaluation_id, grades(view, 2, unqualified=1), HELD
    )
    desk_of(store).write(evaluation.approve, evaluation_id, date(2026, 1, 5))
    weak, good = view.rows[-1].member_id, view.rows[0].member_id
    on = date(2026, 3, 1)
    with pytest.raises(
        ValidationError, match="应暂缓注册，并在 3–6 个月内（2026-06-01 至 2026-09-01）复查"
    ):
        desk_of(store, profiles).write(evaluation.register, weak, 2025, on, date(2026, 4, 1))
    assert (
        desk_of(store, profiles).write(evaluation.register, weak, 2025, on, date(2026, 7, 1)).value
        == "deferred"
    )
    assert desk_of(store, profiles).write(evaluation.register, good, 2025, on).value == "registered"
    with pytest.raises(ValidationError, match="已注册"):
        desk_of(store, profiles).write(evaluation.register, good, 2025, on)


def test_the_branch_is_registered_at_once_after_approval_except_the_unqualified(store, profiles):
    branch = branch_id(store, BRANCH)
    on = date(2026, 3, 1)
    assert desk_of(store, profiles).read(evaluation.evaluation_roll, branch) == (
        10,
        0.6667,
    )  # the profile's
    with pytest.raises(ValidationError, match="请先完成 2025 年的团员教育评议"):
        desk_of(store, profiles).write(evaluation.register_branch, branch, 2025, on)
    evaluation_id = open_session(store, profiles)
    view = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    desk_of(store, profiles).write(
        evaluation.propose_grades, evaluation_id, grades(view, 2, unqualified=1), HELD
    )
    with pytest.raises(ValidationError, match="登记上级团委批准日期"):
        desk_of(store, profiles).write(evaluation.register_branch, branch, 2025, on)
    desk_of(store).write(evaluation.approve, evaluation_id, date(2026, 1, 5))
    first = view.rows[0]
    desk_of(store, profiles).write(
        evaluation.register, first.member_id, 2025, on
    )  # one already done
    done, left = desk_of(store, profiles).write(evaluation.register_branch, branch, 2025, on).value
    assert done == 8 and left == [view.rows[-1].name]
    roll = {r.member_id: r for r in desk_of(store).read(evaluation.registration_roll, branch, 2025)}
    assert len(roll) == 10 and roll[first.member_id].status_text == "已注册"
    assert roll[view.rows[-1].member_id].status_text == "未注册"
    desk_of(store, profiles).write(
        evaluation.register, view.rows[-1].member_id, 2025, on, date(2026, 7, 1)
    )
    roll = {r.member_id: r for r in desk_of(store).read(evaluation.registration_roll, branch, 2025)}
    assert roll[view.rows[-1].member_id].status_text == "暂缓注册（2026-07-01 复查）"
    assert desk_of(store, profiles).write(evaluation.register_branch, branch, 2025, on).value == (
        0,
        [],
    )


def test_party_members_are_registered_with_the_branch(store, profiles):
    teachers = branch_id(store, "教职工团支部")
    roll = desk_of(store).read(evaluation.registration_roll, teachers, 2025)
    party = [r for r in roll if r.party]
    assert party and len(roll) == 5
    evaluation_id = (
        desk_of(store, profiles)
        .write(evaluation.open_evaluation, teachers, 2025, HELD, 4, TODAY)
        .value
    )
    view = desk_of(store, profiles).read(evaluation.evaluation, evaluation_id)
    chosen = {r.member_id: (Grade.QUALIFIED, (0, 4, 0, 0), "") for r in view.rows}
    desk_of(store, profiles).write(evaluation.propose_grades, evaluation_id, chosen, HELD)
    desk_of(store).write(evaluation.approve, evaluation_id, date(2026, 1, 5))
    assert desk_of(store, profiles).write(
        evaluation.register_branch, teachers, 2025, date(2026, 3, 1)
    ).value == (
        5,
        [],
    )
    assert all(
        r.status == "registered"
        for r in desk_of(store).read(evaluation.registration_roll, teachers, 2025)
    )


def test_members_long_unregistered_are_flagged_void(store, profiles):
    first = desk_of(store).read(records.roster)[1]
    desk_of(store, profiles).write(evaluation.register, first.id, 2026, date(2026, 3, 1))
    overdue = {
        o.member_id: o
        for o in desk_of(store, profiles).read(evaluation.overdue_registrations, date(2026, 6, 30))
    }
    assert first.id not in overdue
    # The demo's members were entered on the day it was built: a card is void only twelve
    # months after that, however long ago they joined.
    assert not any(o.void for o in overdue.values())
    later = add_months(clock.today(), 13)
    late = [
        o for o in desk_of(store, profiles).read(evaluation.overdue_registrations, later) if o.void
    ]
    never = [o for o in late if o.member_id != first.id]
    assert never and all(o.last_registered is None for o in never)
