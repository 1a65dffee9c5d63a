"""Importing a spreadsheet: every row previewed with its verdict, then one transaction."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission import importer as applicant_import
from qzdesk.services.members import importer, records
from qzdesk.services.members.columns import COLUMNS
from qzdesk.services.members.importer import (
    LEVEL_LABELS,
    ImportCancelled,
    ImportPreview,
    ImportReport,
)
from qzdesk.services.members.validation import FIELD_LABELS
from qzdesk.ui.context import AppContext
from qzdesk.ui.import_preview import ColumnMapping, RejectsExport, colour_levels
from qzdesk.ui.progress import ProgressBridge
from qzdesk.ui.screen import fit
from qzdesk.ui.tables import fill_table, make_table

AUTOMATIC_BRANCH = "按表中的团支部或工作表名（没有时为第一个团支部）"


class ImportDialog(RejectsExport, ColumnMapping, QDialog):
    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = path
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(f"导入团员：{path.name}")
        layout = QVBoxLayout(self)
        options = QHBoxLayout()
        options.addWidget(QLabel("没有“所在团支部”的行加入："))
        self.branch = QComboBox()
        self.branch.setObjectName("default_branch")
        self.branch.addItem(AUTOMATIC_BRANCH, None)
        options.addWidget(self.branch, 1)
        self.upgrade = QCheckBox("15 位旧身份证号升级为 18 位")
        self.upgrade.setObjectName("upgrade_legacy")
        options.addWidget(self.upgrade)
        self.recheck = QPushButton("重新检查")
        self.recheck.setObjectName("recheck")
        self.recheck.clicked.connect(self.run_preview)
        options.addWidget(self.recheck)
        layout.addLayout(options)
        self.summary = QLabel("正在读取文件…")
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.add_column_table(layout)
        self.table = make_table(
            ["位置", "姓名", "团支部", "结果", "原因或差异"],
            "preview",
            widths=[110, 80, 150, 130, 420],
        )
        layout.addWidget(self.table, 1)
        self.update_existing = QCheckBox("已有的团员（身份证号相同）按文件更新信息")
        self.update_existing.setObjectName("update_existing")
        self.update_existing.toggled.connect(self._update_button)
        layout.addWidget(self.update_existing)
        self.accept_years = QCheckBox()
        self.accept_years.setObjectName("accept_years")
        self.accept_years.setToolTip(
            "只记年份并标注“据团员编号”，入团月份仍列在工作台上待补录；不勾选则入团年月为未填"
        )
        self.accept_years.hide()
        layout.addWidget(self.accept_years)
        buttons = QDialogButtonBox()
        self.rejects_button = buttons.addButton(
            "导出有问题的行…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.rejects_button.setObjectName("export_rejects")
        self.rejects_button.setToolTip("写成 Excel 文件，在“问题说明”列写明原因；改正后可再次导入")
        self.rejects_button.setEnabled(False)
        self.rejects_button.clicked.connect(self.export_rejects)
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("do_import")
        self.import_button.setEnabled(False)
        buttons.addButton(
            "关闭", QDialogButtonBox.ButtonRole.RejectRole
        )  # nothing is written until 导入
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 980, 620)
        context.read(records.open_branches, on_done=self._branches)

    def _branches(self, branches: list[tuple[int, str]]) -> None:
        for _bid, name in branches:
            self.branch.addItem(name, name)
        self.branch.currentIndexChanged.connect(self.run_preview)
        self.run_preview()

    def run_preview(self) -> None:
        self.import_button.setEnabled(False)
        progress = ProgressBridge(self, f"正在检查 {self.path.name} …")
        self.context.read(
            importer.preview_import,
            self.path,
            self.branch.currentData(),
            progress=progress.callback,
            upgrade_legacy_ids=self.upgrade.isChecked(),
            create_branches=True,  # shown as 将新建团支部; created only if confirmed
            mapping=self.mapping,
            on_done=lambda result: (progress.finish(), self._show(result)),
            on_error=lambda error: (progress.finish(), self._failed(error)),
        )

    def _show(self, preview: ImportPreview) -> None:
        self.preview = preview
        rows, colours = [], []
        for row in preview.rows:
            reasons = row.errors or row.warnings or row.notes
            if row.level == "update":
                reasons = [
                    f"{FIELD_LABELS.get(k, k)}：{v[0] or '（空）'} → {v[1] or '（空）'}"
                    for k, v in row.differences.items()
                ]
            rows.append(
                [row.where, row.name, row.branch_name, LEVEL_LABELS[row.level], "；".join(reasons)]
            )
            colours.append(row.level)
        fill_table(self.table, rows)
        colour_levels(self.table, colours)
        count = preview.count
        lines = [
            f"{preview.where}，共 {len(preview.rows)} 行："
            f"可导入 {preview.importable} 人，有错误 {count('error')} 行（不会导入），",
            f"已有且信息不同 {count('update')} 人，已有且相同 {count('same')} 人。\n",
        ]
        self.summary.setText("".join(lines) + "\n".join(preview.notes))
        self.show_columns(COLUMNS)
        self.accept_years.setText(
            f"缺入团年月的 {preview.year_hints} 人，记入团员编号所示的入团年份（仅年份）"
        )
        self.accept_years.setVisible(preview.year_hints > 0)
        self.rejects_button.setEnabled(count("error") + count("warning") > 0)
        self._update_button()

    def _update_button(self) -> None:
        if self.preview is None:
            return
        updates = self.preview.count("update") if self.update_existing.isChecked() else 0
        count = self.preview.importable
        self.import_button.setText(f"导入 {count} 人" + (f"，更新 {updates} 人" if updates else ""))
        self.import_button.setEnabled(count + updates > 0)

    def run_import(self) -> None:
        if self.preview is None:
            return
        create = False
        if self.preview.new_branches:
            answer = QMessageBox.question(
                self,
                "新建团支部",
                f"将新建团支部：{'、'.join(self.preview.new_branches)}，这些工作表或行的团员"
                "加入其中。\n确定新建吗？（选“否”则这些行不导入，其余照常导入）",
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            create = answer == QMessageBox.StandardButton.Yes
        self.import_button.setEnabled(False)
        progress = ProgressBridge(self, "正在导入…")
        self.context.write(
            importer.commit_import,
            self.preview,
            self.update_existing.isChecked(),
            progress=progress.callback,
            create_branches=create,
            accept_years=not self.accept_years.isHidden() and self.accept_years.isChecked(),
            on_done=lambda outcome: (progress.finish(), self._done(outcome.value)),
            on_error=lambda error: (progress.finish(), self._failed(error)),
        )

    def _done(self, report: ImportReport) -> None:
        self.report = report
        QMessageBox.information(
            self,
            "导入完成",
            f"已导入 {report.created} 人，更新 {report.updated} 人；"
            f"{report.rejected} 行有错误未导入。\n如导入有误，可在“导入记录”中整体撤销这一批。",
        )
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._update_button()
        if isinstance(error, ImportCancelled):
            self.summary.setText(str(error))
        else:
            self.summary.setText(f"不能导入：{error}")
            self.context.worker.unhandled(error)


class BatchesDialog(QDialog):
    """The import batches, each undoable as a whole."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.batches: list[importer.BatchRow] = []
        self.setWindowTitle("导入记录")
        layout = QVBoxLayout(self)
        self.table = make_table(
            ["批次", "内容", "文件", "导入时间", "操作人", "新增", "更新", "状态"], "batches"
        )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.rollback_button = buttons.addButton(
            "撤销选中的一批…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.rollback_button.setObjectName("rollback")
        self.rollback_button.clicked.connect(self.rollback)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 760, 400)
        self.refresh()

    def refresh(self) -> None:
        self.context.read(importer.batches, on_done=self._show)

    def _show(self, batches: list[importer.BatchRow]) -> None:
        self.batches = batches
        fill_table(
            self.table,
            [
                [
                    str(b.id),
                    b.what,
                    b.file_name,
                    b.imported_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    b.actor,
                    str(b.created),
                    str(b.updated),
                    f"已撤销（{b.rolled_back_at.astimezone():%Y-%m-%d}）"
                    if b.rolled_back_at
                    else "有效",
                ]
                for b in batches
            ],
        )

    def rollback(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.batches):
            return
        batch = self.batches[row]
        if batch.kind == applicant_import.KIND:
            effect = (
                f"导入的 {batch.created} 名入团申请人及其补录的步骤将从名单移除（记录保留备查）"
            )
            undo = applicant_import.rollback_applicants
        else:
            effect = (
                f"新增的 {batch.created} 人将从名册移除（记录保留备查），"
                f"更新的 {batch.updated} 人恢复原来的信息"
            )
            undo = importer.rollback_import
        answer = QMessageBox.question(
            self, "撤销导入", f"撤销第 {batch.id} 批（{batch.file_name}）：{effect}。确定吗？"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.context.write(undo, batch.id, on_done=lambda _: self.refresh())
