"""Reading .xlsx (openpyxl), .xls (xlrd) and .csv (UTF-8 with or without BOM, GB18030)
into plain rows, judging the format by the file's content, not its name."""

from __future__ import annotations

import csv
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from qzdesk.services.errors import QzdeskError

Cell = str | int | float | date | datetime | None

XLSX_MAGIC = b"PK\x03\x04"
# Limits far above any roster (a district of 50,000 members is ~10 MB of .xlsx) and far
# below what would exhaust an office PC.
MAX_FILE_BYTES = 64 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_SHARED_STRINGS_BYTES = 64 * 2**20  # openpyxl holds this table whole in memory
MAX_RATIO = 200
MAX_ROWS = 100_000
MAX_CELL_CHARS = 2_000
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


def _refuse_unbounded(path: Path) -> None:
    """Only a regular file of a roster's size: a FIFO would hang, a device or a link to
    one would be read for ever, a huge file would exhaust the office PC."""
    try:
        info = path.stat()  # follows a link: its target is what would be read
    except OSError as exc:
        raise SpreadsheetError(f"无法打开文件 {path}：{exc.strerror}。") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SpreadsheetError(f"{path.name} 不是普通文件（可能是设备或管道），不能导入。")
    if info.st_size > MAX_FILE_BYTES:
        raise SpreadsheetError(
            f"文件 {path.name} 有 {info.st_size // 2**20} MB，超过导入上限 "
            f"{MAX_FILE_BYTES // 2**20} MB：请把名册分成几个文件再导入。"
        )


def _refuse_zip_bomb(path: Path) -> None:
    """Judged from the zip's own directory before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"文件 {path.name} 已损坏（不是完整的 .xlsx 压缩包）。") from exc
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    strings = sum(m.file_size for m in members if m.filename.endswith("sharedStrings.xml"))
    too_big = unpacked > MAX_UNPACKED_BYTES or strings > MAX_SHARED_STRINGS_BYTES
    if too_big or unpacked / packed > MAX_RATIO:
        raise SpreadsheetError(
            f"文件 {path.name} 解压后有 {unpacked // 2**20} MB（压缩比 {unpacked // packed}:1），"
            "不像是一份名册，已拒绝导入。请用 Excel/WPS 打开检查后另存。"
        )


def read_sheets(path: Path) -> list[Sheet]:
    _refuse_unbounded(path)
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


def _bounded(
    sheet: str, rows: Iterator[tuple[Cell, ...]] | Iterator[list[Cell]]
) -> list[list[Cell]]:
    """The sheet's rows, refusing a sheet far longer than any roster."""
    kept: list[list[Cell]] = []
    for row in rows:
        if len(kept) >= MAX_ROWS:
            raise SpreadsheetError(
                f"工作表“{sheet}”超过 {MAX_ROWS} 行：请把名册分成几个文件再导入。"
            )
        kept.append(list(row))
    return kept


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    _refuse_zip_bomb(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"文件 {path.name} 已损坏（不是完整的 .xlsx 压缩包）。") from exc
    try:
        sheets = []
        with zipfile.ZipFile(path) as archive:
            for ws in book.worksheets:
                hidden = _hidden_in(archive.read(ws._worksheet_path))
                rows = _bounded(ws.title, ws.iter_rows(values_only=True))
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
        if ws.nrows > MAX_ROWS:
            raise SpreadsheetError(
                f"工作表“{ws.name}”超过 {MAX_ROWS} 行：请把名册分成几个文件再导入。"
            )
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


def _delimiter(text: str) -> str:
    """The separator the header line uses most (Excel writes commas, its "Unicode 文本"
    tabs, some regional settings semicolons); judged on whole lines, so one long cell in
    the first rows cannot mislead it."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> list[Sheet]:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本": UTF-16, tabs
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data[:4096]:
        raise SpreadsheetError(f"文件 {path.name} 不是文本文件，不能作为 CSV 导入。")
    else:
        text = _decode(data, path.name)
    rows = _bounded(path.stem, csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    return [Sheet(path.stem, rows)]


def iter_nonblank(rows: list[list[Cell]]) -> Iterator[tuple[int, list[Cell]]]:
    """(1-based row number, cells) for rows with any content."""
    for number, row in enumerate(rows, start=1):
        if any(c is not None and str(c).strip() for c in row):
            yield number, row
