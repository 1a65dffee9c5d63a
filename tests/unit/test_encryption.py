"""The data file encrypted at rest: keyed from the password through a wrapped random key,
opened with the 恢复码 when the password is forgotten, older plain files converted."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qzdesk.config import DataPaths
from qzdesk.models import Member
from qzdesk.services import clock
from qzdesk.services.demo.build import demo_request
from qzdesk.services.errors import ValidationError
from qzdesk.services.security import auth, branch_key, store_key
from qzdesk.services.setup import initialise
from qzdesk.services.storage import cipher
from qzdesk.services.storage.backup import backups, online_backup
from qzdesk.services.storage.health import check
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.store import Store, settle
from tests.desks import desk_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"


@pytest.fixture
def new_process(monkeypatch):
    """As a fresh start of qzdesk: no key unlocked yet."""
    monkeypatch.setattr(cipher, "_unlocked", {})


def members(store: Store) -> int:
    with store.transaction() as session:
        return session.scalar(select(func.count()).select_from(Member))


def test_the_file_is_unreadable_without_its_key(data_dir):
    paths = DataPaths(data_dir)
    with Store.open(data_dir, "tests") as store, store.transaction() as session:
        name, id_number = session.execute(select(Member.name, Member.id_number).limit(1)).one()
    raw = paths.database.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    for secret in (name, id_number, "秦州区示范中学团委"):
        assert secret.encode("utf-8") not in raw
    conn = sqlite3.connect(paths.database)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM member").fetchone()
    conn.close()
    key_file = json.loads((paths.keys / "store-key.json").read_text(encoding="utf-8"))
    assert set(key_file["wraps"]) == {"password", "recovery"}
    assert key_file["organisation"] == "秦州区示范中学团委（演示）"  # for the login, in clear
    assert all(w["kdf"] == "scrypt" and w["n"] >= 2**15 for w in key_file["wraps"].values())


def test_a_new_process_opens_the_store_only_with_the_password(data_dir, new_process):
    paths = DataPaths(data_dir)
    with pytest.raises(cipher.StoreLocked, match="需要先输入密码"):
        Store.open(data_dir, "tests")
    assert not auth.login(paths, "qzdemo1").ok
    with pytest.raises(cipher.StoreLocked):
        Store.open(data_dir, "tests")
    with pytest.raises(cipher.StoreLocked):  # nor can the checks read it
        check(paths.database)
    assert auth.login(paths, "qzdemo").ok
    with Store.open(data_dir, "tests") as store:
        assert members(store) > 40
    assert check(paths.database, full=True).healthy


def test_a_changed_password_opens_the_store_and_the_signing_key(data_dir, monkeypatch):
    with Store.open(data_dir, "tests") as store:
        desk_of(store).write(auth.change_password, "qzdemo", "newpass1", "newpass1")
    monkeypatch.setattr(cipher, "_unlocked", {})
    paths = DataPaths(data_dir)
    assert not auth.login(paths, "qzdemo").ok
    assert auth.login(paths, "newpass1").ok
    with Store.open(data_dir, "tests") as store:
        assert branch_key.load_key(store, "newpass1")[1] is not None
        with pytest.raises(branch_key.WrongKeyPassword):
            branch_key.load_key(store, "qzdemo")


def test_the_recovery_code_opens_the_store_and_keeps_the_signing_key(
    tmp_path, profiles, monkeypatch
):
    root = tmp_path / "branch"
    with Store.open(root, "tests", create=True) as store:
        founded = desk_of(store, profiles).write(initialise, demo_request(date(2026, 3, 1))).value
        fingerprint = branch_key.key_info(store).fingerprint
    code = founded.recovery_code
    monkeypatch.setattr(cipher, "_unlocked", {})
    paths = DataPaths(root)
    assert not auth.unlock_with_recovery_code(paths, "2222-3333-4444-5555-6666-7777")
    typed = code.lower().replace("-", " ")  # as copied from paper
    assert auth.unlock_with_recovery_code(paths, typed)
    with Store.open(root, "tests") as store:
        with pytest.raises(ValidationError, match="至少 6 位"):
            desk_of(store).write(auth.reset_password, "abc", "abc")
        desk_of(store).write(auth.reset_password, "forgotten1", "forgotten1")
    monkeypatch.setattr(cipher, "_unlocked", {})
    assert auth.login(paths, "forgotten1").ok
    with Store.open(root, "tests") as store:
        _key, cert = branch_key.load_key(store, "forgotten1")
        assert branch_key.fingerprint(cert) == fingerprint  # no new registration upward
        new = desk_of(store).read(auth.propose_recovery_code, "forgotten1")
        assert new != code  # shown, not yet in force: the old code still opens
        assert store_key.unlock(cipher.store_key_file(paths), code, store_key.RECOVERY)
        auth.replace_recovery_code(store, "书记", "forgotten1", new)
        _key, cert = branch_key.load_key(store, "forgotten1")  # resealed under the new key
        assert branch_key.fingerprint(cert) == fingerprint
    monkeypatch.setattr(cipher, "_unlocked", {})
    assert not auth.unlock_with_recovery_code(paths, code)  # replaced: the old one is void
    assert auth.unlock_with_recovery_code(paths, new.lower())
    assert store_key.normalise_recovery_code(new.lower()) == new


def test_a_plain_file_from_before_encryption_is_converted_after_a_backup(tmp_path, new_process):
    root = tmp_path / "old"
    root.mkdir()
    shutil.copy(FIXTURES / "0009.sqlite", root / "qzdesk.sqlite")
    paths = DataPaths(root)
    with Store.open(root, "tests") as store:  # still plain: opens without a key
        before = members(store)
    assert auth.login(paths, "qzdemo").ok and auth.needs_encrypting(paths)
    plain_backups = backups(paths)
    assert plain_backups and all(cipher.is_plain(p) for p in plain_backups)  # before-migrate
    code = auth.encrypt_store(paths, "qzdemo")
    assert not auth.needs_encrypting(paths)
    # No copy of the roster stays in clear: the backups are encrypted with the store's key
    # and still open (the migration backup holds the 0009 schema, as before).
    assert backups(paths) == plain_backups
    for backup in plain_backups:
        assert not cipher.is_plain(backup) and check(backup, full=True).healthy
    with Store.open(root, "tests") as store:
        assert members(store) == before
    cipher.forget_all()
    assert auth.unlock_with_recovery_code(paths, code)
    assert check(paths.database, full=True).healthy


def test_an_older_conversion_cut_short_keeps_the_plain_file(tmp_path, new_process):
    """An older qzdesk wrote an unsealed key file beside the plain file and was killed:
    the next start (the window's path) keeps the plain roster and converts it again."""
    root = tmp_path / "old"
    root.mkdir()
    shutil.copy(FIXTURES / "0009.sqlite", root / "qzdesk.sqlite")
    paths = DataPaths(root)
    size = paths.database.stat().st_size
    cipher.new_key(paths)
    cipher.forget_all()
    lock = DataDirLock(paths, "tests")
    lock.acquire()
    try:
        assert settle(paths) is None
    finally:
        lock.release()
    assert paths.database.stat().st_size == size and cipher.is_plain(paths.database)
    assert not cipher.store_key_file(paths).exists()  # it named a key never written down
    assert auth.login(paths, "qzdemo").ok and auth.needs_encrypting(paths)
    auth.encrypt_store(paths, "qzdemo")
    assert not cipher.is_plain(paths.database)


def test_a_backup_is_encrypted_and_carries_its_key_file(data_dir, tmp_path):
    paths = DataPaths(data_dir)
    made = online_backup(paths.database, tmp_path / "usb", "manual")
    assert not made.read_bytes().startswith(b"SQLite format 3")
    beside = made.with_name(made.name + cipher.KEY_SUFFIX)
    assert beside.read_bytes() == (paths.keys / "store-key.json").read_bytes()
    assert check(made, full=True).healthy


def test_a_setup_that_never_finished_is_set_aside_not_deleted(tmp_path, new_process):
    root = tmp_path / "new"
    with Store.open(root, "tests", create=True):
        pass  # killed before the wizard's 完成: the key was never sealed by a password
    cipher.forget_all()
    paths = DataPaths(root)
    aside = cipher.set_aside_unfinished(paths)
    assert aside is not None and aside.is_file() and not paths.database.exists()
    assert aside.with_name(aside.name + cipher.KEY_SUFFIX).is_file()
    with Store.open(root, "tests", create=True) as store:
        assert store.paths.database.exists()


def test_every_command_refuses_a_wrong_password_and_sqlite3_reads_nothing(data_dir, tmp_path):
    from tests.unit.test_member_import import run_cli

    data = ("--data", str(data_dir))
    backup = json.loads(run_cli("backup", "--json", *data).stdout)["file"]
    commands = [
        ("check",),
        ("backup",),
        ("restore", backup),
        ("ledger", "verify"),
        ("members", "export", str(tmp_path / "x.xlsx")),
        ("archive", "build", "--period", "2026", "--out", str(tmp_path)),
        ("compliance", "--year", "2026"),
        ("password", "recovery-code"),
    ]
    attempts = data_dir / "keys" / "sign-in.json"
    for command in commands:
        refused = run_cli(*command, *data, password="qzdemo-wrong")
        assert refused.returncode == 2, (command, refused.stdout, refused.stderr)
        assert "密码不正确" in refused.stderr and "Traceback" not in refused.stderr, command
        attempts.unlink()  # as if the secretary waited: each command meets a fresh count
    assert not (tmp_path / "x.xlsx").exists()
    for _ in range(3):
        run_cli("check", *data, password="qzdemo-wrong")
    assert json.loads(attempts.read_text())["failures"] == 3
    # After six failures in a row the wait is 8 s: even the right password is not tried.
    attempts.write_text(json.dumps({"failures": 6, "last_failure": clock.now_utc().isoformat()}))
    waiting = run_cli("check", *data)
    assert waiting.returncode == 2 and "秒后再试" in waiting.stderr
    shell = subprocess.run(
        ["sqlite3", str(data_dir / "qzdesk.sqlite"), "SELECT count(*) FROM member"],
        capture_output=True,
        text=True,
    )
    assert shell.returncode != 0 and "not a database" in shell.stderr


def test_a_backup_on_a_stick_restores_on_another_pc(data_dir, tmp_path):
    from tests.unit.test_member_import import run_cli

    usb = tmp_path / "U盘"
    made = run_cli("backup", "--out", str(usb), "--json", "--data", str(data_dir))
    assert made.returncode == 0, made.stderr
    backup = Path(json.loads(made.stdout)["file"])
    assert sorted(p.name for p in usb.iterdir()) == [backup.name, backup.name + ".key.json"]
    new_pc = tmp_path / "新电脑"
    restored = run_cli("restore", str(backup), "--data", str(new_pc))
    assert restored.returncode == 0, restored.stderr
    checked = run_cli("check", "--full", "--json", "--data", str(new_pc))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    exported = run_cli("members", "export", str(tmp_path / "名册.xlsx"), "--data", str(new_pc))
    assert exported.returncode == 0, exported.stderr
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(backup, alone / backup.name)  # the key file left behind
    refused = run_cli("restore", str(alone / backup.name), "--data", str(tmp_path / "other"))
    assert refused.returncode == 2 and "密钥文件" in refused.stderr


def test_a_lost_key_file_is_named_with_the_way_back(data_dir):
    (data_dir / "keys" / "store-key.json").unlink()
    with pytest.raises(cipher.QzdeskError, match=r"找不到它的密钥文件.*从备份恢复"):
        Store.open(data_dir, "tests")


def test_the_cli_sets_up_with_a_recovery_page_and_resets_by_it(tmp_path):
    import os

    from qzdesk.config import PASSWORD_ENV, RECOVERY_ENV

    def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
        return subprocess.run(
            [sys.executable, "-m", "qzdesk", *args, "--data", str(tmp_path / "d")],
            env={**clean, **env},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    made = cli(
        *("init", "--org-name", "某村团支部", "--org-kind", "branch", "--sector", "village"),
        *("--secretary", "王芳", "--parent-org", "某镇团委", "--json"),
        *("--recovery-pdf", str(tmp_path / "恢复码.pdf")),
        **{PASSWORD_ENV: "tuanzhibu1"},
    )
    assert made.returncode == 0, made.stderr
    code = json.loads(made.stdout)["recovery_code"]
    page = subprocess.run(["pdftotext", str(tmp_path / "恢复码.pdf"), "-"], capture_output=True)
    assert code in page.stdout.decode() and "某村团支部" in page.stdout.decode()
    wrong = cli("password", "reset", **{RECOVERY_ENV: "2222-3333-4444-5555-6666-7777"})
    assert wrong.returncode == 2 and "恢复码不正确" in wrong.stderr
    (tmp_path / "d" / "keys" / "sign-in.json").unlink()  # as if the wait had passed
    reset = cli("password", "reset", **{RECOVERY_ENV: code.lower(), PASSWORD_ENV: "xinmima99"})
    assert reset.returncode == 0, reset.stderr
    assert cli("check", **{PASSWORD_ENV: "tuanzhibu1"}).returncode == 2
    assert cli("check", **{PASSWORD_ENV: "xinmima99"}).returncode == 0


def test_the_login_name_follows_a_rename(data_dir):
    from qzdesk.services.storage.peek import organisation_name

    paths = DataPaths(data_dir)
    store_key.keep_organisation(paths, "秦州区示范中学团委")
    assert organisation_name(paths.database) == "秦州区示范中学团委"


def test_an_old_recovery_code_and_a_copy_of_its_key_file_open_nothing_newer(
    data_dir, tmp_path, new_process
):
    """Someone saw the 恢复码 and copied keys/ (a stick, a shared folder): after a new code,
    what they hold opens the backups of its day but not the store as it is now."""
    paths = DataPaths(data_dir)
    assert auth.login(paths, "qzdemo").ok
    with Store.open(data_dir, "tests") as store:
        seen = desk_of(store).read(auth.propose_recovery_code, "qzdemo")
        auth.replace_recovery_code(store, "书记", "qzdemo", seen)
        stolen = tmp_path / "stolen-key.json"
        shutil.copy(cipher.store_key_file(paths), stolen)
        then = online_backup(paths.database, paths.backups, "manual")
        auth.replace_recovery_code(
            store, "书记", "qzdemo", desk_of(store).read(auth.propose_recovery_code, "qzdemo")
        )
        now = members(store)
    cipher.forget_all()
    assert store_key.unlock(stolen, seen, store_key.RECOVERY)  # their copy still unwraps…
    old_key = cipher.unlocked_key(str(json.loads(stolen.read_text())["key_id"]))
    assert not cipher.fits(paths.database, old_key)  # …a key the data no longer uses
    assert not auth.unlock_with_recovery_code(paths, seen)
    assert cipher.fits(then, old_key)  # the backup of that day opens with its own secrets
    assert auth.login(paths, "qzdemo").ok
    with Store.open(data_dir, "tests") as store:
        assert members(store) == now
