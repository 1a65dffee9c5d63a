"""The place on the signature page where the real 公章 goes: an empty, marked area. A
printed imitation of a seal would be taken for the stamp by nobody who matters and for a
forgery by some; the electronic signature is what proves the file."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import FONT

MARK_GREY = colors.HexColor("#9a9a9a")


class StampArea(Flowable):
    def __init__(self, size: float = 46 * mm) -> None:
        super().__init__()
        self.width = self.height = size

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(MARK_GREY)
        c.setFillColor(MARK_GREY)
        c.setDash(3, 3)
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.setFont(FONT, 9)
        c.drawCentredString(self.width / 2, self.height / 2 + 2, "（此处加盖公章）")
        c.restoreState()
