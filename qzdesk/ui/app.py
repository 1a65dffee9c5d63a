"""Starting the GUI. A returning secretary sees the login dialog at once: the organisation's
name is read with the standard library, and the store, the services and the main window's
modules load on a thread while the password is typed. A new directory gets the wizard; a
lost data file is offered its latest backup.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from qzdesk.config import PASSWORD_ENV, DataPaths
from qzdesk.logs import setup_logging
from qzdesk.services.errors import DataFileMissing, QzdeskError
from qzdesk.services.storage.backup import auto_backup, latest_backup, restore
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.peek import organisation_name
from qzdesk.ui.error_dialog import ErrorHandler
from qzdesk.ui.file_dialogs import FileDialogLabels
from qzdesk.ui.fonts import install_font
from qzdesk.ui.input_method import input_method_env
from qzdesk.ui.login import LoginDialog
from qzdesk.ui.single_instance import WakeListener, wake_running

if TYPE_CHECKING:
    from qzdesk.services.organisation.rules import RuleProfile
    from qzdesk.services.security.auth import LoginResult
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.context import AppContext
    from qzdesk.ui.main_window import MainWindow
    from qzdesk.ui.wizard import SetupWizard

log = logging.getLogger(__name__)

GUI_PROGRAM = "qzdesk 图形界面"
DAY_MS = 24 * 60 * 60 * 1000


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
        changes = input_method_env(os.environ, plugins)
        if changes:
            log.info("input method: %s (no fcitx plugin for Qt here)", changes)
            os.environ.update(changes)
        app = QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("qzdesk")
    app.setApplicationDisplayName("团支部工作台")
    install_font(app)
    install_chinese(app)
    return app


def install_chinese(app: QApplication) -> None:
    """Chinese calendars, dates and numbers everywhere, and Qt's own dialog texts (确定,
    取消, the edit menu) from the translations PySide6 ships."""
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(chinese)
    if app.property("qzdesk_translator") is not None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(chinese, "qt", "_", folder):
        app.installTranslator(translator)
        app.setProperty("qzdesk_translator", True)
    else:
        log.warning("Qt's Chinese translations not found in %s", folder)
    labels = FileDialogLabels(app)
    app.installEventFilter(labels)


def make_context(
    store: Store, profiles: dict[str, RuleProfile], handler: ErrorHandler
) -> AppContext:
    """The desk and its worker (Qt objects, so made on the GUI thread)."""
    from qzdesk.services.desk import Desk
    from qzdesk.ui.context import AppContext
    from qzdesk.ui.worker import DbWorker

    return AppContext(Desk(store, profiles), DbWorker(handler))


def open_context(paths: DataPaths, handler: ErrorHandler) -> AppContext | None:
    """Lock, migrate and load the rule profiles; on failure say why and return None. A new
    directory gets a new store (the wizard follows); one whose file is gone is offered its
    latest backup, never an empty store in its place."""
    from qzdesk.services.organisation.rules import installed_profiles
    from qzdesk.services.storage.store import Store

    first_run = not paths.database.exists() and not paths.was_used()
    try:
        store = Store.open(paths.root, GUI_PROGRAM, create=first_run)
    except DataFileMissing as error:
        store = _offer_restore(paths, str(error))
        if store is None:
            return None
    except QzdeskError as error:
        QMessageBox.critical(None, "无法打开数据", str(error))
        return None
    try:
        profiles = installed_profiles(paths)
    except QzdeskError as error:
        store.close()
        QMessageBox.critical(None, "规则配置有误", str(error))
        return None
    return make_context(store, profiles, handler)


def _offer_restore(paths: DataPaths, message: str) -> Store | None:
    from qzdesk.services.storage.store import Store

    latest = latest_backup(paths)
    if latest is None:
        QMessageBox.critical(None, "数据文件不存在", message)
        return None
    answer = QMessageBox.question(
        None,
        "数据文件不存在",
        f"{message}\n\n现在从这份备份恢复吗？恢复后请核对最近录入的内容。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        restore(paths, latest)
        return Store.open(paths.root, GUI_PROGRAM)
    except QzdeskError as error:
        QMessageBox.critical(None, "无法恢复", str(error))
        return None


def close_context(context: AppContext) -> None:
    context.worker.shutdown()
    if context.wrote:
        back_up(context)
    context.store.close()


def _daily_backup(context: AppContext | None) -> None:
    if context is not None and context.wrote:
        context.worker.submit(back_up, context)


def back_up(context: AppContext) -> None:
    """The automatic backup: after writing, when qzdesk closes and once a day."""
    try:
        made = auto_backup(context.store.paths)
        context.wrote = False
        log.info("backed up to %s", made)
    except (QzdeskError, OSError) as error:  # a full disk must not stop the window closing
        log.error("automatic backup failed: %s", error)


class Opening(QObject):
    """The store, the rule profiles and the heavy modules, loading on a thread while the
    password is typed; `finished` carries (store, profiles) or the error."""

    finished = Signal(object)

    def __init__(self, paths: DataPaths, lock: DataDirLock) -> None:
        super().__init__()
        self._paths = paths
        self._lock = lock

    def start(self) -> None:
        threading.Thread(target=self._run, name="qzdesk-open", daemon=True).start()

    def _run(self) -> None:
        try:
            import qzdesk.ui.main_window  # noqa: F401 - load its modules now, not after login
            from qzdesk.services.organisation.rules import installed_profiles
            from qzdesk.services.storage.store import Store

            store = Store.open(self._paths.root, GUI_PROGRAM, lock=self._lock)
            try:
                profiles = installed_profiles(self._paths)
            except BaseException:
                store.close()
                raise
            self.finished.emit((store, profiles))
        except BaseException as error:  # shown on the GUI thread, never lost on this one
            self.finished.emit(error)


class Launcher(QObject):
    """Routes an opened data directory to the wizard or the login, then the main window."""

    ready = Signal(object)

    def __init__(self, context: AppContext | None, handler: ErrorHandler) -> None:
        super().__init__()
        self.context = context
        self.handler = handler
        self.dialog: SetupWizard | LoginDialog | None = None
        self.window: MainWindow | None = None
        self._opening: Opening | None = None
        self._preset: str | None = None

    def start(self) -> None:
        """With the store open: the wizard for a new organisation, else the login."""
        from qzdesk.services.organisation import orgs

        assert self.context is not None
        self.context.submit(orgs.organisation_name, self.context.store, on_done=self._route)

    def start_login(self, paths: DataPaths, lock: DataDirLock, org_name: str) -> None:
        """The login first, the store opening meanwhile (a returning secretary)."""
        self._preset = os.environ.get(PASSWORD_ENV) or None
        if self._preset is None:
            self._ask_password(org_name)
        self._org_name = org_name
        self._opening = Opening(paths, lock)
        self._opening.finished.connect(self._opened)
        self._opening.start()

    def _opened(self, result: Any) -> None:
        if isinstance(result, BaseException):
            title = "规则配置有误" if "规则配置" in str(result) else "无法打开数据"
            if isinstance(result, QzdeskError):
                QMessageBox.critical(self.dialog, title, str(result))
            else:
                self.handler.excepthook(type(result), result, result.__traceback__)
            QApplication.quit()
            return
        self.context = make_context(*result, self.handler)
        if self._preset is not None:
            self.context.sign_in(
                self._preset, on_done=lambda r: self._after_preset(r, self._org_name)
            )
        elif isinstance(self.dialog, LoginDialog):
            self.dialog.attach(self.context)

    def _route(self, org_name: str | None) -> None:
        assert self.context is not None
        if org_name is None:
            from qzdesk.ui.wizard import SetupWizard

            wizard = SetupWizard(self.context)
            wizard.accepted.connect(self._show_main)
            self._show_dialog(wizard)
            return
        preset = os.environ.get(PASSWORD_ENV)
        if preset:
            self.context.sign_in(
                preset, on_done=lambda result: self._after_preset(result, org_name)
            )
        else:
            self._ask_password(org_name)

    def _after_preset(self, result: LoginResult, org_name: str) -> None:
        if result.ok:
            self._show_main()
        else:
            self._ask_password(org_name)
            assert isinstance(self.dialog, LoginDialog)
            self.dialog.message.setText(f"环境变量 {PASSWORD_ENV} 中的{result.message}")

    def _ask_password(self, org_name: str) -> None:
        dialog = LoginDialog(self.context, org_name)
        dialog.accepted.connect(self._show_main)
        self._show_dialog(dialog)

    def bring_to_front(self) -> None:
        """Another start on this directory: show what is open instead of an error."""
        shown = self.window or self.dialog
        if shown is None:
            return
        shown.showNormal()
        shown.raise_()
        shown.activateWindow()

    def _show_dialog(self, dialog: SetupWizard | LoginDialog) -> None:
        dialog.rejected.connect(QApplication.quit)
        self.dialog = dialog
        dialog.show()

    def _show_main(self) -> None:
        from qzdesk.ui.main_window import MainWindow

        assert self.context is not None
        self.window = MainWindow(self.context)
        self.handler.parent = self.window
        self.window.show()
        self.dialog = None
        self.ready.emit(self.window)


def run_gui(data_dir: Path, on_ready: Callable[[MainWindow], None] | None = None) -> int:
    app = ensure_app()
    paths = DataPaths(data_dir)
    handler = ErrorHandler(setup_logging(paths.logs))
    sys.excepthook = handler.excepthook
    if wake_running(paths.root):
        log.info("qzdesk already runs on %s: brought to the front", paths.root)
        return 0
    launcher = Launcher(None, handler)
    org_name = None
    if paths.database.exists():
        lock = DataDirLock(paths, GUI_PROGRAM)
        try:
            lock.acquire()
        except QzdeskError as error:
            QMessageBox.critical(None, "无法打开数据", str(error))
            return 1
        org_name = organisation_name(paths.database)
        if org_name is None:  # not set up yet, or unreadable: the full opening says which
            lock.release()
    if org_name is not None:
        launcher.start_login(paths, lock, org_name)
    else:
        launcher.context = open_context(paths, handler)
        if launcher.context is None:
            return 1
        launcher.start()
    listener = WakeListener(paths.root)
    listener.asked.connect(launcher.bring_to_front)
    daily = QTimer()
    daily.timeout.connect(lambda: _daily_backup(launcher.context))
    daily.start(DAY_MS)
    if on_ready is not None:
        launcher.ready.connect(on_ready)
    try:
        return app.exec()
    finally:
        listener.close()
        if launcher.context is not None:
            close_context(launcher.context)
        if launcher.window is not None and launcher.window.restore_from is not None:
            restore_after_closing(paths, launcher.window.restore_from)


def restore_after_closing(paths: DataPaths, source: Path) -> None:
    """The 从备份恢复 chosen in the window, now that nothing holds the data file."""
    lock = DataDirLock(paths, GUI_PROGRAM)
    try:
        lock.acquire()
        try:
            kept = restore(paths, source)
        finally:
            lock.release()
    except QzdeskError as error:
        QMessageBox.critical(None, "无法恢复", str(error))
        return
    aside = f"原来的数据已另存为 {kept}。" if kept else ""
    QMessageBox.information(
        None, "恢复完成", f"已从 {source.name} 恢复。{aside}请重新打开 qzdesk。"
    )
