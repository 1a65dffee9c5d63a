"""The command line: no subcommand opens the GUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qzdesk import __version__, cli_committee, cli_dues, cli_party, cli_transfer
from qzdesk.config import (
    BACKUP_PASSWORD_ENV,
    PASSWORD_ENV,
    RECOVERY_ENV,
    DataPaths,
    resolve_data_dir,
)
from qzdesk.logs import setup_logging
from qzdesk.services import clock
from qzdesk.services.errors import DataFileMissing, QzdeskError, ValidationError
from qzdesk.services.files import spool_in
from qzdesk.vocabulary import KeyEnd, OrgKind, Sector

if TYPE_CHECKING:
    from qzdesk.services.desk import Desk
    from qzdesk.services.organisation.rules import RuleProfile

EXIT_OK, EXIT_USAGE, EXIT_PARTIAL, EXIT_VERIFY_FAILED = 0, 2, 3, 4


def _emit(args: argparse.Namespace, text: str, payload: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(text)


def _load_profiles(paths: DataPaths) -> dict[str, Any]:
    from qzdesk.services.organisation.rules import installed_profiles

    return installed_profiles(paths)


def cmd_demo(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.demo.build import DEMO_PASSWORD, build_demo
    from qzdesk.services.desk import Desk
    from qzdesk.services.storage.staging import staged_store

    profiles = _load_profiles(paths)
    # Built to the side and moved in whole: a killed demo leaves no half-built store.
    with staged_store(paths, "qzdesk demo") as store:
        if args.kind == "branch":
            from qzdesk.services.demo.village import DEMO_TOWN, build_branch_demo

            name = args.org_name or "东关村团支部（演示）"
            root = build_branch_demo(
                Desk(store, profiles),
                clock.today(),
                name,
                Sector(args.sector),
                args.seed,
                parent_org=args.parent_org or DEMO_TOWN,
            )
        elif args.sector == Sector.TOWNSHIP.value:
            from qzdesk.export.town_demo import build_town_demo

            villages = paths.root.with_name(f"{paths.root.name}-村")
            root = build_town_demo(
                store, profiles, clock.today(), villages, DEMO_PASSWORD, args.seed
            )
        else:
            root = build_demo(
                Desk(store, profiles),
                clock.today(),
                args.members,
                org_name=args.org_name,
                seed=args.seed,
            )
    text = (
        f"演示数据已建立：{root.name}\n数据目录：{paths.root}\n登录密码：{DEMO_PASSWORD}\n"
        f"打开：qzdesk --data {paths.root}"
    )
    if args.sector == Sector.TOWNSHIP.value:
        text += f"\n各村的数据目录和报送的台账在 {paths.root.name}-村 中（密码相同）"
    _emit(args, text, {"data": str(paths.root), "org": root.name, "password": DEMO_PASSWORD})
    return EXIT_OK


def _read_new_password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise ValidationError(f"请通过环境变量 {PASSWORD_ENV} 提供密码，或在终端中运行以输入密码。")
    first = getpass.getpass("设置密码：")
    if getpass.getpass("再次输入密码：") != first:
        raise ValidationError("两次输入的密码不一致。")
    return first


def _read_password() -> str:
    return os.environ.get(PASSWORD_ENV) or _ask_secret("登录密码：", PASSWORD_ENV)


def _ask_secret(prompt: str, env: str) -> str:
    if not sys.stdin.isatty():
        what = prompt.rstrip("：")
        raise ValidationError(f"请通过环境变量 {env} 提供{what}，或在终端中运行以输入。")
    return getpass.getpass(prompt)


def cmd_archive_build(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.archive import save_archive
    from qzdesk.services.periods import parse_period

    period = parse_period(args.period)
    profiles = _load_profiles(paths)
    password = _read_password()
    with _open_signed(paths, "qzdesk archive build", profiles, password) as desk:
        saved = desk.write(save_archive, period, password, args.out or Path.cwd())
    text = (
        f"已生成并签名：{saved.path}\n台账编号：{saved.archive_id}，共 {saved.pages} 页；"
        "写入后已读回校验通过。"
    )
    _emit(
        args, text, {"file": str(saved.path), "archive_id": saved.archive_id, "pages": saved.pages}
    )
    return EXIT_OK


def cmd_archive_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.archive import trust_list, verify_archive

    try:
        pdf = args.file.read_bytes()
    except OSError as exc:
        raise QzdeskError(f"无法读取 {args.file}：{exc.strerror}") from exc
    registered, note = _registered_certificates(paths)
    result = verify_archive(pdf, [*trust_list(paths, args.trust or []), *registered])
    lines = [f"文件：{args.file}", *result.report(), *note]
    found = {k: v for k, v in dataclasses.asdict(result).items() if k != "data"}
    found["signed_at"] = result.signed_at.isoformat() if result.signed_at else None
    payload = {"file": str(args.file), "ok": result.ok, **found}
    _emit(args, "\n".join(lines), payload)
    return EXIT_OK if result.ok else EXIT_VERIFY_FAILED


def _registered_certificates(paths: DataPaths) -> tuple[list[Any], list[str]]:
    """The certificates this committee registered (证书登记), as `receive` trusts them (a
    key ended as lost or compromised vouches for nothing); read only when a store is here
    and its password is at hand."""
    from qzdesk.services.receiving import registry

    if not paths.database.exists():
        return [], []
    if not (os.environ.get(PASSWORD_ENV) or sys.stdin.isatty()):
        return [], [f"提示：未提供密码（{PASSWORD_ENV}），未使用本机登记的证书。"]
    _unlock(paths, convert=False)
    rows = registry.registrations_read_only(paths)  # a window may have the store open
    return [r.certificate for r in rows if r.end_kind != KeyEnd.COMPROMISED], []


def cmd_init(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.desk import Desk
    from qzdesk.services.security import store_key
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.services.storage.staging import staged_store

    profiles = _load_profiles(paths)
    request = SetupRequest(
        org_name=args.org_name,
        org_kind=OrgKind(args.org_kind),
        sector=Sector(args.sector),
        secretary=args.secretary,
        password="",
        profile_id=args.profile,
        branches=args.branch or [],
        parent_org=args.parent_org,
    )
    request.password = _read_new_password()
    # The printed page comes first: a path that cannot be written stops here, before a
    # store exists whose 恢复码 nobody saw.
    request.recovery_code = store_key.new_recovery_code()
    shown = _recovery_text(args, paths, request.org_name.strip(), request.recovery_code)
    with staged_store(paths, "qzdesk init") as store:
        founded = Desk(store, profiles).write(initialise, request).value
    root = founded.org
    count = len(request.branches)
    text = f"已建立：{root.name}（{root.kind.label}，{count} 个团支部）\n数据目录：{paths.root}"
    text += "\n" + shown
    payload = {"data": str(paths.root), "org": root.name, "branches": request.branches}
    _emit(args, text, {**payload, "recovery_code": founded.recovery_code})
    return EXIT_OK


def _recovery_text(args: argparse.Namespace, paths: DataPaths, org: str, code: str) -> str:
    """The 恢复码, shown this once; with --recovery-pdf also the page to print."""
    text = f"恢复码（只显示这一次，请抄写或打印后与电脑分开保管）：{code}"
    target = getattr(args, "recovery_pdf", None)
    if target is not None:
        from qzdesk.export.pdf.recovery_sheet import recovery_sheet
        from qzdesk.services.files import write_atomically

        write_atomically(target, recovery_sheet(org, code, paths.root))
        text += f"\n恢复码打印页：{target}"
    return text


def cmd_check(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.storage import cipher
    from qzdesk.services.storage.health import check
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.revisions import SCHEMA_HEAD

    if paths.database.exists() and not cipher.is_plain(paths.database):
        _unlock(paths, convert=False)  # an encrypted file is read with its key
    lock = DataDirLock(paths, "qzdesk check")
    lock.acquire()
    try:
        report = check(paths.database, full=args.full)
    finally:
        lock.release()
    if report.healthy and report.revision == SCHEMA_HEAD:
        # The file is sound: now the records (chains, what archives signed, minutes, files).
        from qzdesk.export.archive import issued_anchors
        from qzdesk.services.desk import Desk
        from qzdesk.services.records_check import check_against, check_records
        from qzdesk.services.storage.store import Store

        with Store.open(paths.root, "qzdesk check") as store:
            desk = Desk(store, _load_profiles(paths))
            issued, unusable = desk.read(issued_anchors, args.against or [])
            report.problems += desk.read(check_records)
            report.problems += desk.read(check_against, issued)
        report.notes.append(
            f"已与 {len(issued)} 份本单位签发的台账（数据目录中留存的副本"
            + ("及 --against 所给文件" if args.against else "")
            + "）中的积分账校验码逐一对照"
        )
        report.notes += unusable
    lines = [f"数据文件：{report.database}", f"数据结构版本：{report.revision or '无'}"]
    lines += [f"问题：{p}" for p in report.problems] + [f"提示：{n}" for n in report.notes]
    lines.append("结论：完好" if report.healthy else "结论：有问题（见上，每条都写明了怎么办）")
    payload = {
        "database": str(report.database),
        "revision": report.revision,
        "healthy": report.healthy,
        "problems": report.problems,
        "notes": report.notes,
    }
    _emit(args, "\n".join(lines), payload)
    return EXIT_OK if report.healthy else EXIT_VERIFY_FAILED


def cmd_backup(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.storage.backup import online_backup

    # A backup carries every ID number: only the secretary takes one to a USB stick.
    with _open_signed(paths, "qzdesk backup", _load_profiles(paths)):
        made = online_backup(paths.database, args.out or paths.backups, "manual")
    _emit(args, f"已备份到 {made}（已校验）", {"file": str(made)})
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.storage.backup import restore
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.store import Store

    source = args.file.resolve()
    _unlock_for_restore(paths, source)
    lock = DataDirLock(paths, "qzdesk restore")
    lock.acquire()
    try:
        restored = restore(paths, source)
    finally:
        lock.release()
    Store.open(paths.root, "qzdesk restore").close()  # brought to this version's schema
    kept = restored.kept
    text = f"已从 {args.file} 恢复数据文件 {paths.database}。"
    if kept is not None:
        text += f"原来的数据文件已保留为 {kept}。"
    text += restored.secrets_note()
    payload = {
        "restored_from": str(args.file),
        "previous_kept_as": kept and str(kept),
        "same_password_and_recovery_code": restored.same_secrets,
    }
    _emit(args, text, payload)
    return EXIT_OK


def cmd_ledger_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.admission.ledger import verify_ledger

    with _open_signed(paths, "qzdesk ledger verify", _load_profiles(paths)) as desk:
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
    _emit(args, "\n".join(lines), payload)
    return EXIT_OK if result.ok else EXIT_VERIFY_FAILED


def cmd_compliance(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.meetings.compliance import compliance
    from qzdesk.services.meetings.rating import ratings

    profiles = _load_profiles(paths)
    with _open_signed(paths, "qzdesk compliance", profiles) as desk:
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
    _emit(args, "\n".join(lines), payload)
    return EXIT_OK


def _open_signed(
    paths: DataPaths, program: str, profiles: dict[str, RuleProfile], password: str | None = None
) -> Desk:
    """A desk over the store, signed in as its secretary with the password (from
    QZDESK_PASSWORD or typed), counted with the same growing delay as the window's login;
    closing it closes the store. A file written before encryption is encrypted now."""
    from qzdesk.services.desk import Desk
    from qzdesk.services.security.opening import open_unlocked

    _unlock(paths, password)
    opened = open_unlocked(paths, program)
    if opened.organisation is None:
        opened.store.close()
        raise QzdeskError(f"数据目录 {paths.root} 还没有设置组织：请先运行 qzdesk 完成首次设置。")
    desk = Desk(opened.store, profiles)
    desk.actor = f"{opened.secretary}（命令行）"
    return desk


def _unlock_for_restore(paths: DataPaths, source: Path) -> None:
    """Restoring needs the keys of both files: the current one (if encrypted; it is kept
    aside as a checked backup) and the backup's (the password in force when it was taken,
    usually the same)."""
    from qzdesk.services.security import auth, store_key
    from qzdesk.services.storage import cipher

    password = None
    if paths.database.exists() and not cipher.is_plain(paths.database):
        try:
            password = _unlock(paths, convert=False)
        except auth.KeyMismatch as error:  # kept aside as it is; the backup replaces it
            print(f"当前数据文件打不开：{error}恢复前会原样留存。", file=sys.stderr)
    if not source.is_file() or not auth.backup_locked(source):
        return
    password = password or _read_password()
    if store_key.unlock(cipher.key_file_of(source), password):
        return  # taken under the password in force now
    then = os.environ.get(BACKUP_PASSWORD_ENV) or _ask_secret(
        "备份当时的登录密码：", BACKUP_PASSWORD_ENV
    )
    result = auth.unlock_backup(paths, source, then)
    if not result.ok:
        raise ValidationError(f"无法解开备份的密钥（备份当时的密码）：{result.message}")


def _settle(paths: DataPaths) -> None:
    """What an interrupted run left is put right before any key is tried (a switch of the
    data file and its key finished, leftovers cleared), as the window does at its start."""
    from qzdesk.services.errors import DataDirBusy
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.store import settle

    if not paths.root.is_dir():
        return
    lock = DataDirLock(paths, "qzdesk")
    try:
        lock.acquire()
    except DataDirBusy:
        return  # its holder settled it when it started; a writing command says it is busy
    try:
        settle(paths)
    finally:
        lock.release()


def _unlock(paths: DataPaths, password: str | None = None, convert: bool = True) -> str:
    """Sign in before the store opens (its key needs the password); a plain file written
    before encryption is backed up and encrypted here, its new 恢复码 shown once."""
    from qzdesk.services.security import auth
    from qzdesk.services.storage.store import missing_message

    _settle(paths)
    if not paths.database.exists():
        raise DataFileMissing(missing_message(paths))
    password = password if password is not None else _read_password()
    result = auth.login(paths, password)
    if not result.ok:
        raise ValidationError(result.message)
    if convert and auth.needs_encrypting(paths):
        code = auth.encrypt_store(paths, password)
        print(
            f"数据文件已加密（加密前已备份）。恢复码（只显示这一次）：{code}\n"
            "忘记密码时凭它打开数据。请抄写，"
            "或用 qzdesk password recovery-code --pdf 重新生成并打印。",
            file=sys.stderr,
        )
    elif convert:
        auth.encrypt_leftover_backups(paths)
    return password


def cmd_password_reset(args: argparse.Namespace, paths: DataPaths) -> int:
    """A forgotten password: the 恢复码 opens the store and sets a new one."""
    from qzdesk.services.desk import Desk
    from qzdesk.services.security import auth
    from qzdesk.services.storage.store import Store, missing_message

    _settle(paths)
    if not paths.database.exists():
        raise DataFileMissing(missing_message(paths))
    code = os.environ.get(RECOVERY_ENV) or _ask_secret("恢复码：", RECOVERY_ENV)
    if not auth.unlock_with_recovery_code(paths, code):
        raise ValidationError("恢复码不正确（连续错误会被要求等待）。请核对打印的恢复码页。")
    new = _read_new_password()
    with Store.open(paths.root, "qzdesk password reset") as store:
        desk = Desk(store, _load_profiles(paths))
        desk.actor = f"{desk.read(auth.secretary)}（恢复码）"
        desk.write(auth.reset_password, new, new)
    _emit(args, "已用恢复码设置新密码。恢复码仍然有效，请继续妥善保管。", {"ok": True})
    return EXIT_OK


def cmd_password_recovery_code(args: argparse.Namespace, paths: DataPaths) -> int:
    """A new 恢复码 in place of one lost or seen by others: shown (and its page written when
    asked) before it is put in force, so a failure on the way leaves the old one valid."""
    from qzdesk.services.organisation.orgs import organisation_name
    from qzdesk.services.security import auth

    password = _read_password()
    with _open_signed(
        paths, "qzdesk password recovery-code", _load_profiles(paths), password
    ) as desk:
        code = desk.read(auth.propose_recovery_code, password)
        org = desk.read(organisation_name) or ""
        text = "新的恢复码：\n" + _recovery_text(args, paths, org, code)
        _emit(args, text, {"recovery_code": code})
        sys.stdout.flush()  # a closed output fails here, with the old code still valid
        auth.replace_recovery_code(desk.store, desk.actor, password, code)
    print("新的恢复码已启用，数据已改用新的密钥；旧的恢复码从此失效。", file=sys.stderr)
    return EXIT_OK


def _mapping(pairs: list[str] | None, columns: tuple[Any, ...]) -> dict[str, str]:
    """--map "原列名=字段" as the importer takes it; a wrong field is a usage error."""
    from qzdesk.services.members.columns import CellError, mapping_from

    try:
        return mapping_from(pairs or [], columns)
    except CellError as error:
        raise ValidationError(f"--map：{error}", "map") from error


def cmd_members_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.members.columns import COLUMNS
    from qzdesk.services.members.importer import commit_import, describe, preview_import

    profiles = _load_profiles(paths)
    mapping = _mapping(args.map, COLUMNS)
    with _open_signed(paths, "qzdesk members import", profiles) as desk:
        preview = desk.read(
            preview_import,
            args.file,
            args.branch,
            upgrade_legacy_ids=args.upgrade_legacy_ids,
            create_branches=args.create_branches,
            mapping=mapping,
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
        "rows": [
            {
                "sheet": r.sheet,
                "row": r.row,
                "name": r.name,
                "level": r.level,
                "branch": r.branch_name,
                "errors": r.errors,
                "warnings": r.warnings,
                "differences": r.differences,
            }
            for r in rows
        ],
        "created": report.created if report else 0,
        "updated": report.updated if report else 0,
        "batch_id": report.batch_id if report else None,
    }
    return _finish_import(args, preview, lines, payload)


def _finish_import(
    args: argparse.Namespace, preview: Any, lines: list[str], payload: dict[str, Any]
) -> int:
    """What members' and applicants' imports end with: the rejects file when asked for,
    the report, and the exit code (3 when any row was rejected)."""
    payload.update(file=str(args.file), notes=preview.notes, dry_run=args.dry_run)
    payload["sheets"] = [
        {"name": layout.sheet, "header_rows": list(layout.header_rows)}
        for layout in preview.layouts
    ]
    if args.rejects:
        from qzdesk.export.rejects import write_rejects

        written, count = write_rejects(args.rejects, preview)
        lines.append(f"有问题的 {count} 行已写入 {written}：在 Excel 中改正后可再次导入。")
        payload["rejects"] = {"file": str(written), "rows": count}
    _emit(args, "\n".join(lines), payload)
    return EXIT_PARTIAL if preview.count("error") else EXIT_OK


def cmd_applicants_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.admission.importer import COLUMNS as APPLICANT_COLUMNS
    from qzdesk.services.admission.importer import commit_applicants, describe, preview_applicants

    profiles = _load_profiles(paths)
    with _open_signed(paths, "qzdesk applicants import", profiles) as desk:
        preview = desk.read(
            preview_applicants,
            args.file,
            mapping=_mapping(args.map, APPLICANT_COLUMNS),
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
        "rows": [
            {
                "sheet": r.sheet,
                "row": r.row,
                "name": r.name,
                "level": r.level,
                "branch": r.branch_name,
                "stage": r.stage_text,
                "errors": r.errors,
                "warnings": r.warnings,
            }
            for r in rows
        ],
        "created": report.created if report else 0,
        "steps": report.steps if report else 0,
        "batch_id": report.batch_id if report else None,
    }
    return _finish_import(args, preview, lines, payload)


def cmd_trust_add(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.registry import register

    with _open_signed(paths, "qzdesk trust add", _load_profiles(paths)) as desk:
        row = desk.write(register, args.cert, args.org, args.fingerprint).value
    _emit(
        args,
        f"已登记：{row.org_name}（指纹 {row.fingerprint}）",
        {"org": row.org_name, "fingerprint": row.fingerprint},
    )
    return EXIT_OK


def cmd_trust_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.registry import registrations

    with _open_signed(paths, "qzdesk trust list", _load_profiles(paths)) as desk:
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
    _emit(args, "\n".join(lines), payload)
    return EXIT_OK


def cmd_trust_end(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.registry import end

    with _open_signed(paths, "qzdesk trust end", _load_profiles(paths)) as desk:
        kind = KeyEnd(args.kind)
        row = desk.write(end, args.fingerprint, args.reason, kind, args.ended_on).value
    still = (
        "此后收到的台账一律拒收"
        if kind == KeyEnd.COMPROMISED
        else "只接收停用前已结束的期间、且停用前签发的台账"
    )
    _emit(
        args,
        f"已停用：{row.org_name} 的证书（{row.ended_on:%Y-%m-%d} 起，{kind.label}；{still}）",
        {"org": row.org_name, "fingerprint": row.fingerprint, "kind": kind.value},
    )
    return EXIT_OK


def cmd_receive(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.receiving import archive_files, receive_folder

    if not args.folder.is_dir():
        raise QzdeskError(f"{args.folder} 不是文件夹：请指定存放台账的文件夹或 U 盘。")
    with _open_signed(paths, "qzdesk receive", _load_profiles(paths)) as desk:
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
    _emit(args, "\n".join(lines), payload)
    if not archive_files(args.folder) or not accepted:
        return EXIT_USAGE
    return EXIT_PARTIAL if rejected else EXIT_OK


def cmd_received(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.receiving.receipts import submissions
    from qzdesk.services.receiving.registry import registrations

    with _open_signed(paths, "qzdesk received", _load_profiles(paths)) as desk:
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

        profiles = _load_profiles(paths)
        with _open_signed(paths, "qzdesk received", profiles) as desk:
            table = desk.read(summary, args.period)
        written = write_summary(args.summary, args.period, table)
        lines.append(f"汇总表（{len(table)} 个组织）已写入 {written}")
        payload["summary"] = {"file": str(written), "rows": len(table)}
    _emit(args, "\n".join(lines), payload)
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.selftest import run_checks

    lines: list[str] = []
    ok = run_checks(lines.append)
    lines.append(
        "自检通过：本机可以正常使用 qzdesk。" if ok else "自检未通过：请把以上内容发给技术支持。"
    )
    _emit(args, "\n".join(lines), {"ok": ok, "checks": lines[:-1]})
    return EXIT_OK if ok else EXIT_VERIFY_FAILED


def cmd_write(args: argparse.Namespace, paths: DataPaths, op: Any) -> int:
    """A domain's command (团费, 推优入党): one desk write as the secretary; `op(ctx, args)`
    says what happened."""
    profiles = _load_profiles(paths)
    words = [v for k, v in vars(args).items() if k.endswith("_command")]
    with _open_signed(paths, f"qzdesk {args.command} {' '.join(words)}", profiles) as desk:
        text, payload = desk.write(op, args)
    _emit(args, text, payload)
    return EXIT_OK


def cmd_read(args: argparse.Namespace, paths: DataPaths, op: Any) -> int:
    """A domain's question (团费 status, coverage, the cadre analysis): one desk read."""
    profiles = _load_profiles(paths)
    words = [v for k, v in vars(args).items() if k.endswith("_command")]
    with _open_signed(paths, f"qzdesk {args.command} {' '.join(words)}", profiles) as desk:
        text, payload = desk.read(op, args)
    _emit(args, text, payload)
    return EXIT_OK


def cmd_transfer(args: argparse.Namespace, paths: DataPaths, op: Any) -> int:
    """A transfer command: one desk write as the secretary, with the password (the
    packages and 回执 are signed with the organisation's key)."""
    profiles = _load_profiles(paths)
    password = _read_password()
    program = f"qzdesk transfer {args.transfer_command}"
    with _open_signed(paths, program, profiles, password) as desk:
        text, payload = desk.write(op, args, password)
    _emit(args, text, payload)
    return EXIT_OK


def cmd_members_export(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.export.roster_excel import write_roster
    from qzdesk.services.members.records import export_rows

    with _open_signed(paths, "qzdesk members export", _load_profiles(paths)) as desk:
        rows = desk.read(export_rows)
    count = write_roster(args.file, rows)
    _emit(args, f"已导出 {count} 名团员到 {args.file}", {"file": str(args.file), "members": count})
    return EXIT_OK


def cmd_key_export_cert(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.security.branch_key import export_certificate

    with _open_signed(paths, "qzdesk key export-cert", _load_profiles(paths)) as desk:
        info = desk.write(export_certificate, args.file).value
    text = (
        f"已导出本支部证书到 {args.file}\n主体：{info.subject}（{info.organisation}）\n"
        f"SHA-256 指纹：{info.fingerprint}"
    )
    _emit(
        args,
        text,
        {
            "file": str(args.file),
            "subject": info.subject,
            "organisation": info.organisation,
            "fingerprint": info.fingerprint,
        },
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="数据目录（默认取 QZDESK_DATA 或系统的用户数据目录）",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="以 JSON 输出结果"
    )
    parser = argparse.ArgumentParser(
        prog="qzdesk", parents=[common], description="团支部工作台：不带子命令时打开图形界面。"
    )
    parser.add_argument("--version", action="version", version=f"qzdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    demo = sub.add_parser("demo", parents=[common], help="建立一个演示用的团组织")
    demo.add_argument("--members", type=int, metavar="N", help="团员人数（默认约 50 人）")
    demo.add_argument("--org-name", metavar="NAME", help="演示组织的名称（各不相同，便于演示收件）")
    demo.add_argument(
        "--kind",
        choices=["committee", "branch"],
        default="committee",
        help="committee：学校团委及各班团支部（默认；加 --sector township 为乡镇团委及其各村）；"
        "branch：一个村或社区团支部",
    )
    demo.add_argument(
        "--sector",
        choices=[s.value for s in Sector],
        default=Sector.VILLAGE.value,
        help="branch 演示的所在领域（默认 village）；committee 演示写 township 时为乡镇团委，"
        "已收到所辖各村上一季度的台账",
    )
    demo.add_argument("--seed", type=int, default=1, help="不同的数字生成不同的人和记录")
    demo.add_argument(
        "--parent-org",
        metavar="NAME",
        help="--kind branch：台账中写明的上级团组织（收件的团委须同名；默认某镇团委）",
    )
    demo.set_defaults(handler=cmd_demo)

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

    cli_dues.add_parser(sub, common, cmd_write, cmd_read)
    cli_transfer.add_parser(sub, common, cmd_transfer)
    cli_party.add_parser(sub, common, cmd_write)
    cli_committee.add_parser(sub, common, cmd_write, cmd_read)

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

    selftest = sub.add_parser(
        "selftest", parents=[common], help="自检：在临时目录中试建数据、台账和界面，不动真实数据"
    )
    selftest.set_defaults(handler=cmd_selftest)

    init = sub.add_parser("init", parents=[common], help="首次设置（与向导相同的问题）")
    init.add_argument("--org-name", required=True, help="组织名称，如 某某中学团委")
    init.add_argument(
        "--org-kind",
        required=True,
        choices=[k.value for k in OrgKind],
        help="committee=团委，general_branch=团总支，branch=团支部",
    )
    init.add_argument("--sector", required=True, choices=[s.value for s in Sector], help="所在领域")
    init.add_argument("--branch", action="append", metavar="NAME", help="下设团支部，可重复")
    init.add_argument("--secretary", required=True, help="书记姓名")
    init.add_argument(
        "--parent-org", default="", help="上级团组织（必填，如 共青团天水市秦州区委员会）"
    )
    init.add_argument("--profile", default="qinzhou-2024", help="规则配置编号")
    init.add_argument(
        "--recovery-pdf", type=Path, metavar="OUT.pdf", help="把恢复码写成可打印的一页 PDF"
    )
    init.set_defaults(handler=cmd_init)

    password = sub.add_parser("password", parents=[common], help="密码与恢复码")
    password_sub = password.add_subparsers(dest="password_command", metavar="操作", required=True)
    reset = password_sub.add_parser(
        "reset", parents=[common], help=f"忘记密码：用恢复码设置新密码（或环境变量 {RECOVERY_ENV}）"
    )
    reset.set_defaults(handler=cmd_password_reset)
    recovery = password_sub.add_parser(
        "recovery-code", parents=[common], help="生成新的恢复码（旧的失效）"
    )
    recovery.add_argument(
        "--recovery-pdf", "--pdf", type=Path, metavar="OUT.pdf", help="写成可打印的一页 PDF"
    )
    recovery.set_defaults(handler=cmd_password_recovery_code)

    key = sub.add_parser("key", parents=[common], help="本支部的签名密钥")
    key_sub = key.add_subparsers(dest="key_command", metavar="操作", required=True)
    export_cert = key_sub.add_parser(
        "export-cert", parents=[common], help="导出证书（交上级团委登记信任）"
    )
    export_cert.add_argument("file", type=Path, metavar="FILE.pem")
    export_cert.set_defaults(handler=cmd_key_export_cert)

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

    check = sub.add_parser("check", parents=[common], help="检查数据文件是否完好")
    check.add_argument(
        "--full", action="store_true", help="逐页完整检查（integrity_check，较慢；默认快速检查）"
    )
    check.add_argument(
        "--against",
        type=Path,
        nargs="+",
        metavar="ARCHIVE",
        help="与已报送上级的台账（PDF 文件或文件夹）中的积分账校验码对照",
    )
    check.set_defaults(handler=cmd_check)
    backup = sub.add_parser("backup", parents=[common], help="立即备份数据文件（可指定 U 盘目录）")
    backup.add_argument(
        "--out", type=Path, metavar="DIR", help="备份到此目录（默认数据目录的 backups/）"
    )
    backup.set_defaults(handler=cmd_backup)
    restoring = sub.add_parser("restore", parents=[common], help="从备份恢复数据文件")
    restoring.add_argument("file", type=Path, metavar="FILE")
    restoring.set_defaults(handler=cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    if os.name == "posix":
        # The roster holds ID numbers: what qzdesk creates (data, backups, logs, exports)
        # is readable by the secretary's account only, whatever the desktop's umask.
        os.umask(0o077)
    args = build_parser().parse_args(argv)
    args.json = getattr(args, "json", False)
    data_dir = resolve_data_dir(getattr(args, "data", None))
    paths = DataPaths(data_dir)
    if args.command is None:
        from qzdesk.ui.app import run_gui

        return run_gui(data_dir)
    setup_logging(paths.logs)
    handler: Callable[[argparse.Namespace, DataPaths], int] = args.handler
    spooled_before = spool_in(paths.spool)
    try:
        return handler(args, paths)
    except BrokenPipeError:
        # The reader went away (`qzdesk … | head`): the work is done; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except QzdeskError as exc:
        return _refuse(args, str(exc), exc.exit_code)
    except Exception as exc:
        from qzdesk.services.storage.integrity import is_damage
        from qzdesk.services.storage.store import damaged_message

        if not is_damage(exc):
            raise
        logging.getLogger(__name__).exception("damaged data file")
        return _refuse(args, damaged_message(paths), EXIT_USAGE)
    finally:
        tempfile.tempdir = spooled_before


def _refuse(args: argparse.Namespace, message: str, code: int) -> int:
    if args.json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"错误：{message}", file=sys.stderr)
    return code
