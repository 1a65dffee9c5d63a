"""设置: organisation, secretary and password, rule profile."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.organisation.overview import Overview
from qzdesk.ui.context import AppContext
from qzdesk.ui.pages.base import Page
from qzdesk.ui.settings.account import AccountSettingsTab
from qzdesk.ui.settings.key import KeySettingsTab
from qzdesk.ui.settings.organisation import OrgSettingsTab
from qzdesk.ui.settings.rules import RulesSettingsTab


class SettingsPage(Page):
    TITLE = "设置"
    TOPICS = frozenset({Topic.ORG, Topic.SETTINGS})

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.org_tab = OrgSettingsTab(context)
        self.account_tab = AccountSettingsTab(context)
        self.rules_tab = RulesSettingsTab(context)
        self.key_tab = KeySettingsTab(context)
        self.tabs.addTab(self.org_tab, "组织机构")
        self.tabs.addTab(self.account_tab, "书记与密码")
        self.tabs.addTab(self.rules_tab, "规则配置")
        self.tabs.addTab(self.key_tab, "签名密钥")
        layout.addWidget(self.tabs)

    def load(self, ctx: Context) -> Overview:
        return ctx.overview

    def show_data(self, data: Overview) -> None:
        for tab in (self.org_tab, self.account_tab, self.rules_tab):
            tab.show_data(data)

    def show_rules(self) -> None:
        self.tabs.setCurrentWidget(self.rules_tab)
