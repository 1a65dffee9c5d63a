"""The 恢复码: shown once when it is made (setup, encrypting an older file, a new code from
设置), and typed in when the password is forgotten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.errors import QzdeskError, ValidationError
from qzdesk.services.security.passwords import check_new_password
from qzdesk.ui.forms import ERROR_STYLE
from qzdesk.ui.screen import fit

if TYPE_CHECKING:
    from qzdesk.services.security.auth import LoginResult

Answer = Callable[["LoginResult"], None]
# sign_in(password, answer): checks the password (it unlocks the data file), then answers.
SignIn = Callable[[str, Answer], None]
# recover(code, new password, answer): the 恢复码 opens the data and sets a new password.
Recover = Callable[[str, str, Answer], None]


class RecoveryCodeDialog(QDialog):
    """The new code, once: it cannot be shown again, so closing waits for the tick that
    says it was copied or saved."""

    def __init__(
        self,
        parent: QWidget | None,
        code: str,
        organisation: str,
        data_dir: Path,
        proposal: bool = False,
    ) -> None:
        """`proposal`: a code not yet in force, put in force only by 启用 (the old one
        stays valid until then, and 取消 changes nothing)."""
        super().__init__(parent)
        self.code, self.organisation, self.data_dir = code, organisation, data_dir
        self.proposal = proposal
        self.setWindowTitle("新的数据恢复码" if proposal else "数据恢复码")
        layout = QVBoxLayout(self)
        explained = (
            "下面是新的恢复码，只显示这一次：请打印或抄写，与电脑分开保管。\n"
            "勾选后点“启用新恢复码”：数据改用新的密钥，旧的恢复码随即作废；\n"
            "点“取消”则什么也不改变，旧的恢复码仍然有效。"
            if proposal
            else "数据文件已加密。忘记密码时，凭下面的恢复码可以打开数据并设置新密码。\n"
            "恢复码只显示这一次：请打印或抄写，与电脑分开保管，不要拍照发到群里。"
        )
        label = QLabel(explained)
        label.setWordWrap(True)
        layout.addWidget(label)
        shown = QLineEdit(code)
        shown.setObjectName("code")
        shown.setReadOnly(True)
        font = QFont("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.6)
        shown.setFont(font)
        layout.addWidget(shown)
        self.save = QPushButton("保存为 PDF（打印用）…")
        self.save.clicked.connect(self.save_pdf)
        layout.addWidget(self.save)
        self.copied = QCheckBox("我已打印或抄写恢复码，并会妥善保管")
        self.copied.setObjectName("copied")
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("启用新恢复码" if proposal else "继续")
        self.ok.setEnabled(False)
        self.copied.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        if proposal:
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText("取消")
            buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 520, 280)

    def reject(self) -> None:  # Esc must not lose a code that is shown only once
        if self.proposal or self.copied.isChecked():
            super().reject()

    def save_pdf(self) -> None:
        from qzdesk.export.pdf.recovery_sheet import recovery_sheet
        from qzdesk.services.files import write_atomically

        chosen, _ = QFileDialog.getSaveFileName(
            self, "保存恢复码打印页", str(Path.home() / "恢复码.pdf"), "PDF 文件 (*.pdf)"
        )
        if not chosen:
            return
        try:
            write_atomically(
                Path(chosen), recovery_sheet(self.organisation, self.code, self.data_dir)
            )
        except QzdeskError as error:
            QMessageBox.warning(self, "无法保存", str(error))
            return
        QMessageBox.information(
            self, "已保存", f"已保存到 {chosen}。打印后请删除这个文件（或存到 U 盘另行保管）。"
        )


class RecoveryDialog(QDialog):
    """忘记密码: the 恢复码 and a new password."""

    def __init__(self, parent: QWidget | None, recover: Recover) -> None:
        super().__init__(parent)
        self.recover = recover
        self.result_ok: LoginResult | None = None
        self.setWindowTitle("用恢复码设置新密码")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("请输入首次设置时打印的恢复码（大小写、空格和横线均可）。"))
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new = QLineEdit()
        self.new.setObjectName("new")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm")
        for field in (self.new, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("恢复码", self.code)
        form.addRow("新密码", self.new)
        form.addRow("再输一遍", self.confirm)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("设置新密码并登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 460, 240)

    def submit(self) -> None:
        try:
            check_new_password(self.new.text(), self.confirm.text())
        except ValidationError as error:
            self.message.setText(str(error))
            return
        self.ok.setEnabled(False)
        self.message.setText("正在核对恢复码…")
        self.recover(self.code.text(), self.new.text(), self._answered)

    def _answered(self, result: LoginResult) -> None:
        if result.ok:
            self.result_ok = result
            self.accept()
            return
        self.ok.setEnabled(True)
        self.message.setText(result.message)
