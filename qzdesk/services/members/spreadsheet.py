"""Reading .xlsx (openpyxl), .xls (xlrd) and .csv (UTF-8 with or without BOM, GB18030)
into plain rows, judging the format by the file's content, not its name."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from qzdesk.services.errors import QzdeskError

Cell = str | int | float | date | datetime | None

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMAT_NAMES = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xls": "Excel 97-2003 工作簿（.xls）",
    "csv": "CSV 文本",
}
EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv"}


class SpreadsheetError(QzdeskError):
    """The file cannot be read as a table; nothing was imported."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    hidden_rows: frozenset[int] = frozenset()  # 1-based
    hidden_columns: frozenset[int] = frozenset()  # 0-based


_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
_HIDDEN_ROW_LATE = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_HIDDEN_COLS = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def _hidden_in(xml: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """Rows and columns a sheet's XML marks hidden (openpyxl's fast reader ignores them)."""
    rows = {int(m[1]) for pattern in (_HIDDEN_ROW, _HIDDEN_ROW_LATE) for m in pattern.finditer(xml)}
    columns: set[int] = set()
    for match in _HIDDEN_COLS.finditer(xml):
        found = {k: v for k, v in _ATTRIBUTE.findall(match[1])}
        if found.get(b"hidden") in (b"1", b"true") and b"min" in found and b"max" in found:
            columns.update(range(int(found[b"min"]) - 1, int(found[b"max"])))
    return frozenset(rows), frozenset(columns)


def sniff(head: bytes) -> str:
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    return "csv"


def read_sheets(path: Path) -> list[Sheet]:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise SpreadsheetError(f"无法打开文件 {path}：{exc.strerror}。") from exc
    if not head:
        raise SpreadsheetError(f"文件 {path.name} 是空的。")
    expected = EXTENSIONS.get(path.suffix.lower())
    if expected is None:
        raise SpreadsheetError(
            f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请使用 .xlsx、.xls 或 .csv。"
        )
    actual = sniff(head)
    if actual != expected:
        raise SpreadsheetError(
            f"文件 {path.name} 的扩展名是 {path.suffix}，但内容其实是 {FORMAT_NAMES[actual]}。"
            "请在 Excel/WPS 中“另存为”正确的格式，或改正扩展名后再导入。"
        )
    reader = {"xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv}[actual]
    try:
        return reader(path)
    except SpreadsheetError:
        raise
    except Exception as exc:  # corrupt files fail in many library-specific ways
        raise SpreadsheetError(
            f"文件 {path.name} 已损坏或不是有效的{FORMAT_NAMES[actual]}（{type(exc).__name__}）。"
            "请用 Excel/WPS 打开检查后重新保存。"
        ) from exc


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"文件 {path.name} 已损坏（不是完整的 .xlsx 压缩包）。") from exc
    try:
        sheets = []
        with zipfile.ZipFile(path) as archive:
            for ws in book.worksheets:
                hidden = _hidden_in(archive.read(ws._worksheet_path))
                rows = [list(row) for row in ws.iter_rows(values_only=True)]
                sheets.append(Sheet(ws.title, rows, *hidden))
        return sheets
    finally:
        book.close()


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    sheets = []
    for ws in book.sheets():
        rows = []
        for r in range(ws.nrows):
            row: list[Cell] = []
            for cell in ws.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        sheets.append(Sheet(ws.name, rows))
    return sheets


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(f"无法识别文件 {name} 的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV。")


def _read_csv(path: Path) -> list[Sheet]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(f"文件 {path.name} 不是文本文件，不能作为 CSV 导入。")
    text = _decode(data, path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Cell]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return [Sheet(path.stem, rows)]


def iter_nonblank(rows: list[list[Cell]]) -> Iterator[tuple[int, list[Cell]]]:
    """(1-based row number, cells) for rows with any content."""
    for number, row in enumerate(rows, start=1):
        if any(c is not None and str(c).strip() for c in row):
            yield number, row
