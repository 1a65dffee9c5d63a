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
from qzdesk.ui.screen import fit

if TYPE_CHECKING:
    from qzdesk.services.security.auth import LoginResult
    from qzdesk.ui.context import AppContext


class LoginDialog(QDialog):
    """Shown as soon as qzdesk starts; the store may still be opening (`context` None), in
    which case the password waits for it."""

    def __init__(self, context: AppContext | None, org_name: str) -> None:
        super().__init__()
        self.context = context
        self._waiting: str | None = None
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
        if self.context is None:
            self._waiting = self.password.text()
            self.message.setText("正在打开数据，请稍候…")
            return
        self.message.setText("正在核对密码…")
        self.context.sign_in(self.password.text(), on_done=self._result)

    def attach(self, context: AppContext) -> None:
        """The store is open: a password typed meanwhile is checked now."""
        self.context = context
        if self._waiting is not None:
            self.password.setText(self._waiting)
            self._waiting = None
            self.try_login()

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
