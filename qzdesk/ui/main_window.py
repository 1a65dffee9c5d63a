"""The main window: navigation on the left, the page area, a status bar."""

from __future__ import annotations

from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
)

from qzdesk import __version__
from qzdesk.config import resources_dir
from qzdesk.services.organisation.overview import Overview
from qzdesk.services.storage.backup import online_backup
from qzdesk.services.todo import Target
from qzdesk.ui.admission.page import AdmissionPage
from qzdesk.ui.context import AppContext
from qzdesk.ui.dues.page import DuesPage
from qzdesk.ui.meetings.page import MeetingsPage
from qzdesk.ui.members.page import RosterPage
from qzdesk.ui.pages.archive import ArchivePage
from qzdesk.ui.pages.base import Page
from qzdesk.ui.pages.home import HomePage
from qzdesk.ui.receiving.page import ReceivingPage
from qzdesk.ui.screen import available, clamp, fit, scrolled
from qzdesk.ui.settings.page import SettingsPage

PREFERRED = QSize(1100, 720)
NAV_ICONS = {
    "工作台": "fa5s.home",
    "团员": "fa5s.users",
    "发展团员": "fa5s.user-plus",
    "组织生活": "fa5s.calendar-alt",
    "团费": "fa5s.yen-sign",
    "台账": "fa5s.file-signature",
    "收件": "fa5s.inbox",
    "设置": "fa5s.cog",
}
# Versions are read when 关于 opens; the licences are the projects' own.
COMPONENTS = (
    ("PySide6 / Qt", "PySide6-Essentials", "LGPL-3.0"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    (
        "sqlcipher3（SQLCipher 社区版，内含 OpenSSL）",
        "sqlcipher3",
        "zlib；SQLCipher BSD 风格；OpenSSL Apache-2.0",
    ),
    ("Alembic", "alembic", "MIT"),
    ("ReportLab", "reportlab", "BSD"),
    ("pyHanko", "pyhanko", "MIT"),
    ("cryptography", "cryptography", "Apache-2.0 / BSD"),
    ("openpyxl", "openpyxl", "MIT"),
    ("xlrd", "xlrd", "BSD"),
    ("pypinyin", "pypinyin", "MIT"),
    ("chinese-calendar", "chinesecalendar", "MIT"),
    ("platformdirs", "platformdirs", "MIT"),
    ("pydantic", "pydantic", "MIT"),
    ("jsonschema", "jsonschema", "MIT"),
    ("QtAwesome（Font Awesome 图标）", "qtawesome", "MIT；图标字体 SIL OFL 1.1"),
    ("文泉驿微米黑字体", None, "Apache-2.0"),
)


def components_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    lines = []
    for name, package, licence in COMPONENTS:
        try:
            found = f" {version(package)}" if package else ""
        except PackageNotFoundError:
            found = ""
        lines.append(f"{name}{found}（{licence}）")
    return "\n".join(lines)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.restore_from: Path | None = None  # a backup to restore once the store is closed
        self.home = HomePage(context)
        self.roster = RosterPage(context)
        self.admission = AdmissionPage(context)
        self.meetings = MeetingsPage(context)
        self.dues = DuesPage(context)
        self.archive = ArchivePage(context)
        self.receiving = ReceivingPage(context)
        self.settings_page = SettingsPage(context)
        self.pages: list[Page] = [
            self.home,
            self.roster,
            self.admission,
            self.meetings,
            self.dues,
            self.archive,
            self.receiving,
            self.settings_page,
        ]

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMinimumWidth(120)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.nav.addItem(QListWidgetItem(qta.icon(NAV_ICONS[page.TITLE]), page.TITLE))
            self.stack.addWidget(scrolled(page))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([160, 840])
        self.setCentralWidget(self.splitter)

        self.org_label = QLabel()
        self.profile_label = QLabel()
        self.busy_label = QLabel()
        status = self.statusBar()
        status.addWidget(self.org_label)
        status.addWidget(self.profile_label, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        status.addPermanentWidget(self.count_label)
        self.roster.count_changed.connect(self.count_label.setText)
        status.addPermanentWidget(self.busy_label)
        context.worker.busy.connect(
            lambda busy: self.busy_label.setText("正在处理…" if busy else "")
        )

        self.home.loaded.connect(self._show_status)
        self.home.show_rules.connect(self.open_rules)
        self.home.open_target.connect(self.open_target)
        self._build_menus()
        self._ui_state = QSettings(str(context.store.paths.ui_state), QSettings.Format.IniFormat)
        self._restore_state()
        for page in self.pages:
            page.refresh()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        backup_action = QAction("备份到…(&B)", self)
        backup_action.triggered.connect(self.back_up_to)
        file_menu.addAction(backup_action)
        restore_action = QAction("从备份恢复…(&R)", self)
        restore_action.triggered.connect(self.ask_restore)
        file_menu.addAction(restore_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu("转到(&G)")
        for index, page in enumerate(self.pages):
            action = QAction(page.TITLE, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, row=index: self.nav.setCurrentRow(row))
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        manual = QAction("使用说明(&M)", self)
        manual.setShortcut(QKeySequence.StandardKey.HelpContents)
        manual.triggered.connect(self.show_manual)
        help_menu.addAction(manual)
        paths = self.context.store.paths
        for title, folder in (("打开数据目录", paths.root), ("打开日志目录", paths.logs)):
            action = QAction(title, self)
            action.triggered.connect(
                lambda _=False, f=folder: QDesktopServices.openUrl(QUrl.fromLocalFile(str(f)))
            )
            help_menu.addAction(action)
        about = QAction("关于 qzdesk", self)
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                "关于 qzdesk",
                f"团支部工作台 qzdesk {__version__}\n离线管理团员、发展团员、组织生活与台账。\n\n"
                f"数据目录：{paths.root}\n\n使用的开源组件：\n{components_text()}",
            )
        )
        help_menu.addAction(about)

    def show_manual(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle("使用说明")
        layout = QVBoxLayout(dialog)
        text = QTextBrowser()
        text.setObjectName("manual")
        text.setMarkdown((resources_dir() / "help" / "manual.md").read_text(encoding="utf-8"))
        layout.addWidget(text)
        fit(dialog, 760, 680)
        dialog.show()
        return dialog

    def back_up_to(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "备份到（可选 U 盘）", str(Path.home()))
        if folder:
            self.context.worker.submit(
                online_backup,
                self.context.store.paths.database,
                Path(folder),
                "manual",
                on_done=lambda made: QMessageBox.information(
                    self,
                    "备份完成",
                    f"已备份到 {made}（已校验，仍是加密的）。\n旁边的 {made.name}.key.json "
                    "是它的密钥文件：换电脑时两个文件一起带走，在新电脑上用当时的密码恢复。",
                ),
            )

    def ask_restore(self) -> None:
        """Restoring replaces the data file, so it happens once this window has closed."""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "选择要恢复的备份",
            str(self.context.store.paths.backups),
            "qzdesk 备份 (*.sqlite)",
        )
        if not chosen:
            return
        answer = QMessageBox.question(
            self,
            "从备份恢复",
            f"用备份 {Path(chosen).name} 替换现在的数据？现在的数据会先另存一份备份。"
            "\nqzdesk 将关闭并恢复，之后请重新打开。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from = Path(chosen)
            self.close()

    def _show_status(self, data: Overview) -> None:
        self.setWindowTitle(data.root.name)  # Qt adds " — 团支部工作台" after it
        self.org_label.setText(f"{data.root.name}｜书记：{data.secretary}")
        self.profile_label.setText(f"规则配置：{data.profile.title}")

    @property
    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def open_target(self, target: Target) -> None:
        """Where a to-do item is done: its page, and the tab of it."""
        meetings, settings = self.meetings, self.settings_page
        page, tab = {
            Target.ROSTER: (self.roster, None),
            Target.ADMISSION: (self.admission, None),
            Target.MINUTES: (meetings, meetings.list),
            Target.PLAN: (meetings, meetings.plan),
            Target.EVALUATION: (meetings, meetings.evaluation),
            Target.TERMS: (meetings, meetings.terms),
            Target.ORGANISATION: (settings, settings.org_tab),
            Target.KEY: (settings, settings.key_tab),
            Target.DUES: (self.dues, None),
        }[target]
        self.nav.setCurrentRow(self.pages.index(page))
        if tab is not None:
            page.tabs.setCurrentWidget(tab)

    def open_rules(self) -> None:
        self.nav.setCurrentRow(self.pages.index(self.settings_page))
        self.settings_page.show_rules()

    def _restore_state(self) -> None:
        geometry = self._ui_state.value("main/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            if self._was_squeezed():
                fit(self, PREFERRED.width(), PREFERRED.height())
            clamp(self)  # remembered on another screen: brought inside this one
        else:
            fit(self, PREFERRED.width(), PREFERRED.height())
        splitter = self._ui_state.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.nav.setCurrentRow(int(self._ui_state.value("main/page", 0)))

    def _was_squeezed(self) -> bool:
        """Sized by a smaller screen than this one (a laptop at 150 %, then the office
        PC): such a size is the old screen's, not the secretary's choice."""
        then = self._ui_state.value("main/screen")
        if not isinstance(then, str) or "x" not in then:
            return False
        width, height = (int(n) for n in then.split("x"))
        now = available(self)
        larger = now.width() > width or now.height() > height
        filled = self.width() >= 0.9 * width or self.height() >= 0.9 * height
        return larger and filled

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        screen = available(self)
        self._ui_state.setValue("main/screen", f"{screen.width()}x{screen.height()}")
        self._ui_state.setValue("main/geometry", self.saveGeometry())
        self._ui_state.setValue("main/splitter", self.splitter.saveState())
        self._ui_state.setValue("main/page", self.nav.currentRow())
        self._ui_state.sync()
        super().closeEvent(event)
