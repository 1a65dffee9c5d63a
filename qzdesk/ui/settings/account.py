"""设置 → 书记与密码."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.organisation import settings
from qzdesk.services.organisation.overview import Overview
from qzdesk.services.security import auth
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import FieldErrors
from qzdesk.ui.recovery import RecoveryCodeDialog


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class AccountSettingsTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        self.errors = FieldErrors()
        self._failed = self.errors.reporter(context.worker.unhandled)

        secretary_box = QGroupBox("书记")
        form = QFormLayout(secretary_box)
        self.secretary = QLineEdit()
        self.secretary.setObjectName("secretary")
        self.errors.add_row(form, "书记姓名：", self.secretary, "secretary")
        save = QPushButton("保存")
        save.setObjectName("save_secretary")
        save.clicked.connect(self.save_secretary)
        form.addRow(save)
        layout.addWidget(secretary_box)

        password_box = QGroupBox("修改登录密码")
        form = QFormLayout(password_box)
        self.old_password = _password_field("old_password")
        self.errors.add_row(form, "原密码：", self.old_password, "old_password")
        self.new_password = _password_field("password")
        self.errors.add_row(form, "新密码：", self.new_password, "password")
        self.confirmation = _password_field("confirmation")
        self.errors.add_row(form, "再次输入：", self.confirmation, "confirmation")
        self.leaked = QCheckBox("旧密码可能已泄露：同时更换数据密钥和恢复码")
        self.leaked.setObjectName("password_leaked")
        self.leaked.setToolTip(
            "数据文件改用新的密钥重新加密，旧密码和旧恢复码都打不开今后的数据；"
            "会显示一个新的恢复码，请打印保管。更换前的备份仍用当时的密码打开。"
        )
        form.addRow(self.leaked)
        change = QPushButton("修改密码")
        change.setObjectName("change_password")
        change.clicked.connect(self.change_password)
        form.addRow(change)
        self.done = QLabel()
        self.done.setObjectName("password_done")
        form.addRow(self.done)
        layout.addWidget(password_box)

        recovery_box = QGroupBox("恢复码")
        column = QVBoxLayout(recovery_box)
        note = QLabel(
            "忘记密码时，凭首次设置时打印的恢复码打开数据。恢复码丢失或被别人看到时，"
            "生成一个新的（旧的随即失效），并重新打印保管。"
        )
        note.setWordWrap(True)
        column.addWidget(note)
        renew = QPushButton("生成新的恢复码…")
        renew.setObjectName("new_recovery_code")
        renew.clicked.connect(self.new_recovery_code)
        column.addWidget(renew)
        self.recovery_done = QLabel()
        self.recovery_done.setObjectName("recovery_done")
        self.recovery_done.setWordWrap(True)
        column.addWidget(self.recovery_done)
        layout.addWidget(recovery_box)
        layout.addStretch(1)
        self.recovery: RecoveryCodeDialog | None = None
        self._organisation = ""

    def show_data(self, data: Overview) -> None:
        self.secretary.setText(data.secretary)
        self._organisation = data.root.name

    def new_recovery_code(self) -> None:
        password, ok = QInputDialog.getText(
            self, "生成新的恢复码", "请输入登录密码：", QLineEdit.EchoMode.Password
        )
        if not ok:
            return
        self._rekey(
            password,
            auth.replace_recovery_code,
            (password,),
            lambda _o: self.recovery_done.setText(
                "新的恢复码已启用，数据已改用新的密钥；旧的恢复码已作废。"
            ),
        )

    def _rekey(
        self,
        password: str,
        service: Callable[..., object],
        args: tuple[str, ...],
        on_done: Callable[[object], object],
        new_password: tuple[str, str] | None = None,
    ) -> None:
        """A new 恢复码 shown first; once copied and confirmed, `service(store, actor, *args,
        code)` re-keys the store on the worker (outside any unit of work: the data file is
        replaced under it)."""

        def confirmed(code: str) -> None:
            self.context.keep(
                service,
                self.context.desk.actor,
                *args,
                code,
                on_done=on_done,
                on_error=self._failed,
            )

        def show(code: str) -> None:
            root = self.context.store.paths.root
            self.recovery = RecoveryCodeDialog(self, code, self._organisation, root, proposal=True)
            self.recovery.accepted.connect(lambda: confirmed(code))
            self.recovery.open()

        self.context.read(
            auth.propose_recovery_code,
            password,
            *(new_password or ()),
            on_done=show,
            on_error=self._failed,
        )

    def save_secretary(self) -> None:
        self.errors.clear()
        self.context.write(
            settings.set_secretary_name,
            self.secretary.text(),
            on_error=self._failed,
        )

    def change_password(self) -> None:
        self.errors.clear()
        self.done.clear()
        old, new, again = (
            self.old_password.text(),
            self.new_password.text(),
            self.confirmation.text(),
        )
        if self.leaked.isChecked():
            self._rekey(
                old, auth.change_password_and_key, (old, new, again), self._changed, (new, again)
            )
            return
        self.context.write(
            auth.change_password,
            old,
            new,
            again,
            on_done=self._changed,
            on_error=self._failed,
        )

    def _changed(self, _outcome: object) -> None:
        for field in (self.old_password, self.new_password, self.confirmation):
            field.clear()
        if self.leaked.isChecked():
            self.leaked.setChecked(False)
            self.done.setText(
                "密码和数据密钥已更换，旧密码和旧恢复码都已作废。下次登录请使用新密码。"
            )
        else:
            self.done.setText("密码已修改，下次登录请使用新密码。")
