"""收件: a committee receives its organisations' signed archives from a folder or a USB
stick, keeps the certificates it registered, and sees who has submitted for a period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services import clock
from qzdesk.services.changes import Topic
from qzdesk.services.committee.cadres import Analysis, analysis
from qzdesk.services.committee.coverage import Coverage, coverage
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.organisation import settings
from qzdesk.services.periods import Period, parse_period
from qzdesk.services.receiving import receipts, registry
from qzdesk.services.receiving.comparison import PeriodView, period_view
from qzdesk.services.receiving.summary import SummaryRow
from qzdesk.services.security.sealed_files import read_sealed
from qzdesk.ui.context import AppContext
from qzdesk.ui.pages.base import Page
from qzdesk.ui.pdf_preview import PdfPreview
from qzdesk.ui.progress import ProgressBridge
from qzdesk.ui.receiving.appraisal_tab import AppraisalTab
from qzdesk.ui.receiving.cadres_tab import CadresTab
from qzdesk.ui.receiving.compare_tab import CompareTab
from qzdesk.ui.receiving.coverage_tab import CoverageTab
from qzdesk.ui.screen import fit
from qzdesk.ui.tables import fill_sortable, fill_table, make_table
from qzdesk.vocabulary import KeyEnd

if TYPE_CHECKING:
    from qzdesk.export.receiving import FileVerdict


@dataclass(frozen=True)
class ReceivingData:
    period: str
    registrations: list[registry.Registration]
    submissions: list[receipts.Submission]
    log: list[receipts.ReceiptRow]
    view: PeriodView
    submission_days: int
    coverage: Coverage
    cadres: Analysis


# The archive's section each 汇总表 column is read from (the sections' titles).
SECTIONS = {
    **dict.fromkeys(("在册团员", "本期入团", "本期离团"), "团员花名册"),
    **dict.fromkeys(("申请人", "积极分子", "发展对象", "已批准"), "发展团员工作情况"),
    **dict.fromkeys(
        (
            "支部大会（已开/应开）",
            "支委会（已开/应开）",
            "团课（已开/应开）",
            "主题团日（已开/应开）",
            "出勤率",
        ),
        "组织生活落实情况",
    ),
    **dict.fromkeys(("已注册", "已评议"), "团籍注册"),
    **dict.fromkeys(("团支部数", "书记"), "组织概况"),
}


def current_quarter() -> str:
    today = clock.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


class RegisterDialog(QDialog):
    """登记证书: the PEM file, the organisation, and the fingerprint read off the paper form."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.registered: registry.Registration | None = None
        self.setWindowTitle("登记下级组织的签名证书")
        form = QFormLayout(self)
        file_row = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setObjectName("cert_file")
        choose = QPushButton("选择…")
        choose.clicked.connect(self._choose)
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        form.addRow("证书文件（.pem）：", file_row)
        self.org = QLineEdit()
        self.org.setObjectName("org_name")
        self.org.setPlaceholderText("与证书登记表上的组织名称一致")
        form.addRow("组织名称：", self.org)
        self.fingerprint = QLineEdit()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setPlaceholderText("照证书登记表逐位录入，空格和冒号可省略")
        form.addRow("登记表上的指纹：", self.fingerprint)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登记")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        fit(self, 620, 260)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择证书文件", str(Path.home()), "证书 (*.pem)"
        )
        if path:
            self.file.setText(path)

    def submit(self) -> None:
        self.context.write(
            registry.register,
            Path(self.file.text().strip()),
            self.org.text(),
            self.fingerprint.text(),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, outcome: object) -> None:
        self.registered = outcome.value  # type: ignore[attr-defined]
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.message.setText(str(error))
        else:
            self.context.worker.unhandled(error)


class ReceivingPage(Page):
    TITLE = "收件"
    TOPICS = frozenset({Topic.RECEIVING})

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.data: ReceivingData | None = None
        self.asked = current_quarter()
        self.last: list[FileVerdict] | None = None
        self.preview: PdfPreview | None = None  # a received archive, opened from 汇总表
        layout = QVBoxLayout(self)
        intro = QLabel(
            "团委接收下级组织报送的签名台账：先登记各组织的证书（核对证书登记表上的指纹），"
            "再从文件夹或 U 盘收件。每份文件都校验签名、证书、组织和数据，结果记入收件记录。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        for name, text, slot in (
            ("receive", "从文件夹或 U 盘收件…", self.receive),
            ("register", "登记证书…", self.register),
            ("end", "停用证书…", self.end),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("receiving_tabs")
        status = QWidget()
        status_layout = QVBoxLayout(status)
        period_row = QHBoxLayout()
        period_row.addWidget(QLabel("期间："))
        self.period = QLineEdit(current_quarter())
        self.period.setObjectName("period")
        self.period.setMaximumWidth(120)
        self.period.setToolTip("年度写 2026，季度写 2026Q1，月份写 2026-03")
        self.period.editingFinished.connect(self.refresh)
        period_row.addWidget(self.period)
        period_row.addWidget(QLabel("报送期限：期末后"))
        self.days = QSpinBox()
        self.days.setObjectName("submission_days")
        self.days.setRange(0, 366)
        self.days.setSuffix(" 天")
        self.days.setToolTip("在此之后收到的台账标为“逾期报送”")
        self.days.editingFinished.connect(self.set_days)
        period_row.addWidget(self.days)
        self.counts = QLabel()
        self.counts.setObjectName("counts")
        period_row.addWidget(self.counts, 1)
        exports = QPushButton("导出…")
        exports.setObjectName("export")
        exports.setToolTip("把本期的汇总表、互查互评互比或团干部表导出为 Excel")
        menu = QMenu(exports)
        for name, text, slot in (
            ("export_summary", "汇总表（每个组织一行）…", self.export_summary),
            ("export_comparison", "互查互评互比（名次与每月组织生活）…", self.export_comparison),
            ("export_cadres", "团干部（名单与结构分析）…", self.export_cadres),
            ("export_coverage", "团组织覆盖（名录与覆盖指标）…", self.export_coverage),
        ):
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(slot)
        exports.setMenu(menu)
        period_row.addWidget(exports)
        layout.addLayout(period_row)
        self.status = make_table(
            ["组织", "状态", "台账编号", "收件时间", "说明"],
            "submissions",
            [220, 70, 200, 130, 260],
        )
        status_layout.addWidget(self.status)
        self.tabs.addTab(status, "报送情况")
        summary_tab = QWidget()
        summary_layout = QVBoxLayout(summary_tab)
        self.summary_filter = QLineEdit()
        self.summary_filter.setObjectName("summary_filter")
        self.summary_filter.setPlaceholderText("筛选：输入组织名称、领域、书记或“已到期”等文字")
        self.summary_filter.setClearButtonEnabled(True)
        self.summary_filter.textChanged.connect(self.filter_summary)
        summary_layout.addWidget(self.summary_filter)
        self.summary = make_table(list(SummaryRow.HEADERS), "summary")
        self.summary.setSortingEnabled(True)
        self.summary.setToolTip("双击一个数字，打开该组织报送的台账中它所在的那一页")
        self.summary.cellDoubleClicked.connect(self.open_archive)
        summary_layout.addWidget(self.summary)
        self.tabs.addTab(summary_tab, "汇总表")
        self.compare = CompareTab()
        self.tabs.addTab(self.compare, "互查互评互比")
        self.coverage = CoverageTab(context)
        self.tabs.addTab(self.coverage, "组织覆盖")
        self.cadres = CadresTab(context)
        self.tabs.addTab(self.cadres, "团干部")
        self.appraisals = AppraisalTab(context)
        self.tabs.addTab(self.appraisals, "年终考评")
        self.certs = make_table(
            ["组织", "指纹", "登记日期", "登记人", "状态"], "registrations", [220, 240, 90, 90, 200]
        )
        self.tabs.addTab(self.certs, "证书登记")
        self.log = make_table(
            ["号", "文件", "结果", "组织", "期间", "收件时间", "原因"],
            "receipts",
            [40, 200, 90, 180, 70, 130, 300],
        )
        self.tabs.addTab(self.log, "收件记录")
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def refresh(self) -> None:
        """The period is read here, on the GUI thread; the worker only gets its code."""
        try:
            self.asked = parse_period(self.period.text().strip() or current_quarter()).code
        except ValidationError:
            self.asked = current_quarter()
        super().refresh()

    def load(self, ctx: Context) -> ReceivingData:
        period = self.asked
        found = registry.registrations(ctx)
        return ReceivingData(
            period,
            found,
            receipts.submissions(ctx, period, sorted({r.org_name for r in found})),
            receipts.receipts(ctx),
            period_view(ctx, period),
            settings.submission_days(ctx),
            coverage(ctx, parse_period(period)),
            analysis(ctx, parse_period(period)),
        )

    def show_data(self, data: ReceivingData) -> None:
        self.data = data
        if data.period != self.asked:
            return  # the secretary has asked for another period since: its answer follows
        if not self.period.hasFocus():
            self.period.setText(data.period)  # 2026q1 → 2026Q1; a typing slip → the quarter
        fill_table(
            self.status,
            [
                [
                    s.org_name,
                    s.state,
                    s.archive_id or "",
                    s.received_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.received_at else "",
                    "；".join([*s.notes, *([f"替代了 {s.superseded} 份"] if s.superseded else [])]),
                ]
                for s in data.submissions
            ],
            highlighted=[s.archive_id is None or s.late for s in data.submissions],
        )
        fill_sortable(self.summary, [[str(v) for v in row.cells()] for row in data.view.summary])
        self.filter_summary(self.summary_filter.text())
        self.compare.show_data(data.view.comparison)
        self.coverage.show_data(data.coverage)
        self.cadres.show_data(data.cadres)
        if not self.appraisals.results:
            self.appraisals.reload()
        if not self.days.hasFocus():
            self.days.setValue(data.submission_days)
        missing = sum(s.archive_id is None for s in data.submissions)
        late = sum(s.late for s in data.submissions)
        self.counts.setText(
            f"应报 {len(data.submissions)} 个组织，已报送 {len(data.submissions) - missing}"
            f"（其中逾期 {late}），未报送 {missing}"
        )
        fill_table(
            self.certs,
            [
                [
                    r.org_name,
                    r.fingerprint[:23] + "…",
                    f"{r.registered_on:%Y-%m-%d}",
                    r.registered_by,
                    f"{r.ended_on:%Y-%m-%d} 停用：{r.end_reason}" if r.ended_on else "有效",
                ]
                for r in data.registrations
            ],
            tooltips=[r.fingerprint for r in data.registrations],
        )
        fill_table(
            self.log,
            [
                [
                    str(r.id),
                    r.file_name,
                    r.verdict,
                    r.org_name or "",
                    r.period_code or "",
                    r.received_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    "；".join(r.reasons),
                ]
                for r in reversed(data.log)
            ],
            highlighted=[not r.accepted for r in reversed(data.log)],
        )

    def receive(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "选择存放台账的文件夹或 U 盘", str(Path.home())
        )
        if folder:
            self.receive_from(Path(folder))

    def receive_from(self, folder: Path) -> None:
        from qzdesk.export.receiving import receive_folder  # the PDF stack: when receiving

        progress = ProgressBridge(self, f"正在校验 {folder} 中的台账…")
        self.context.write(
            receive_folder,
            folder,
            progress.callback,
            on_done=lambda verdicts: (progress.finish(), self._received(verdicts)),
            on_error=lambda error: (progress.finish(), self.context.worker.unhandled(error)),
        )

    def _received(self, verdicts: list[FileVerdict]) -> None:
        self.last = verdicts
        self.context.worker.changed.emit(frozenset({Topic.RECEIVING}))
        accepted = sum(v.accepted and v.duplicate_of is None for v in verdicts)
        duplicates = sum(v.duplicate_of is not None for v in verdicts)
        rejected = sum(not v.accepted for v in verdicts)
        if not verdicts:
            text = "该文件夹中没有 PDF 文件。"
        else:
            text = (
                f"共 {len(verdicts)} 个文件：收下 {accepted} 份，"
                f"重复 {duplicates} 份，拒收 {rejected} 份。"
            )
            if rejected:
                text += "\n拒收的原因见“收件记录”。"
        QMessageBox.information(self, "收件完成", text)

    def export_summary(self) -> None:
        from qzdesk.export.summary_excel import write_summary

        self._export(
            "汇总表",
            lambda target, view: write_summary(target, view.comparison.period, view.summary),
        )

    def export_comparison(self) -> None:
        from qzdesk.export.summary_excel import write_comparison

        self._export("互查互评互比", lambda target, view: write_comparison(target, view.comparison))

    def export_cadres(self) -> None:
        from qzdesk.export.summary_excel import write_cadres

        self._export_read(
            "团干部", lambda ctx, target, period: write_cadres(target, analysis(ctx, period))
        )

    def export_coverage(self) -> None:
        from qzdesk.export.summary_excel import write_coverage

        self._export_read(
            "团组织覆盖", lambda ctx, target, period: write_coverage(target, coverage(ctx, period))
        )

    def _export_read(self, what: str, write: Callable[[Context, Path, Period], Path]) -> None:
        """A committee table written on the worker from the period's records (a desk read)."""
        period = parse_period(self.data.period if self.data else current_quarter())
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            f"导出{what}",
            str(Path.home() / f"{what}-{period.code}.xlsx"),
            "Excel 工作簿 (*.xlsx)",
        )
        if chosen:
            self.context.read(
                write,
                Path(chosen),
                period,
                on_done=lambda done: QMessageBox.information(
                    self, "导出完成", f"{period.label}{what}已写入\n{done}"
                ),
            )

    def _export(self, what: str, write: Callable[[Path, PeriodView], Path]) -> None:
        period = self.data.period if self.data else current_quarter()
        chosen, _ = QFileDialog.getSaveFileName(
            self, f"导出{what}", str(Path.home() / f"{what}-{period}.xlsx"), "Excel 工作簿 (*.xlsx)"
        )
        if chosen:
            self.export_to(Path(chosen), period, what, write)

    def export_to(
        self, target: Path, period: str, what: str, write: Callable[[Path, PeriodView], Path]
    ) -> None:
        """The period's figures read and written on the worker, as the page shows them."""

        def export(ctx: Context) -> tuple[Path, int]:
            view = period_view(ctx, period)
            return write(target, view), len(view.summary)

        self.context.read(
            export,
            on_done=lambda done: QMessageBox.information(
                self, "导出完成", f"{period} {what}（{done[1]} 个组织）已写入\n{done[0]}"
            ),
        )

    def set_days(self) -> None:
        if self.data is not None and self.days.value() != self.data.submission_days:
            self.context.write(settings.set_submission_days, self.days.value())

    def filter_summary(self, text: str) -> None:
        """Rows holding every word typed, in any column."""
        words = text.split()
        for row in range(self.summary.rowCount()):
            cells = " ".join(
                item.text()
                for column in range(self.summary.columnCount())
                if (item := self.summary.item(row, column)) is not None
            )
            self.summary.setRowHidden(row, not all(word in cells for word in words))

    def open_archive(self, row: int, column: int) -> None:
        """The archive behind a 汇总表 row, as it was received, at the section the
        double-clicked figure comes from."""
        if self.data is None:
            return
        archive_id = self.summary.item(row, SummaryRow.HEADERS.index("台账编号")).text()
        stored = next(
            (r.stored_as for r in self.data.log if r.archive_id == archive_id and r.stored_as),
            None,
        )
        path = self.context.store.paths.root / stored if stored else None
        if path is None or not path.is_file():
            subtree = self.summary.item(row, 0).text().lstrip("　").startswith("└")
            QMessageBox.warning(
                self,
                "找不到台账",
                f"收件目录中没有台账 {archive_id} 的文件"
                + (
                    "：这一行来自上一行团委台账的收件汇总，原件由该团委收存，本处只有其签名的汇总数。"
                    if subtree
                    else "。"
                ),
            )
            return
        header = SummaryRow.HEADERS[column]
        note = f"{self.summary.item(row, 0).text()} 报送的台账（{archive_id}），收件时已校验签名。"

        def show(content: bytes) -> None:
            self.preview = PdfPreview(content, f"台账 {archive_id}", note, self, True)
            self.preview.show()
            section = SECTIONS.get(header)
            if section is not None:
                self.preview.show_page_with(section)

        # Kept sealed on disk (sealed_files.py): opened with the key inside the data file.
        self.context.keep(read_sealed, path, on_done=show)

    def register(self) -> None:
        RegisterDialog(self.context, self).exec()

    def end(self) -> None:
        if self.data is None or not self.data.registrations:
            return
        live = [r for r in self.data.registrations if r.ended_on is None]
        if not live:
            return
        labels = [f"{r.org_name}（{r.fingerprint[:23]}…）" for r in live]
        chosen, ok = QInputDialog.getItem(self, "停用证书", "停用哪一份证书？", labels, 0, False)
        if not ok:
            return
        kinds = {
            f"{KeyEnd.HANDOVER.label}（停用前已结束的期间仍接收）": KeyEnd.HANDOVER,
            f"{KeyEnd.COMPROMISED.label}（此后收到的一律拒收）": KeyEnd.COMPROMISED,
        }
        kind, ok = QInputDialog.getItem(self, "停用证书", "为什么停用？", list(kinds), 0, False)
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "停用证书", "停用原因（写明经过，记入日志）：")
        if ok and reason.strip():
            self.context.write(
                registry.end,
                live[labels.index(chosen)].fingerprint,
                reason,
                kinds[kind],
            )
