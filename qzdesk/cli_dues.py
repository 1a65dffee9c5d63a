"""`qzdesk dues …`: the 团费 book from the command line (a domain's commands in a module of
their own, as ui/ keeps a package per domain)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from qzdesk.config import DataPaths
from qzdesk.vocabulary import DuesCategory, DuesPurpose

Handler = Callable[[argparse.Namespace, DataPaths], int]


def month(text: str) -> date:
    """2026-03 (or 2026-3) as its first day."""
    try:
        year, number = (int(part) for part in text.strip().split("-")[:2])
        return date(year, number, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是月份（写作 2026-03）") from None


def months(text: str) -> tuple[date, date]:
    """2026-01:2026-06, or one month."""
    first, _, last = text.partition(":")
    return month(first), month(last or first)


def add_parser(
    sub: Any,
    common: argparse.ArgumentParser,
    run: Callable[..., int],
    ask: Callable[..., int],
) -> None:
    dues = sub.add_parser("dues", parents=[common], help="团费：计算依据、交纳、欠交情况")
    dues_sub = dues.add_subparsers(dest="dues_command", metavar="操作", required=True)
    basis = dues_sub.add_parser("basis", parents=[common], help="登记某团员从某月起的交纳类别")
    basis.add_argument("--id-number", required=True, metavar="身份证号")
    basis.add_argument(
        "--category",
        required=True,
        choices=[c.value for c in DuesCategory],
        help="；".join(f"{c.value}：{c.label}" for c in DuesCategory),
    )
    basis.add_argument("--from", dest="from_month", type=month, required=True, metavar="2026-01")
    basis.add_argument("--income", type=float, metavar="元", help="税后月收入（按收入计算的类别）")
    basis.set_defaults(handler=lambda a, p: run(a, p, _basis))
    paying = dues_sub.add_parser("pay", parents=[common], help="登记一笔交纳")
    paying.add_argument("--id-number", required=True, metavar="身份证号")
    paying.add_argument("--months", type=months, required=True, metavar="2026-01:2026-06")
    paying.add_argument("--amount", type=float, required=True, metavar="元")
    paying.add_argument("--on", type=date.fromisoformat, required=True, metavar="交纳日期")
    paying.add_argument("--method", default="现金", help="现金、转账或线上")
    paying.add_argument("--receipt", metavar="收据号")
    paying.add_argument("--paid-by", metavar="代交人")
    paying.add_argument("--consent", metavar="支委会同意", help="预交或补交超过规定月数时")
    paying.set_defaults(handler=lambda a, p: run(a, p, _pay))
    extra = dues_sub.add_parser(
        "extra", parents=[common], help="登记自愿多交的团费（不抵应交月份）"
    )
    extra.add_argument("--id-number", required=True, metavar="身份证号")
    extra.add_argument("--amount", type=float, required=True, metavar="元")
    extra.add_argument("--on", type=date.fromisoformat, required=True, metavar="交纳日期")
    extra.add_argument("--method", default="现金", help="现金、转账或线上")
    extra.add_argument("--note", default="", metavar="说明")
    extra.set_defaults(handler=lambda a, p: run(a, p, _extra))
    status = dues_sub.add_parser("status", parents=[common], help="欠交名单和本年收缴情况")
    status.set_defaults(handler=lambda a, p: ask(a, p, _status))
    up = dues_sub.add_parser("handup", parents=[common], help="登记上缴上级团委的团费")
    up.add_argument("--amount", type=float, required=True, metavar="元")
    up.add_argument("--on", type=date.fromisoformat, required=True, metavar="上缴日期")
    up.add_argument("--receipt", default="", metavar="上级团委收据号")
    up.set_defaults(handler=lambda a, p: run(a, p, _hand_up))
    spending = dues_sub.add_parser("spend", parents=[common], help="登记一笔团费支出")
    spending.add_argument("--amount", type=float, required=True, metavar="元")
    spending.add_argument("--on", type=date.fromisoformat, required=True, metavar="支出日期")
    spending.add_argument(
        "--purpose",
        required=True,
        choices=[p.value for p in DuesPurpose],
        help="；".join(f"{p.value}：{p.label}" for p in DuesPurpose),
    )
    spending.add_argument("--meeting", type=int, metavar="会议编号", help="作出决定的会议")
    spending.add_argument("--decision", default="", metavar="决定情况", help="没有会议记录时")
    spending.add_argument("--note", default="", metavar="说明")
    spending.set_defaults(handler=lambda a, p: run(a, p, _spend))
    account = dues_sub.add_parser("account", parents=[common], help="某段时间的团费收支")
    account.add_argument("--from", dest="start", type=date.fromisoformat, metavar="起始日期")
    account.add_argument("--to", dest="end", type=date.fromisoformat, metavar="截止日期")
    account.set_defaults(handler=lambda a, p: ask(a, p, _account))
    over = dues_sub.add_parser("handover", parents=[common], help="团费交接：打印交接表")
    over.add_argument("--on", type=date.fromisoformat, metavar="交接日期（默认今天）")
    over.add_argument("--from", dest="handed_by", metavar="移交人")
    over.add_argument("--to", dest="taken_by", metavar="接交人")
    over.add_argument(
        "--counted", type=float, metavar="元", help="双方清点的金额（填写即登记本次交接）"
    )
    over.add_argument("--note", default="", metavar="差额原因")
    over.add_argument("--out", type=Path, metavar="交接表.pdf")
    over.set_defaults(handler=lambda a, p: run(a, p, _handover))


def _basis(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import book
    from qzdesk.services.members import records

    member_id = records.member_with_id_number(ctx, args.id_number)
    category = DuesCategory(args.category)
    book.set_basis(ctx, member_id, category, args.from_month, args.income)
    return (
        f"已登记：自 {args.from_month:%Y-%m} 起按“{category.label}”交纳团费。",
        {"member_id": member_id, "from": args.from_month.isoformat(), "category": category.value},
    )


def _pay(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import book
    from qzdesk.services.members import records

    member_id = records.member_with_id_number(ctx, args.id_number)
    first, last = args.months
    entry = book.pay(
        ctx,
        member_id,
        first,
        last,
        args.amount,
        args.on,
        args.method,
        args.paid_by,
        args.receipt,
        args.consent,
    ).value
    return (
        f"已登记第 {entry} 号交纳：{first:%Y-%m} 至 {last:%Y-%m}，{args.amount:.2f} 元。",
        {"entry": entry, "member_id": member_id},
    )


def _status(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import book
    from qzdesk.services.dues.amounts import yuan_text

    late = book.arrears(ctx)
    year = book.figures(ctx, date(ctx.today.year, 1, 1), ctx.today)
    rate = "—" if year.rate is None else f"{year.rate:.0%}"
    lines = [
        f"{ctx.today.year} 年截至 {ctx.today:%Y-%m-%d}：应交 {year.due_members} 人、"
        f"{yuan_text(year.due_fen)} 元；全部交清 {year.paid_members} 人（收缴率 {rate}）；"
        f"已收 {yuan_text(year.paid_fen)} 元。",
        *(
            f"欠交：{a.name} 自 {a.since:%Y-%m} 起 {a.months} 个月，{yuan_text(a.owed_fen)} 元"
            for a in late
        ),
    ]
    payload = {
        "due_members": year.due_members,
        "paid_members": year.paid_members,
        "due_yuan": yuan_text(year.due_fen),
        "paid_yuan": yuan_text(year.paid_fen),
        "arrears": [
            {
                "name": a.name,
                "months": a.months,
                "since": f"{a.since:%Y-%m}",
                "owed_yuan": yuan_text(a.owed_fen),
            }
            for a in late
        ],
    }
    return "\n".join(lines), payload


def _hand_up(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import money

    row = money.hand_up(ctx, args.amount, args.on, args.receipt).value
    return f"已登记第 {row} 号上缴：{args.amount:.2f} 元。", {"row": row}


def _spend(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import money

    purpose = DuesPurpose(args.purpose)
    row = money.spend(
        ctx, args.amount, args.on, purpose, args.meeting, args.decision, args.note
    ).value
    return f"已登记第 {row} 号支出：{purpose.label} {args.amount:.2f} 元。", {"row": row}


def _account(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import money
    from qzdesk.services.dues.amounts import yuan_text

    end = args.end or ctx.today
    start = args.start or date(end.year, 1, 1)
    acc = money.account(ctx, start, end)
    spent = "；".join(f"{p.label} {yuan_text(a)} 元" for p, a in acc.spent) or "无"
    text = (
        f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}：上期结余 {yuan_text(acc.opening_fen)} 元，"
        f"收缴 {yuan_text(acc.received_fen)} 元，上缴 {yuan_text(acc.handed_up_fen)} 元，"
        f"支出 {yuan_text(acc.spent_fen)} 元（{spent}），结余 {yuan_text(acc.closing_fen)} 元；"
        f"按留用比例尚应上缴 {yuan_text(acc.to_hand_up_fen)} 元。"
    )
    payload = {
        "opening_fen": acc.opening_fen,
        "received_fen": acc.received_fen,
        "handed_up_fen": acc.handed_up_fen,
        "spent": {p.value: a for p, a in acc.spent},
        "closing_fen": acc.closing_fen,
        "to_hand_up_fen": acc.to_hand_up_fen,
    }
    return text, payload


def _handover(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.export.pdf.dues_handover import handover_pdf
    from qzdesk.services.dues import handover, money
    from qzdesk.services.dues.amounts import yuan_text
    from qzdesk.services.files import write_atomically

    on = args.on or ctx.today
    recorded = None
    if args.counted is not None:
        recorded = money.hand_over(
            ctx, on, args.handed_by or "", args.taken_by or "", args.counted, args.note
        ).value
    sheet = handover.statement(ctx, on)
    target = args.out or Path.cwd() / f"团费交接表-{on:%Y%m%d}.pdf"
    write_atomically(target, handover_pdf(sheet))
    text = f"交接表已写入 {target}；账面余额 {yuan_text(sheet.account.closing_fen)} 元。" + (
        f"已登记第 {recorded} 号交接。" if recorded else ""
    )
    return text, {"file": str(target), "balance_fen": sheet.account.closing_fen, "row": recorded}


def _extra(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.dues import book
    from qzdesk.services.members import records

    member_id = records.member_with_id_number(ctx, args.id_number)
    entry = book.give_extra(ctx, member_id, args.amount, args.on, args.method, args.note).value
    return f"已登记第 {entry} 号自愿多交：{args.amount:.2f} 元。", {"entry": entry}
