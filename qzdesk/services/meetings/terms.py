"""换届: each branch committee's term, from its election (at a 支部大会) for the profile's
years (student branches their own, shorter term); warned before it ends. Elections stay
as history; a mistaken entry is voided with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import Attendance, Meeting, Member, Org, Term
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.members.records import check_branch, on_books, open_branches
from qzdesk.services.names import clean_name
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.vocabulary import MemberStatus, Sector

CHANGED = frozenset({Topic.ORG, Topic.AUDIT})
STUDENT = "学生"


class TermState(Enum):
    """Where a branch committee's term stands on a day; the value is its label."""

    UNRECORDED = "未登记"
    IN_OFFICE = "任期内"
    EXPIRING = "即将届满"
    EXPIRED = "已届满"

    @property
    def label(self) -> str:
        return self.value

    @property
    def needs_election(self) -> bool:
        return self in (TermState.EXPIRING, TermState.EXPIRED)


@dataclass(frozen=True)
class TermRow:
    id: int
    elected_on: date
    years: int
    secretary: str
    committee: list[str]
    meeting_id: int | None

    @property
    def ends_on(self) -> date:
        return add_months(self.elected_on, 12 * self.years)


@dataclass(frozen=True)
class BranchTerm:
    branch_id: int
    branch: str
    members: int
    current: TermRow | None
    warning_days: int

    def state(self, today: date) -> TermState:
        if self.current is None:
            return TermState.UNRECORDED
        if self.current.ends_on <= today:
            return TermState.EXPIRED
        if self.current.ends_on <= today + timedelta(days=self.warning_days):
            return TermState.EXPIRING
        return TermState.IN_OFFICE


def _active_members(session: Session, branch_id: int) -> int:
    return session.scalar(select(func.count()).where(on_books(branch_id))) or 0


def is_student_branch(session: Session, branch: Org) -> bool:
    """A school's branch whose members are mostly students (a teachers' branch is not)."""
    if not Sector(branch.sector).is_school:
        return False
    students = session.scalar(
        select(func.count()).where(on_books(branch.id), Member.occupation == STUDENT)
    )
    return (students or 0) * 2 > _active_members(session, branch.id)


def term_years(session: Session, profile: RuleProfile, branch: Org) -> int:
    rules = profile.branch
    student = is_student_branch(session, branch)
    return (rules.student_term_years if student else rules.term_years).value


def _check_election_quorum(session: Session, profile: RuleProfile, meeting_id: int) -> None:
    """An election is valid only when more than the profile's share (four fifths) of the
    members entitled to vote were present; below it nothing is recorded."""
    marks = session.scalars(
        select(Attendance.status).where(Attendance.meeting_id == meeting_id)
    ).all()
    if not marks:
        return  # minutes without an attendance list: nothing to judge by
    ratio = profile.meetings.election_quorum.value
    present, expected = sum(1 for m in marks if m == "present"), len(marks)
    if present <= expected * ratio:
        need = int(expected * ratio) + 1
        raise ValidationError(
            f"选举无效：有选举权的团员到会 {present}/{expected} 人，未超过应到会人数的"
            f"{_share(ratio)}（须至少 {need} 人），不能登记为换届。",
            "meeting_id",
        )


def _share(ratio: float) -> str:
    return {0.8: "五分之四", 0.5: "半数"}.get(ratio, f"{ratio:.0%}")


def record_election(
    ctx: Context,
    branch_id: int,
    elected_on: date,
    secretary: str,
    committee: list[str],
    meeting_id: int | None,
    today: date,
) -> Outcome[int]:
    """Record an election: the secretary and the other committee members elected."""
    if elected_on > today:
        raise ValidationError("换届日期不能晚于今天。", "elected_on")
    secretary = clean_name(secretary, "书记", "secretary", max_length=40)
    others = [n for n in (c.strip() for c in committee) if n]
    if len(set(others)) != len(others) or secretary in others:
        raise ValidationError("支委名单中有重复的姓名。", "committee")
    session = ctx.session
    profile = ctx.profile
    branch = check_branch(session, branch_id)
    rules = profile.branch
    members = _active_members(session, branch_id)
    low, high = rules.committee_size_min.value, rules.committee_size_max.value
    size = 1 + len(others)
    if members >= rules.committee_from_members.value and not low <= size <= high:
        raise ValidationError(
            f"团员 {rules.committee_from_members.value} 人以上的团支部应设支部委员会"
            f"（{low}–{high} 人，含书记）；现填写 {size} 人。",
            "committee",
        )
    if size > high:
        raise ValidationError(f"支部委员会最多 {high} 人（含书记）。", "committee")
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if (
            meeting is None
            or meeting.branch_id != branch_id
            or meeting.kind != MeetingKind.ASSEMBLY.value
        ):
            raise ValidationError("选举应在本团支部的支部大会上进行，请选择该次支部大会的记录。")
        if meeting.held_on != elected_on:
            raise ValidationError(
                f"所选支部大会于 {meeting.held_on:%Y-%m-%d} 召开，与换届日期不一致。",
                "elected_on",
            )
        _check_election_quorum(session, profile, meeting_id)
    term = Term(
        branch_id=branch_id,
        elected_on=elected_on,
        years=term_years(session, profile, branch),
        secretary=secretary,
        committee="、".join(others) or None,
        meeting_id=meeting_id,
        recorded_by=ctx.actor,
        recorded_at=clock.now_utc(),
    )
    session.add(term)
    session.flush()
    audit.record(
        session,
        ctx.actor,
        "term",
        term.id,
        "create",
        after={
            "branch_id": branch_id,
            "elected_on": elected_on.isoformat(),
            "years": term.years,
            "secretary": secretary,
            "committee": others,
        },
    )
    return Outcome(term.id, CHANGED)


def void_term(ctx: Context, term_id: int, reason: str) -> Outcome[None]:
    if not reason.strip():
        raise ValidationError("作废换届记录请写明原因。", "reason")
    session = ctx.session
    term = get_row(session, Term, term_id, f"找不到第 {term_id} 条换届记录，请刷新后再试。")
    if term.void_reason:
        raise ValidationError("这条换届记录已作废。")
    term.void_reason = reason.strip()
    audit.record(session, ctx.actor, "term", term_id, "void", after={"reason": reason})
    return Outcome(None, CHANGED)


def _row(term: Term) -> TermRow:
    return TermRow(
        term.id,
        term.elected_on,
        term.years,
        term.secretary,
        term.committee.split("、") if term.committee else [],
        term.meeting_id,
    )


def branch_terms(ctx: Context, as_of: date | None = None) -> list[BranchTerm]:
    """Every open branch with the term in force (its latest election not voided); with
    `as_of`, the term in force on that day (a later election does not count yet)."""
    branches = open_branches(ctx)
    elected = Term.void_reason.is_(None)
    if as_of is not None:
        elected = elected & (Term.elected_on <= as_of)
    session = ctx.session
    warning = ctx.profile.branch.term_warning_days.value
    latest: dict[int, Term] = {}
    for term in session.scalars(select(Term).where(elected).order_by(Term.elected_on, Term.id)):
        latest[term.branch_id] = term
    counts = {
        branch_id: n
        for branch_id, n in session.execute(
            select(Member.branch_id, func.count())
            .where(Member.status == MemberStatus.ACTIVE.value, Member.voided.is_(False))
            .group_by(Member.branch_id)
        )
    }
    return [
        BranchTerm(
            branch_id,
            name,
            counts.get(branch_id, 0),
            _row(latest[branch_id]) if branch_id in latest else None,
            warning,
        )
        for branch_id, name in branches
    ]


def history(ctx: Context, branch_id: int) -> list[tuple[TermRow, str | None]]:
    """All elections of a branch, newest first, with the reason where voided."""
    session = ctx.session
    terms = session.scalars(
        select(Term)
        .where(Term.branch_id == branch_id)
        .order_by(Term.elected_on.desc(), Term.id.desc())
    )
    return [(_row(t), t.void_reason) for t in terms]


def archive_section(ctx: Context, as_of: date) -> list[dict[str, Any]]:
    """Every election recorded by `as_of`, voided ones with their reason, for the archive."""
    session = ctx.session
    terms = session.scalars(
        select(Term).where(Term.elected_on <= as_of).order_by(Term.elected_on, Term.id)
    )
    return [
        {
            "id": t.id,
            "branch_id": t.branch_id,
            "elected_on": t.elected_on.isoformat(),
            "years": t.years,
            "ends_on": _row(t).ends_on.isoformat(),
            "secretary": t.secretary,
            "committee": _row(t).committee,
            "meeting_id": t.meeting_id,
            "void_reason": t.void_reason,
        }
        for t in terms
    ]


def organisation_secretary(terms: list[dict[str, Any]], root_id: int) -> str | None:
    """The organisation's 书记 as the election records (an archive's `terms`) show it:
    the secretary of the latest valid election of the organisation itself. A committee's
    class branches elect their own secretaries, who are not its 书记. None when no such
    election is recorded."""
    own = [t for t in terms if not t["void_reason"] and t["branch_id"] == root_id]
    return max(own, key=lambda t: (t["elected_on"], t["id"]))["secretary"] if own else None
