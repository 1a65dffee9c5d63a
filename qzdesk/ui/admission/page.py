"""发展团员: applicants by stage with their timeline, gates, points and what blocks the next
step; the review queue; the ranking; publicity; quotas and number blocks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qzdesk.config import resources_dir
from qzdesk.services.admission import applicants, ledger, number_blocks, publicity, quotas
from qzdesk.services.admission.applicants import ApplicantFile, ApplicantRow, next_step_summary
from qzdesk.services.admission.stages import Stage
from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.members.search import matches, normalise_query, pinyin_pattern
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.periods import parse_period
from qzdesk.ui.admission.applicant_dialog import ApplicantDialog
from qzdesk.ui.admission.findings import findings_html, findings_label
from qzdesk.ui.admission.party_tab import PartyTab
from qzdesk.ui.admission.points_dialog import PointsDialog
from qzdesk.ui.admission.publicity_tab import PublicityTab
from qzdesk.ui.admission.quota_tab import QuotaTab
from qzdesk.ui.admission.ranking_tab import RankingTab
from qzdesk.ui.admission.review_tab import ReviewTab
from qzdesk.ui.admission.step_dialog import StepDialog
from qzdesk.ui.context import AppContext
from qzdesk.ui.document_export import preview_and_save
from qzdesk.ui.forms import combo
from qzdesk.ui.pages.base import Page
from qzdesk.ui.tables import fill_table, make_table

TEMPLATE = "入团申请人导入模板.xlsx"
HEADERS = ["姓名", "团支部", "年级班级", "阶段", "申请日期", "最近一步", "一阶段积分", "二阶段积分"]


@dataclass(frozen=True)
class AdmissionData:
    profile: RuleProfile
    applicants: list[ApplicantRow]
    pending: list[ledger.PendingRow]
    publicities: list[publicity.PublicityRow]
    quota: quotas.QuotaStatus
    blocks: list[number_blocks.BlockRow]


@dataclass(frozen=True)
class Detail:
    file: ApplicantFile
    entries: list[ledger.EntryRow]


class AdmissionPage(Page):
    TITLE = "发展团员"
    TOPICS = frozenset({Topic.ADMISSION, Topic.LEDGER, Topic.MEMBERS, Topic.SETTINGS})

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.data: AdmissionData | None = None
        self.detail: Detail | None = None
        self.shown: list[ApplicantRow] = []
        self._pending_select: int | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("admission_tabs")
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._applicants_tab(), "申请人")
        self.review = ReviewTab(context)
        self.tabs.addTab(self.review, "积分审核")
        self.ranking = RankingTab(context)
        self.tabs.addTab(self.ranking, "推优排名")
        self.publicity = PublicityTab(context)
        self.tabs.addTab(self.publicity, "公示")
        self.quota = QuotaTab(context)
        self.tabs.addTab(self.quota, "名额与号段")
        self.party = PartyTab(context)
        self.tabs.addTab(self.party, "推优入党")

    def _applicants_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("applicant_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("搜索姓名或拼音首字母")
        self.search.textChanged.connect(self._fill_list)
        self.stage = combo(
            "applicant_stage", [("全部阶段", None)] + [(s.label, s.value) for s in Stage]
        )
        self.stage.currentIndexChanged.connect(self._fill_list)
        row.addWidget(self.search, 1)
        row.addWidget(self.stage)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("new", "新增申请人…", self.new_applicant),
            ("step", "办理…", self.record_step),
            ("points", "记积分…", self.post_points),
            ("reverse", "冲销积分…", self.reverse_points),
            ("record", "积分档案（PDF）…", self.export_record),
        ):
            button = QPushButton(text)
            button.setObjectName(f"applicant_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        importing = QPushButton("导入名单")
        importing.setObjectName("applicant_import")
        menu = QMenu(importing)
        menu.addAction("导入申请人名单…", self.import_list)
        menu.addAction("下载申请人导入模板…", self.save_template)
        menu.addAction("导入记录…", self.show_batches)
        importing.setMenu(menu)
        row.addWidget(importing)
        row.addStretch(1)
        QShortcut(QKeySequence("Ctrl+N"), tab, self.new_applicant)
        layout.addLayout(row)
        self.counts = QLabel()
        self.counts.setObjectName("applicant_counts")
        self.counts.setWordWrap(True)  # one line on a wide screen, several on a small one
        layout.addWidget(self.counts)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = make_table(HEADERS, "applicant_table")
        self.list.itemSelectionChanged.connect(self._load_detail)
        self.list.activated.connect(lambda _: self.record_step())
        splitter.addWidget(self.list)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        self.heading = QLabel("请在左侧选择一名申请人。")
        self.heading.setObjectName("applicant_heading")
        self.heading.setWordWrap(True)
        detail_layout.addWidget(self.heading)
        self.next = findings_label("applicant_next")
        detail_layout.addWidget(self.next)
        inner = QTabWidget()
        self.timeline = make_table(["日期", "步骤", "内容", "记录人"], "applicant_timeline")
        inner.addTab(self.timeline, "进程")
        self.gates = make_table(["标准", "确认日期", "确认人"], "applicant_gates")
        inner.addTab(self.gates, "入团标准")
        self.ledger = make_table(
            ["序号", "日期", "项目", "档次", "分值", "审核", "说明"], "applicant_ledger"
        )
        inner.addTab(self.ledger, "积分")
        detail_layout.addWidget(inner, 1)
        splitter.addWidget(detail)
        splitter.setSizes([520, 480])
        layout.addWidget(splitter, 1)
        return tab

    def load(self, ctx: Context) -> AdmissionData:
        return AdmissionData(
            ctx.profile,
            applicants.applicants(ctx),
            ledger.pending(ctx),
            publicity.publicities(ctx),
            quotas.quota_status(ctx, ctx.today.year),
            number_blocks.blocks(ctx),
        )

    def show_data(self, data: AdmissionData) -> None:
        self.data = data
        counts = {s: 0 for s in Stage}
        for row in data.applicants:
            counts[row.stage] += 1
        self.counts.setText(
            "　".join(f"{s.label} {counts[s]}" for s in Stage)
            + f"　｜　待审核积分 {len(data.pending)} 条　｜　{data.quota.text()}"
        )
        self.tabs.setTabText(1, f"积分审核（{len(data.pending)}）")
        self._fill_list()
        if self._pending_select is not None:
            self.select(self._pending_select)
            self._pending_select = None
        self.review.show_rows(data.pending)
        self.publicity.show_rows(data.publicities, data.applicants, data.profile)
        self.quota.show_data(data.quota, data.blocks)
        self.ranking.set_choices(
            sorted({r.grade for r in data.applicants if r.grade}),
            sorted({r.class_name for r in data.applicants if r.class_name}),
        )
        self.ranking.refresh()
        self.party.refresh()

    def _fill_list(self) -> None:
        if self.data is None:
            return
        selected = self.current()
        text = normalise_query(self.search.text())
        pattern = pinyin_pattern(text)
        stage = self.stage.currentData()
        self.shown = [
            r
            for r in self.data.applicants
            if (stage is None or r.stage.value == stage)
            and (not text or matches(text, r.search_key, pattern))
        ]
        fill_table(
            self.list,
            [
                [
                    r.name,
                    r.branch_name,
                    f"{r.grade or ''}{r.class_name or ''}",
                    r.stage.label,
                    f"{r.applied_on:%Y-%m-%d}",
                    f"{r.last_on:%m-%d} {r.last_step.label}",
                    ledger.points_text(r.points[1]),
                    ledger.points_text(r.points[2]),
                ]
                for r in self.shown
            ],
            [not r.stage.open for r in self.shown],
        )
        if selected is not None:
            self.select(selected.id)
            self._load_detail()  # its steps or points may have changed

    def current(self) -> ApplicantRow | None:
        row = self.list.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def select(self, applicant_id: int) -> None:
        for index, row in enumerate(self.shown):
            if row.id == applicant_id:
                self.list.selectRow(index)

    def _load_detail(self) -> None:
        chosen = self.current()
        if chosen is None:
            return

        def load(ctx: Context) -> Detail:
            return Detail(
                applicants.applicant_file(ctx, chosen.id),
                ledger.entries_of(ctx, chosen.id),
            )

        self.context.read(load, on_done=self._show_detail)

    def _show_detail(self, detail: Detail) -> None:
        if self.current() is None or self.current().id != detail.file.row.id:
            return
        self.detail = detail
        file, row = detail.file, detail.file.row
        self.heading.setText(
            f"<b>{row.name}</b>（{row.gender}，{row.birth_date:%Y-%m-%d} 生，{row.branch_name}"
            f"{'，' + (file.school or '') if file.school else ''}）　阶段：<b>{row.stage.label}</b>"
            f"　团课 {file.training_hours:g} 学时　积分：一阶段 {file.balance.stage_points(1)}、"
            f"二阶段 {file.balance.stage_points(2)}"
        )
        parts = []
        for step, findings in file.next_steps.items():
            parts.append(f"<b>{step.label}</b>：{findings_html(findings, '可以办理')}")
        self.next.setText("<br>".join(parts) or "已完成全部步骤。")
        self.next.setToolTip(next_step_summary(file))
        fill_table(
            self.timeline,
            [
                [f"{e.on:%Y-%m-%d}", e.step.label, _describe(e.details), e.recorded_by]
                for e in file.events
            ],
        )
        fill_table(
            self.gates,
            [
                [
                    f"{group}：{gate}",
                    f"{e.on:%Y-%m-%d}" if e else "未确认",
                    e.details.get("confirmed_by", "") if e else "",
                ]
                for group, gate, e in file.gates
            ],
            [e is None for _, _, e in file.gates],
        )
        fill_table(
            self.ledger,
            [
                [
                    str(e.id),
                    f"{e.occurred_on:%Y-%m-%d}",
                    e.item_name,
                    e.grade or "",
                    e.points,
                    e.status_label + (f"：{e.review_reason}" if e.review_reason else ""),
                    e.note or "",
                ]
                for e in detail.entries
            ],
            [e.status == "pending" for e in detail.entries],
        )

    def _need_choice(self) -> ApplicantRow | None:
        chosen = self.current()
        if chosen is None:
            QMessageBox.information(self, "发展团员", "请先在列表中选择一名申请人。")
        return chosen

    def new_applicant(self) -> None:
        dialog = ApplicantDialog(self.context, self)
        if dialog.exec() and dialog.created is not None:
            self.stage.setCurrentIndex(0)
            self.search.clear()
            self._pending_select = dialog.created.id

    def import_list(self) -> None:
        from qzdesk.ui.admission.import_dialog import ApplicantImportDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "选择入团申请人名单", str(Path.home()), "名单文件 (*.xlsx *.xls *.csv)"
        )
        if path:
            ApplicantImportDialog(self.context, Path(path), self).exec()

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存申请人导入模板", str(Path.home() / TEMPLATE), "Excel 工作簿 (*.xlsx)"
        )
        if path:
            Path(path).write_bytes((resources_dir() / "templates" / TEMPLATE).read_bytes())

    def show_batches(self) -> None:
        from qzdesk.ui.members.import_dialog import BatchesDialog

        BatchesDialog(self.context, self).exec()

    def record_step(self) -> None:
        if self._need_choice() is None or self.detail is None:
            return
        if not self.detail.file.row.stage.open and self.detail.file.row.stage is not Stage.MEMBER:
            QMessageBox.information(self, "发展团员", "该申请人已终止发展。")
            return
        StepDialog(self.context, self.detail.file, self).exec()

    def post_points(self) -> None:
        chosen = self._need_choice()
        if chosen is None or self.data is None:
            return
        PointsDialog(self.context, self.data.profile, chosen.id, chosen.name, self).exec()

    def reverse_points(self) -> None:
        if self._need_choice() is None or self.detail is None:
            return
        row = self.ledger.currentRow()
        entries = self.detail.entries
        if not 0 <= row < len(entries):
            QMessageBox.information(self, "冲销积分", "请先在“积分”表中选择要冲销的一条记录。")
            return
        entry = entries[row]
        reason, ok = QInputDialog.getText(
            self,
            "冲销积分",
            f"冲销第 {entry.id} 条（{entry.item_name} {entry.points} 分）。\n"
            "原记录保留，另记一条负分记录，同样须经领导小组审核。\n冲销原因：",
        )
        if ok:
            self.context.write(ledger.reverse_entry, entry.id, reason)

    def export_record(self) -> None:
        chosen = self._need_choice()
        if chosen is not None:
            preview_and_save(
                self,
                self.context,
                "points_record",
                parse_period(str(self.context.today().year)),
                f"积分档案-{chosen.name}.pdf",
                applicant_id=chosen.id,
            )


def _describe(details: dict[str, object]) -> str:
    person = "党员" if details.get("party") else "团员"
    labels = {
        "by": "谈话",
        "meeting": "会议",
        "summary": "意见",
        "opinion": "预审意见",
        "place": "地点",
        "reason": "原因",
        "hours": "学时",
        "topic": "内容",
        "name": person,
        "gate": "标准",
        "confirmed_by": "确认人",
        "member_no": "团员编号",
        "objections": "异议",
        "source": "来源",
    }
    if "expected" in details:
        result = (
            "通过"
            if details.get("passed")
            else ("无效" if not details.get("quorate") else "未通过")
        )
        text = (
            f"应到 {details['expected']}，实到 {details['present']}，赞成 {details['for']}，"
            f"反对 {details['against']}，弃权 {details['abstain']}：{result}"
        )
    else:
        text = "；".join(
            f"{labels[k]}：{v}" for k, v in details.items() if k in labels and v not in ("", None)
        )
    warnings = details.get("warnings") or []
    if warnings:
        text += "（提醒：" + "；".join(str(w) for w in warnings) + "）"  # type: ignore[union-attr]
    return text
