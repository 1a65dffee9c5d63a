"""Small QtCharts pictures for the committee's views: counts by category as bars or a
pie, and one measure across organisations as horizontal bars (best at the top)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter

BAR = QColor("#c62828")  # the League's red, as the PDF header rule


def _view(chart: QChart, name: str) -> QChartView:
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(chart.margins() * 0)
    view = QChartView(chart)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(180)
    return view


def bar_view(name: str, title: str) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    return _view(chart, name)


def show_bars(
    view: QChartView,
    counts: Sequence[tuple[str, float]],
    horizontal: bool = False,
    percent: bool = False,
) -> None:
    """Replace the chart's bars; horizontal bars list the first item at the top."""
    chart = view.chart()
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    shown = list(reversed(counts)) if horizontal else list(counts)
    bars = QBarSet("")
    bars.setColor(BAR)
    bars.append([float(v) for _, v in shown])
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([label for label, _ in shown])
    values = QValueAxis()
    top = max([v for _, v in shown], default=0)
    if percent:
        values.setRange(0, 100)
        values.setTickCount(5)
    else:  # whole numbers of people or meetings: integer ticks, a little headroom
        step = max(1, math.ceil(top / 4))
        values.setRange(0, step * max(1, math.ceil(top * 1.1 / step)))
        values.setTickCount(int(values.max() / step) + 1)
    values.setLabelFormat("%d")
    chart.addAxis(
        categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
    )
    chart.addAxis(
        values, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
    )
    series.attachAxis(categories)
    series.attachAxis(values)


def pie_view(name: str, title: str) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    view = _view(chart, name)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return view


def show_pie(view: QChartView, counts: Sequence[tuple[str, int]]) -> None:
    chart = view.chart()
    chart.removeAllSeries()
    series = QPieSeries()
    for label, count in counts:
        series.append(f"{label} {count}", count)
    chart.addSeries(series)
