"""互查互评互比: the organisations ranked on one measure as bars, every measure with its rank
in a table, and the month × organisation grid of meetings held, coloured by count."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from qzdesk.services.receiving.comparison import MEASURES, Comparison
from qzdesk.ui.receiving.charts import bar_view, show_bars
from qzdesk.ui.tables import fill_sortable, fill_table, make_table

SHOWN = 30  # bars in the chart: the table below has every organisation


class CompareTab(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.data: Comparison | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("比较："))
        self.measure = QComboBox()
        self.measure.setObjectName("measure")
        for measure in MEASURES:
            self.measure.addItem(measure.label, measure.key)
        self.measure.currentIndexChanged.connect(self._draw)
        row.addWidget(self.measure)
        row.addStretch(1)
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        self.chart = bar_view("ranking_chart", "")
        split.addWidget(self.chart)
        self.ranking = make_table(
            ["组织"] + [h for m in MEASURES for h in (m.label, "名次")], "ranking"
        )
        self.ranking.setSortingEnabled(True)
        split.addWidget(self.ranking)
        self.grid = make_table(["组织"], "month_grid")
        split.addWidget(self.grid)
        layout.addWidget(split, 1)

    def show_data(self, data: Comparison) -> None:
        self.data = data
        fill_sortable(
            self.ranking,
            [
                [c.org_name] + [t for m in MEASURES for t in (c.text(m.key), _rank(c.ranks[m.key]))]
                for c in data.compared
            ],
        )
        grid = data.grid
        self.grid.setColumnCount(len(grid.months) + 2)
        self.grid.setHorizontalHeaderLabels(["组织", *(m[5:] + "月" for m in grid.months), "合计"])
        fill_table(
            self.grid, [[name, *map(str, counts), str(sum(counts))] for name, counts in grid.rows]
        )
        top = max((n for _, counts in grid.rows for n in counts), default=0) or 1
        for r, (_name, counts) in enumerate(grid.rows):
            for c, count in enumerate(counts, start=1):
                shade = 255 - int(150 * count / top)  # more meetings, deeper red
                self.grid.item(r, c).setBackground(QBrush(QColor(255, shade, shade)))
        self._draw()

    def _draw(self) -> None:
        if self.data is None:
            return
        key = self.measure.currentData()
        measure = next(m for m in MEASURES if m.key == key)
        ranked = sorted(
            (c for c in self.data.compared if c.values[key] is not None),
            key=lambda c: -(c.values[key] or 0),
        )[:SHOWN]
        scale = 100 if measure.percent else 1
        self.chart.chart().setTitle(
            f"{measure.label}{'（%）' if measure.percent else ''}：前 {len(ranked)} 个组织"
            if ranked
            else "本期还没有收下的台账：收件后在此比较各组织"
        )
        show_bars(
            self.chart,
            [(c.org_name, round((c.values[key] or 0) * scale, 1)) for c in ranked],
            horizontal=True,
            percent=measure.percent,
        )


def _rank(rank: int | None) -> str:
    return "—" if rank is None else str(rank)
