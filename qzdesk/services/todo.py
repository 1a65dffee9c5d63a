"""The secretary's to-do list (工作台), computed from the data for a given day: each item
says what is due, by when, and which page does it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from qzdesk.models import Meeting, Org
from qzdesk.services import admission, meeting_plan, publicity, quotas
from qzdesk.services.dates import add_months
from qzdesk.services.evaluation import overdue_registrations
from qzdesk.services.overview import overview
from qzdesk.services.rules import RuleProfile
from qzdesk.services.settings import rules_in_force
from qzdesk.services.stages import Stage, Step
from qzdesk.services.store import Store

SOON = timedelta(days=14)


@dataclass(frozen=True)
class TodoItem:
    page: str  # where it is done: roster | admission | meetings
    text: str
    due: date | None = None
    urgent: bool = False


def todo(store: Store, profiles: dict[str, RuleProfile], today: date) -> list[TodoItem]:
    profile = rules_in_force(store, profiles)
    items: list[TodoItem] = []
    overdue_by_branch: dict[str, list[meeting_plan.PlanRow]] = {}
    for row in meeting_plan.year_plan(store, today.year):
        state = row.state(today)
        if state == "逾期未开":
            overdue_by_branch.setdefault(row.branch, []).append(row)
        elif state == "待召开" and (row.planned_on.year, row.planned_on.month) == (
            today.year,
            today.month,
        ):
            items.append(
                TodoItem(
                    "meetings",
                    f"{row.branch}：本月应开{row.kind.label}——{row.topic}"
                    f"（计划 {row.planned_on:%m-%d}）",
                    row.planned_on,
                )
            )
    for branch, late in overdue_by_branch.items():
        kinds = Counter(r.kind.label for r in late)
        listed = "、".join(f"{kind} {n} 次" for kind, n in kinds.items())
        items.append(
            TodoItem(
                "meetings",
                f"{branch}：计划的会议逾期未开 {len(late)} 次（{listed}），"
                f"最早计划于 {late[0].planned_on:%m-%d}",
                late[0].planned_on,
                True,
            )
        )
    with store.transaction() as session:
        drafts = list(
            session.execute(
                select(Meeting.held_on, Meeting.topic, Org.name)
                .join(Org, Org.id == Meeting.branch_id)
                .where(Meeting.status == "draft")
                .order_by(Meeting.held_on)
            )
        )
    for held_on, topic, branch in drafts:
        items.append(
            TodoItem(
                "meetings",
                f"{branch}：{held_on:%m-%d}“{topic}”的记录尚未签字确认",
                held_on,
                held_on < today - SOON,
            )
        )
    data = overview(store, profiles, today)
    age_out = profile.membership.age_out.value
    if data.members.turning_age_out:
        items.append(
            TodoItem(
                "roster",
                f"今年满 {age_out} 周岁的团员 {data.members.turning_age_out} 人："
                "无团内职务者届时办理超龄离团",
                date(today.year, 12, 31),
            )
        )
    if data.members.over_age_out:
        items.append(
            TodoItem(
                "roster",
                f"已满 {age_out} 周岁仍在册的团员 {data.members.over_age_out} 人，"
                "请办理离团或确认其团内职务",
                None,
                True,
            )
        )
    overdue = overdue_registrations(store, profiles, today)
    void_months = profile.membership.registration_void_after_months.value
    if overdue:
        void = sum(1 for o in overdue if o.void)
        items.append(
            TodoItem(
                "roster",
                f"{today.year} 年尚未注册的团员 {len(overdue)} 人"
                + (f"，其中 {void} 人逾期超过 {void_months} 个月" if void else ""),
                date(today.year, 12, 31),
                bool(void),
            )
        )
    for notice in publicity.publicities(store):
        open_objections = sum(1 for o in notice.objections if o.resolved_on is None)
        if today <= notice.ends_on <= today + SOON:
            items.append(
                TodoItem(
                    "admission",
                    f"{notice.title}将于 {notice.ends_on:%m-%d} 期满（{len(notice.people)} 人）",
                    notice.ends_on,
                )
            )
        if open_objections:
            items.append(
                TodoItem(
                    "admission",
                    f"{notice.title}有 {open_objections} 条反映待处理",
                    notice.ends_on,
                    True,
                )
            )
    months = profile.admission.observation_months.value
    became = {
        r.applicant_id: r.event.on
        for r in admission.steps_between(store, (Step.ACTIVIST,), date.min, today)
    }
    for row in admission.applicants(store, profiles):
        if row.stage is not Stage.ACTIVIST or row.id not in became:
            continue
        ready = add_months(became[row.id], months)
        if ready <= today + SOON:
            when = "已满" if ready <= today else f"将于 {ready:%m-%d} 期满"
            items.append(
                TodoItem(
                    "admission", f"积极分子{row.name}的考察期{when}，可研究确定为发展对象", ready
                )
            )
    status = quotas.quota_status(store, profiles, today.year)
    if status.quota is not None:
        items.append(
            TodoItem("admission", status.text(), date(today.year, 12, 31), (status.left or 0) <= 0)
        )
    return sorted(items, key=lambda i: (not i.urgent, i.due or date.max))
