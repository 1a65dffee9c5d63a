"""The process killed at each named point of the operations that replace the data file or
its key (QZDESK_CRASH_AT, services/crashpoints.py): the conversion of a plain file, a new
恢复码 (a new data key), a password change or reset. Afterwards the window's own start path
(first_look, then the login's sign_in_and_open) opens the data with nothing lost, the
secrets the user was last shown open it, and `check --full` passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qzdesk.config import DataPaths
from qzdesk.models import Member
from qzdesk.services.crashpoints import CRASH_ENV
from qzdesk.services.security import branch_key, store_key
from qzdesk.services.storage import cipher
from qzdesk.services.storage.backup import backups
from qzdesk.ui.app import first_look, sign_in_and_open
from tests.desks import desk_of
from tests.unit.test_crashes import healthy
from tests.unit.test_member_import import run_cli

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"
PASSWORD = "qzdemo"
KILLED = -9


@pytest.fixture(autouse=True)
def new_process(monkeypatch):
    monkeypatch.setattr(cipher, "_unlocked", {})


def killed_at(point: str, root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
    clean.update({"QZDESK_PASSWORD": PASSWORD, CRASH_ENV: point, **env})
    return subprocess.run(
        [sys.executable, "-m", "qzdesk", *args, "--data", str(root)],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def members_in_window(root: Path, password: str = PASSWORD) -> int:
    """Start as the window does and sign in; the members the store then holds."""
    paths = DataPaths(root)
    lock, org_name, fresh = first_look(paths)
    assert org_name is not None and not fresh
    result, store = sign_in_and_open(paths, lock, password)
    assert result.ok, result.message
    assert store is not None
    try:
        with store.transaction() as session:
            return int(session.scalar(select(func.count()).select_from(Member)) or 0)
    finally:
        store.close()


@pytest.mark.parametrize("point", ["convert-copied", "switch-decided", "switch-renamed"])
def test_a_conversion_killed_anywhere_keeps_every_member(tmp_path, point):
    root = tmp_path / "old"
    root.mkdir()
    shutil.copy(FIXTURES / "0009.sqlite", root / "qzdesk.sqlite")
    conn = cipher.connect(root / "qzdesk.sqlite", key=None)
    before = conn.execute("SELECT count(*) FROM member").fetchone()[0]
    conn.close()
    assert before > 0
    run = killed_at(point, root, "members", "export", str(tmp_path / "out.xlsx"))
    assert run.returncode == KILLED, run.stderr
    assert members_in_window(root) == before
    assert not cipher.is_plain(root / "qzdesk.sqlite")  # converted, at the kill or now
    assert not any(cipher.is_plain(p) for p in backups(DataPaths(root)))
    assert not list(root.rglob("*.part"))
    healthy(root)


@pytest.mark.parametrize("point", ["rekey-copied", "switch-decided", "switch-renamed"])
def test_a_new_recovery_code_killed_anywhere_leaves_one_code_that_opens(data_dir, point):
    paths = DataPaths(data_dir)
    before = members_in_window(data_dir)
    old_key_file = cipher.store_key_file(paths).read_bytes()
    run = killed_at(point, data_dir, "password", "recovery-code")
    assert run.returncode == KILLED, run.stderr
    shown = run.stdout.split("：")[-1].strip()  # printed before it was put in force
    assert len(store_key.normalise_recovery_code(shown)) == 29
    cipher.forget_all()
    assert members_in_window(data_dir) == before
    decided = point != "rekey-copied"
    key_file = cipher.store_key_file(paths)
    assert (key_file.read_bytes() != old_key_file) == decided
    assert store_key.unlock(key_file, shown, store_key.RECOVERY) == decided
    # Whichever key is in force, the signing key opens under it.
    lock, _name, _fresh = first_look(paths)
    _result, store = sign_in_and_open(paths, lock, PASSWORD)
    assert store is not None
    try:
        branch_key.load_key(store, PASSWORD)
    finally:
        store.close()
    healthy(data_dir)


def test_a_password_reset_killed_before_its_commit_signs_in_and_signs(data_dir, tmp_path):
    """The key file re-wrapped, the database's hash not yet committed: the new password
    opens the data and the signing key (the key file decides), the old one nothing."""
    paths = DataPaths(data_dir)
    fresh = killed_at("switch-decided", data_dir, "password", "recovery-code")
    code = fresh.stdout.split("：")[-1].strip()
    cipher.forget_all()
    run = killed_at(
        "password-rewrapped",
        data_dir,
        "password",
        "reset",
        QZDESK_RECOVERY_CODE=code,
        QZDESK_PASSWORD="xinmima2026",
    )
    assert run.returncode == KILLED, run.stderr
    lock, _name, _fresh = first_look(paths)
    result, store = sign_in_and_open(paths, lock, PASSWORD)
    assert not result.ok and store is None
    lock.release()
    cipher.forget_all()
    lock, _name, _fresh = first_look(paths)
    result, store = sign_in_and_open(paths, lock, "xinmima2026")
    assert result.ok and store is not None
    try:
        branch_key.load_key(store, "xinmima2026")
    finally:
        store.close()
    checked = run_cli("check", "--full", "--data", str(data_dir), password="xinmima2026")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("point", ["restore-staged", "switch-decided", "switch-renamed"])
def test_a_restore_killed_anywhere_loses_neither_file(data_dir, point):
    """Before the decision the live file is as it was; after it, the backup is in place
    and the file it replaced is kept among the backups."""
    from qzdesk.services.organisation import orgs
    from qzdesk.services.security import auth
    from qzdesk.services.storage.backup import online_backup
    from qzdesk.services.storage.store import Store

    paths = DataPaths(data_dir)
    assert auth.login(paths, PASSWORD).ok
    backup = online_backup(paths.database, paths.backups, "manual")
    with Store.open(data_dir, "tests") as store:
        root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
        desk_of(store).write(orgs.add_branch, root.id, "备份之后新建的团支部")
    cipher.forget_all()
    run = killed_at(point, data_dir, "restore", str(backup))
    assert run.returncode == KILLED, run.stderr
    lock, _name, _fresh = first_look(paths)
    result, store = sign_in_and_open(paths, lock, PASSWORD)
    assert result.ok and store is not None
    try:
        names = {o.name for o in desk_of(store).read(orgs.list_orgs)}
    finally:
        store.close()
    decided = point != "restore-staged"
    assert ("备份之后新建的团支部" in names) != decided
    kept = [p for p in backups(paths) if p.name.endswith("-before-restore.sqlite")]
    assert kept  # taken before anything was replaced
    conn = cipher.connect(kept[0])
    try:
        assert "备份之后新建的团支部" in [r[0] for r in conn.execute("SELECT name FROM org")]
    finally:
        conn.close()
    healthy(data_dir)


def test_an_archive_killed_after_its_record_leaves_no_unrecorded_signed_file(data_dir, tmp_path):
    """The anchors are recorded before any file exists: a kill then leaves a record of an
    archive never handed over (harmless: what it anchors is true), never a signed file
    the store does not know."""
    out = tmp_path / "U盘"
    run = killed_at(
        "archive-recorded", data_dir, "archive", "build", "--period", "2026", "--out", str(out)
    )
    assert run.returncode == KILLED, run.stderr
    assert not (out.is_dir() and list(out.glob("*.pdf")))
    assert members_in_window(data_dir) > 0
    healthy(data_dir)
    built = run_cli(
        "archive", "build", "--period", "2026", "--out", str(out), "--data", str(data_dir)
    )
    assert built.returncode == 0, built.stderr
    assert len(list(out.glob("*.pdf"))) == 1


def test_an_export_killed_before_saving_leaves_no_id_number_outside_the_data_folder(
    data_dir, tmp_path
):
    """openpyxl spools rows to temporary files until it saves: they are in the data
    directory's spool/ (cleared at the next start), not the system's temp folder."""
    import tempfile

    system_temp = Path(tempfile.gettempdir())
    before = set(system_temp.glob("openpyxl*"))
    run = killed_at("export-spooled", data_dir, "members", "export", str(tmp_path / "x.xlsx"))
    assert run.returncode == KILLED, run.stderr
    assert set(system_temp.glob("openpyxl*")) == before
    spooled = list((data_dir / "spool").glob("*"))
    assert spooled and b"<row" in spooled[0].read_bytes()  # rows, as openpyxl spools them
    assert members_in_window(data_dir) > 0  # the next start clears them
    assert not list((data_dir / "spool").glob("*"))
