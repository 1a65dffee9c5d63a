"""工作台: the organisation at a glance."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.organisation.overview import Overview
from qzdesk.services.todo import FirstStep, TodoItem, first_steps, todo
from qzdesk.ui.context import AppContext
from qzdesk.ui.pages.base import Page
from qzdesk.ui.tables import fill_table, make_table


class HomePage(Page):
    TITLE = "工作台"
    TOPICS = frozenset({Topic.ORG, Topic.SETTINGS, Topic.MEMBERS, Topic.ADMISSION, Topic.MEETINGS})
    show_rules = Signal()
    loaded = Signal(object)
    open_target = Signal(object)  # Target: where a to-do item is done

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.data: Overview | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("home_title")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.facts = QLabel()
        self.facts.setObjectName("home_facts")
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)

        self.guide = QGroupBox("开始使用：新组织的第一小时")
        self.guide.setObjectName("home_guide")
        self.guide_layout = QGridLayout(self.guide)
        self.guide.hide()
        layout.addWidget(self.guide)
        self.steps: list[FirstStep] = []

        todo_box = QGroupBox("待办事项（双击或按回车前往办理）")
        todo_layout = QVBoxLayout(todo_box)
        self.todo = make_table(["事项", "期限"], "home_todo")
        self.todo.activated.connect(self._open_item)
        todo_layout.addWidget(self.todo)
        layout.addWidget(todo_box, 1)
        self.items: list[TodoItem] = []

        branches_box = QGroupBox("下设团支部")
        box_layout = QVBoxLayout(branches_box)
        self.counts = QLabel()
        self.counts.setObjectName("home_counts")
        self.counts.setWordWrap(True)
        box_layout.addWidget(self.counts)
        self.branches = make_table(
            ["名称", "在册团员", "状态", "成立日期", "撤销原因"], "home_branches"
        )
        box_layout.addWidget(self.branches)
        layout.addWidget(branches_box, 1)

        rules_box = QGroupBox("在用的规则配置")
        rules_layout = QHBoxLayout(rules_box)
        self.rules = QLabel()
        self.rules.setObjectName("home_rules")
        self.rules.setWordWrap(True)
        rules_layout.addWidget(self.rules, 1)
        view_rules = QPushButton("查看全部规则…")
        view_rules.clicked.connect(self.show_rules)
        rules_layout.addWidget(view_rules)
        layout.addWidget(rules_box)

    def load(self, ctx: Context) -> tuple[Overview, list[TodoItem], list[FirstStep]]:
        return ctx.overview, todo(ctx), first_steps(ctx)

    def show_data(self, loaded: tuple[Overview, list[TodoItem], list[FirstStep]]) -> None:
        data, self.items, self.steps = loaded
        self._show_guide()
        fill_table(
            self.todo,
            [[i.text, f"{i.due:%Y-%m-%d}" if i.due else ""] for i in self.items],
            [i.urgent for i in self.items],
        )
        self.data = data
        root = data.root
        self.title.setText(f"<h2>{root.name}</h2>")
        self.facts.setText(
            f"组织类型：{root.kind.label}　　所在领域：{root.sector.label}　　"
            f"上级团组织：{data.parent_org}　　书记：{data.secretary}"
        )
        open_count, closed_count = len(data.open_branches), len(data.closed_branches)
        closed = f"，已撤销 {closed_count} 个（历史保留）" if closed_count else ""
        m = data.members
        age_out = data.profile.membership.age_out.value
        self.counts.setText(
            f"在册团支部 {open_count} 个{closed}；在册团员 {m.active} 人（已离团 {m.left} 人）；"
            f"今年满 {age_out} 周岁 {m.turning_age_out} 人，已超龄未离团 {m.over_age_out} 人"
        )
        listed = data.open_branches + data.closed_branches
        rows = [
            [
                b.name,
                str(m.by_branch.get(b.id, 0)),
                b.status_label,
                b.created_on.isoformat(),
                b.close_reason or "",
            ]
            for b in listed
        ]
        fill_table(self.branches, rows, [not b.is_open for b in listed])
        profile = data.profile
        self.rules.setText(
            f"<b>{profile.title}</b><br>{profile.profile.summary}<br>"
            f"共 {len(profile.entries())} 项，其中 <b>{data.unconfirmed_rules}</b> 项未经证实。"
        )
        self.loaded.emit(data)

    def _show_guide(self) -> None:
        """Shown until every first step is done; each line says what the data shows."""
        while self.guide_layout.count():
            item = self.guide_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for row, step in enumerate(self.steps):
            mark = "✓" if step.done else f"{row + 1}."
            label = QLabel(f"{mark} <b>{step.title}</b>：{step.state}")
            label.setWordWrap(True)
            self.guide_layout.addWidget(label, row, 0)
            go = QPushButton("已完成" if step.done else "前往…")
            go.setObjectName(f"guide_{step.target.value}")
            go.setEnabled(not step.done)
            go.clicked.connect(lambda _=False, target=step.target: self.open_target.emit(target))
            self.guide_layout.addWidget(go, row, 1)
        self.guide_layout.setColumnStretch(0, 1)
        self.guide.setVisible(not all(step.done for step in self.steps))

    def _open_item(self) -> None:
        row = self.todo.currentRow()
        if 0 <= row < len(self.items):
            self.open_target.emit(self.items[row].target)
