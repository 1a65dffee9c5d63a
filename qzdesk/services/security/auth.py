"""The password that protects the app: scrypt hashes, login with a growing delay."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from qzdesk.config import DataPaths
from qzdesk.services import audit, clock, crashpoints
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotInitialised, QzdeskError, ValidationError
from qzdesk.services.files import write_atomically
from qzdesk.services.organisation.settings import Key, read, write
from qzdesk.services.security import branch_key, store_key
from qzdesk.services.security.password_check import password_in_force
from qzdesk.services.security.passwords import check_new_password, hash_password, password_matches
from qzdesk.services.security.rekey import rekey
from qzdesk.services.storage import cipher, peek
from qzdesk.services.storage.backup import encrypt_plain_backups
from qzdesk.services.storage.lock import DataDirLock, taking_turns
from qzdesk.services.storage.store import Store

log = logging.getLogger(__name__)

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60
ATTEMPTS_FILE = "sign-in.json"


def failure_delay(failures: int) -> int:
    """Seconds to wait before the next try: none for the first attempts, then doubling."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message: str
    wait_seconds: int = 0
    actor: str = ""  # the secretary, once signed in
    recovery_code: str = ""  # set once, when this sign-in encrypted a plain file


def _attempts_file(paths: DataPaths) -> Path:
    return paths.keys / ATTEMPTS_FILE


def _attempts(paths: DataPaths) -> tuple[int, str | None]:
    try:
        data = json.loads(_attempts_file(paths).read_text(encoding="utf-8"))
        return int(data["failures"]), data.get("last_failure")
    except (OSError, ValueError, KeyError, TypeError):
        return 0, None


def _save_attempts(paths: DataPaths, failures: int, last: str | None) -> None:
    data = {"failures": failures, "last_failure": last}
    write_atomically(_attempts_file(paths), json.dumps(data).encode())


def login(paths: DataPaths, password: str, now: datetime | None = None) -> LoginResult:
    """Check the password before the store opens: it unwraps the data file's key (a plain
    file written before encryption: it matches the stored hash). Failures are counted in
    keys/ beside the key, so neither a restart nor an unreadable file resets the delay."""
    return _count(paths, lambda: _opens(paths, password), now)


def _count(
    paths: DataPaths, attempt: Callable[[], bool], now: datetime | None = None
) -> LoginResult:
    """One try at a secret, with the growing delay after repeated failures; tries from
    several processes at once take turns, so each sees the count the last one left."""
    with taking_turns(paths.keys / "sign-in.lock"):
        return _counted(paths, attempt, now)


def _counted(
    paths: DataPaths, attempt: Callable[[], bool], now: datetime | None = None
) -> LoginResult:
    now = now or clock.now_utc()
    failures, last = _attempts(paths)
    if last is not None:
        ready_at = datetime.fromisoformat(last).timestamp() + failure_delay(failures)
        remaining = int(ready_at - now.timestamp() + 0.999)
        if remaining > 0:
            return LoginResult(False, f"密码错误次数过多，请 {remaining} 秒后再试。", remaining)
    try:
        opened = attempt()
    except KeyMismatch:  # a guess all the same: counted before the message is shown
        _save_attempts(paths, failures + 1, now.isoformat())
        raise
    if opened:
        if failures or last:
            _save_attempts(paths, 0, None)
        return LoginResult(True, "")
    failures += 1
    _save_attempts(paths, failures, now.isoformat())
    log.warning("wrong password, failure %d", failures)
    wait = failure_delay(failures)
    message = f"密码不正确（已连续错误 {failures} 次）。"  # the 恢复码 counts alike
    if wait:
        message += f"请 {wait} 秒后再试。"
    return LoginResult(False, message, wait)


class KeyMismatch(QzdeskError):
    """The data file is intact but keys/store-key.json is missing or another file's."""


def _opens(paths: DataPaths, password: str) -> bool:
    database, key_file = paths.database, cipher.store_key_file(paths)
    encrypted = database.exists() and not cipher.is_plain(database)
    if encrypted and cipher.is_sealed(paths):
        if not store_key.unlock(key_file, password):
            return False
        if cipher.fits(database, cipher.key_for(database)):
            return True
        return _key_from_backups(paths, password)
    if encrypted and not key_file.exists():
        return _key_from_backups(paths, password)
    stored = peek.password_hash(paths.database)
    if stored is None:
        raise NotInitialised("该数据目录尚未设置密码，请先完成首次设置。")
    return password_matches(stored, password)


def _key_from_backups(paths: DataPaths, password: str) -> bool:
    """The live key file is missing or belongs to another file (copied from another PC or
    data directory): the key copies beside the backups are tried with the password; one
    that opens the data file is put back in place (the misfit kept under keys/retired/).
    KeyMismatch, saying which, when none does: never "the data file is damaged"."""
    key_file = cipher.store_key_file(paths)
    tried: set[str] = set()
    for copy in sorted(paths.backups.glob(f"*{cipher.KEY_SUFFIX}"), reverse=True):
        data = cipher.read_key_file(copy)
        key_id = None if data is None else str(data["key_id"])
        if key_id is None or key_id in tried:
            continue
        tried.add(key_id)
        if store_key.unlock(copy, password) and cipher.fits(
            paths.database, cipher.unlocked_key(key_id)
        ):
            if key_file.exists():
                retired = paths.keys / "retired"
                retired.mkdir(parents=True, exist_ok=True)
                key_file.rename(retired / f"{clock.now():%Y%m%d-%H%M%S}-{key_file.name}")
            write_atomically(key_file, copy.read_bytes())
            log.warning("the data file's key file was put back from %s", copy.name)
            return True
    where = (
        "不是这个数据文件的密钥（可能是从别的电脑或别的数据目录复制来的）"
        if (key_file.exists())
        else "不见了"
    )
    raise KeyMismatch(
        f"数据文件 {paths.database} 完好，但它的密钥文件 {key_file} {where}；"
        f"备份旁的 {len(tried)} 个密钥副本用这个密码也打不开它。"
        "请把原来的 keys 文件夹放回（换电脑时要和数据文件一起复制），"
        "或输入当时的密码再试；都不行时从备份恢复（备份旁的 .key.json 要一起复制）。"
    )


def needs_encrypting(paths: DataPaths) -> bool:
    """A store written before encryption, converted at the secretary's next sign-in."""
    return cipher.is_plain(paths.database)


def encrypt_store(paths: DataPaths, password: str, held: DataDirLock | None = None) -> str:
    """Encrypt a plain store (the caller has checked the password and holds no connection;
    the GUI already `held` the lock), then the plain backups beside it; returns the
    恢复码 to show once."""
    lock = held or DataDirLock(paths, "qzdesk 加密数据文件")
    if held is None:
        lock.acquire()
    try:
        name = peek.organisation_name(paths.database) or ""
        code = store_key.encrypt_plain(paths, password, name)
        encrypted = encrypt_plain_backups(paths)
    finally:
        if held is None:
            lock.release()
    log.info("encrypted the data file of %s and %d plain backups", paths.root, len(encrypted))
    return code


def encrypt_leftover_backups(paths: DataPaths, held: DataDirLock | None = None) -> None:
    """Plain backups an interrupted conversion left (encrypted at the next sign-in)."""
    if cipher.is_plain(paths.database) or not any(
        cipher.is_plain(p) for p in paths.backups.glob("*.sqlite")
    ):
        return
    lock = held or DataDirLock(paths, "qzdesk 加密备份")
    if held is None:
        lock.acquire()
    try:
        encrypt_plain_backups(paths)
    finally:
        if held is None:
            lock.release()


def secretary(ctx: Context) -> str:
    """Who acts once signed in: the secretary named at setup."""
    return secretary_of(ctx.session) or ctx.actor


def secretary_of(session: Session) -> str | None:
    """`secretary` for the opening of the store, before any unit of work."""
    found = read(session, Key.SECRETARY)
    return None if found is None else str(found)


def change_password(ctx: Context, old: str, new: str, confirmation: str) -> Outcome[None]:
    """The new password opens the data file, the app and the signing key alike. The key
    file, rewritten in one atomic step, is what decides (password_check): if any step
    fails, all stay with the old password."""
    check_new_password(new, confirmation)
    if not password_in_force(ctx.store, old):
        raise ValidationError("原密码不正确。", "old_password")
    files = [branch_key.key_path(ctx.store), cipher.store_key_file(ctx.store.paths)]
    before = {path: path.read_bytes() for path in files if path.exists()}
    try:
        with ctx.savepoint() as session:
            branch_key.reencrypt(ctx.store, old, new)  # opened with the old password
            write(session, ctx.actor, Key.PASSWORD_HASH, hash_password(new))
            if cipher.is_sealed(ctx.store.paths):
                store_key.rewrap(ctx.store.paths, store_key.PASSWORD, new)
                crashpoints.reached("password-rewrapped")
    except BaseException:
        for path, data in before.items():
            if path.read_bytes() != data:
                write_atomically(path, data)
        raise
    return Outcome(None, frozenset({Topic.AUTH, Topic.AUDIT}))


def change_password_and_key(
    store: Store, actor: str, old: str, new: str, confirmation: str, code: str
) -> Outcome[None]:
    """A password change when the old one may have leaked: a new data key sealed under
    the new password and the new 恢复码 `code` (already shown and confirmed), so neither
    old secret opens the data from now on. Outside any unit of work."""
    check_new_password(new, confirmation)
    if not password_in_force(store, old):
        raise ValidationError("原密码不正确。", "old_password")
    rekey(store, old, code, new_password=new)
    with store.transaction() as session:
        write(session, actor, Key.PASSWORD_HASH, hash_password(new))
        audit.record(session, actor, "auth", "password", "change_with_new_key")
    return Outcome(None, frozenset({Topic.AUTH, Topic.AUDIT}))


def backup_locked(backup: Path) -> bool:
    """Whether a backup's key still needs a password here (one from another PC, or from
    before a new key); QzdeskError when its key file was left behind."""
    try:
        cipher.key_for(backup)
    except cipher.StoreLocked:
        return True
    return False


def unlock_backup(paths: DataPaths, backup: Path, password: str) -> LoginResult:
    """The backup's own key file, with the password in force when it was taken; counted
    like a sign-in."""
    return _count(paths, lambda: store_key.unlock(cipher.key_file_of(backup), password))


def unlock_with_recovery_code(paths: DataPaths, code: str) -> bool:
    """The 恢复码 instead of a forgotten password; counted like a password attempt."""
    result = _count(
        paths, lambda: store_key.unlock(cipher.store_key_file(paths), code, store_key.RECOVERY)
    )
    return result.ok


def reset_password(ctx: Context, new: str, confirmation: str) -> Outcome[None]:
    """A new password for a store the 恢复码 has unlocked (the old one is forgotten)."""
    check_new_password(new, confirmation)
    session = ctx.session
    write(session, ctx.actor, Key.PASSWORD_HASH, hash_password(new))
    store_key.rewrap(ctx.store.paths, store_key.PASSWORD, new)
    crashpoints.reached("password-rewrapped")
    audit.record(session, ctx.actor, "auth", "password", "reset_with_recovery_code")
    return Outcome(None, frozenset({Topic.AUTH, Topic.AUDIT}))


def propose_recovery_code(
    ctx: Context, password: str, new_password: str | None = None, confirmation: str = ""
) -> str:
    """A new 恢复码 to show and have printed; nothing changes until it is confirmed
    (`replace_recovery_code`, or `change_password_and_key` with the `new_password`
    checked here first), so the old one stays valid until the new one is seen."""
    if new_password is not None:
        check_new_password(new_password, confirmation)
    if not password_in_force(ctx.store, password):
        field = "password" if new_password is None else "old_password"
        raise ValidationError("密码不正确。", field)
    return store_key.new_recovery_code()


def replace_recovery_code(store: Store, actor: str, password: str, code: str) -> Outcome[None]:
    """The confirmed new 恢复码 in force, with a new data key: the old code, and every
    copy of the key file it sealed, opens nothing written from now on. Outside any unit
    of work."""
    rekey(store, password, code)
    with store.transaction() as session:
        audit.record(session, actor, "auth", "recovery_code", "replace_with_new_key")
    return Outcome(None, frozenset({Topic.AUTH, Topic.AUDIT}))
