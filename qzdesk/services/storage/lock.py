"""One qzdesk process per data directory, with the holder named for the second one."""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qzdesk.config import DataPaths
from qzdesk.services import clock
from qzdesk.services.errors import DataDirBusy

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _wait_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _wait_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def taking_turns(path: Path) -> Iterator[None]:
    """A short OS lock on `path`, waited for: processes that read, then write a file
    (the sign-in counter) do so one at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _wait_lock(fd)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


class DataDirLock:
    """An OS lock on `qzdesk.lock`; the owner's details sit in a separate file because a
    locked region cannot be read on Windows. The OS drops the lock if the process dies."""

    def __init__(self, paths: DataPaths, program: str) -> None:
        self._paths = paths
        self._program = program
        self._fd: int | None = None

    def acquire(self) -> None:
        self._paths.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _try_lock(fd)
        except OSError:
            os.close(fd)
            raise DataDirBusy(self._busy_message()) from None
        self._fd = fd
        owner = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "program": self._program,
            "since": clock.now().isoformat(timespec="seconds"),
        }
        tmp = self._paths.lock_owner.with_suffix(".tmp")
        tmp.write_text(json.dumps(owner, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._paths.lock_owner)

    def release(self) -> None:
        if self._fd is None:
            return
        self._paths.lock_owner.unlink(missing_ok=True)
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None

    def _busy_message(self) -> str:
        root = self._paths.root
        try:
            owner = json.loads(self._paths.lock_owner.read_text(encoding="utf-8"))
            since = owner["since"].replace("T", " ")[:16]
            holder = f"另一个 {owner['program']}（计算机 {owner['host']}，自 {since} 起）"
        except (OSError, ValueError, KeyError):
            holder = "另一个进程（其信息无法读取）"
        return (
            f"数据目录 {root} 正被 {holder} 使用。"
            "同一时间只能有一个 qzdesk 打开它：请先关闭那个 qzdesk 窗口或命令，再重试。"
        )
