"""团员: the roster, searchable by name, pinyin, ID tail and member number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from qzdesk.config import resources_dir
from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.members import records
from qzdesk.services.members.filtering import AGE_BANDS, RosterQuery
from qzdesk.services.party import recommend
from qzdesk.services.party.steps import LadderStage
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import combo
from qzdesk.ui.members.model import COLUMNS, RosterModel, RosterProxy
from qzdesk.ui.pages.base import Page
from qzdesk.vocabulary import MemberStatus, PoliticalStatus

TEMPLATE = "团员导入模板.xlsx"


@dataclass(frozen=True)
class RosterData:
    rows: list[records.MemberRow]
    branches: list[tuple[int, str]]
    age_out: int
    today: date
    ladder: dict[int, LadderStage]  # where each member stands on the 团→党 ladder


class RosterPage(Page):
    TITLE = "团员"
    TOPICS = frozenset({Topic.MEMBERS, Topic.ORG})
    count_changed = Signal(str)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.model = RosterModel()
        self.proxy = RosterProxy(self.model)
        self._ui_state = QSettings(str(context.store.paths.ui_state), QSettings.Format.IniFormat)
        layout = QVBoxLayout(self)

        search_row = QHBoxLayout()
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索：姓名、拼音或首字母、身份证号、团员编号（Ctrl+F）")
        self.search.textChanged.connect(self.apply_filters)
        search_row.addWidget(self.search, 1)
        self.branch = combo("branch_filter", [("全部团支部", None)])
        self.status = combo(
            "status_filter",
            [("全部状态", None)] + [(s.label, s.value) for s in MemberStatus],
        )
        self.status.setCurrentIndex(1)  # 正常: the members on the books
        self.political = combo(
            "political_filter",
            [("全部政治面貌", None)] + [(p.label, p.value) for p in PoliticalStatus],
        )
        self.age_band = combo(
            "age_filter", [("全部年龄", None)] + [(b[0], i) for i, b in enumerate(AGE_BANDS)]
        )
        self.ladder = combo(
            "ladder_filter", [("团→党：全部", None)] + [(s.label, s.value) for s in LadderStage]
        )
        self.stages: dict[int, LadderStage] = {}
        self.turning = QCheckBox("今年满离团年龄")  # the profile's age, once loaded
        self.turning.setObjectName("turning_filter")
        for widget in (self.branch, self.status, self.political, self.age_band, self.ladder):
            widget.currentIndexChanged.connect(self.apply_filters)
            # On a small screen the filters share the row, each showing what fits.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(4)
            filters.addWidget(widget, 1)
        self.turning.toggled.connect(self.apply_filters)
        filters.addWidget(self.turning)
        layout.addLayout(search_row)
        layout.addLayout(filters)

        actions = QHBoxLayout()
        for name, title, slot in (
            ("add_member", "新增团员…", self.add_member),
            ("import", "从 Excel 导入…", self.import_file),
            ("export", "导出当前名单…", self.export_file),
            ("template", "下载导入模板…", self.save_template),
            ("batches", "导入记录…", self.show_batches),
        ):
            button = QPushButton(title)
            button.setObjectName(name)
            button.clicked.connect(slot)
            actions.addWidget(button)
        self.transfer_button = QPushButton("组织关系转接")
        self.transfer_button.setObjectName("transfer")
        transfer_menu = QMenu(self.transfer_button)
        for title, slot in (
            ("转出选中的团员（可多选，如毕业班）…", self.transfer_out),
            ("接收转接材料…", self.receive_transfer),
            ("确认转入单位的回执…", self.confirm_receipts),
            ("转接记录（智慧团建办理情况、撤回）…", self.show_transfers),
        ):
            transfer_menu.addAction(title, slot)
        self.transfer_button.setMenu(transfer_menu)
        actions.addWidget(self.transfer_button)
        actions.addStretch(1)
        self.columns_button = QPushButton("显示的列…")
        self.columns_button.setObjectName("columns")
        self.columns_button.clicked.connect(self._column_menu)
        actions.addWidget(self.columns_button)
        layout.addLayout(actions)

        self.empty_hint = QLabel(
            "名册还是空的。点“从 Excel 导入…”把现有的花名册导进来（每个班一个工作表也可以，"
            "出生年月写到月即可）；没有现成的表格，可先“下载导入模板…”填写，或“新增团员…”逐个录入。"
        )
        self.empty_hint.setObjectName("empty_hint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        self.table = QTableView()
        self.table.setObjectName("roster")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        # `activated` is the platform's "open": a double click, or Enter on the current row.
        self.table.activated.connect(lambda index: self.open_member(index.row()))
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for column, width in enumerate(
            (80, 40, 50, 90, 170, 110, 80, 150, 100, 100, 80, 110, 90, 160)
        ):
            self.table.setColumnWidth(column, width)
        self._restore_columns()
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)

    # loading and filtering

    def load(self, ctx: Context) -> RosterData:
        age_out = ctx.profile.membership.age_out.value
        return RosterData(
            records.roster(ctx),
            records.open_branches(ctx),
            age_out,
            ctx.today,
            recommend.ladder(ctx),
        )

    def show_data(self, data: RosterData) -> None:
        rows, branches, age_out, today = data.rows, data.branches, data.age_out, data.today
        chosen = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        self.branch.addItem("全部团支部", None)
        for branch_id, name in branches:
            self.branch.addItem(name, branch_id)
        self.branch.setCurrentIndex(max(self.branch.findData(chosen), 0))
        self.branch.blockSignals(False)
        self.stages = data.ladder
        self.model.set_rows(rows, today, age_out)
        self.turning.setText(f"今年满 {age_out} 周岁")
        self.empty_hint.setVisible(not rows)
        self.apply_filters()

    def query(self) -> RosterQuery:
        # Combo boxes hand enum members back as plain strings.
        status, political = self.status.currentData(), self.political.currentData()
        return RosterQuery(
            text=self.search.text(),
            branch_id=self.branch.currentData(),
            status=MemberStatus(status) if status else None,
            political=PoliticalStatus(political) if political else None,
            age_band=self.age_band.currentData(),
            turning_age_out=self.turning.isChecked(),
            among=self._on_ladder(),
        )

    def _on_ladder(self) -> frozenset[int] | None:
        chosen = self.ladder.currentData()
        if chosen is None:
            return None
        return frozenset(m for m, stage in self.stages.items() if stage.value == chosen)

    def apply_filters(self) -> None:
        self.proxy.set_query(self.query())
        self.count_changed.emit(
            f"团员：显示 {self.proxy.rowCount()} 人 / 共 {self.model.rowCount()} 人"
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # columns

    def _column_menu(self) -> None:
        menu = QMenu(self)
        for column, spec in enumerate(COLUMNS):
            action = QAction(spec.title, menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown))
            menu.addAction(action)
        menu.exec(self.cursor().pos())

    def _show_column(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        hidden = [c.key for i, c in enumerate(COLUMNS) if self.table.isColumnHidden(i)]
        self._ui_state.setValue("roster/hidden_columns", ",".join(hidden))

    def _restore_columns(self) -> None:
        saved = self._ui_state.value("roster/hidden_columns")
        hidden = (
            set(str(saved).split(","))
            if saved is not None
            else {c.key for c in COLUMNS if not c.shown}
        )
        for column, spec in enumerate(COLUMNS):
            self.table.setColumnHidden(column, spec.key in hidden)

    # actions

    def open_member(self, row: int) -> None:
        from qzdesk.ui.members.form import MemberForm

        if 0 <= row < self.proxy.rowCount():
            MemberForm(self.context, self.proxy.member_at(row).id, self).exec()

    def add_member(self) -> None:
        from qzdesk.ui.members.form import MemberForm

        MemberForm(self.context, None, self, branch_id=self.branch.currentData()).exec()

    def selected_members(self) -> list[tuple[int, str]]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [(m.id, m.name) for m in (self.proxy.member_at(r) for r in rows)]

    def transfer_out(self) -> None:
        from qzdesk.ui.members.transfer import TransferOutDialog

        chosen = self.selected_members()
        if not chosen:
            QMessageBox.information(
                self, "组织关系转出", "请先在名册中选中要转出的团员（按住 Ctrl 或 Shift 可多选）。"
            )
            return
        TransferOutDialog(self.context, chosen, self).exec()

    def receive_transfer(self) -> None:
        from qzdesk.ui.members.transfer import ReceiveDialog

        files, _ = QFileDialog.getOpenFileNames(
            self, "选择转出单位的转接材料（可多选）", str(Path.home()), "转接材料 (*.pdf)"
        )
        if files:
            ReceiveDialog(self.context, [Path(f) for f in files], self).exec()

    def confirm_receipts(self) -> None:
        from qzdesk.ui.members.transfer import confirm_receipts

        confirm_receipts(self.context, self)

    def show_transfers(self) -> None:
        from qzdesk.ui.members.transfer import TransfersDialog

        TransfersDialog(self.context, self).exec()

    def import_file(self) -> None:
        from qzdesk.ui.members.import_dialog import ImportDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "选择要导入的名册", str(Path.home()), "名册文件 (*.xlsx *.xls *.csv)"
        )
        if path:
            ImportDialog(self.context, Path(path), self).exec()

    def export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出团员名单", str(Path.home() / "团员名册.xlsx"), "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        ids = self.proxy.member_ids()

        def export(ctx: Context) -> int:
            from qzdesk.export.roster_excel import write_roster  # openpyxl: only when exporting

            return write_roster(path, records.export_rows(ctx, ids))

        self.context.read(
            export,
            on_done=lambda count: QMessageBox.information(
                self, "导出完成", f"已导出 {count} 名团员到\n{path}"
            ),
        )

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存导入模板", str(Path.home() / TEMPLATE), "Excel 工作簿 (*.xlsx)"
        )
        if path:
            Path(path).write_bytes((resources_dir() / "templates" / TEMPLATE).read_bytes())

    def show_batches(self) -> None:
        from qzdesk.ui.members.import_dialog import BatchesDialog

        BatchesDialog(self.context, self).exec()
