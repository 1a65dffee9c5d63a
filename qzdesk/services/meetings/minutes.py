"""Minutes of the 三会两制一课 (会中有记录、会后有档案): drafted, then signed off by chair and
recorder, after which they are frozen (SQLite triggers) and corrected only by addenda.

Attendance is chosen from the roster; the quorum of a 支部大会 is shown live and a
resolution taken without it is marked invalid at sign-off.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qzdesk.models import (
    Addendum,
    Attachment,
    Attendance,
    MeetingAttachment,
    Member,
    Observer,
    Org,
    StageEvent,
    Term,
    Transfer,
)
from qzdesk.models import Meeting as MeetingRow
from qzdesk.services import audit, clock
from qzdesk.services.attachments import AttachmentRow, add_attachment
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members.records import check_branch, on_books
from qzdesk.services.names import clean_name, tidy
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import rules_in_force
from qzdesk.vocabulary import Labeled

CHANGED = frozenset({Topic.MEETINGS, Topic.AUDIT})
PRESENCE = {"present": "出席", "leave": "请假", "absent": "缺席"}


class MeetingKind(Labeled):
    ASSEMBLY = "assembly"
    COMMITTEE = "committee"
    GROUP = "group"
    LECTURE = "lecture"
    LEAGUE_DAY = "league_day"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "assembly": "支部大会",
            "committee": "支委会",
            "group": "团小组会",
            "lecture": "团课",
            "league_day": "主题团日",
        }

    def every_months(self, profile: RuleProfile) -> int:
        """The profile's frequency (0: as needed)."""
        return getattr(profile.meetings, f"{self.value}_every_months").value


@dataclass
class Resolution:
    text: str
    votes_for: int | None = None
    against: int | None = None
    abstain: int | None = None
    valid: bool | None = None  # set at sign-off
    applicant_id: int | None = None  # an admission vote, recorded from the applicant's side
    recommendation_id: int | None = None  # a 推优入党 vote, recorded from its side


@dataclass
class MinutesDraft:
    kind: MeetingKind
    held_on: date
    topic: str
    starts_at: str = ""
    ends_at: str = ""
    place: str = ""
    chair: str = ""
    recorder: str = ""
    agenda: list[str] = field(default_factory=list)
    speeches: list[tuple[str, str]] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    attendance: dict[int, tuple[str, str]] = field(default_factory=dict)  # member: status, why
    observers: list[tuple[str, str]] = field(default_factory=list)  # name, role


def observer_label(name: str, role: str) -> str:
    return f"{name}（{role}）" if role else name


def parse_observer(text: str) -> tuple[str, str]:
    """“赵欣（发展对象）” as typed or listed: the name and the role in brackets."""
    name, _, role = text.strip().replace("(", "（").replace(")", "）").partition("（")
    return name.strip(), role.removesuffix("）").strip()


@dataclass(frozen=True)
class Quorum:
    expected: int
    present: int
    required_ratio: float | None  # None: the kind has no quorum rule

    @property
    def ok(self) -> bool:
        return self.required_ratio is None or self.present > self.expected * self.required_ratio

    @property
    def text(self) -> str:
        base = f"应到 {self.expected} 人，实到 {self.present} 人"
        if self.required_ratio is None:
            return base
        need = int(self.expected * self.required_ratio) + 1
        verdict = "已达到法定人数" if self.ok else f"未达到法定人数（须至少 {need} 人）"
        return f"{base}，{verdict}"


def quorum_of(
    profile: RuleProfile, kind: MeetingKind, attendance: dict[int, tuple[str, str]]
) -> Quorum:
    present = sum(1 for status, _ in attendance.values() if status == "present")
    ratio = profile.meetings.assembly_quorum.value if kind is MeetingKind.ASSEMBLY else None
    return Quorum(len(attendance), present, ratio)


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _check(draft: MinutesDraft, today: date) -> MinutesDraft:
    topic = clean_name(draft.topic, "会议主题", "topic", max_length=200)
    if draft.held_on > today:
        raise ValidationError("会议日期不能晚于今天；尚未召开的会议请列入年度计划。", "held_on")
    for name, value in (("starts_at", draft.starts_at), ("ends_at", draft.ends_at)):
        if value and not _TIME.match(value):
            raise ValidationError("时间请按 24 小时制填写，如 14:30。", name)
    if draft.starts_at and draft.ends_at and draft.ends_at <= draft.starts_at:
        raise ValidationError("结束时间应晚于开始时间。", "ends_at")
    for status, reason in draft.attendance.values():
        if status not in PRESENCE:
            raise ValueError(status)
        if status == "leave" and not reason.strip():
            raise ValidationError("请假的团员请注明原因。", "attendance")
    for r in draft.resolutions:
        votes = [v for v in (r.votes_for, r.against, r.abstain) if v is not None]
        if any(v < 0 for v in votes):
            raise ValidationError("票数不能为负数。", "resolutions")
    present = sum(1 for s, _ in draft.attendance.values() if s == "present")
    for r in draft.resolutions:
        total = sum(v or 0 for v in (r.votes_for, r.against, r.abstain))
        if total > present:
            raise ValidationError(
                f"决议“{r.text[:20]}”的票数合计 {total}，多于出席的 {present} 人"
                "（列席人员没有表决权）。",
                "resolutions",
            )
    return MinutesDraft(
        draft.kind,
        draft.held_on,
        topic,
        draft.starts_at,
        draft.ends_at,
        tidy(draft.place),
        tidy(draft.chair),
        tidy(draft.recorder),
        [tidy(a) for a in draft.agenda if tidy(a)],
        [(tidy(s), p.strip()) for s, p in draft.speeches if p.strip()],
        [r for r in draft.resolutions if r.text.strip()],
        dict(draft.attendance),
        [(tidy(n), tidy(r)) for n, r in draft.observers if tidy(n)],
    )


def _write(session: Session, meeting: MeetingRow, draft: MinutesDraft) -> None:
    meeting.kind, meeting.held_on, meeting.topic = draft.kind.value, draft.held_on, draft.topic
    meeting.starts_at, meeting.ends_at = draft.starts_at or None, draft.ends_at or None
    meeting.place, meeting.chair = draft.place or None, draft.chair or None
    meeting.recorder = draft.recorder or None
    meeting.agenda = list(draft.agenda)
    meeting.speeches = [{"speaker": s, "points": p} for s, p in draft.speeches]
    meeting.resolutions = [asdict(r) for r in draft.resolutions]
    for row in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)):
        session.delete(row)
    for row in session.scalars(select(Observer).where(Observer.meeting_id == meeting.id)):
        session.delete(row)
    session.flush()
    valid = set(
        session.scalars(
            select(Member.id).where(Member.id.in_(list(draft.attendance)), Member.voided.is_(False))
        )
    )
    if missing := set(draft.attendance) - valid:
        raise NotFound(f"名册中找不到编号为 {min(missing)} 的团员，请刷新后重选。")
    for member_id, (status, reason) in draft.attendance.items():
        session.add(
            Attendance(
                meeting_id=meeting.id,
                member_id=member_id,
                status=status,
                reason=reason.strip() or None,
            )
        )
    for name, role in draft.observers:
        session.add(Observer(meeting_id=meeting.id, name=name, role=role or None))


def _get(session: Session, meeting_id: int) -> MeetingRow:
    return get_row(
        session, MeetingRow, meeting_id, f"找不到第 {meeting_id} 号会议记录，请刷新后再试。"
    )


def create_minutes(
    ctx: Context, branch_id: int, draft: MinutesDraft, today: date | None = None
) -> Outcome[int]:
    """A draft of the minutes; its number counts this kind of meeting in the branch's year."""
    draft = _check(draft, today or ctx.today)
    session = ctx.session
    check_branch(session, branch_id)
    number = _next_number(session, branch_id, draft.kind.value, draft.held_on.year)
    meeting = MeetingRow(
        branch_id=branch_id,
        number=number,
        status="draft",
        recorded_by=ctx.actor,
        agenda=[],
        speeches=[],
        resolutions=[],
        kind=draft.kind.value,
        held_on=draft.held_on,
        topic=draft.topic,
    )
    session.add(meeting)
    session.flush()
    _write(session, meeting, draft)
    audit.record(
        session,
        ctx.actor,
        "meeting",
        meeting.id,
        "create",
        after={"kind": draft.kind.value, "held_on": draft.held_on.isoformat()},
    )
    return Outcome(meeting.id, CHANGED)


def _same_kind_in_year(branch_id: int, kind: str, year: int) -> tuple[Any, ...]:
    return (
        MeetingRow.branch_id == branch_id,
        MeetingRow.kind == kind,
        MeetingRow.held_on >= date(year, 1, 1),
        MeetingRow.held_on <= date(year, 12, 31),
    )


def _next_number(session: Session, branch_id: int, kind: str, year: int) -> int:
    """Minutes are numbered per branch, kind and year without gaps (第N次支部大会)."""
    counted = select(func.count()).select_from(MeetingRow)
    return (session.scalar(counted.where(*_same_kind_in_year(branch_id, kind, year))) or 0) + 1


def _leave_numbering(session: Session, meeting: MeetingRow, refusal: str) -> None:
    """Take a draft out of its kind's numbering: later drafts move up one; refused when a
    later one is signed, as its number would then leave a gap."""
    same = _same_kind_in_year(meeting.branch_id, meeting.kind, meeting.held_on.year)
    later = list(
        session.scalars(select(MeetingRow).where(*same, MeetingRow.number > meeting.number))
    )
    signed = [m.number for m in later if m.status == "signed"]
    if signed:
        kind = MeetingKind(meeting.kind).label
        raise ValidationError(f"之后的第{min(signed)}次{kind}已签字确认，{refusal}")
    for m in later:
        m.number -= 1


def save_minutes(
    ctx: Context, meeting_id: int, draft: MinutesDraft, today: date | None = None
) -> Outcome[int]:
    draft = _check(draft, today or ctx.today)
    session = ctx.session
    meeting = _get(session, meeting_id)
    if meeting.status == "signed":
        raise ValidationError("会议记录已签字确认，不能修改；如需更正请添加补充说明。")
    if (meeting.kind, meeting.held_on.year) != (draft.kind.value, draft.held_on.year):
        _leave_numbering(session, meeting, "这份草稿不能再改会议类型或年份（编号会断档）。")
        meeting.number = _next_number(
            session, meeting.branch_id, draft.kind.value, draft.held_on.year
        )
    _write(session, meeting, draft)
    audit.record(session, ctx.actor, "meeting", meeting.id, "update")
    return Outcome(meeting.id, CHANGED)


def discard_draft(ctx: Context, meeting_id: int) -> Outcome[None]:
    """Delete draft minutes written by mistake. Refused for signed minutes, for a draft
    that holds an admission vote or an election, and where a later meeting of the same
    kind is signed (its number would leave a gap); later drafts move up one number. The
    audit log keeps the discarded content."""
    session = ctx.session
    meeting = _get(session, meeting_id)
    if meeting.status == "signed":
        raise ValidationError("会议记录已签字确认，不能删除；如需更正请添加补充说明。")
    voted = session.scalar(
        select(func.count())
        .select_from(StageEvent)
        .where(func.json_extract(StageEvent.details, "$.meeting_id") == meeting.id)
    )
    if voted:
        raise ValidationError("这份记录中有入团表决，已写入发展团员档案，不能删除。")
    if session.scalar(select(Term.id).where(Term.meeting_id == meeting.id)):
        raise ValidationError("这次支部大会已登记为换届选举的会议，请先作废该换届记录。")
    _leave_numbering(session, meeting, "删除这份草稿会使编号断档；请修改这份草稿的内容后继续使用。")
    before = _content(session, meeting)
    for table in (Attendance, Observer, MeetingAttachment):
        session.execute(delete(table).where(table.meeting_id == meeting.id))
    session.delete(meeting)
    audit.record(session, ctx.actor, "meeting", meeting_id, "discard", before=before)
    return Outcome(None, CHANGED)


def _content(session: Session, meeting: MeetingRow) -> dict[str, Any]:
    attendance = session.execute(
        select(Attendance.member_id, Attendance.status, Attendance.reason)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.member_id)
    )
    observers = session.execute(
        select(Observer.name, Observer.role)
        .where(Observer.meeting_id == meeting.id)
        .order_by(Observer.id)
    )
    return {
        "id": meeting.id,
        "branch_id": meeting.branch_id,
        "kind": meeting.kind,
        "number": meeting.number,
        "held_on": meeting.held_on.isoformat(),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "topic": meeting.topic,
        "chair": meeting.chair,
        "recorder": meeting.recorder,
        "agenda": meeting.agenda,
        "speeches": meeting.speeches,
        "resolutions": meeting.resolutions,
        "attendance": [list(a) for a in attendance],
        "observers": [list(o) for o in observers],
        "attachments": sorted(
            session.scalars(
                select(MeetingAttachment.sha256).where(MeetingAttachment.meeting_id == meeting.id)
            )
        ),
    }


def altered_minutes(session: Session) -> list[tuple[int, int]]:
    """(id, number) of signed minutes whose content no longer hashes to what was signed."""
    signed = session.scalars(
        select(MeetingRow).where(MeetingRow.status == "signed").order_by(MeetingRow.id)
    )
    return [
        (m.id, m.number) for m in signed if content_hash(_content(session, m)) != m.content_hash
    ]


def content_hash(content: dict[str, Any]) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


SIGNERS = {"chair": "主持人", "recorder": "记录人"}


def signature_problem(role: str, typed: str, expected: str | None) -> str | None:
    """Whether the name typed to sign is the chair's (or the recorder's) in the minutes;
    asked as each one signs, so a mistyped name is refused where it was typed."""
    if not expected or tidy(typed) != expected:
        return f"请由{SIGNERS[role]}（{expected or '未填写'}）签字确认。"
    return None


def sign_off(ctx: Context, meeting_id: int, chair: str, recorder: str) -> Outcome[str]:
    """Chair and recorder confirm the minutes: resolutions are judged against the quorum,
    the content is hashed and frozen. Returns the hash."""
    session = ctx.session
    profile = ctx.profile
    meeting = _get(session, meeting_id)
    if meeting.status == "signed":
        raise ValidationError("会议记录已签字确认过。")
    for role, typed, expected in (
        ("chair", chair, meeting.chair),
        ("recorder", recorder, meeting.recorder),
    ):
        problem = signature_problem(role, typed, expected)
        if problem:
            raise ValidationError(problem, role)
    attendance = {
        a.member_id: (a.status, a.reason or "")
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    }
    if not attendance:
        raise ValidationError("请先从名册中选择参会团员并登记出席情况。", "attendance")
    quorate = quorum_of(profile, MeetingKind(meeting.kind), attendance).ok
    meeting.resolutions = [{**r, "valid": quorate} for r in meeting.resolutions]
    session.flush()
    digest = content_hash(_content(session, meeting))
    meeting.content_hash = digest
    meeting.signed_at = clock.now_utc().isoformat(timespec="seconds")
    meeting.status = "signed"
    audit.record(session, ctx.actor, "meeting", meeting.id, "sign", after={"hash": digest})
    return Outcome(digest, CHANGED)


def add_addendum(ctx: Context, meeting_id: int, text: str) -> Outcome[int]:
    if not text.strip():
        raise ValidationError("请填写补充说明的内容。", "text")
    session = ctx.session
    meeting = _get(session, meeting_id)
    if meeting.status != "signed":
        raise ValidationError("会议记录尚未签字确认，可直接修改，无需补充说明。")
    row = Addendum(
        meeting_id=meeting_id,
        text=text.strip(),
        recorded_by=ctx.actor,
        recorded_at=clock.now_utc().isoformat(timespec="seconds"),
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx.actor, "meeting", meeting_id, "addendum", after={"id": row.id})
    return Outcome(row.id, CHANGED)


@dataclass(frozen=True)
class MinutesView:
    id: int
    branch_id: int
    number: int
    draft: MinutesDraft
    status: str
    signed_at: str | None
    content_hash: str | None
    quorum: Quorum
    addenda: list[tuple[str, str, str]]  # recorded_at, by, text
    intact: bool | None  # signed minutes: does the stored content still match its hash?
    attachments: list[tuple[AttachmentRow, str]]  # the file, its caption

    @property
    def title(self) -> str:
        return f"{self.draft.held_on.year}年第{self.number}次{self.draft.kind.label}"


def minutes(ctx: Context, meeting_id: int) -> MinutesView:
    session = ctx.session
    profile = ctx.profile
    m = _get(session, meeting_id)
    attendance = {
        a.member_id: (a.status, a.reason or "")
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == m.id))
    }
    observers = [
        (o.name, o.role or "")
        for o in session.scalars(select(Observer).where(Observer.meeting_id == m.id))
    ]
    kind = MeetingKind(m.kind)
    draft = MinutesDraft(
        kind,
        m.held_on,
        m.topic,
        m.starts_at or "",
        m.ends_at or "",
        m.place or "",
        m.chair or "",
        m.recorder or "",
        list(m.agenda),
        [(s["speaker"], s["points"]) for s in m.speeches],
        [Resolution(**r) for r in m.resolutions],
        attendance,
        observers,
    )
    addenda = [
        (a.recorded_at, a.recorded_by, a.text)
        for a in session.scalars(
            select(Addendum).where(Addendum.meeting_id == m.id).order_by(Addendum.id)
        )
    ]
    intact = None if m.status != "signed" else content_hash(_content(session, m)) == m.content_hash
    files = [
        (AttachmentRow(a.sha256, a.file_name, a.kind, a.size), caption or "")
        for a, caption in session.execute(
            select(Attachment, MeetingAttachment.caption)
            .join(MeetingAttachment, MeetingAttachment.sha256 == Attachment.sha256)
            .where(MeetingAttachment.meeting_id == m.id)
            .order_by(MeetingAttachment.id)
        )
    ]
    return MinutesView(
        m.id,
        m.branch_id,
        m.number,
        draft,
        m.status,
        m.signed_at,
        m.content_hash,
        quorum_of(profile, kind, attendance),
        addenda,
        intact,
        files,
    )


def branch_members_on(ctx: Context, branch_id: int) -> list[tuple[int, str]]:
    """The members attendance is chosen from: those of the branch on the books now, but
    not those 转出中 (counted on the books until the 回执, no longer expected at meetings)."""
    leaving = select(Transfer.member_id).where(
        Transfer.direction == "out", Transfer.state == "pending"
    )
    session = ctx.session
    rows = session.execute(
        select(Member.id, Member.name)
        .where(on_books(branch_id), Member.id.not_in(leaving))
        .order_by(Member.id)
    )
    return [(r[0], r[1]) for r in rows]


def minutes_between(
    ctx: Context, start: date, end: date
) -> tuple[list[MinutesView], dict[int, str], dict[int, str]]:
    """The minutes held in [start, end] in date order, with member and branch names."""
    session = ctx.session
    ids = list(
        session.scalars(
            select(MeetingRow.id)
            .where(MeetingRow.held_on >= start, MeetingRow.held_on <= end)
            .order_by(MeetingRow.held_on, MeetingRow.id)
        )
    )
    names = {i: n for i, n in session.execute(select(Member.id, Member.name))}
    branches = {i: n for i, n in session.execute(select(Org.id, Org.name))}
    return [minutes(ctx, i) for i in ids], names, branches


def archive_section(ctx: Context, start: date, end: date) -> list[dict[str, Any]]:
    """The minutes held in [start, end] as plain data: the signed content exactly as
    hashed (so a reader can recompute `content_hash`), the status and the addenda."""
    session = ctx.session
    rows = session.scalars(
        select(MeetingRow)
        .where(MeetingRow.held_on >= start, MeetingRow.held_on <= end)
        .order_by(MeetingRow.held_on, MeetingRow.id)
    )
    section = []
    for m in rows:
        addenda = session.scalars(
            select(Addendum).where(Addendum.meeting_id == m.id).order_by(Addendum.id)
        )
        section.append(
            {
                "content": _content(session, m),
                "status": m.status,
                "signed_at": m.signed_at,
                "content_hash": m.content_hash,
                "addenda": [
                    {"text": a.text, "recorded_by": a.recorded_by, "recorded_at": a.recorded_at}
                    for a in addenda
                ],
            }
        )
    return section


def attach(
    ctx: Context, meeting_id: int, source: Path, caption: str = ""
) -> Outcome[AttachmentRow]:
    """A sign-in sheet scan or a photo for draft minutes (PDF, JPEG or PNG, size-limited)."""
    limit = rules_in_force(ctx).meetings.attachment_max_mb.value
    session = ctx.session
    if _get(session, meeting_id).status == "signed":
        raise ValidationError("会议记录已签字确认，不能再添加附件；如需补充请添加补充说明。")
    row = add_attachment(ctx, source, limit).value
    session = ctx.session
    exists = session.scalar(
        select(MeetingAttachment).where(
            MeetingAttachment.meeting_id == meeting_id, MeetingAttachment.sha256 == row.sha256
        )
    )
    if exists is None:
        session.add(
            MeetingAttachment(
                meeting_id=meeting_id, sha256=row.sha256, caption=tidy(caption) or None
            )
        )
        audit.record(
            session, ctx.actor, "meeting", meeting_id, "attach", after={"file": row.file_name}
        )
    return Outcome(row, CHANGED)


@dataclass(frozen=True)
class MeetingListRow:
    id: int
    branch_id: int
    branch: str
    kind: MeetingKind
    number: int
    held_on: date
    topic: str
    present: int
    expected: int
    status: str


def meetings_of_year(ctx: Context, year: int) -> list[MeetingListRow]:
    in_year = (MeetingRow.held_on >= date(year, 1, 1), MeetingRow.held_on <= date(year, 12, 31))
    session = ctx.session
    counts: dict[int, tuple[int, int]] = {}
    for meeting_id, status, n in session.execute(
        select(Attendance.meeting_id, Attendance.status, func.count())
        .join(MeetingRow, MeetingRow.id == Attendance.meeting_id)
        .where(*in_year)
        .group_by(Attendance.meeting_id, Attendance.status)
    ):
        present, expected = counts.get(meeting_id, (0, 0))
        counts[meeting_id] = (present + (n if status == "present" else 0), expected + n)
    rows = session.execute(
        select(MeetingRow, Org.name)
        .join(Org, Org.id == MeetingRow.branch_id)
        .where(*in_year)
        .order_by(MeetingRow.held_on.desc(), MeetingRow.id.desc())
    )
    return [
        MeetingListRow(
            m.id,
            m.branch_id,
            name,
            MeetingKind(m.kind),
            m.number,
            m.held_on,
            m.topic,
            *counts.get(m.id, (0, 0)),
            m.status,
        )
        for m, name in rows
    ]


def assemblies(
    ctx: Context, branch_id: int, drafts_only: bool = False
) -> list[tuple[int, date, str]]:
    """The branch's 支部大会 records, newest first: drafts only for an admission vote to be
    written into, all of them for an election to name."""
    session = ctx.session
    query = select(MeetingRow.id, MeetingRow.held_on, MeetingRow.topic).where(
        MeetingRow.branch_id == branch_id, MeetingRow.kind == MeetingKind.ASSEMBLY.value
    )
    if drafts_only:
        query = query.where(MeetingRow.status == "draft")
    rows = session.execute(query.order_by(MeetingRow.held_on.desc(), MeetingRow.id.desc()))
    return [(r[0], r[1], r[2]) for r in rows]
