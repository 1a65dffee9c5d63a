"""The 团费交接表: what one secretary hands to the next, taken from the book as it stands on
the handover day: the money since the last handover (or since the book began), each row
of it, how far every member has paid and who is behind. Both secretaries sign the paper;
the balance they counted is recorded by `money.hand_over`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from qzdesk.models import DuesEntry, DuesMoney, Member, Org
from qzdesk.services.context import Context
from qzdesk.services.dues import book, money
from qzdesk.vocabulary import DuesMoneyKind, MemberStatus


@dataclass(frozen=True)
class Handover:
    organisation: str
    on: date
    since: date  # the day after the last handover, or the book's first day
    account: money.Account
    rows: tuple[money.MoneyRow, ...]
    paid_to: tuple[tuple[str, str, str], ...]  # branch, name, 团费交至
    arrears: tuple[book.Arrear, ...]
    counted: tuple[money.MoneyRow, ...]  # the handovers recorded on the day
    taken_at: datetime


def statement(ctx: Context, on: date) -> Handover:
    """The statement for a handover on `on` (today or a day past)."""
    last = ctx.session.scalar(
        select(func.max(DuesMoney.on)).where(
            DuesMoney.kind == DuesMoneyKind.HANDOVER.value, DuesMoney.on < on
        )
    )
    first = ctx.session.scalar(select(func.min(DuesEntry.on))) or on
    since = date.fromordinal(last.toordinal() + 1) if last else min(first, on)
    rows = money.rows(ctx, since, on)
    members = ctx.session.execute(
        select(Member.id, Member.name, Org.name)
        .join(Org, Org.id == Member.branch_id)
        .where(Member.voided.is_(False), Member.status == MemberStatus.ACTIVE.value)
        .order_by(Org.position, Member.id)
    ).all()
    return Handover(
        ctx.overview.root.name,
        on,
        since,
        money.account(ctx, since, on),
        tuple(r for r in rows if r.kind is not DuesMoneyKind.HANDOVER),
        tuple((branch, name, book.paid_to(ctx, mid).text) for mid, name, branch in members),
        tuple(book.arrears(ctx, on)),
        tuple(r for r in rows if r.kind is DuesMoneyKind.HANDOVER and r.on == on),
        ctx.now,
    )
