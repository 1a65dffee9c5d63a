"""The member form: every field with its message under it, the ID read as you type, the
member's history, and the lifecycle actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.errors import ValidationError
from qzdesk.services.members import discipline, idcard, records
from qzdesk.services.members.columns import CellError, parse_date
from qzdesk.services.members.validation import FIELD_LABELS, MemberDraft, Problem
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ERROR_STYLE, FieldErrors, confirm_buttons, date_edit
from qzdesk.ui.screen import fit, scrolled
from qzdesk.ui.tables import fill_table, make_table
from qzdesk.vocabulary import (
    EDUCATION_LEVELS,
    LEAGUE_POSTS,
    OCCUPATIONS,
    IdType,
    MemberStatus,
    PoliticalStatus,
)

WARNING_STYLE = "color: #b35c00;"
DATE_FIELDS = ("joined_on", "party_joined_on", "post_since", "volunteer_since")
TEXT_FIELDS = (
    "name",
    "ethnicity",
    "household",
    "joined_unit",
    "member_no",
    "work_unit",
    "grade",
    "class_name",
    "mobile",
    "email",
    "dues_tier",
    "awards",
)
CHOICE_FIELDS = {
    "education_fulltime": EDUCATION_LEVELS,
    "education_highest": EDUCATION_LEVELS,
    "occupation": OCCUPATIONS,
    "league_post": LEAGUE_POSTS,
}


def _editable_combo(name: str, choices: tuple[str, ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.addItems(["", *choices])
    return combo


class MemberForm(QDialog):
    def __init__(
        self,
        context: AppContext,
        member_id: int | None,
        parent: QWidget | None = None,
        branch_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.member_id = member_id
        self.record: records.MemberRecord | None = None
        self.setWindowTitle("新增团员" if member_id is None else "团员信息")
        self.errors = FieldErrors()
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(scrolled(self._build_details(branch_id)), "基本信息")
        self.history = make_table(["日期", "事项", "原因", "详情", "记录人"], "history")
        self.tabs.addTab(self.history, "历史记录")
        if member_id is not None:
            from qzdesk.ui.members.dossier import DossierTab
            from qzdesk.ui.members.dues import DuesTab

            self.tabs.addTab(DossierTab(context, member_id, self), "成长档案")
            self.dues_tab = DuesTab(context, member_id, self)
            self.tabs.addTab(self.dues_tab, "团费")
        self.status_line = QLabel()
        self.status_line.setObjectName("status_line")
        layout.addWidget(self.status_line)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.leave_button = QPushButton("办理离团…")
        self.leave_button.setObjectName("leave")
        self.restore_button = QPushButton("恢复团籍…")
        self.restore_button.setObjectName("restore")
        self.move_button = QPushButton("调整团支部…")
        self.move_button.setObjectName("move")
        self.move_button.clicked.connect(self.move)
        self.discipline_button = QPushButton("团内处分…")
        self.discipline_button.setObjectName("discipline")
        self.discipline_button.clicked.connect(self.discipline)
        for button in (
            self.move_button,
            self.discipline_button,
            self.leave_button,
            self.restore_button,
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.hide()
        self.leave_button.clicked.connect(self.leave)
        self.restore_button.clicked.connect(self.restore)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 900, 640)
        self.inputs["ethnicity"].setPlaceholderText("如 汉族、回族（不知道可先不填）")
        self._clean = self._snapshot()
        self._load_branches(branch_id)
        if member_id is not None:
            self.context.read(records.member_record, member_id, on_done=self._show_record)

    # building

    def _build_details(self, branch_id: int | None) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        left, right = QFormLayout(), QFormLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)

        def add(form: QFormLayout, field: str, label: str, widget: QWidget) -> None:
            widget.setObjectName(field)
            self.inputs[field] = widget
            self.errors.add_row(form, label, widget, field)

        add(left, "name", "姓名：", QLineEdit())
        self.id_type = QComboBox()
        for kind in IdType:
            self.id_type.addItem(kind.label, kind.value)
        add(left, "id_type", "证件类型：", self.id_type)
        id_row = QWidget()
        id_layout = QHBoxLayout(id_row)
        id_layout.setContentsMargins(0, 0, 0, 0)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("id_number_edit")
        self.upgrade_button = QPushButton("升级为 18 位")
        self.upgrade_button.setObjectName("upgrade_id")
        self.upgrade_button.hide()
        self.upgrade_button.clicked.connect(self._upgrade_id)
        id_layout.addWidget(self.id_number, 1)
        id_layout.addWidget(self.upgrade_button)
        add(left, "id_number", "证件号码：", id_row)
        self.gender = QComboBox()
        self.gender.addItems(["", "男", "女"])
        add(left, "gender", "性别：", self.gender)
        self.birth = QDateEdit()
        self.birth.setDisplayFormat("yyyy-MM-dd")
        self.birth.setCalendarPopup(True)
        self.birth.setDate(QDate(2008, 1, 1))
        add(left, "birth_date", "出生日期：", self.birth)
        for field, label in (
            ("ethnicity", "民族："),
            ("household", "户籍所在地："),
            ("joined_on", "入团年月："),
            ("joined_unit", "入团时所在单位："),
            ("member_no", "团员编号："),
        ):
            edit = QLineEdit()
            if field in DATE_FIELDS:
                edit.setPlaceholderText("如 2019-05")
            add(left, field, label, edit)
        self.branch = QComboBox()
        add(left, "branch", "所在团支部：", self.branch)
        self.how = QComboBox()
        for kind, label in records.ENTRY_KINDS.items():
            self.how.addItem(label, kind)
        add(left, "how", "登记方式：", self.how)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("组织关系转入时填写：从哪个团组织转来")
        add(left, "reason", "转出单位：", self.reason)

        self.political = QComboBox()
        for status in PoliticalStatus:
            self.political.addItem(status.label, status.value)
        add(right, "political_status", "政治面貌：", self.political)
        add(right, "party_joined_on", "入党年月：", QLineEdit())
        for field, label in (
            ("education_fulltime", "全日制学历："),
            ("education_highest", "最高学历："),
            ("occupation", "职业："),
        ):
            add(right, field, label, _editable_combo(field, CHOICE_FIELDS[field]))
        for field, label in (
            ("work_unit", "学习工作单位："),
            ("grade", "年级："),
            ("class_name", "班级："),
            ("mobile", "手机号码："),
            ("email", "电子邮箱："),
        ):
            add(right, field, label, QLineEdit())
        add(right, "league_post", "团内职务：", _editable_combo("league_post", LEAGUE_POSTS))
        for field, label in (
            ("post_since", "任职年月："),
            ("dues_tier", "交费档位："),
            ("awards", "奖励记录："),
            ("volunteer_since", "注册志愿者时间："),
        ):
            add(right, field, label, QLineEdit())

        self.errors.fallback = QLabel()
        self.errors.fallback.setStyleSheet(ERROR_STYLE)
        grid.addWidget(self.errors.fallback, 1, 0, 1, 2)
        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setWordWrap(True)
        grid.addWidget(self.warnings, 2, 0, 1, 2)

        self.id_number.textChanged.connect(self._id_changed)
        self.id_type.currentIndexChanged.connect(self._id_changed)
        self._id_changed()
        return page

    def _load_branches(self, branch_id: int | None) -> None:
        def fill(branches: list[tuple[int, str]]) -> None:
            for bid, name in branches:
                self.branch.addItem(name, bid)
            wanted = self.record.branch_id if self.record else branch_id
            if wanted is not None and self.branch.findData(wanted) >= 0:
                self.branch.setCurrentIndex(self.branch.findData(wanted))

        self.context.read(records.open_branches, on_done=fill)

    # the ID as you type

    def _id_changed(self) -> None:
        resident = self.id_type.currentData() == IdType.RESIDENT.value
        text = self.id_number.text()
        self.gender.setEnabled(not resident)
        self.birth.setEnabled(not resident)
        number = idcard.normalise(text)
        self.upgrade_button.setVisible(resident and len(number) == 15 and number.isdigit())
        label = self.errors._labels["id_number"]
        if not resident or not number:
            label.hide()
            return
        try:
            parsed = idcard.parse(text)
        except idcard.IdNumberError as error:
            if len(number) >= 15:
                label.setText(str(error))
                label.show()
            else:
                label.hide()
            return
        label.hide()
        self.gender.setCurrentText(parsed.gender)
        self.birth.setDate(
            QDate(parsed.birth_date.year, parsed.birth_date.month, parsed.birth_date.day)
        )

    def _upgrade_id(self) -> None:
        old = self.id_number.text()
        try:
            new = idcard.upgrade_legacy(old)
        except idcard.IdNumberError as error:
            QMessageBox.warning(self, "无法升级", str(error))
            return
        answer = QMessageBox.question(
            self, "升级身份证号", f"把 15 位旧号码 {old} 升级为 18 位：\n{new}\n确定吗？"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.id_number.setText(new)

    # reading and writing the form

    def _text(self, field: str) -> str:
        widget = self.inputs[field]
        return widget.currentText() if isinstance(widget, QComboBox) else widget.text()

    def draft(self) -> MemberDraft:
        """The form as a draft; unreadable dates become ValidationErrors on their field."""
        values: dict[str, Any] = {f: self._text(f) for f in (*TEXT_FIELDS, *CHOICE_FIELDS)}
        for field in DATE_FIELDS:
            try:
                values[field] = parse_date(self._text(field).strip() or None)
            except CellError as error:
                raise ValidationError(str(error), field) from None
        resident = self.id_type.currentData() == IdType.RESIDENT.value
        return MemberDraft(
            **values,
            id_type=IdType(self.id_type.currentData()),
            id_number=self.id_number.text(),
            gender="" if resident else self.gender.currentText(),
            birth_date=None if resident else self.birth.date().toPython(),
            political_status=PoliticalStatus(self.political.currentData()),
            status=self.record.draft.status if self.record else MemberStatus.ACTIVE,
            # kept until the month is filled in (the check then drops it)
            joined_year=self.record.draft.joined_year if self.record else None,
        )

    def _show_record(self, record: records.MemberRecord) -> None:
        self.record = record
        d = record.draft
        for field in (*TEXT_FIELDS, *CHOICE_FIELDS):
            widget = self.inputs[field]
            value = getattr(d, field) or ""
            if isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            else:
                widget.setText(value)
        for field in DATE_FIELDS:
            value = getattr(d, field)
            self.inputs[field].setText(value.strftime("%Y-%m") if value else "")
        if d.joined_year and d.joined_on is None:
            self.inputs["joined_on"].setPlaceholderText(
                f"据团员编号为 {d.joined_year} 年，请补录月份，如 {d.joined_year}-05"
            )
        self.id_type.setCurrentIndex(self.id_type.findData(d.id_type.value))
        self.id_number.setText(d.id_number)
        self.gender.setCurrentText(d.gender)
        if d.birth_date:
            self.birth.setDate(QDate(d.birth_date.year, d.birth_date.month, d.birth_date.day))
        self.political.setCurrentIndex(self.political.findData(d.political_status.value))
        if self.branch.findData(record.branch_id) >= 0:
            self.branch.setCurrentIndex(self.branch.findData(record.branch_id))
        self.branch.setEnabled(False)  # moving between branches is its own action
        self.how.setEnabled(False)
        self.reason.setEnabled(False)
        self.move_button.show()
        active = d.status is MemberStatus.ACTIVE
        self.leave_button.setVisible(active)
        self.discipline_button.setVisible(active)
        self.restore_button.setVisible(not active)
        self.status_line.setText(
            f"团籍状态：{d.status.label}"
            + (f"（{record.left_on:%Y-%m-%d}，{record.left_reason}）" if record.left_on else "")
        )
        rows = [
            [e.on.isoformat(), e.label, e.reason or "", _details(e.details), e.recorded_by]
            for e in record.events
        ]
        fill_table(self.history, rows)
        self._clean = self._snapshot()
        self._show_warnings()

    def _show_warnings(self) -> None:
        try:
            draft = self.draft()
        except ValidationError:
            return
        self.context.read(
            records.warnings_for,
            draft,
            on_done=self._warn,
        )

    def _warn(self, warnings: list[Problem]) -> None:
        self.warnings.setText("\n".join(f"提示：{w.text}" for w in warnings))

    def save(self) -> None:
        self.errors.clear()
        try:
            draft = self.draft()
        except ValidationError as error:
            self.errors.show(error)
            return
        if self.member_id is None:
            self.context.write(
                records.add_member,
                draft,
                self.branch.currentData(),
                on_done=self._saved,
                on_error=self._failed,
            )
        else:
            self.context.write(
                records.update_member,
                self.member_id,
                draft,
                on_done=self._saved,
                on_error=self._failed,
            )

    def _snapshot(self) -> tuple[str, ...]:
        """Everything typed or chosen, to tell whether closing would lose an edit."""
        texts = [self._text(f) for f in (*TEXT_FIELDS, *CHOICE_FIELDS, *DATE_FIELDS)]
        chosen = [
            self.id_type.currentText(),
            self.gender.currentText(),
            self.political.currentText(),
            self.reason.text(),
        ]
        return (*texts, *chosen, self.id_number.text(), self.birth.date().toString("yyyy-MM-dd"))

    def reject(self) -> None:
        if self._snapshot() != self._clean:
            answer = QMessageBox.question(
                self, "放弃修改？", "有未保存的修改，关闭后将丢失。确定关闭吗？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def _saved(self, _outcome: object) -> None:
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, records.MemberInvalid):
            for problem in error.problems:
                if not problem.warning:
                    self.errors.show(ValidationError(problem.message, problem.field))
            self._warn([p for p in error.problems if p.warning])
        elif isinstance(error, ValidationError):
            self.errors.show(error)
        else:
            self.context.worker.unhandled(error)

    # lifecycle

    def leave(self) -> None:
        if self.record is not None and LeaveDialog(self.context, self.record, self).exec():
            self.accept()

    def move(self) -> None:
        if self.record is None:
            return
        names = [self.branch.itemText(i) for i in range(self.branch.count())]
        target, ok = QInputDialog.getItem(self, "调整团支部", "调整到：", names, 0, False)
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "调整团支部", "调整原因（如：分班调整）：")
        if ok:
            branch_id = self.branch.itemData(names.index(target))
            self.context.write(
                records.move_member,
                self.record.id,
                branch_id,
                self.context.today(),
                reason,
                on_done=self._saved,
            )

    def discipline(self) -> None:
        if self.record is not None and DisciplineDialog(self.context, self.record, self).exec():
            self.context.read(records.member_record, self.record.id, on_done=self._show_record)

    def restore(self) -> None:
        if self.record is None:
            return
        reason, ok = QInputDialog.getText(self, "恢复团籍", "恢复原因（如：离团登记有误）：")
        if ok:
            self.context.write(records.restore, self.record.id, reason, on_done=self._saved)


def _details(details: dict[str, Any] | None) -> str:
    if not details:
        return ""
    parts = []
    for key, value in details.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(
                f"{FIELD_LABELS.get(key, key)}：{value[0] or '（空）'} → {value[1] or '（空）'}"
            )
        elif value:
            parts.append(f"{FIELD_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


class LeaveDialog(QDialog):
    """How and when the member leaves; confirmed before it is recorded."""

    def __init__(self, context: AppContext, record: records.MemberRecord, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.record = record
        self.setWindowTitle(f"办理离团：{record.draft.name}")
        form = QFormLayout(self)
        self.errors = FieldErrors()
        self.kind = QComboBox()
        self.kind.setObjectName("leave_kind")
        for status in MemberStatus:
            if status is not MemberStatus.ACTIVE:
                self.kind.addItem(status.label, status.value)
        form.addRow("离团方式：", self.kind)
        self.on = date_edit("on", context.today())
        self.errors.add_row(form, "日期：", self.on, "on")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.errors.add_row(form, "原因：", self.reason, "reason")
        self.decided_by = QLineEdit()
        self.decided_by.setObjectName("decided_by")
        self.decided_by.setPlaceholderText("如：2025年第2次支部大会（自行脱团、退团、开除须填写）")
        self.errors.add_row(form, "决定会议：", self.decided_by, "decided_by")
        self.errors.fallback = QLabel()
        self.errors.fallback.setStyleSheet(ERROR_STYLE)
        form.addRow(self.errors.fallback)
        form.addRow(confirm_buttons("确认办理", self.submit, self.reject))
        self._failed = self.errors.reporter(context.worker.unhandled)

    def submit(self) -> None:
        self.errors.clear()
        status = MemberStatus(self.kind.currentData())
        answer = QMessageBox.question(
            self,
            "确认",
            f"确定为“{self.record.draft.name}”办理“{status.label}”吗？\n"
            "团员记录和历史会保留；如有误可“恢复团籍”。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.context.write(
            records.leave,
            self.record.id,
            status,
            self.on.date().toPython(),
            self.reason.text(),
            self.decided_by.text(),
            on_done=lambda _: self.accept(),
            on_error=self._failed,
        )


LIFT = "解除处分"


class DisciplineDialog(QDialog):
    """A 团内处分 decided by a 支部大会, or its early end; kept on the member's history."""

    def __init__(self, context: AppContext, record: records.MemberRecord, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.record = record
        self.setWindowTitle(f"团内处分：{record.draft.name}")
        form = QFormLayout(self)
        self.errors = FieldErrors()
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.level.addItems([*discipline.LEVELS, LIFT])
        self.errors.add_row(form, "处分：", self.level, "level")
        self.on = date_edit("on", context.today())
        self.errors.add_row(form, "日期：", self.on, "on")
        self.until = date_edit("until", context.today(), not_after_today=False)
        self.until.setDate(self.on.date().addYears(1))
        self.errors.add_row(form, "察看期满：", self.until, "until")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.errors.add_row(form, "原因：", self.reason, "reason")
        self.decided_by = QLineEdit()
        self.decided_by.setObjectName("decided_by")
        self.decided_by.setPlaceholderText("如：2026年第3次支部大会")
        self.errors.add_row(form, "决定会议：", self.decided_by, "decided_by")
        self.errors.fallback = QLabel()
        self.errors.fallback.setStyleSheet(ERROR_STYLE)
        form.addRow(self.errors.fallback)
        form.addRow(confirm_buttons("记录", self.submit, self.reject))
        self.level.currentTextChanged.connect(self._level_changed)
        self._level_changed(self.level.currentText())
        self._failed = self.errors.reporter(context.worker.unhandled)
        fit(self, 460, 280)

    def _level_changed(self, level: str) -> None:
        self.until.setEnabled(level == discipline.PROBATION)
        self.decided_by.setEnabled(level != LIFT)

    def submit(self) -> None:
        self.errors.clear()
        level, on = self.level.currentText(), self.on.date().toPython()
        done = {"on_done": lambda _: self.accept(), "on_error": self._failed}
        member = self.record.id
        if level == LIFT:
            reason = self.reason.text()
            self.context.write(discipline.lift_discipline, member, on, reason, **done)
            return
        until = self.until.date().toPython() if level == discipline.PROBATION else None
        self.context.write(
            discipline.record_discipline,
            member,
            level,
            on,
            until,
            self.reason.text(),
            self.decided_by.text(),
            **done,
        )
