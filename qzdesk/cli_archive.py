"""`qzdesk archive build|verify`, `compliance`, `ledger verify`: the signed 台账 and the
figures and chains it vouches for."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

from qzdesk.cli_common import (
    EXIT_OK,
    EXIT_VERIFY_FAILED,
    emit,
    load_profiles,
    open_signed,
    read_password,
    unlock,
)
from qzdesk.config import (
    PASSWORD_ENV,
    DataPaths,
)
from qzdesk.services.errors import QzdeskError
from qzdesk.vocabulary import KeyEnd


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    archive = sub.add_parser("archive", parents=[common], help="台账：生成签名 PDF、校验")
    archive_sub = archive.add_subparsers(dest="archive_command", metavar="操作", required=True)
    build = archive_sub.add_parser("build", parents=[common], help="生成一个期间的签名台账")
    build.add_argument(
        "--period", required=True, help="2025（年度）、2025Q1（季度）或 2025-03（月）"
    )
    build.add_argument("--out", type=Path, metavar="DIR", help="保存到的文件夹（默认当前目录）")
    build.set_defaults(handler=cmd_archive_build)
    verify = archive_sub.add_parser("verify", parents=[common], help="校验台账的签名与数据")
    verify.add_argument("file", type=Path, metavar="FILE.pdf")
    verify.add_argument(
        "--trust", type=Path, action="append", metavar="CERT.pem", help="信任的支部证书，可重复"
    )
    verify.set_defaults(handler=cmd_archive_verify)

    comply = sub.add_parser("compliance", parents=[common], help="组织生活：应开与已开")
    comply.add_argument("--year", type=int, required=True, help="年度，如 2025")
    comply.set_defaults(handler=cmd_compliance)

    ledger = sub.add_parser("ledger", parents=[common], help="积分账")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", metavar="操作", required=True)
    ledger_verify = ledger_sub.add_parser(
        "verify", parents=[common], help="重新计算积分记录与审核记录的哈希链"
    )
    ledger_verify.set_defaults(handler=cmd_ledger_verify)


def cmd_archive_build(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.archive import save_archive
    from qzdesk.services.periods import parse_period

    period = parse_period(args.period)
    profiles = load_profiles(paths)
    password = read_password()
    with open_signed(paths, "qzdesk archive build", profiles, password) as desk:
        saved = desk.write(save_archive, period, password, args.out or Path.cwd())
    text = (
        f"已生成并签名：{saved.path}\n台账编号：{saved.archive_id}，共 {saved.pages} 页；"
        "写入后已读回校验通过。"
    )
    emit(
        args, text, {"file": str(saved.path), "archive_id": saved.archive_id, "pages": saved.pages}
    )
    return EXIT_OK


def cmd_archive_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.archive import trust_list, verify_archive

    try:
        pdf = args.file.read_bytes()
    except OSError as exc:
        raise QzdeskError(f"无法读取 {args.file}：{exc.strerror}") from exc
    registered, note = registered_certificates(paths)
    result = verify_archive(pdf, [*trust_list(paths, args.trust or []), *registered])
    lines = [f"文件：{args.file}", *result.report(), *note]
    found = {k: v for k, v in dataclasses.asdict(result).items() if k != "data"}
    found["signed_at"] = result.signed_at.isoformat() if result.signed_at else None
    payload = {"file": str(args.file), "ok": result.ok, **found}
    emit(args, "\n".join(lines), payload)
    return EXIT_OK if result.ok else EXIT_VERIFY_FAILED


def registered_certificates(paths: DataPaths) -> tuple[list[Any], list[str]]:
    """The certificates this committee registered (证书登记), as `receive` trusts them (a
    key ended as lost or compromised vouches for nothing); read only when a store is here
    and its password is at hand."""
    from qzdesk.services.receiving import registry

    if not paths.database.exists():
        return [], []
    if not (os.environ.get(PASSWORD_ENV) or sys.stdin.isatty()):
        return [], [f"提示：未提供密码（{PASSWORD_ENV}），未使用本机登记的证书。"]
    unlock(paths, convert=False)
    rows = registry.registrations_read_only(paths)  # a window may have the store open
    return [r.certificate for r in rows if r.end_kind != KeyEnd.COMPROMISED], []


def cmd_compliance(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.meetings.compliance import compliance
    from qzdesk.services.meetings.rating import ratings

    profiles = load_profiles(paths)
    with open_signed(paths, "qzdesk compliance", profiles) as desk:
        cells = desk.read(compliance, args.year)
        _scheme, rated = desk.read(ratings, args.year)
    # 已开/应开, in the order the committee's summary writes it.
    lines = [f"{args.year} 年组织生活：已开（记录已签字）/ 应开（按规则配置）"]
    for cell in cells:
        need = "按需" if cell.required is None else str(cell.required)
        mark = "" if cell.met else f"　未达到：{cell.cells()[-1]}"
        draft = f"（另有未签字记录 {cell.drafts} 份）" if cell.drafts else ""
        lines.append(f"{cell.branch}　{cell.kind.label}：{cell.held}/{need}{draft}{mark}")
    lines.append("对标定级（按记录自评，以上级团委复核为准）")
    lines += [f"{r.branch}：{r.total:g} 分，{r.band}" for r in rated]
    payload = {
        "year": args.year,
        "ratings": [
            {
                "branch": r.branch,
                "total": r.total,
                "band": r.band,
                "dimensions": [
                    {
                        "name": d.name,
                        "points": d.points,
                        "scored": d.scored,
                        "lines": [
                            {
                                "name": line.name,
                                "points": line.points,
                                "scored": line.scored,
                                "evidence": line.evidence,
                            }
                            for line in d.lines
                        ],
                    }
                    for d in r.dimensions
                ],
            }
            for r in rated
        ],
        "cells": [
            {
                "branch": c.branch,
                "kind": c.kind.value,
                "required": c.required,
                "held": c.held,
                "drafts": c.drafts,
                "met": c.met,
                "by_month": list(c.by_month),
                "windows": [
                    {
                        "label": w.label,
                        "months": [w.first_month, w.last_month],
                        "held": w.held,
                        "state": w.state.name.lower(),
                    }
                    for w in c.windows
                ],
            }
            for c in cells
        ],
    }
    emit(args, "\n".join(lines), payload)
    return EXIT_OK


def cmd_ledger_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.admission.ledger import verify_ledger

    with open_signed(paths, "qzdesk ledger verify", load_profiles(paths)) as desk:
        result = desk.read(verify_ledger)
    lines = [*result.report(), "结论：积分账完整" if result.ok else "结论：积分账被改动过"]
    payload = {
        "ok": result.ok,
        **{
            check.table: {
                "count": check.count,
                "head": check.head,
                "broken_id": check.broken_id,
                "problem": check.problem,
            }
            for check in (result.entries, result.reviews)
        },
    }
    emit(args, "\n".join(lines), payload)
    return EXIT_OK if result.ok else EXIT_VERIFY_FAILED
