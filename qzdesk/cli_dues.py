"""`qzdesk dues …`: the 团费 book from the command line (a domain's commands in a module of
their own, as ui/ keeps a package per domain)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from qzdesk.config import DataPaths
from qzdesk.vocabulary import DuesCategory

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


def add_parser(sub: Any, common: argparse.ArgumentParser, run: Callable[..., int]) -> None:
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
    status = dues_sub.add_parser("status", parents=[common], help="欠交名单和本年收缴情况")
    status.set_defaults(handler=lambda a, p: run(a, p, _status))


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
