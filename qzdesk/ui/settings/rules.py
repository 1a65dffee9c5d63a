"""设置 → 规则配置: every value of a profile with its source; choose the one in force."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qzdesk.services.organisation import settings
from qzdesk.services.organisation.overview import Overview
from qzdesk.services.organisation.rules import CONFIDENCE_LABELS
from qzdesk.ui.context import AppContext
from qzdesk.ui.tables import fill_table, make_table


class RulesSettingsTab(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.active_id: str | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("规则配置："))
        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        for key, profile in sorted(context.profiles.items()):
            self.profile.addItem(profile.title, key)
        self.profile.currentIndexChanged.connect(self._show_profile)
        top.addWidget(self.profile, 1)
        self.use_button = QPushButton("采用此配置")
        self.use_button.setObjectName("use_profile")
        self.use_button.clicked.connect(self.use_profile)
        top.addWidget(self.use_button)
        layout.addLayout(top)
        self.status = QLabel()
        self.status.setObjectName("profile_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = make_table(
            ["分类", "项目", "数值", "单位", "出处", "可信度"],
            "rules_table",
            widths=[110, 250, 170, 90, 260, 110],
        )
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "黄色底纹的项目未经证实：相关检查只提醒、不阻止。"
            "要修改数值，请复制规则文件到数据目录的 rules 文件夹"
            f"（{context.store.paths.rules}），改编号和版本后修改，再在此选用。"
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def show_data(self, data: Overview) -> None:
        self.active_id = data.profile.profile.id
        index = self.profile.findData(self.active_id)
        if index == self.profile.currentIndex():
            self._show_profile()
        else:
            self.profile.setCurrentIndex(index)

    def _show_profile(self) -> None:
        key = self.profile.currentData()
        profile = self.context.profiles[key]
        entries = profile.entries()
        in_force = key == self.active_id
        self.use_button.setEnabled(not in_force)
        self.status.setText(
            ("<b>在用</b>：" if in_force else "未采用：")
            + f"{profile.title}。{profile.profile.summary}"
        )
        rows = [
            [
                e.group_label,
                e.rule.label,
                e.value_text,
                e.rule.unit,
                e.rule.source,
                CONFIDENCE_LABELS[e.rule.confidence],
            ]
            for e in entries
        ]
        fill_table(
            self.table, rows, [e.rule.unconfirmed for e in entries], [e.rule.note for e in entries]
        )

    def use_profile(self) -> None:
        self.context.write(
            settings.set_profile,
            self.profile.currentData(),
        )
