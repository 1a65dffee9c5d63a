"""办理下一步: one step of an applicant's way in, with what blocks it shown as you fill it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services import attachments
from qzdesk.services.admission import applicants
from qzdesk.services.admission.applicants import ApplicantFile
from qzdesk.services.admission.stages import ALLOWED, Step
from qzdesk.services.meetings import minutes
from qzdesk.services.members import records
from qzdesk.ui.admission.findings import findings_html, findings_label
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import FieldErrors, combo, confirm_buttons, date_edit, pick_evidence
from qzdesk.ui.screen import fit

# Steps that decide an applicant's course: each asks before it enters the file for good.
DECISIVE = {
    Step.VOTE: "支部大会的表决结果将据此判定是否通过。",
    Step.APPROVAL: "批准后即成为团员，进入团员名册。",
    Step.WITHDRAWN: "终止发展后不再办理其后的步骤。",
}

# The one text field of the simple steps: (label, details key, placeholder).
TEXT_STEPS = {
    Step.TALK: ("谈话人及要点", "by", "谁谈的话，谈了什么"),
    Step.ACTIVIST: ("支委会会议", "meeting", "如：3月20日支委会讨论通过"),
    Step.OBSERVATION_REPORT: ("书面考察意见", "summary", "培养联系人的考察意见"),
    Step.CANDIDATE: ("支委会会议", "meeting", "如：6月20日支委会讨论通过"),
    Step.PRE_REVIEW: ("预审意见", "opinion", "上级团委预审意见；入团志愿书已填写"),
    Step.OATH: ("地点", "place", "入团仪式地点"),
    Step.WITHDRAWN: ("原因", "reason", "终止发展的原因"),
}
VOTE_FIELDS = (
    ("expected", "应到"),
    ("present", "实到"),
    ("for", "赞成"),
    ("against", "反对"),
    ("abstain", "弃权"),
)


class StepDialog(QDialog):
    def __init__(
        self, context: AppContext, file: ApplicantFile, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.file = file
        self.setWindowTitle(f"办理：{file.row.name}（{file.row.stage.label}）")
        fit(self, 560, 420)
        self.errors = FieldErrors()
        self.evidence: list[str] = []
        form = QFormLayout()
        open_gates = [g for g in file.gates if g[2] is None]
        # Once every standard is confirmed, 确认入团标准 is no longer a step to offer.
        steps = [s for s in ALLOWED[file.row.stage] if s is not Step.GATE or open_gates]
        self.step = combo("step_kind", [(s.label, s.value) for s in steps])
        form.addRow("步骤", self.step)
        self.on = date_edit("step_on", context.today())
        self.errors.add_row(form, "日期", self.on, "on")

        self.pages = QStackedWidget()
        self.text = QLineEdit()
        self.text.setObjectName("step_text")
        self.text_label = QLabel()
        text_page = QWidget()
        text_form = QFormLayout(text_page)
        text_form.addRow(self.text_label, self.text)
        # 确定入团积极分子 is reported to the 基层团（工）委, whose consent is recorded too.
        self.approval = QLineEdit()
        self.approval.setObjectName("step_approval")
        self.approval.setPlaceholderText("如：3月25日校团委同意（可先办理，收到后补登）")
        self.approval_label = QLabel("上级团委同意")
        text_form.addRow(self.approval_label, self.approval)
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("step_hours")
        self.hours.setRange(0.5, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(2)
        self.topic = QLineEdit()
        self.topic.setObjectName("step_topic")
        training = QWidget()
        training_form = QFormLayout(training)
        training_form.addRow("学时", self.hours)
        training_form.addRow("培训内容", self.topic)
        self.member = combo("step_member", [])
        self.party_member = QLineEdit()
        self.party_member.setObjectName("step_party_member")
        self.party_member.setPlaceholderText("培养联系人是党员、不在团员名册中时填写姓名")
        person = QWidget()
        self.person_form = QFormLayout(person)
        self.person_form.addRow("团员", self.member)
        self.person_form.addRow("或党员", self.party_member)
        self.gate = combo("step_gate", [])
        self.confirmed_by = QLineEdit()
        self.confirmed_by.setObjectName("step_confirmed_by")
        gate = QWidget()
        gate_form = QFormLayout(gate)
        gate_form.addRow("标准", self.gate)
        gate_form.addRow("确认人", self.confirmed_by)
        self.votes: dict[str, QSpinBox] = {}
        vote = QWidget()
        vote_form = QFormLayout(vote)
        for key, label in VOTE_FIELDS:
            spin = QSpinBox()
            spin.setObjectName(f"vote_{key}")
            spin.setRange(0, 2000)
            self.votes[key] = spin
            vote_form.addRow(label, spin)
        self.objections = QLineEdit()
        self.objections.setObjectName("vote_objections")
        vote_form.addRow("异议及理由", self.objections)
        self.minutes = combo("vote_minutes", [("（不写入会议记录）", None)])
        vote_form.addRow("写入支部大会记录", self.minutes)
        self.member_no = QLineEdit()
        self.member_no.setObjectName("step_member_no")
        self.member_no.setPlaceholderText("留空则从本年度号段自动取号")
        approval = QWidget()
        QFormLayout(approval).addRow("团员编号", self.member_no)
        self._page_of = {}
        for widget, kinds in (
            (text_page, list(TEXT_STEPS)),
            (training, [Step.TRAINING]),
            (person, [Step.MENTOR, Step.SPONSOR]),
            (gate, [Step.GATE]),
            (vote, [Step.VOTE]),
            (approval, [Step.APPROVAL]),
        ):
            index = self.pages.addWidget(widget)
            self._page_of.update(dict.fromkeys(kinds, index))
        form.addRow(self.pages)

        evidence_row = QHBoxLayout()
        self.evidence_list = QListWidget()
        self.evidence_list.setObjectName("step_evidence")
        self.evidence_list.setMaximumHeight(60)
        add_file = QPushButton("添加证明材料…")
        add_file.clicked.connect(self.add_evidence)
        evidence_row.addWidget(self.evidence_list, 1)
        evidence_row.addWidget(add_file)
        self.errors.add_row(form, "证明材料", _wrap(evidence_row), "evidence")

        self.findings = findings_label("step_findings")
        self.errors.make_fallback()
        self.buttons = confirm_buttons("确认办理", self.submit, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("检查结果："))
        layout.addWidget(self.findings)
        layout.addWidget(self.errors.fallback)
        layout.addWidget(self.buttons)
        self._failed = self.errors.reporter(context.worker.unhandled)
        self.recorded: list[Any] | None = None

        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(150)
        self._recheck.timeout.connect(self.check)
        self.step.currentIndexChanged.connect(self._step_changed)
        self.on.dateChanged.connect(lambda *_: self._recheck.start())
        self.member.currentIndexChanged.connect(lambda *_: self._recheck.start())
        self.party_member.textChanged.connect(lambda *_: self._recheck.start())
        self.gate.currentIndexChanged.connect(lambda *_: self._recheck.start())
        self.hours.valueChanged.connect(lambda *_: self._recheck.start())
        self.approval.textChanged.connect(lambda *_: self._recheck.start())
        for spin in self.votes.values():
            spin.valueChanged.connect(lambda *_: self._recheck.start())
        context.read(records.roster, on_done=self._members)
        context.read(minutes.assemblies, file.row.branch_id, True, on_done=self._minutes)
        self._fill_gates()
        self._step_changed()

    def _members(self, rows: list[records.MemberRow]) -> None:
        for row in rows:
            if row.status.value == "active":
                self.member.addItem(f"{row.name}（{row.branch_name}）", row.id)
        self._recheck.start()

    def _minutes(self, drafts: list[tuple[int, date, str]]) -> None:
        for meeting_id, held_on, topic in drafts:
            self.minutes.addItem(f"{held_on:%Y-%m-%d} {topic}（草稿）", meeting_id)

    def _fill_gates(self) -> None:
        for group, gate, confirmed in self.file.gates:
            if confirmed is None:
                self.gate.addItem(f"{group}：{gate}", gate)

    def current_step(self) -> Step:
        return Step(self.step.currentData())

    def _step_changed(self) -> None:
        step = self.current_step()
        self.pages.setCurrentIndex(self._page_of[step])
        if step in TEXT_STEPS:
            label, _, hint = TEXT_STEPS[step]
            self.text_label.setText(label)
            self.text.setPlaceholderText(hint)
        for widget in (self.approval, self.approval_label):
            widget.setVisible(step is Step.ACTIVIST)
        self.person_form.setRowVisible(self.party_member, step is Step.MENTOR)  # sponsors: members
        self._recheck.start()

    def details(self) -> dict[str, Any]:
        step = self.current_step()
        if step is Step.ACTIVIST:
            return {
                "meeting": self.text.text().strip(),
                "approved_by": self.approval.text().strip(),
            }
        if step in TEXT_STEPS:
            return {TEXT_STEPS[step][1]: self.text.text().strip()}
        if step is Step.TRAINING:
            return {"hours": self.hours.value(), "topic": self.topic.text().strip()}
        if step is Step.MENTOR and self.party_member.text().strip():
            return {"party_member": self.party_member.text().strip()}
        if step in (Step.MENTOR, Step.SPONSOR):
            return {"member_id": self.member.currentData()}
        if step is Step.GATE:
            return {
                "gate": self.gate.currentData(),
                "confirmed_by": self.confirmed_by.text().strip(),
            }
        if step is Step.VOTE:
            values: dict[str, Any] = {k: s.value() for k, s in self.votes.items()}
            if self.minutes.currentData() is not None:
                values["meeting_id"] = self.minutes.currentData()
            return {**values, "objections": self.objections.text().strip()}
        if step is Step.APPROVAL:
            return {"member_no": self.member_no.text().strip()}
        return {}

    def day(self) -> date:
        return self.on.date().toPython()

    def check(self) -> None:
        details = self.details()
        if details.get("member_id", 0) is None:
            self.findings.setText(findings_html([], "请选择团员。"))
            return
        self.context.read(
            applicants.check_step,
            self.file.row.id,
            self.current_step(),
            self.day(),
            details,
            on_done=self._show_findings,
        )

    def _show_findings(self, findings: list[Any]) -> None:
        self.last_findings = findings
        self.findings.setText(findings_html(findings))
        blocked = any(f.blocking for f in findings)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not blocked)

    def add_evidence(self) -> None:
        path = pick_evidence(self)
        if path:
            self.attach(path)

    def attach(self, path: Path) -> None:
        self.errors.clear()
        self.context.write(
            applicants.add_evidence,
            path,
            on_done=lambda outcome: self._attached(outcome.value),
            on_error=self._failed,
        )

    def _attached(self, row: attachments.AttachmentRow) -> None:
        if row.sha256 not in self.evidence:
            self.evidence.append(row.sha256)
            self.evidence_list.addItem(f"{row.file_name}（{row.size // 1024} KB）")

    def submit(self) -> None:
        step = self.current_step()
        if step in DECISIVE and not self._confirmed(step):
            return
        self.errors.clear()
        self.context.write(
            applicants.record_step,
            self.file.row.id,
            self.current_step(),
            self.day(),
            self.details(),
            list(self.evidence),
            on_done=self._done,
            on_error=self._failed,
        )

    def _confirmed(self, step: Step) -> bool:
        """A decision that enters the file for good asks first, saying so."""
        answer = QMessageBox.question(
            self,
            step.label,
            f"为 {self.file.row.name} 办理“{step.label}”（{self.day():%Y-%m-%d}）：{DECISIVE[step]}"
            "\n办理后记入发展档案，不能修改或删除。确定办理吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, outcome: Any) -> None:
        self.recorded = outcome.value
        self.accept()


def _wrap(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
