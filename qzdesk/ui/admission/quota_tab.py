"""名额与号段: the yearly quota, students per grade (团青比) and member-number blocks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission import number_blocks, quotas
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import message_reporter
from qzdesk.ui.tables import fill_table, make_table


def _spin(name: str, low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


class QuotaTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        year = self.context.today().year
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("quota_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        quota_box = QGroupBox("发展名额与团青比")
        form = QFormLayout(quota_box)
        self.year = _spin("quota_year", 2000, 2100, year)
        form.addRow("年度", self.year)
        quota_row = QHBoxLayout()
        self.quota = _spin("quota_value", 0, 10000, 0)
        save_quota = QPushButton("保存名额")
        save_quota.clicked.connect(self.save_quota)
        quota_row.addWidget(self.quota)
        quota_row.addWidget(save_quota)
        form.addRow("上级下达的发展名额", quota_row)
        grade_row = QHBoxLayout()
        self.grade = QLineEdit()
        self.grade.setObjectName("quota_grade")
        self.grade.setPlaceholderText("年级，如：初三")
        self.students = _spin("quota_students", 1, 20000, 200)
        save_grade = QPushButton("保存学生数")
        save_grade.clicked.connect(self.save_grade)
        grade_row.addWidget(self.grade)
        grade_row.addWidget(QLabel("学生数"))
        grade_row.addWidget(self.students)
        grade_row.addWidget(save_grade)
        form.addRow("年级学生数", grade_row)
        self.grades = make_table(quotas.GradeCeiling.HEADERS, "quota_grades")
        form.addRow(self.grades)
        layout.addWidget(quota_box)

        block_box = QGroupBox("团员编号号段（上级下发）")
        block_layout = QVBoxLayout(block_box)
        self.blocks = make_table(["年度", "起始编号", "结束编号", "共", "已使用"], "quota_blocks")
        block_layout.addWidget(self.blocks)
        add_row = QHBoxLayout()
        self.first = QLineEdit()
        self.first.setObjectName("block_first")
        self.first.setPlaceholderText("起始编号（12 位）")
        self.last = QLineEdit()
        self.last.setObjectName("block_last")
        self.last.setPlaceholderText("结束编号（12 位）")
        add_block = QPushButton("登记号段")
        add_block.clicked.connect(self.add_block)
        for widget in (self.first, self.last, add_block):
            add_row.addWidget(widget)
        block_layout.addLayout(add_row)
        layout.addWidget(block_box, 1)
        self.message = QLabel()
        self.message.setObjectName("quota_message")
        self.message.setWordWrap(True)
        self._failed = message_reporter(self.message, context.worker.unhandled)
        layout.addWidget(self.message)

    def show_data(self, status: quotas.QuotaStatus, blocks: list[number_blocks.BlockRow]) -> None:
        self.status.setText(status.text())
        if status.quota is not None:
            self.quota.setValue(status.quota)
        fill_table(
            self.grades,
            [g.cells() for g in status.grades],
            [g.left <= 0 for g in status.grades],
        )
        fill_table(
            self.blocks,
            [[str(b.year), b.first, b.last, str(b.size), str(b.used)] for b in blocks],
            [b.used >= b.size for b in blocks],
        )

    def _submit(self, fn: object, *args: object, done: str) -> None:
        self.message.setStyleSheet("")
        self.context.write(
            fn,  # type: ignore[arg-type]
            *args,
            on_done=lambda _: self.message.setText(done),
            on_error=self._failed,
        )

    def save_quota(self) -> None:
        year, quota = self.year.value(), self.quota.value()
        self._submit(quotas.set_quota, year, quota, done=f"已保存 {year} 年发展名额 {quota} 人。")

    def save_grade(self) -> None:
        year, grade, students = self.year.value(), self.grade.text(), self.students.value()
        self._submit(
            quotas.set_grade_students, year, grade, students, done=f"已保存 {grade} 学生数。"
        )

    def add_block(self) -> None:
        self._submit(
            number_blocks.add_block,
            self.year.value(),
            self.first.text(),
            self.last.text(),
            done="号段已登记。",
        )
