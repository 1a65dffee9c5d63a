"""Writing files so that a full disk or a pulled USB stick never leaves half a file under
the real name: a temporary name in the target folder, fsync, rename."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from qzdesk.services import clock
from qzdesk.services.errors import QzdeskError


def write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
            fsync_dir(path.parent)
        finally:
            if temporary.exists():
                temporary.unlink()
    except OSError as exc:
        raise QzdeskError(
            f"无法写入 {path}：{exc.strerror}。"
            "请检查目录是否存在、可写，磁盘或 U 盘是否已满或已拔出。"
        ) from exc


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows cannot open a folder and its
    renames are journaled by NTFS)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def spool_in(folder: Path) -> str | None:
    """This process's temporary files (openpyxl spools an export's rows to one until it
    saves; ID numbers) go to the data directory's spool/, cleared at each start, never the
    system's temp folder, where a killed export would leave them for good. Returns the
    folder it replaced, to put back."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    before, tempfile.tempdir = tempfile.tempdir, str(folder)
    return before


STALE_AFTER_S = 15 * 60  # longer than any write: a younger part may be another writer's


def remove_stale_parts(folder: Path, stem: str) -> list[Path]:
    """Temporary files `write_atomically` left for names starting with `stem` when the
    process was killed mid-write (in a folder outside the data directory, such as the
    archives' folder on a USB stick). Only old ones: another qzdesk writing to the same
    stick at this moment keeps its file."""
    now = clock.now().timestamp()
    found = []
    for path in folder.glob(f".{stem}*.part") if folder.is_dir() else []:
        try:
            if now - path.stat().st_mtime > STALE_AFTER_S:
                path.unlink(missing_ok=True)
                found.append(path)
        except FileNotFoundError:  # its writer finished meanwhile
            pass
    return found
