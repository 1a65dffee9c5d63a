"""The transfers of this organisation: out (转出中 until the 回执, then 已转出; 已撤回 when
it did not happen) and in (已转入 with the history that came). Every operation takes the
desk's context; days are the context's (Beijing). Nothing is deleted: a member 转出中 stays
on the books, and leaves them (已转出) on the receipt's day."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from qzdesk.models import Member, MemberEvent, Org, Transfer
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.dossier.papers import record_kept, record_paper_bytes
from qzdesk.services.dossier.timeline import HISTORY
from qzdesk.services.dues.book import paid_to
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members import records
from qzdesk.services.members.validation import MemberDraft
from qzdesk.services.names import clean_name
from qzdesk.services.periods import instant_text
from qzdesk.services.reminders import Reminder
from qzdesk.services.transfer.snapshot import Package, Side
from qzdesk.vocabulary import BranchNature, MemberStatus, Paper, TransferCause, TransferState

CHANGED = frozenset({Topic.MEMBERS, Topic.AUDIT})
ENTITY = "transfer"
# Fields that end with the move: a post is held in the branch, not carried to the next.
LEFT_BEHIND = ("league_post", "post_since", "status", "dues_tier", "grade", "class_name")


@dataclass(frozen=True)
class Move:
    """One member going: where to (as the secretary types it) and why."""

    member_id: int
    to: Side
    cause: TransferCause


@dataclass(frozen=True)
class TransferRow:
    id: int
    code: str
    direction: str  # out | in
    member_id: int
    name: str
    id_number: str
    cause: TransferCause
    sender: Side
    receiver: Side
    out_on: date
    valid_until: date
    dues_paid_to: date | None
    state: TransferState
    closed_on: date | None
    other_known: bool | None
    zhtj_on: date | None
    zhtj_state: str | None

    @property
    def other_side(self) -> str:
        return self.receiver.org if self.direction == "out" else self.sender.org


def _row(t: Transfer, member: Member) -> TransferRow:
    return TransferRow(
        t.id,
        t.code,
        t.direction,
        member.id,
        member.name,
        member.id_number,
        TransferCause(t.cause),
        Side(t.from_org, t.from_parent),
        Side(t.to_org, t.to_parent),
        t.out_on,
        t.valid_until,
        t.dues_paid_to,
        TransferState(t.state),
        t.closed_on,
        t.other_known,
        t.zhtj_on,
        t.zhtj_state,
    )


@dataclass(frozen=True)
class TransferFigures:
    """A period's transfers as the archive's page and the committee's 汇总表 count them."""

    out: int
    pending: int  # of those out, no 回执 yet
    came: int


def transfer_figures(moves: Iterable[tuple[str, str]]) -> TransferFigures:
    """From each transfer's (direction, state) as the archive writes them, so the page
    and a reader of the archive's data count alike."""
    moves = list(moves)
    return TransferFigures(
        sum(1 for direction, _ in moves if direction == "out"),
        sum(1 for move in moves if move == ("out", TransferState.PENDING.value)),
        sum(1 for direction, _ in moves if direction == "in"),
    )


def transfers(ctx: Context, direction: str | None = None) -> list[TransferRow]:
    """Every transfer, newest first."""
    query = select(Transfer, Member).join(Member, Member.id == Transfer.member_id)
    if direction is not None:
        query = query.where(Transfer.direction == direction)
    rows = ctx.session.execute(query.order_by(Transfer.out_on.desc(), Transfer.id.desc()))
    return [_row(t, m) for t, m in rows]


def transfers_between(ctx: Context, start: date, as_of: date) -> list[TransferRow]:
    """The transfers of a period as they stood at its end: out begun by `as_of` and
    begun or closed from `start`; in received within it. A receipt that came after
    `as_of` is not known then: such a transfer is still 转出中."""
    found = []
    for row in reversed(transfers(ctx)):
        if row.direction == "out":
            closed = row.closed_on if row.closed_on and row.closed_on <= as_of else None
            if row.out_on > as_of or max(row.out_on, closed or row.out_on) < start:
                continue
            found.append(
                replace(row, state=row.state if closed else TransferState.PENDING, closed_on=closed)
            )
        elif row.closed_on is not None and start <= row.closed_on <= as_of:
            found.append(row)
    return found


def transfer_row(ctx: Context, transfer_id: int) -> TransferRow:
    t = get_row(ctx.session, Transfer, transfer_id, f"找不到编号为 {transfer_id} 的转接记录。")
    return _row(t, ctx.session.get_one(Member, t.member_id))


def pending_of(ctx: Context, member_id: int) -> Transfer | None:
    return ctx.session.scalar(
        select(Transfer).where(
            Transfer.member_id == member_id,
            Transfer.direction == "out",
            Transfer.state == TransferState.PENDING.value,
        )
    )


def _new_code(on: date) -> str:
    # Random, not counted: two installations never hand out the same number.
    return f"ZJ{on:%Y%m%d}-{secrets.token_hex(4).upper()}"


def _event(ctx: Context, member: Member, kind: str, on: date, text: str, code: str) -> None:
    records.add_event(
        ctx.session, ctx.actor, member, kind, on, None, {"text": text, "transfer": code}
    )


def transfer_out(ctx: Context, moves: Sequence[Move], on: date | None = None) -> Outcome[list[int]]:
    """Start the transfer of each member (one member or a whole graduating class): each
    gets a 介绍信 number and stays on the books as 转出中 until the receipt comes back.
    All or nothing: one member who cannot go stops the batch, with the reason."""
    day = on or ctx.today
    if day > ctx.today:
        raise ValidationError("转出日期不能晚于今天。", "on")
    if not moves:
        raise ValidationError("请选择要转出的团员。", "members")
    if len({m.member_id for m in moves}) != len(moves):
        raise ValidationError("同一名团员在名单中出现了两次。", "members")
    org = ctx.overview
    sender = Side(org.root.name, org.parent_org or "")
    valid = timedelta(days=ctx.profile.transfer.letter_valid_days.value)
    ids = []
    for move in moves:
        member = get_row(
            ctx.session, Member, move.member_id, f"找不到编号为 {move.member_id} 的团员。"
        )
        if member.voided or member.status != MemberStatus.ACTIVE.value:
            raise ValidationError(
                f"“{member.name}”的团籍状态是“{MemberStatus(member.status).label}”，不能转出。"
            )
        if (open_one := pending_of(ctx, member.id)) is not None:
            raise ValidationError(
                f"“{member.name}”已在转出中（介绍信 {open_one.code}，转往{open_one.to_org}）："
                "请等回执，或先撤回那次转出。"
            )
        to_org = clean_name(move.to.org, "转入单位", "to", max_length=100)
        to_parent = move.to.parent.strip()[:100]
        if not to_parent:
            raise ValidationError(f"请填写“{to_org}”的上级团组织。", "to_parent")
        dues = paid_to(ctx, member.id)
        code = _new_code(day)
        row = Transfer(
            code=code,
            direction="out",
            member_id=member.id,
            cause=move.cause.value,
            from_org=sender.org,
            from_parent=sender.parent,
            to_org=to_org,
            to_parent=to_parent,
            out_on=day,
            valid_until=day + valid,
            dues_paid_to=dues.month,
            state=TransferState.PENDING.value,
            recorded_by=ctx.actor,
            recorded_at=instant_text(ctx.now),
        )
        ctx.session.add(row)
        ctx.session.flush()
        _event(
            ctx,
            member,
            "transfer_out",
            day,
            f"转往{to_org}（{move.cause.label}），介绍信 {code}",
            code,
        )
        audit.record(
            ctx.session, ctx.actor, ENTITY, row.id, "out", after={"code": code, "to": to_org}
        )
        ids.append(row.id)
    return Outcome(ids, CHANGED)


def withdraw(ctx: Context, transfer_id: int, reason: str) -> Outcome[None]:
    """A transfer that did not happen (the member stayed): 已撤回, the letter void."""
    reason = clean_name(reason, "撤回原因", "reason", max_length=200)
    row = get_row(ctx.session, Transfer, transfer_id, f"找不到编号为 {transfer_id} 的转接记录。")
    if row.direction != "out" or row.state != TransferState.PENDING.value:
        raise ValidationError(
            f"介绍信 {row.code} 的状态是“{TransferState(row.state).label}”，不能撤回。"
        )
    row.state, row.closed_on, row.note = TransferState.WITHDRAWN.value, ctx.today, reason
    member = ctx.session.get_one(Member, row.member_id)
    _event(
        ctx, member, "transfer_out", ctx.today, f"撤回转出（介绍信 {row.code}）：{reason}", row.code
    )
    audit.record(ctx.session, ctx.actor, ENTITY, row.id, "withdraw", after={"reason": reason})
    return Outcome(None, CHANGED)


def record_zhtj(ctx: Context, transfer_id: int, on: date, state: str) -> Outcome[None]:
    """The same transfer's request in 智慧团建, as the secretary reads it there."""
    row = get_row(ctx.session, Transfer, transfer_id, f"找不到编号为 {transfer_id} 的转接记录。")
    if on > ctx.today:
        raise ValidationError("日期不能晚于今天。", "zhtj_on")
    state = clean_name(state, "智慧团建中的状态", "zhtj_state", max_length=20)
    before = {"on": row.zhtj_on.isoformat() if row.zhtj_on else None, "state": row.zhtj_state}
    row.zhtj_on, row.zhtj_state = on, state
    audit.record(
        ctx.session,
        ctx.actor,
        ENTITY,
        row.id,
        "zhtj",
        before,
        {"on": on.isoformat(), "state": state},
    )
    return Outcome(None, CHANGED)


# ---- arriving ---------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """What the 转入 dialog shows before the secretary confirms."""

    conflict: str | None  # a member here with the same ID number: never merged
    received_before: str | None  # this very package came in already
    notes: tuple[str, ...]  # addressed elsewhere, expired, sender not registered


def review(ctx: Context, pkg: Package, known: bool) -> Review:
    code_seen = ctx.session.scalar(
        select(Transfer).where(Transfer.code == pkg.code, Transfer.direction == "in")
    )
    before = None
    if code_seen is not None:
        member = ctx.session.get_one(Member, code_seen.member_id)
        before = (
            f"介绍信 {pkg.code} 已于 {code_seen.closed_on:%Y-%m-%d} 接收，"
            f"“{member.name}”已转入，不会重复登记。"
        )
    conflict = None
    same = ctx.session.scalar(
        select(Member).where(
            Member.id_number == pkg.member.get("id_number", ""), Member.voided.is_(False)
        )
    )
    if same is not None and code_seen is None:
        where = ctx.session.get_one(Org, same.branch_id).name
        conflict = (
            f"本单位已有身份证号相同的团员“{same.name}”（{where}，"
            f"{MemberStatus(same.status).label}）：不会自动合并，请先核实是否同一人。"
        )
    number = pkg.member.get("member_no")
    numbered = (
        ctx.session.scalar(
            select(Member).where(Member.member_no == number, Member.voided.is_(False))
        )
        if number and conflict is None and code_seen is None
        else None
    )
    if numbered is not None:
        conflict = (
            f"团员编号 {number} 在本单位已登记为“{numbered.name}”：团员编号全国唯一，"
            "请先核实哪一条记录有误。"
        )
    notes = []
    here = ctx.overview.root.name
    if pkg.receiver.org != here:
        notes.append(f"介绍信写明转往“{pkg.receiver.org}”，本单位是“{here}”：请核实。")
    if ctx.today > pkg.valid_until:
        notes.append(f"介绍信已于 {pkg.valid_until:%Y-%m-%d} 过期：请与转出单位核实。")
    if not known:
        notes.append(
            f"转出单位“{pkg.sender.org}”的签名证书未登记（未核对指纹），转入后标注“未登记”。"
        )
    return Review(conflict, before, tuple(notes))


def receive(
    ctx: Context,
    pkg: Package,
    package_sha256: str,
    fingerprint: str,
    known: bool,
    branch_id: int,
    scans: dict[str, bytes] | None = None,
    letter: bytes | None = None,
) -> Outcome[int]:
    """The member arrives in `branch_id` with the history the package holds, each entry
    marked with where it came from, and the package itself (`letter`) kept as the
    介绍信 of the 团员档案; the transfer is recorded 已转入. Refused when the
    package was received before or a member here has the same ID number."""
    check = review(ctx, pkg, known)
    if check.received_before:
        raise ValidationError(check.received_before)
    if check.conflict:
        raise ValidationError(check.conflict, "id_number")
    values = {
        name: records.from_audit_value(name, value)
        for name, value in pkg.member.items()
        if name in records.DRAFT_FIELDS and name not in LEFT_BEHIND
    }
    draft = MemberDraft(**values)
    reason = f"{pkg.sender.org}（{pkg.sender.parent}），介绍信 {pkg.code}"
    added = records.add_member(ctx, draft, branch_id, ctx.today, "transferred_in", reason).value
    member = ctx.session.get_one(Member, added.id)
    for entry in pkg.timeline:
        records.add_event(
            ctx.session,
            ctx.actor,
            member,
            HISTORY,
            entry.on or ctx.today,
            None,
            {"entry": entry.as_dict(), "from": pkg.sender.org, "transfer": pkg.code},
        )
    mark = "" if known else "（转出单位证书未登记）"
    paid = f"，团费交至 {pkg.dues_text}"
    _event(ctx, member, "transfer_in", ctx.today, f"自{pkg.sender.org}转入{mark}{paid}", pkg.code)
    for paper in pkg.papers:
        if paper.paper is Paper.LETTER:
            continue  # the letter that came is this package, kept below
        if paper.present is not None:
            record_kept(
                ctx, member.id, paper, pkg.sender.org, (scans or {}).get(paper.sha256 or "")
            )
    row = Transfer(
        code=pkg.code,
        direction="in",
        member_id=member.id,
        cause=pkg.cause.value,
        from_org=pkg.sender.org,
        from_parent=pkg.sender.parent,
        to_org=pkg.receiver.org,
        to_parent=pkg.receiver.parent,
        out_on=pkg.out_on,
        valid_until=pkg.valid_until,
        dues_paid_to=pkg.dues_paid_to,
        state=TransferState.RECEIVED.value,
        closed_on=ctx.today,
        package_sha256=package_sha256,
        other_fingerprint=fingerprint,
        other_known=known,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    ctx.session.add(row)
    ctx.session.flush()
    if letter is not None:
        record_paper_bytes(ctx, member.id, Paper.LETTER, f"介绍信-{pkg.code}.pdf", letter)
    audit.record(
        ctx.session, ctx.actor, ENTITY, row.id, "in", after={"code": pkg.code, "member": member.id}
    )
    return Outcome(row.id, CHANGED)


def confirm(
    ctx: Context, receipt: dict[str, Any], fingerprint: str, known: bool
) -> Outcome[TransferRow]:
    """The 回执 came back: the member leaves the books (已转出) on the day it says the
    member arrived. It must answer a package this organisation sent, byte for byte."""
    row = ctx.session.scalar(
        select(Transfer).where(Transfer.code == receipt["code"], Transfer.direction == "out")
    )
    if row is None:
        raise ValidationError(
            f"本单位没有开出编号为 {receipt['code']} 的介绍信：这份回执不是给本单位的。"
        )
    if row.package_sha256 != receipt["package_sha256"]:
        raise ValidationError(
            f"回执对应的转接材料与本单位开出的介绍信 {row.code} 不一致（文件摘要不同）：请核实。"
        )
    state = TransferState(row.state)
    if state is not TransferState.PENDING:
        raise ValidationError(f"介绍信 {row.code} 的状态已是“{state.label}”，无需再确认。")
    arrived = date.fromisoformat(receipt["received_on"])
    if arrived < row.out_on or arrived > ctx.today:
        raise ValidationError(f"回执的接收日期 {arrived} 不在转出日期与今天之间：请核实。")
    receiver = receipt["receiver"]["org"]
    row.state, row.closed_on = TransferState.DONE.value, arrived
    row.other_fingerprint, row.other_known = fingerprint, known
    records.leave(
        ctx,
        row.member_id,
        MemberStatus.TRANSFERRED_OUT,
        arrived,
        f"组织关系转至{receiver}（介绍信 {row.code}，已回执）",
        today=ctx.today,
    )
    audit.record(
        ctx.session,
        ctx.actor,
        ENTITY,
        row.id,
        "confirm",
        after={"received_on": arrived.isoformat()},
    )
    return Outcome(transfer_row(ctx, row.id), CHANGED)


def set_package(ctx: Context, transfer_id: int, sha256: str) -> None:
    """The digest of the package written for the transfer: the receipt must name it."""
    row = get_row(ctx.session, Transfer, transfer_id, f"找不到编号为 {transfer_id} 的转接记录。")
    row.package_sha256 = sha256


# ---- reminders -------------------------------------------------------------------


def reminders(ctx: Context) -> list[Reminder]:
    """For the 工作台: transfers without a receipt past the request's lapse and past the
    months after which an unmoved member counts as 自行脱团; the same steps to do in
    智慧团建; graduates held in a 流动 branch past the profile's months."""
    rules = ctx.profile.transfer
    today = ctx.today
    found = []
    pending = [r for r in transfers(ctx, "out") if r.state is TransferState.PENDING]
    lapse_days = rules.request_lapse_days.value
    late = [r for r in pending if r.out_on + timedelta(days=lapse_days) < today]
    months = rules.unmoved_lapse_months.value
    risky = [r for r in pending if add_months(r.out_on, months) <= today]
    if late:
        names = "、".join(r.name for r in late[:5]) + ("等" if len(late) > 5 else "")
        found.append(
            Reminder(
                f"{len(late)} 名团员转出超过 {lapse_days} 天仍未收到回执：{names}"
                "（请联系转入单位）",
                late[-1].out_on + timedelta(days=lapse_days),
                False,
            )
        )
    if risky:
        names = "、".join(r.name for r in risky[:5]) + ("等" if len(risky) > 5 else "")
        found.append(
            Reminder(
                f"{len(risky)} 名团员转出中已满 {months} 个月：{names}（无正当理由不转接的视为"
                "自行脱团，请尽快落实）",
                None,
                True,
            )
        )
    undone = [r for r in pending if r.zhtj_on is None]
    if undone:
        found.append(
            Reminder(
                f"{len(undone)} 项组织关系转出尚未登记智慧团建中的办理情况："
                "请在智慧团建中发起同样的转接并登记",
                None,
                False,
            )
        )
    found += _held_graduates(ctx)
    return found


def _held_graduates(ctx: Context) -> list[Reminder]:
    rules = ctx.profile.transfer
    held = ctx.session.execute(
        select(Member.name, Member.id)
        .join(Org, Org.id == Member.branch_id)
        .where(
            Org.nature == BranchNature.MOBILE.value,
            Member.status == MemberStatus.ACTIVE.value,
            Member.voided.is_(False),
        )
    ).all()
    if not held:
        return []
    since = {
        member_id: on
        for member_id, on in ctx.session.execute(
            select(MemberEvent.member_id, MemberEvent.on)
            .where(
                MemberEvent.member_id.in_([i for _, i in held]),
                MemberEvent.kind.in_(("moved", "added", "imported", "transferred_in")),
            )
            .order_by(MemberEvent.on)
        )
    }  # the last such event wins: the day they came into the 流动 branch
    found = []
    for limit, urgent in (
        (rules.graduate_hold_max_months.value, True),
        (rules.graduate_hold_months.value, False),
    ):
        over = [n for n, i in held if i in since and add_months(since[i], limit) <= ctx.today]
        if over:
            names = "、".join(over[:5]) + ("等" if len(over) > 5 else "")
            found.append(
                Reminder(
                    f"{len(over)} 名团员在流动团支部保留组织关系已满 {limit} 个月：{names}"
                    "（请督促落实去向、办理转接）",
                    None,
                    urgent,
                )
            )
            break
    return found
