"""The command line: no subcommand opens the GUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from qzdesk import (
    __version__,
    cli_archive,
    cli_committee,
    cli_dues,
    cli_members,
    cli_party,
    cli_receiving,
    cli_transfer,
)
from qzdesk.cli_common import (
    EXIT_OK,
    EXIT_USAGE,
    EXIT_VERIFY_FAILED,
    ask_secret,
    cmd_read,
    cmd_transfer,
    cmd_write,
    emit,
    load_profiles,
    open_signed,
    read_new_password,
    read_password,
    settle,
    unlock,
    unlock_for_restore,
)
from qzdesk.config import (
    RECOVERY_ENV,
    DataPaths,
    resolve_data_dir,
)
from qzdesk.logs import setup_logging
from qzdesk.services import clock
from qzdesk.services.errors import DataFileMissing, QzdeskError, ValidationError
from qzdesk.services.files import spool_in
from qzdesk.vocabulary import OrgKind, Sector

if TYPE_CHECKING:
    pass


def cmd_demo(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.demo.build import DEMO_PASSWORD, build_demo
    from qzdesk.services.desk import Desk
    from qzdesk.services.storage.staging import staged_store

    profiles = load_profiles(paths)
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
    emit(args, text, {"data": str(paths.root), "org": root.name, "password": DEMO_PASSWORD})
    return EXIT_OK


def cmd_init(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.desk import Desk
    from qzdesk.services.security import store_key
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.services.storage.staging import staged_store

    profiles = load_profiles(paths)
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
    request.password = read_new_password()
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
    emit(args, text, {**payload, "recovery_code": founded.recovery_code})
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
        unlock(paths, convert=False)  # an encrypted file is read with its key
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
            desk = Desk(store, load_profiles(paths))
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
    emit(args, "\n".join(lines), payload)
    return EXIT_OK if report.healthy else EXIT_VERIFY_FAILED


def cmd_backup(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.storage.backup import online_backup

    # A backup carries every ID number: only the secretary takes one to a USB stick.
    with open_signed(paths, "qzdesk backup", load_profiles(paths)):
        made = online_backup(paths.database, args.out or paths.backups, "manual")
    emit(args, f"已备份到 {made}（已校验）", {"file": str(made)})
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.storage.backup import restore
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.store import Store

    source = args.file.resolve()
    unlock_for_restore(paths, source)
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
    emit(args, text, payload)
    return EXIT_OK


def cmd_password_reset(args: argparse.Namespace, paths: DataPaths) -> int:
    """A forgotten password: the 恢复码 opens the store and sets a new one."""
    from qzdesk.services.desk import Desk
    from qzdesk.services.security import auth
    from qzdesk.services.storage.store import Store, missing_message

    settle(paths)
    if not paths.database.exists():
        raise DataFileMissing(missing_message(paths))
    code = os.environ.get(RECOVERY_ENV) or ask_secret("恢复码：", RECOVERY_ENV)
    if not auth.unlock_with_recovery_code(paths, code):
        raise ValidationError("恢复码不正确（连续错误会被要求等待）。请核对打印的恢复码页。")
    new = read_new_password()
    with Store.open(paths.root, "qzdesk password reset") as store:
        desk = Desk(store, load_profiles(paths))
        desk.actor = f"{desk.read(auth.secretary)}（恢复码）"
        desk.write(auth.reset_password, new, new)
    emit(args, "已用恢复码设置新密码。恢复码仍然有效，请继续妥善保管。", {"ok": True})
    return EXIT_OK


def cmd_password_recovery_code(args: argparse.Namespace, paths: DataPaths) -> int:
    """A new 恢复码 in place of one lost or seen by others: shown (and its page written when
    asked) before it is put in force, so a failure on the way leaves the old one valid."""
    from qzdesk.services.organisation.orgs import organisation_name
    from qzdesk.services.security import auth

    password = read_password()
    with open_signed(
        paths, "qzdesk password recovery-code", load_profiles(paths), password
    ) as desk:
        code = desk.read(auth.propose_recovery_code, password)
        org = desk.read(organisation_name) or ""
        text = "新的恢复码：\n" + _recovery_text(args, paths, org, code)
        emit(args, text, {"recovery_code": code})
        sys.stdout.flush()  # a closed output fails here, with the old code still valid
        auth.replace_recovery_code(desk.store, desk.actor, password, code)
    print("新的恢复码已启用，数据已改用新的密钥；旧的恢复码从此失效。", file=sys.stderr)
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.selftest import run_checks

    lines: list[str] = []
    ok = run_checks(lines.append)
    lines.append(
        "自检通过：本机可以正常使用 qzdesk。" if ok else "自检未通过：请把以上内容发给技术支持。"
    )
    emit(args, "\n".join(lines), {"ok": ok, "checks": lines[:-1]})
    return EXIT_OK if ok else EXIT_VERIFY_FAILED


def cmd_key_export_cert(args: argparse.Namespace, paths: DataPaths) -> int:
    from qzdesk.services.security.branch_key import export_certificate

    with open_signed(paths, "qzdesk key export-cert", load_profiles(paths)) as desk:
        info = desk.write(export_certificate, args.file).value
    text = (
        f"已导出本支部证书到 {args.file}\n主体：{info.subject}（{info.organisation}）\n"
        f"SHA-256 指纹：{info.fingerprint}"
    )
    emit(
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

    cli_members.add_parser(sub, common)
    cli_receiving.add_parser(sub, common)
    cli_archive.add_parser(sub, common)
    cli_dues.add_parser(sub, common, cmd_write, cmd_read)
    cli_transfer.add_parser(sub, common, cmd_transfer)
    cli_party.add_parser(sub, common, cmd_write)
    cli_committee.add_parser(sub, common, cmd_write, cmd_read)

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
