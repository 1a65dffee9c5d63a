"""The password prompt shown before the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from qzdesk.ui.forms import ERROR_STYLE
from qzdesk.ui.recovery import Recover, RecoveryDialog, SignIn
from qzdesk.ui.screen import fit

if TYPE_CHECKING:
    from qzdesk.services.security.auth import LoginResult


class LoginDialog(QDialog):
    """Shown as soon as qzdesk starts; the password unlocks the data file, which opens
    (and the main window's modules load) behind it."""

    def __init__(self, org_name: str, sign_in: SignIn, recover: Recover | None = None) -> None:
        super().__init__()
        self.sign_in = sign_in
        self.recover = recover
        self.setWindowTitle("登录 qzdesk")
        layout = QVBoxLayout(self)
        title = QLabel(f"<h3>{org_name}</h3>")
        layout.addWidget(title)
        layout.addWidget(QLabel("请输入登录密码："))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("登录")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        self.forgot = self.buttons.addButton("忘记密码…", QDialogButtonBox.ButtonRole.HelpRole)
        self.forgot.setObjectName("forgot")
        self.forgot.setVisible(recover is not None)
        self.forgot.clicked.connect(self.ask_recovery)
        layout.addWidget(self.buttons)
        self._wait = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        # A coarse timer may fire 5 % early, before the service lets the next try through.
        self._countdown.setTimerType(Qt.TimerType.PreciseTimer)
        self._countdown.timeout.connect(self._tick)
        fit(self, 380, 200)

    def try_login(self) -> None:
        if self._wait > 0:
            return
        self.ok_button.setEnabled(False)
        self.message.setText("正在核对密码、打开数据…")
        self.sign_in(self.password.text(), self._result)

    def ask_recovery(self) -> None:
        """The 恢复码 printed at setup opens the data; a new password is set at once."""
        assert self.recover is not None
        dialog = RecoveryDialog(self, self.recover)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_ok is not None:
            self._result(dialog.result_ok)

    def _result(self, result: LoginResult) -> None:
        if result.ok:
            self.accept()
            return
        self.password.selectAll()
        self.password.setFocus()
        self.message.setText(result.message)
        self._wait = result.wait_seconds
        if self._wait > 0:
            self._countdown.start()
            self._show_wait()
        else:
            self.ok_button.setEnabled(True)

    def _show_wait(self) -> None:
        self.ok_button.setText(f"请等待 {self._wait} 秒")

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait > 0:
            self._show_wait()
            return
        self._countdown.stop()
        self.ok_button.setText("登录")
        self.ok_button.setEnabled(True)
