"""Bringing a database to this version's schema with Alembic, safely.

The head revision is also kept as a constant so a normal start reads one row instead
of importing Alembic; a test keeps the constant equal to Alembic's head.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from sqlalchemy import Engine

from qzdesk.config import DataPaths
from qzdesk.services.errors import SchemaError
from qzdesk.services.storage.backup import online_backup
from qzdesk.services.storage.integrity import stored_revision, user_tables
from qzdesk.services.storage.revisions import (
    SCHEMA_HEAD,
    alembic_config,
    is_newer,
    too_new_message,
)

log = logging.getLogger(__name__)


def ensure_current(engine: Engine, paths: DataPaths) -> Path | None:
    """Migrate to head; return the backup taken first, if there was anything to back up."""
    raw = engine.raw_connection()
    try:
        revision = stored_revision(raw.driver_connection)
        tables = user_tables(raw.driver_connection)
    finally:
        raw.close()
    if revision == SCHEMA_HEAD:
        return None
    if revision is not None and is_newer(revision):
        raise SchemaError(too_new_message(revision))
    if revision is None and tables:
        raise SchemaError(
            f"{paths.database} 不是 qzdesk 的数据文件（其中已有别的数据表）。"
            "请换一个空目录，或选择正确的数据目录。"
        )
    backup = None
    if revision is not None:
        backup = online_backup(paths.database, paths.backups, f"before-migrate-{revision}")
        log.info("backed up %s before migrating from %s: %s", paths.database, revision, backup)
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        # SQLite's way to rebuild a table others refer to: foreign keys off (before the
        # transaction starts, where the pragma takes effect), checked before commit.
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                connection.rollback()
                raise SchemaError(
                    f"升级数据结构时发现 {len(broken)} 处引用不一致（{broken[0][0]} 表），"
                    "未做任何改动。请联系维护人员。"
                )
            connection.commit()
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
    log.info("database %s migrated from %s to %s", paths.database, revision, SCHEMA_HEAD)
    return backup


@cache
def expected_triggers() -> frozenset[str]:
    """The triggers a file of this schema holds (the append-only guards among them), read
    from a scratch database migrated to head: never a list kept by hand."""
    import tempfile

    from alembic import command

    from qzdesk.models.engine import make_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(Path(scratch) / "scratch.sqlite")
        try:
            config = alembic_config()
            with engine.connect() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                names = connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).scalars()
                found = frozenset(names)
                connection.commit()
        finally:
            engine.dispose()
    return found
