"""Backups through SQLite's online backup API, never a file copy of a live database (a copy
loses what still sits in the -wal file); checked after writing; thinned; restorable."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qzdesk.config import DataPaths
from qzdesk.services import clock, crashpoints
from qzdesk.services.errors import QzdeskError
from qzdesk.services.files import fsync_dir, write_atomically
from qzdesk.services.storage import cipher, switch
from qzdesk.services.storage.integrity import quick_check, same_content, stored_revision
from qzdesk.services.storage.revisions import SCHEMA_HEAD, is_newer

AUTO = "auto"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
STAMP = "%Y%m%d-%H%M%S-%f"


def online_backup(db_path: Path, backup_dir: Path, label: str) -> Path:
    """Copy the database page by page into `backup_dir`, check the copy, then name it.
    An encrypted store's backup stays encrypted with the same key, and a copy of the key
    file goes beside it, so a backup carried to another PC opens with the password (or
    恢复码) in force when it was taken."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime(STAMP)
    target = backup_dir / f"qzdesk-{stamp}-{label}.sqlite"
    partial = target.with_name(target.name + ".part")
    key = cipher.key_for(db_path)
    if key is not None:
        write_atomically(key_copy(target), cipher.key_file_of(db_path).read_bytes())
    src = cipher.connect(db_path, key=key)
    dst = cipher.connect(partial, key=key)
    try:
        src.backup(dst)
        # One self-contained file: no -wal beside it for a read-only check to leave behind.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    problems = quick_check(partial)
    if problems:
        partial.unlink(missing_ok=True)
        key_copy(target).unlink(missing_ok=True)
        raise QzdeskError(f"备份 {target.name} 校验失败：{'；'.join(problems)}。原数据未改动。")
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


def encrypt_plain_backups(paths: DataPaths) -> list[Path]:
    """Backups written before the store was encrypted, encrypted now with the store's key
    (its key file copied beside each), so no copy of the roster stays in clear. Each is
    replaced by rename once its encrypted copy is checked; a kill leaves it plain, to be
    done at the next sign-in."""
    live_key_file = cipher.store_key_file(paths)
    key = cipher.key_for(paths.database)
    if key is None:
        return []
    done = []
    for backup in sorted(paths.backups.glob("*.sqlite")):
        if not cipher.is_plain(backup):
            continue
        partial = backup.with_name(backup.name + ".part")
        cipher.encrypt_copy(backup, partial, key)
        same_content(backup, None, partial, key)
        write_atomically(key_copy(backup), live_key_file.read_bytes())
        os.replace(partial, backup)
        fsync_dir(backup.parent)
        done.append(backup)
    return done


def key_copy(backup: Path) -> Path:
    return backup.with_name(backup.name + cipher.KEY_SUFFIX)


def taken_at(path: Path) -> datetime | None:
    """When a backup named by `online_backup` was taken (None for another file)."""
    parts = path.stem.split("-")
    try:
        return datetime.strptime("-".join(parts[1:4]), STAMP)
    except (ValueError, IndexError):
        return None


def backups(paths: DataPaths) -> list[Path]:
    """The directory's backups, newest first."""
    found = [p for p in paths.backups.glob("qzdesk-*.sqlite") if taken_at(p) is not None]
    return sorted(found, key=lambda p: taken_at(p) or datetime.min, reverse=True)


def latest_backup(paths: DataPaths) -> Path | None:
    found = backups(paths)
    return found[0] if found else None


def auto_backup(paths: DataPaths) -> Path:
    """The backup taken when qzdesk closes after writing (and daily while it runs), then
    the automatic ones thinned to 7 daily, 4 weekly and 12 monthly."""
    made = online_backup(paths.database, paths.backups, AUTO)
    thin(paths)
    return made


def thin(paths: DataPaths) -> list[Path]:
    """Remove automatic backups beyond the newest of each of the last days, weeks and
    months kept; manual and pre-migration backups are never removed. Returns those removed."""
    automatic = [p for p in backups(paths) if p.stem.endswith(f"-{AUTO}")]
    keep: set[Path] = set()
    for limit, period in (
        (KEEP_DAILY, lambda d: d.date()),
        (KEEP_WEEKLY, lambda d: d.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda d: (d.year, d.month)),
    ):
        seen: list[object] = []
        for path in automatic:  # newest first: the first of each period is kept
            key = period(taken_at(path))  # type: ignore[arg-type]
            if key not in seen and len(seen) < limit:
                seen.append(key)
                keep.add(path)
    removed = [p for p in automatic if p not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
        key_copy(path).unlink(missing_ok=True)
    return removed


def check_backup(source: Path) -> str:
    """The schema revision of a readable qzdesk backup that this version can open;
    QzdeskError naming what is wrong (nothing has been touched)."""
    if not source.is_file():
        raise QzdeskError(f"找不到备份文件 {source}。")
    problems = quick_check(source)
    if problems:
        raise QzdeskError(f"备份文件 {source.name} 已损坏：{'；'.join(problems[:3])}。")
    conn = cipher.connect(source, read_only=True)
    try:
        revision = stored_revision(conn)
    finally:
        conn.close()
    if revision is None:
        raise QzdeskError(f"{source.name} 不是 qzdesk 的数据文件或备份。")
    if is_newer(revision):
        raise QzdeskError(
            f"备份 {source.name} 由更新版本的 qzdesk 写入（数据结构版本 {revision}，"
            f"本程序只认识到 {SCHEMA_HEAD}）：请先安装最新版 qzdesk 再恢复。当前数据未做任何改动。"
        )
    return revision


@dataclass(frozen=True)
class Restored:
    kept: Path | None  # the file it replaced, kept as a backup
    same_secrets: bool  # the password and 恢复码 in force before still open it

    def secrets_note(self) -> str:
        if self.same_secrets:
            return "登录密码和恢复码不变（恢复的数据已改用当前的密钥加密）。"
        return (
            "恢复的数据用备份当时的密码和恢复码打开：请用那时的密码登录；"
            "如那时的恢复码已作废或遗失，登录后请在“设置 → 书记与密码”中生成新的恢复码。"
        )


def restore(paths: DataPaths, source: Path) -> Restored:
    """Put a checked backup in place of the data file (the caller holds the directory's
    lock, no connection is open, and the backup's key is unlocked). Refused before
    anything is touched when the backup is damaged, unreadable or from a newer version.
    The current file, if any, is kept aside first. When the current file's key is at
    hand, the backup is re-encrypted under it, so the password and 恢复码 in force stay
    so (an older backup never brings back an old password or a replaced code); else the
    backup's own key file comes with it. File and key switch together (switch.py)."""
    check_backup(source)
    backup_key = cipher.key_for(source)
    live_key = _live_key(paths)
    kept = _keep_current(paths) if paths.database.exists() else None
    database, key_file = paths.database, cipher.store_key_file(paths)
    staged = switch.staged(database)
    finals = [database]
    if live_key is not None:
        cipher.encrypt_copy(source, staged, live_key, backup_key)
        same_content(source, backup_key, staged, live_key)
    else:
        staged.unlink(missing_ok=True)
        src = cipher.connect(source, read_only=True, key=backup_key)
        dst = cipher.connect(staged, key=backup_key)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        with open(staged, "rb") as handle:
            os.fsync(handle.fileno())
        if backup_key is not None:
            write_atomically(switch.staged(key_file), cipher.key_file_of(source).read_bytes())
            finals.append(key_file)
    crashpoints.reached("restore-staged")
    switch.decide(paths, finals)
    switch.finish(paths)
    return Restored(kept, live_key is not None or backup_key is None)


def _live_key(paths: DataPaths) -> bytes | None:
    """The current file's key when it is encrypted, its key file fits it and is unlocked."""
    if not paths.database.exists() or cipher.is_plain(paths.database):
        return None
    try:
        key = cipher.key_for(paths.database)
    except QzdeskError:  # locked, or its key file missing or damaged
        return None
    return key if key is not None and cipher.fits(paths.database, key) else None


def _keep_current(paths: DataPaths) -> Path:
    """The file about to be replaced, kept as a backup: a checked online copy when it is
    sound and its key unlocked, else the bytes as they are (evidence) with its key file."""
    try:
        if not quick_check(paths.database):
            return online_backup(paths.database, paths.backups, "before-restore")
    except cipher.StoreLocked:
        pass
    kept = paths.backups / f"qzdesk-{clock.now().strftime(STAMP)}-damaged.sqlite"
    paths.backups.mkdir(parents=True, exist_ok=True)
    shutil.copy2(paths.database, kept)
    key_file = paths.keys / cipher.KEY_FILE
    if key_file.exists():
        shutil.copy2(key_file, key_copy(kept))
    return kept
