"""Restoring: refused before the live file is touched when the backup cannot be used;
afterwards the password and 恢复码 in force are the current ones; another installation's
backup leaves a way to sign; a missing or foreign key file is named as such and mended
from the backups' key copies."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qzdesk.config import DataPaths
from qzdesk.models import Member
from qzdesk.services.demo.build import demo_request
from qzdesk.services.errors import QzdeskError
from qzdesk.services.security import auth, branch_key, store_key
from qzdesk.services.setup import initialise
from qzdesk.services.storage import cipher
from qzdesk.services.storage.backup import online_backup, restore
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.store import Store
from tests.desks import desk_of
from tests.unit.test_backup import qzdesk

PASSWORD = "qzdemo"


@pytest.fixture(autouse=True)
def new_process(monkeypatch):
    monkeypatch.setattr(cipher, "_unlocked", {})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def members(root: Path) -> int:
    with Store.open(root, "tests") as store, store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Member)) or 0)


def restored(paths: DataPaths, source: Path):
    lock = DataDirLock(paths, "tests")
    lock.acquire()
    try:
        return restore(paths, source)
    finally:
        lock.release()


def test_a_backup_from_a_newer_version_leaves_the_live_file_untouched(data_dir):
    paths = DataPaths(data_dir)
    assert auth.login(paths, PASSWORD).ok
    backup = online_backup(paths.database, paths.backups, "manual")
    conn = cipher.connect(backup)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = {p.name: digest(p) for p in (paths.database, cipher.store_key_file(paths))}
    refused = qzdesk("restore", str(backup), "--data", str(data_dir))
    assert refused.returncode == 2
    assert "更新版本" in refused.stderr and "当前数据未做任何改动" in refused.stderr
    assert {p.name: digest(p) for p in (paths.database, cipher.store_key_file(paths))} == before
    assert not list(paths.backups.glob("*before-restore*"))


def test_an_older_backup_opens_with_the_password_and_code_in_force_now(data_dir):
    paths = DataPaths(data_dir)
    assert auth.login(paths, PASSWORD).ok
    old = online_backup(paths.database, paths.backups, "manual")
    with Store.open(data_dir, "tests") as store:
        desk_of(store).write(auth.change_password, PASSWORD, "xinmima2026", "xinmima2026")
        code = desk_of(store).read(auth.propose_recovery_code, "xinmima2026")
        auth.replace_recovery_code(store, "书记", "xinmima2026", code)
    from tests.unit.test_cli import qzdesk as run

    result = run(
        "restore",
        str(old),
        "--json",
        "--data",
        str(data_dir),
        env={"QZDESK_PASSWORD": "xinmima2026", "QZDESK_BACKUP_PASSWORD": PASSWORD},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["same_password_and_recovery_code"] is True
    cipher.forget_all()
    paths_now = DataPaths(data_dir)
    assert not auth.login(paths_now, PASSWORD).ok  # the old password brings nothing back
    cipher.forget_all()
    assert auth.unlock_with_recovery_code(paths_now, code)
    assert auth.login(paths_now, "xinmima2026").ok
    assert members(data_dir) > 0
    checked = qzdesk("check", "--full", "--data", str(data_dir), password="xinmima2026")
    assert checked.returncode == 0, checked.stderr


def other_installation(tmp_path: Path, profiles) -> Path:
    root = tmp_path / "other"
    with Store.open(root, "tests", create=True) as store:
        desk_of(store, profiles).write(initialise, demo_request(date(2026, 3, 1)))
    return online_backup(root / "qzdesk.sqlite", tmp_path / "U盘", "manual")


def test_another_installation_s_backup_keeps_this_pc_able_to_sign(data_dir, tmp_path, profiles):
    theirs = other_installation(tmp_path, profiles)
    cipher.forget_all()
    paths = DataPaths(data_dir)
    assert auth.login(paths, PASSWORD).ok
    assert auth.unlock_backup(paths, theirs, PASSWORD).ok
    result = restored(paths, theirs)
    assert result.same_secrets and result.kept is not None
    with Store.open(data_dir, "tests") as store:
        branch_key.load_key(store, PASSWORD)  # this PC's key still opens under its data key


def test_on_a_new_pc_a_stale_signing_key_is_set_aside_for_a_new_one(data_dir, tmp_path, profiles):
    """The data file lost, keys/ still holding this PC's signing key: the backup of another
    installation comes with its own data key, under which the old signing key cannot
    open; creating a new one keeps the old under keys/retired/."""
    theirs = other_installation(tmp_path, profiles)
    cipher.forget_all()
    paths = DataPaths(data_dir)
    paths.database.unlink()
    assert auth.unlock_backup(paths, theirs, PASSWORD).ok
    result = restored(paths, theirs)
    assert not result.same_secrets and "备份当时的密码" in result.secrets_note()
    with Store.open(data_dir, "tests") as store:
        with pytest.raises(QzdeskError, match="创建新的签名密钥"):
            branch_key.load_key(store, PASSWORD)
        desk_of(store).write(branch_key.create_key, PASSWORD)
        branch_key.load_key(store, PASSWORD)
    assert list((paths.keys / "retired").glob("*branch-key.p12"))


@pytest.mark.parametrize("how", ["missing", "foreign"])
def test_a_lost_or_foreign_key_file_is_put_back_from_a_backup_s_copy(
    data_dir, tmp_path, profiles, how
):
    paths = DataPaths(data_dir)
    assert auth.login(paths, PASSWORD).ok
    online_backup(paths.database, paths.backups, "auto")
    before = members(data_dir)
    key_file = cipher.store_key_file(paths)
    if how == "missing":
        key_file.unlink()
    else:
        theirs = other_installation(tmp_path, profiles)
        shutil.copy(theirs.with_name(theirs.name + cipher.KEY_SUFFIX), key_file)
    cipher.forget_all()
    assert auth.login(paths, PASSWORD).ok
    assert members(data_dir) == before
    assert (paths.keys / "retired").is_dir() == (how == "foreign")


def test_a_key_file_nothing_mends_is_named_not_called_damage(data_dir):
    paths = DataPaths(data_dir)
    cipher.store_key_file(paths).unlink()
    for copy in paths.backups.glob(f"*{cipher.KEY_SUFFIX}"):
        copy.unlink()
    refused = qzdesk("members", "export", str(data_dir / "x.xlsx"), "--data", str(data_dir))
    assert refused.returncode == 2
    assert "完好" in refused.stderr and "密钥文件" in refused.stderr
    assert "已损坏" not in refused.stderr
    assert store_key.organisation(paths) is None
