"""组织生活: the year's minutes (draft or signed), the yearly plan, compliance and rating,
evaluation and registration, and committee terms, one tab each."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
)

from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.meetings import minutes, plan, terms
from qzdesk.services.meetings.compliance import ComplianceCell, compliance
from qzdesk.services.meetings.rating import BranchRating, ratings
from qzdesk.services.members import records
from qzdesk.services.organisation.rules import RatingScheme
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import button_row, combo, year_box
from qzdesk.ui.meetings.compliance_tab import ComplianceTab
from qzdesk.ui.meetings.evaluation_tab import EvaluationTab
from qzdesk.ui.meetings.minutes_dialog import MinutesDialog
from qzdesk.ui.meetings.plan_tab import PlanTab
from qzdesk.ui.meetings.terms_tab import TermsTab
from qzdesk.ui.pages.base import Page
from qzdesk.ui.tables import fill_table, make_table


@dataclass(frozen=True)
class MeetingsData:
    year: int
    minutes: list[minutes.MeetingListRow]
    plan: list[plan.PlanRow]
    cells: list[ComplianceCell]
    branches: list[tuple[int, str]]
    terms: list[terms.BranchTerm]
    scheme: RatingScheme | None
    ratings: list[BranchRating]


class MeetingsPage(Page):
    TITLE = "组织生活"
    TOPICS = frozenset({Topic.MEETINGS, Topic.ORG, Topic.MEMBERS, Topic.SETTINGS})

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.data: MeetingsData | None = None
        self.shown: list[minutes.MeetingListRow] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("年度"))
        self.year = year_box("meetings_year", self.context.today())
        self.year.valueChanged.connect(lambda _: self.refresh())
        row.addWidget(self.year)
        row.addWidget(QLabel("团支部"))
        self.branch = combo("meetings_branch", [("全部团支部", None)])
        self.branch.setToolTip("只看一个团支部的会议记录和年度计划")
        self.branch.currentIndexChanged.connect(lambda _: self._show_lists())
        row.addWidget(self.branch)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addLayout(
            button_row(
                (
                    ("新建会议记录…", self.new_minutes, "meetings_new"),
                    ("打开所选记录…", self.open_minutes, "meetings_open"),
                )
            )
        )
        self.tabs = QTabWidget()
        self.list = make_table(["日期", "团支部", "会议", "主题", "到会", "状态"], "meetings_list")
        self.list.activated.connect(lambda _: self.open_minutes())
        self.tabs.addTab(self.list, "会议记录")
        self.plan = PlanTab(context)
        self.tabs.addTab(self.plan, "年度计划")
        self.compliance = ComplianceTab(context)
        self.tabs.addTab(self.compliance, "落实情况")
        self.evaluation = EvaluationTab(context)
        self.tabs.addTab(self.evaluation, "评议与注册")
        self.terms = TermsTab(context)
        self.tabs.addTab(self.terms, "换届")
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        year = self.year.value()

        def load(ctx: Context) -> MeetingsData:
            return MeetingsData(
                year,
                minutes.meetings_of_year(ctx, year),
                plan.year_plan(ctx, year),
                compliance(ctx, year),
                records.open_branches(ctx),
                terms.branch_terms(ctx),
                *ratings(ctx, year),
            )

        self.context.read(load, on_done=self.show_data)

    def show_data(self, data: MeetingsData) -> None:
        self.data = data
        self.evaluation.set_year(data.year, data.branches)
        chosen = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        self.branch.addItem("全部团支部", None)
        for branch_id, name in data.branches:
            self.branch.addItem(name, branch_id)
        self.branch.setCurrentIndex(max(0, self.branch.findData(chosen)))
        self.branch.blockSignals(False)
        self._show_lists()
        self.compliance.show_cells(data.cells)
        self.compliance.show_ratings(data.scheme, data.ratings, data.year)
        self.terms.show_terms(data.terms)

    def _show_lists(self) -> None:
        """The minutes and the plan, of one branch or all."""
        if self.data is None:
            return
        chosen = self.branch.currentData()
        self.shown = [m for m in self.data.minutes if chosen in (None, m.branch_id)]
        fill_table(
            self.list,
            [
                [
                    f"{m.held_on:%Y-%m-%d}",
                    m.branch,
                    f"第{m.number}次{m.kind.label}",
                    m.topic,
                    f"{m.present}/{m.expected}",
                    "已签字" if m.status == "signed" else "草稿",
                ]
                for m in self.shown
            ],
            [m.status != "signed" for m in self.shown],
        )
        plan = [p for p in self.data.plan if chosen in (None, p.branch_id)]
        self.plan.show_plan(self.data.year, plan, self.data.branches)

    def new_minutes(self) -> MinutesDialog | None:
        if self.data is None:
            return None
        dialog = MinutesDialog(self.context, self.data.branches, None, self)
        if self.branch.currentData() is not None:
            dialog.branch.setCurrentIndex(dialog.branch.findData(self.branch.currentData()))
        dialog.open()
        return dialog

    def open_minutes(self) -> MinutesDialog | None:
        row = self.list.currentRow()
        if self.data is None or not 0 <= row < len(self.shown):
            QMessageBox.information(self, "组织生活", "请先在“会议记录”中选择一条记录。")
            return None
        dialog = MinutesDialog(self.context, self.data.branches, self.shown[row].id, self)
        dialog.open()
        return dialog
