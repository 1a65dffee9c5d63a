"""A4 pages with the bundled CJK font, a header (organisation, title, period) and a footer
(第 x 页 / 共 y 页, generation time, archive id); Chinese wrapping; tables whose header row
repeats on every page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from qzdesk.config import font_path

FONT = "WenQuanYiMicroHei"
MARGIN = 18 * mm
HEADER_RULE = colors.HexColor("#b71c1c")


def register_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
    return FONT


def style(size: float = 10, leading: float | None = None, **extra: Any) -> ParagraphStyle:
    register_font()
    return ParagraphStyle(
        f"qz{size}{sorted(extra.items())}",
        fontName=FONT,
        fontSize=size,
        leading=leading or size * 1.45,
        wordWrap="CJK",
        **extra,
    )


BODY = style(10)
SMALL = style(8.5)
TITLE = style(18, alignment=TA_CENTER, spaceAfter=6 * mm)
SUBTITLE = style(14, alignment=TA_CENTER, leading=24)
HEADING = style(13, spaceBefore=4 * mm, spaceAfter=2 * mm)


@dataclass(frozen=True)
class PageInfo:
    """What every page's header and footer says."""

    organisation: str
    title: str
    period: str
    archive_id: str
    generated_at: datetime


def paragraph(text: str, st: ParagraphStyle = BODY) -> Paragraph:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), st)


def data_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> Table:
    """A grid whose cells wrap Chinese text and whose header repeats on every page."""
    head = [paragraph(h, style(9, textColor=colors.white)) for h in headers]
    body = [[paragraph(str(cell), style(9)) for cell in row] for row in rows]
    table = Table([head, *body], colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#8e1b1b")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f1f1")]),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


class _NumberedCanvas(Canvas):
    """Holds every page until the end so the footer can say 共 y 页."""

    info: PageInfo

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        info = self.info
        width, height = A4
        self.saveState()
        self.setFont(FONT, 8.5)
        self.setFillColor(colors.HexColor("#444444"))
        self.drawString(MARGIN, height - 12 * mm, info.organisation)
        self.drawRightString(width - MARGIN, height - 12 * mm, f"{info.title}｜{info.period}")
        self.setStrokeColor(HEADER_RULE)
        self.setLineWidth(0.8)
        self.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
        self.line(MARGIN, 13.5 * mm, width - MARGIN, 13.5 * mm)
        self.drawCentredString(width / 2, 9 * mm, f"第 {number} 页 / 共 {total} 页")
        self.drawString(MARGIN, 9 * mm, f"生成于 {info.generated_at:%Y-%m-%d %H:%M}")
        self.drawRightString(width - MARGIN, 9 * mm, f"台账编号 {info.archive_id}")
        self.restoreState()


def render(flowables: list[Flowable], info: PageInfo, out: BinaryIO | None = None) -> bytes:
    """Lay the flowables out on numbered A4 pages; returns the PDF's bytes."""
    register_font()
    buffer = out or BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{info.title} {info.period}",
        author=info.organisation,
        creator="qzdesk",
    )

    page_canvas = type("PageCanvas", (_NumberedCanvas,), {"info": info})
    doc.build(flowables, canvasmaker=page_canvas)
    return buffer.getvalue() if isinstance(buffer, BytesIO) else b""
