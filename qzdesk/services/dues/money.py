"""团费, the money side: what the branch holds (collected, less what was passed up to the
committee and what was spent), amounts passed up with the committee's receipt, spending on
one of the purposes the rules allow with the meeting or decision behind it, the balance
at any day, and the balance counted at a handover between secretaries. Append-only; a
correction is a reversing row with its reason. The day is the context's (Beijing)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from qzdesk.models import DuesEntry, DuesMoney, Meeting
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dues.amounts import fen, yuan_text
from qzdesk.services.dues.book import reversible
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.periods import instant_text
from qzdesk.vocabulary import UNKNOWN, DuesEntryKind, DuesMoneyKind, DuesPurpose

CHANGED = frozenset({Topic.DUES, Topic.AUDIT})
ENTITY = "dues_money"
_OUT = (DuesMoneyKind.HANDED_UP.value, DuesMoneyKind.SPENT.value)


@dataclass(frozen=True)
class MoneyRow:
    """One row of the money side as the page and the handover statement list it."""

    id: int
    kind: DuesMoneyKind
    on: date
    amount_fen: int
    what: str  # purpose and decision, the receipt, or who handed over to whom
    reversed: bool


@dataclass(frozen=True)
class Account:
    """The money of the days [start, end]: the balance brought in, what came in and went
    out, the balance carried; and what the kept share leaves owed to the committee."""

    start: date
    end: date
    opening_fen: int
    received_fen: int  # payments and voluntary extras made in the days (net of reversals)
    handed_up_fen: int
    spent: tuple[tuple[DuesPurpose, int], ...]  # by purpose, the rules' order
    closing_fen: int
    to_hand_up_fen: int  # at the end: the committee's share of all collected, less passed up

    @property
    def spent_fen(self) -> int:
        return sum(amount for _, amount in self.spent)


# ---- recording -------------------------------------------------------------------


def hand_up(ctx: Context, amount_yuan: float, on: date, receipt_no: str = "") -> Outcome[int]:
    """An amount passed up to the committee, with the committee's receipt number (未填
    until it is written on a later correction)."""
    amount = _amount(ctx, amount_yuan, on)
    row = DuesMoney(kind=DuesMoneyKind.HANDED_UP.value, receipt_no=receipt_no.strip() or None)
    return Outcome(_post(ctx, row, amount, on), CHANGED)


def spend(
    ctx: Context,
    amount_yuan: float,
    on: date,
    purpose: DuesPurpose,
    meeting_id: int | None = None,
    decision: str = "",
    note: str = "",
) -> Outcome[int]:
    """Spending on one of the purposes, decided collectively: the meeting whose minutes
    decided it, or where those minutes are not kept here, the decision in words."""
    if meeting_id is not None:
        meeting = get_row(ctx.session, Meeting, meeting_id, f"找不到编号为 {meeting_id} 的会议。")
        if meeting.held_on > on:
            raise ValidationError("作出决定的会议应在支出之前召开。", "meeting")
    elif not decision.strip():
        raise ValidationError(
            "团费的使用须集体研究决定：请选择作出决定的会议，或写明决定情况。", "decision"
        )
    amount = _amount(ctx, amount_yuan, on)
    row = DuesMoney(
        kind=DuesMoneyKind.SPENT.value,
        purpose=purpose.value,
        meeting_id=meeting_id,
        decision=decision.strip() or None,
        note=note.strip() or None,
    )
    return Outcome(_post(ctx, row, amount, on), CHANGED)


def hand_over(
    ctx: Context, on: date, handed_by: str, taken_by: str, counted_yuan: float, note: str = ""
) -> Outcome[int]:
    """The balance both secretaries counted at a handover. Where the count differs from
    the book the difference must be explained; the book's balance is not changed by it."""
    if on > ctx.today:
        raise ValidationError("交接日期不能晚于今天。", "on")
    if not handed_by.strip() or not taken_by.strip():
        raise ValidationError("请填写移交人和接交人。", "names")
    counted = fen(counted_yuan)
    book = balance(ctx, on)
    if counted != book and not note.strip():
        raise ValidationError(
            f"清点金额 {yuan_text(counted)} 元与账面余额 {yuan_text(book)} 元不符："
            "请写明差额原因。",
            "note",
        )
    row = DuesMoney(
        kind=DuesMoneyKind.HANDOVER.value,
        handed_by=handed_by.strip(),
        taken_by=taken_by.strip(),
        note=note.strip() or None,
    )
    return Outcome(_post(ctx, row, counted, on), CHANGED)


def reverse(ctx: Context, row_id: int, reason: str) -> Outcome[int]:
    """A correction: a reversing row; the one it cancels stays."""
    row = reversible(ctx, DuesMoney, row_id, reason, "团费收支记录")
    reversal = DuesMoney(kind=DuesMoneyKind.REVERSAL.value, reverses_id=row.id, note=reason)
    return Outcome(_post(ctx, reversal, -row.amount_fen, ctx.today), CHANGED)


def _amount(ctx: Context, amount_yuan: float, on: date) -> int:
    """An amount going out: positive, on a day not to come, and no more than is held."""
    if on > ctx.today:
        raise ValidationError("日期不能晚于今天。", "on")
    amount = fen(amount_yuan)
    if amount <= 0:
        raise ValidationError("金额应大于 0。", "amount")
    held = balance(ctx, on)
    if amount > held:
        raise ValidationError(
            f"{on:%Y-%m-%d} 账面余额只有 {yuan_text(held)} 元，不足 {yuan_text(amount)} 元。",
            "amount",
        )
    return amount


def _post(ctx: Context, row: DuesMoney, amount: int, on: date) -> int:
    row.amount_fen, row.on = amount, on
    row.recorded_by, row.recorded_at = ctx.actor, instant_text(ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(
        ctx.session,
        ctx.actor,
        ENTITY,
        row.id,
        row.kind,
        after={"on": on.isoformat(), "amount": yuan_text(amount)},
    )
    return row.id


# ---- reading ---------------------------------------------------------------------


def _received(ctx: Context, after: date | None, until: date) -> int:
    """Payments and extras made in the days (after, until], net of their reversals."""
    query = select(DuesEntry.amount_fen).where(
        DuesEntry.kind.in_(
            (DuesEntryKind.PAYMENT.value, DuesEntryKind.EXTRA.value, DuesEntryKind.REVERSAL.value)
        ),
        DuesEntry.on <= until,
    )
    if after is not None:
        query = query.where(DuesEntry.on > after)
    return sum(ctx.session.scalars(query))


def _out_rows(ctx: Context, until: date) -> list[tuple[DuesMoney, DuesMoney | None]]:
    """Every row passed up or spent by `until`, with the row it reverses for reversals."""
    rows = {r.id: r for r in ctx.session.scalars(select(DuesMoney).where(DuesMoney.on <= until))}
    found = []
    for row in rows.values():
        if row.kind in _OUT:
            found.append((row, None))
        elif row.kind == DuesMoneyKind.REVERSAL.value and row.reverses_id in rows:
            cancelled = rows[row.reverses_id]
            if cancelled.kind in _OUT:
                found.append((row, cancelled))
    return found


def balance(ctx: Context, as_of: date | None = None) -> int:
    """What the branch holds at the end of the day: collected, less passed up and spent."""
    as_of = as_of or ctx.today
    out = sum(row.amount_fen for row, _ in _out_rows(ctx, as_of))
    return _received(ctx, None, as_of) - out


def account(ctx: Context, start: date, end: date) -> Account:
    """The money of the days [start, end], read from the book as it stood at `end`."""
    before = start - timedelta(days=1)
    handed_up, spent = 0, defaultdict(int)
    for row, cancelled in _out_rows(ctx, end):
        if row.on < start:
            continue
        kind = cancelled.kind if cancelled else row.kind
        if kind == DuesMoneyKind.HANDED_UP.value:
            handed_up += row.amount_fen
        else:
            purpose = (cancelled or row).purpose
            spent[DuesPurpose(purpose)] += row.amount_fen
    collected = _received(ctx, None, end)
    passed_up = sum(
        row.amount_fen
        for row, cancelled in _out_rows(ctx, end)
        if (cancelled or row).kind == DuesMoneyKind.HANDED_UP.value
    )
    share = round(collected * (1 - ctx.profile.dues.kept_share.value))
    return Account(
        start,
        end,
        balance(ctx, before),
        _received(ctx, before, end),
        handed_up,
        tuple((p, spent[p]) for p in DuesPurpose if spent.get(p)),
        balance(ctx, end),
        max(share - passed_up, 0),
    )


def rows(ctx: Context, start: date, end: date) -> list[MoneyRow]:
    """The money rows of the days, oldest first, with what each one was."""
    found = list(
        ctx.session.scalars(
            select(DuesMoney)
            .where(DuesMoney.on >= start, DuesMoney.on <= end)
            .order_by(DuesMoney.on, DuesMoney.id)
        )
    )
    cancelled = set(
        ctx.session.scalars(select(DuesMoney.reverses_id).where(DuesMoney.reverses_id.is_not(None)))
    )
    meetings = {
        m.id: m
        for m in ctx.session.scalars(
            select(Meeting).where(Meeting.id.in_([r.meeting_id for r in found if r.meeting_id]))
        )
    }
    return [
        MoneyRow(
            r.id,
            DuesMoneyKind(r.kind),
            r.on,
            r.amount_fen,
            _what(r, meetings.get(r.meeting_id) if r.meeting_id else None),
            r.id in cancelled,
        )
        for r in found
    ]


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.held_on:%Y-%m-%d} {MeetingKind(meeting.kind).label}“{meeting.topic}”"


def deciding_meetings(ctx: Context, on: date) -> list[tuple[int, str]]:
    """Signed minutes of the year up to `on`, newest first: the meetings a spending may
    name as its decision."""
    since = on.replace(year=on.year - 1)
    found = ctx.session.scalars(
        select(Meeting)
        .where(Meeting.status == "signed", Meeting.held_on <= on, Meeting.held_on > since)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    )
    return [(m.id, _meeting_label(m)) for m in found]


def _what(row: DuesMoney, meeting: Meeting | None) -> str:
    kind = DuesMoneyKind(row.kind)
    if kind is DuesMoneyKind.HANDED_UP:
        return f"上级团委收据号：{row.receipt_no or UNKNOWN}"
    if kind is DuesMoneyKind.SPENT:
        decided = f"{_meeting_label(meeting)}决定" if meeting else f"{row.decision}"
        return f"{DuesPurpose(row.purpose).label}；{decided}" + (
            f"；{row.note}" if row.note else ""
        )
    if kind is DuesMoneyKind.HANDOVER:
        return f"{row.handed_by} 移交 {row.taken_by}（清点数）" + (
            f"；{row.note}" if row.note else ""
        )
    return f"冲销第 {row.reverses_id} 号：{row.note}"
