"""Backups through SQLite's online backup API, never a file copy of a live database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from qzdesk.services import clock
from qzdesk.services.errors import QzdeskError
from qzdesk.services.storage.integrity import quick_check


def online_backup(db_path: Path, backup_dir: Path, label: str) -> Path:
    """Copy the database page by page into backups/, check the copy, then give it its name."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"qzdesk-{stamp}-{label}.sqlite"
    partial = target.with_name(target.name + ".part")
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    problems = quick_check(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise QzdeskError(f"备份 {target.name} 校验失败：{'；'.join(problems)}。原数据未改动。")
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target
