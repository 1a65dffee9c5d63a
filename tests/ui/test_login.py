"""Opening an existing data directory asks for the password."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qzdesk.ui.login import LoginDialog


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
