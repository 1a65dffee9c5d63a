"""记积分: one entry of the points ledger, waiting for the leadership group's review."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission import applicants, ledger
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import FieldErrors, combo, confirm_buttons, date_edit, pick_evidence

MODES = {"state": "是否项", "degree": "程度项", "count": "计次项"}


class PointsDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        profile: RuleProfile,
        applicant_id: int,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.profile = profile
        self.applicant_id = applicant_id
        self.setWindowTitle(f"记积分：{name}")
        self.errors = FieldErrors()
        form = QFormLayout()
        scheme = profile.points.scheme
        items = [
            (f"{c.name} / {i.name}（{MODES[i.mode]}，{i.value:g} 分）", i.key)
            for c in scheme.categories
            for i in c.items
        ]
        self.item = combo("points_item", items)
        self.errors.add_row(form, "项目", self.item, "item")
        degrees = profile.points.degree_percentages.value
        self.grade = combo(
            "points_grade", [(f"{g} 档（{p}%）", g) for g, p in zip("ABCD", degrees, strict=True)]
        )
        self.errors.add_row(form, "档次", self.grade, "grade")
        self.times = QSpinBox()
        self.times.setObjectName("points_times")
        self.times.setRange(1, 100)
        self.errors.add_row(form, "次数", self.times, "times")
        self.on = date_edit("points_on", context.today())
        self.errors.add_row(form, "日期", self.on, "occurred_on")
        self.note = QLineEdit()
        self.note.setObjectName("points_note")
        self.note.setPlaceholderText("事由，如：参加社区志愿服务 4 小时")
        self.errors.add_row(form, "说明", self.note, "note")
        self.evidence: list[str] = []
        self.evidence_names: list[str] = []
        self.evidence_label = QLabel("（无）")
        attach = QPushButton("添加证明材料…")
        attach.clicked.connect(self.add_evidence)
        form.addRow("证明材料", self.evidence_label)
        self.errors.add_row(form, "", attach, "evidence")
        self.preview = QLabel()
        self.preview.setObjectName("points_preview")
        form.addRow("分值", self.preview)
        self.errors.make_fallback()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("记入后为“待审核”，经积分入团领导小组审核通过后才计分。"))
        layout.addWidget(self.errors.fallback)
        layout.addWidget(confirm_buttons("记入", self.submit, self.reject))
        self._failed = self.errors.reporter(context.worker.unhandled)
        self.posted: ledger.EntryRow | None = None
        for widget in (self.item, self.grade):
            widget.currentIndexChanged.connect(self._update)
        self.times.valueChanged.connect(self._update)
        self._update()

    def _mode(self) -> str:
        found = self.profile.points.scheme.item(self.item.currentData())
        return found[1].mode if found else "count"

    def _update(self) -> None:
        mode = self._mode()
        self.grade.setEnabled(mode == "degree")
        self.times.setEnabled(mode == "count")
        if mode != "count":
            self.times.setValue(1)
        points10 = ledger.item_points10(
            self.profile.points.scheme,
            self.profile.points.degree_percentages.value,
            self.item.currentData(),
            self.grade.currentData() if mode == "degree" else None,
            self.times.value(),
        )
        self.preview.setText(f"{ledger.points_text(points10)} 分")

    def add_evidence(self) -> None:
        path = pick_evidence(self)
        if path:
            self.context.write(
                applicants.add_evidence,
                path,
                on_done=self._attached,
                on_error=self._failed,
            )

    def _attached(self, outcome: Any) -> None:
        row = outcome.value
        if row.sha256 not in self.evidence:
            self.evidence.append(row.sha256)
            self.evidence_names.append(row.file_name)
        self.evidence_label.setText("、".join(self.evidence_names))

    def submit(self) -> None:
        self.errors.clear()
        mode = self._mode()
        self.context.write(
            ledger.post_entry,
            self.applicant_id,
            self.item.currentData(),
            self.on.date().toPython(),
            self.grade.currentData() if mode == "degree" else None,
            self.times.value(),
            self.note.text(),
            list(self.evidence),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, outcome: Any) -> None:
        self.posted = outcome.value
        self.accept()
