"""The app password: scrypt hashes, login, the growing delay, password change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from qzdesk.models import AuditEntry, Setting
from qzdesk.services.errors import ValidationError
from qzdesk.services.security import auth, passwords
from tests.desks import desk_of

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_hash_is_salted_scrypt_and_never_the_password():
    first, second = passwords.hash_password("秘密123456"), passwords.hash_password("秘密123456")
    assert first.startswith("scrypt$") and first != second
    assert "秘密123456" not in first
    assert passwords.password_matches(first, "秘密123456")
    assert not passwords.password_matches(first, "秘密123457")


def test_the_stored_setting_holds_only_the_hash(store):
    with store.transaction() as session:
        values = [str(v) for v in session.scalars(select(Setting.value))]
        audit_text = " ".join(
            str(e.before) + str(e.after) for e in session.scalars(select(AuditEntry))
        )
    assert not any("qzdemo" in v for v in values)
    assert "qzdemo" not in audit_text and "scrypt$" not in audit_text


def test_wrong_then_right_password(store):
    wrong = auth.login(store.paths, "qzdemo!", now=T0)
    assert not wrong.ok and "密码不正确" in wrong.message and wrong.wait_seconds == 0
    right = auth.login(store.paths, "qzdemo", now=T0 + timedelta(seconds=1))
    assert right.ok
    assert desk_of(store).read(auth.secretary) == "李文静"


def test_repeated_failures_make_the_secretary_wait_longer_each_time(store):
    waits = [
        auth.login(store.paths, "wrong", now=T0 + timedelta(minutes=i)).wait_seconds
        for i in range(6)
    ]
    assert waits == [0, 0, 1, 2, 4, 8]
    # During the wait even the right password is not checked.
    blocked = auth.login(store.paths, "qzdemo", now=T0 + timedelta(minutes=5, seconds=3))
    assert not blocked.ok and blocked.wait_seconds == 5 and "5 秒后再试" in blocked.message
    assert auth.login(store.paths, "qzdemo", now=T0 + timedelta(minutes=5, seconds=8)).ok
    # Success resets the count.
    assert auth.login(store.paths, "wrong", now=T0 + timedelta(minutes=7)).wait_seconds == 0


def test_the_delay_is_capped():
    assert auth.failure_delay(2) == 0
    assert auth.failure_delay(40) == auth.MAX_DELAY_SECONDS


def test_change_password(store):
    with pytest.raises(ValidationError, match="原密码不正确") as wrong_old:
        desk_of(store).write(auth.change_password, "nope", "newpass1", "newpass1")
    assert wrong_old.value.field == "old_password"
    with pytest.raises(ValidationError, match="两次输入的密码不一致"):
        desk_of(store).write(auth.change_password, "qzdemo", "newpass1", "newpass2")
    with pytest.raises(ValidationError, match="至少 6 位"):
        desk_of(store).write(auth.change_password, "qzdemo", "abc", "abc")
    desk_of(store).write(auth.change_password, "qzdemo", "newpass1", "newpass1")
    assert not auth.login(store.paths, "qzdemo", now=T0).ok
    assert auth.login(store.paths, "newpass1", now=T0 + timedelta(seconds=1)).ok


def test_change_password_through_the_desk_as_the_settings_page_does(desk):
    """One unit of work: the signing key is opened with the old password before the new
    hash is written in the same transaction."""
    desk.write(auth.change_password, "qzdemo", "newpass1", "newpass1")
    assert auth.login(desk.store.paths, "newpass1", now=T0).ok


def test_parallel_guesses_take_turns_with_the_delay(data_dir):
    """Sixteen wrong passwords at once (threads here; processes alike, the lock is the
    OS's): each sees the count the last one left, so the delay holds."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from qzdesk.config import DataPaths

    paths = DataPaths(data_dir)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _i: auth.login(paths, "wrong-guess"), range(16)))
    tried = [r for r in results if "密码不正确" in r.message]
    waited = [r for r in results if "秒后再试" in r.message and "密码不正确" not in r.message]
    assert len(tried) + len(waited) == 16
    assert 3 <= len(tried) <= 4  # three free tries, a fourth only once its second passed
    recorded = json.loads((paths.keys / "sign-in.json").read_text())["failures"]
    assert recorded == len(tried)


def test_a_recovery_code_typed_in_full_width_is_read_as_printed():
    from qzdesk.services.security.store_key import normalise_recovery_code

    assert normalise_recovery_code("ＡＢＣＤ－２３４５　efgh") == "ABCD-2345-EFGH"


@pytest.mark.parametrize("name", ["=1+1", "+86 张", "-SUM(A1)", "@cmd"])
def test_a_name_a_spreadsheet_would_run_is_refused(name):
    from qzdesk.services.names import clean_name

    with pytest.raises(ValidationError, match="公式"):
        clean_name(name, "组织名称", "org")
