"""`qzdesk transfer …`: 组织关系转接 from the command line: out (one signed package per
member), receive (the member arrives; a signed 回执 is written), confirm (the 回执 closes
the transfer at the sender), list, and a member's 成长档案 as a PDF."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from qzdesk.services.errors import QzdeskError
from qzdesk.vocabulary import TransferCause


class Refused(QzdeskError):
    """A package or 回执 that does not verify: nothing taken from it."""

    exit_code = 4


def cause(text: str) -> TransferCause:
    found = TransferCause.from_text(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"“{text}”不是转接原因（可选：升学、就业、其他）")
    return found


def add_parser(sub: Any, common: argparse.ArgumentParser, run: Callable[..., int]) -> None:
    transfer = sub.add_parser("transfer", parents=[common], help="组织关系转接与成长档案")
    ops = transfer.add_subparsers(dest="transfer_command", metavar="操作", required=True)
    out = ops.add_parser("out", parents=[common], help="转出：每人生成一份签名的转接材料")
    out.add_argument("--member", nargs="+", required=True, metavar="身份证号")
    out.add_argument("--to", required=True, metavar="转入单位")
    out.add_argument("--to-parent", required=True, metavar="转入单位的上级团组织")
    out.add_argument("--cause", type=cause, required=True, metavar="升学|就业|其他")
    out.add_argument("--on", type=date.fromisoformat, metavar="转出日期（默认今天）")
    out.add_argument("--out", type=Path, metavar="DIR", help="材料写到哪个文件夹（默认当前）")
    out.set_defaults(handler=lambda a, p: run(a, p, _out))
    receive = ops.add_parser("receive", parents=[common], help="转入：核验转接材料并登记团员")
    receive.add_argument("files", type=Path, nargs="+", metavar="FILE.pdf", help="可一次接收多份")
    receive.add_argument("--branch", metavar="团支部", help="转入哪个团支部（只有一个时可省略）")
    receive.add_argument("--fingerprint", metavar="指纹", help="介绍信上印的转出单位证书指纹")
    receive.add_argument("--out", type=Path, metavar="DIR", help="回执写到哪个文件夹（默认当前）")
    receive.set_defaults(handler=lambda a, p: run(a, p, _receive))
    confirm = ops.add_parser("confirm", parents=[common], help="收到回执：确认已转出")
    confirm.add_argument("file", type=Path, metavar="FILE.pdf")
    confirm.add_argument("--fingerprint", metavar="指纹", help="转入单位的证书指纹")
    confirm.set_defaults(handler=lambda a, p: run(a, p, _confirm))
    listing = ops.add_parser("list", parents=[common], help="列出转接记录")
    listing.set_defaults(handler=lambda a, p: run(a, p, _list))
    dossier = ops.add_parser("dossier", parents=[common], help="导出某团员的成长档案 PDF")
    dossier.add_argument("--member", required=True, metavar="身份证号")
    dossier.add_argument("--out", type=Path, metavar="FILE.pdf")
    dossier.set_defaults(handler=lambda a, p: run(a, p, _dossier))


def _out(ctx: Any, args: argparse.Namespace, password: str) -> tuple[str, dict[str, Any]]:
    from qzdesk.export.transfer import send
    from qzdesk.services.members import records
    from qzdesk.services.transfer import book
    from qzdesk.services.transfer.snapshot import Side

    side = Side(args.to, args.to_parent)
    moves = [
        book.Move(records.member_with_id_number(ctx, n), side, args.cause) for n in args.member
    ]
    saved = send(ctx, moves, args.on, password, args.out or Path.cwd()).value
    lines = [f"已转出 {len(saved)} 人（转出中，待转入单位回执）："]
    lines += [f"  {s.name}：介绍信 {s.code}，材料 {s.path}" for s in saved]
    payload = {"packages": [{"code": s.code, "name": s.name, "file": str(s.path)} for s in saved]}
    return "\n".join(lines), payload


def _branch(ctx: Any, name: str | None) -> int:
    branches = ctx.overview.open_branches
    if name is None and len(branches) == 1:
        return int(branches[0].id)
    found = [b for b in branches if b.name == name]
    if not found:
        listed = "、".join(b.name for b in branches)
        raise QzdeskError(f"请用 --branch 指定转入的团支部（可选：{listed}）。")
    return int(found[0].id)


def _receive(ctx: Any, args: argparse.Namespace, password: str) -> tuple[str, dict[str, Any]]:
    from qzdesk.export.transfer import open_package, read_file, receive_files

    for path in args.files:  # every file verified before any is taken in
        opened = open_package(ctx, read_file(path), args.fingerprint)
        if not opened.usable:
            raise Refused("\n".join([f"文件：{path}", *opened.report()]))
    arrivals = receive_files(
        ctx,
        args.files,
        _branch(ctx, args.branch),
        password,
        args.out or Path.cwd(),
        args.fingerprint,
    ).value
    lines = [
        f"{a.name} 已转入"
        + ("" if a.known else "（转出单位证书未登记，已标注“未登记”）")
        + f"；回执：{a.receipt}"
        for a in arrivals
    ]
    lines.append(f"共 {len(arrivals)} 人转入。请把回执交回转出单位。")
    payload = {
        "arrivals": [
            {"transfer": a.transfer_id, "name": a.name, "receipt": str(a.receipt), "known": a.known}
            for a in arrivals
        ]
    }
    return "\n".join(lines), payload


def _confirm(ctx: Any, args: argparse.Namespace, _password: str) -> tuple[str, dict[str, Any]]:
    from qzdesk.export.transfer import confirm_file, open_receipt, read_file

    opened = open_receipt(ctx, read_file(args.file), args.fingerprint)
    if not opened.usable:
        raise Refused("\n".join([f"文件：{args.file}", *opened.report()]))
    row = confirm_file(ctx, args.file, args.fingerprint).value
    text = (
        f"{row.name} 已转出至{row.receiver.org}"
        f"（{row.closed_on:%Y-%m-%d} 转入，介绍信 {row.code}）。"
    )
    return text, {"code": row.code, "state": row.state.value}


def _list(ctx: Any, _args: argparse.Namespace, _password: str) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.transfer import book

    rows = book.transfers(ctx)
    lines = [
        f"{r.out_on:%Y-%m-%d} {'转出' if r.direction == 'out' else '转入'} {r.name} "
        f"{r.other_side} {r.state.label} {r.code}"
        for r in rows
    ] or ["还没有转接记录。"]
    payload = {
        "transfers": [
            {
                "code": r.code,
                "direction": r.direction,
                "name": r.name,
                "state": r.state.value,
                "other": r.other_side,
                "out_on": r.out_on.isoformat(),
            }
            for r in rows
        ]
    }
    return "\n".join(lines), payload


def _dossier(ctx: Any, args: argparse.Namespace, _password: str) -> tuple[str, dict[str, Any]]:
    from qzdesk.export.transfer import dossier_pdf
    from qzdesk.services.files import write_atomically
    from qzdesk.services.members import records
    from qzdesk.services.transfer.take import take_dossier

    dossier = take_dossier(ctx, records.member_with_id_number(ctx, args.member))
    target = args.out or Path.cwd() / f"成长档案-{dossier.name}.pdf"
    write_atomically(target, dossier_pdf(dossier))
    return f"已导出{dossier.name}的成长档案：{target}", {"file": str(target)}
