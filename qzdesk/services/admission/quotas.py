"""Admission quotas: the school's yearly quota and the 团青比 ceiling per grade, and the
ranking (推优) that shows who fits within them, with their gates beside the points."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import Applicant, Member, Org, Quota, StageEvent
from qzdesk.services import audit
from qzdesk.services.admission.applicants import admitted_in, events_by_applicant
from qzdesk.services.admission.ledger import Balance, balances, points_text
from qzdesk.services.admission.stages import Stage, Step, stage_of
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.names import tidy
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.vocabulary import MemberStatus, Sector

CHANGED = frozenset({Topic.ADMISSION, Topic.AUDIT})


def _ratio(profile: RuleProfile, sector: str) -> float | None:
    quotas = profile.quotas
    return {
        Sector.MIDDLE_SCHOOL.value: quotas.middle_school_ratio.value,
        Sector.HIGH_SCHOOL.value: quotas.high_school_ratio.value,
        Sector.VOCATIONAL_SCHOOL.value: quotas.vocational_school_ratio.value,
    }.get(sector)


def _quota_row(session: Session, year: int, grade: str | None) -> Quota:
    where = Quota.grade.is_(None) if grade is None else Quota.grade == grade
    row = session.scalar(select(Quota).where(Quota.year == year, where))
    if row is None:
        row = Quota(year=year, grade=grade)
        session.add(row)
    return row


def set_quota(ctx: Context, year: int, quota: int) -> Outcome[None]:
    if not 0 <= quota <= 10000:
        raise ValidationError("名额应为 0 到 10000 之间的整数。", "quota")
    session = ctx.session
    row = _quota_row(session, year, None)
    before = row.quota
    row.quota = quota
    audit.record(session, ctx.actor, "quota", year, "set", {"quota": before}, {"quota": quota})
    return Outcome(None, CHANGED)


def set_grade_students(ctx: Context, year: int, grade: str, students: int) -> Outcome[None]:
    grade = tidy(grade)
    if not grade:
        raise ValidationError("请填写年级。", "grade")
    if not 0 < students <= 20000:
        raise ValidationError("学生人数应为 1 到 20000 之间的整数。", "students")
    session = ctx.session
    row = _quota_row(session, year, grade)
    before = row.students
    row.students = students
    audit.record(
        session,
        ctx.actor,
        "quota",
        f"{year}/{grade}",
        "set",
        {"students": before},
        {"students": students},
    )
    return Outcome(None, CHANGED)


@dataclass(frozen=True)
class GradeCeiling:
    grade: str
    students: int
    ratio: float
    ceiling: int
    members: int

    @property
    def left(self) -> int:
        return self.ceiling - self.members

    HEADERS = ("年级", "学生数", "上限比例", "团员上限", "在册团员", "尚可发展")

    def cells(self) -> list[str]:
        """One row of the 团青比 table, as the screen and the PDF show it."""
        return [
            self.grade,
            str(self.students),
            f"{self.ratio:.0%}",
            str(self.ceiling),
            str(self.members),
            str(self.left),
        ]


@dataclass(frozen=True)
class QuotaStatus:
    year: int
    quota: int | None
    admitted: int
    in_pipeline: int
    grades: list[GradeCeiling]

    @property
    def left(self) -> int | None:
        return None if self.quota is None else self.quota - self.admitted

    def text(self) -> str:
        if self.quota is None:
            return f"{self.year} 年尚未登记发展名额；已批准 {self.admitted} 人"
        return (
            f"{self.year} 年名额 {self.quota} 人：已批准 {self.admitted} 人，"
            f"发展对象及待批 {self.in_pipeline} 人，剩余 {self.left} 人"
        )


def _status(
    session: Session,
    profile: RuleProfile,
    year: int,
    as_of: date | None,
    grades_on_books: Mapping[str, int] | None,
) -> QuotaStatus:
    root_sector = session.scalar(select(Org.sector).where(Org.parent_id.is_(None))) or ""
    ratio = _ratio(profile, root_sector)
    yearly = session.scalar(select(Quota.quota).where(Quota.year == year, Quota.grade.is_(None)))
    grades = []
    for row in session.scalars(
        select(Quota).where(Quota.year == year, Quota.grade.is_not(None)).order_by(Quota.grade)
    ):
        if row.students is None or ratio is None or row.grade is None:
            continue
        members = (
            grades_on_books.get(row.grade, 0)
            if grades_on_books is not None
            else session.scalar(
                select(func.count())
                .select_from(Member)
                .where(
                    Member.grade == row.grade,
                    Member.status == MemberStatus.ACTIVE.value,
                    Member.voided.is_(False),
                )
            )
            or 0
        )
        grades.append(
            GradeCeiling(row.grade, row.students, ratio, int(row.students * ratio), members)
        )
    events = events_by_applicant(session, None)
    pipeline = sum(
        1
        for evs in events.values()
        if stage_of((e.step.value, e.details) for e in evs if as_of is None or e.on <= as_of)
        in (Stage.CANDIDATE, Stage.VOTED)
    )
    return QuotaStatus(year, yearly, admitted_in(session, year, as_of), pipeline, grades)


def quota_status(
    ctx: Context,
    year: int,
    as_of: date | None = None,
    grades_on_books: Mapping[str, int] | None = None,
) -> QuotaStatus:
    """The year's quota and 团青比 as the records stand now, or as they stood on `as_of`
    (an archive of a past period: admissions and steps up to that day, and the members
    on the books then by grade, `grades_on_books`, from the archive's own roster)."""
    session = ctx.session
    return _status(session, ctx.profile, year, as_of, grades_on_books)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    applicant_id: int
    name: str
    grade: str | None
    class_name: str | None
    stage: Stage
    points10: int
    qualifies: bool
    gates_missing: int
    vetoed: bool
    within_quota: bool | None

    @property
    def points(self) -> str:
        return points_text(self.points10)


def ranking(
    ctx: Context,
    points_stage: int,
    grade: str | None = None,
    class_name: str | None = None,
    year: int | None = None,
) -> list[RankingRow]:
    """Applicants competing for the next step, by approved points of `points_stage`
    (1: applicants for activist, 2: activists for candidate), best first. For stage 2
    the places left in the year's quota mark who fits; points never decide alone."""
    year = year or ctx.today.year
    wanted = Stage.APPLICANT if points_stage == 1 else Stage.ACTIVIST
    session = ctx.session
    profile = ctx.profile
    chosen = select(Applicant.id).where(Applicant.voided.is_(False))
    if grade:
        chosen = chosen.where(Applicant.grade == grade)
    if class_name:
        chosen = chosen.where(Applicant.class_name == class_name)
    people = list(
        session.execute(
            select(Applicant.id, Applicant.name, Applicant.grade, Applicant.class_name).where(
                Applicant.id.in_(chosen)
            )
        )
    )
    events: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    steps = select(StageEvent.applicant_id, StageEvent.step, StageEvent.details)
    for applicant_id, step, details in session.execute(
        steps.where(StageEvent.applicant_id.in_(chosen)).order_by(StageEvent.on, StageEvent.id)
    ):
        events[applicant_id].append((step, details))
    points = balances(session, profile, chosen)
    gates = {g for _, g in profile.points.gates()}
    threshold = round(profile.points.scheme.stage(points_stage).qualifying * 10)
    places = _status(session, profile, year, None, None).left if points_stage == 2 else None
    scored = []
    for p in people:
        mine = events.get(p.id, [])
        stage = stage_of(mine)
        if stage is not wanted:
            continue
        balance = points.get(p.id, Balance())
        confirmed = {details.get("gate") for step, details in mine if step == Step.GATE}
        scored.append(
            (balance.stages.get(points_stage, 0), p, stage, balance, len(gates - confirmed))
        )
    scored.sort(key=lambda s: (-s[0], s[1].name))
    rows, placed = [], 0
    for index, (value, p, stage, balance, missing) in enumerate(scored, 1):
        eligible = value >= threshold and not balance.vetoed_by
        within = None
        if places is not None:
            within = eligible and placed < places
            placed += int(within)
        rows.append(
            RankingRow(
                index,
                p.id,
                p.name,
                p.grade,
                p.class_name,
                stage,
                value,
                value >= threshold,
                missing,
                bool(balance.vetoed_by),
                within,
            )
        )
    return rows
