"""The yearly plan laid out from the profile; moves and cancellations need a reason."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import plan
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.meetings.plan import PlanState
from tests.desks import desk_of


def test_the_year_is_laid_out_from_the_profile_once(store, profiles):
    added = desk_of(store, profiles).write(plan.lay_out_year, 2027).value
    rows = desk_of(store).read(plan.year_plan, 2027)
    per_branch = {}
    for row in rows:
        per_branch.setdefault(row.branch, []).append(row.kind)
    kinds = per_branch["初三（1）班团支部"]
    # Quarterly 支部大会 and 团课, monthly 支委会 and 主题团日, 团小组会 as needed.
    assert kinds.count(MeetingKind.ASSEMBLY) == 4 and kinds.count(MeetingKind.LECTURE) == 4
    assert kinds.count(MeetingKind.COMMITTEE) == 12 and MeetingKind.GROUP not in kinds
    assert added == len(rows) == 32 * len(per_branch)
    assert desk_of(store, profiles).write(plan.lay_out_year, 2027).value == 0


def test_planned_days_are_working_days(store, profiles):
    desk_of(store, profiles).write(plan.lay_out_year, 2026)
    days = {r.planned_on.month: r.planned_on for r in desk_of(store).read(plan.year_plan, 2026)}
    # Mid-month: 2026-03-15 is a Sunday; 02-15 to 02-23 is the Spring Festival holiday.
    assert days[3] == date(2026, 3, 16) and days[2] == date(2026, 2, 24)
    assert days[10] == date(2026, 10, 15)


def test_moving_or_cancelling_needs_a_reason(store, profiles):
    desk_of(store, profiles).write(plan.lay_out_year, 2027)
    item = desk_of(store).read(plan.year_plan, 2027)[0]
    with pytest.raises(ValidationError, match="调整会议日期请写明原因"):
        desk_of(store).write(plan.update_item, item.id, "学习团章", "李文静", date(2027, 1, 20))
    desk_of(store).write(
        plan.update_item, item.id, "学习团章", "李文静", date(2027, 1, 20), "期末考试"
    )
    with pytest.raises(ValidationError, match="取消计划请写明原因"):
        desk_of(store).write(plan.cancel_item, item.id, " ")
    desk_of(store).write(plan.cancel_item, item.id, "寒假提前")
    moved = next(r for r in desk_of(store).read(plan.year_plan, 2027) if r.id == item.id)
    assert (moved.topic, moved.moved_reason, moved.planned_on) == (
        "学习团章",
        "期末考试",
        date(2027, 1, 20),
    )
    assert moved.state(date(2027, 3, 1)) is PlanState.CANCELLED


def test_held_minutes_meet_their_plan_item_and_the_rest_fall_overdue(store, profiles):
    from qzdesk.services.meetings import minutes
    from qzdesk.services.meetings.minutes import MinutesDraft
    from tests.admission_helpers import branch_id

    branch = branch_id(store, "初三（3）班团支部")
    desk_of(store, profiles).write(plan.lay_out_year, 2026)
    people = desk_of(store).read(minutes.branch_members_on, branch)
    draft = MinutesDraft(
        MeetingKind.ASSEMBLY,
        date(2026, 4, 10),
        "第二季度支部大会",
        attendance={m: ("present", "") for m, _ in people},
    )
    desk_of(store).write(minutes.create_minutes, branch, draft, date(2026, 6, 30))
    mine = [r for r in desk_of(store).read(plan.year_plan, 2026) if r.branch_id == branch]
    assemblies = [r for r in mine if r.kind is MeetingKind.ASSEMBLY]
    today = date(2026, 6, 30)
    assert [r.state(today).label for r in assemblies] == ["逾期未开", "已召开", "待召开", "待召开"]


def test_a_branch_set_up_in_september_owes_nothing_before(store, profiles):
    """A class branch founded in September: the year laid out plans its months from
    September; an item typed in for May before it existed is not listed as 逾期."""
    from qzdesk.services.organisation import orgs

    root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
    new = (
        desk_of(store).write(orgs.add_branch, root.id, "初一（9）班团支部", date(2027, 9, 1)).value
    )
    desk_of(store, profiles).write(plan.lay_out_year, 2027)
    mine = [r for r in desk_of(store).read(plan.year_plan, 2027) if r.branch_id == new.id]
    assert min(r.planned_on for r in mine).month == 9
    quarterly = [r for r in mine if r.kind is MeetingKind.ASSEMBLY]
    # The third quarter's meeting is owed (its window ends in September): in September.
    assert [r.planned_on.month for r in quarterly] == [9, 10]
    assert len([r for r in mine if r.kind is MeetingKind.COMMITTEE]) == 4
    assert desk_of(store, profiles).write(plan.lay_out_year, 2027).value == 0  # laid out once
