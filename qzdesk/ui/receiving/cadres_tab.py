"""团干部信息管理库: every cadre the archives received name as of the period's end, with the
committee's own fields, the structure the district analyses as charts, each watched
figure that fell against the period before with its explanation, and the forms to keep
a cadre's fields, a training and an explanation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.committee import cadres
from qzdesk.services.committee.cadres import Analysis, CadreRow, Fall
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import button_row, date_edit
from qzdesk.ui.receiving.charts import bar_view, pie_view, show_bars, show_pie
from qzdesk.ui.tables import fill_sortable, make_table
from qzdesk.ui.write_dialog import WriteDialog, month_edit, number_box
from qzdesk.vocabulary import CadreNature


class CadresTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.analysis: Analysis | None = None
        layout = QVBoxLayout(self)
        self.total = QLabel()
        self.total.setObjectName("cadres_total")
        self.total.setWordWrap(True)
        layout.addWidget(self.total)
        self.falls = QLabel()
        self.falls.setObjectName("cadres_falls")
        self.falls.setWordWrap(True)
        layout.addWidget(self.falls)
        layout.addLayout(
            button_row(
                (
                    ("团干部信息…", self.edit_file, "cadre_file"),
                    ("登记培训…", self.add_training, "cadre_training"),
                    ("说明下降…", self.explain, "cadre_explain"),
                )
            )
        )
        split = QSplitter(Qt.Orientation.Vertical)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        self.ages = bar_view("ages_chart", "年龄结构")
        self.genders = pie_view("genders_chart", "性别")
        self.natures = pie_view("natures_chart", "专兼挂")
        self.years = bar_view("years_chart", "任职年限")
        for index, view in enumerate((self.ages, self.genders, self.natures, self.years)):
            grid.addWidget(view, index // 2, index % 2)
        split.addWidget(charts)
        self.table = make_table(list(CadreRow.HEADERS), "cadres")
        self.table.setSortingEnabled(True)
        split.addWidget(self.table)
        layout.addWidget(split, 1)

    def show_data(self, found: Analysis) -> None:
        self.analysis = found
        watched = found.watched
        self.total.setText(
            f"共 {watched['total']} 人（书记 {watched['secretaries']} 人），平均年龄 "
            + ("未填" if found.average_age is None else f"{found.average_age} 岁")
            + (
                f"；{found.unmatched} 人不在其团支部名册上，年龄等为“未填”"
                if found.unmatched
                else ""
            )
            + (f"；无书记的团组织：{'、'.join(found.no_secretary)}" if found.no_secretary else "")
        )
        self.falls.setText(
            "较上期下降："
            + "；".join(
                f"{f.label} {f.before}→{f.now}（{f.explanation or '尚未说明：说明后才能签发台账'}）"
                for f in found.falls
            )
            if found.falls
            else ""
        )
        self.falls.setStyleSheet("color: #b3261e" if found.unexplained else "")
        self.falls.setVisible(bool(found.falls))
        show_bars(self.ages, list(found.ages))
        show_pie(self.genders, list(found.genders))
        show_pie(self.natures, list(found.natures))
        show_bars(self.years, list(found.years))
        # The rows in the analysis's order; the table keeps it (row → the analysis's row).
        self.table.setSortingEnabled(False)
        fill_sortable(self.table, [[str(v) for v in r.cells()] for r in found.rows])
        self.table.setSortingEnabled(False)

    def _chosen(self) -> CadreRow | None:
        row = self.table.currentRow()
        if self.analysis is None or not 0 <= row < len(self.analysis.rows):
            QMessageBox.information(self, "团干部", "请先在表中选中一名团干部。")
            return None
        chosen = self.analysis.rows[row]
        if not chosen.cadre.id_number:
            QMessageBox.information(
                self, "团干部", f"{chosen.cadre.name} 不在其团支部名册上，没有身份证号可对应。"
            )
            return None
        return chosen

    def edit_file(self) -> None:
        if (chosen := self._chosen()) is not None:
            CadreFileDialog(self.context, chosen, self).exec()

    def add_training(self) -> None:
        if (chosen := self._chosen()) is not None:
            TrainingDialog(self.context, chosen, self).exec()

    def explain(self) -> None:
        falls = self.analysis.falls if self.analysis else ()
        if not falls:
            QMessageBox.information(self, "说明下降", "本期没有较上期下降的指标。")
            return
        assert self.analysis is not None
        ExplainDialog(self.context, self.analysis, list(falls), self).exec()


class CadreFileDialog(WriteDialog):
    def __init__(self, context: AppContext, chosen: CadreRow, parent: QWidget) -> None:
        super().__init__(context, f"团干部信息：{chosen.cadre.name}", parent)
        self.chosen = chosen
        self.nature = QComboBox()
        self.nature.setObjectName("cadre_nature")
        self.nature.addItem("未填", None)
        for nature in CadreNature:
            self.nature.addItem(nature.label, nature.value)
        if chosen.nature:
            self.nature.setCurrentIndex(self.nature.findData(chosen.nature.value))
        self.since = month_edit(chosen.in_post_since or chosen.cadre.elected_on)
        self.party = QCheckBox("是同级党组织成员")
        self.party.setObjectName("cadre_party")
        self.party.setChecked(bool(chosen.party_committee))
        self.establishment = QLineEdit(chosen.establishment or "")
        self.establishment.setPlaceholderText("行政、事业、企业、村（社区）干部或无")
        self.phone = QLineEdit()
        self.history = QLabel("正在读取任职经历…")
        self.history.setObjectName("cadre_history")
        self.history.setWordWrap(True)
        context.read(cadres.posts_held, chosen.cadre.id_number or "", on_done=self._show_posts)
        for label, widget in (
            ("职务：", QLabel(f"{chosen.cadre.org_name} {chosen.cadre.post}")),
            ("性质：", self.nature),
            ("任现职年月：", self.since),
            ("", self.party),
            ("编制：", self.establishment),
            ("联系电话：", self.phone),
            ("任职经历：", self.history),
        ):
            self.form.addRow(label, widget)
        self.finish("保存")

    def _show_posts(self, posts: list[tuple[str, str, str, str]]) -> None:
        self.history.setText(
            "；".join(
                f"{period} {org}{'' if branch == org else '／' + branch} {post}"
                for period, org, branch, post in posts
            )
            or "收到的台账中没有记载"
        )

    def submit(self) -> None:
        nature = self.nature.currentData()
        self.write(
            cadres.set_file,
            self.chosen.cadre.id_number or "",
            self.chosen.cadre.name,
            CadreNature(nature) if nature else None,
            self.since.date().toPython(),
            self.party.isChecked(),
            self.establishment.text(),
            self.phone.text(),
        )


class TrainingDialog(WriteDialog):
    def __init__(self, context: AppContext, chosen: CadreRow, parent: QWidget) -> None:
        super().__init__(context, f"登记培训：{chosen.cadre.name}", parent)
        self.chosen = chosen
        self.on = date_edit("training_on", context.today())
        self.training = QLineEdit()
        self.training.setObjectName("training_name")
        self.training.setPlaceholderText("如：青马工程基层团干部培训班")
        self.hours = number_box("training_hours", 1000, " 学时")
        self.form.addRow("日期：", self.on)
        self.form.addRow("培训名称：", self.training)
        self.form.addRow("学时：", self.hours)
        self.finish()

    def submit(self) -> None:
        self.write(
            cadres.add_training,
            self.chosen.cadre.id_number or "",
            self.chosen.cadre.name,
            self.on.date().toPython(),
            self.training.text(),
            self.hours.value() or None,
        )


class ExplainDialog(WriteDialog):
    def __init__(
        self, context: AppContext, found: Analysis, falls: list[Fall], parent: QWidget
    ) -> None:
        super().__init__(context, "说明下降的原因", parent)
        self.period = found.period
        self.figure = QComboBox()
        self.figure.setObjectName("fall_figure")
        for fall in falls:
            self.figure.addItem(f"{fall.label}：{fall.before}→{fall.now}", fall.figure)
        self.text = QLineEdit()
        self.text.setObjectName("fall_text")
        self.text.setPlaceholderText("如：两名书记超龄离团，新书记将于下月选举产生")
        self.form.addRow("指标：", self.figure)
        self.form.addRow("原因：", self.text)
        self.finish("保存说明")

    def submit(self) -> None:
        self.write(cadres.explain_fall, self.period, self.figure.currentData(), self.text.text())
