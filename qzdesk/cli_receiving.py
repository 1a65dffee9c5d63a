"""`qzdesk trust …`, `receive`, `received`: the committee's side: registering its
organisations' certificates, receiving their archives, what has come in."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from qzdesk.cli_common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    emit,
    load_profiles,
    open_signed,
)
from qzdesk.config import DataPaths
from qzdesk.services.errors import QzdeskError
from qzdesk.vocabulary import KeyEnd


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    trust = sub.add_parser("trust", parents=[common], help="证书登记：下级组织的签名证书")
    trust_sub = trust.add_subparsers(dest="trust_command", metavar="操作", required=True)
    adding = trust_sub.add_parser(
        "add", parents=[common], help="登记一份证书（核对登记表上的指纹）"
    )
    adding.add_argument("cert", type=Path, metavar="CERT.pem")
    adding.add_argument("--org", required=True, metavar="NAME", help="证书所属组织的名称")
    adding.add_argument("--fingerprint", required=True, metavar="HEX", help="证书登记表上的指纹")
    adding.set_defaults(handler=cmd_trust_add)
    listing = trust_sub.add_parser("list", parents=[common], help="列出已登记的证书")
    listing.set_defaults(handler=cmd_trust_list)
    ending = trust_sub.add_parser("end", parents=[common], help="停用一份证书（换届换钥、丢失）")
    ending.add_argument("fingerprint", metavar="FINGERPRINT")
    ending.add_argument("--reason", required=True, metavar="TEXT")
    ending.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in KeyEnd],
        help="handover：换届或换用新密钥（停用前已结束的期间仍接收）；"
        "compromised：丢失、被盗或泄露（此后一律拒收）",
    )
    ending.add_argument(
        "--from", dest="ended_on", type=date.fromisoformat, metavar="DATE", help="停用日期"
    )
    ending.set_defaults(handler=cmd_trust_end)
    receive = sub.add_parser("receive", parents=[common], help="收件：校验并收下文件夹中的台账")
    receive.add_argument("folder", type=Path, metavar="DIR")
    receive.set_defaults(handler=cmd_receive)
    received = sub.add_parser("received", parents=[common], help="报送情况：某期间谁已报送")
    received.add_argument("--period", required=True, metavar="PERIOD", help="如 2026Q1")
    received.add_argument(
        "--summary", type=Path, metavar="OUT.xlsx", help="同时导出汇总表（每个组织一行）"
    )
    received.set_defaults(handler=cmd_received)


def cmd_trust_add(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.registry import register

    with open_signed(paths, "qzdesk trust add", load_profiles(paths)) as desk:
        row = desk.write(register, args.cert, args.org, args.fingerprint).value
    emit(
        args,
        f"已登记：{row.org_name}（指纹 {row.fingerprint}）",
        {"org": row.org_name, "fingerprint": row.fingerprint},
    )
    return EXIT_OK


def cmd_trust_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.registry import registrations

    with open_signed(paths, "qzdesk trust list", load_profiles(paths)) as desk:
        rows = desk.read(registrations)
    lines = [
        f"{r.org_name}  {r.fingerprint}  {r.registered_on:%Y-%m-%d} 登记（{r.registered_by}）"
        + (f"  {r.ended_on:%Y-%m-%d} 停用：{r.end_reason}" if r.ended_on else "")
        for r in rows
    ] or ["尚未登记任何证书。"]
    payload = {
        "registrations": [
            {
                "org": r.org_name,
                "fingerprint": r.fingerprint,
                "parent": r.parent,
                "registered_on": r.registered_on.isoformat(),
                "registered_by": r.registered_by,
                "ended_on": r.ended_on.isoformat() if r.ended_on else None,
                "end_reason": r.end_reason,
            }
            for r in rows
        ]
    }
    emit(args, "\n".join(lines), payload)
    return EXIT_OK


def cmd_trust_end(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.registry import end

    with open_signed(paths, "qzdesk trust end", load_profiles(paths)) as desk:
        kind = KeyEnd(args.kind)
        row = desk.write(end, args.fingerprint, args.reason, kind, args.ended_on).value
    still = (
        "此后收到的台账一律拒收"
        if kind == KeyEnd.COMPROMISED
        else "只接收停用前已结束的期间、且停用前签发的台账"
    )
    emit(
        args,
        f"已停用：{row.org_name} 的证书（{row.ended_on:%Y-%m-%d} 起，{kind.label}；{still}）",
        {"org": row.org_name, "fingerprint": row.fingerprint, "kind": kind.value},
    )
    return EXIT_OK


def cmd_receive(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.receiving import archive_files, receive_folder

    if not args.folder.is_dir():
        raise QzdeskError(f"{args.folder} 不是文件夹：请指定存放台账的文件夹或 U 盘。")
    with open_signed(paths, "qzdesk receive", load_profiles(paths)) as desk:
        verdicts = desk.write(receive_folder, args.folder)
    lines = [
        f"{v.path.relative_to(args.folder)}  {v.label}"
        + (f"  {v.org_name} {v.period_code}" if v.org_name else "")
        + (f"：{'；'.join(v.reasons)}" if v.reasons else "")
        for v in verdicts
    ]
    accepted = sum(v.accepted for v in verdicts)
    rejected = sum(not v.accepted for v in verdicts)
    lines.append(f"共 {len(verdicts)} 个文件：收下 {accepted} 份，拒收 {rejected} 份。")
    payload = {
        "files": [
            {
                "file": str(v.path),
                "accepted": v.accepted,
                "duplicate_of": v.duplicate_of,
                "org": v.org_name,
                "period": v.period_code,
                "archive_id": v.archive_id,
                "reasons": v.reasons,
            }
            for v in verdicts
        ]
    }
    emit(args, "\n".join(lines), payload)
    if not archive_files(args.folder) or not accepted:
        return EXIT_USAGE
    return EXIT_PARTIAL if rejected else EXIT_OK


def cmd_received(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.receipts import submissions
    from qzdesk.services.receiving.registry import registrations

    with open_signed(paths, "qzdesk received", load_profiles(paths)) as desk:
        registered = [r.org_name for r in desk.read(registrations)]
        rows = desk.read(submissions, args.period, registered)
    lines = [
        f"{r.org_name}  {r.state}"
        + (f"  {r.archive_id}（{r.received_at.astimezone():%Y-%m-%d}）" if r.archive_id else "")
        + (f"  替代了 {r.superseded} 份" if r.superseded else "")
        + (f"  {'；'.join(r.notes)}" if r.notes else "")
        for r in rows
    ]
    missing = sum(r.archive_id is None for r in rows)
    lines.append(
        f"{args.period}：应报 {len(rows)} 个组织，已报送 {len(rows) - missing}，未报送 {missing}。"
    )
    payload = {
        "period": args.period,
        "organisations": [
            {
                "org": r.org_name,
                "state": "submitted" if r.archive_id else "missing",
                "archive_id": r.archive_id,
                "superseded": r.superseded,
                "notes": r.notes,
            }
            for r in rows
        ],
    }
    if args.summary:
        from qzdesk.export.summary_excel import write_summary
        from qzdesk.services.receiving.summary import summary

        profiles = load_profiles(paths)
        with open_signed(paths, "qzdesk received", profiles) as desk:
            table = desk.read(summary, args.period)
        written = write_summary(args.summary, args.period, table)
        lines.append(f"汇总表（{len(table)} 个组织）已写入 {written}")
        payload["summary"] = {"file": str(written), "rows": len(table)}
    emit(args, "\n".join(lines), payload)
    return EXIT_OK
