"""The yearly plan (会前有计划): the meetings the rule profile requires, laid out over the
year per branch, each with its topic, date and who leads it; the secretary adds, moves or
cancels an item with a reason, and held minutes are matched to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import Meeting, MeetingPlan, Org
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.members.records import check_branch
from qzdesk.services.names import clean_name, tidy
from qzdesk.services.workdays import working_days_from
from qzdesk.vocabulary import OrgKind

CHANGED = frozenset({Topic.MEETINGS, Topic.AUDIT})
PLAN_DAY = 15  # mid-month, moved to the next working day; the secretary moves it as needed


class PlanState(Enum):
    """Where a planned meeting stands on a day; the value is its label."""

    DUE = "待召开"
    OVERDUE = "逾期未开"
    HELD = "已召开"
    CANCELLED = "已取消"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class PlanRow:
    id: int
    branch_id: int
    branch: str
    kind: MeetingKind
    planned_on: date
    topic: str
    leader: str | None
    cancelled_reason: str | None
    moved_reason: str | None
    held_on: date | None  # minutes of this kind in the branch in the same month

    def state(self, today: date) -> PlanState:
        if self.cancelled_reason:
            return PlanState.CANCELLED
        if self.held_on is not None:
            return PlanState.HELD
        return PlanState.OVERDUE if self.planned_on < today else PlanState.DUE

    HEADERS = ("计划日期", "团支部", "会议", "主题", "负责人", "状态", "调整说明")

    def cells(self, today: date) -> list[str]:
        """One row of the plan, as the screen and the PDF show it."""
        notes = [f"改期：{self.moved_reason}"] if self.moved_reason else []
        if self.cancelled_reason:
            notes.append(f"取消：{self.cancelled_reason}")
        state = self.state(today).label
        if self.held_on is not None and not self.cancelled_reason:
            state = f"{state}（{self.held_on:%m-%d}）"
        return [
            f"{self.planned_on:%Y-%m-%d}",
            self.branch,
            self.kind.label,
            self.topic,
            self.leader or "",
            state,
            "；".join(notes),
        ]


def lay_out_year(ctx: Context, year: int) -> Outcome[int]:
    """Plan items for every open branch and every meeting the profile requires, where the
    branch has none of that kind in that month yet. Returns how many were added."""
    added = 0
    session = ctx.session
    profile = ctx.profile
    branches = session.execute(
        select(Org.id, Org.created_on).where(
            Org.kind == OrgKind.BRANCH.value, Org.closed_on.is_(None)
        )
    ).all()
    existing = {
        (p.branch_id, p.kind, p.planned_on.month)
        for p in session.scalars(
            select(MeetingPlan).where(
                MeetingPlan.planned_on >= date(year, 1, 1),
                MeetingPlan.planned_on <= date(year, 12, 31),
            )
        )
    }
    for branch_id, created_on in branches:
        # A branch set up this year owes nothing for the windows that ended before.
        formed = created_on.month if created_on.year == year else 1
        if created_on.year > year:
            continue
        for kind in MeetingKind:
            every = kind.every_months(profile)
            if every == 0:
                continue
            for number, month in enumerate(range(1, 13, every), 1):
                first = max(month, formed)  # a window begun before the set-up
                if month + every - 1 < formed or (branch_id, kind.value, first) in existing:
                    continue
                session.add(
                    MeetingPlan(
                        branch_id=branch_id,
                        kind=kind.value,
                        planned_on=working_days_from(date(year, first, PLAN_DAY), 1).ends_on,
                        topic=f"第{number}次{kind.label}（主题待定）",
                    )
                )
                added += 1
    audit.record(session, ctx.actor, "meeting_plan", year, "lay_out", after={"added": added})
    return Outcome(added, CHANGED)


def add_item(
    ctx: Context, branch_id: int, kind: MeetingKind, planned_on: date, topic: str, leader: str = ""
) -> Outcome[int]:
    topic = clean_name(topic, "会议主题", "topic", max_length=200)
    session = ctx.session
    check_branch(session, branch_id)
    item = MeetingPlan(
        branch_id=branch_id,
        kind=kind.value,
        planned_on=planned_on,
        topic=topic,
        leader=tidy(leader) or None,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        ctx.actor,
        "meeting_plan",
        item.id,
        "create",
        after={"kind": kind.value, "on": planned_on.isoformat(), "topic": topic},
    )
    return Outcome(item.id, CHANGED)


def _item(session: Session, item_id: int) -> MeetingPlan:
    item = get_row(session, MeetingPlan, item_id, f"找不到第 {item_id} 项计划，请刷新后再试。")
    if item.cancelled_reason:
        raise ValidationError("这项计划已取消。")
    return item


def update_item(
    ctx: Context, item_id: int, topic: str, leader: str, planned_on: date, reason: str = ""
) -> Outcome[None]:
    """Change an item's topic and leader; moving its date needs a reason."""
    topic = clean_name(topic, "会议主题", "topic", max_length=200)
    session = ctx.session
    item = _item(session, item_id)
    before = {"topic": item.topic, "leader": item.leader, "on": item.planned_on.isoformat()}
    if planned_on != item.planned_on:
        if not reason.strip():
            raise ValidationError("调整会议日期请写明原因。", "reason")
        item.moved_reason = reason.strip()
    item.topic, item.leader, item.planned_on = topic, tidy(leader) or None, planned_on
    after = {"topic": topic, "leader": item.leader, "on": planned_on.isoformat()}
    audit.record(session, ctx.actor, "meeting_plan", item.id, "update", before, after)
    return Outcome(None, CHANGED)


def cancel_item(ctx: Context, item_id: int, reason: str) -> Outcome[None]:
    if not reason.strip():
        raise ValidationError("取消计划请写明原因。", "reason")
    session = ctx.session
    item = _item(session, item_id)
    item.cancelled_reason = reason.strip()
    audit.record(
        session,
        ctx.actor,
        "meeting_plan",
        item.id,
        "cancel",
        after={"reason": reason.strip()},
    )
    return Outcome(None, CHANGED)


def year_plan(ctx: Context, year: int) -> list[PlanRow]:
    return plan_between(ctx, date(year, 1, 1), date(year, 12, 31))


def plan_between(ctx: Context, start: date, end: date) -> list[PlanRow]:
    session = ctx.session
    held: dict[tuple[int, str, int], date] = {}
    for branch_id, kind, held_on in session.execute(
        select(Meeting.branch_id, Meeting.kind, Meeting.held_on).where(
            Meeting.held_on >= start.replace(day=1), Meeting.held_on <= end
        )
    ):
        held.setdefault((branch_id, kind, held_on.month), held_on)
    rows = session.execute(
        select(MeetingPlan, Org.name, Org.created_on, Org.closed_on)
        .join(Org, Org.id == MeetingPlan.branch_id)
        .where(MeetingPlan.planned_on >= start, MeetingPlan.planned_on <= end)
        .order_by(MeetingPlan.planned_on, Org.position, MeetingPlan.id)
    )
    return [
        PlanRow(
            p.id,
            p.branch_id,
            name,
            MeetingKind(p.kind),
            p.planned_on,
            p.topic,
            p.leader,
            p.cancelled_reason,
            p.moved_reason,
            held.get((p.branch_id, p.kind, p.planned_on.month)),
        )
        for p, name, created_on, closed_on in rows
        # An item dated before the branch's first month, or after it closed, never
        # applied (a year laid out before a class branch was set up).
        if p.planned_on >= created_on.replace(day=1)
        and (closed_on is None or p.planned_on <= closed_on)
    ]
