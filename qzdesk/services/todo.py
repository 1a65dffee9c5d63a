"""The secretary's to-do list (工作台), computed from the data for a given day: each item
says what is due, by when, and which page does it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from qzdesk.models import Meeting, Org
from qzdesk.services.admission import applicants, publicity, quotas
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.services.dates import add_months
from qzdesk.services.meetings import plan, terms
from qzdesk.services.meetings.evaluation import evaluations_of_year, overdue_registrations
from qzdesk.services.members.records import open_branches
from qzdesk.services.organisation.overview import overview
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import rules_in_force
from qzdesk.services.storage.store import Store

SOON = timedelta(days=14)
MINUTES_TAB = "会议记录"
PLAN_TAB = "年度计划"
EVALUATION_TAB = "评议与注册"
TERMS_TAB = "换届"


@dataclass(frozen=True)
class TodoItem:
    page: str  # where it is done: roster | admission | meetings
    text: str
    due: date | None = None
    urgent: bool = False
    tab: str = ""  # the tab of that page, where it has tabs


def todo(store: Store, profiles: dict[str, RuleProfile], today: date) -> list[TodoItem]:
    profile = rules_in_force(store, profiles)
    items: list[TodoItem] = []
    overdue_by_branch: dict[str, list[plan.PlanRow]] = {}
    for row in plan.year_plan(store, today.year):
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
                    tab=PLAN_TAB,
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
                PLAN_TAB,
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
                MINUTES_TAB,
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
    items += _evaluation_and_registration(store, profiles, profile, today)
    items += _terms(store, profiles, today)
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
        for r in applicants.steps_between(store, (Step.ACTIVIST,), date.min, today)
    }
    for row in applicants.applicants(store, profiles):
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


def _evaluation_and_registration(
    store: Store, profiles: dict[str, RuleProfile], profile: RuleProfile, today: date
) -> list[TodoItem]:
    """In the profile's season: branches not yet evaluated or approved, members not yet
    registered; all year round: members whose card is void for want of registration."""
    rules = profile.membership
    year_end = date(today.year, 12, 31)
    items = []
    if today.month in rules.evaluation_season_months.value:
        held = {v.branch_id: v for v in evaluations_of_year(store, profiles, today.year)}
        missing = [name for branch_id, name in open_branches(store) if branch_id not in held]
        if missing:
            items.append(
                TodoItem(
                    "meetings",
                    f"评议季：{len(missing)} 个团支部尚未开展 {today.year} 年团员教育评议"
                    f"（{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}）",
                    year_end,
                    tab=EVALUATION_TAB,
                )
            )
        waiting = sum(1 for v in held.values() if v.approved_on is None)
        if waiting:
            items.append(
                TodoItem(
                    "meetings",
                    f"{waiting} 个团支部的评议结果待上级团委批准后登记批准日期",
                    year_end,
                    tab=EVALUATION_TAB,
                )
            )
    overdue = overdue_registrations(store, profiles, today)
    void = sum(1 for o in overdue if o.void)
    if overdue and today.month in rules.registration_season_months.value:
        items.append(
            TodoItem(
                "meetings",
                f"注册季：{today.year} 年尚未注册的团员 {len(overdue)} 人",
                year_end,
                tab=EVALUATION_TAB,
            )
        )
    if void:
        items.append(
            TodoItem(
                "meetings",
                f"{void} 名团员超过 {rules.registration_void_after_months.value} 个月未注册，"
                "团员证已失效，请核实并补办注册",
                None,
                True,
                EVALUATION_TAB,
            )
        )
    return items


def _terms(store: Store, profiles: dict[str, RuleProfile], today: date) -> list[TodoItem]:
    items = []
    unrecorded = []
    for branch in terms.branch_terms(store, profiles):
        state = branch.state(today)
        if branch.current is None:
            unrecorded.append(branch.branch)
        elif state != "任期内":
            ends = branch.current.ends_on
            when = f"已于 {ends:%Y-%m-%d} 届满" if state == "已届满" else f"将于 {ends:%m-%d} 届满"
            items.append(
                TodoItem(
                    "meetings",
                    f"{branch.branch}：支部委员会任期{when}，请筹备换届选举",
                    ends,
                    state == "已届满",
                    TERMS_TAB,
                )
            )
    if unrecorded:
        items.append(
            TodoItem(
                "meetings",
                f"{len(unrecorded)} 个团支部尚未登记上次换届（无法提醒任期届满）",
                None,
                tab=TERMS_TAB,
            )
        )
    return items
