"""The secretary's to-do list (工作台), computed from the data for a given day: each item
says what is due, by when, and which page does it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from sqlalchemy import select

from qzdesk.models import Meeting, Org
from qzdesk.services.admission import applicants, publicity, quotas
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.dues import book as dues_book
from qzdesk.services.meetings import plan, terms
from qzdesk.services.meetings.evaluation import evaluations_of_year, overdue_registrations
from qzdesk.services.meetings.plan import PlanState
from qzdesk.services.meetings.terms import TermState
from qzdesk.services.members import records
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.party import recommend
from qzdesk.services.security import branch_key
from qzdesk.services.transfer import book as transfer_book

SOON = timedelta(days=14)


class Target(Enum):
    """Where a to-do item is done: a page, or a tab of one."""

    ROSTER = "roster"
    ADMISSION = "admission"
    MINUTES = "minutes"
    PLAN = "plan"
    EVALUATION = "evaluation"
    TERMS = "terms"
    ORGANISATION = "organisation"
    KEY = "key"
    DUES = "dues"


@dataclass(frozen=True)
class FirstStep:
    """One step of a new organisation's first hour, ticked off from the data itself."""

    title: str
    state: str  # what the data says now
    done: bool
    target: Target


def first_steps(ctx: Context) -> list[FirstStep]:
    """导入花名册 → 核对团支部 → 生成年度计划 → 登记证书, each done when the records show it."""
    data = ctx.overview
    members = data.members.active
    empty = [b.name for b in data.open_branches if not data.members.by_branch.get(b.id)]
    listed = "、".join(empty[:3]) + ("等" if len(empty) > 3 else "")
    planned = len(plan.year_plan(ctx, ctx.today.year))
    exported = branch_key.certificate_exported(ctx)
    return [
        FirstStep(
            "导入花名册",
            f"已有 {members} 名团员"
            if members
            else "把现有的 Excel 名册导进来（团员页→从 Excel 导入）",
            members > 0,
            Target.ROSTER,
        ),
        FirstStep(
            "核对团支部",
            f"{len(empty)} 个团支部还没有团员：{listed}"
            if empty
            else f"{len(data.open_branches)} 个团支部都已有团员",
            members > 0 and not empty,
            Target.ORGANISATION,
        ),
        FirstStep(
            f"生成 {ctx.today.year} 年度计划",
            f"已有 {planned} 项计划" if planned else "按规则配置排出全年的三会两制一课",
            planned > 0,
            Target.PLAN,
        ),
        FirstStep(
            "登记证书",
            "证书已导出" if exported else "导出证书，打印证书登记表交上级团委",
            exported,
            Target.KEY,
        ),
    ]


@dataclass(frozen=True)
class TodoItem:
    target: Target
    text: str
    due: date | None = None
    urgent: bool = False


def todo(ctx: Context) -> list[TodoItem]:
    """The list for the context's day, read in its one snapshot."""
    profile, today = ctx.profile, ctx.today
    items: list[TodoItem] = []
    overdue_by_branch: dict[str, list[plan.PlanRow]] = {}
    for row in plan.year_plan(ctx, today.year):
        state = row.state(today)
        if state is PlanState.OVERDUE:
            overdue_by_branch.setdefault(row.branch, []).append(row)
        elif state is PlanState.DUE and (row.planned_on.year, row.planned_on.month) == (
            today.year,
            today.month,
        ):
            items.append(
                TodoItem(
                    Target.PLAN,
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
                Target.PLAN,
                f"{branch}：计划的会议逾期未开 {len(late)} 次（{listed}），"
                f"最早计划于 {late[0].planned_on:%m-%d}",
                late[0].planned_on,
                True,
            )
        )
    session = ctx.session
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
                Target.MINUTES,
                f"{branch}：{held_on:%m-%d}“{topic}”的记录尚未签字确认",
                held_on,
                held_on < today - SOON,
            )
        )
    data = ctx.overview
    age_out = profile.membership.age_out.value
    if data.members.turning_age_out:
        items.append(
            TodoItem(
                Target.ROSTER,
                f"今年满 {age_out} 周岁的团员 {data.members.turning_age_out} 人："
                "无团内职务者届时办理超龄离团",
                date(today.year, 12, 31),
            )
        )
    if data.members.over_age_out:
        items.append(
            TodoItem(
                Target.ROSTER,
                f"已满 {age_out} 周岁仍在册的团员 {data.members.over_age_out} 人，"
                "请办理离团或确认其团内职务",
                None,
                True,
            )
        )
    from_year = profile.membership.member_no_required_from_year.value
    missing = records.missing_member_numbers(ctx, from_year)
    if missing:
        items.append(
            TodoItem(
                Target.ROSTER,
                f"{missing} 名 {from_year} 年及以后入团的团员缺团员编号：请在智慧团建核对后补录",
            )
        )
    items += _dues(ctx)
    handed = [*transfer_book.reminders(ctx), *recommend.reminders(ctx, SOON.days * 4)]
    items += [TodoItem(Target.ROSTER, r.text, r.due, r.urgent) for r in handed]
    if unknown := records.missing_joined_on(ctx):
        items.append(
            TodoItem(
                Target.ROSTER,
                f"{unknown} 名团员缺入团年月（导入的名单未载明）：请核对入团志愿书或智慧团建后补录",
            )
        )
    if data.members.active:  # a new organisation's first steps are the guide's, not these
        school = data.root.sector.is_school
        items += _evaluation_and_registration(ctx, profile, today, school)
        items += _terms(ctx, today)
    for notice in publicity.publicities(ctx):
        open_objections = sum(1 for o in notice.objections if o.resolved_on is None)
        if today <= notice.ends_on <= today + SOON:
            items.append(
                TodoItem(
                    Target.ADMISSION,
                    f"{notice.title}将于 {notice.ends_on:%m-%d} 期满（{len(notice.people)} 人）",
                    notice.ends_on,
                )
            )
        if open_objections:
            items.append(
                TodoItem(
                    Target.ADMISSION,
                    f"{notice.title}有 {open_objections} 条反映待处理",
                    notice.ends_on,
                    True,
                )
            )
    months = profile.admission.observation_months.value
    became = {
        r.applicant_id: r.event.on
        for r in applicants.steps_between(ctx, (Step.ACTIVIST,), date.min, today)
    }
    for row in applicants.applicants(ctx):
        if row.stage is not Stage.ACTIVIST or row.id not in became:
            continue
        ready = add_months(became[row.id], months)
        if ready <= today + SOON:
            when = "已满" if ready <= today else f"将于 {ready:%m-%d} 期满"
            items.append(
                TodoItem(
                    Target.ADMISSION,
                    f"积极分子{row.name}的考察期{when}，可研究确定为发展对象",
                    ready,
                )
            )
    status = quotas.quota_status(ctx, today.year)
    if status.quota is not None:
        items.append(
            TodoItem(
                Target.ADMISSION, status.text(), date(today.year, 12, 31), (status.left or 0) <= 0
            )
        )
    return sorted(items, key=lambda i: (not i.urgent, i.due or date.max))


def _evaluation_and_registration(
    ctx: Context,
    profile: RuleProfile,
    today: date,
    school: bool,
) -> list[TodoItem]:
    """In the profile's season: branches not yet evaluated or approved, members not yet
    registered; all year round: members whose card is void for want of registration."""
    rules = profile.membership
    year_end = date(today.year, 12, 31)
    items = []
    if today.month in rules.evaluation_season_months.value:
        held = {v.branch_id: v for v in evaluations_of_year(ctx, today.year)}
        missing = [name for branch_id, name in records.open_branches(ctx) if branch_id not in held]
        if missing:
            items.append(
                TodoItem(
                    Target.EVALUATION,
                    f"评议季：{len(missing)} 个团支部尚未开展 {today.year} 年团员教育评议"
                    f"（{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}）",
                    year_end,
                )
            )
        waiting = sum(1 for v in held.values() if v.approved_on is None)
        if waiting:
            items.append(
                TodoItem(
                    Target.EVALUATION,
                    f"{waiting} 个团支部的评议结果待上级团委批准后登记批准日期",
                    year_end,
                )
            )
    overdue = overdue_registrations(ctx, today)
    void = sum(1 for o in overdue if o.void)
    if overdue and today.month in rules.registration_months(school):
        items.append(
            TodoItem(
                Target.EVALUATION,
                f"注册季：{today.year} 年尚未注册的团员 {len(overdue)} 人",
                year_end,
            )
        )
    if void:
        items.append(
            TodoItem(
                Target.EVALUATION,
                f"{void} 名团员超过 {rules.registration_void_after_months.value} 个月未注册，"
                "团员证已失效，请核实并补办注册（从未注册的，自录入本系统之日起算）",
                None,
                True,
            )
        )
    return items


def _terms(ctx: Context, today: date) -> list[TodoItem]:
    items = []
    unrecorded = []
    for branch in terms.branch_terms(ctx):
        state = branch.state(today)
        if branch.current is None:
            unrecorded.append(branch.branch)
        elif state.needs_election:
            ends = branch.current.ends_on
            when = (
                f"已于 {ends:%Y-%m-%d} 届满"
                if state is TermState.EXPIRED
                else f"将于 {ends:%m-%d} 届满"
            )
            items.append(
                TodoItem(
                    Target.TERMS,
                    f"{branch.branch}：支部委员会任期{when}，请筹备换届选举",
                    ends,
                    state is TermState.EXPIRED,
                )
            )
    if unrecorded:
        items.append(
            TodoItem(
                Target.TERMS,
                f"{len(unrecorded)} 个团支部尚未登记上次换届（无法提醒任期届满）",
                None,
            )
        )
    return items


def _dues(ctx: Context) -> list[TodoItem]:
    """Unpaid 团费 in a row: a reminder from the profile's months, and at the 团章's the
    自行脱团 procedure offered (recorded only after the secretary confirms it)."""
    warning = ctx.profile.dues.arrears_warning_months.value
    lapse = ctx.profile.membership.lapse_months.value
    late = [a for a in dues_book.arrears(ctx) if a.months >= warning]
    lapsing = [a for a in late if a.months >= lapse]
    items = []
    if unread := dues_book.without_basis(ctx):
        typed = [f"{name}（{text}）" if text else name for name, text in unread[:5]]
        items.append(
            TodoItem(
                Target.DUES,
                f"{len(unread)} 名团员尚未确定团费交纳类别（原填交费档位未能识别或未填）："
                + "、".join(typed)
                + ("等" if len(unread) > 5 else ""),
            )
        )
    if late:
        names = "、".join(a.name for a in late[:5]) + ("等" if len(late) > 5 else "")
        items.append(
            TodoItem(Target.DUES, f"{len(late)} 名团员连续 {warning} 个月以上未交团费：{names}")
        )
    if lapsing:
        items.append(
            TodoItem(
                Target.DUES,
                f"{len(lapsing)} 名团员连续 {lapse} 个月未交团费：无正当理由的，经核实后可按团章"
                "办理自行脱团（不会自动办理）",
                None,
                True,
            )
        )
    return items
