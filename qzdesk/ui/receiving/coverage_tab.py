"""组织覆盖: the committee's register as of the period's end, the coverage figures against
the targets, and the forms to list units (a township's villages pasted a name a line),
record a change (set up, reorganised, dissolved, gone) and a 四有 check."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.committee import register
from qzdesk.services.committee.coverage import Coverage, UnitLine
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import button_row, date_edit
from qzdesk.ui.tables import fill_table, make_table
from qzdesk.ui.write_dialog import WriteDialog
from qzdesk.vocabulary import FourHas, OrgForm, Sector, UnitChange


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class CoverageTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.coverage: Coverage | None = None
        layout = QVBoxLayout(self)
        self.figures = QLabel("名录中还没有单位：先把本辖区的村（社区）、学校、三新单位列进来。")
        self.figures.setObjectName("coverage_figures")
        self.figures.setWordWrap(True)
        layout.addWidget(self.figures)
        layout.addLayout(
            button_row(
                (
                    ("列入名录…", self.add_units, "units_add"),
                    ("登记变动…", self.record_change, "unit_change"),
                    ("四有检查…", self.check, "unit_check"),
                )
            )
        )
        self.table = make_table(
            list(UnitLine.HEADERS), "units", [110, 80, 130, 50, 150, 70, 50, 60, 200]
        )
        layout.addWidget(self.table, 1)

    def show_data(self, cov: Coverage) -> None:
        self.coverage = cov
        if not cov.lines:
            fill_table(self.table, [])
            return
        missing = (
            f"；尚未建团的村：{'、'.join(cov.villages_without)}" if cov.villages_without else ""
        )
        hollow = (
            f"；空心团支部（少于 {cov.hollow_below} 人）："
            + "、".join(f"{n}（{m} 人）" for n, m in cov.hollow)
            if cov.hollow
            else ""
        )
        self.figures.setText(
            f"{cov.period.label}末：村级团组织 {cov.villages_with_org}/{cov.villages}"
            f"（{_rate(cov.village_rate)}，目标 {cov.village_target:.0%}）；三新领域团组织 "
            f"{cov.new_fields_year_before} → {cov.new_fields_now}（年增幅 {_rate(cov.growth)}，"
            f"目标 {cov.growth_target:.0%}）；本期新建 {len(cov.set_up)} 个、撤销 "
            f"{len(cov.dissolved)} 个{missing}{hollow}。"
        )
        fill_table(
            self.table,
            [x.cells() for x in cov.lines],
            highlighted=[not x.state.has_org for x in cov.lines],
        )

    def _chosen(self) -> UnitLine | None:
        row = self.table.currentRow()
        if self.coverage is None or not 0 <= row < len(self.coverage.lines):
            QMessageBox.information(self, "名录", "请先在表中选中一个单位。")
            return None
        return self.coverage.lines[row]

    def add_units(self) -> None:
        AddUnitsDialog(self.context, self).exec()

    def record_change(self) -> None:
        if (chosen := self._chosen()) is not None:
            ChangeDialog(self.context, chosen, self).exec()

    def check(self) -> None:
        if (chosen := self._chosen()) is not None:
            if not chosen.state.has_org:
                QMessageBox.information(self, "四有检查", f"{chosen.state.name} 还没有团组织。")
                return
            FourHasDialog(self.context, chosen, self).exec()


class AddUnitsDialog(WriteDialog):
    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(context, "列入名录", parent)
        self.names = QPlainTextEdit()
        self.names.setObjectName("unit_names")
        self.names.setPlaceholderText("每行一个单位名称，如本镇的行政村名单")
        self.sector = QComboBox()
        self.sector.setObjectName("unit_sector")
        for sector in Sector:
            self.sector.addItem(sector.label, sector.value)
        self.sector.setCurrentIndex(self.sector.findData(Sector.VILLAGE.value))
        self.township = QLineEdit()
        self.township.setObjectName("unit_township")
        self.on = date_edit("unit_listed_on", context.today())
        self.youth = QSpinBox()
        self.youth.setObjectName("unit_youth")
        self.youth.setRange(-1, 100_000)  # -1: 未填 (0 is a count)
        self.youth.setSpecialValueText("未填")
        self.youth.setValue(-1)
        self.members = QSpinBox()
        self.members.setObjectName("unit_members")
        self.members.setRange(-1, 100_000)
        self.members.setSpecialValueText("未填（有台账时按台账）")
        self.members.setValue(-1)
        for label, widget in (
            ("名称：", self.names),
            ("领域：", self.sector),
            ("乡镇（街道）：", self.township),
            ("列入日期：", self.on),
            ("青年人数：", self.youth),
            ("团员人数：", self.members),
        ):
            self.form.addRow(label, widget)
        self.finish("列入")

    def submit(self) -> None:
        self.write(
            register.add_units,
            self.names.toPlainText().splitlines(),
            Sector(self.sector.currentData()),
            self.on.date().toPython(),
            self.township.text(),
            _count(self.youth),
            _count(self.members),
        )


def _count(box: QSpinBox) -> int | None:
    return None if box.value() < 0 else box.value()


class ChangeDialog(WriteDialog):
    def __init__(self, context: AppContext, chosen: UnitLine, parent: QWidget) -> None:
        super().__init__(context, f"登记变动：{chosen.state.name}", parent)
        self.unit = chosen.state
        self.change = QComboBox()
        self.change.setObjectName("unit_change_kind")
        for change in UnitChange:
            if change is not UnitChange.LISTED:
                self.change.addItem(change.label, change.value)
        if self.unit.has_org:
            self.change.setCurrentIndex(self.change.findData(UnitChange.REORGANISED.value))
        self.on = date_edit("unit_change_on", context.today())
        self.form_kind = QComboBox()
        self.form_kind.setObjectName("unit_form")
        for form in OrgForm:
            self.form_kind.addItem(form.label, form.value)
        self.org = QLineEdit(self.unit.org_name or f"{self.unit.name}团支部")
        self.org.setObjectName("unit_org")
        self.org.setToolTip("与该团组织报送的台账上的名称一致，才能读到其团员数和书记")
        self.note = QLineEdit()
        self.note.setObjectName("unit_note")
        self.note.setPlaceholderText("撤销或撤并时写明原因")
        for label, widget in (
            ("变动：", self.change),
            ("日期：", self.on),
            ("组建方式：", self.form_kind),
            ("团组织名称：", self.org),
            ("说明：", self.note),
        ):
            self.form.addRow(label, widget)
        self.finish()

    def submit(self) -> None:
        change = UnitChange(self.change.currentData())
        organising = change in (UnitChange.SET_UP, UnitChange.REORGANISED)
        self.write(
            register.record_change,
            self.unit.id,
            change,
            self.on.date().toPython(),
            OrgForm(self.form_kind.currentData()) if organising else None,
            self.org.text() if organising else "",
            self.note.text(),
        )


class FourHasDialog(WriteDialog):
    def __init__(self, context: AppContext, chosen: UnitLine, parent: QWidget) -> None:
        super().__init__(context, f"四有检查：{chosen.state.name}", parent)
        self.unit = chosen.state
        self.on = date_edit("four_has_on", context.today())
        self.form.addRow("检查日期：", self.on)
        self.items: dict[FourHas, QCheckBox] = {}
        for item in FourHas:
            box = QCheckBox(item.label)
            box.setObjectName(f"four_has_{item.value}")
            box.setChecked(self.unit.four_has.get(item, False))
            self.items[item] = box
            self.form.addRow("", box)
        self.finish()

    def submit(self) -> None:
        self.write(
            register.check_four_has,
            self.unit.id,
            self.on.date().toPython(),
            {item: box.isChecked() for item, box in self.items.items()},
        )
