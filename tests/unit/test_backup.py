"""Online backups: a consistent, checked copy of a live database."""

from __future__ import annotations

import json

from qzdesk.services.organisation import orgs
from qzdesk.services.storage import cipher
from qzdesk.services.storage.backup import online_backup
from qzdesk.services.storage.integrity import quick_check
from tests.desks import desk_of


def test_backup_of_an_open_database_holds_its_data(store):
    root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
    desk_of(store).write(orgs.add_branch, root.id, "备份前新建的团支部")
    target = online_backup(store.paths.database, store.paths.backups, "manual")
    assert target.parent == store.paths.backups and target.suffix == ".sqlite"
    assert quick_check(target) == []
    with cipher.connect(target) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM org")]
    assert "备份前新建的团支部" in names
    assert not list(store.paths.backups.glob("*.part"))


def qzdesk(*args, password: str | None = "qzdemo"):
    from tests.unit.test_cli import qzdesk as run

    return run(*args, env={"QZDESK_PASSWORD": password} if password else None)


def test_a_backup_to_a_stick_needs_the_secretary_s_password(data_dir, tmp_path):
    """A backup carries every ID number."""
    data = ["--data", str(data_dir), "--out", str(tmp_path / "U盘")]
    refused = qzdesk("backup", *data, password=None)
    assert refused.returncode == 2 and "密码" in refused.stderr
    assert qzdesk("backup", *data, password="wrong-password").returncode == 2
    assert not (tmp_path / "U盘").exists() or not list((tmp_path / "U盘").iterdir())
    assert qzdesk("backup", *data).returncode == 0


def test_a_lost_data_file_is_never_replaced_by_an_empty_one(data_dir):
    data = ["--data", str(data_dir)]
    made = qzdesk("backup", "--json", *data)
    assert made.returncode == 0, made.stderr
    backup = json.loads(made.stdout)["file"]
    (data_dir / "qzdesk.sqlite").unlink()
    for command in (["ledger", "verify"], ["members", "export", str(data_dir / "x.xlsx")]):
        refused = qzdesk(*command, *data)
        assert refused.returncode == 2, command
        assert "没有数据文件 qzdesk.sqlite" in refused.stderr and backup in refused.stderr
    assert not (data_dir / "qzdesk.sqlite").exists()
    assert qzdesk("check", *data).returncode == 4
    restored = qzdesk("restore", backup, *data)
    assert restored.returncode == 0, restored.stderr
    assert qzdesk("check", "--full", *data).returncode == 0
    assert qzdesk("ledger", "verify", *data).returncode == 0


def test_restore_keeps_the_current_file_aside_and_refuses_a_non_backup(data_dir, tmp_path):
    from qzdesk.config import DataPaths
    from qzdesk.services.storage.store import Store

    data = ["--data", str(data_dir)]
    outside = tmp_path / "U盘"
    made = json.loads(qzdesk("backup", "--out", str(outside), "--json", *data).stdout)["file"]
    assert made.startswith(str(outside))
    with Store.open(data_dir, "tests") as store:
        root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
        desk_of(store).write(orgs.add_branch, root.id, "备份之后新建的团支部")
    not_a_backup = tmp_path / "note.sqlite"
    cipher.connect(not_a_backup).execute("CREATE TABLE t (x)").connection.commit()
    refused = qzdesk("restore", str(not_a_backup), *data)
    assert refused.returncode == 2 and "不是 qzdesk 的数据文件或备份" in refused.stderr
    restored = qzdesk("restore", made, "--json", *data)
    assert restored.returncode == 0, restored.stderr
    kept = json.loads(restored.stdout)["previous_kept_as"]
    with cipher.connect(kept) as conn:  # the newer data was kept aside, not lost
        assert "备份之后新建的团支部" in [r[0] for r in conn.execute("SELECT name FROM org")]
    with Store.open(DataPaths(data_dir).root, "tests") as store:
        assert "备份之后新建的团支部" not in {o.name for o in desk_of(store).read(orgs.list_orgs)}


def test_a_damaged_file_is_found_by_the_full_check_and_recovered(data_dir):
    data = ["--data", str(data_dir)]
    backup = json.loads(qzdesk("backup", "--json", *data).stdout)["file"]
    database = data_dir / "qzdesk.sqlite"
    with cipher.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    raw = bytearray(database.read_bytes())
    for page in range(3, len(raw) // page_size, 2):  # scribble over every other page
        raw[page * page_size + 100 : page * page_size + 200] = b"\xff" * 100
    database.write_bytes(bytes(raw))
    assert qzdesk("check", "--full", *data).returncode == 4
    restored = qzdesk("restore", backup, "--json", *data)
    assert restored.returncode == 0, restored.stderr
    assert "damaged" in json.loads(restored.stdout)["previous_kept_as"]
    assert qzdesk("check", "--full", *data).returncode == 0


def test_automatic_backups_are_thinned_to_days_weeks_and_months(tmp_path):
    from datetime import datetime, timedelta

    from qzdesk.config import DataPaths
    from qzdesk.services.storage.backup import STAMP, backups, thin

    paths = DataPaths(tmp_path)
    paths.backups.mkdir()
    start = datetime(2026, 12, 1, 18, 0)
    for day in range(400):  # a year and more of daily automatic backups, two a day
        for hour in (9, 18):
            at = start - timedelta(days=day) + timedelta(hours=hour - 18)
            (paths.backups / f"qzdesk-{at.strftime(STAMP)}-auto.sqlite").touch()
    (paths.backups / f"qzdesk-{start.strftime(STAMP)}-manual.sqlite").touch()
    thin(paths)
    kept = backups(paths)
    automatic = [p for p in kept if p.stem.endswith("-auto")]
    assert len(automatic) <= 7 + 4 + 12 and len(automatic) >= 12
    assert any(p.stem.endswith("-manual") for p in kept)  # a manual backup is never thinned
    assert kept[0].stem.endswith("-manual") or "20261201-18" in kept[0].stem
