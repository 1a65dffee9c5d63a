"""Online backups: a consistent, checked copy of a live database."""

from __future__ import annotations

import sqlite3

from qzdesk.services.organisation import orgs
from qzdesk.services.storage.backup import online_backup
from qzdesk.services.storage.integrity import quick_check


def test_backup_of_an_open_database_holds_its_data(store):
    root = next(o for o in orgs.list_orgs(store) if o.parent_id is None)
    orgs.add_branch(store, root.id, "备份前新建的团支部")
    target = online_backup(store.paths.database, store.paths.backups, "manual")
    assert target.parent == store.paths.backups and target.suffix == ".sqlite"
    assert quick_check(target) == []
    with sqlite3.connect(target) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM org")]
    assert "备份前新建的团支部" in names
    assert not list(store.paths.backups.glob("*.part"))
