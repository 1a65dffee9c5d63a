"""A4 pages with the bundled CJK font, a header (organisation, title, period) and a footer
(第 x 页 / 共 y 页, generation time, archive id); Chinese wrapping; tables whose header row
repeats on every page."""

from __future__ import annotations

import re
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
CELL = style(9)
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
    id_label: str = "台账编号"  # what the number in the footer is


def paragraph(text: str, st: ParagraphStyle = BODY) -> Paragraph:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), st)


class EmptyNote(Paragraph):
    """ "本期没有…": a document with nothing to show in the period says so. The archive lists
    such documents once, on its cover, instead of giving each a page."""

    def __init__(self, text: str) -> None:
        super().__init__(text, BODY)
        self.text = text


def empty_note(text: str) -> EmptyNote:
    return EmptyNote(text)


class PageMark(Flowable):
    """Zero-size: notes the page it lands on (the 目录's page numbers)."""

    def __init__(self, pages: dict[str, int], key: str) -> None:
        super().__init__()
        self.pages, self.key = pages, key

    def wrap(self, *_: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


class PageRef(Flowable):
    """The page a section starts on, written in when the document is saved: the 目录 on
    the cover names pages laid out after it, so the document is laid out once, not twice
    (the page numbers drawn by `_NumberedCanvas.save`, as the footer's 共 y 页 is)."""

    SIZE = 9.0

    def __init__(self, pages: dict[str, int], key: str) -> None:
        super().__init__()
        self.pages, self.key = pages, key

    def __str__(self) -> str:
        return "000"  # the widest a page number is measured as

    def wrap(self, available_width: float, *_: float) -> tuple[float, float]:
        return available_width, self.SIZE * 1.2

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.canv.page_refs.append((self.canv.getPageNumber(), x, y, self))  # type: ignore[attr-defined]

    @property
    def text(self) -> str:
        return str(self.pages.get(self.key, "…"))


def data_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> Table:
    """A grid whose cells wrap Chinese text and whose header repeats on every page. The
    widths asked for are widened where a number, date or code, or a short header, would
    break (`settled`)."""
    head = [paragraph(h, style(9, textColor=colors.white)) for h in headers]
    columns = settled(widths, headers, rows)
    # A cell that fits on one line is drawn as plain text: a Paragraph for each of a
    # thousand members' cells is most of an archive's time (bench/archive.py).
    room = [w - CELL_PADDING for w in columns]
    body = [
        [
            cell
            if isinstance(cell, Flowable)
            else text
            if "\n" not in (text := str(cell)) and pdfmetrics.stringWidth(text, FONT, 9) <= fit
            else paragraph(text, CELL)
            for cell, fit in zip(row, room, strict=False)
        ]
        for row in rows
    ]
    table = Table([head, *body], colWidths=columns, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # ReportLab's default is Helvetica
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("LEADING", (0, 0), (-1, -1), CELL.leading),
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


CELL_PADDING = 14  # points: ReportLab's 6 of cell padding each side and a little air
WIDTH = A4[0] - 2 * MARGIN
# A run that must stay on one line: digits, Latin letters and the marks of dates, ratios,
# codes and amounts ("2026-05-10", "6/16", "92.5", "QZ-2026Q1-…").
UNBROKEN = re.compile(r"[0-9A-Za-z.,:/%+×\-]+")
HEADER_WORD = 3  # a header of up to three characters never wraps; a longer one keeps
# two characters a line at least (在册/团员, 支部/大会), never one a line


def _text_width(text: object, size: float = 9) -> float:
    return pdfmetrics.stringWidth(str(text), FONT, size) + CELL_PADDING


def least_width(header: str, column: Sequence[object]) -> float:
    """The narrowest a column may be: its longest unbroken run, and a short header whole
    (a longer one may wrap, but not one character a line)."""
    register_font()
    runs = [run for cell in column for run in UNBROKEN.findall(str(cell))]
    word = header if len(header) <= HEADER_WORD else header[:2]
    return max([_text_width(word), *(_text_width(run) for run in runs)])


def settled(
    widths: Sequence[float], headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> list[float]:
    """`widths`, with each column widened to its least width, the room taken from the
    columns that have more than they need, in proportion to their slack; as asked when
    the page cannot give every column its least width."""
    need = [least_width(h, [r[i] for r in rows]) for i, h in enumerate(headers)]
    short = sum(max(n - w, 0) for w, n in zip(widths, need, strict=True))
    slack = [max(w - n, 0) for w, n in zip(widths, need, strict=True)]
    if not short or sum(slack) < short:
        return list(widths)
    return [
        n if w <= n else w - short * extra / sum(slack)
        for w, n, extra in zip(widths, need, slack, strict=True)
    ]


SHORT_WORD = 4  # characters: a Chinese name, an ethnicity, a political status


def fitted_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], total: float = WIDTH
) -> list[float]:
    """Column widths from the content: a column of numbers or codes (a phone number, a
    member number, a date) is never narrower than its longest value, so digits never
    break; the text columns share what is left in proportion to their content."""
    register_font()
    width = _text_width
    count = len(headers)
    values = [[str(r[i]) for r in rows] for i in range(count)]
    content = [max((width(v) for v in column), default=0) for column in values]
    natural = [max(c, width(h)) for c, h in zip(content, headers, strict=True)]
    # Numbers and codes, and short words (a name, 汉族, 团员): never broken.
    rigid = [
        bool(column)
        and all((v.isascii() and " " not in v) or len(v) <= SHORT_WORD for v in column)
        for column in values
    ]
    if sum(natural) <= total:
        return [w * total / sum(natural) for w in natural]
    # A rigid column gets what it needs (its values, and a short header whole); the text
    # columns share the rest in proportion to their content.
    least = [least_width(h, column) for h, column in zip(headers, values, strict=True)]
    need = [max(c, n) for c, n in zip(content, least, strict=True)]
    fixed = sum(n for n, r in zip(need, rigid, strict=True) if r)
    flexible = sum(n for n, r in zip(natural, rigid, strict=True) if not r)
    share = max(total - fixed, 0) / flexible if flexible else 0
    return [m if r else n * share for m, n, r in zip(need, natural, rigid, strict=True)]


class _NumberedCanvas(Canvas):
    """Holds every page until the end so the footer can say 共 y 页."""

    info: PageInfo

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The header states the version the signed file's catalog declares (pyHanko's 2.0).
        super().__init__(*args, **{**kwargs, "pdfVersion": (2, 0)})
        self._pages: list[dict[str, Any]] = []
        self.page_refs: list[tuple[int, float, float, PageRef]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            for page, x, y, ref in self.page_refs:
                if page == number:
                    self.setFont(FONT, ref.SIZE)
                    self.drawString(x, y + ref.SIZE * 0.4, ref.text)
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
        if info.archive_id:
            label = f"{info.id_label} {info.archive_id}"
            self.drawRightString(width - MARGIN, 9 * mm, label)
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
        initialFontName=FONT,  # never a Helvetica that is not embedded
    )

    page_canvas = type("PageCanvas", (_NumberedCanvas,), {"info": info})
    doc.build(flowables, canvasmaker=page_canvas)
    return buffer.getvalue() if isinstance(buffer, BytesIO) else b""
