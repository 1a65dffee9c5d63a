"""积分审核: the leadership group's queue; approve or return a batch in one sitting."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission import ledger
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import date_edit, message_reporter
from qzdesk.ui.tables import fill_table, make_table

HEADERS = ["序号", "姓名", "年级班级", "类别", "项目", "档次", "分值", "日期", "说明", "记录人"]


class ReviewTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[ledger.PendingRow] = []
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        layout.addWidget(self.summary)
        self.table = make_table(HEADERS, "review_table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.reviewers = QLineEdit()
        self.reviewers.setObjectName("review_reviewers")
        self.reviewers.setPlaceholderText("参加本次审核的领导小组成员，如：王建国、李文静、赵敏")
        form.addRow("审核人", self.reviewers)
        self.on = date_edit("review_on", context.today())
        form.addRow("审核日期", self.on)
        self.reason = QLineEdit()
        self.reason.setObjectName("review_reason")
        self.reason.setPlaceholderText("退回时必填：请说明缺少什么材料或哪里不符")
        form.addRow("退回原因", self.reason)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        select_all = QPushButton("全选")
        select_all.clicked.connect(self.table.selectAll)
        self.approve = QPushButton("通过所选")
        self.approve.setObjectName("review_approve")
        self.approve.clicked.connect(lambda: self.decide("approved"))
        self.return_button = QPushButton("退回所选")
        self.return_button.setObjectName("review_return")
        self.return_button.clicked.connect(lambda: self.decide("returned"))
        self.message = QLabel()
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)
        self._failed = message_reporter(self.message, context.worker.unhandled)
        for widget in (select_all, self.approve, self.return_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.message, 1)
        layout.addLayout(buttons)

    def show_rows(self, rows: list[ledger.PendingRow]) -> None:
        self.rows = rows
        self.summary.setText(
            f"待审核 {len(rows)} 条。只有审核通过的积分才计入得分；"
            "可多选（Ctrl/Shift+点击）后成批审核。"
        )
        fill_table(
            self.table,
            [
                [
                    str(r.entry.id),
                    r.applicant_name,
                    f"{r.grade or ''}{r.class_name or ''}",
                    r.entry.category_name,
                    r.entry.item_name,
                    r.entry.grade or "",
                    r.entry.points,
                    f"{r.entry.occurred_on:%Y-%m-%d}",
                    r.entry.note or "",
                    r.entry.recorded_by,
                ]
                for r in rows
            ],
            [r.entry.reverses_id is not None for r in rows],
        )

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[r].entry.id for r in rows]

    def decide(self, decision: str) -> None:
        ids = self.selected_ids()
        word = "通过" if decision == "approved" else "退回"
        if ids and (
            QMessageBox.question(
                self,
                f"确认{word}",
                f"将 {len(ids)} 条积分记录审核为“{word}”。审核结果记入后不能更改，是否继续？",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        self.context.write(
            ledger.review_entries,
            ids,
            decision,
            self.on.date().toPython(),
            self.reviewers.text(),
            self.reason.text(),
            on_done=lambda outcome: self._done(outcome, len(ids), word),
            on_error=self._failed,
        )

    def _done(self, outcome: Any, count: int, word: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(f"第 {outcome.value} 次审核：已{word} {count} 条。")
        self.reason.clear()
