"""The roster as a Qt table model, and a proxy that filters and sorts it in plain Python.

A QSortFilterProxyModel asks Python once per row on every keystroke (and once per
comparison when sorting); with 50,000 members that is far too slow. This proxy keeps a
list of source rows, computed by `RosterIndex.select` and Python's sort, and tells Qt
only about the rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from qzdesk.services.members.filtering import RosterIndex, RosterQuery
from qzdesk.services.members.records import MemberRow
from qzdesk.services.members.validation import joined_text
from qzdesk.vocabulary import MemberStatus

Index = QModelIndex | QPersistentModelIndex
LEFT_COLOUR = QBrush(QColor("#8a8a8a"))
WARN_COLOUR = QBrush(QColor("#b35c00"))


@dataclass(frozen=True)
class RosterColumn:
    key: str
    title: str
    text: Callable[[MemberRow, int], str]
    sort: Callable[[MemberRow, int], Any]
    shown: bool = True


COLUMNS: tuple[RosterColumn, ...] = (
    # search_key is "name pinyin initials": names sort by their pinyin, as people expect.
    RosterColumn("name", "姓名", lambda r, a: r.name, lambda r, a: r.search_key.split(" ")[1:]),
    RosterColumn("gender", "性别", lambda r, a: r.gender, lambda r, a: r.gender),
    RosterColumn("age", "年龄", lambda r, a: str(a), lambda r, a: a),
    RosterColumn(
        "birth_date",
        "出生日期",
        lambda r, a: r.birth_date.isoformat(),
        lambda r, a: r.birth_date,
        shown=False,
    ),
    RosterColumn("id_number", "身份证号", lambda r, a: r.id_number, lambda r, a: r.id_number),
    RosterColumn(
        "member_no", "团员编号", lambda r, a: r.member_no or "", lambda r, a: r.member_no or ""
    ),
    RosterColumn(
        "joined_on",
        "入团年月",
        lambda r, a: joined_text(r.joined_on, r.joined_year),
        lambda r, a: r.joined_on or (date(r.joined_year, 1, 1) if r.joined_year else date.min),
    ),
    RosterColumn("branch", "所在团支部", lambda r, a: r.branch_name, lambda r, a: r.branch_name),
    RosterColumn(
        "political",
        "政治面貌",
        lambda r, a: r.political_status.label,
        lambda r, a: r.political_status.value,
    ),
    RosterColumn(
        "status",
        "团籍状态",
        lambda r, a: "转出中" if r.transferring else r.status.label,
        lambda r, a: r.status.value,
    ),
    RosterColumn(
        "post", "团内职务", lambda r, a: r.league_post or "", lambda r, a: r.league_post or ""
    ),
    RosterColumn("mobile", "手机号码", lambda r, a: r.mobile or "", lambda r, a: r.mobile or ""),
    RosterColumn(
        "occupation",
        "职业",
        lambda r, a: r.occupation or "",
        lambda r, a: r.occupation or "",
        shown=False,
    ),
    RosterColumn(
        "work_unit",
        "学习工作单位",
        lambda r, a: r.work_unit or "",
        lambda r, a: r.work_unit or "",
        shown=False,
    ),
)


class RosterModel(QAbstractTableModel):
    """Every member row, unfiltered; the proxy decides what is shown."""

    def __init__(self) -> None:
        super().__init__()
        # Empty until the roster loads with the day and the profile's age-out.
        self.index_: RosterIndex = RosterIndex([], date.min, 0)

    @property
    def rows(self) -> Sequence[MemberRow]:
        return self.index_.rows

    def set_rows(self, rows: Sequence[MemberRow], today: date, age_out: int) -> None:
        self.beginResetModel()
        self.index_ = RosterIndex(rows, today, age_out)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def cell(self, row: int, column: int, role: int) -> Any:
        member = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column].text(member, self.index_.ages[row])
        if role == Qt.ItemDataRole.ForegroundRole:
            if member.status is not MemberStatus.ACTIVE:
                return LEFT_COLOUR
            if COLUMNS[column].key == "age" and (
                self.index_.ages[row] >= self.index_.age_out or self.index_.turning_age_out(row)
            ):
                return WARN_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and member.status is not MemberStatus.ACTIVE:
            return f"{member.name}：{member.status.label}"
        if role == Qt.ItemDataRole.UserRole:
            return member.id
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None


class RosterProxy(QAbstractProxyModel):
    """Filters with a RosterQuery and sorts by a column, both in plain Python."""

    def __init__(self, source: RosterModel) -> None:
        super().__init__()
        self._source = source
        self._rows: list[int] = []
        self._position: dict[int, int] | None = None
        self.query = RosterQuery()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.setSourceModel(source)
        source.modelReset.connect(self._recompute)

    def set_query(self, query: RosterQuery) -> None:
        self.query = query
        self._recompute()

    def _recompute(self) -> None:
        self.beginResetModel()
        self._rows = self._source.index_.select(self.query)
        self._position = None
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        key = COLUMNS[column].sort
        rows, ages = self._source.rows, self._source.index_.ages
        self._rows.sort(
            key=lambda i: key(rows[i], ages[i]), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._position = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):  # -1: back to the roster's own order
            self._sort = None
            self._recompute()
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def member_ids(self) -> list[int]:
        """The shown members' ids, in the order shown."""
        rows = self._source.rows
        return [rows[i].id for i in self._rows]

    def member_at(self, row: int) -> MemberRow:
        return self._source.rows[self._rows[row]]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        return QModelIndex()

    def mapToSource(self, proxy: Index) -> QModelIndex:  # noqa: N802
        if not proxy.isValid():
            return QModelIndex()
        return self._source.index(self._rows[proxy.row()], proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:  # noqa: N802
        if not source.isValid():
            return QModelIndex()
        if self._position is None:
            self._position = {s: p for p, s in enumerate(self._rows)}
        row = self._position.get(source.row())
        return QModelIndex() if row is None else self.createIndex(row, source.column())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._source.cell(self._rows[index.row()], index.column(), role)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self._source.headerData(section, orientation, role)
