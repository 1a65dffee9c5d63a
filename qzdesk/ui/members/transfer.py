"""组织关系转接 in the window: 转出 for one member or a whole class (毕业转接), 接收转接
with the package shown for review before anything is taken in, and 确认回执. The work is
the services' and export's; these dialogs collect what the secretary decides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.transfer import book
from qzdesk.services.transfer.snapshot import Side
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import confirm_buttons, date_edit, error_label
from qzdesk.ui.screen import fit
from qzdesk.ui.tables import fill_table, make_table
from qzdesk.vocabulary import TransferCause


def _folder_row(initial: Path, parent: QWidget) -> tuple[QWidget, QLineEdit]:
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    edit = QLineEdit(str(initial))
    pick = QPushButton("选择…")

    def choose() -> None:
        chosen = QFileDialog.getExistingDirectory(parent, "选择文件夹", edit.text())
        if chosen:
            edit.setText(chosen)

    pick.clicked.connect(choose)
    row.addWidget(edit, 1)
    row.addWidget(pick)
    return holder, edit


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName("password")
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText("登录密码（用于签名）")
    return edit


class TransferOutDialog(QDialog):
    """转出 the members chosen on the roster (one, or a graduating class at once): each
    gets a signed package in the chosen folder and stays 转出中 until the 回执."""

    def __init__(
        self, context: AppContext, members: list[tuple[int, str]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.members = members
        self.setWindowTitle(
            "组织关系转出" if len(members) == 1 else f"组织关系转出（{len(members)} 人）"
        )
        form = QFormLayout(self)
        names = "、".join(name for _, name in members[:12]) + ("等" if len(members) > 12 else "")
        who = QLabel(f"{len(members)} 人：{names}")
        who.setWordWrap(True)
        form.addRow("转出团员：", who)
        self.to = QLineEdit()
        self.to.setObjectName("to_org")
        self.to.setPlaceholderText("如 天水市第一中学团委、某大学某学院团委、南山村团支部")
        self.to_parent = QLineEdit()
        self.to_parent.setObjectName("to_parent")
        self.to_parent.setPlaceholderText("转入单位的上级团组织")
        self.cause = QComboBox()
        self.cause.setObjectName("cause")
        for cause in TransferCause:
            self.cause.addItem(cause.label, cause.value)
        today = context.today()
        self.on = QDateEdit(QDate(today.year, today.month, today.day))
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setMaximumDate(QDate(today.year, today.month, today.day))
        holder, self.folder = _folder_row(Path.home(), self)
        self.password = _password()
        for label, widget in (
            ("转入单位：", self.to),
            ("其上级团组织：", self.to_parent),
            ("转接原因：", self.cause),
            ("转出日期：", self.on),
            ("材料保存到：", holder),
            ("登录密码：", self.password),
        ):
            form.addRow(label, widget)
        hint = QLabel(
            "每人生成一份经本单位签名的转接材料（介绍信、成长档案、团费交至月份、档案材料扫描件）。"
            "转入单位接收后会生成回执，交回后在“确认回执…”中登记，团员才转为“已转出”。"
            "请同时在智慧团建中发起同样的转接。"
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        self.error = error_label()
        form.addRow(self.error)
        buttons = confirm_buttons("转出并生成材料", self.submit, self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        fit(self, 620, 460)

    def submit(self) -> None:
        from qzdesk.export.transfer import send  # ReportLab and pyHanko: on demand

        if not self.password.text():
            self.error.setText("请输入登录密码：转接材料要用本单位的签名密钥签名。")
            return
        side = Side(self.to.text(), self.to_parent.text())
        cause = TransferCause(self.cause.currentData())
        moves = [book.Move(member_id, side, cause) for member_id, _ in self.members]
        self.error.clear()
        self.ok.setEnabled(False)
        self.context.write(
            send,
            moves,
            self.on.date().toPython(),
            self.password.text(),
            Path(self.folder.text()),
            on_done=self._done,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.setText(str(error))

    def _done(self, outcome: Any) -> None:
        saved = outcome.value
        listed = "\n".join(f"{s.name}：{s.path.name}" for s in saved[:15])
        more = f"\n……共 {len(saved)} 份" if len(saved) > 15 else ""
        QMessageBox.information(
            self,
            "已转出",
            f"已生成 {len(saved)} 份转接材料（保存在 {self.folder.text()}）：\n{listed}{more}\n\n"
            "请把材料交给转入单位，并在智慧团建中办理同样的转接。",
        )
        self.accept()


class ReceiveDialog(QDialog):
    """接收转接 of one package or a whole class's: each is checked and listed, the one
    selected shown in full (who, from where, the history, what does not fit), before the
    secretary confirms; a 回执 is written for each. Any package that cannot be taken in
    holds the batch back, with its reason."""

    def __init__(self, context: AppContext, paths: list[Path], parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.paths = paths
        self.reviews: list[Any] = []
        self.setWindowTitle(
            f"接收转接：{paths[0].name}" if len(paths) == 1 else f"接收转接（{len(paths)} 份）"
        )
        layout = QVBoxLayout(self)
        self.packages = make_table(["文件", "团员", "转出单位", "核验"], "packages")
        self.packages.currentCellChanged.connect(lambda row, *_: self._show_one(row))
        self.packages.setVisible(len(paths) > 1)
        layout.addWidget(self.packages, 1)
        self.summary = QLabel("正在核验…")
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.history = make_table(["日期", "事项", "内容", "记录单位"], "package_history")
        layout.addWidget(self.history, 2)
        self.notes = error_label("notes")
        layout.addWidget(self.notes)
        form = QFormLayout()
        self.branch = QComboBox()
        self.branch.setObjectName("branch")
        self.fingerprint = QLineEdit()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setPlaceholderText(
            "可选：介绍信上印的转出单位证书指纹，核对后标注为已核对"
        )
        holder, self.folder = _folder_row(paths[0].parent, self)
        self.password = _password()
        for label, widget in (
            ("转入团支部：", self.branch),
            ("证书指纹：", self.fingerprint),
            ("回执保存到：", holder),
            ("登录密码：", self.password),
        ):
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        ok_text = "确认转入" if len(paths) == 1 else f"确认转入（{len(paths)} 人）"
        buttons = confirm_buttons(ok_text, self.submit, self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        layout.addWidget(buttons)
        fit(self, 860, 620)
        self._load()

    def _load(self) -> None:
        from qzdesk.export.transfer import review_package

        contents = []
        for path in self.paths:
            try:
                contents.append(path.read_bytes())
            except OSError as exc:
                self.summary.setText(f"无法读取 {path}：{exc.strerror}")
                return
        self.context.read(
            lambda ctx: (
                [review_package(ctx, content) for content in contents],
                [(b.id, b.name) for b in ctx.overview.open_branches],
            ),
            on_done=self._show,
            on_error=lambda error: self.summary.setText(str(error)),
        )

    def _show(self, loaded: tuple[list[Any], list[tuple[int, str]]]) -> None:
        self.reviews, branches = loaded
        for branch_id, name in branches:
            self.branch.addItem(name, branch_id)
        fill_table(
            self.packages,
            [
                [
                    path.name,
                    r.package.name if r.package else "—",
                    r.package.sender.org if r.package else "—",
                    r.blocked or "可以接收",
                ]
                for path, r in zip(self.paths, self.reviews, strict=True)
            ],
            [r.blocked is not None for r in self.reviews],
        )
        blocked = sum(1 for r in self.reviews if r.blocked)
        self.ok.setEnabled(blocked == 0)
        if blocked and len(self.paths) > 1:
            self.error.setText(f"{blocked} 份不能接收（见上表）：请取出这几份后再接收其余的。")
        self._show_one(0)

    def _show_one(self, row: int) -> None:
        if not 0 <= row < len(self.reviews):
            return
        review = self.reviews[row]
        pkg = review.package
        if pkg is None:
            self.summary.setText("这份文件不能接收：\n" + "\n".join(review.opened.report()))
            fill_table(self.history, [])
            self.notes.clear()
            return
        who = review.opened.verification
        card = pkg.dossier
        self.summary.setText(
            f"{pkg.name}（{card.field('gender')}，公民身份号码 {card.field('id_number')}）\n"
            f"自 {pkg.sender.org}（{pkg.sender.parent}）转入，原因：{pkg.cause.label}；"
            f"介绍信 {pkg.code}，{pkg.out_on:%Y-%m-%d} 开出，有效期至 {pkg.valid_until:%Y-%m-%d}\n"
            f"团费交至 {pkg.dues_text}；成长记录 {len(pkg.timeline)} 条，"
            f"扫描件 {len(pkg.scans)} 份\n签名证书指纹：{who.fingerprint}"
        )
        fill_table(self.history, [[e.day_text, e.label, e.text, e.source] for e in pkg.timeline])
        lines = list(review.review.notes)
        if review.blocked:
            lines.insert(0, review.blocked)
        self.notes.setText("\n".join(lines))

    def submit(self) -> None:
        from qzdesk.export.transfer import receive_files

        if not self.password.text():
            self.error.setText("请输入登录密码：回执要用本单位的签名密钥签名。")
            return
        self.ok.setEnabled(False)
        self.error.setText(f"正在接收 {len(self.paths)} 份并生成回执…")
        self.context.write(
            receive_files,
            self.paths,
            self.branch.currentData(),
            self.password.text(),
            Path(self.folder.text()),
            self.fingerprint.text().strip() or None,
            on_done=self._done,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.setText(str(error))

    def _done(self, outcome: Any) -> None:
        arrivals = outcome.value
        unknown = sum(1 for a in arrivals if not a.known)
        mark = (
            f"\n其中 {unknown} 份转出单位的证书未登记，已在记录中标注“未登记”。" if unknown else ""
        )
        names = "、".join(a.name for a in arrivals[:10]) + ("等" if len(arrivals) > 10 else "")
        QMessageBox.information(
            self,
            "已转入",
            f"{names} 共 {len(arrivals)} 人已转入。{mark}\n回执已保存到：{self.folder.text()}\n"
            "请把回执交回转出单位。",
        )
        self.accept()


def confirm_receipts(context: AppContext, parent: QWidget) -> None:
    """确认回执: each file chosen closes its transfer; each result is reported."""
    from qzdesk.export.transfer import confirm_file

    files, _ = QFileDialog.getOpenFileNames(
        parent, "选择转入单位交回的回执", str(Path.home()), "回执 (*.pdf)"
    )
    results: list[str] = []

    def report() -> None:
        if len(results) == len(files):
            QMessageBox.information(parent, "确认回执", "\n".join(results))

    for name in files:
        path = Path(name)
        context.write(
            confirm_file,
            path,
            on_done=lambda outcome, p=path: (
                results.append(
                    f"{p.name}：{outcome.value.name} 已转出至{outcome.value.receiver.org}"
                ),
                report(),
            ),
            on_error=lambda error, p=path: (results.append(f"{p.name}：{error}"), report()),
        )


class TransfersDialog(QDialog):
    """转接记录: every transfer out and in with its state; for one out under way, the
    same request's state in 智慧团建 as read there, or 撤回 when it did not happen."""

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.rows: list[book.TransferRow] = []
        self.setWindowTitle("组织关系转接记录")
        layout = QVBoxLayout(self)
        self.table = make_table(
            ["转出日期", "方向", "团员", "对方单位", "状态", "智慧团建", "介绍信编号"], "transfers"
        )
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.zhtj_state = QComboBox()
        self.zhtj_state.setObjectName("zhtj_state")
        self.zhtj_state.setEditable(True)
        self.zhtj_state.addItems(
            ["已发起", "转出支部已审批", "上级已审批", "转入方已接收", "已完成", "已退回"]
        )
        self.zhtj_on = date_edit("zhtj_on", context.today())
        self.reason = QLineEdit()
        self.reason.setObjectName("withdraw_reason")
        self.reason.setPlaceholderText("撤回原因（如：录取后放弃入学，留在本单位）")
        form.addRow("智慧团建中的状态：", self.zhtj_state)
        form.addRow("在智慧团建中查看的日期：", self.zhtj_on)
        form.addRow("撤回原因：", self.reason)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        record = buttons.addButton("登记智慧团建状态", QDialogButtonBox.ButtonRole.ActionRole)
        record.setObjectName("record_zhtj")
        record.clicked.connect(self.record_zhtj)
        withdraw = buttons.addButton("撤回转出", QDialogButtonBox.ButtonRole.ActionRole)
        withdraw.setObjectName("withdraw")
        withdraw.clicked.connect(self.withdraw)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 900, 560)
        self.reload()

    def reload(self) -> None:
        self.context.read(book.transfers, on_done=self._show)

    def _show(self, rows: list[book.TransferRow]) -> None:
        self.rows = rows
        fill_table(
            self.table,
            [
                [
                    f"{r.out_on:%Y-%m-%d}",
                    "转出" if r.direction == "out" else "转入",
                    r.name,
                    r.other_side,
                    r.state.label + (f"（{r.closed_on:%Y-%m-%d}）" if r.closed_on else ""),
                    f"{r.zhtj_state}（{r.zhtj_on:%m-%d}）" if r.zhtj_on else "未登记",
                    r.code,
                ]
                for r in rows
            ],
        )

    def _chosen(self) -> book.TransferRow | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.error.setText("请先在表中选中一条转接记录。")
            return None
        return self.rows[row]

    def _write(self, op: Any, *args: Any) -> None:
        self.error.clear()
        self.context.write(
            op,
            *args,
            on_done=lambda _outcome: self.reload(),
            on_error=lambda error: self.error.setText(str(error)),
        )

    def record_zhtj(self) -> None:
        if (chosen := self._chosen()) is not None:
            state = self.zhtj_state.currentText()
            self._write(book.record_zhtj, chosen.id, self.zhtj_on.date().toPython(), state)

    def withdraw(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        if not self.reason.text().strip():
            self.error.setText("请填写撤回原因。")
            return
        answer = QMessageBox.question(
            self,
            "撤回转出",
            f"撤回 {chosen.name} 的转出（介绍信 {chosen.code}）？已交出的转接材料随之作废，"
            "请告知对方单位。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._write(book.withdraw, chosen.id, self.reason.text())
