"""Publicity (公示) of activists, candidates and new members: the period counted in
working days, objections recorded and resolved before the applicant moves on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import Applicant, Objection, Publicity, PublicityEntry
from qzdesk.services import audit, clock
from qzdesk.services.admission.requirements import PUBLICITY_LABELS
from qzdesk.services.admission.stages import Stage, stage_in_db
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.names import tidy
from qzdesk.services.workdays import working_days_from

CHANGED = frozenset({Topic.ADMISSION, Topic.AUDIT})
STAGE_OF_KIND = {
    "activist": Stage.ACTIVIST,
    "candidate": Stage.CANDIDATE,
    "new_member": Stage.VOTED,
}


def mask_id(number: str) -> str:
    """What a notice on a wall may show of an ID number."""
    return (
        number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 7 else "*" * len(number)
    )


@dataclass(frozen=True)
class NoticePerson:
    applicant_id: int
    name: str
    gender: str
    masked_id: str
    grade: str | None
    class_name: str | None


@dataclass(frozen=True)
class ObjectionRow:
    id: int
    applicant_id: int
    applicant_name: str
    received_on: date
    content: str
    resolved_on: date | None
    resolution: str | None
    upheld: bool | None


@dataclass(frozen=True)
class PublicityRow:
    id: int
    kind: str
    starts_on: date
    ends_on: date
    working_days: int
    contact: str
    calendar_warning: str | None
    people: list[NoticePerson]
    objections: list[ObjectionRow]

    @property
    def title(self) -> str:
        return f"{PUBLICITY_LABELS[self.kind]}公示"

    def state(self, today: date) -> str:
        if today < self.starts_on:
            return "未开始"
        if today <= self.ends_on:
            return "公示中"
        return "已期满"


def _row(session: Session, p: Publicity) -> PublicityRow:
    people = [
        NoticePerson(a.id, a.name, a.gender, mask_id(a.id_number), a.grade, a.class_name)
        for a in session.scalars(
            select(Applicant)
            .join(PublicityEntry, PublicityEntry.applicant_id == Applicant.id)
            .where(PublicityEntry.publicity_id == p.id)
            .order_by(Applicant.grade, Applicant.class_name, Applicant.search_key)
        )
    ]
    names = {n.applicant_id: n.name for n in people}
    objections = [
        ObjectionRow(
            o.id,
            o.applicant_id,
            names.get(o.applicant_id, ""),
            o.received_on,
            o.content,
            o.resolved_on,
            o.resolution,
            o.upheld,
        )
        for o in session.scalars(
            select(Objection).where(Objection.publicity_id == p.id).order_by(Objection.id)
        )
    ]
    return PublicityRow(
        p.id,
        p.kind,
        p.starts_on,
        p.ends_on,
        p.working_days,
        p.contact,
        p.calendar_warning,
        people,
        objections,
    )


def create_publicity(
    ctx: Context,
    kind: str,
    applicant_ids: list[int],
    starts_on: date,
    contact: str,
) -> Outcome[PublicityRow]:
    if kind not in STAGE_OF_KIND:
        raise ValueError(kind)
    if not applicant_ids:
        raise ValidationError("请选择要公示的人员。")
    if not tidy(contact):
        raise ValidationError("请填写公示期间接受反映的联系人和电话。", "contact")
    session = ctx.session
    profile = ctx.profile
    wanted = STAGE_OF_KIND[kind]
    for applicant_id in applicant_ids:
        applicant = get_row(
            session, Applicant, applicant_id, f"找不到编号为 {applicant_id} 的入团申请人。"
        )
        stage = stage_in_db(session, applicant_id)
        if stage is not wanted:
            raise ValidationError(
                f"{applicant.name}目前是“{stage.label}”，不能列入{PUBLICITY_LABELS[kind]}公示。"
            )
    days = profile.admission.publicity_working_days.value
    span = working_days_from(starts_on, days)
    notice = Publicity(
        kind=kind,
        starts_on=starts_on,
        ends_on=span.ends_on,
        working_days=days,
        contact=tidy(contact),
        calendar_warning=span.warning,
        recorded_by=ctx.actor,
        recorded_at=clock.now_utc().isoformat(timespec="seconds"),
    )
    session.add(notice)
    session.flush()
    for applicant_id in dict.fromkeys(applicant_ids):
        session.add(PublicityEntry(publicity_id=notice.id, applicant_id=applicant_id))
    session.flush()
    audit.record(
        session,
        ctx.actor,
        "publicity",
        notice.id,
        "create",
        after={"kind": kind, "people": len(applicant_ids), "ends_on": span.ends_on.isoformat()},
    )
    return Outcome(_row(session, notice), CHANGED)


def publicities(ctx: Context) -> list[PublicityRow]:
    session = ctx.session
    notices = session.scalars(
        select(Publicity).order_by(Publicity.starts_on.desc(), Publicity.id.desc())
    )
    return [_row(session, p) for p in notices]


def publicity(ctx: Context, publicity_id: int) -> PublicityRow:
    session = ctx.session
    notice = get_row(session, Publicity, publicity_id, f"找不到第 {publicity_id} 号公示。")
    return _row(session, notice)


def add_objection(
    ctx: Context,
    publicity_id: int,
    applicant_id: int,
    received_on: date,
    content: str,
    today: date | None = None,
) -> Outcome[ObjectionRow]:
    today = today or ctx.today
    if not content.strip():
        raise ValidationError("请记录反映的内容。", "content")
    if received_on > today:
        raise ValidationError("收到日期不能晚于今天。", "received_on")
    session = ctx.session
    notice = session.get(Publicity, publicity_id)
    entry = session.scalar(
        select(PublicityEntry).where(
            PublicityEntry.publicity_id == publicity_id,
            PublicityEntry.applicant_id == applicant_id,
        )
    )
    if notice is None or entry is None:
        raise NotFound("该人员不在这份公示中。")
    if received_on < notice.starts_on:
        raise ValidationError("收到日期早于公示开始日期。", "received_on")
    objection = Objection(
        publicity_id=publicity_id,
        applicant_id=applicant_id,
        received_on=received_on,
        content=content.strip(),
    )
    session.add(objection)
    session.flush()
    audit.record(
        session,
        ctx.actor,
        "objection",
        objection.id,
        "create",
        after={"publicity": publicity_id, "applicant": applicant_id},
    )
    return Outcome(
        next(o for o in _row(session, notice).objections if o.id == objection.id), CHANGED
    )


def resolve_objection(
    ctx: Context,
    objection_id: int,
    resolved_on: date,
    resolution: str,
    upheld: bool,
    today: date | None = None,
) -> Outcome[ObjectionRow]:
    """The finding on an objection; an upheld one stops the applicant for good."""
    today = today or ctx.today
    if not resolution.strip():
        raise ValidationError("请写明核实情况和处理结果。", "resolution")
    if resolved_on > today:
        raise ValidationError("处理日期不能晚于今天。", "resolved_on")
    session = ctx.session
    objection = get_row(session, Objection, objection_id, f"找不到第 {objection_id} 条反映。")
    if objection.resolved_on is not None:
        raise ValidationError("这条反映已处理，处理结果不能更改。")
    if resolved_on < objection.received_on:
        raise ValidationError("处理日期早于收到日期。", "resolved_on")
    objection.resolved_on, objection.resolution, objection.upheld = (
        resolved_on,
        resolution.strip(),
        upheld,
    )
    audit.record(
        session,
        ctx.actor,
        "objection",
        objection.id,
        "resolve",
        after={"upheld": upheld, "resolution": resolution.strip()},
    )
    notice = session.get(Publicity, objection.publicity_id)
    assert notice is not None
    return Outcome(
        next(o for o in _row(session, notice).objections if o.id == objection_id), CHANGED
    )
