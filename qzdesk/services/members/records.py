"""The member roster: add, change, leave and restore members; never delete them.

Every change is checked by `member_check`, written with a `MemberEvent` in the member's
history and a row in the audit log, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, get_args, get_type_hints

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session

from qzdesk.models import Member, MemberEvent, Org, Transfer
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.members import idcard
from qzdesk.services.members.search import name_key
from qzdesk.services.members.validation import (
    Checked,
    MemberDraft,
    Problem,
    check_member,
    joined_text,
)
from qzdesk.services.names import clean_name
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import rules_in_force
from qzdesk.vocabulary import UNKNOWN, IdType, MemberStatus, OrgKind, PoliticalStatus

CHANGED = frozenset({Topic.MEMBERS, Topic.AUDIT})
ENUM_FIELDS = {"id_type": IdType, "political_status": PoliticalStatus, "status": MemberStatus}
# Text columns kept NOT NULL by the first schemas: an unknown value is stored as "".
NOT_NULL_TEXT = frozenset({"ethnicity"})
# What a member row stores (the birth as a sheet wrote it is only checked, never kept).
DRAFT_FIELDS = [f.name for f in fields(MemberDraft) if f.name != "birth_written"]

ENTRY_KINDS = {"added": "录入在册团员", "transferred_in": "组织关系转入"}

EVENT_LABELS = {
    "transferred_in": "组织关系转入",
    "joined": "入团",
    "added": "录入",
    "imported": "导入",
    "import_updated": "导入更新",
    "import_rolled_back": "撤销导入",
    "updated": "修改信息",
    "moved": "调整团支部",
    "left": "离团",
    "restored": "恢复团籍",
    "discipline": "团内处分",
    "discipline_lifted": "解除处分",
    "transfer_out": "组织关系转出",
    "transfer_in": "组织关系转入",
    "history": "随转接转来的记录",
    "party_applied": "递交入党申请书",
}


class MemberInvalid(ValidationError):
    """The record breaks rules; `problems` lists every error and warning by field."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if not p.warning]
        super().__init__("；".join(p.text for p in errors), errors[0].field if errors else None)
        self.problems = problems


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One line of the roster (slots: 50,000 of them stay in memory while it is open)."""

    id: int
    branch_id: int
    branch_name: str
    name: str
    gender: str
    id_number: str
    birth_date: date
    joined_on: date | None  # None: not known (未填)
    joined_year: int | None  # 据团员编号, while the month is not known
    member_no: str | None
    political_status: PoliticalStatus
    status: MemberStatus
    league_post: str | None
    mobile: str | None
    occupation: str | None
    work_unit: str | None
    search_key: str
    transferring: bool = False  # 转出中: on the books until the 回执 comes back


ROW_COLUMNS = (
    Member.id,
    Member.branch_id,
    Org.name,
    Member.name,
    Member.gender,
    Member.id_number,
    Member.birth_date,
    Member.joined_on,
    Member.joined_year,
    Member.member_no,
    Member.political_status,
    Member.status,
    Member.league_post,
    Member.mobile,
    Member.occupation,
    Member.work_unit,
    Member.search_key,
)


def _row(values: Any, transferring: frozenset[int] = frozenset()) -> MemberRow:
    v = list(values)
    v[10], v[11] = PoliticalStatus(v[10]), MemberStatus(v[11])
    return MemberRow(*v, v[0] in transferring)


def transferring(session: Session) -> frozenset[int]:
    """Members whose transfer out is under way (转出中: no 回执 yet)."""
    return frozenset(
        session.scalars(
            select(Transfer.member_id).where(
                Transfer.direction == "out", Transfer.state == "pending"
            )
        )
    )


def roster(ctx: Context) -> list[MemberRow]:
    """Every member ever recorded (those who left included), minus rolled-back imports."""
    session = ctx.session
    query = (
        select(*ROW_COLUMNS)
        .join(Org, Org.id == Member.branch_id)
        .where(Member.voided.is_(False))
        .order_by(Org.position, Member.id)
    )
    going = transferring(session)
    return [_row(r, going) for r in session.execute(query)]


def _row_of(session: Session, member: Member) -> MemberRow:
    query = select(*ROW_COLUMNS).join(Org, Org.id == Member.branch_id).where(Member.id == member.id)
    return _row(session.execute(query).one(), transferring(session))


@dataclass(frozen=True)
class EventRow:
    kind: str
    on: date
    reason: str | None
    details: dict[str, Any] | None
    recorded_by: str
    recorded_at: datetime

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class MemberRecord:
    id: int
    branch_id: int
    draft: MemberDraft
    left_on: date | None
    left_reason: str | None
    events: list[EventRow]


def draft_of(member: Member) -> MemberDraft:
    values = {}
    for name in DRAFT_FIELDS:
        value = getattr(member, name)
        if name in ENUM_FIELDS:
            value = ENUM_FIELDS[name](value)
        elif value is None and DRAFT_TYPES[name] is str:
            value = ""
        values[name] = value
    return MemberDraft(**values)


def apply_draft(member: Member, draft: MemberDraft) -> None:
    for name in DRAFT_FIELDS:
        value = getattr(draft, name)
        if name in ENUM_FIELDS:
            value = value.value
        elif value == "" and name not in NOT_NULL_TEXT:
            value = None
        setattr(member, name, value)
    member.search_key = name_key(draft.name)


def _get(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.voided:
        raise NotFound(f"找不到编号为 {member_id} 的团员，可能已被其他操作更改，请刷新后再试。")
    return member


def member_record(ctx: Context, member_id: int) -> MemberRecord:
    session = ctx.session
    member = _get(session, member_id)
    events = session.scalars(
        select(MemberEvent)
        .where(MemberEvent.member_id == member_id)
        .order_by(MemberEvent.on, MemberEvent.id)
    )
    return MemberRecord(
        member.id,
        member.branch_id,
        draft_of(member),
        member.left_on,
        member.left_reason,
        [EventRow(e.kind, e.on, e.reason, e.details, e.recorded_by, e.recorded_at) for e in events],
    )


def on_books(branch_id: int) -> ColumnElement[bool]:
    """The branch's members now: active, and not a record voided as entered by mistake."""
    return (
        (Member.branch_id == branch_id)
        & (Member.status == MemberStatus.ACTIVE.value)
        & Member.voided.is_(False)
    )


def check_branch(session: Session, branch_id: int | None) -> Org:
    branch = session.get(Org, branch_id) if branch_id is not None else None
    if branch is None or OrgKind(branch.kind) is not OrgKind.BRANCH:
        raise ValidationError("请选择团员所在的团支部。", "branch")
    if branch.closed_on is not None:
        raise ValidationError(f"“{branch.name}”已撤销，不能再加入团员。", "branch")
    return branch


def check_unique(session: Session, checked: Checked, member_id: int | None) -> None:
    """Add errors for an ID or member number another member already has."""
    d = checked.draft
    if d.id_number:
        other = session.scalar(
            select(Member).where(Member.id_number == d.id_number, Member.voided.is_(False))
        )
        if other is not None and other.id != member_id:
            branch = session.get(Org, other.branch_id)
            where = branch.name if branch else ""
            checked.error(
                "id_number", f"该身份证号已登记为“{other.name}”（{where}），不能重复录入。"
            )
    if d.member_no:
        other = session.scalar(
            select(Member).where(Member.member_no == d.member_no, Member.voided.is_(False))
        )
        if other is not None and other.id != member_id:
            checked.error("member_no", f"团员编号 {d.member_no} 已被“{other.name}”使用。")


def add_event(
    session: Session,
    actor: str,
    member: Member,
    kind: str,
    on: date,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    batch_id: int | None = None,
) -> None:
    session.add(
        MemberEvent(
            member_id=member.id,
            kind=kind,
            on=on,
            reason=reason,
            details=details,
            recorded_by=actor,
            recorded_at=clock.now_utc(),
            import_batch_id=batch_id,
        )
    )


def warnings_for(ctx: Context, draft: MemberDraft, today: date | None = None) -> list[Problem]:
    """What the form shows as you edit: the rules' warnings for this draft."""
    profile = rules_in_force(ctx)
    return check_member(draft, profile, today or ctx.today).warnings


def _checked(
    session: Session,
    draft: MemberDraft,
    profile: RuleProfile,
    today: date,
    member_id: int | None,
) -> Checked:
    checked = check_member(draft, profile, today)
    check_unique(session, checked, member_id)
    if checked.errors:
        raise MemberInvalid(checked.problems)
    return checked


DRAFT_TYPES = get_type_hints(MemberDraft)


def from_audit_value(name: str, value: Any) -> Any:
    """The draft value behind one entry of `audit_view` (its inverse)."""
    if name in ENUM_FIELDS:
        return ENUM_FIELDS[name](value)
    if value is None:
        return "" if DRAFT_TYPES[name] is str else None
    if date in get_args(DRAFT_TYPES[name]):
        return date.fromisoformat(value)
    if int in get_args(DRAFT_TYPES[name]):
        return int(value)
    return value


def audit_view(draft: MemberDraft) -> dict[str, Any]:
    """The draft's known values, each as text (enums by value, dates ISO, the year as
    "2021"), as the audit log, the archive and the transfer papers carry them."""
    return {
        name: (v.value if name in ENUM_FIELDS else v.isoformat() if isinstance(v, date) else str(v))
        for name in DRAFT_FIELDS
        if (v := getattr(draft, name)) not in ("", None)
    }


def add_member(
    ctx: Context,
    draft: MemberDraft,
    branch_id: int,
    today: date | None = None,
    how: str = "added",
    reason: str = "",
) -> Outcome[MemberRow]:
    """Record a member: one already on the books being entered ("added"), or one whose
    organisational relationship moved here from elsewhere ("transferred_in", with where from)."""
    today = today or ctx.today
    if how not in ENTRY_KINDS:
        raise ValueError(f"unknown way of entering a member: {how}")
    if how == "transferred_in" and not reason.strip():
        raise ValidationError("组织关系转入请填写转出单位（从哪个团组织转来）。", "reason")
    session = ctx.session
    check_branch(session, branch_id)
    checked = _checked(session, draft, ctx.profile, today, None)
    member = Member(branch_id=branch_id, voided=False, status_pending=False)
    apply_draft(member, checked.draft)
    session.add(member)
    session.flush()
    add_event(session, ctx.actor, member, how, today, reason.strip() or None)
    audit.record(session, ctx.actor, "member", member.id, "create", after=audit_view(checked.draft))
    return Outcome(_row_of(session, member), CHANGED)


def changes_between(before: MemberDraft, after: MemberDraft) -> dict[str, list[Any]]:
    old, new = audit_view(before), audit_view(after)
    return {
        k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)
    }


def update_member(
    ctx: Context,
    member_id: int,
    draft: MemberDraft,
    today: date | None = None,
) -> Outcome[MemberRow]:
    """Correct or complete a member's details; status changes go through `leave`/`restore`."""
    today = today or ctx.today
    session = ctx.session
    member = _get(session, member_id)
    before = draft_of(member)
    draft.status = before.status
    checked = _checked(session, draft, ctx.profile, today, member_id)
    changed = changes_between(before, checked.draft)
    if changed:
        apply_draft(member, checked.draft)
        add_event(session, ctx.actor, member, "updated", today, details=changed)
        audit.record(
            session,
            ctx.actor,
            "member",
            member.id,
            "update",
            {k: v[0] for k, v in changed.items()},
            {k: v[1] for k, v in changed.items()},
        )
    return Outcome(_row_of(session, member), CHANGED)


def move_member(
    ctx: Context, member_id: int, branch_id: int, on: date, reason: str
) -> Outcome[MemberRow]:
    """Move a member to another branch of this organisation (e.g. a class re-formed)."""
    reason = clean_name(reason, "调整原因", "reason", max_length=200)
    session = ctx.session
    member = _get(session, member_id)
    target = check_branch(session, branch_id)
    if member.branch_id == branch_id:
        raise ValidationError(f"“{member.name}”已在“{target.name}”。", "branch")
    details = {"from": member.branch_id, "to": branch_id}
    member.branch_id = branch_id
    add_event(session, ctx.actor, member, "moved", on, reason, details)
    audit.record(
        session,
        ctx.actor,
        "member",
        member.id,
        "move",
        {"branch_id": details["from"]},
        {"branch_id": branch_id},
    )
    return Outcome(_row_of(session, member), CHANGED)


def leave(
    ctx: Context,
    member_id: int,
    status: MemberStatus,
    on: date,
    reason: str,
    decided_by: str = "",
    today: date | None = None,
) -> Outcome[MemberRow]:
    """超龄离团 / 自行脱团 / 自愿退团 / 开除团籍 / 转出: the member stays, with date and reason."""
    today = today or ctx.today
    if status is MemberStatus.ACTIVE:
        raise ValidationError("请选择离团方式。", "status")
    reason = clean_name(reason, "原因", "reason", max_length=200)
    decided_by = decided_by.strip()
    if (
        status in (MemberStatus.LAPSED, MemberStatus.WITHDRAWN, MemberStatus.EXPELLED)
        and not decided_by
    ):
        raise ValidationError(
            f"{status.label}须经支部大会决定：请填写作出决定的会议（如“2025年第2次支部大会”）。",
            "decided_by",
        )
    session = ctx.session
    member = _get(session, member_id)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(
            f"“{member.name}”的团籍状态已是“{MemberStatus(member.status).label}”。"
        )
    if on > today:
        raise ValidationError("日期不能晚于今天。", "on")
    if member.joined_on is not None and on < member.joined_on:
        raise ValidationError(f"日期不能早于入团年月 {member.joined_on:%Y-%m}。", "on")
    member.status, member.left_on, member.left_reason = status.value, on, reason
    details = {"status": status.value, "decided_by": decided_by or None}
    add_event(session, ctx.actor, member, "left", on, reason, details)
    audit.record(session, ctx.actor, "member", member.id, "leave", {"status": "active"}, details)
    return Outcome(_row_of(session, member), CHANGED)


def restore(
    ctx: Context, member_id: int, reason: str, today: date | None = None
) -> Outcome[MemberRow]:
    """Undo a leaving recorded by mistake; both stay in the history."""
    reason = clean_name(reason, "恢复原因", "reason", max_length=200)
    session = ctx.session
    member = _get(session, member_id)
    if member.status == MemberStatus.ACTIVE:
        raise ValidationError(f"“{member.name}”团籍正常，无需恢复。")
    before = {
        "status": member.status,
        "left_on": member.left_on.isoformat() if member.left_on else None,
    }
    member.status, member.left_on, member.left_reason = MemberStatus.ACTIVE.value, None, None
    add_event(session, ctx.actor, member, "restored", today or ctx.today, reason, before)
    audit.record(session, ctx.actor, "member", member.id, "restore", before, {"status": "active"})
    return Outcome(_row_of(session, member), CHANGED)


def missing_member_numbers(ctx: Context, from_year: int) -> int:
    """Members on the books who joined in `from_year` or later without a 团员编号 (an
    imported village roster seldom has it): to look up in 智慧团建 and fill in."""
    session = ctx.session
    return (
        session.scalar(
            select(func.count()).where(
                Member.status == MemberStatus.ACTIVE.value,
                Member.voided.is_(False),
                Member.member_no.is_(None),
                Member.joined_on >= date(from_year, 1, 1),
            )
        )
        or 0
    )


def member_with_id_number(ctx: Context, id_number: str) -> int:
    """The member (not voided) whose 身份证号 this is, as written with spaces or a lower x."""
    found = ctx.session.scalar(
        select(Member.id).where(
            Member.id_number == idcard.normalise(id_number), Member.voided.is_(False)
        )
    )
    if found is None:
        raise ValidationError(f"名册中没有身份证号为 {id_number} 的团员。", "id_number")
    return int(found)


def missing_joined_on(ctx: Context) -> int:
    """Members on the books whose 入团年月 is not known (a list from 智慧团建 or an HR
    system without it): to look up and fill in."""
    return (
        ctx.session.scalar(
            select(func.count()).where(
                Member.status == MemberStatus.ACTIVE.value,
                Member.voided.is_(False),
                Member.joined_on.is_(None),
            )
        )
        or 0
    )


def open_branches(ctx: Context) -> list[tuple[int, str]]:
    """(id, name) of the branches members can belong to now."""
    session = ctx.session
    rows = session.execute(
        select(Org.id, Org.name)
        .where(Org.kind == OrgKind.BRANCH.value, Org.closed_on.is_(None))
        .order_by(Org.position, Org.id)
    )
    return [(r[0], r[1]) for r in rows]


def insert_many(
    session: Session,
    actor: str,
    items: list[tuple[MemberDraft, int]],
    kind: str,
    on: date,
    reasons: list[str] | None = None,
    batch_id: int | None = None,
) -> list[int]:
    """Insert checked (draft, branch id) pairs with one history event each, in bulk."""
    if not items:
        return []
    rows = []
    for draft, branch_id in items:
        member = Member()
        apply_draft(member, draft)
        values = {name: getattr(member, name) for name in DRAFT_FIELDS}
        values.update(
            branch_id=branch_id,
            import_batch_id=batch_id,
            voided=False,
            status_pending=False,
            search_key=member.search_key,
        )
        rows.append(values)
    ids = list(
        session.scalars(insert(Member).returning(Member.id, sort_by_parameter_order=True), rows)
    )
    now = clock.now_utc()
    session.execute(
        insert(MemberEvent),
        [
            {
                "member_id": member_id,
                "kind": kind,
                "on": on,
                "reason": reasons[i] if reasons else None,
                "details": None,
                "recorded_by": actor,
                "recorded_at": now,
                "import_batch_id": batch_id,
            }
            for i, member_id in enumerate(ids)
        ],
    )
    return ids


def export_rows(ctx: Context, member_ids: list[int] | None = None) -> list[tuple[MemberDraft, str]]:
    """(draft, branch name) for the given members in that order, or for the whole roster."""
    session = ctx.session
    query = (
        select(Member, Org.name)
        .join(Org, Org.id == Member.branch_id)
        .where(Member.voided.is_(False))
    )
    if member_ids is None:
        found = session.execute(query.order_by(Org.position, Member.id)).all()
        return [(draft_of(m), branch) for m, branch in found]
    by_id = {}
    for start in range(0, len(member_ids), 900):  # SQLite's bound-parameter limit
        chunk = member_ids[start : start + 900]
        for m, branch in session.execute(query.where(Member.id.in_(chunk))):
            by_id[m.id] = (draft_of(m), branch)
    return [by_id[i] for i in member_ids if i in by_id]


@dataclass(frozen=True)
class RosterEntry:
    """A member as the records of a day stand: on the books, or having left by then."""

    member_id: int
    draft: MemberDraft
    branch_id: int
    branch_name: str
    left_on: date | None
    left_reason: str | None

    @property
    def joined(self) -> str:
        """入团年月 as printed: the month, the year 据团员编号, or 未填."""
        return joined_text(self.draft.joined_on, self.draft.joined_year)


def roster_on(ctx: Context, day: date) -> list[RosterEntry]:
    """Everyone who had joined by `day`, in branch order; those who left after `day` count
    as still on the books then. Each is in the branch they were in on `day`: moves
    recorded after it are undone. One whose branch had not been set up yet on `day` (a
    class branch founded later, with no record of the branch before) is listed under the
    organisation itself, the branch shown as 所在团支部未填: never a branch that did not
    exist."""
    session = ctx.session
    orgs = {o.id: o for o in session.scalars(select(Org))}
    then = branches_on(session, day)
    # One who came by a transfer is on these books from the day they arrived, whatever
    # their 入团年月.
    arrived = {
        member_id: on
        for member_id, on in session.execute(
            select(MemberEvent.member_id, MemberEvent.on).where(
                MemberEvent.kind == "transferred_in", MemberEvent.on > day
            )
        )
    }
    root = next(o for o in orgs.values() if o.parent_id is None)
    query = (
        select(Member)
        # A member whose 入团年月 is not known (未填) is on the books: they were a
        # member when recorded, and no day is guessed for them.
        .where(
            Member.voided.is_(False),
            Member.joined_on.is_(None) | (Member.joined_on <= day),
        )
        .order_by(Member.id)
    )
    entries = []
    for member in session.scalars(query):
        if member.id in arrived:
            continue
        draft = draft_of(member)
        left = member.left_on if member.left_on and member.left_on <= day else None
        if left is None:
            draft.status = MemberStatus.ACTIVE
        branch = orgs[then.get(member.id, member.branch_id)]
        known = branch.created_on <= day
        entries.append(
            RosterEntry(
                member.id,
                draft,
                branch.id if known else root.id,
                branch.name if known else f"所在团支部{UNKNOWN}",
                left,
                member.left_reason if left else None,
            )
        )
    order = {o.id: (o.position, o.id) for o in orgs.values()}
    return sorted(entries, key=lambda e: (order[e.branch_id], e.member_id))


def branches_on(session: Session, day: date) -> dict[int, int]:
    """Member id → the branch they were in on `day`, for those moved after it (the others
    are where they are now): the first move after `day` says where they came from."""
    moves = session.execute(
        select(MemberEvent.member_id, MemberEvent.details)
        .where(MemberEvent.kind == "moved", MemberEvent.on > day)
        .order_by(MemberEvent.on.desc(), MemberEvent.id.desc())
    )
    return {member_id: int(details["from"]) for member_id, details in moves}
