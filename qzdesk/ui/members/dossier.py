"""The member form's 成长档案 tab: the timeline (with where each entry came from), the
团员档案's papers with their scans, and the 成长档案 PDF to print for the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.context import Context
from qzdesk.services.dossier.papers import papers, record_paper
from qzdesk.services.dossier.timeline import timeline
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import confirm_buttons, error_label
from qzdesk.ui.tables import fill_table, make_table
from qzdesk.vocabulary import Paper


def _load(ctx: Context, member_id: int) -> tuple[Any, Any]:
    return timeline(ctx, member_id), papers(ctx, member_id)


class DossierTab(QWidget):
    def __init__(self, context: AppContext, member_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.context, self.member_id = context, member_id
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("成长记录（记录单位为空的是本单位的记录；其余随组织关系转来）："))
        self.timeline = make_table(["日期", "事项", "内容", "记录单位"], "dossier_timeline")
        layout.addWidget(self.timeline, 2)
        layout.addWidget(QLabel("团员档案材料："))
        self.papers = make_table(["材料", "状态", "登记日期", "登记单位"], "dossier_papers")
        layout.addWidget(self.papers, 1)
        row = QHBoxLayout()
        record = QPushButton("登记档案材料…")
        record.setObjectName("record_paper")
        record.clicked.connect(self.record)
        export = QPushButton("导出成长档案 PDF…")
        export.setObjectName("export_dossier")
        export.clicked.connect(self.export)
        row.addWidget(record)
        row.addWidget(export)
        row.addStretch(1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.context.read(_load, self.member_id, on_done=self._show)

    def _show(self, loaded: tuple[Any, Any]) -> None:
        entries, states = loaded
        fill_table(self.timeline, [[e.day_text, e.label, e.text, e.source] for e in entries])
        fill_table(
            self.papers,
            [
                [s.paper.label, s.state_text, s.on.isoformat() if s.on else "", s.source]
                for s in states
            ],
        )

    def record(self) -> None:
        if PaperDialog(self.context, self.member_id, self).exec():
            self.reload()

    def export(self) -> None:
        from qzdesk.export.transfer import dossier_pdf
        from qzdesk.services.files import write_atomically
        from qzdesk.services.transfer.take import take_dossier

        path, _ = QFileDialog.getSaveFileName(
            self, "导出成长档案", str(Path.home() / "成长档案.pdf"), "PDF 文件 (*.pdf)"
        )
        if not path:
            return
        target = Path(path)

        def write(ctx: Context) -> Path:
            write_atomically(target, dossier_pdf(take_dossier(ctx, self.member_id)))
            return target

        self.context.read(
            write,
            on_done=lambda done: QMessageBox.information(self, "已导出", f"成长档案已保存：{done}"),
            on_error=lambda error: QMessageBox.warning(self, "导出失败", str(error)),
        )


class PaperDialog(QDialog):
    """One paper found in the file (with its scan) or found missing, as of today."""

    def __init__(self, context: AppContext, member_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.context, self.member_id = context, member_id
        self.setWindowTitle("登记档案材料")
        form = QFormLayout(self)
        self.paper = QComboBox()
        self.paper.setObjectName("paper")
        for paper in Paper:
            self.paper.addItem(paper.label, paper.value)
        self.present = QComboBox()
        self.present.setObjectName("present")
        self.present.addItem("在档", True)
        self.present.addItem("缺少", False)
        self.scan: Path | None = None
        self.scan_label = QLabel("（未选择）")
        pick = QPushButton("选择扫描件…")
        pick.clicked.connect(self.pick)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.scan_label, 1)
        row.addWidget(pick)
        form.addRow("材料：", self.paper)
        form.addRow("状态：", self.present)
        form.addRow("扫描件（PDF 或图片，可选）：", holder)
        self.error = error_label()
        form.addRow(self.error)
        form.addRow(confirm_buttons("登记", self.submit, self.reject))

    def pick(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择扫描件", str(Path.home()), "扫描件 (*.pdf *.jpg *.jpeg *.png)"
        )
        if path:
            self.scan = Path(path)
            self.scan_label.setText(self.scan.name)

    def submit(self) -> None:
        self.error.clear()
        self.context.write(
            record_paper,
            self.member_id,
            Paper(self.paper.currentData()),
            bool(self.present.currentData()),
            self.scan,
            on_done=lambda _outcome: self.accept(),
            on_error=lambda error: self.error.setText(str(error)),
        )
