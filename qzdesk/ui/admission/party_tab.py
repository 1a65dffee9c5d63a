"""推优入党 in the window: who may be recommended and why others may not, each
recommendation's progress, and the next step recorded through its gate; the 推荐表
printed from what was recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.context import Context
from qzdesk.services.meetings import minutes
from qzdesk.services.party import recommend
from qzdesk.services.party.steps import PartyAnswer, PartyStep
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ask_date, confirm_buttons, date_edit, error_label, message_reporter
from qzdesk.ui.tables import fill_table, make_table


def _load(ctx: Context) -> tuple[list[recommend.Eligibility], list[recommend.RecommendationView]]:
    return recommend.eligibility(ctx), recommend.recommendations(ctx)


class PartyTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.people: list[recommend.Eligibility] = []
        self.rows: list[recommend.RecommendationView] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("推荐记录："))
        self.table = make_table(["团员", "团支部", "年度", "进展", "有效期至"], "party_table")
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("在册团员的推优资格（按规则配置逐项核对）："))
        self.eligible = make_table(["团员", "团支部", "资格"], "party_eligible")
        layout.addWidget(self.eligible, 1)
        row = QHBoxLayout()
        for name, title, slot in (
            ("party_apply", "登记入党申请日期…", self.apply),
            ("party_propose", "提出推荐…", self.propose),
            ("party_step", "登记下一步…", self.next_step),
            ("party_form", "导出推荐表…", self.export_form),
        ):
            button = QPushButton(title)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.message = QLabel()
        self.message.setObjectName("party_message")
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        self._failed = message_reporter(self.message, context.worker.unhandled)

    def refresh(self) -> None:
        self.context.read(_load, on_done=self._show, on_error=self._failed)

    def _show(self, loaded: tuple[list[Any], list[Any]]) -> None:
        self.people, self.rows = loaded
        fill_table(
            self.table,
            [
                [
                    r.name,
                    r.branch,
                    str(r.year),
                    r.state,
                    f"{r.valid_until:%Y-%m-%d}" if r.valid_until else "",
                ]
                for r in self.rows
            ],
        )
        fill_table(
            self.eligible,
            [
                [e.name, e.branch, "可以推荐" if e.eligible else "；".join(e.reasons)]
                for e in self.people
            ],
            [e.eligible for e in self.people],
            ["\n".join(e.reasons) for e in self.people],  # the whole list, when elided
        )

    def _person(self) -> recommend.Eligibility | None:
        row = self.eligible.currentRow()
        if 0 <= row < len(self.people):
            return self.people[row]
        self._say("请先在资格表中选中一名团员。")
        return None

    def _recommendation(self) -> recommend.RecommendationView | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        self._say("请先在推荐记录中选中一条。")
        return None

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _write(self, op: Any, *args: Any, done: str) -> None:
        self.context.write(
            op,
            *args,
            on_done=lambda _outcome: (self._say(done), self.refresh()),
            on_error=self._failed,
        )

    def apply(self) -> None:
        if (person := self._person()) is None:
            return
        today = self.context.today()
        earliest = today.replace(year=today.year - 15)
        label = f"{person.name}递交入党申请书的日期："
        on = ask_date(self, "入党申请", label, earliest, today, today)
        if on is None:
            return
        self._write(recommend.record_application, person.member_id, on, done="已登记入党申请日期。")

    def propose(self) -> None:
        if (person := self._person()) is None:
            return
        today = self.context.today()
        earliest = today.replace(year=today.year - 1, month=1, day=1)
        on = ask_date(self, "提出推荐", "支委会提出推荐人选的日期：", earliest, today, today)
        if on is not None:
            self._write(
                recommend.propose, person.member_id, on, done=f"已提出推荐：{person.name}。"
            )

    def next_step(self) -> None:
        if (view := self._recommendation()) is None:
            return
        dialog = PartyStepDialog(self.context, view, self)
        if dialog.exec():
            self._say(f"已登记：{dialog.step.label}。")
            self.refresh()

    def export_form(self) -> None:
        from qzdesk.export.pdf.party_form import recommendation_pdf
        from qzdesk.services.files import write_atomically

        if (view := self._recommendation()) is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出推荐表", str(Path.home() / f"推荐表-{view.name}.pdf"), "PDF 文件 (*.pdf)"
        )
        if not path:
            return
        target = Path(path)

        def write(ctx: Context) -> Path:
            write_atomically(target, recommendation_pdf(recommend.form(ctx, view.id)))
            return target

        self.context.read(
            write,
            on_done=lambda done: self._say(f"推荐表（一式三份）已保存：{done}"),
            on_error=self._failed,
        )


class PartyStepDialog(QDialog):
    """The recommendation's next step (or the Party's answer, or an end), with the fields
    that step needs; the gate is the service's, its refusal shown here."""

    def __init__(
        self, context: AppContext, view: recommend.RecommendationView, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.context, self.view = context, view
        self.setWindowTitle(f"推优入党：{view.name}")
        form = QFormLayout(self)
        self.choice = QComboBox()
        self.choice.setObjectName("party_step_choice")
        for step in (view.next_step, PartyStep.ANSWER, PartyStep.WITHDRAWN):
            if step is not None and self.choice.findData(step.value) < 0:
                self.choice.addItem(step.label, step.value)
        form.addRow("步骤：", self.choice)
        self.on = date_edit("party_step_on", context.today())
        form.addRow("日期：", self.on)
        self.counts: dict[str, QSpinBox] = {}
        for key, label in (
            ("expected", "应到"),
            ("present", "实到"),
            ("for", "赞成"),
            ("against", "反对"),
            ("abstain", "弃权"),
        ):
            box = QSpinBox()
            box.setObjectName(f"party_{key}")
            box.setRange(0, 10_000)
            self.counts[key] = box
            form.addRow(f"{label}（人）：", box)
        self.minutes = QComboBox()
        self.minutes.setObjectName("party_minutes")
        self.minutes.addItem("（不写入会议记录）", None)
        form.addRow("写入会议记录：", self.minutes)
        context.read(minutes.assemblies, view.branch_id, True, on_done=self._minutes)
        self.answer = QComboBox()
        self.answer.setObjectName("party_answer")
        for answer in PartyAnswer:
            self.answer.addItem(answer.label, answer.value)
        form.addRow("党组织反馈：", self.answer)
        self.text = QLineEdit()
        self.text.setObjectName("party_text")
        self.text.setPlaceholderText("终止的原因；公示期间反映的问题；或其核实结果")
        form.addRow("说明：", self.text)
        self.error = error_label()
        form.addRow(self.error)
        form.addRow(confirm_buttons("登记", self.submit, self.reject))
        self.choice.currentIndexChanged.connect(self._fields)
        self._fields()

    @property
    def step(self) -> PartyStep:
        return PartyStep(self.choice.currentData())

    def _minutes(self, drafts: list[tuple[int, date, str]]) -> None:
        for meeting_id, held_on, topic in drafts:
            self.minutes.addItem(f"{held_on:%Y-%m-%d} {topic}（草稿）", meeting_id)

    def _fields(self) -> None:
        for box in self.counts.values():
            box.setEnabled(self.step is PartyStep.VOTE)
        self.minutes.setEnabled(self.step is PartyStep.VOTE)
        self.answer.setEnabled(self.step is PartyStep.ANSWER)

    def submit(self) -> None:
        step = self.step
        details: dict[str, Any] = {}
        if step is PartyStep.VOTE:
            details = {key: box.value() for key, box in self.counts.items()}
            if self.minutes.currentData() is not None:
                details["meeting_id"] = self.minutes.currentData()
        elif step is PartyStep.ANSWER:
            details = {"answer": self.answer.currentData()}
        elif step is PartyStep.WITHDRAWN:
            details = {"reason": self.text.text()}
        elif step is PartyStep.PUBLICITY:
            details = {"objections": self.text.text()}
        elif step is PartyStep.APPROVED and self.text.text().strip():
            details = {"objections_resolved": self.text.text()}
        self.error.clear()
        self.context.write(
            recommend.record_step,
            self.view.id,
            step,
            self.on.date().toPython(),
            details,
            on_done=lambda _outcome: self.accept(),
            on_error=lambda error: self.error.setText(str(error)),
        )
