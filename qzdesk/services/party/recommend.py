"""推优入党, every operation taking the desk's context: eligibility from what the records
hold, the Party application day, a proposal within the branch's quota, each later step
checked against its gate, and the Party's answer setting the member's 政治面貌.
Thresholds are the profile's (`party`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from qzdesk.models import (
    EvaluationEntry,
    EvaluationSession,
    Member,
    MemberEvent,
    Org,
    Recommendation,
    RecommendationStep,
)
from qzdesk.services import audit
from qzdesk.services.admission.requirements import VoteResult, count_vote
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.dues import book as dues_book
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.meetings.evaluation import Grade
from qzdesk.services.members import records
from qzdesk.services.members.discipline import DISCIPLINE, on_probation, probations
from qzdesk.services.members.validation import age_on
from qzdesk.services.party.steps import ORDER, LadderStage, PartyAnswer, PartyStep
from qzdesk.services.periods import instant_text
from qzdesk.services.reminders import Reminder
from qzdesk.services.resolutions import into_minutes
from qzdesk.services.workdays import working_days_from
from qzdesk.vocabulary import DuesCategory, MemberStatus, PoliticalStatus

CHANGED = frozenset({Topic.MEMBERS, Topic.AUDIT})
APPLIED = "party_applied"  # the member event: 递交入党申请书, on its day
ENTITY = "party_recommendation"


# ---- eligibility -------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    member_id: int
    name: str
    branch_id: int
    branch: str
    reasons: tuple[str, ...]  # why not (empty: may be recommended)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _months_short(since: date, months: int, day: date) -> str:
    """ "还差 N 个月" (or days, under a month) until `since` + `months`."""
    due = add_months(since, months)
    left = (due.year - day.year) * 12 + due.month - day.month - (due.day < day.day)
    if left < 1:
        return f"还差 {(due - day).days} 天"
    return f"还差 {left} 个月"


def applied_on(ctx: Context) -> dict[int, date]:
    """Each member's 入党申请 day as recorded (the latest record holds)."""
    rows = ctx.session.execute(
        select(MemberEvent.member_id, MemberEvent.on)
        .where(MemberEvent.kind == APPLIED)
        .order_by(MemberEvent.id)
    )
    return {member_id: on for member_id, on in rows}


def latest_grades(ctx: Context, day: date) -> dict[int, str]:
    """Each member's latest approved 评议 grade as of `day`."""
    rows = ctx.session.execute(
        select(EvaluationEntry.member_id, EvaluationEntry.grade)
        .join(EvaluationSession, EvaluationSession.id == EvaluationEntry.session_id)
        .where(
            EvaluationSession.approved_on.is_not(None),
            EvaluationSession.approved_on <= day,
            EvaluationEntry.grade.is_not(None),
        )
        .order_by(EvaluationSession.year)
    )
    return {member_id: grade for member_id, grade in rows}


def _disciplined(ctx: Context, day: date) -> dict[int, date]:
    rows = ctx.session.execute(
        select(MemberEvent.member_id, MemberEvent.on).where(
            MemberEvent.kind == DISCIPLINE, MemberEvent.on <= day
        )
    )
    return {member_id: on for member_id, on in rows}


def quota(ctx: Context, branch_id: int, year: int) -> tuple[int, int]:
    """(places, used) for the branch's round of `year`: the profile's share of the
    members on its books, rounded down, and at least the profile's floor for a branch
    with members; recommendations not withdrawn use a place."""
    on_books = len(list(ctx.session.scalars(select(Member.id).where(records.on_books(branch_id)))))
    rules = ctx.profile.party
    share = math.floor(on_books * rules.quota_ratio.value)
    places = min(max(share, rules.quota_min_places.value), on_books)
    used = sum(
        1
        for view in recommendations(ctx)
        if view.branch_id == branch_id and view.year == year and not view.withdrawn
    )
    return places, used


def eligibility(ctx: Context, day: date | None = None) -> list[Eligibility]:
    """Every member on the books and whether they may be recommended on `day` (today),
    with each reason why not."""
    day = day or ctx.today
    rules = ctx.profile.party
    applied, grades = applied_on(ctx), latest_grades(ctx, day)
    disciplined, probation = _disciplined(ctx, day), probations(ctx.session)
    open_ones = {v.member_id for v in recommendations(ctx) if v.open}
    found = []
    query = (
        select(Member, Org.name)
        .join(Org, Org.id == Member.branch_id)
        .where(Member.voided.is_(False), Member.status == MemberStatus.ACTIVE.value)
        .order_by(Org.position, Member.id)
    )
    for member, branch in ctx.session.execute(query):
        why = []
        if PoliticalStatus(member.political_status) is not PoliticalStatus.LEAGUE:
            why.append("已是党员或预备党员")
        age = age_on(member.birth_date, day)
        if age < rules.min_age.value:
            short = _months_short(member.birth_date, rules.min_age.value * 12, day)
            why.append(f"未满 {rules.min_age.value} 周岁（{short}）")
        if age >= rules.max_age.value:
            why.append(
                f"已满 {rules.max_age.value} 周岁：入党不经推优"
                + (
                    f"（{rules.consult_max_age.value} 周岁以下的，由党组织征求团组织意见）"
                    if age < rules.consult_max_age.value
                    else ""
                )
            )
        if member.joined_on is None:
            why.append("入团年月未填，无法计算团龄")
        elif add_months(member.joined_on, rules.min_league_months.value) > day:
            short = _months_short(member.joined_on, rules.min_league_months.value, day)
            why.append(f"团龄不满 {rules.min_league_months.value} 个月（{short}）")
        if member.id not in applied:
            why.append("未登记递交入党申请书的日期")
        elif add_months(applied[member.id], rules.applied_months_before.value) > day:
            short = _months_short(applied[member.id], rules.applied_months_before.value, day)
            why.append(f"递交入党申请书不满 {rules.applied_months_before.value} 个月（{short}）")
        grade = grades.get(member.id)
        if grade in (Grade.UNQUALIFIED.value, Grade.BASIC.value):
            why.append(f"最近一次评议为“{Grade(grade).label}”")
        if on_probation(probation, member.id, day):
            why.append("正在留团察看期内")
        elif member.id in disciplined and (
            add_months(disciplined[member.id], rules.discipline_block_months.value) > day
        ):
            why.append(f"{rules.discipline_block_months.value} 个月内受过团内处分")
        if member.id in open_ones:
            why.append("已在推荐中")
        found.append(Eligibility(member.id, member.name, member.branch_id, branch, tuple(why)))
    return found


def record_application(ctx: Context, member_id: int, on: date) -> Outcome[None]:
    """The day the member handed the Party branch their 入党申请书 (a correction is a new
    record; the latest holds)."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    if on > ctx.today:
        raise ValidationError("递交日期不能晚于今天。", "on")
    records.add_event(ctx.session, ctx.actor, member, APPLIED, on, "递交入党申请书")
    audit.record(
        ctx.session, ctx.actor, "member", member.id, "party_applied", after={"on": str(on)}
    )
    return Outcome(None, CHANGED)


# ---- the recommendation and its steps ----------------------------------------------


@dataclass(frozen=True)
class StepView:
    step: PartyStep
    on: date
    details: dict[str, Any]


@dataclass(frozen=True)
class RecommendationView:
    id: int
    member_id: int
    name: str
    branch_id: int
    branch: str
    year: int
    steps: tuple[StepView, ...]
    valid_years: int

    def last(self, step: PartyStep) -> StepView | None:
        return next((s for s in reversed(self.steps) if s.step is step), None)

    @property
    def withdrawn(self) -> bool:
        return self.last(PartyStep.WITHDRAWN) is not None

    @property
    def approved_on(self) -> date | None:
        approved = self.last(PartyStep.APPROVED)
        return approved.on if approved else None

    @property
    def valid_until(self) -> date | None:
        on = self.approved_on
        return None if on is None else add_months(on, 12 * self.valid_years)

    @property
    def answer(self) -> PartyAnswer | None:
        last = self.last(PartyStep.ANSWER)
        return PartyAnswer(last.details["answer"]) if last else None

    @property
    def open(self) -> bool:
        """Still under way: neither withdrawn nor answered as far as 党员."""
        return not self.withdrawn and self.answer not in (
            PartyAnswer.PROBATIONARY,
            PartyAnswer.FULL,
        )

    @property
    def next_step(self) -> PartyStep | None:
        if self.withdrawn:
            return None
        done = {s.step for s in self.steps}
        return next((s for s in ORDER if s not in done), PartyStep.ANSWER)

    @property
    def state(self) -> str:
        if self.withdrawn:
            return "已终止"
        if self.answer is not None:
            return self.answer.label
        return f"待{self.next_step.label}" if self.next_step else ""


def recommendations(ctx: Context, year: int | None = None) -> list[RecommendationView]:
    rows = ctx.session.execute(
        select(Recommendation, Member.name, Org.name)
        .join(Member, Member.id == Recommendation.member_id)
        .join(Org, Org.id == Recommendation.branch_id)
        .order_by(Recommendation.id)
    ).all()
    steps: dict[int, list[StepView]] = {}
    for s in ctx.session.scalars(
        select(RecommendationStep).order_by(RecommendationStep.on, RecommendationStep.id)
    ):
        steps.setdefault(s.recommendation_id, []).append(
            StepView(PartyStep(s.step), s.on, dict(s.details))
        )
    valid = ctx.profile.party.valid_years.value
    return [
        RecommendationView(
            r.id, r.member_id, name, r.branch_id, branch, r.year, tuple(steps.get(r.id, [])), valid
        )
        for r, name, branch in rows
        if year is None or r.year == year
    ]


def recommendations_between(ctx: Context, start: date, as_of: date) -> list[RecommendationView]:
    """The recommendations a period saw, as they stood at its end: each with a step from
    `start` to `as_of`, holding only the steps taken by `as_of`."""
    found = []
    for view in recommendations(ctx):
        steps = tuple(s for s in view.steps if s.on <= as_of)
        if any(s.on >= start for s in steps):
            found.append(replace(view, steps=steps))
    return found


def ladder(ctx: Context) -> dict[int, LadderStage]:
    """Each member's furthest stage on the 团→党 ladder, from the applications, the
    recommendations and the Party's answers recorded, and the 政治面貌 on the roster."""
    found: dict[int, LadderStage] = dict.fromkeys(applied_on(ctx), LadderStage.APPLIED)
    reached = {
        PartyAnswer.ACTIVIST: LadderStage.ACTIVIST,
        PartyAnswer.CANDIDATE: LadderStage.CANDIDATE,
        PartyAnswer.PROBATIONARY: LadderStage.PARTY,
        PartyAnswer.FULL: LadderStage.PARTY,
    }
    order = list(LadderStage)
    for view in recommendations(ctx):
        stage = LadderStage.RECOMMENDED if view.last(PartyStep.APPROVED) else None
        answer = view.last(PartyStep.ANSWER)
        if answer is not None:
            stage = reached.get(PartyAnswer(answer.details["answer"]), stage)
        held = found.get(view.member_id)
        if stage is not None and (held is None or order.index(stage) > order.index(held)):
            found[view.member_id] = stage
    party = (PoliticalStatus.PARTY.value, PoliticalStatus.PARTY_PROBATIONARY.value)
    for member_id in ctx.session.scalars(
        select(Member.id).where(Member.political_status.in_(party), Member.voided.is_(False))
    ):
        found[member_id] = LadderStage.PARTY
    return found


def reminders(ctx: Context, soon_days: int) -> list[Reminder]:
    """推优 recommendations approved whose validity ends within `soon_days` with no answer
    of the Party yet; and 公示 that ended without the 上级团委's review recorded."""
    found = []
    for view in recommendations(ctx):
        if view.withdrawn or not view.open:
            continue
        until = view.valid_until
        if until is not None and view.answer is None and (until - ctx.today).days <= soon_days:
            found.append(
                Reminder(
                    f"{view.name}的推优入党推荐于 {until:%Y-%m-%d} 到期，党组织尚未反馈："
                    "请与党支部联系",
                    until,
                    until <= ctx.today,
                )
            )
        shown = view.last(PartyStep.PUBLICITY)
        if (
            shown
            and view.approved_on is None
            and date.fromisoformat(shown.details["ends_on"]) < ctx.today
        ):
            found.append(Reminder(f"{view.name}的推优公示已结束：请报上级团委审查", None, False))
    return found


def recommendation(ctx: Context, rec_id: int) -> RecommendationView:
    found = next((v for v in recommendations(ctx) if v.id == rec_id), None)
    if found is None:
        raise ValidationError(f"找不到编号为 {rec_id} 的推优记录。")
    return found


def _add_step(
    ctx: Context, rec_id: int, step: PartyStep, on: date, details: dict[str, Any]
) -> None:
    ctx.session.add(
        RecommendationStep(
            recommendation_id=rec_id,
            step=step.value,
            on=on,
            details=details,
            recorded_by=ctx.actor,
            recorded_at=instant_text(ctx.now),
        )
    )
    ctx.session.flush()
    audit.record(
        ctx.session, ctx.actor, ENTITY, rec_id, step.value, after={"on": str(on), **details}
    )


def propose(ctx: Context, member_id: int, on: date, note: str = "") -> Outcome[int]:
    """The 支委会 proposes the member: refused with every reason when not eligible on
    `on`, or when the branch's places for the year are taken."""
    if on > ctx.today:
        raise ValidationError("日期不能晚于今天。", "on")
    found = next((e for e in eligibility(ctx, on) if e.member_id == member_id), None)
    if found is None:
        raise ValidationError("只能推荐在册的团员。")
    if not found.eligible:
        raise ValidationError(f"“{found.name}”暂不符合推优条件：{'；'.join(found.reasons)}。")
    places, used = quota(ctx, found.branch_id, on.year)
    if used >= places:
        ratio = ctx.profile.party.quota_ratio.value
        raise ValidationError(
            f"{found.branch} {on.year} 年的推优名额已满（在册团员的 {ratio:.0%}，"
            f"共 {places} 个，已推荐 {used} 人）。"
        )
    row = Recommendation(
        member_id=member_id,
        branch_id=found.branch_id,
        year=on.year,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    ctx.session.add(row)
    ctx.session.flush()
    _add_step(ctx, row.id, PartyStep.PROPOSED, on, {"note": note.strip()} if note.strip() else {})
    return Outcome(row.id, CHANGED)


def vote_of(ctx: Context, details: dict[str, Any]) -> VoteResult:
    rules = ctx.profile.party
    return count_vote(
        rules.vote_quorum,
        rules.vote_pass_basis,
        int(details["expected"]),
        int(details["present"]),
        int(details["for"]),
    )


def _check_vote(ctx: Context, details: dict[str, Any]) -> dict[str, Any]:
    try:
        expected, present = int(details["expected"]), int(details["present"])
        yes, no, abstain = int(details["for"]), int(details["against"]), int(details["abstain"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError("请填写应到、实到、赞成、反对、弃权人数。", "vote") from None
    if min(expected, present, yes, no, abstain) < 0 or expected == 0:
        raise ValidationError("人数不能为负数，应到人数须大于 0。", "vote")
    if present > expected or yes + no + abstain > present:
        raise ValidationError("实到不能多于应到，赞成、反对、弃权合计不能多于实到。", "vote")
    clean = {
        "expected": expected,
        "present": present,
        "for": yes,
        "against": no,
        "abstain": abstain,
    }
    result = vote_of(ctx, clean)
    rules = ctx.profile.party
    if not result.quorate:
        raise ValidationError(
            f"到会 {present}/{expected} 人，未超过有表决权团员的 {rules.vote_quorum.value:.0%}，"
            "推优大会无效。",
            "vote",
        )
    return {**clean, "passed": result.passed}


def record_step(
    ctx: Context, rec_id: int, step: PartyStep, on: date, details: dict[str, Any] | None = None
) -> Outcome[None]:
    """One step, in order, checked against its gate: the vote's quorum and majority, the
    publicity's working days (its end computed from the holiday calendar), the approval
    only after the 公示 ended without an open objection, the answer only after approval."""
    details = dict(details or {})
    view = recommendation(ctx, rec_id)
    if view.withdrawn:
        raise ValidationError(f"对“{view.name}”的推荐已终止。")
    if on > ctx.today:
        raise ValidationError("日期不能晚于今天。", "on")
    if view.steps and on < view.steps[-1].on:
        raise ValidationError(f"日期不能早于上一步（{view.steps[-1].on:%Y-%m-%d}）。", "on")
    expected = view.next_step
    if step is PartyStep.WITHDRAWN:
        if not str(details.get("reason", "")).strip():
            raise ValidationError("请写明终止推荐的原因。", "reason")
    elif step is PartyStep.ANSWER:
        if view.approved_on is None:
            raise ValidationError("上级团委审查同意后，才能登记党组织的反馈。")
        try:
            answer = PartyAnswer(details.get("answer"))
        except ValueError:
            raise ValidationError("请选择党组织的反馈结果。", "answer") from None
        details = {"answer": answer.value}
    elif step is not expected:
        raise ValidationError(
            f"下一步应是“{expected.label if expected else ''}”，不是“{step.label}”。"
        )
    if step is PartyStep.VOTE:
        meeting_id = details.get("meeting_id")
        details = _check_vote(ctx, details)
        if meeting_id is not None:
            # The vote goes into the 支部大会's draft minutes too, pointing back here.
            into_minutes(
                ctx.session,
                int(meeting_id),
                view.branch_id,
                on,
                f"推荐{view.name}为入党积极分子人选",
                details,
                recommendation_id=rec_id,
            )
            details["meeting_id"] = int(meeting_id)
        if not details["passed"]:
            _add_step(ctx, rec_id, step, on, details)
            return Outcome(None, CHANGED)  # recorded as held: the recommendation stops here
    if step is PartyStep.REVIEWED:
        vote = view.last(PartyStep.VOTE)
        if vote is None or not vote.details.get("passed"):
            raise ValidationError("推优大会的赞成票未过半数，不能进入审查。")
    if step is PartyStep.PUBLICITY:
        span = working_days_from(on, ctx.profile.party.publicity_workdays.value)
        details = {
            "starts_on": on.isoformat(),
            "ends_on": span.ends_on.isoformat(),
            "objections": str(details.get("objections", "")).strip(),
        }
    if step is PartyStep.APPROVED:
        shown = view.last(PartyStep.PUBLICITY)
        assert shown is not None  # the order puts 公示 first
        ends = date.fromisoformat(shown.details["ends_on"])
        if on <= ends:
            raise ValidationError(f"公示到 {ends:%Y-%m-%d} 结束，之后才能审查同意。", "on")
        if shown.details.get("objections") and not str(details.get("objections_resolved", "")):
            raise ValidationError("公示期间有反映的问题：请写明核实处理的结果。", "objections")
    _add_step(ctx, rec_id, step, on, details)
    if step is PartyStep.ANSWER:
        _answered(ctx, view, PartyAnswer(details["answer"]), on)
    return Outcome(None, CHANGED)


MADE_MEMBER = frozenset({PartyAnswer.PROBATIONARY, PartyAnswer.FULL})


def _answered(ctx: Context, view: RecommendationView, answer: PartyAnswer, on: date) -> None:
    """A 预备党员 or 正式党员: the member's 政治面貌 and 入党时间 follow the answer, changed
    as any correction of the record is (history and audit); a 预备党员 may stop paying
    团费 (中青发〔2016〕13号): their dues are reckoned so from the month after."""
    if answer not in MADE_MEMBER:
        return
    draft = records.draft_of(ctx.session.get_one(Member, view.member_id))
    if answer is PartyAnswer.PROBATIONARY:
        draft.political_status, draft.party_joined_on = PoliticalStatus.PARTY_PROBATIONARY, on
        following = add_months(on.replace(day=1), 1)
        dues_book.set_basis(ctx, view.member_id, DuesCategory.PARTY_PROBATIONARY, following)
    else:
        draft.political_status = PoliticalStatus.PARTY
    records.update_member(ctx, view.member_id, draft, ctx.today)


# ---- the 推荐表 ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationForm:
    """What the 推荐表 prints, from the recorded data only."""

    organisation: str
    parent: str
    branch: str
    member: dict[str, Any]  # the roster's fields (audit view)
    applied_on: date | None
    vote: dict[str, Any]
    vote_held_on: date
    reviewed_on: date | None
    publicity: dict[str, Any] | None
    approved_on: date | None
    valid_until: date | None
    taken_at: datetime

    @property
    def pass_rate(self) -> float:
        return self.vote["for"] / self.vote["expected"]


def form(ctx: Context, rec_id: int) -> RecommendationForm:
    view = recommendation(ctx, rec_id)
    vote = view.last(PartyStep.VOTE)
    if vote is None or not vote.details.get("passed"):
        raise ValidationError("推优大会通过后才能填写推荐表。")
    member = ctx.session.get_one(Member, view.member_id)
    reviewed, shown = view.last(PartyStep.REVIEWED), view.last(PartyStep.PUBLICITY)
    fields = records.audit_view(records.draft_of(member))
    answer = view.last(PartyStep.ANSWER)
    if answer is not None and PartyAnswer(answer.details["answer"]) in MADE_MEMBER:
        # The form states the member as recommended: a 团员, whatever the Party made of
        # them since (printed again after the answer, it must not say 预备党员).
        fields["political_status"] = PoliticalStatus.LEAGUE.value
    return RecommendationForm(
        ctx.overview.root.name,
        ctx.overview.parent_org or "",
        view.branch,
        fields,
        applied_on(ctx).get(member.id),
        vote.details,
        vote.on,
        reviewed.on if reviewed else None,
        shown.details if shown else None,
        view.approved_on,
        view.valid_until,
        ctx.now,
    )


CONVERTED = frozenset(
    {PartyAnswer.ACTIVIST, PartyAnswer.CANDIDATE, PartyAnswer.PROBATIONARY, PartyAnswer.FULL}
)


@dataclass(frozen=True)
class PartyFigures:
    """A period's 推优入党 as the archive's page and the committee's 汇总表 count it."""

    recommended: int  # approved by the 上级团委 within the period
    converted: int  # the Party's answers within it that took the person in (积分子 onward)


def party_figures(steps: list[list[tuple[str, str, dict[str, Any]]]], start: str) -> PartyFigures:
    """From each recommendation's (step, ISO day, details) as the archive writes them,
    so the page and a reader of the archive's data count alike."""
    recommended = converted = 0
    for taken in steps:
        recommended += any(s == PartyStep.APPROVED.value and on >= start for s, on, _ in taken)
        converted += any(
            s == PartyStep.ANSWER.value and on >= start and PartyAnswer(d["answer"]) in CONVERTED
            for s, on, d in taken
        )
    return PartyFigures(recommended, converted)
