"""Two years of 团费 in a demo: each member's category from the start, collected at each
month's 主题团日 by the careful branches and last collected seven months ago by the one
behind, so
the 团费 page, the arrears list and the archive's figures have something true to show.
The committee's share is passed up at each quarter's end and study materials bought in
May on a signed 支委会's decision. Recorded on the days they happened."""

from __future__ import annotations

import random
from datetime import date

from qzdesk.services.clock import FixedClock
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.desk import Desk
from qzdesk.services.dues import book, money
from qzdesk.services.dues.amounts import month_of, months_between, yuan_text
from qzdesk.services.members import records
from qzdesk.vocabulary import DuesCategory, DuesPurpose, MemberStatus


def build_dues_demo(
    desk: Desk, today: date, category: DuesCategory, behind: set[str], seed: int = 1
) -> None:
    """Through `desk`, on the day each thing happened: members of the branches in
    `behind` stopped paying seven months ago."""
    chance = random.Random(seed)
    start = date(today.year - 1, 1, 1)
    members = [r for r in desk.read(records.roster) if r.status is MemberStatus.ACTIVE]
    desk = Desk(desk.store, dict(desk.profiles), FixedClock.on(start))
    for member in members:
        first = max(start, month_of(member.joined_on or start))
        desk.write(
            book.set_basis, member.id, category, first, 3000.0 if category.by_income else None
        )
    last_paid = {
        m.id: add_months(month_of(today), -7 if m.branch_name in behind else -1) for m in members
    }
    for end in months_between(start, today):
        collected = end.replace(day=25)
        if collected > today:
            break
        on_day = Desk(desk.store, dict(desk.profiles), FixedClock.on(collected))
        on_day.write(_collect, members, end, last_paid, chance)
        if end.month % 3 == 0:  # the committee's share passed up at each quarter's end
            on_day.write(_pass_up, f"QZTW-{end.year}-{end.month // 3:02d}")
    spent_on = date(today.year, 5, 10)
    if spent_on <= today:
        Desk(desk.store, dict(desk.profiles), FixedClock.on(spent_on)).write(_buy_study_materials)


def _pass_up(ctx: Context, receipt_no: str) -> None:
    owed = money.account(ctx, ctx.today, ctx.today).to_hand_up_fen
    if owed:
        money.hand_up(ctx, owed / 100, ctx.today, receipt_no)


def _buy_study_materials(ctx: Context) -> None:
    """学习资料 bought on a 支委会's decision (the latest signed minutes before the day)."""
    meetings = money.deciding_meetings(ctx, ctx.today)
    if meetings and money.balance(ctx) >= 500:
        money.spend(ctx, 5, ctx.today, DuesPurpose.STUDY, meetings[0][0], note="团员学习读本")


def _collect(
    ctx: Context,
    members: list[records.MemberRow],
    end: date,
    last_paid: dict[int, date],
    chance: random.Random,
) -> None:
    """One month's collection: each member pays the months still owed up to it (or up to
    when they stopped); one in twenty forgets this time and pays the next."""
    for member in members:
        owed = [
            m.month
            for m in book.statement(ctx, member.id, min(end, last_paid[member.id]))
            if m.owing
        ]
        if not owed or chance.random() < 0.05:
            continue
        amount = sum(m.due_fen or 0 for m in book.statement(ctx, member.id, owed[-1]) if m.owing)
        book.pay(
            ctx,
            member.id,
            owed[0],
            owed[-1],
            float(yuan_text(amount)),
            ctx.today,
            consent="支委会同意补交" if len(owed) > 6 else None,
        )
