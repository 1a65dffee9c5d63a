"""设置 → 签名密钥: the branch's certificate, its registration form, and the hand-over."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.security import branch_key
from qzdesk.services.security.branch_key import KeyInfo
from qzdesk.ui.context import AppContext


class KeySettingsTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.info: KeyInfo | None = None
        layout = QVBoxLayout(self)
        box = QGroupBox("本支部的签名证书")
        inner = QVBoxLayout(box)
        self.summary = QLabel("正在读取…")
        self.summary.setObjectName("key_summary")
        self.summary.setWordWrap(True)
        inner.addWidget(self.summary)
        layout.addWidget(box)
        row = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, title, slot in (
            ("create_key", "创建签名密钥…", self.create),
            ("save_form", "保存证书登记表（PDF）…", self.save_form),
            ("export_cert", "导出证书（.pem）…", self.export_cert),
            ("export_key", "导出密钥（换届移交）…", self.export_key),
            ("import_key", "导入移交的密钥…", self.import_key),
            ("replace_key", "更换签名密钥…", self.replace),
        ):
            button = QPushButton(title)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button, len(self.buttons) // 3, len(self.buttons) % 3)
            self.buttons[name] = button
        row.setColumnStretch(3, 1)
        layout.addLayout(row)
        hint = QLabel(
            "台账 PDF 用此密钥签名。首次使用请打印“证书登记表”，签字后交上级团委登记指纹。"
            "密钥由登录密码加密保存；换届时用“导出密钥”交给新书记，新书记在本机“导入”。"
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.context.keep(branch_key.key_info, on_done=self._show)

    def _show(self, info: KeyInfo | None) -> None:
        self.info = info
        if info is None:
            self.summary.setText(
                "尚未创建签名密钥。请点“创建签名密钥”，或导入上一任书记移交的密钥。"
            )
        else:
            self.summary.setText(
                f"主体：{info.subject}（{info.organisation}）\n"
                f"SHA-256 指纹：{info.fingerprint}\n"
                f"有效期：{info.not_before:%Y-%m-%d} 至 {info.not_after:%Y-%m-%d}"
            )
        for name in ("save_form", "export_cert", "export_key", "replace_key"):
            self.buttons[name].setEnabled(info is not None)
        for name in ("create_key", "import_key"):
            self.buttons[name].setEnabled(info is None)

    def _password(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, "请输入密码", prompt, QLineEdit.EchoMode.Password)
        return text if ok else None

    def _after(self, message: str) -> None:
        self.refresh()
        QMessageBox.information(self, "完成", message)

    def create(self) -> None:
        password = self._password("登录密码（密钥将用它加密）：")
        if password is not None:
            self.context.write(
                branch_key.create_key,
                password,
                on_done=lambda _: self._after("签名密钥已创建。"),
            )

    def replace(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "更换签名密钥",
            "组织更名或密钥遗失时更换。旧密钥留存备查，用它签过的台账仍可校验；\n"
            "新证书须重新打印登记表交上级团委登记。更换原因：",
        )
        if not ok or not reason.strip():
            return
        password = self._password("登录密码：")
        if password is not None:
            self.context.write(
                branch_key.replace_key,
                password,
                reason,
                on_done=lambda _: self._after(
                    "已更换签名密钥。请保存新的证书登记表交上级团委登记。"
                ),
            )

    def save_form(self) -> None:
        from qzdesk.export.pdf.certificate_form import certificate_form  # ReportLab: on demand

        path, _ = QFileDialog.getSaveFileName(
            self, "保存证书登记表", str(Path.home() / "证书登记表.pdf"), "PDF (*.pdf)"
        )
        if path:
            self.context.read(
                lambda ctx: Path(path).write_bytes(certificate_form(ctx)),
                on_done=lambda _: self._after(f"已保存到 {path}，请打印后签字交上级团委。"),
            )

    def export_cert(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出证书", str(Path.home() / "支部证书.pem"), "证书 (*.pem)"
        )
        if path:
            self.context.write(
                branch_key.export_certificate,
                Path(path),
                on_done=lambda _: self._after(f"证书已导出到 {path}。"),
            )

    def export_key(self) -> None:
        password = self._password("登录密码：")
        if password is None:
            return
        transfer = self._password("为移交文件另设一个密码（至少 8 位，单独告诉新书记）：")
        if transfer is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出密钥", str(Path.home() / "支部密钥.p12"), "密钥 (*.p12)"
        )
        if path:
            self.context.write(
                branch_key.export_key,
                password,
                transfer,
                Path(path),
                on_done=lambda _: self._after("密钥已导出。请妥善保管移交文件和移交密码。"),
            )

    def import_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择移交的密钥文件", str(Path.home()), "密钥 (*.p12)"
        )
        if not path:
            return
        transfer = self._password("移交密码：")
        password = self._password("本机登录密码：") if transfer is not None else None
        if transfer is not None and password is not None:
            self.context.write(
                branch_key.import_key,
                Path(path),
                transfer,
                password,
                on_done=lambda _: self._after("密钥已导入。"),
            )
