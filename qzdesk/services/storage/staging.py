"""A new store built to the side and moved in whole: the demo takes many transactions,
and a kill halfway must not leave a half-built directory that looks like a real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from qzdesk.config import DataPaths
from qzdesk.services import clock
from qzdesk.services.errors import QzdeskError
from qzdesk.services.storage import cipher
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.store import Store

STAGE = ".setup.part"  # inside the data directory: the same file system, so renames hold
MOVED = ("keys", "attachments", "rules", "received", "issued", "trust")  # what a new store filled


def stage_of(paths: DataPaths) -> DataPaths:
    return DataPaths(paths.root / STAGE)


@contextmanager
def staged_store(paths: DataPaths, program: str) -> Iterator[Store]:
    """A store for `paths` that appears there only once the block has finished; until
    then (and after a crash) the directory holds no database at all."""
    paths.root.mkdir(parents=True, exist_ok=True)
    lock = DataDirLock(paths, program)
    lock.acquire()
    stage = stage_of(paths)
    try:
        if paths.database.exists():
            raise QzdeskError(
                f"数据目录 {paths.root} 中已有数据，不会覆盖它。请用 --data 指定一个空目录。"
            )
        shutil.rmtree(stage.root, ignore_errors=True)  # a crashed run's
        with Store.open(stage.root, program, create=True) as store:
            yield store
        _move_in(stage, paths)
    finally:
        shutil.rmtree(stage.root, ignore_errors=True)
        lock.release()


def _move_in(stage: DataPaths, paths: DataPaths) -> None:
    # One file, no WAL beside it: the rename below is then the whole commit.
    conn = cipher.connect(stage.database)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for name in MOVED:
        source = stage.root / name
        if not source.is_dir():
            continue
        for path in source.rglob("*"):
            if path.is_dir():
                continue
            target = paths.root / path.relative_to(stage.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and name == "keys":
                # A key without a database beside it: kept aside, never overwritten.
                retired = paths.keys / "retired"
                retired.mkdir(exist_ok=True)
                target.rename(retired / f"{clock.now_utc():%Y%m%d-%H%M%S}-{target.name}")
            os.replace(path, target)
    os.replace(stage.database, paths.database)
