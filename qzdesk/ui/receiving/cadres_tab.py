"""团干部: every organisation's secretary and committee members from their archives, with
the structure the district analyses (age, gender, education, years in post) as charts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from qzdesk.services.receiving.cadres import Cadre, CadreProfile
from qzdesk.ui.receiving.charts import bar_view, pie_view, show_bars, show_pie
from qzdesk.ui.tables import fill_sortable, make_table


class CadresTab(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.total = QLabel()
        self.total.setObjectName("cadres_total")
        layout.addWidget(self.total)
        split = QSplitter(Qt.Orientation.Vertical)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        self.ages = bar_view("ages_chart", "年龄结构")
        self.genders = pie_view("genders_chart", "性别")
        self.education = bar_view("education_chart", "学历")
        self.years = bar_view("years_chart", "任职年限")
        for index, view in enumerate((self.ages, self.genders, self.education, self.years)):
            grid.addWidget(view, index // 2, index % 2)
        split.addWidget(charts)
        self.table = make_table(list(Cadre.HEADERS), "cadres")
        self.table.setSortingEnabled(True)
        split.addWidget(self.table)
        layout.addWidget(split, 1)

    def show_data(self, found: list[Cadre], analysis: CadreProfile) -> None:
        unknown = sum(1 for c in found if c.age is None)
        self.total.setText(
            f"共 {analysis.total} 人（书记 {sum(c.post == '书记' for c in found)} 人）"
            + (f"；{unknown} 人不在其团支部名册上，年龄等为“未填”" if unknown else "")
        )
        show_bars(self.ages, analysis.ages)
        show_pie(self.genders, analysis.genders)
        show_bars(self.education, analysis.education)
        show_bars(self.years, analysis.years)
        fill_sortable(self.table, [[str(v) for v in c.cells()] for c in found])
