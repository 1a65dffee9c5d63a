"""The visible seal on the signature page: red, round, the branch's name and the date.
Drawn by ReportLab (pyHanko's own stamp text cannot use our font)."""

from __future__ import annotations

import math
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import FONT

SEAL_RED = colors.HexColor("#d01f1f")


class Seal(Flowable):
    def __init__(self, name: str, day: date, diameter: float = 48 * mm) -> None:
        super().__init__()
        self.name = name
        self.day = day
        self.width = self.height = diameter

    def draw(self) -> None:
        c = self.canv
        radius = self.width / 2
        cx = cy = radius
        c.saveState()
        c.setStrokeColor(SEAL_RED)
        c.setFillColor(SEAL_RED)
        c.setLineWidth(2.2)
        c.circle(cx, cy, radius - 1.5, stroke=1, fill=0)
        self._star(cx, cy, radius * 0.24)
        text = self.name
        size = min(12.0, 2 * math.pi * radius * 0.62 / max(len(text), 1) / 1.05)
        c.setFont(FONT, size)
        span = min(math.radians(250), len(text) * size * 1.15 / (radius * 0.78))
        for i, char in enumerate(text):
            angle = math.pi / 2 + span / 2 - (span * (i + 0.5) / len(text))
            x = cx + radius * 0.72 * math.cos(angle)
            y = cy + radius * 0.72 * math.sin(angle)
            c.saveState()
            c.translate(x, y)
            c.rotate(math.degrees(angle) - 90)
            c.drawCentredString(0, -size / 3, char)
            c.restoreState()
        c.setFont(FONT, 8)
        c.drawCentredString(cx, cy - radius * 0.55, f"{self.day:%Y年%m月%d日}")
        c.restoreState()

    def _star(self, cx: float, cy: float, r: float) -> None:
        points = []
        for k in range(10):
            angle = math.pi / 2 + k * math.pi / 5
            length = r if k % 2 == 0 else r * 0.4
            points.append((cx + length * math.cos(angle), cy + length * math.sin(angle)))
        path = self.canv.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.close()
        self.canv.drawPath(path, stroke=0, fill=1)
