"""The SQLite engine: pragmas on every connection and real transactions.

pysqlite's own transaction handling neither wraps DDL nor begins before a SELECT;
we switch it off and emit BEGIN ourselves (SQLAlchemy's documented recipe), so a
migration or a service call is all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 64 * 1024


def make_engine(db_path: Path, connect: Callable[[], Any] | None = None) -> Engine:
    """`connect` makes the DB-API connection (SQLCipher's driver, keyed when the file is
    encrypted); SQLAlchemy's SQLite dialect runs over it unchanged."""
    if connect is None:

        def connect() -> Any:  # a plain file (a scratch database)
            return sqlcipher.connect(str(db_path), check_same_thread=False)

    # hide_parameters: a failed statement's values (names, ID numbers) never reach the log.
    engine = create_engine(
        f"sqlite:///{db_path}", module=sqlcipher, creator=connect, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Up to 64 MiB of pages kept per connection: an encrypted page is decrypted and
        # its HMAC checked each time it is read in, so a roomier cache pays (bench).
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine
