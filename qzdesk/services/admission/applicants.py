"""Admission (发展团员): applicants and the dated steps that take them to membership.

Every step is checked by `admission_check` against the rule profile in force; a step
with a blocking finding is refused with every reason, warnings are kept with the step.
Approval turns the applicant into a `Member` whose membership starts on the day the
支部大会 passed the vote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import (
    Applicant,
    Member,
    Objection,
    Org,
    Publicity,
    PublicityEntry,
    StageEvent,
)
from qzdesk.services import audit, clock
from qzdesk.services.admission.ledger import Balance, balances
from qzdesk.services.admission.number_blocks import assign_number
from qzdesk.services.admission.requirements import (
    ApplicantFacts,
    EventView,
    Finding,
    PublicityState,
    age_findings,
    step_findings,
    tally,
)
from qzdesk.services.admission.stages import ALLOWED, Stage, Step, stage_of
from qzdesk.services.attachments import AttachmentRow, add_attachment, check_known
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members import idcard
from qzdesk.services.members.discipline import probations
from qzdesk.services.members.records import add_event, apply_draft, check_branch, check_unique
from qzdesk.services.members.search import name_key
from qzdesk.services.members.validation import MemberDraft, check_member, normalise_mobile
from qzdesk.services.names import clean_name, tidy
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import rules_in_force
from qzdesk.services.resolutions import into_minutes
from qzdesk.vocabulary import MemberStatus

CHANGED = frozenset({Topic.ADMISSION, Topic.AUDIT})
# The steps that move an applicant on; the screens show what blocks each one today.
MILESTONES = (
    Step.TALK,
    Step.ACTIVIST,
    Step.CANDIDATE,
    Step.PRE_REVIEW,
    Step.VOTE,
    Step.APPROVAL,
    Step.OATH,
)
RECOMMENDERS = {"member": "团员推荐", "pioneer": "少先队推优"}


class StepBlocked(ValidationError):
    """The step breaks rules; `findings` lists each reason."""

    def __init__(self, findings: list[Finding]) -> None:
        blocking = [f.text for f in findings if f.blocking]
        super().__init__("不能办理：" + "；".join(blocking) + "。")
        self.findings = findings


@dataclass
class ApplicantDraft:
    name: str = ""
    id_number: str = ""
    ethnicity: str = ""  # unknown stays unknown, never assumed
    school: str = ""
    grade: str = ""
    class_name: str = ""
    mobile: str = ""
    recommended_by: str = "member"


@dataclass(frozen=True)
class ApplicantRow:
    id: int
    branch_id: int
    branch_name: str
    name: str
    gender: str
    id_number: str
    birth_date: date
    grade: str | None
    class_name: str | None
    recommended_by: str
    stage: Stage
    applied_on: date
    last_step: Step
    last_on: date
    member_id: int | None
    points: dict[int, int]
    search_key: str


def _now() -> str:
    return clock.now_utc().isoformat(timespec="seconds")


def _is_points_school(profile: RuleProfile, branch: Org) -> bool:
    return branch.sector in profile.points.applies_to_sectors.value


def add_applicant(
    ctx: Context,
    draft: ApplicantDraft,
    branch_id: int,
    applied_on: date,
    today: date | None = None,
) -> Outcome[ApplicantRow]:
    """Step 1: an application received on `applied_on`."""
    today = today or ctx.today
    name = clean_name(draft.name, "姓名", "name", max_length=40)
    try:
        resident = idcard.parse(draft.id_number, today)
    except idcard.IdNumberError as exc:
        raise ValidationError(str(exc), "id_number") from exc
    if draft.recommended_by not in RECOMMENDERS:
        raise ValidationError("请选择推荐方式：团员推荐或少先队推优。", "recommended_by")
    if applied_on > today:
        raise ValidationError("申请日期不能晚于今天。", "applied_on")
    mobile = normalise_mobile(draft.mobile) if draft.mobile.strip() else None
    session = ctx.session
    profile = ctx.profile
    branch = check_branch(session, branch_id)
    findings = age_findings(profile, resident.birth_date, draft.recommended_by, applied_on)
    if any(f.blocking for f in findings):
        raise StepBlocked(findings)
    same = session.scalar(
        select(Applicant).where(Applicant.id_number == resident.number, Applicant.voided.is_(False))
    )
    if same is not None:
        raise ValidationError(f"该身份证号已登记为入团申请人“{same.name}”。", "id_number")
    member = session.scalar(
        select(Member).where(Member.id_number == resident.number, Member.voided.is_(False))
    )
    if member is not None:
        raise ValidationError(f"该身份证号已是团员“{member.name}”，无需申请。", "id_number")
    applicant = Applicant(
        branch_id=branch.id,
        name=name,
        gender=resident.gender,
        ethnicity=tidy(draft.ethnicity),
        id_number=resident.number,
        birth_date=resident.birth_date,
        school=tidy(draft.school) or None,
        grade=tidy(draft.grade) or None,
        class_name=tidy(draft.class_name) or None,
        mobile=mobile,
        recommended_by=draft.recommended_by,
        search_key=name_key(name),
    )
    session.add(applicant)
    session.flush()
    _add_step(
        session,
        ctx.actor,
        applicant.id,
        Step.APPLICATION,
        applied_on,
        {
            "warnings": [f.text for f in findings],
        },
        [],
    )
    audit.record(session, ctx.actor, "applicant", applicant.id, "create", after={"name": name})
    return Outcome(_rows(session, profile, Applicant.id == applicant.id)[0], CHANGED)


def _add_step(
    session: Session,
    actor: str,
    applicant_id: int,
    step: Step,
    on: date,
    details: dict[str, Any],
    evidence: list[str],
) -> StageEvent:
    event = StageEvent(
        applicant_id=applicant_id,
        step=step.value,
        on=on,
        details=details,
        evidence=evidence,
        recorded_by=actor,
        recorded_at=_now(),
    )
    session.add(event)
    session.flush()
    return event


def events_by_applicant(
    session: Session, applicant_ids: list[int] | None
) -> dict[int, list[EventView]]:
    query = select(StageEvent).order_by(StageEvent.on, StageEvent.id)
    if applicant_ids is not None:
        query = query.where(StageEvent.applicant_id.in_(applicant_ids))
    found: dict[int, list[EventView]] = defaultdict(list)
    for e in session.scalars(query):
        found[e.applicant_id].append(
            EventView(e.id, Step(e.step), e.on, dict(e.details), list(e.evidence), e.recorded_by)
        )
    return found


def _rows(session: Session, profile: RuleProfile, where: Any) -> list[ApplicantRow]:
    query = select(Applicant, Org.name).join(Org, Org.id == Applicant.branch_id).where(where)
    people = list(session.execute(query.order_by(Applicant.id)))
    ids = [a.id for a, _ in people]
    events = events_by_applicant(session, ids if len(ids) < 500 else None)
    points = balances(session, profile, ids if len(ids) < 500 else None)
    rows = []
    for a, branch_name in people:
        mine = events[a.id]
        rows.append(
            ApplicantRow(
                a.id,
                a.branch_id,
                branch_name,
                a.name,
                a.gender,
                a.id_number,
                a.birth_date,
                a.grade,
                a.class_name,
                a.recommended_by,
                stage_of((e.step.value, e.details) for e in mine),
                mine[0].on,
                mine[-1].step,
                mine[-1].on,
                a.member_id,
                points.get(a.id, Balance()).stages,
                a.search_key,
            )
        )
    return rows


def applicants(ctx: Context) -> list[ApplicantRow]:
    session = ctx.session
    return _rows(session, ctx.profile, Applicant.voided.is_(False))


def observers_for(ctx: Context, branch_id: int) -> list[tuple[str, str]]:
    """Who may sit in on the branch's meetings (列席): its activists and candidates, with
    their stage as the role, furthest along first."""
    session = ctx.session
    rows = _rows(
        session,
        ctx.profile,
        (Applicant.branch_id == branch_id) & Applicant.voided.is_(False),
    )
    order = [Stage.VOTED, Stage.CANDIDATE, Stage.ACTIVIST]
    rows = sorted((r for r in rows if r.stage in order), key=lambda r: order.index(r.stage))
    # Voted but not yet approved is still a 发展对象.
    return [
        (r.name, (r.stage if r.stage is Stage.ACTIVIST else Stage.CANDIDATE).label) for r in rows
    ]


def _publicity_states(session: Session, applicant_id: int) -> list[PublicityState]:
    notices = session.scalars(
        select(Publicity)
        .join(PublicityEntry, PublicityEntry.publicity_id == Publicity.id)
        .where(PublicityEntry.applicant_id == applicant_id)
    )
    states = []
    for p in notices:
        objections = list(
            session.scalars(
                select(Objection).where(
                    Objection.publicity_id == p.id, Objection.applicant_id == applicant_id
                )
            )
        )
        states.append(
            PublicityState(
                p.id,
                p.kind,
                p.starts_on,
                p.ends_on,
                sum(1 for o in objections if o.resolved_on is None),
                sum(1 for o in objections if o.upheld),
            )
        )
    return states


def active_member_ids(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(Member.id).where(
                Member.status == MemberStatus.ACTIVE.value, Member.voided.is_(False)
            )
        )
    )


def _facts(session: Session, profile: RuleProfile, applicant: Applicant) -> ApplicantFacts:
    branch = session.get(Org, applicant.branch_id)
    assert branch is not None
    return ApplicantFacts(
        name=applicant.name,
        birth_date=applicant.birth_date,
        recommended_by=applicant.recommended_by,
        points_school=_is_points_school(profile, branch),
        events=events_by_applicant(session, [applicant.id])[applicant.id],
        balance=balances(session, profile, [applicant.id]).get(applicant.id, Balance()),
        publicity=_publicity_states(session, applicant.id),
        active_member_ids=active_member_ids(session),
        probations=probations(session),
    )


def _get(session: Session, applicant_id: int) -> Applicant:
    return get_row(
        session,
        Applicant,
        applicant_id,
        f"找不到编号为 {applicant_id} 的入团申请人，请刷新后再试。",
    )


def check_step(
    ctx: Context,
    applicant_id: int,
    step: Step,
    on: date,
    details: dict[str, Any] | None = None,
) -> list[Finding]:
    """What the screen shows before the step is recorded."""
    session = ctx.session
    profile = ctx.profile
    facts = _facts(session, profile, _get(session, applicant_id))
    return step_findings(profile, facts, step, on, _step_details(session, step, details or {}))


def _step_details(session: Session, step: Step, details: dict[str, Any]) -> dict[str, Any]:
    """A mentor or sponsor as recorded: a member of the roster by id, or for a mentor a
    Party member by name (培养联系人 may be 党员, who are not on the League's roster)."""
    if step is Step.MENTOR and str(details.get("party_member", "")).strip():
        name = clean_name(str(details["party_member"]), "党员姓名", "party_member", 40)
        return {"name": name, "party": True, "member_id": None}
    if step in (Step.MENTOR, Step.SPONSOR):
        return _member_details(session, details)
    return details


def _member_details(session: Session, details: dict[str, Any]) -> dict[str, Any]:
    member_id = details.get("member_id")
    member = session.get(Member, member_id) if isinstance(member_id, int) else None
    if member is None:
        raise ValidationError("请从团员名册中选择一名团员。", "member")
    return {**details, "name": member.name}


def record_step(
    ctx: Context,
    applicant_id: int,
    step: Step,
    on: date,
    details: dict[str, Any] | None = None,
    evidence: list[str] | None = None,
    today: date | None = None,
) -> Outcome[list[Finding]]:
    """Record one step; refused with every reason if a rule blocks it. Returns the
    warnings kept with the step."""
    today = today or ctx.today
    if on > today:
        raise ValidationError("日期不能晚于今天。", "on")
    if step is Step.APPLICATION:
        raise ValidationError("入团申请通过“新增申请人”登记。")
    details = dict(details or {})
    session = ctx.session
    profile = ctx.profile
    applicant = _get(session, applicant_id)
    details = _step_details(session, step, details)
    facts = _facts(session, profile, applicant)
    findings = step_findings(profile, facts, step, on, details)
    if any(f.blocking for f in findings):
        raise StepBlocked(findings)
    if step is Step.VOTE:
        result = tally(profile, details["expected"], details["present"], details["for"])
        details.update(quorate=result.quorate, passed=result.passed, basis=result.basis)
        if details.get("meeting_id") is not None:
            into_minutes(
                session,
                details["meeting_id"],
                applicant.branch_id,
                on,
                f"接收{applicant.name}为中国共产主义青年团团员",
                details,
                applicant_id=applicant.id,
            )
    if step is Step.APPROVAL:
        vote = facts.passed_vote
        assert vote is not None
        member = _admit(session, ctx.actor, profile, applicant, vote.on, on, details, today)
        details.update(member_id=member.id, member_no=member.member_no)
    details["warnings"] = [f.text for f in findings]
    event = _add_step(
        session,
        ctx.actor,
        applicant.id,
        step,
        on,
        details,
        check_known(session, evidence or []),
    )
    audit.record(
        session,
        ctx.actor,
        "applicant",
        applicant.id,
        step.value,
        after={"on": on.isoformat(), "event": event.id},
    )
    changed = CHANGED | ({Topic.MEMBERS} if step is Step.APPROVAL else set())
    return Outcome([f for f in findings if not f.blocking], frozenset(changed))


def _admit(
    session: Session,
    actor: str,
    profile: RuleProfile,
    applicant: Applicant,
    voted_on: date,
    approved_on: date,
    details: dict[str, Any],
    today: date,
) -> Member:
    """The new member: on the books from the 支部大会's date, numbered from the block."""
    number = assign_number(session, voted_on.year, str(details.get("member_no", "")).strip())
    draft = MemberDraft(
        name=applicant.name,
        id_number=applicant.id_number,
        gender=applicant.gender,
        birth_date=applicant.birth_date,
        ethnicity=applicant.ethnicity,
        joined_on=voted_on.replace(day=1),
        joined_unit=applicant.school or "",
        member_no=number,
        occupation="学生" if applicant.school else "",
        work_unit=applicant.school or "",
        grade=applicant.grade or "",
        class_name=applicant.class_name or "",
        mobile=applicant.mobile or "",
    )
    checked = check_member(draft, profile, today)
    check_unique(session, checked, None)
    if checked.errors:
        raise ValidationError("不能登记为团员：" + "；".join(p.text for p in checked.errors))
    member = Member(branch_id=applicant.branch_id, voided=False, status_pending=False)
    apply_draft(member, checked.draft)
    session.add(member)
    session.flush()
    add_event(
        session,
        actor,
        member,
        "joined",
        voted_on,
        f"支部大会 {voted_on:%Y-%m-%d} 表决通过，上级团委 {approved_on:%Y-%m-%d} 批准",
        {"applicant_id": applicant.id},
    )
    applicant.member_id = member.id
    audit.record(session, actor, "member", member.id, "admit", after={"member_no": number})
    return member


@dataclass(frozen=True)
class ApplicantFile:
    row: ApplicantRow
    school: str | None
    mobile: str | None
    points_school: bool
    events: list[EventView]
    balance: Balance
    publicity: list[PublicityState]
    gates: list[tuple[str, str, EventView | None]]
    training_hours: float
    next_steps: dict[Step, list[Finding]]


def applicant_file(ctx: Context, applicant_id: int, today: date | None = None) -> ApplicantFile:
    """Everything the detail pane shows: timeline, gates, balance and what blocks each
    next step today."""
    today = today or ctx.today
    session = ctx.session
    profile = ctx.profile
    applicant = _get(session, applicant_id)
    facts = _facts(session, profile, applicant)
    row = _rows(session, profile, Applicant.id == applicant_id)[0]
    confirmed = {e.details["gate"]: e for e in facts.all(Step.GATE)}
    probes = {Step.VOTE: {"expected": 1, "present": 1, "for": 1, "against": 0, "abstain": 0}}
    return ApplicantFile(
        row=row,
        school=applicant.school,
        mobile=applicant.mobile,
        points_school=facts.points_school,
        events=facts.events,
        balance=facts.balance,
        publicity=facts.publicity,
        gates=[(group, gate, confirmed.get(gate)) for group, gate in profile.points.gates()],
        training_hours=facts.training_hours,
        next_steps={
            step: step_findings(profile, facts, step, today, probes.get(step, {}))
            for step in ALLOWED[facts.stage]
            if step in MILESTONES
        },
    )


def next_step_summary(file: ApplicantFile) -> str:
    if not file.next_steps:
        return ""
    step = list(file.next_steps)[-1]
    blocking = [f.text for f in file.next_steps[step] if f.blocking]
    if not blocking:
        return f"可办理：{step.label}"
    return f"{step.label}：" + "；".join(blocking)


def admitted_in(session: Session, year: int, until: date | None = None) -> int:
    """Admissions approved in `year` (up to `until`, when given)."""
    last = min(date(year, 12, 31), until) if until else date(year, 12, 31)
    return (
        session.scalar(
            select(func.count())
            .select_from(StageEvent)
            .join(Applicant, Applicant.id == StageEvent.applicant_id)
            .where(
                Applicant.voided.is_(False),
                StageEvent.step == Step.APPROVAL.value,
                StageEvent.on >= date(year, 1, 1),
                StageEvent.on <= last,
            )
        )
        or 0
    )


@dataclass(frozen=True)
class StepRecord:
    applicant_id: int
    name: str
    branch_name: str
    grade: str | None
    class_name: str | None
    event: EventView


def steps_between(
    ctx: Context, steps: tuple[Step, ...], start: date, end: date
) -> list[StepRecord]:
    """The given steps recorded with dates in [start, end], in date order (for documents)."""
    session = ctx.session
    query = (
        select(StageEvent, Applicant, Org.name)
        .join(Applicant, Applicant.id == StageEvent.applicant_id)
        .join(Org, Org.id == Applicant.branch_id)
        .where(
            Applicant.voided.is_(False),
            StageEvent.step.in_([s.value for s in steps]),
            StageEvent.on >= start,
            StageEvent.on <= end,
        )
        .order_by(StageEvent.on, StageEvent.id)
    )
    return [
        StepRecord(
            a.id,
            a.name,
            branch,
            a.grade,
            a.class_name,
            EventView(e.id, Step(e.step), e.on, dict(e.details), list(e.evidence), e.recorded_by),
        )
        for e, a, branch in session.execute(query)
    ]


def archive_section(ctx: Context, end: date) -> list[dict[str, Any]]:
    """Applicants who had applied by `end`, each with the steps recorded by then and the
    approved points as of then (the archive's machine-readable data)."""
    session = ctx.session
    profile = ctx.profile
    people = list(
        session.execute(
            select(Applicant, Org.name)
            .join(Org, Org.id == Applicant.branch_id)
            .where(Applicant.voided.is_(False))
            .order_by(Applicant.id)
        )
    )
    events = events_by_applicant(session, None)
    points = balances(session, profile, None, as_of=end)
    section = []
    for a, branch in people:
        mine = [e for e in events[a.id] if e.on <= end]
        if not mine:
            continue
        balance = points.get(a.id, Balance())
        section.append(
            {
                "id": a.id,
                "name": a.name,
                "gender": a.gender,
                "id_number": a.id_number,
                "birth_date": a.birth_date.isoformat(),
                "branch": branch,
                "grade": a.grade,
                "class_name": a.class_name,
                "recommended_by": a.recommended_by,
                "stage": stage_of((e.step.value, e.details) for e in mine).value,
                "points": {"stage1": balance.stages[1] / 10, "stage2": balance.stages[2] / 10},
                "steps": [
                    {
                        "step": e.step.value,
                        "on": e.on.isoformat(),
                        "details": e.details,
                        "evidence": e.evidence,
                        "recorded_by": e.recorded_by,
                    }
                    for e in mine
                ],
            }
        )
    return section


def add_evidence(ctx: Context, source: Path) -> Outcome[AttachmentRow]:
    """An evidence file for a step or a points entry, within the profile's size limit."""
    limit = rules_in_force(ctx).admission.application_pdf_max_mb.value
    return add_attachment(ctx, source, limit)
