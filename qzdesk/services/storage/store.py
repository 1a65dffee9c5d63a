"""An opened data directory: its lock, its engine and short transactions over it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from qzdesk.config import DataPaths
from qzdesk.models import make_engine
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.schema import ensure_current

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "系统"


class Store:
    """Open with `Store.open(dir, program)`; close when done (or use `with`)."""

    def __init__(self, paths: DataPaths, engine: Engine, lock: DataDirLock) -> None:
        self.paths = paths
        self.engine = engine
        self._lock = lock
        self.actor = SYSTEM_ACTOR
        self.migration_backup: Path | None = None

    @classmethod
    def open(cls, data_dir: Path, program: str) -> Store:
        paths = DataPaths(data_dir)
        lock = DataDirLock(paths, program)
        lock.acquire()
        engine = make_engine(paths.database)
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
    def transaction(self) -> Iterator[Session]:
        """One short read-write transaction: committed on success, rolled back on any error."""
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
