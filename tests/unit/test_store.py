"""Opening a data directory: the lock, the SQLite set-up, all-or-nothing transactions."""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy import select, text

from qzdesk.models import Org
from qzdesk.services.errors import DataDirBusy
from qzdesk.services.storage.store import Store


def test_pragmas_are_set_on_every_connection(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_a_second_open_in_this_process_is_refused_naming_the_holder(data_dir):
    with Store.open(data_dir, "第一个窗口"), pytest.raises(DataDirBusy) as refused:
        Store.open(data_dir, "第二个窗口")
    message = str(refused.value)
    assert f"另一个 第一个窗口（计算机 {socket.gethostname()}，自 " in message
    assert str(os.getpid()) not in message  # a process number tells a secretary nothing
    assert str(data_dir) in message


def test_another_process_holding_the_lock_is_named(data_dir, lock_holder):
    holder = lock_holder(data_dir)
    with pytest.raises(DataDirBusy) as refused:
        Store.open(data_dir, "测试")
    assert "另一个 测试占用进程" in str(refused.value)
    assert str(holder.pid) not in str(refused.value)


def test_closing_releases_the_lock(data_dir):
    Store.open(data_dir, "tests").close()
    with Store.open(data_dir, "tests") as again:
        assert again.paths.root == data_dir
    assert not (data_dir / "qzdesk.lock.owner").exists()


def test_an_error_inside_a_transaction_leaves_nothing_written(store):
    with pytest.raises(RuntimeError), store.transaction() as session:
        root = session.scalar(select(Org).where(Org.parent_id.is_(None)))
        root.name = "改了一半"
        session.flush()
        raise RuntimeError("crash halfway")
    with store.transaction() as session:
        names = session.scalars(select(Org.name)).all()
    assert "改了一半" not in names


def test_foreign_keys_are_enforced(store):
    with pytest.raises(Exception, match="FOREIGN KEY"), store.transaction() as session:
        session.execute(
            text(
                "INSERT INTO org (parent_id, kind, sector, name, position, created_on) "
                "VALUES (9999, 'branch', 'village', '孤儿支部', 0, '2024-01-01')"
            )
        )


def test_half_written_files_of_an_interrupted_run_are_cleared_at_the_next_open(data_dir):
    from qzdesk.config import DataPaths

    paths = DataPaths(data_dir)
    paths.backups.mkdir(exist_ok=True)
    leftovers = [
        paths.backups / "qzdesk-20261201-120000-000000-auto.sqlite.part",
        data_dir / "qzdesk.sqlite.restore.part",
        paths.keys / ".branch.p12.1a2b3c4d.part",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    kept = paths.backups / "qzdesk-20261201-120000-000000-manual.sqlite"
    kept.write_bytes(b"a finished backup")
    Store.open(data_dir, "tests").close()
    assert not any(p.exists() for p in leftovers) and kept.exists()
