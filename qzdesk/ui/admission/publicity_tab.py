"""公示: the notices with their periods and objections, and the dialog that starts one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission import publicity
from qzdesk.services.admission.applicants import ApplicantRow
from qzdesk.services.admission.publicity import STAGE_OF_KIND, PublicityRow
from qzdesk.services.admission.requirements import PUBLICITY_LABELS
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.periods import parse_period
from qzdesk.services.workdays import working_days_from
from qzdesk.ui.context import AppContext
from qzdesk.ui.document_export import preview_and_save
from qzdesk.ui.forms import FieldErrors, button_row, combo, confirm_buttons, date_edit
from qzdesk.ui.tables import fill_table, make_table


class PublicityDialog(QDialog):
    """新建公示: whom, from when, who takes objections; the end date shown as you choose."""

    def __init__(
        self,
        context: AppContext,
        profile: RuleProfile,
        people: list[ApplicantRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.people = people
        self.days = profile.admission.publicity_working_days
        self.setWindowTitle("新建公示")
        self.errors = FieldErrors()
        form = QFormLayout()
        self.kind = combo("publicity_kind", [(f"{v}公示", k) for k, v in PUBLICITY_LABELS.items()])
        form.addRow("公示对象", self.kind)
        self.list = QListWidget()
        self.list.setObjectName("publicity_people")
        self.errors.add_row(form, "人员", self.list, "people")
        self.starts = date_edit("publicity_starts", context.today(), not_after_today=False)
        form.addRow("开始日期", self.starts)
        self.ends = QLabel()
        self.ends.setObjectName("publicity_ends")
        self.ends.setWordWrap(True)
        form.addRow("截止日期", self.ends)
        self.contact = QLineEdit()
        self.contact.setObjectName("publicity_contact")
        self.contact.setPlaceholderText("如：校团委 李老师 0938-8211234")
        self.errors.add_row(form, "反映联系人", self.contact, "contact")
        self.errors.make_fallback()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.fallback)
        layout.addWidget(confirm_buttons("开始公示", self.submit, self.reject))
        self._failed = self.errors.reporter(context.worker.unhandled)
        self.created: PublicityRow | None = None
        self.kind.currentIndexChanged.connect(self._fill_people)
        self.starts.dateChanged.connect(self._show_end)
        self._fill_people()
        self._show_end()

    def _fill_people(self) -> None:
        self.list.clear()
        wanted = STAGE_OF_KIND[self.kind.currentData()]
        for person in self.people:
            if person.stage is wanted:
                item = QListWidgetItem(
                    f"{person.name}（{person.grade or ''}{person.class_name or ''}）"
                )
                item.setData(Qt.ItemDataRole.UserRole, person.id)
                item.setCheckState(Qt.CheckState.Checked)
                self.list.addItem(item)
        if not self.list.count():
            self.list.addItem("（目前没有处于这一阶段的人员）")

    def _show_end(self) -> None:
        span = working_days_from(self.starts.date().toPython(), self.days.value)
        text = f"{span.ends_on:%Y-%m-%d}（{self.days.value} 个工作日，节假日已除外）"
        if self.days.unconfirmed:
            text += "；公示天数未经证实，可在规则配置中调整"
        if span.warning:
            text += f"\n⚠ {span.warning}"
        self.ends.setText(text)

    def chosen(self) -> list[int]:
        ids = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            value = item.data(Qt.ItemDataRole.UserRole)
            if value is not None and item.checkState() == Qt.CheckState.Checked:
                ids.append(int(value))
        return ids

    def submit(self) -> None:
        self.errors.clear()
        self.context.write(
            publicity.create_publicity,
            self.kind.currentData(),
            self.chosen(),
            self.starts.date().toPython(),
            self.contact.text(),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, outcome: Any) -> None:
        self.created = outcome.value
        self.accept()


class PublicityTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[PublicityRow] = []
        self.people: list[ApplicantRow] = []
        self.profile: RuleProfile | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(
                (
                    ("新建公示…", self.new_publicity, "publicity_new"),
                    ("登记反映…", self.add_objection, "publicity_objection"),
                    ("处理反映…", self.resolve_objection, "publicity_resolve"),
                    ("公示文件（PDF）…", self.export, "publicity_pdf"),
                )
            )
        )
        self.table = make_table(
            ["公示", "开始", "截止", "状态", "人数", "待处理反映", "联系人"], "publicity_table"
        )
        self.table.itemSelectionChanged.connect(self._show_objections)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel("公示期间收到的反映"))
        self.objections = make_table(
            ["收到日期", "涉及", "内容", "处理日期", "处理结果"], "objection_table"
        )
        layout.addWidget(self.objections, 1)

    def show_rows(
        self, rows: list[PublicityRow], people: list[ApplicantRow], profile: RuleProfile
    ) -> None:
        self.rows, self.people, self.profile = rows, people, profile
        today = self.context.today()
        fill_table(
            self.table,
            [
                [
                    r.title,
                    f"{r.starts_on:%Y-%m-%d}",
                    f"{r.ends_on:%Y-%m-%d}",
                    r.state(today),
                    str(len(r.people)),
                    str(sum(1 for o in r.objections if o.resolved_on is None)),
                    r.contact,
                ]
                for r in rows
            ],
            [r.state(today) == "公示中" for r in rows],
        )
        self._show_objections()

    def current(self) -> PublicityRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_objections(self) -> None:
        notice = self.current()
        found = notice.objections if notice else []
        fill_table(
            self.objections,
            [
                [
                    f"{o.received_on:%Y-%m-%d}",
                    o.applicant_name,
                    o.content,
                    f"{o.resolved_on:%Y-%m-%d}" if o.resolved_on else "待处理",
                    (o.resolution or "") + ("（属实）" if o.upheld else ""),
                ]
                for o in found
            ],
            [o.resolved_on is None for o in found],
        )

    def new_publicity(self) -> None:
        if self.profile is not None:
            PublicityDialog(self.context, self.profile, self.people, self).exec()

    def add_objection(self) -> None:
        notice = self.current()
        if notice is None:
            QMessageBox.information(self, "登记反映", "请先在上表中选择一份公示。")
            return
        names = [p.name for p in notice.people]
        name, ok = QInputDialog.getItem(self, "登记反映", "反映涉及：", names, 0, False)
        if not ok:
            return
        content, ok = QInputDialog.getMultiLineText(self, "登记反映", "反映的内容：")
        if ok and content.strip():
            person = notice.people[names.index(name)]
            self.context.write(
                publicity.add_objection,
                notice.id,
                person.applicant_id,
                self.context.today(),
                content,
            )

    def resolve_objection(self) -> None:
        notice = self.current()
        open_ones = [o for o in (notice.objections if notice else []) if o.resolved_on is None]
        if not open_ones:
            QMessageBox.information(self, "处理反映", "所选公示没有待处理的反映。")
            return
        labels = [f"{o.applicant_name}：{o.content[:30]}" for o in open_ones]
        label, ok = QInputDialog.getItem(self, "处理反映", "选择反映：", labels, 0, False)
        if not ok:
            return
        objection = open_ones[labels.index(label)]
        text, ok = QInputDialog.getMultiLineText(self, "处理反映", "核实情况和处理结果：")
        if not ok or not text.strip():
            return
        upheld = (
            QMessageBox.question(
                self,
                "处理反映",
                "经核实，反映的问题是否属实？\n属实则该同志不能继续发展。",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            == QMessageBox.StandardButton.Yes
        )
        self.context.write(
            publicity.resolve_objection,
            objection.id,
            self.context.today(),
            text,
            upheld,
        )

    def export(self) -> None:
        notice = self.current()
        if notice is None:
            QMessageBox.information(self, "公示文件", "请先在上表中选择一份公示。")
            return
        period = parse_period(str(notice.starts_on.year))
        preview_and_save(
            self,
            self.context,
            "publicity",
            period,
            f"{notice.title}-{notice.starts_on:%Y%m%d}.pdf",
            publicity_id=notice.id,
        )
