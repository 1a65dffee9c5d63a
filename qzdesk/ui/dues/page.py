"""团费: the year's months per member (paid, 减免, owed), who is behind with a 催交 text to
copy into the group chat, the money held, passed up and spent, and the dialogs to record
a collection, a payment and a member's category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.dues import book
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.ui.context import AppContext
from qzdesk.ui.dues.collection import CollectionDialog
from qzdesk.ui.dues.dialogs import MemberDialog
from qzdesk.ui.dues.money import MoneyData, MoneyTab, load_money
from qzdesk.ui.forms import year_box
from qzdesk.ui.pages.base import Page
from qzdesk.ui.tables import fill_table, filling, make_table
from qzdesk.ui.write_dialog import month_edit, number_box
from qzdesk.vocabulary import DuesCategory

PAID, EXEMPT, OWING = QColor("#dcefdc"), QColor("#dde8f6"), QColor("#f6d5d3")


@dataclass(frozen=True)
class DuesData:
    year: int
    today: date
    grid: list[book.MemberYear]
    arrears: list[book.Arrear]
    figures: book.DuesFigures
    warning: int  # months behind that the page lists
    owing: list[book.Owing]  # a collection's lines, up to this month
    money: MoneyData


def reminder_text(arrears: list[book.Arrear]) -> str:
    """A 催交 notice for the group chat: names, months and amounts, nothing else."""
    lines = [
        f"{a.name}：{a.since:%Y年%m月}起 {a.months} 个月，{yuan_text(a.owed_fen)} 元"
        for a in arrears
    ]
    return "各位团员：以下同志的团费尚未交纳，请尽快交给团支部。\n" + "\n".join(lines)


class DuesPage(Page):
    TITLE = "团费"
    TOPICS = frozenset({Topic.DUES, Topic.MEMBERS})

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.data: DuesData | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        self.year = year_box("dues_year", context.today())
        self.year.valueChanged.connect(self.refresh)
        top.addWidget(self.year)
        self.pay_button = QPushButton("登记交纳…")
        self.pay_button.setObjectName("record_payment")
        self.pay_button.clicked.connect(self.record_payment)
        self.extra_button = QPushButton("自愿多交…")
        self.extra_button.setObjectName("record_extra")
        self.extra_button.setToolTip("团员自愿多交的团费：单独记账，不抵应交月份")
        self.extra_button.clicked.connect(self.record_extra)
        self.basis_button = QPushButton("交纳类别…")
        self.basis_button.setObjectName("record_basis")
        self.basis_button.clicked.connect(self.record_basis)
        self.collect_button = QPushButton("收缴…")
        self.collect_button.setObjectName("collect")
        self.collect_button.setToolTip("在会上收团费：勾选交纳的团员，一次登记")
        self.collect_button.clicked.connect(self.collect)
        self.copy_button = QPushButton("复制催交通知")
        self.copy_button.setObjectName("copy_reminder")
        self.copy_button.clicked.connect(self.copy_reminder)
        for button in (
            self.collect_button,
            self.pay_button,
            self.extra_button,
            self.basis_button,
            self.copy_button,
        ):
            top.addWidget(button)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel("正在读取…")
        self.summary.setObjectName("dues_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.grid = make_table(
            ["团员", "团支部", *(f"{m}月" for m in range(1, 13))],
            "dues_grid",
            widths=[80, 150, *[48] * 12],
        )
        self.arrears = make_table(["团员", "起始月份", "月数", "金额（元）"], "dues_arrears")
        self.money = MoneyTab(context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dues_tabs")
        self.tabs.addTab(self.grid, "各月交纳")
        self.tabs.addTab(self.arrears, "欠交名单")
        self.tabs.addTab(self.money, "收支与交接")
        layout.addWidget(self.tabs, 1)

    def load(self, ctx: Context) -> DuesData:
        year = self.year.value()
        end = min(date(year, 12, 31), ctx.today)
        return DuesData(
            year,
            ctx.today,
            book.year_grid(ctx, year),
            book.arrears(ctx),
            book.figures(ctx, date(year, 1, 1), end),
            ctx.profile.dues.arrears_warning_months.value,
            book.owing_until(ctx, ctx.today),
            load_money(ctx, year),
        )

    def show_data(self, data: DuesData) -> None:
        self.data = data
        fig = data.figures
        rate = "—" if fig.rate is None else f"{fig.rate:.0%}"
        self.summary.setText(
            f"{data.year} 年：应交 {fig.due_members} 人、{yuan_text(fig.due_fen)} 元；"
            f"各月均已交清 {fig.paid_members} 人（收缴率 {rate}）；本年已收 "
            f"{yuan_text(fig.paid_fen)} 元。绿色为已交，蓝色为减免，红色为欠交（金额为当月应交）；"
            "空白为尚未定档或不在团费期内。"
        )
        fill_table(self.grid, [[r.name, r.branch, *([""] * 12)] for r in data.grid])
        with filling(self.grid):
            for row, member in enumerate(data.grid):
                for column, month in enumerate(member.months, start=2):
                    item = QTableWidgetItem(_cell(month))
                    colour = _colour(month)
                    if colour is not None:
                        item.setBackground(QBrush(colour))
                    self.grid.setItem(row, column, item)
        fill_table(
            self.arrears,
            [
                [a.name, f"{a.since:%Y-%m}", str(a.months), yuan_text(a.owed_fen)]
                for a in data.arrears
            ],
        )
        self.copy_button.setEnabled(bool(data.arrears))
        self.tabs.setTabText(1, f"欠交名单（{len(data.arrears)}）")
        self.money.show_data(data.money)

    def copy_reminder(self) -> None:
        if self.data and self.data.arrears:
            QGuiApplication.clipboard().setText(reminder_text(self.data.arrears))
            QMessageBox.information(self, "已复制", "催交通知已复制，可粘贴到团支部的群聊中。")

    def _members(self) -> list[tuple[int, str]]:
        return [
            (r.member_id, f"{r.name}（{r.branch}）") for r in (self.data.grid if self.data else [])
        ]

    def collect(self) -> None:
        if self.data is None:
            return
        if not self.data.owing:
            QMessageBox.information(self, "收缴团费", "到本月为止没有应交未交的团费。")
            return
        CollectionDialog(self.context, self.data.owing, self).exec()

    def record_payment(self) -> None:
        PaymentDialog(self.context, self._members(), self).exec()

    def record_extra(self) -> None:
        ExtraDialog(self.context, self._members(), self).exec()

    def record_basis(self) -> None:
        BasisDialog(self.context, self._members(), self).exec()


def _cell(month: book.Month | None) -> str:
    if month is None or month.due_fen is None:
        return ""
    if month.paid:
        return "已交"
    if month.exempt:
        return "减免"
    return yuan_text(month.due_fen) if month.due_fen else "—"


def _colour(month: book.Month | None) -> QColor | None:
    if month is None or month.due_fen is None:
        return None
    if month.paid:
        return PAID
    if month.exempt:
        return EXEMPT
    return OWING if month.owing else None


class PaymentDialog(MemberDialog):
    def __init__(
        self, context: AppContext, members: list[tuple[int, str]], parent: QWidget
    ) -> None:
        super().__init__(context, members, "登记团费交纳", parent)
        today = context.today()
        self.first = month_edit(today.replace(day=1))
        self.last = month_edit(today.replace(day=1))
        self.amount = number_box("dues_amount")
        self.paid_on = QDateEdit(today)
        self.paid_on.setDisplayFormat("yyyy-MM-dd")
        self.method = QComboBox()
        self.method.addItems(list(book.METHODS))
        self.receipt = QLineEdit()
        self.consent = QLineEdit()
        self.consent.setPlaceholderText("预交或补交超过规定月数时：支委会同意的会议或日期")
        for label, widget in (
            ("从：", self.first),
            ("到：", self.last),
            ("金额：", self.amount),
            ("交纳日期：", self.paid_on),
            ("方式：", self.method),
            ("收据号：", self.receipt),
            ("支委会同意：", self.consent),
        ):
            self.form.addRow(label, widget)
        self.finish()

    def submit(self) -> None:
        self.write(
            book.pay,
            self.member.currentData(),
            self.first.date().toPython(),
            self.last.date().toPython(),
            self.amount.value(),
            self.paid_on.date().toPython(),
            self.method.currentText(),
            None,
            self.receipt.text().strip() or None,
            self.consent.text().strip() or None,
        )


class ExtraDialog(MemberDialog):
    def __init__(
        self, context: AppContext, members: list[tuple[int, str]], parent: QWidget
    ) -> None:
        super().__init__(context, members, "登记自愿多交", parent)
        self.amount = number_box("extra_amount")
        self.paid_on = QDateEdit(context.today())
        self.paid_on.setDisplayFormat("yyyy-MM-dd")
        self.method = QComboBox()
        self.method.addItems(list(book.METHODS))
        self.note = QLineEdit()
        for label, widget in (
            ("金额：", self.amount),
            ("交纳日期：", self.paid_on),
            ("方式：", self.method),
            ("说明：", self.note),
        ):
            self.form.addRow(label, widget)
        self.finish()

    def submit(self) -> None:
        self.write(
            book.give_extra,
            self.member.currentData(),
            self.amount.value(),
            self.paid_on.date().toPython(),
            self.method.currentText(),
            self.note.text(),
        )


class BasisDialog(MemberDialog):
    def __init__(
        self, context: AppContext, members: list[tuple[int, str]], parent: QWidget
    ) -> None:
        super().__init__(context, members, "登记交纳类别", parent)
        self.category = QComboBox()
        self.category.setObjectName("dues_category")
        for category in DuesCategory:
            self.category.addItem(category.label, category.value)
        self.from_month = month_edit(context.today().replace(day=1))
        self.income = number_box("dues_income", 1_000_000, " 元/月")
        for label, widget in (
            ("交纳类别：", self.category),
            ("自何月起：", self.from_month),
            ("税后月收入：", self.income),
        ):
            self.form.addRow(label, widget)
        self.finish()

    def submit(self) -> None:
        category = DuesCategory(self.category.currentData())
        self.write(
            book.set_basis,
            self.member.currentData(),
            category,
            self.from_month.date().toPython(),
            self.income.value() if category.by_income else None,
        )
