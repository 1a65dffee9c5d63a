"""Importing a 申请人名单: every row previewed with its verdict and the stage it reaches,
then one transaction; the rows with problems can go back to Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission.importer import (
    COLUMNS,
    ApplicantPreview,
    ApplicantReport,
    commit_applicants,
    preview_applicants,
)
from qzdesk.services.members.importer import LEVEL_LABELS
from qzdesk.services.members.layout import ImportCancelled
from qzdesk.ui.context import AppContext
from qzdesk.ui.import_preview import ColumnMapping, RejectsExport, colour_levels
from qzdesk.ui.progress import ProgressBridge
from qzdesk.ui.screen import fit
from qzdesk.ui.tables import fill_table, make_table

LABELS = {**LEVEL_LABELS, "same": "已是申请人，不再导入"}


class ApplicantImportDialog(RejectsExport, ColumnMapping, QDialog):
    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = path
        self.preview: ApplicantPreview | None = None
        self.report: ApplicantReport | None = None
        self.setWindowTitle(f"导入入团申请人：{path.name}")
        layout = QVBoxLayout(self)
        self.summary = QLabel("正在读取文件…")
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.add_column_table(layout)
        self.table = make_table(
            ["位置", "姓名", "团支部", "补录至", "结果", "原因"],
            "preview",
            widths=[100, 64, 124, 88, 110, 440],
        )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.rejects_button = buttons.addButton(
            "导出有问题的行…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.rejects_button.setObjectName("export_rejects")
        self.rejects_button.setEnabled(False)
        self.rejects_button.clicked.connect(self.export_rejects)
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("do_import")
        self.import_button.setEnabled(False)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 980, 620)
        self.run_preview()

    def run_preview(self) -> None:
        self.import_button.setEnabled(False)
        progress = ProgressBridge(self, f"正在检查 {self.path.name} …")
        self.context.read(
            preview_applicants,
            self.path,
            progress=progress.callback,
            mapping=self.mapping,
            on_done=lambda result: (progress.finish(), self._show(result)),
            on_error=lambda error: (progress.finish(), self._failed(error)),
        )

    def _show(self, preview: ApplicantPreview) -> None:
        self.preview = preview
        fill_table(
            self.table,
            [
                [
                    r.where,
                    r.name,
                    r.branch_name,
                    r.stage_text,
                    LABELS[r.level],
                    "；".join(r.errors or r.warnings),
                ]
                for r in preview.rows
            ],
        )
        colour_levels(self.table, [r.level for r in preview.rows])
        count = preview.count
        self.summary.setText(
            f"{preview.where}，共 {len(preview.rows)} 行：可导入 {preview.importable} 人"
            f"（其中有提示 {count('warning')} 人），有错误 {count('error')} 行（不会导入），"
            f"已是申请人 {count('same')} 人。\n" + "\n".join(preview.notes)
        )
        self.rejects_button.setEnabled(count("error") + count("warning") > 0)
        self.import_button.setText(f"导入 {preview.importable} 人")
        self.import_button.setEnabled(preview.importable > 0)
        self.show_columns(COLUMNS)

    def run_import(self) -> None:
        if self.preview is None:
            return
        self.import_button.setEnabled(False)
        self.context.write(
            commit_applicants,
            self.preview,
            on_done=lambda outcome: self._done(outcome.value),
            on_error=self._failed,
        )

    def _done(self, report: ApplicantReport) -> None:
        self.report = report
        QMessageBox.information(
            self,
            "导入完成",
            f"已导入 {report.created} 名入团申请人，补录 {report.steps} 个步骤；"
            f"{report.rejected} 行有错误未导入。\n如导入有误，可在“导入记录”中整体撤销这一批。",
        )
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ImportCancelled):
            self.summary.setText(str(error))
        else:
            self.summary.setText(f"不能导入：{error}")
            self.context.worker.unhandled(error)
