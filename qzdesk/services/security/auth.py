"""The password that protects the app: scrypt hashes, login with a growing delay."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from qzdesk.services import clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.errors import NotInitialised, ValidationError
from qzdesk.services.organisation.settings import Key, read, write
from qzdesk.services.security import branch_key
from qzdesk.services.security.passwords import check_new_password, hash_password, password_matches
from qzdesk.services.storage.store import Store

log = logging.getLogger(__name__)

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60


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


def login(store: Store, password: str, now: datetime | None = None) -> LoginResult:
    """Check the password; failures are counted in the database so a restart does not reset
    the delay. On success the result names the secretary, who acts from then on."""
    now = now or clock.now_utc()
    with store.transaction() as session:
        stored = read(session, Key.PASSWORD_HASH)
        if stored is None:
            raise NotInitialised("该数据目录尚未设置密码，请先完成首次设置。")
        failures = int(read(session, Key.LOGIN_FAILURES, 0))
        last = read(session, Key.LAST_FAILURE)
        if last is not None:
            ready_at = datetime.fromisoformat(last).timestamp() + failure_delay(failures)
            remaining = int(ready_at - now.timestamp() + 0.999)
            if remaining > 0:
                return LoginResult(False, f"密码错误次数过多，请 {remaining} 秒后再试。", remaining)
        if password_matches(stored, password):
            write(session, store.actor, Key.LOGIN_FAILURES, 0, audited=False)
            write(session, store.actor, Key.LAST_FAILURE, None, audited=False)
            return LoginResult(True, "", actor=read(session, Key.SECRETARY, store.actor))
        failures += 1
        write(session, store.actor, Key.LOGIN_FAILURES, failures, audited=False)
        write(session, store.actor, Key.LAST_FAILURE, now.isoformat(), audited=False)
    log.warning("wrong password, failure %d", failures)
    wait = failure_delay(failures)
    message = f"密码不正确（已连续错误 {failures} 次）。"
    if wait:
        message += f"请 {wait} 秒后再试。"
    return LoginResult(False, message, wait)


def change_password(store: Store, old: str, new: str, confirmation: str) -> Outcome[None]:
    """The new password protects the app and the branch's signing key alike; if either
    step fails, both stay with the old password."""
    check_new_password(new, confirmation)
    key_file = branch_key.key_path(store)
    old_bundle = key_file.read_bytes() if key_file.exists() else None
    try:
        with store.transaction() as session:
            stored = read(session, Key.PASSWORD_HASH)
            if stored is None or not password_matches(stored, old):
                raise ValidationError("原密码不正确。", "old_password")
            write(session, store.actor, Key.PASSWORD_HASH, hash_password(new))
            branch_key.reencrypt(store, old, new)
    except BaseException:
        if old_bundle is not None and key_file.read_bytes() != old_bundle:
            key_file.write_bytes(old_bundle)
        raise
    return Outcome(None, frozenset({Topic.AUTH, Topic.AUDIT}))
