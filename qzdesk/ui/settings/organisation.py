"""设置 → 组织机构: the organisation's details and its branches."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.overview import Overview
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import FieldErrors, confirm_buttons, date_edit
from qzdesk.ui.tables import HIGHLIGHT
from qzdesk.vocabulary import BranchNature, OrgKind, Sector

ORG_ID = Qt.ItemDataRole.UserRole


class CloseOrgDialog(QDialog):
    """Asks for the date and reason of closing (撤销) a branch, then closes it."""

    def __init__(self, context: AppContext, org: orgs.OrgInfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.org = org
        self.setWindowTitle("撤销团支部")
        form = QFormLayout(self)
        note = QLabel(
            f"撤销“{org.name}”后，它不再出现在在册组织中，但其全部历史记录保留，"
            "如撤销有误可以恢复。"
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.errors = FieldErrors()
        self.closed_on = date_edit("closed_on", context.today())
        self.errors.add_row(form, "撤销日期：", self.closed_on, "closed_on")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("如：学生毕业，团员组织关系已转出")
        self.errors.add_row(form, "撤销原因：", self.reason, "reason")
        self.errors.fallback = QLabel()
        form.addRow(self.errors.fallback)
        form.addRow(confirm_buttons("确认撤销", self.submit, self.reject))
        self._failed = self.errors.reporter(context.worker.unhandled)

    def submit(self) -> None:
        self.errors.clear()
        self.context.write(
            orgs.close_org,
            self.org.id,
            self.closed_on.date().toPython(),
            self.reason.text(),
            on_done=lambda _: self.accept(),
            on_error=self._failed,
        )


class OrgSettingsTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.orgs: dict[int, orgs.OrgInfo] = {}
        layout = QVBoxLayout(self)

        details = QGroupBox("本组织")
        form = QFormLayout(details)
        self.errors = FieldErrors()
        self._failed = self.errors.reporter(context.worker.unhandled)
        self.root_name = QLineEdit()
        self.root_name.setObjectName("root_name")
        self.errors.add_row(form, "组织名称：", self.root_name, "name")
        self.kind = QComboBox()
        self.kind.setObjectName("root_kind")
        for kind in OrgKind:
            self.kind.addItem(kind.label, kind.value)
        self.errors.add_row(form, "组织类型：", self.kind, "kind")
        self.sector = QComboBox()
        self.sector.setObjectName("root_sector")
        for sector in Sector:
            self.sector.addItem(sector.label, sector.value)
        form.addRow("所在领域：", self.sector)
        self.parent_org = QLineEdit()
        self.parent_org.setObjectName("parent_org")
        self.errors.add_row(form, "上级团组织：", self.parent_org, "parent_name")
        save = QPushButton("保存")
        save.setObjectName("save_org")
        save.clicked.connect(self.save_details)
        form.addRow(save)
        layout.addWidget(details)

        tree_box = QGroupBox("组织机构（已撤销的灰色显示，历史保留）")
        tree_layout = QHBoxLayout(tree_box)
        self.tree = QTreeWidget()
        self.tree.setObjectName("org_tree")
        self.tree.setHeaderLabels(["名称", "类型", "状态", "成立日期"])
        for column, width in enumerate((260, 70, 170)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        tree_layout.addWidget(self.tree, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("新建团支部…")
        self.add_button.setObjectName("add_branch")
        self.add_button.clicked.connect(self.add_branch)
        self.rename_button = QPushButton("重命名…")
        self.rename_button.setObjectName("rename")
        self.rename_button.clicked.connect(self.rename)
        self.close_button = QPushButton("撤销…")
        self.close_button.setObjectName("close_org")
        self.close_button.clicked.connect(self.close_org)
        self.reopen_button = QPushButton("恢复")
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(self.reopen)
        self.nature_button = QPushButton("性质…")
        self.nature_button.setObjectName("nature")
        self.nature_button.setToolTip("常设、流动、临时或待转接：只有常设团支部参加对标定级")
        self.nature_button.clicked.connect(self.set_nature)
        for button in (
            self.add_button,
            self.rename_button,
            self.nature_button,
            self.close_button,
            self.reopen_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        tree_layout.addLayout(buttons)
        layout.addWidget(tree_box, 1)

    def show_data(self, data: Overview) -> None:
        self.errors.clear()
        self.root_name.setText(data.root.name)
        self.kind.setCurrentIndex(self.kind.findData(data.root.kind.value))
        self.sector.setCurrentIndex(self.sector.findData(data.root.sector.value))
        self.parent_org.setText(data.parent_org)
        selected = self.selected()
        self.orgs = {o.id: o for o in [data.root, *data.branches]}
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for org in self.orgs.values():
            kind = org.kind.label
            if org.kind is OrgKind.BRANCH and org.nature is not BranchNature.REGULAR:
                kind = org.nature.label  # 流动团支部 etc.: not rated
            item = QTreeWidgetItem([org.name, kind, org.status_label, org.created_on.isoformat()])
            item.setData(0, ORG_ID, org.id)
            if not org.is_open:
                for column in range(4):
                    item.setForeground(column, Qt.GlobalColor.gray)
                    item.setBackground(column, HIGHLIGHT)
                item.setToolTip(0, f"撤销原因：{org.close_reason}")
            parent = items.get(org.parent_id) if org.parent_id else None
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[org.id] = item
            if org.id == (selected.id if selected else data.root.id):
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self._update_buttons()

    def selected(self) -> orgs.OrgInfo | None:
        item = self.tree.currentItem()
        return self.orgs.get(item.data(0, ORG_ID)) if item else None

    def _update_buttons(self) -> None:
        org = self.selected()
        can_hold = org is not None and org.is_open and org.kind is not OrgKind.BRANCH
        self.add_button.setEnabled(can_hold)
        self.rename_button.setEnabled(org is not None)
        self.close_button.setEnabled(org is not None and org.parent_id is not None and org.is_open)
        self.reopen_button.setEnabled(org is not None and not org.is_open)
        self.nature_button.setEnabled(org is not None and org.kind is OrgKind.BRANCH)

    def save_details(self) -> None:
        root = next((o for o in self.orgs.values() if o.parent_id is None), None)
        if root is None:
            return
        self.errors.clear()
        self.context.write(
            orgs.update_root,
            self.root_name.text(),
            OrgKind(self.kind.currentData()),
            Sector(self.sector.currentData()),
            self.parent_org.text(),
            on_error=self._failed,
        )

    def add_branch(self) -> None:
        parent = self.selected()
        if parent is None:
            return
        name, ok = QInputDialog.getText(
            self, "新建团支部", f"在“{parent.name}”下新建团支部，名称："
        )
        if ok:
            self.context.write(orgs.add_branch, parent.id, name)

    def rename(self) -> None:
        org = self.selected()
        if org is None:
            return
        name, ok = QInputDialog.getText(self, "重命名", "新名称：", text=org.name)
        if ok and name != org.name:
            self.context.write(orgs.rename_org, org.id, name)

    def set_nature(self) -> None:
        org = self.selected()
        if org is None:
            return
        labels = [n.label for n in BranchNature]
        chosen, ok = QInputDialog.getItem(
            self,
            "团支部性质",
            f"“{org.name}”是：\n（流动、临时和待转接团支部不参加对标定级）",
            labels,
            labels.index(org.nature.label),
            False,
        )
        if ok:
            nature = list(BranchNature)[labels.index(chosen)]
            self.context.write(orgs.set_nature, org.id, nature)

    def close_org(self) -> None:
        org = self.selected()
        if org is not None:
            CloseOrgDialog(self.context, org, self).exec()

    def reopen(self) -> None:
        org = self.selected()
        if org is None:
            return
        answer = QMessageBox.question(self, "恢复团支部", f"确定恢复“{org.name}”为在册组织吗？")
        if answer == QMessageBox.StandardButton.Yes:
            self.context.write(orgs.reopen_org, org.id)
