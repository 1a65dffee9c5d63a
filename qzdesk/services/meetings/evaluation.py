"""团员教育评议 and 团籍注册.

Evaluation: once a year per branch; members keeping 团籍 as Party members skip it. More
than the profile's two thirds must be present; each member's self-assessment and the
votes per grade are noted, the 支委会 proposes grades (优秀 at most the profile's 30 % of
those evaluated), the parent committee's approval date makes them final.
Registration: once a year per member; 基本合格 or better registers, 不合格 defers it for the
profile's 3–6 months with a follow-up date; more than the profile's 12 months without a
registration voids the member card (flagged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import EvaluationEntry, EvaluationSession, Member, MemberEvent, Registration
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members.records import check_branch, on_books
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.vocabulary import Labeled, MemberStatus, PoliticalStatus

CHANGED = frozenset({Topic.MEMBERS, Topic.AUDIT})


class Grade(Labeled):
    EXCELLENT = "excellent"
    QUALIFIED = "qualified"
    BASIC = "basic"
    UNQUALIFIED = "unqualified"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "excellent": "优秀",
            "qualified": "合格",
            "basic": "基本合格",
            "unqualified": "不合格",
        }


@dataclass(frozen=True)
class EvaluationRow:
    member_id: int
    name: str
    self_assessment: str | None
    votes: tuple[int, int, int, int]
    grade: Grade | None


@dataclass(frozen=True)
class EvaluationView:
    id: int
    branch_id: int
    year: int
    held_on: date
    expected: int
    present: int
    quorate: bool
    excellent_cap: int
    proposed_on: date | None
    approved_on: date | None
    rows: list[EvaluationRow]


def _evaluated_members(session: Session, branch_id: int) -> list[Member]:
    """Members on the books in the branch, less those keeping 团籍 as Party members."""
    return [
        m
        for m in _branch_members(session, branch_id)
        if m.political_status == PoliticalStatus.LEAGUE.value
    ]


def open_evaluation(
    ctx: Context,
    branch_id: int,
    year: int,
    held_on: date,
    present: int,
    today: date | None = None,
) -> Outcome[int]:
    today = today or ctx.today
    if held_on > today or held_on.year != year:
        raise ValidationError(f"评议日期应在 {year} 年内且不晚于今天。", "held_on")
    session = ctx.session
    profile = ctx.profile
    check_branch(session, branch_id)
    people = _evaluated_members(session, branch_id)
    if not people:
        raise ValidationError("该团支部没有需要参加评议的团员（党员团员不参加评议）。")
    if not 0 <= present <= len(people):
        raise ValidationError(f"实到人数应在 0 到 {len(people)} 之间。", "present")
    quorum = profile.meetings.evaluation_quorum
    if not present > len(people) * quorum.value:
        raise ValidationError(
            f"到会 {present}/{len(people)} 人，未超过 {quorum.value:.0%}，评议不能进行。",
            "present",
        )
    if session.scalar(
        select(EvaluationSession.id).where(
            EvaluationSession.branch_id == branch_id, EvaluationSession.year == year
        )
    ):
        raise ValidationError(f"该团支部 {year} 年的评议已登记。")
    row = EvaluationSession(
        branch_id=branch_id,
        year=year,
        held_on=held_on,
        expected=len(people),
        present=present,
        recorded_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    for member in people:
        session.add(EvaluationEntry(session_id=row.id, member_id=member.id))
    audit.record(
        session,
        ctx.actor,
        "evaluation",
        row.id,
        "open",
        after={"year": year, "expected": len(people), "present": present},
    )
    return Outcome(row.id, CHANGED)


def _session_row(session: Session, evaluation_id: int) -> EvaluationSession:
    return get_row(session, EvaluationSession, evaluation_id, f"找不到第 {evaluation_id} 号评议。")


def propose_grades(
    ctx: Context,
    evaluation_id: int,
    proposals: dict[int, tuple[Grade, tuple[int, int, int, int], str]],
    proposed_on: date,
) -> Outcome[None]:
    """The 支委会's proposal: per member the grade, the votes (优秀/合格/基本合格/不合格) and
    the self-assessment noted. Refused when 优秀 exceeds the cap."""
    session = ctx.session
    profile = ctx.profile
    evaluation = _session_row(session, evaluation_id)
    if evaluation.approved_on is not None:
        raise ValidationError("评议结果已经上级团委批准，不能再修改。")
    entries = {
        e.member_id: e
        for e in session.scalars(
            select(EvaluationEntry).where(EvaluationEntry.session_id == evaluation_id)
        )
    }
    if unknown := set(proposals) - set(entries):
        raise ValidationError(f"编号为 {min(unknown)} 的团员不在本次评议名单中。")
    cap = excellent_cap(profile, len(entries))
    excellent = sum(1 for grade, _, _ in proposals.values() if grade is Grade.EXCELLENT)
    if excellent > cap:
        ratio = profile.membership.excellent_max_ratio.value
        raise ValidationError(
            f"“优秀”{excellent} 人，超过参评 {len(entries)} 人的 {ratio:.0%}（最多 {cap} 人）。"
        )
    for member_id, (grade, votes, text) in proposals.items():
        if min(votes) < 0 or sum(votes) > evaluation.present:
            raise ValidationError(f"票数应为非负数，合计不超过实到的 {evaluation.present} 人。")
        entry = entries[member_id]
        entry.grade = grade.value
        (
            entry.votes_excellent,
            entry.votes_qualified,
            entry.votes_basic,
            entry.votes_unqualified,
        ) = votes
        entry.self_assessment = text.strip() or None
    evaluation.proposed_on = proposed_on
    audit.record(
        session,
        ctx.actor,
        "evaluation",
        evaluation_id,
        "propose",
        after={"excellent": excellent, "entries": len(proposals)},
    )
    return Outcome(None, CHANGED)


def excellent_cap(profile: RuleProfile, evaluated: int) -> int:
    return math.floor(evaluated * profile.membership.excellent_max_ratio.value)


def approve(ctx: Context, evaluation_id: int, approved_on: date) -> Outcome[None]:
    session = ctx.session
    evaluation = _session_row(session, evaluation_id)
    missing = session.scalar(
        select(EvaluationEntry.id).where(
            EvaluationEntry.session_id == evaluation_id, EvaluationEntry.grade.is_(None)
        )
    )
    if evaluation.proposed_on is None or missing is not None:
        raise ValidationError("支委会尚未为每名团员提出评议等次。")
    if approved_on < evaluation.proposed_on:
        raise ValidationError("批准日期不能早于支委会提出等次的日期。", "approved_on")
    evaluation.approved_on = approved_on
    audit.record(
        session,
        ctx.actor,
        "evaluation",
        evaluation_id,
        "approve",
        after={"on": approved_on.isoformat()},
    )
    return Outcome(None, CHANGED)


def evaluation(ctx: Context, evaluation_id: int) -> EvaluationView:
    session = ctx.session
    profile = ctx.profile
    e = _session_row(session, evaluation_id)
    rows = [
        EvaluationRow(
            entry.member_id,
            name,
            entry.self_assessment,
            (
                entry.votes_excellent,
                entry.votes_qualified,
                entry.votes_basic,
                entry.votes_unqualified,
            ),
            Grade(entry.grade) if entry.grade else None,
        )
        for entry, name in session.execute(
            select(EvaluationEntry, Member.name)
            .join(Member, Member.id == EvaluationEntry.member_id)
            .where(EvaluationEntry.session_id == evaluation_id)
            .order_by(EvaluationEntry.member_id)
        )
    ]
    quorate = e.present > e.expected * profile.meetings.evaluation_quorum.value
    return EvaluationView(
        e.id,
        e.branch_id,
        e.year,
        e.held_on,
        e.expected,
        e.present,
        quorate,
        excellent_cap(profile, e.expected),
        e.proposed_on,
        e.approved_on,
        rows,
    )


def register(
    ctx: Context,
    member_id: int,
    year: int,
    on: date,
    follow_up_on: date | None = None,
    note: str = "",
) -> Outcome[str]:
    """Register a member for `year`: registered, or deferred (暂缓注册) when the year's
    approved grade is 不合格, with a follow-up date within the profile's months."""
    session = ctx.session
    profile = ctx.profile
    member = session.get(Member, member_id)
    if member is None or member.voided or member.status != MemberStatus.ACTIVE.value:
        raise NotFound("只有在册团员才能注册。")
    if session.scalar(
        select(Registration.id).where(
            Registration.member_id == member_id, Registration.year == year
        )
    ):
        raise ValidationError(f"{member.name} {year} 年已注册。")
    status = _register(session, profile, member, year, on, follow_up_on, note, ctx.actor)
    return Outcome(status, CHANGED)


def _approved_grades(session: Session, year: int, member_ids: list[int]) -> dict[int, str]:
    return dict(
        session.execute(
            select(EvaluationEntry.member_id, EvaluationEntry.grade)
            .join(EvaluationSession, EvaluationSession.id == EvaluationEntry.session_id)
            .where(
                EvaluationEntry.member_id.in_(member_ids),
                EvaluationSession.year == year,
                EvaluationSession.approved_on.is_not(None),
            )
        ).all()
    )


def _register(
    session: Session,
    profile: RuleProfile,
    member: Member,
    year: int,
    on: date,
    follow_up_on: date | None,
    note: str,
    actor: str,
) -> str:
    grade = _approved_grades(session, year, [member.id]).get(member.id)
    status = "deferred" if grade == Grade.UNQUALIFIED.value else "registered"
    if status == "deferred":
        first, last = _deferral(profile, on)
        if follow_up_on is None or not first <= follow_up_on <= last:
            rules = profile.membership
            low = rules.registration_deferral_months_min.value
            high = rules.registration_deferral_months_max.value
            raise ValidationError(
                f"{member.name} 评议为“不合格”，应暂缓注册，并在 {low}–{high} 个月内"
                f"（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）复查。",
                "follow_up_on",
            )
    session.add(
        Registration(
            member_id=member.id,
            year=year,
            status=status,
            on=on,
            follow_up_on=follow_up_on if status == "deferred" else None,
            note=note.strip() or None,
            recorded_by=actor,
        )
    )
    audit.record(session, actor, "registration", member.id, status, after={"year": year})
    return status


@dataclass(frozen=True)
class RollEntry:
    member_id: int
    name: str
    party: bool  # keeps 团籍 as a Party member: registered, not evaluated
    status: str | None  # registered | deferred | None (not yet)
    follow_up_on: date | None

    @property
    def status_text(self) -> str:
        if self.status == "deferred":
            return f"暂缓注册（{self.follow_up_on:%Y-%m-%d} 复查）"
        return "已注册" if self.status == "registered" else "未注册"


def registration_roll(ctx: Context, branch_id: int, year: int) -> list[RollEntry]:
    """Every member on the branch's books with this year's registration, if any."""
    session = ctx.session
    found = {
        r.member_id: r
        for r in session.scalars(
            select(Registration)
            .join(Member, Member.id == Registration.member_id)
            .where(Registration.year == year, Member.branch_id == branch_id)
        )
    }
    return [
        RollEntry(
            m.id,
            m.name,
            m.political_status != PoliticalStatus.LEAGUE.value,
            found[m.id].status if m.id in found else None,
            found[m.id].follow_up_on if m.id in found else None,
        )
        for m in _branch_members(session, branch_id)
    ]


def _branch_members(session: Session, branch_id: int) -> list[Member]:
    return list(session.scalars(select(Member).where(on_books(branch_id)).order_by(Member.id)))


def register_branch(
    ctx: Context, branch_id: int, year: int, on: date
) -> Outcome[tuple[int, list[str]]]:
    """Register at once every member of the branch not yet registered for `year`, once the
    evaluation is approved; those graded 不合格 are left (named) for 暂缓注册 one by one,
    each with a follow-up date."""
    session = ctx.session
    profile = ctx.profile
    check_branch(session, branch_id)
    if _evaluated_members(session, branch_id) and not session.scalar(
        select(EvaluationSession.id).where(
            EvaluationSession.branch_id == branch_id,
            EvaluationSession.year == year,
            EvaluationSession.approved_on.is_not(None),
        )
    ):
        raise ValidationError(
            f"请先完成 {year} 年的团员教育评议并登记上级团委批准日期，再统一注册。"
        )
    people = _branch_members(session, branch_id)
    done = set(
        session.scalars(
            select(Registration.member_id).where(
                Registration.year == year,
                Registration.member_id.in_([m.id for m in people]),
            )
        )
    )
    grades = _approved_grades(session, year, [m.id for m in people])
    registered, left = 0, []
    for member in people:
        if member.id in done:
            continue
        if grades.get(member.id) == Grade.UNQUALIFIED.value:
            left.append(member.name)
            continue
        _register(session, profile, member, year, on, None, "", ctx.actor)
        registered += 1
    return Outcome((registered, left), CHANGED)


def deferral_window(ctx: Context, on: date) -> tuple[date, date]:
    """The days a 暂缓注册 made on `on` may be reviewed on, from the profile."""
    return _deferral(ctx.profile, on)


def _deferral(profile: RuleProfile, on: date) -> tuple[date, date]:
    rules = profile.membership
    low = rules.registration_deferral_months_min.value
    return add_months(on, low), add_months(on, rules.registration_deferral_months_max.value)


def evaluation_roll(ctx: Context, branch_id: int) -> tuple[int, float]:
    """How many members an evaluation would count, and the share that must be present."""
    session = ctx.session
    profile = ctx.profile
    return len(_evaluated_members(session, branch_id)), profile.meetings.evaluation_quorum.value


@dataclass(frozen=True)
class Overdue:
    member_id: int
    name: str
    last_registered: date | None
    void: bool  # beyond the profile's months: the member card is void


def overdue_registrations(ctx: Context, today: date) -> list[Overdue]:
    """Members on the books not registered for this year, the long overdue flagged void."""
    session = ctx.session
    profile = ctx.profile
    void_after = profile.membership.registration_void_after_months.value
    last: dict[int, date] = {}
    for member_id, on in session.execute(
        select(Registration.member_id, Registration.on).where(Registration.status == "registered")
    ):
        last[member_id] = max(on, last.get(member_id, on))
    this_year = set(
        session.scalars(select(Registration.member_id).where(Registration.year == today.year))
    )
    # A member's history here starts when the record was entered (an import of a
    # roster kept elsewhere): no registration before that is known, so none is missed.
    entered = dict(
        session.execute(
            select(MemberEvent.member_id, func.min(MemberEvent.on)).group_by(MemberEvent.member_id)
        ).all()
    )
    found = []
    for member_id, name, joined_on in session.execute(
        select(Member.id, Member.name, Member.joined_on)
        .where(Member.status == MemberStatus.ACTIVE.value, Member.voided.is_(False))
        .order_by(Member.id)
    ):
        if member_id in this_year:
            continue
        known = [d for d in (joined_on, entered.get(member_id)) if d is not None]
        since = last.get(member_id) or (max(known) if known else None)
        late = since is not None and add_months(since, void_after) < today
        found.append(Overdue(member_id, name, last.get(member_id), late))
    return found


def evaluations_of_year(ctx: Context, year: int) -> list[EvaluationView]:
    session = ctx.session
    ids = list(
        session.scalars(
            select(EvaluationSession.id)
            .where(EvaluationSession.year == year)
            .order_by(EvaluationSession.branch_id)
        )
    )
    return [evaluation(ctx, i) for i in ids]


@dataclass(frozen=True)
class RegistrationRow:
    member_id: int
    name: str
    year: int
    status: str
    on: date
    follow_up_on: date | None


def registrations_of_year(ctx: Context, year: int) -> list[RegistrationRow]:
    session = ctx.session
    return [
        RegistrationRow(r.member_id, name, r.year, r.status, r.on, r.follow_up_on)
        for r, name in session.execute(
            select(Registration, Member.name)
            .join(Member, Member.id == Registration.member_id)
            .where(Registration.year == year)
            .order_by(Registration.member_id)
        )
    ]


def evaluation_of(ctx: Context, branch_id: int, year: int) -> EvaluationView | None:
    session = ctx.session
    found = session.scalar(
        select(EvaluationSession.id).where(
            EvaluationSession.branch_id == branch_id, EvaluationSession.year == year
        )
    )
    return None if found is None else evaluation(ctx, found)
