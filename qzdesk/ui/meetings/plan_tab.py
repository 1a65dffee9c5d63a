"""年度计划: the year's planned meetings on a calendar and in a list; the secretary lays the
plan out from the rule profile, adds an item, moves one (with a reason) or cancels one."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.meetings import plan
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.meetings.plan import PlanRow, PlanState
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import (
    FieldErrors,
    button_row,
    combo,
    confirm_buttons,
    date_edit,
    message_reporter,
)
from qzdesk.ui.meetings.minutes_dialog import MinutesDialog
from qzdesk.ui.tables import fill_table, make_table

# A planned day's colour on the calendar, by the most pressing state of its items.
STATE_COLOURS = (
    (PlanState.OVERDUE, "#b3261e"),
    (PlanState.DUE, "#1f5fa8"),
    (PlanState.HELD, "#2e7d32"),
)


class PlanTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.year = self.context.today().year
        self.rows: list[PlanRow] = []
        self.branches: list[tuple[int, str]] = []
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(
                (
                    ("按规则生成年度计划", self.lay_out, "plan_lay_out"),
                    ("添加计划…", self.add, "plan_add"),
                    ("修改或改期…", self.edit, "plan_edit"),
                    ("取消所选计划…", self.cancel, "plan_cancel"),
                    ("按此计划填写会议记录…", self.write_minutes, "plan_minutes"),
                )
            )
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("plan_calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        plain = QTextCharFormat()  # weekends unmarked: red means overdue here
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(weekend, plain)
        self.calendar.clicked.connect(self._day_chosen)
        self.calendar.currentPageChanged.connect(lambda y, m: self._go_to(date(y, m, 1)))
        split.addWidget(self.calendar)
        self.table = make_table(PlanRow.HEADERS, "meetings_plan")
        self.table.activated.connect(lambda _: self.edit())
        split.addWidget(self.table)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.legend = QLabel()
        self.legend.setObjectName("plan_legend")
        layout.addWidget(self.legend)
        self.message = QLabel()
        self.message.setObjectName("plan_message")
        self.message.setWordWrap(True)
        self._failed = message_reporter(self.message, context.worker.unhandled)
        layout.addWidget(self.message)

    def show_plan(self, year: int, rows: list[PlanRow], branches: list[tuple[int, str]]) -> None:
        self.year, self.rows, self.branches = year, rows, branches
        today = self.context.today()
        fill_table(
            self.table,
            [r.cells(today) for r in rows],
            [r.state(today) is PlanState.OVERDUE for r in rows],
        )
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # a null date: clear all
        by_day: dict[date, list[PlanRow]] = {}
        for r in rows:
            if not r.cancelled_reason:
                by_day.setdefault(r.planned_on, []).append(r)
        for day, items in by_day.items():
            states = {r.state(today) for r in items}
            colour = next(c for s, c in STATE_COLOURS if s in states)
            look = QTextCharFormat()
            look.setFontWeight(QFont.Weight.Bold)
            look.setForeground(QBrush(QColor(colour)))
            look.setToolTip("\n".join(f"{r.branch} {r.kind.label}：{r.topic}" for r in items))
            self.calendar.setDateTextFormat(QDate(day), look)
        self.calendar.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
        if year == today.year:
            self._go_to(date(today.year, today.month, 1))
        self.legend.setText(
            "日历上红色为逾期未开，蓝色为待召开，绿色为已召开；双击列表中的一项可修改或改期。"
            if rows
            else f"{year} 年尚无计划：点击“按规则生成年度计划”，按规则配置排出全年会议，"
            "再逐项填写主题和负责人。"
        )

    def _day_chosen(self, day: QDate) -> None:
        self._go_to(day.toPython())

    def _go_to(self, day: date) -> None:
        """Select the first item on or after the day, so the list follows the calendar."""
        row = next((i for i, r in enumerate(self.rows) if r.planned_on >= day), None)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollToItem(self.table.item(row, 0))

    def selected(self) -> PlanRow | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        QMessageBox.information(self, "年度计划", "请先在计划列表中选择一项。")
        return None

    def lay_out(self) -> None:
        self.context.write(
            plan.lay_out_year,
            self.year,
            on_done=lambda outcome: self._done(
                f"已按规则配置为 {self.year} 年补充 {outcome.value} 项计划。"
            ),
        )

    def add(self) -> PlanItemDialog | None:
        if not self.branches:
            return None
        dialog = PlanItemDialog(self.context, self.branches, None, self.year, self)
        dialog.open()
        return dialog

    def edit(self) -> PlanItemDialog | None:
        item = self.selected()
        if item is None:
            return None
        if item.cancelled_reason:
            QMessageBox.information(self, "年度计划", "这项计划已取消，不能修改。")
            return None
        dialog = PlanItemDialog(self.context, self.branches, item, self.year, self)
        dialog.open()
        return dialog

    def write_minutes(self) -> MinutesDialog | None:
        item = self.selected()
        if item is None:
            return None
        if item.cancelled_reason or item.held_on is not None:
            QMessageBox.information(self, "年度计划", "这项计划已取消或已召开。")
            return None
        dialog = MinutesDialog(self.context, self.branches, None, self)
        dialog.follow_plan(item)
        dialog.open()
        return dialog

    def cancel(self) -> None:
        item = self.selected()
        if item is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            "取消计划",
            f"取消 {item.branch} {item.planned_on:%m-%d} 的{item.kind.label}，原因：",
        )
        if ok:
            self.context.write(
                plan.cancel_item,
                item.id,
                reason,
                on_done=lambda _: self._done("已取消，计划中保留取消原因。"),
                on_error=self._failed,
            )

    def _done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)


class PlanItemDialog(QDialog):
    """A new plan item, or an existing one's topic, leader and date (a new date needs a
    reason, which the plan keeps)."""

    def __init__(
        self,
        context: AppContext,
        branches: list[tuple[int, str]],
        item: PlanRow | None,
        year: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.item = item
        self.setWindowTitle("修改计划" if item else "添加计划")
        self.setMinimumWidth(480)
        self.errors = FieldErrors()
        form = QFormLayout(self)
        self.branch = combo("plan_branch", [(name, i) for i, name in branches])
        self.kind = combo("plan_kind", [(k.label, k.value) for k in MeetingKind])
        self.planned_on = date_edit("plan_planned_on", context.today(), not_after_today=False)
        self.planned_on.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
        self.topic = QLineEdit()
        self.topic.setObjectName("plan_topic")
        self.leader = QLineEdit()
        self.leader.setObjectName("plan_leader")
        self.leader.setPlaceholderText("主持或主讲人")
        self.reason = QLineEdit()
        self.reason.setObjectName("plan_reason")
        self.reason.setPlaceholderText("改期时必填，如：与期中考试冲突")
        if item is not None:
            self.branch.setCurrentIndex(self.branch.findData(item.branch_id))
            self.kind.setCurrentIndex(self.kind.findData(item.kind.value))
            self.branch.setEnabled(False)
            self.kind.setEnabled(False)
            self.planned_on.setDate(QDate(item.planned_on))
            self.topic.setText(item.topic)
            self.leader.setText(item.leader or "")
        self.errors.add_row(form, "团支部", self.branch, "branch")
        self.errors.add_row(form, "会议", self.kind, "kind")
        self.errors.add_row(form, "计划日期", self.planned_on, "planned_on")
        self.errors.add_row(form, "主题", self.topic, "topic")
        self.errors.add_row(form, "负责人", self.leader, "leader")
        if item is not None:
            self.errors.add_row(form, "改期原因", self.reason, "reason")
        form.addRow(self.errors.make_fallback())
        form.addRow(confirm_buttons("保存", self.submit, self.reject))

    def submit(self) -> None:
        self.errors.clear()
        planned_on = self.planned_on.date().toPython()
        if self.item is None:
            call: tuple[Any, ...] = (
                plan.add_item,
                self.branch.currentData(),
                MeetingKind(self.kind.currentData()),
                planned_on,
                self.topic.text(),
                self.leader.text(),
            )
        else:
            call = (
                plan.update_item,
                self.item.id,
                self.topic.text(),
                self.leader.text(),
                planned_on,
                self.reason.text(),
            )
        self.context.write(
            *call,
            on_done=lambda _: self.accept(),
            on_error=self.errors.reporter(self.context.worker.unhandled),
        )
