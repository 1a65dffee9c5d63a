"""Where a workbook keeps its members, as secretaries keep them: one sheet per class or
one sheet for all, a title above the header, headers over two rows or in merged cells, a
合计 row at the bottom; and each data row read into a draft at the precision it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qzdesk.services.errors import QzdeskError
from qzdesk.services.members import idcard
from qzdesk.services.members.columns import (
    HEADER_LOOKUP,
    CellError,
    Column,
    HeaderMatcher,
    cell_text,
    column_letter,
    parse_date,
    parse_enum,
    parse_id_text,
    parse_written_date,
    spelled,
    truncated_to_month,
)
from qzdesk.services.members.spreadsheet import (
    MAX_CELL_CHARS,
    Cell,
    Sheet,
    SpreadsheetError,
    iter_nonblank,
)
from qzdesk.services.members.validation import MemberDraft
from qzdesk.vocabulary import IdType

Progress = Callable[[int, int], bool]
HEADER_SCAN_ROWS = 30
PROBLEM_HEADER = "问题说明"  # the column the rejects file adds, ignored when it comes back
YEAR_FROM_NUMBER = re.compile(r"^(\d{4})\s*年[（(]据团员编号[)）]$")
TOTAL_ROW = re.compile(r"^(合\s*计|总\s*计|小\s*计)")


class ImportCancelled(QzdeskError):
    def __init__(self) -> None:
        super().__init__("导入已取消，没有写入任何数据。")


@dataclass
class Layout:
    """One sheet's header: the rows it spans and what each column holds."""

    sheet: str
    header_rows: tuple[int, ...]  # 1-based
    columns: dict[int, Column]
    written: dict[int, str]  # each mapped column's header as the sheet writes it
    ignored: list[str]
    titles: list[str]  # every column's header text, mapped or not (for the rejects file)
    suggested: dict[str, list[str]] = field(default_factory=dict)  # ignored → nearest fields

    def ignored_text(self) -> list[str]:
        """Each column not understood, with the fields it most resembles."""
        return [
            f"{text}（是否是：{'、'.join(self.suggested[text])}？）"
            if self.suggested.get(text)
            else text
            for text in self.ignored
        ]

    @property
    def header_row(self) -> int:
        return self.header_rows[-1]

    @property
    def places(self) -> dict[str, str]:
        """ "F 列（出生日期）" for each field the sheet has."""
        return {c.field: f"{column_letter(i)} 列（{c.header}）" for i, c in self.columns.items()}

    def describe(self) -> str:
        rows = "、".join(str(r) for r in self.header_rows)
        return f"工作表“{self.sheet}”（表头在第 {rows} 行）"


@dataclass
class ParsedRow:
    sheet: str
    row: int
    draft: MemberDraft
    present: set[str]
    branch_text: str
    cell_errors: list[str]
    unreadable: set[str]
    layout: Layout
    legacy_id: str | None = None
    cells: list[Cell] = field(default_factory=list)  # as read, for the rejects file
    hidden: bool = False  # hidden in Excel: read, but shown so that nobody is surprised


Lookup = HeaderMatcher


def _mapped(row: list[Cell], lookup: Lookup) -> dict[int, Column]:
    return {i: column for i, c in enumerate(row) if (column := lookup.match(c)) is not None}


def _is_header(columns: dict[int, Column]) -> bool:
    """A row of column names: 姓名 with 身份证号, or with three other known columns (a
    village 花名册 or a school list keyed by 学号 has no ID numbers, and its rows are then
    refused one by one, not the whole sheet)."""
    fields = {c.field for c in columns.values()}
    return "name" in fields and ("id_number" in fields or len(fields) >= 4)


def _header_like(below: list[Cell], columns: dict[int, Column], lookup: Lookup) -> bool:
    """Whether the row under a header is a second header row (titles under a group title
    merged over them): it leaves the columns already found empty, holds no digit (a
    number, a date, an ID number or a 学号 is data) and is mostly column names. A person's
    row is never taken for one."""
    texts = {i: text for i, c in enumerate(below) if (text := cell_text(c))}
    if not texts or any(i in columns for i in texts):
        return False
    if any(re.search(r"\d", text) for text in texts.values()):
        return False
    return 2 * sum(1 for t in texts.values() if lookup.match(t) is not None) >= len(texts)


def _layout(sheet: Sheet, lookup: Lookup) -> Layout | None:
    """The sheet's header, if it has one (`_is_header`): one row, or two when the row
    below is a second header row (`_header_like`)."""
    for number, row in iter_nonblank(sheet.rows[:HEADER_SCAN_ROWS]):
        columns = _mapped(row, lookup)
        if not _is_header(columns):
            continue
        rows = [row]
        below = sheet.rows[number] if number < len(sheet.rows) else []
        extra = {i: c for i, c in _mapped(below, lookup).items() if i not in columns}
        if extra and _header_like(below, columns, lookup):
            columns = {**columns, **extra}
            rows.append(below)
        written = {
            i: next(cell_text(r[i]) for r in reversed(rows) if i < len(r) and cell_text(r[i]))
            for i in columns
        }
        _refuse_repeated(sheet.name, columns)
        mapped_text = {cell_text(r[i]) for r in rows for i in columns if i < len(r)}
        ignored = [
            text
            for r in rows
            for i, c in enumerate(r)
            if i not in columns
            and (text := cell_text(c))
            and text not in mapped_text
            and text != PROBLEM_HEADER
        ]
        suggested = {
            text: [c.header for c in lookup.suggest(text)]
            for text in ignored
            if not lookup.ignored_by_hand(text)
        }
        header_rows = tuple(range(number, number + len(rows)))
        width = max(len(r) for r in rows)
        titles = [
            next((cell_text(r[i]) for r in reversed(rows) if i < len(r) and cell_text(r[i])), "")
            for i in range(width)
        ]
        return Layout(sheet.name, header_rows, columns, written, ignored, titles, suggested)
    return None


def _refuse_repeated(sheet: str, columns: dict[int, Column]) -> None:
    seen: dict[str, int] = {}
    for index, column in sorted(columns.items()):
        if column.field in seen:
            first, second = column_letter(seen[column.field]), column_letter(index)
            raise SpreadsheetError(
                f"工作表“{sheet}”中“{column.header}”出现了两次（{first} 列和 {second} 列）："
                "请删去或改名其中一列后再导入。"
            )
        seen[column.field] = index


def find_layouts(sheets: list[Sheet], lookup: Lookup = HEADER_LOOKUP) -> list[tuple[Sheet, Layout]]:
    """Every sheet that holds people (a cover or notes sheet without a header is skipped)."""
    found = [(sheet, layout) for sheet in sheets if (layout := _layout(sheet, lookup)) is not None]
    if not found:
        raise SpreadsheetError(
            "找不到表头：文件中应有一行列名，包括“姓名”和“身份证号”（或“公民身份号码”），"
            "或“姓名”和另外三个能认出的列（如性别、出生年月、入团年月）。请对照导入模板检查。"
        )
    return found


def _is_total(row: list[Cell]) -> bool:
    first = next((cell_text(c) for c in row if cell_text(c)), "")
    return bool(TOTAL_ROW.match(first))


def parse_row(
    sheet: str, number: int, row: list[Cell], layout: Layout, upgrade_legacy: bool
) -> ParsedRow:
    draft = MemberDraft()
    present: set[str] = set()
    errors: list[str] = []
    unreadable: set[str] = set()
    branch_text = ""
    legacy = None
    for index, column in layout.columns.items():
        value = row[index] if index < len(row) else None
        if value is None or (isinstance(value, str) and not value.strip().lstrip("'")):
            continue
        where = f"{column_letter(index)} 列（{column.header}）"
        name = column.field
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            errors.append(f"{where}：内容过长（{len(value)} 字，最多 {MAX_CELL_CHARS} 字）")
            unreadable.add(column.field)
            continue
        try:
            if column.field == "branch":
                branch_text = cell_text(value)
                continue
            parsed: Any
            if column.field == "birth_date":
                # Checked against the ID number at the precision written; a date cell under
                # a 年月 header carries a day nobody wrote.
                parsed = parse_written_date(value)
                if parsed is not None and "年月" in layout.written[index]:
                    parsed = truncated_to_month(parsed) if isinstance(value, date) else parsed
                name = "birth_written"
            elif column.field == "joined_on" and (year := YEAR_FROM_NUMBER.match(cell_text(value))):
                parsed, name = int(year[1]), "joined_year"  # as qzdesk's own list writes it
            elif column.kind == "date":
                parsed = parse_date(value)
            elif column.kind == "id":
                parsed = parse_id_text(value, column.header)
            elif column.kind == "enum":
                parsed = parse_enum(column.field, value)
            else:
                parsed = spelled(column.field, cell_text(value))
        except CellError as error:
            errors.append(f"{where}：{error}")
            unreadable.add(column.field)
            continue
        if column.field == "id_number" and upgrade_legacy and len(idcard.normalise(parsed)) == 15:
            legacy = parsed
            try:
                parsed = idcard.upgrade_legacy(parsed)
            except idcard.IdNumberError as error:
                errors.append(f"{where}：{error}")
                unreadable.add(column.field)
                continue
        if parsed is not None:
            setattr(draft, name, parsed)
            present.add(name)
    if draft.id_number and not draft.id_number[0].isdigit() and "id_type" not in present:
        draft.id_type = IdType.OTHER
    return ParsedRow(
        sheet, number, draft, present, branch_text, errors, unreadable, layout, legacy, row
    )


@dataclass(frozen=True)
class SheetAccount:
    """Every row of a sheet, accounted for (up to its last row with content): the parts
    add up to the sheet's rows, so nothing is dropped without a line saying so."""

    sheet: str
    rows: int
    above: int = 0  # titles and notes above the header
    header: tuple[int, ...] = ()  # empty: the sheet has no header and was not read
    data: int = 0
    totals: int = 0
    blank: int = 0

    def describe(self) -> str:
        if not self.header:
            return f"工作表“{self.sheet}”没有表头，未读取（{self.rows} 行）。"
        header = "、".join(str(r) for r in self.header)
        parts = [f"表头 {len(self.header)} 行（第 {header} 行）", f"数据 {self.data} 行"]
        parts[:0] = [f"表头之上的标题或说明 {self.above} 行"] if self.above else []
        parts += [f"合计行 {self.totals} 行（已跳过）"] if self.totals else []
        parts += [f"空行 {self.blank} 行"] if self.blank else []
        return f"工作表“{self.sheet}”共 {self.rows} 行：{'、'.join(parts)}。"

    @property
    def accounted(self) -> int:
        return self.above + len(self.header) + self.data + self.totals + self.blank


def accounts_of(sheets: list[Sheet], found: list[tuple[Sheet, Layout]]) -> list[SheetAccount]:
    """What became of each row, sheet by sheet."""
    layouts = {sheet.name: layout for sheet, layout in found}
    return [_account(sheet, layouts.get(sheet.name)) for sheet in sheets]


def _account(sheet: Sheet, layout: Layout | None) -> SheetAccount:
    numbers = [n for n, _ in iter_nonblank(sheet.rows)]
    last = numbers[-1] if numbers else 0
    if layout is None:
        return SheetAccount(sheet.name, last)
    body = [n for n in numbers if n > layout.header_row]
    totals = sum(_is_total(sheet.rows[n - 1]) for n in body)
    return SheetAccount(
        sheet.name,
        last,
        above=sum(n < layout.header_rows[0] for n in numbers),
        header=layout.header_rows,
        data=len(body) - totals,
        totals=totals,
        blank=last - len(numbers),
    )


@dataclass
class ReadBook:
    layouts: list[Layout]
    rows: list[ParsedRow]
    notes: list[str]
    accounts: list[SheetAccount] = field(default_factory=list)


@dataclass
class BodyRow:
    sheet: Sheet
    layout: Layout
    number: int
    cells: list[Cell]

    @property
    def hidden(self) -> bool:
        return self.number in self.sheet.hidden_rows


def body_rows(found: list[tuple[Sheet, Layout]], notes: list[str]) -> list[BodyRow]:
    """The data rows under each sheet's header; a 合计 row is skipped with a note, as is
    a hidden column's being read."""
    notes += [
        f"工作表“{sheet.name}”中隐藏的列也已读取：{'、'.join(hidden)}。"
        for sheet, layout in found
        if (
            hidden := [
                layout.places[c.field]
                for i, c in layout.columns.items()
                if i in sheet.hidden_columns
            ]
        )
    ]
    rows = []
    for sheet, layout in found:
        for number, cells in iter_nonblank(sheet.rows):
            if number <= layout.header_row:
                continue
            if _is_total(cells):
                notes.append(f"工作表“{sheet.name}”第 {number} 行是合计行，已跳过。")
                continue
            rows.append(BodyRow(sheet, layout, number, cells))
    return rows


def read_book(
    sheets: list[Sheet],
    progress: Progress | None = None,
    upgrade_legacy: bool = False,
    lookup: Lookup = HEADER_LOOKUP,
) -> ReadBook:
    found = find_layouts(sheets, lookup)
    notes: list[str] = [
        f"{layout.describe()}没有身份证号（公民身份号码）列：每一行须补填身份证号后才能导入。"
        "可把有问题的行写出为 Excel，补填后导入那个文件。"
        for _, layout in found
        if "id_number" not in {c.field for c in layout.columns.values()}
    ]
    body = body_rows(found, notes)
    rows: list[ParsedRow] = []
    for done, b in enumerate(body, start=1):
        parsed = parse_row(b.sheet.name, b.number, b.cells, b.layout, upgrade_legacy)
        parsed.hidden = b.hidden
        rows.append(parsed)
        if progress and done % 200 == 0 and not progress(done, len(body) * 2):
            raise ImportCancelled()
    layouts = [layout for _, layout in found]
    return ReadBook(layouts, rows, notes, accounts_of(sheets, found))
