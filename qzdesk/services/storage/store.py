"""An opened data directory: its lock, its engine and the units of work over it.

A desk operation is one unit of work: one transaction, one snapshot, one actor. A service
that asks for `store.transaction()` inside it joins that transaction (as a savepoint, so
an error it raises undoes its own part only), so an operation made of several services
still reads one snapshot and commits once."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session

from qzdesk.config import DataPaths
from qzdesk.models import make_engine
from qzdesk.services.errors import DataFileMissing
from qzdesk.services.storage import cipher
from qzdesk.services.storage.backup import latest_backup
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.schema import ensure_current
from qzdesk.services.storage.settle import settle

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "系统"


@dataclass(frozen=True)
class Unit:
    """The unit of work a desk operation runs in on this thread."""

    session: Session
    actor: str


_unit: ContextVar[Unit | None] = ContextVar("qzdesk_unit", default=None)


class WriteInRead(RuntimeError):
    """A read operation tried to change the records: a fault in the program, not the
    user's (reads are rolled back, so the change would be silently lost)."""


def _refuse_flush(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise WriteInRead("a read operation tried to write (use desk.write)")


def _refuse_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise WriteInRead("a read operation tried to write (use desk.write)")


def damaged_message(paths: DataPaths) -> str:
    latest = latest_backup(paths)
    restore = (
        f'最近的备份是 {latest}：确认后运行 qzdesk restore "{latest}" 恢复（当前文件会先留存），'
        "或在图形界面“文件 → 从备份恢复…”中恢复。"
        if latest is not None
        else "没有找到备份：请不要再写入，复制整个数据目录后联系技术支持。"
    )
    return f"数据文件 {paths.database} 已损坏，读不出其中的部分记录。{restore}"


def missing_message(paths: DataPaths) -> str:
    latest = latest_backup(paths)
    if latest is not None:
        return (
            f"数据目录 {paths.root} 中没有数据文件 qzdesk.sqlite（可能被删除或移走）。"
            f'最近的备份是 {latest}：运行 qzdesk restore "{latest}" 恢复，'
            "或打开 qzdesk 图形界面按提示恢复。"
        )
    return (
        f"数据目录 {paths.root} 中没有数据文件 qzdesk.sqlite。"
        "如果这是新的数据目录，请运行 qzdesk 完成首次设置（或 qzdesk init）；"
        "如果数据被移走了，请用 --data 指定正确的目录。"
    )


def _key_of(paths: DataPaths, create: bool) -> bytes | None:
    """The data key to open with; a new store gets a new one."""
    if not paths.database.exists():
        if not create:
            raise DataFileMissing(missing_message(paths))
        if cipher.is_sealed(paths):  # the data file is gone, its key (and backups) not
            raise DataFileMissing(missing_message(paths))
        return cipher.new_key(paths)
    return cipher.key_for(paths.database)


def _engine(paths: DataPaths, key: bytes | None) -> Engine:
    return make_engine(paths.database, lambda: cipher.connect(paths.database, key=key))


class Store:
    """Open with `Store.open(dir, program)`; close when done (or use `with`)."""

    def __init__(self, paths: DataPaths, engine: Engine, lock: DataDirLock) -> None:
        self.paths = paths
        self.engine = engine
        self._lock = lock
        self.migration_backup: Path | None = None

    @classmethod
    def open(
        cls,
        data_dir: Path,
        program: str,
        create: bool = False,
        lock: DataDirLock | None = None,
    ) -> Store:
        """Open the store; only first-run setup and the demo builder may `create` one, so a
        lost or moved file is never silently replaced by an empty one. A `lock` already
        acquired (the GUI takes it before the login dialog) is kept."""
        paths = DataPaths(data_dir)
        if lock is None:
            lock = DataDirLock(paths, program)
            lock.acquire()
        try:
            settle(paths)
            key = _key_of(paths, create)
        except BaseException:
            lock.release()
            raise
        engine = _engine(paths, key)
        try:
            store = cls(paths, engine, lock)
            store.migration_backup = ensure_current(engine, paths)
        except BaseException:
            engine.dispose()
            lock.release()
            raise
        log.info("opened %s for %s", paths.root, program)
        return store

    @contextmanager
    def switching(self) -> Iterator[None]:
        """No connection open while the data file is replaced under it (the lock stays
        held); afterwards the engine opens whatever file and key are then in place."""
        if _unit.get() is not None:
            raise RuntimeError("the data file cannot be replaced inside a unit of work")
        self.engine.dispose()
        try:
            yield
        finally:
            self.engine = _engine(self.paths, cipher.key_for(self.paths.database))

    @property
    def actor(self) -> str:
        """Who the audit log names: the running operation's actor, else the system."""
        unit = _unit.get()
        return SYSTEM_ACTOR if unit is None else unit.actor

    @contextmanager
    def unit(self, actor: str, *, write: bool) -> Iterator[Session]:
        """One unit of work (the desk's): a read ends in a rollback, a write commits."""
        if _unit.get() is not None:
            raise RuntimeError("an operation cannot start another unit of work")
        with Session(self.engine, expire_on_commit=False) as session:
            if not write:  # reads never commit: a change made in one is refused, not lost
                event.listen(session, "before_flush", _refuse_flush)
                event.listen(session, "do_orm_execute", _refuse_dml)
            session.begin()
            token = _unit.set(Unit(session, actor))
            try:
                yield session
                if write:
                    session.commit()
                else:
                    session.rollback()
            finally:
                _unit.reset(token)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Inside a unit of work, a savepoint of it; otherwise one short transaction of its
        own. Either is committed on success and rolled back on any error."""
        unit = _unit.get()
        if unit is not None:
            with unit.session.begin_nested():
                yield unit.session
            return
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
        self._lock.release()
        log.info("closed %s", self.paths.root)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
