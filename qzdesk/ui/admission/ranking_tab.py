"""推优排名: applicants ranked by approved points within a grade or class, with their
gates beside the points and the places left in the quota; the vote still decides."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qzdesk.services.admission import quotas
from qzdesk.services.context import Context
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import combo
from qzdesk.ui.tables import fill_table, make_table

HEADERS = [
    "名次",
    "姓名",
    "年级",
    "班级",
    "阶段",
    "积分",
    "达到合格线",
    "未确认标准",
    "负面清单",
    "名额内",
]


class RankingTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.stage = combo(
            "ranking_stage",
            [("第一阶段：申请人 → 入团积极分子", 1), ("第二阶段：积极分子 → 发展对象", 2)],
        )
        self.grade = combo("ranking_grade", [("全部年级", None)])
        self.class_name = combo("ranking_class", [("全部班级", None)])
        for widget in (self.stage, self.grade, self.class_name):
            widget.currentIndexChanged.connect(self.refresh)
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.quota = QLabel()
        self.quota.setObjectName("ranking_quota")
        self.quota.setWordWrap(True)
        layout.addWidget(self.quota)
        self.table = make_table(HEADERS, "ranking_table")
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel("积分只是推荐的依据之一：排名之后仍须支委会研究、公示和支部大会表决。")
        )
        self.rows: list[quotas.RankingRow] = []

    def set_choices(self, grades: list[str], classes: list[str]) -> None:
        for box, values in ((self.grade, grades), (self.class_name, classes)):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for value in values:
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def refresh(self) -> None:
        stage, grade, class_name = (
            self.stage.currentData(),
            self.grade.currentData(),
            self.class_name.currentData(),
        )
        year = self.context.today().year

        def load(ctx: Context) -> tuple[list[quotas.RankingRow], quotas.QuotaStatus]:
            rows = quotas.ranking(ctx, stage, grade, class_name, year)
            return rows, quotas.quota_status(ctx, year)

        self.context.read(load, on_done=lambda data: self.show_rows(*data))

    def show_rows(self, rows: list[quotas.RankingRow], status: quotas.QuotaStatus) -> None:
        self.rows = rows
        self.quota.setText(status.text())

        def yes(flag: bool | None) -> str:
            return "" if flag is None else ("是" if flag else "否")

        fill_table(
            self.table,
            [
                [
                    str(r.rank),
                    r.name,
                    r.grade or "",
                    r.class_name or "",
                    r.stage.label,
                    r.points,
                    yes(r.qualifies),
                    str(r.gates_missing) if r.gates_missing else "",
                    "有" if r.vetoed else "",
                    yes(r.within_quota),
                ]
                for r in rows
            ],
            [bool(r.within_quota) for r in rows],
        )
