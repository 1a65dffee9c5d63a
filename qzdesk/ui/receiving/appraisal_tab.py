"""年终考评: a year's cadres with their 述职, 党政评价, 青年参评, score and result by the
profile's scheme; the form to record one cadre's, and the result list with each cadre's
考评表 as PDF."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.committee import appraisal
from qzdesk.services.committee.appraisal import Result
from qzdesk.services.context import Context
from qzdesk.ui.context import AppContext
from qzdesk.ui.document_export import preview_pdf_and_save
from qzdesk.ui.forms import date_edit, year_box
from qzdesk.ui.tables import fill_table, make_table
from qzdesk.ui.write_dialog import WriteDialog
from qzdesk.vocabulary import Grade


class AppraisalTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.results: list[Result] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        self.year = year_box("appraisal_year", context.today())
        self.year.valueChanged.connect(self.reload)
        top.addWidget(self.year)
        for text, slot, name in (
            ("登记考评…", self.record, "appraisal_record"),
            ("导出考评表…", self.export, "appraisal_export"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            top.addWidget(button)
        top.addStretch(1)
        layout.addLayout(top)
        self.note = QLabel()
        self.note.setObjectName("appraisal_note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = make_table(
            list(Result.HEADERS), "appraisals", [70, 150, 50, 80, 70, 220, 50, 70]
        )
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        self.context.read(appraisal.results, self.year.value(), on_done=self.show_data)

    def show_data(self, results: list[Result]) -> None:
        self.results = results
        done = sum(1 for r in results if r.result)
        self.note.setText(
            f"{self.year.value()} 年度团干部 {len(results)} 人，已完成考评 {done} 人。"
            "三项按规则配置的权重合成；未登记党政评价或青年参评的为“未完成”。"
        )
        fill_table(self.table, [r.cells() for r in results])

    def record(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.results):
            QMessageBox.information(self, "登记考评", "请先在表中选中一名团干部。")
            return
        if AppraisalDialog(self.context, self.results[row], self).exec():
            self.reload()

    def export(self) -> None:
        year = self.year.value()

        def make(ctx: Context) -> bytes:
            from qzdesk.export.pdf.appraisal import appraisal_pdf

            found = appraisal.results(ctx, year)
            return appraisal_pdf(
                ctx.overview.root.name, year, found, ctx.profile.committee, ctx.now
            )

        preview_pdf_and_save(self, self.context, make, f"{year}年度团干部年终考评.pdf")


class AppraisalDialog(WriteDialog):
    def __init__(self, context: AppContext, result: Result, parent: QWidget) -> None:
        super().__init__(context, f"{result.year} 年度考评：{result.name}", parent)
        self.result_ = result
        self.report_on = date_edit("appraisal_report_on", context.today())
        if result.report_on:
            self.report_on.setDate(result.report_on)
        self.reported = QComboBox()
        self.reported.setObjectName("appraisal_reported")
        self.reported.addItems(["已述职", "未述职"])
        self.reported.setCurrentIndex(0 if result.report_on or not result.parts else 1)
        self.report = QLineEdit(result.report)
        self.report.setObjectName("appraisal_report")
        self.party = QComboBox()
        self.party.setObjectName("appraisal_party")
        self.party.addItem("未填", None)
        for grade in Grade:
            self.party.addItem(grade.label, grade.value)
        if result.party_grade:
            self.party.setCurrentIndex(self.party.findData(result.party_grade.value))
        self.votes: dict[Grade, QSpinBox] = {}
        for label, widget in (
            ("团内述职：", self.reported),
            ("述职日期：", self.report_on),
            ("述职要点：", self.report),
            ("党政评价：", self.party),
        ):
            self.form.addRow(label, widget)
        for grade in Grade:
            box = QSpinBox()
            box.setObjectName(f"votes_{grade.value}")
            box.setRange(0, 10_000)
            box.setValue(result.votes.get(grade, 0))
            self.votes[grade] = box
            self.form.addRow(f"青年参评“{grade.label}”票：", box)
        self.finish()

    def submit(self) -> None:
        party = self.party.currentData()
        self.write(
            appraisal.record,
            self.result_.id_number,
            self.result_.name,
            self.result_.year,
            self.report_on.date().toPython() if self.reported.currentIndex() == 0 else None,
            self.report.text(),
            Grade(party) if party else None,
            {grade: box.value() for grade, box in self.votes.items()},
        )
