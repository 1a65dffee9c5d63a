"""What every command shares: the secretary's sign-in (password from the environment or typed,
counted like the window's), the desk it opens, the output (text or --json) and the
exit codes; and the runners of the domains' commands."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qzdesk.config import (
    BACKUP_PASSWORD_ENV,
    PASSWORD_ENV,
    DataPaths,
)
from qzdesk.services.errors import DataFileMissing, QzdeskError, ValidationError

if TYPE_CHECKING:
    from qzdesk.services.desk import Desk
    from qzdesk.services.organisation.rules import RuleProfile

EXIT_OK, EXIT_USAGE, EXIT_PARTIAL, EXIT_VERIFY_FAILED = 0, 2, 3, 4


def emit(args: argparse.Namespace, text: str, payload: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(text)


def load_profiles(paths: DataPaths) -> dict[str, Any]:
    from qzdesk.services.organisation.rules import installed_profiles

    return installed_profiles(paths)


def read_new_password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise ValidationError(f"请通过环境变量 {PASSWORD_ENV} 提供密码，或在终端中运行以输入密码。")
    first = getpass.getpass("设置密码：")
    if getpass.getpass("再次输入密码：") != first:
        raise ValidationError("两次输入的密码不一致。")
    return first


def read_password() -> str:
    return os.environ.get(PASSWORD_ENV) or ask_secret("登录密码：", PASSWORD_ENV)


def ask_secret(prompt: str, env: str) -> str:
    if not sys.stdin.isatty():
        what = prompt.rstrip("：")
        raise ValidationError(f"请通过环境变量 {env} 提供{what}，或在终端中运行以输入。")
    return getpass.getpass(prompt)


def open_signed(
    paths: DataPaths, program: str, profiles: dict[str, RuleProfile], password: str | None = None
) -> Desk:
    """A desk over the store, signed in as its secretary with the password (from
    QZDESK_PASSWORD or typed), counted with the same growing delay as the window's login;
    closing it closes the store. A file written before encryption is encrypted now."""
    from qzdesk.services.desk import Desk
    from qzdesk.services.security.opening import open_unlocked

    unlock(paths, password)
    opened = open_unlocked(paths, program)
    if opened.organisation is None:
        opened.store.close()
        raise QzdeskError(f"数据目录 {paths.root} 还没有设置组织：请先运行 qzdesk 完成首次设置。")
    desk = Desk(opened.store, profiles)
    desk.actor = f"{opened.secretary}（命令行）"
    return desk


def unlock_for_restore(paths: DataPaths, source: Path) -> None:
    """Restoring needs the keys of both files: the current one (if encrypted; it is kept
    aside as a checked backup) and the backup's (the password in force when it was taken,
    usually the same)."""
    from qzdesk.services.security import auth, store_key
    from qzdesk.services.storage import cipher

    password = None
    if paths.database.exists() and not cipher.is_plain(paths.database):
        try:
            password = unlock(paths, convert=False)
        except auth.KeyMismatch as error:  # kept aside as it is; the backup replaces it
            print(f"当前数据文件打不开：{error}恢复前会原样留存。", file=sys.stderr)
    if not source.is_file() or not auth.backup_locked(source):
        return
    password = password or read_password()
    if store_key.unlock(cipher.key_file_of(source), password):
        return  # taken under the password in force now
    then = os.environ.get(BACKUP_PASSWORD_ENV) or ask_secret(
        "备份当时的登录密码：", BACKUP_PASSWORD_ENV
    )
    result = auth.unlock_backup(paths, source, then)
    if not result.ok:
        raise ValidationError(f"无法解开备份的密钥（备份当时的密码）：{result.message}")


def settle(paths: DataPaths) -> None:
    """What an interrupted run left is put right before any key is tried (a switch of the
    data file and its key finished, leftovers cleared), as the window does at its start."""
    from qzdesk.services.errors import DataDirBusy
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.settle import settle

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


def unlock(paths: DataPaths, password: str | None = None, convert: bool = True) -> str:
    """Sign in before the store opens (its key needs the password); a plain file written
    before encryption is backed up and encrypted here, its new 恢复码 shown once."""
    from qzdesk.services.security import auth
    from qzdesk.services.storage.store import missing_message

    settle(paths)
    if not paths.database.exists():
        raise DataFileMissing(missing_message(paths))
    password = password if password is not None else read_password()
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


def mapping(pairs: list[str] | None, columns: tuple[Any, ...]) -> dict[str, str]:
    """--map "原列名=字段" as the importer takes it; a wrong field is a usage error."""
    from qzdesk.services.members.columns import CellError, mapping_from

    try:
        return mapping_from(pairs or [], columns)
    except CellError as error:
        raise ValidationError(f"--map：{error}", "map") from error


def finish_import(
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
    emit(args, "\n".join(lines), payload)
    return EXIT_PARTIAL if preview.count("error") else EXIT_OK


def cmd_write(args: argparse.Namespace, paths: DataPaths, op: Any) -> int:
    """A domain's command (团费, 推优入党): one desk write as the secretary; `op(ctx, args)`
    says what happened."""
    return _run(args, paths, op, write=True)


def cmd_read(args: argparse.Namespace, paths: DataPaths, op: Any) -> int:
    """A domain's question (团费 status, coverage, the cadre analysis): one desk read."""
    return _run(args, paths, op, write=False)


def _run(args: argparse.Namespace, paths: DataPaths, op: Any, write: bool) -> int:
    words = [v for k, v in vars(args).items() if k.endswith("_command")]
    program = f"qzdesk {args.command} {' '.join(words)}"
    with open_signed(paths, program, load_profiles(paths)) as desk:
        text, payload = (desk.write if write else desk.read)(op, args)
    emit(args, text, payload)
    return EXIT_OK


def cmd_transfer(args: argparse.Namespace, paths: DataPaths, op: Any) -> int:
    """A transfer command: one desk write as the secretary, with the password (the
    packages and 回执 are signed with the organisation's key)."""
    profiles = load_profiles(paths)
    password = read_password()
    program = f"qzdesk transfer {args.transfer_command}"
    with open_signed(paths, program, profiles, password) as desk:
        text, payload = desk.write(op, args, password)
    emit(args, text, payload)
    return EXIT_OK
