"""`qzdesk members import|export`, `qzdesk applicants import`: rosters and applicants' lists
in and out, previewed row by row."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qzdesk.cli_common import (
    EXIT_OK,
    emit,
    finish_import,
    load_profiles,
    mapping,
    open_signed,
)
from qzdesk.config import DataPaths


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    members = sub.add_parser("members", parents=[common], help="团员名册：导入、导出")
    members_sub = members.add_subparsers(dest="members_command", metavar="操作", required=True)
    importing = members_sub.add_parser("import", parents=[common], help="从 .xlsx/.xls/.csv 导入")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--branch", metavar="NAME", help="没有“所在团支部”列时加入的团支部")
    importing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    importing.add_argument(
        "--update-existing", action="store_true", help="已有的团员（身份证号相同）按文件更新信息"
    )
    importing.add_argument(
        "--upgrade-legacy-ids", action="store_true", help="把 15 位旧身份证号升级为 18 位"
    )
    importing.add_argument(
        "--create-branches",
        action="store_true",
        help="工作表名或“所在团支部”是新的班级时新建团支部（否则这些行不导入）",
    )
    importing.add_argument(
        "--years-from-member-no",
        action="store_true",
        help="缺入团年月的，记入团员编号所示的入团年份（仅年份，标注“据团员编号”，月份待补录）",
    )
    importing.add_argument(
        "--rejects", type=Path, metavar="OUT.xlsx", help="把有问题的行写入此文件，改正后可再导入"
    )
    importing.add_argument(
        "--map",
        action="append",
        metavar="原列名=字段",
        help="把文件中的某列当作某个字段（可重复），如“入团时间（年月）=入团年月”；字段写“忽略”则不读该列",
    )
    importing.set_defaults(handler=cmd_members_import)
    exporting = members_sub.add_parser("export", parents=[common], help="导出团员名册为 .xlsx")
    exporting.add_argument("file", type=Path, metavar="FILE.xlsx")
    exporting.set_defaults(handler=cmd_members_export)

    applicants = sub.add_parser("applicants", parents=[common], help="入团申请人：导入名单")
    applicants_sub = applicants.add_subparsers(
        dest="applicants_command", metavar="操作", required=True
    )
    bringing = applicants_sub.add_parser(
        "import", parents=[common], help="导入申请人名单（含已办理步骤的日期，按补录登记）"
    )
    bringing.add_argument("file", type=Path, metavar="FILE")
    bringing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    bringing.add_argument(
        "--rejects", type=Path, metavar="OUT.xlsx", help="把有问题的行写入此文件，改正后可再导入"
    )
    bringing.add_argument(
        "--map",
        action="append",
        metavar="原列名=字段",
        help="把文件中的某列当作某个字段（可重复），如“入团时间（年月）=入团年月”；字段写“忽略”则不读该列",
    )
    bringing.set_defaults(handler=cmd_applicants_import)


def cmd_members_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.members.columns import COLUMNS
    from qzdesk.services.members.importer import commit_import, describe, preview_import

    profiles = load_profiles(paths)
    chosen = mapping(args.map, COLUMNS)
    with open_signed(paths, "qzdesk members import", profiles) as desk:
        preview = desk.read(
            preview_import,
            args.file,
            args.branch,
            upgrade_legacy_ids=args.upgrade_legacy_ids,
            create_branches=args.create_branches,
            mapping=chosen,
        )
        report = None
        if not args.dry_run:
            report = desk.write(
                commit_import,
                preview,
                args.update_existing,
                create_branches=args.create_branches,
                accept_years=args.years_from_member_no,
            ).value
    rows = preview.rows
    lines = [f"文件：{args.file}（{preview.where}）"]
    lines += preview.notes + [describe(r) for r in rows if r.level not in ("ok", "same")]
    summary = (
        f"共 {len(rows)} 行：可导入 {preview.importable}，有错误 {preview.count('error')}，"
        f"已有且不同 {preview.count('update')}，已有且相同 {preview.count('same')}。"
    )
    lines.append(summary)
    if report is None:
        lines.append("试运行：没有写入任何数据。")
    else:
        lines.append(
            f"已导入 {report.created} 人，更新 {report.updated} 人"
            + (f"（第 {report.batch_id} 批，可整体撤销）" if report.batch_id else "")
            + "。"
        )
    payload: dict[str, Any] = {
        "sheet": preview.sheet,
        "header_row": preview.header_row,
        "rows": [{**_row(r), "differences": r.differences} for r in rows],
        "created": report.created if report else 0,
        "updated": report.updated if report else 0,
        "batch_id": report.batch_id if report else None,
    }
    return finish_import(args, preview, lines, payload)


def cmd_applicants_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.admission.importer import COLUMNS as APPLICANT_COLUMNS
    from qzdesk.services.admission.importer import commit_applicants, describe, preview_applicants

    profiles = load_profiles(paths)
    with open_signed(paths, "qzdesk applicants import", profiles) as desk:
        preview = desk.read(
            preview_applicants,
            args.file,
            mapping=mapping(args.map, APPLICANT_COLUMNS),
        )
        report = None
        if not args.dry_run:
            report = desk.write(commit_applicants, preview).value
    rows = preview.rows
    lines = [f"文件：{args.file}（{preview.where}）", *preview.notes]
    lines += [describe(r) for r in rows if r.level not in ("ok", "same")]
    lines.append(
        f"共 {len(rows)} 行：可导入 {preview.importable}，有错误 {preview.count('error')}，"
        f"已是申请人 {preview.count('same')}。"
    )
    if report is None:
        lines.append("试运行：没有写入任何数据。")
    elif report.batch_id:
        lines.append(
            f"已导入 {report.created} 名申请人，补录 {report.steps} 个步骤"
            f"（第 {report.batch_id} 批，可整体撤销）。"
        )
    payload: dict[str, Any] = {
        "rows": [{**_row(r), "stage": r.stage_text} for r in rows],
        "created": report.created if report else 0,
        "steps": report.steps if report else 0,
        "batch_id": report.batch_id if report else None,
    }
    return finish_import(args, preview, lines, payload)


def _row(r: Any) -> dict[str, Any]:
    """A previewed row as --json writes it: where, who, the verdict and its reasons."""
    return {
        "sheet": r.sheet,
        "row": r.row,
        "name": r.name,
        "level": r.level,
        "branch": r.branch_name,
        "errors": r.errors,
        "warnings": r.warnings,
    }


def cmd_members_export(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.roster_excel import write_roster
    from qzdesk.services.members.records import export_rows

    with open_signed(paths, "qzdesk members export", load_profiles(paths)) as desk:
        rows = desk.read(export_rows)
    count = write_roster(args.file, rows)
    emit(args, f"已导出 {count} 名团员到 {args.file}", {"file": str(args.file), "members": count})
    return EXIT_OK
