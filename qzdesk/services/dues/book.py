"""The 团费 book: each member's basis from a month on, payments covering months, 减免 with
their approval, corrections by reversal; per member and month what was owed and whether
it was met; arrears; and a period's figures (应交/实交人数 and 金额, 收缴率, 欠交 ≥ 6 月).
Every operation takes the desk's context; the day is the context's (Beijing)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import DuesBasis, DuesEntry, DuesMoney, Member, Org, Transfer
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.dues.amounts import fen, month_of, monthly_fen, months_between, yuan_text
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.organisation.rules import DuesRules
from qzdesk.services.periods import instant_text
from qzdesk.vocabulary import DuesCategory, DuesEntryKind, MemberStatus

CHANGED = frozenset({Topic.DUES, Topic.AUDIT})
METHODS = ("现金", "转账", "线上")
ENTITY = "dues"
_CACHE = "qzdesk.dues.book"  # the session's info keys of what is read once
_PEOPLE = "qzdesk.dues.people"
R = TypeVar("R", DuesEntry, DuesMoney)


@dataclass(frozen=True)
class Basis:
    from_month: date
    category: DuesCategory
    income_fen: int | None


@dataclass(frozen=True)
class Month:
    """One month of one member: what was owed (None: no basis yet, 未定档) and how met."""

    month: date
    due_fen: int | None
    paid: bool
    exempt: bool

    @property
    def owing(self) -> bool:
        return bool(self.due_fen) and not (self.paid or self.exempt)


@dataclass(frozen=True)
class Arrear:
    member_id: int
    name: str
    months: int  # consecutive unpaid months up to the last ended month
    owed_fen: int
    since: date


@dataclass(frozen=True)
class DuesFigures:
    """A period's 收缴 as the archive and the committee's summary read it."""

    due_members: int  # 应交人数: members owing something in the period
    paid_members: int  # 实交人数: of them, who met every month of it
    due_fen: int  # 应交金额
    paid_fen: int  # 实交金额: payments made in the period, whatever months they cover
    lapsing: tuple[str, ...]  # names, 6 months or more unpaid at the period's end

    @property
    def rate(self) -> float | None:
        """收缴率: the members who met every month owed, over those who owed."""
        return self.paid_members / self.due_members if self.due_members else None


# ---- recording -------------------------------------------------------------------


def set_basis(
    ctx: Context,
    member_id: int,
    category: DuesCategory,
    from_month: date,
    income_yuan: float | None = None,
) -> Outcome[None]:
    """The member's dues are reckoned this way from `from_month` on (a change mid-year is
    a new row: the months before keep theirs)."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    if category.by_income and income_yuan is None:
        raise ValidationError(f"“{category.label}”须填写月收入（元）。", "income")
    if income_yuan is not None and income_yuan < 0:
        raise ValidationError("月收入不能为负数。", "income")
    row = DuesBasis(
        member_id=member.id,
        from_month=month_of(from_month),
        category=category.value,
        income_fen=fen(income_yuan) if income_yuan is not None else None,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    _recorded(
        ctx,
        row,
        member.id,
        "basis",
        {"from": f"{row.from_month:%Y-%m}", "category": category.value},
    )
    return Outcome(None, CHANGED)


def pay(
    ctx: Context,
    member_id: int,
    first_month: date,
    last_month: date,
    amount_yuan: float,
    on: date,
    method: str = "现金",
    paid_by: str | None = None,
    receipt_no: str | None = None,
    consent: str | None = None,
) -> Outcome[int]:
    """A payment covering the months [first, last]. Months already met are refused;
    paying more than the profile's months ahead or behind needs the 支委会's consent
    written in `consent`. The amount is what was handed over; what the months owed is
    the book's to compare."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    rules = ctx.profile.dues
    months = _months(first_month, last_month)
    if on > ctx.today:
        raise ValidationError("交纳日期不能晚于今天。", "on")
    if method not in METHODS:
        raise ValidationError(f"交纳方式应为{'、'.join(METHODS)}之一。", "method")
    if amount_yuan <= 0:
        raise ValidationError("金额应大于 0。", "amount")
    met = {m.month for m in statement(ctx, member_id, months[-1]) if m.paid or m.exempt}
    if already := [m for m in months if m in met]:
        raise ValidationError(
            f"{'、'.join(f'{m:%Y-%m}' for m in already)} 已经交过或已减免：更正请先冲销原记录。",
            "months",
        )
    limit = rules.pay_ahead_months.value
    current = month_of(on)
    ahead = sum(1 for m in months if m > current)
    behind = sum(1 for m in months if m < current)
    if max(ahead, behind) > limit and not (consent and consent.strip()):
        raise ValidationError(
            f"一次预交或补交超过 {limit} 个月（预交 {ahead}、补交 {behind} 个月），"
            "须经支委会同意：请写明同意的会议或日期。",
            "consent",
        )
    return Outcome(
        _post(
            ctx,
            member,
            DuesEntryKind.PAYMENT,
            months,
            fen(amount_yuan),
            on,
            method=method,
            paid_by=paid_by,
            receipt_no=receipt_no,
            note=consent,
        ),
        CHANGED,
    )


@dataclass(frozen=True)
class Collected:
    """One member's line of a collection session: the months paid and the amount."""

    member_id: int
    first_month: date
    last_month: date
    amount_yuan: float


def collect(
    ctx: Context, on: date, lines: list[Collected], method: str = "现金", consent: str = ""
) -> Outcome[list[int]]:
    """A collection session (at a meeting, the secretary ticks who paid): every line a
    payment, all in one unit of work; a line refused refuses the session, naming whom."""
    if not lines:
        raise ValidationError("没有勾选交纳的团员。", "lines")
    names = dict(
        ctx.session.execute(
            select(Member.id, Member.name).where(Member.id.in_([x.member_id for x in lines]))
        ).all()
    )
    entries = []
    for line in lines:
        try:
            entries.append(
                pay(
                    ctx,
                    line.member_id,
                    line.first_month,
                    line.last_month,
                    line.amount_yuan,
                    on,
                    method,
                    consent=consent or None,
                ).value
            )
        except ValidationError as exc:
            who = names.get(line.member_id, f"编号 {line.member_id}")
            raise ValidationError(f"{who}：{exc}", "lines") from exc
    return Outcome(entries, CHANGED)


def give_extra(
    ctx: Context,
    member_id: int,
    amount_yuan: float,
    on: date,
    method: str = "现金",
    note: str = "",
) -> Outcome[int]:
    """自愿多交: an amount given beyond what is owed, kept apart: it meets no month and is
    not counted as 实交 of what was owed, but it is money the branch holds."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    if on > ctx.today:
        raise ValidationError("交纳日期不能晚于今天。", "on")
    if method not in METHODS:
        raise ValidationError(f"交纳方式应为{'、'.join(METHODS)}之一。", "method")
    if amount_yuan <= 0:
        raise ValidationError("金额应大于 0。", "amount")
    entry = _post(
        ctx,
        member,
        DuesEntryKind.EXTRA,
        [month_of(on)],
        fen(amount_yuan),
        on,
        method=method,
        note=note.strip() or None,
    )
    return Outcome(entry, CHANGED)


def exempt(
    ctx: Context, member_id: int, first_month: date, last_month: date, approval: str, on: date
) -> Outcome[int]:
    """减免 of the months, with who approved it (a 支委会 or the committee above)."""
    if not approval.strip():
        raise ValidationError("减免须写明批准情况（如“支委会 2026-03-02 同意”）。", "approval")
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    months = _months(first_month, last_month)
    return Outcome(
        _post(ctx, member, DuesEntryKind.EXEMPTION, months, 0, on, note=approval), CHANGED
    )


def reversible(ctx: Context, model: type[R], row_id: int, reason: str, what: str) -> R:
    """The row a correction cancels: a reason given, the row there, neither a reversal
    itself nor reversed already. The book and the money side correct alike."""
    if not reason.strip():
        raise ValidationError("冲销须写明原因。", "reason")
    row = get_row(ctx.session, model, row_id, f"找不到第 {row_id} 号{what}。")
    again = ctx.session.scalar(select(model.id).where(model.reverses_id == row.id))
    if row.kind == "reversal" or again is not None:
        raise ValidationError(f"第 {row_id} 号记录已冲销过或本身是冲销。", "entry")
    return row


def reverse(ctx: Context, entry_id: int, reason: str) -> Outcome[int]:
    """A correction: a reversing entry; the one it cancels stays in the book."""
    entry = reversible(ctx, DuesEntry, entry_id, reason, "团费记录")
    member = get_row(ctx.session, Member, entry.member_id, "找不到该团员。")
    months = months_between(entry.first_month, entry.last_month)
    return Outcome(
        _post(
            ctx,
            member,
            DuesEntryKind.REVERSAL,
            months,
            -entry.amount_fen,
            ctx.today,
            note=reason,
            reverses_id=entry.id,
        ),
        CHANGED,
    )


def _months(first: date, last: date) -> list[date]:
    months = months_between(first, last)
    if not months:
        raise ValidationError("起止月份不对：起始月不能晚于截止月。", "months")
    return months


def _post(
    ctx: Context,
    member: Member,
    kind: DuesEntryKind,
    months: list[date],
    amount: int,
    on: date,
    **fields: object,
) -> int:
    row = DuesEntry(
        member_id=member.id,
        kind=kind.value,
        first_month=months[0],
        last_month=months[-1],
        amount_fen=amount,
        on=on,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
        **fields,
    )
    _recorded(
        ctx,
        row,
        member.id,
        kind.value,
        {"months": f"{months[0]:%Y-%m}–{months[-1]:%Y-%m}", "amount": yuan_text(amount)},
    )
    return row.id


def _recorded(
    ctx: Context, row: DuesBasis | DuesEntry, member_id: int, action: str, after: dict[str, object]
) -> None:
    """The row written and the audit log saying so (with the row's number)."""
    ctx.session.info.pop(_CACHE, None)
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(ctx.session, ctx.actor, ENTITY, member_id, action, after={"row": row.id, **after})


# ---- reading ---------------------------------------------------------------------


def _bases(session: Session, member_ids: list[int] | None = None) -> dict[int, list[Basis]]:
    query = select(DuesBasis).order_by(DuesBasis.from_month, DuesBasis.id)
    if member_ids is not None:
        query = query.where(DuesBasis.member_id.in_(member_ids))
    found: dict[int, list[Basis]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.member_id].append(
            Basis(row.from_month, DuesCategory(row.category), row.income_fen)
        )
    return found


def _covered(session: Session, member_ids: list[int] | None = None) -> dict[int, dict[date, str]]:
    """Member → month → "paid" / "exempt", from the entries not reversed."""
    query = select(DuesEntry).order_by(DuesEntry.id)
    if member_ids is not None:
        query = query.where(DuesEntry.member_id.in_(member_ids))
    entries = list(session.scalars(query))
    cancelled = {e.reverses_id for e in entries if e.reverses_id is not None}
    found: dict[int, dict[date, str]] = defaultdict(dict)
    for e in entries:
        if e.id in cancelled or e.kind not in ("payment", "exemption"):
            continue
        how = "paid" if e.kind == "payment" else "exempt"
        for month in months_between(e.first_month, e.last_month):
            found[e.member_id][month] = how
    return found


def _whole_book(
    ctx: Context,
) -> tuple[dict[int, list[Basis]], dict[int, dict[date, str]]]:
    """Every member's bases and months met, read once per operation: the 团费 page asks
    for the grid, the arrears, the figures and a collection's lines in one read. A write
    in the operation forgets it (`_recorded`)."""
    cached = ctx.session.info.get(_CACHE)
    if cached is None:
        cached = ctx.session.info[_CACHE] = (_bases(ctx.session), _covered(ctx.session))
    return cached


def _due(rules: DuesRules, bases: list[Basis], month: date) -> int | None:
    current = next((b for b in reversed(bases) if b.from_month <= month), None)
    return None if current is None else monthly_fen(rules, current.category, current.income_fen)


def _first_month(member: Member | _Person, bases: list[Basis]) -> date | None:
    """Dues start in the month the admission was approved (入团年月); where that is not
    known, from the first basis recorded."""
    if member.joined_on is not None:
        return month_of(member.joined_on)
    return bases[0].from_month if bases else None


def _months_of(
    rules: DuesRules,
    member: Member | _Person,
    bases: list[Basis],
    covered: dict[date, str],
    last: date,
) -> list[Month]:
    first = _first_month(member, bases)
    if first is None:
        return []
    end = month_of(member.left_on) if member.left_on else month_of(last)
    return [
        Month(m, _due(rules, bases, m), covered.get(m) == "paid", covered.get(m) == "exempt")
        for m in months_between(first, min(end, month_of(last)))
    ]


def statement(ctx: Context, member_id: int, last_month: date | None = None) -> list[Month]:
    """The member's months from the start of their dues to `last_month` (this month)."""
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    bases = _bases(ctx.session, [member_id]).get(member_id, [])
    covered = _covered(ctx.session, [member_id]).get(member_id, {})
    return _months_of(ctx.profile.dues, member, bases, covered, last_month or ctx.today)


def _unpaid_run(months: list[Month]) -> list[Month]:
    """The owing months in a row up to the last one: a month that owed nothing (a 预备党员,
    no basis yet) neither breaks nor lengthens it; one met ends it."""
    run: list[Month] = []
    for month in reversed(months):
        if not month.due_fen:
            continue
        if not month.owing:
            break
        run.append(month)
    return run[::-1]


class _Person(NamedTuple):
    """A member as the book reckons them: enough to say which months they owe."""

    id: int
    name: str
    joined_on: date | None
    left_on: date | None
    status: str
    branch: str
    going: bool  # 转出中: the 介绍信 states how far they paid; the old branch no longer collects


def _people(ctx: Context) -> list[_Person]:
    """Every member not voided, in roster order, read once per operation."""
    cached = ctx.session.info.get(_PEOPLE)
    if cached is None:
        going = set(
            ctx.session.scalars(
                select(Transfer.member_id).where(
                    Transfer.direction == "out", Transfer.state == "pending"
                )
            )
        )
        cached = ctx.session.info[_PEOPLE] = [
            _Person(*row, row.id in going)
            for row in ctx.session.execute(
                select(
                    Member.id,
                    Member.name,
                    Member.joined_on,
                    Member.left_on,
                    Member.status,
                    Org.name,
                )
                .join(Org, Org.id == Member.branch_id)
                .where(Member.voided.is_(False))
                .order_by(Org.position, Member.id)
            )
        ]
    return cached


def _on_books(ctx: Context) -> list[_Person]:
    return [p for p in _people(ctx) if p.status == MemberStatus.ACTIVE.value]


def _collected_from(ctx: Context) -> list[_Person]:
    """Members on the books the branch collects from (not 转出中)."""
    return [p for p in _on_books(ctx) if not p.going]


def arrears(ctx: Context, as_of: date | None = None) -> list[Arrear]:
    """Members on the books with months unpaid in a row up to the last month ended by
    `as_of` (the current month is not late yet), longest first."""
    as_of = as_of or ctx.today
    last_ended = add_months(month_of(as_of), -1)
    members = _collected_from(ctx)
    bases, covered = _whole_book(ctx)
    found = []
    for member in members:
        months = _months_of(
            ctx.profile.dues,
            member,
            bases.get(member.id, []),
            covered.get(member.id, {}),
            last_ended,
        )
        if run := _unpaid_run(months):
            owed = sum(m.due_fen or 0 for m in run)
            found.append(Arrear(member.id, member.name, len(run), owed, run[0].month))
    return sorted(found, key=lambda a: (-a.months, a.member_id))


def without_basis(ctx: Context) -> list[tuple[str, str]]:
    """Members on the books whose dues are reckoned from nothing yet (no category
    recorded), each with the 交费档位 as once typed: the secretary is asked, never a guess."""
    return [
        (name, tier or "")
        for name, tier in ctx.session.execute(
            select(Member.name, Member.dues_tier)
            .where(
                Member.voided.is_(False),
                Member.status == MemberStatus.ACTIVE.value,
                Member.id.not_in(select(DuesBasis.member_id)),
            )
            .order_by(Member.id)
        )
    ]


@dataclass(frozen=True)
class Owing:
    """What a member would pay at a collection up to a month: the months not met from
    the first one owing, and what they owe."""

    member_id: int
    name: str
    branch: str
    first_month: date
    last_month: date
    due_fen: int


def owing_until(ctx: Context, month: date) -> list[Owing]:
    """Every member on the books owing something up to `month` (this month included),
    read in one pass: the collection session's lines before the secretary ticks them."""
    rules = ctx.profile.dues
    members = _collected_from(ctx)
    bases, covered = _whole_book(ctx)
    found = []
    for member in members:
        months = _months_of(
            rules, member, bases.get(member.id, []), covered.get(member.id, {}), month
        )
        owed = [m for m in months if m.owing]
        if owed:
            found.append(
                Owing(
                    member.id,
                    member.name,
                    member.branch,
                    owed[0].month,
                    owed[-1].month,
                    sum(m.due_fen or 0 for m in owed),
                )
            )
    return found


@dataclass(frozen=True)
class PaidTo:
    """How far a member's dues are paid, as a 介绍信 states it (团费交至 X 年 X 月): the
    last month met before the first month owing; and the months owing up to the last
    month ended."""

    month: date | None  # None: nothing met yet
    owing_months: int

    @property
    def text(self) -> str:
        paid = f"{self.month:%Y年%m月}" if self.month else "（尚未交纳）"
        return paid + (f"，另欠交 {self.owing_months} 个月" if self.owing_months else "")


def paid_to(ctx: Context, member_id: int) -> PaidTo:
    member = get_row(ctx.session, Member, member_id, f"找不到编号为 {member_id} 的团员。")
    bases = _bases(ctx.session, [member_id]).get(member_id, [])
    covered = _covered(ctx.session, [member_id]).get(member_id, {})
    last_ended = add_months(month_of(ctx.today), -1)
    # Paid ahead counts: the months run to the last one any entry covers.
    # Months paid at the organisation the member came from count as met (the 介绍信's
    # 团费交至, kept with the transfer in).
    brought = ctx.session.scalar(
        select(func.max(Transfer.dues_paid_to)).where(
            Transfer.member_id == member_id, Transfer.direction == "in"
        )
    )
    if brought is not None:
        first = _first_month(member, bases) or brought
        for month in months_between(first, brought):
            covered.setdefault(month, "paid")
    last = max([last_ended, *covered])
    months = _months_of(ctx.profile.dues, member, bases, covered, last)
    met = None
    for month in months:
        if month.owing and month.month <= last_ended:
            break
        if month.paid or month.exempt:
            met = month.month
    owing = sum(1 for m in months if m.owing and m.month <= last_ended)
    return PaidTo(met, owing)


@dataclass(frozen=True)
class EntryRow:
    """One line of a member's 交纳记录, as a 团员证's page lists it."""

    id: int
    on: date
    kind: DuesEntryKind
    months: str
    amount_fen: int
    how: str  # method, 代交人, receipt, the note
    reversed: bool


@dataclass(frozen=True)
class MemberDues:
    """The member form's 团费: the category in force, how far paid, and every entry."""

    basis: Basis | None
    paid_to: PaidTo
    entries: tuple[EntryRow, ...]


def member_dues(ctx: Context, member_id: int) -> MemberDues:
    bases = _bases(ctx.session, [member_id]).get(member_id, [])
    current = next((b for b in reversed(bases) if b.from_month <= month_of(ctx.today)), None)
    rows = list(
        ctx.session.scalars(
            select(DuesEntry).where(DuesEntry.member_id == member_id).order_by(DuesEntry.id)
        )
    )
    cancelled = {r.reverses_id for r in rows if r.reverses_id is not None}
    entries = tuple(
        EntryRow(
            r.id,
            r.on,
            DuesEntryKind(r.kind),
            f"{r.first_month:%Y-%m}"
            + (f"—{r.last_month:%Y-%m}" if r.last_month != r.first_month else ""),
            r.amount_fen,
            "；".join(
                part
                for part in (
                    r.method,
                    f"代交：{r.paid_by}" if r.paid_by else "",
                    f"收据 {r.receipt_no}" if r.receipt_no else "",
                    r.note,
                )
                if part
            ),
            r.id in cancelled,
        )
        for r in rows
    )
    return MemberDues(current or (bases[-1] if bases else None), paid_to(ctx, member_id), entries)


@dataclass(frozen=True)
class MemberYear:
    """One row of the 团费 page: a member on the books and their twelve months."""

    member_id: int
    name: str
    branch: str
    months: tuple[Month | None, ...]  # January first; None before their dues began


def year_grid(ctx: Context, year: int) -> list[MemberYear]:
    """Every member on the books with the year's months as the book has them (up to this
    month in the running year), read in one pass."""
    last = min(date(year, 12, 1), month_of(ctx.today))
    rules = ctx.profile.dues
    members = _on_books(ctx)
    bases, covered = _whole_book(ctx)
    found = []
    for member in members:
        months = {
            m.month: m
            for m in _months_of(
                rules, member, bases.get(member.id, []), covered.get(member.id, {}), last
            )
            if m.month.year == year
        }
        found.append(
            MemberYear(
                member.id,
                member.name,
                member.branch,
                tuple(months.get(date(year, n, 1)) for n in range(1, 13)),
            )
        )
    return found


def figures(ctx: Context, start: date, end: date) -> DuesFigures:
    """The period [start, end]'s 收缴: who owed in its months ended by `end` (a month
    under way is not owed yet) and who met every such month, the amounts, and who had
    the 团章's months or more unpaid at its end."""
    rules = ctx.profile.dues
    owed_until = add_months(month_of(end + timedelta(days=1)), -1)  # the last month ended
    members = _people(ctx)
    bases, covered = _whole_book(ctx)
    due_members = paid_members = due_total = 0
    lapsing = []
    lapse = ctx.profile.membership.lapse_months.value
    for member in members:
        months = _months_of(
            rules, member, bases.get(member.id, []), covered.get(member.id, {}), owed_until
        )
        inside = [m for m in months if m.month >= month_of(start) and m.due_fen]
        if inside:
            due_members += 1
            due_total += sum(m.due_fen or 0 for m in inside)
            paid_members += all(m.paid or m.exempt for m in inside)
        if member.status == MemberStatus.ACTIVE.value and len(_unpaid_run(months)) >= lapse:
            lapsing.append(member.name)
    paid_total = sum(
        ctx.session.scalars(
            select(DuesEntry.amount_fen).where(
                DuesEntry.kind.in_(("payment", "reversal")),
                DuesEntry.on >= start,
                DuesEntry.on <= end,
            )
        )
    )
    return DuesFigures(due_members, paid_members, due_total, paid_total, tuple(lapsing))
