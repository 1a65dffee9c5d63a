"""Opening an existing data directory asks for the password."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qzdesk.ui.login import LoginDialog
from tests.desks import desk_of


def test_wrong_then_right_password(launch, qtbot, data_dir):
    launcher = launch(data_dir)
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, LoginDialog))
    dialog = launcher.dialog
    qtbot.keyClicks(dialog.password, "qzdemo1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "密码不正确" in dialog.message.text())
    assert launcher.window is None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "qzdemo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
    assert launcher.window.isVisible()


def test_repeated_failures_disable_login_for_a_growing_while(launch, qtbot, data_dir):
    launcher = launch(data_dir)
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, LoginDialog))
    dialog = launcher.dialog
    for attempt in range(3):
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5_000)
        dialog.password.setText(f"wrong{attempt}")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=attempt + 1: f"已连续错误 {n} 次" in dialog.message.text())
    assert not dialog.ok_button.isEnabled()
    assert dialog.ok_button.text() == "请等待 1 秒"
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=3_000)
    assert dialog.ok_button.text() == "登录"
    dialog.password.setText("qzdemo")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)


def test_a_wrong_preset_password_falls_back_to_the_dialog(launch, qtbot, data_dir, monkeypatch):
    monkeypatch.setenv("QZDESK_PASSWORD", "not-it")
    launcher = launch(data_dir)
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, LoginDialog))
    assert "QZDESK_PASSWORD" in launcher.dialog.message.text()


def test_the_login_comes_first_and_a_password_typed_early_waits_for_the_data(
    qapp, qtbot, data_dir, monkeypatch
):
    """A returning secretary types while the store opens on its thread; the password is
    checked once it is open, then the window follows."""
    from qzdesk.config import DataPaths
    from qzdesk.logs import setup_logging
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.peek import organisation_name
    from qzdesk.ui.app import Launcher, close_context
    from qzdesk.ui.error_dialog import ErrorHandler

    monkeypatch.delenv("QZDESK_PASSWORD", raising=False)
    paths = DataPaths(data_dir)
    lock = DataDirLock(paths, "tests")
    lock.acquire()
    name = organisation_name(paths.database)
    assert name == "秦州区示范中学团委（演示）"
    launcher = Launcher(None, ErrorHandler(setup_logging(paths.logs)))
    launcher.start_login(paths, lock, name)
    dialog = launcher.dialog
    assert dialog is not None and launcher.context is None  # shown before the store is open
    dialog.password.setText("qzdemo")
    dialog.try_login()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
    launcher.window.close()
    close_context(launcher.context)


def test_the_name_on_the_login_is_read_without_the_services(data_dir, tmp_path):
    from qzdesk.services.organisation.settings import Key
    from qzdesk.services.storage.peek import SETUP_DONE_KEY, organisation_name

    assert Key.SETUP_DONE.value == SETUP_DONE_KEY
    assert organisation_name(tmp_path / "missing.sqlite") is None
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    assert organisation_name(tmp_path / "junk.sqlite") is None
    assert organisation_name(data_dir / "qzdesk.sqlite") == "秦州区示范中学团委（演示）"


def test_a_forgotten_password_is_replaced_with_the_recovery_code(
    qapp, qtbot, tmp_path, profiles, monkeypatch
):
    """A fresh start (no key unlocked), the password forgotten: 忘记密码… takes the 恢复码
    as copied from paper and a new password, and the main window opens."""
    from datetime import date

    from qzdesk.config import DataPaths
    from qzdesk.logs import setup_logging
    from qzdesk.services.demo.build import demo_request
    from qzdesk.services.security import auth
    from qzdesk.services.setup import initialise
    from qzdesk.services.storage import cipher
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.app import Launcher, close_context
    from qzdesk.ui.error_dialog import ErrorHandler
    from qzdesk.ui.recovery import RecoveryDialog
    from tests.ui.conftest import answer_modal, type_text

    root = tmp_path / "branch"
    with Store.open(root, "tests", create=True) as store:
        code = (
            desk_of(store, profiles)
            .write(initialise, demo_request(date(2026, 3, 1)))
            .value.recovery_code
        )
    monkeypatch.setattr(cipher, "_unlocked", {})
    monkeypatch.delenv("QZDESK_PASSWORD", raising=False)
    paths = DataPaths(root)
    lock = DataDirLock(paths, "tests")
    lock.acquire()
    launcher = Launcher(None, ErrorHandler(setup_logging(paths.logs)))
    launcher.start_login(paths, lock, "秦州区示范中学团委（演示）")
    login = launcher.dialog
    assert login.forgot.isVisible()

    def fill(dialog) -> None:
        type_text(dialog.code, "2222 3333 4444 5555 6666 7777")
        type_text(dialog.new, "xinmima1")
        type_text(dialog.confirm, "xinmima1")
        dialog.submit()
        qtbot.waitUntil(lambda: "恢复码不正确" in dialog.message.text(), timeout=10_000)
        dialog.code.clear()
        type_text(dialog.code, code.lower().replace("-", " "))
        dialog.submit()

    answer_modal(fill, kind=RecoveryDialog)
    qtbot.mouseClick(login.forgot, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
    launcher.window.close()
    close_context(launcher.context)
    monkeypatch.setattr(cipher, "_unlocked", {})
    assert auth.login(paths, "xinmima1").ok


def test_a_plain_file_is_encrypted_at_the_first_sign_in_and_the_code_shown(
    qapp, qtbot, tmp_path, monkeypatch
):
    import shutil
    from pathlib import Path

    from qzdesk.config import DataPaths
    from qzdesk.logs import setup_logging
    from qzdesk.services.storage import cipher
    from qzdesk.services.storage.lock import DataDirLock
    from qzdesk.services.storage.peek import organisation_name
    from qzdesk.ui.app import Launcher, close_context
    from qzdesk.ui.error_dialog import ErrorHandler

    monkeypatch.delenv("QZDESK_PASSWORD", raising=False)
    paths = DataPaths(tmp_path / "old")
    paths.root.mkdir()
    fixture = Path(__file__).parent.parent / "fixtures" / "schemas" / "0009.sqlite"
    shutil.copy(fixture, paths.database)  # written by a qzdesk before encryption
    lock = DataDirLock(paths, "tests")
    lock.acquire()
    name = organisation_name(paths.database)
    launcher = Launcher(None, ErrorHandler(setup_logging(paths.logs)))
    launcher.start_login(paths, lock, name)
    launcher.dialog.password.setText("qzdemo")
    launcher.dialog.try_login()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=30_000)
    assert not cipher.is_plain(paths.database)
    qtbot.waitUntil(lambda: launcher.recovery is not None and launcher.recovery.isVisible())
    assert len(launcher.recovery.code) == 29
    launcher.recovery.copied.setChecked(True)
    launcher.recovery.accept()
    launcher.window.close()
    close_context(launcher.context)
    assert organisation_name(paths.database) == name  # the login's name, now from the key
