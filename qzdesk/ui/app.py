"""Starting the GUI. A returning secretary sees the login dialog at once: the organisation's
name is read with the standard library, and the store, the services and the main window's
modules load on a thread while the password is typed. A new directory gets the wizard; a
lost data file is offered its latest backup.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from qzdesk.config import PASSWORD_ENV, DataPaths
from qzdesk.logs import setup_logging
from qzdesk.services.errors import DataFileMissing, QzdeskError
from qzdesk.services.files import spool_in
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.peek import organisation_name
from qzdesk.ui.error_dialog import ErrorHandler
from qzdesk.ui.file_dialogs import FileDialogLabels
from qzdesk.ui.fonts import install_font
from qzdesk.ui.input_method import input_method_env
from qzdesk.ui.login import LoginDialog
from qzdesk.ui.recovery import Recover, SignIn
from qzdesk.ui.single_instance import WakeListener, wake_running

if TYPE_CHECKING:
    from qzdesk.services.organisation.rules import RuleProfile
    from qzdesk.services.security.auth import LoginResult
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.context import AppContext
    from qzdesk.ui.main_window import MainWindow
    from qzdesk.ui.recovery import RecoveryCodeDialog
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
    # qtbase holds the dialogs' own texts; the "qt" meta-catalogue also wants modules
    # (qtdeclarative, qtmultimedia…) that a frozen bundle rightly leaves out.
    if translator.load(chinese, "qtbase", "_", folder):
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


def open_context(paths: DataPaths, handler: ErrorHandler, fresh: bool = False) -> AppContext | None:
    """Lock, migrate and load the rule profiles; on failure say why and return None. A new
    directory (or one whose setup never finished: `fresh`) gets a new store (the wizard
    follows); one whose file is gone is offered its latest backup, never an empty store in
    its place."""
    from qzdesk.services.organisation.rules import installed_profiles
    from qzdesk.services.storage.store import Store

    first_run = fresh or (not paths.database.exists() and not paths.was_used())
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
    from qzdesk.services.storage.backup import latest_backup, restore
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
        if not _unlock_backup(paths, latest):
            return None
        restore(paths, latest)  # its key was just unlocked with the password of its day
        return Store.open(paths.root, GUI_PROGRAM)
    except QzdeskError as error:
        QMessageBox.critical(None, "无法恢复", str(error))
        return None


def _unlock_backup(paths: DataPaths, backup: Path) -> bool:
    """An encrypted backup opens with the password in force when it was taken."""
    from qzdesk.services.security import auth

    while auth.backup_locked(backup):
        password, ok = QInputDialog.getText(
            None, "输入密码", "备份已加密，请输入当时的登录密码：", QLineEdit.EchoMode.Password
        )
        if not ok:
            return False
        result = auth.unlock_backup(paths, backup, password)
        if not result.ok:
            QMessageBox.warning(None, "密码不正确", result.message)
    return True


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
    from qzdesk.services.storage.backup import auto_backup

    try:
        made = auto_backup(context.store.paths)
        context.wrote = False
        log.info("backed up to %s", made)
    except (QzdeskError, OSError) as error:  # a full disk must not stop the window closing
        log.error("automatic backup failed: %s", error)


class Opening(QObject):
    """The rule profiles and the heavy modules, loading on a thread while the password is
    typed; `finished` carries the profiles or the error."""

    finished = Signal(object)

    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self._paths = paths

    def start(self) -> None:
        threading.Thread(target=self._run, name="qzdesk-open", daemon=True).start()

    def _run(self) -> None:
        try:
            # The window's services load now, not after the login; its Qt modules are
            # imported on the GUI thread only (PySide6 and qtpy create enums at import, and
            # doing so beside the running event loop crashed about one start in five).
            import qzdesk.services.desk
            import qzdesk.services.todo  # noqa: F401
            from qzdesk.services.organisation.rules import installed_profiles

            self.finished.emit(installed_profiles(self._paths))
        except BaseException as error:  # shown on the GUI thread, never lost on this one
            self.finished.emit(error)


class Unlocking(QObject):
    """One sign-in on a thread: deriving the key, encrypting an older file and opening
    (perhaps migrating) the store take seconds on an office PC. `done` carries
    (LoginResult, Store or None), or (the error, None)."""

    done = Signal(object, object)

    def run(self, job: Callable[[], tuple[LoginResult, Store | None]]) -> None:
        threading.Thread(target=self._run, args=(job,), name="qzdesk-unlock", daemon=True).start()

    def _run(self, job: Callable[[], tuple[LoginResult, Store | None]]) -> None:
        try:
            self.done.emit(*job())
        except BaseException as error:
            self.done.emit(error, None)


def sign_in_and_open(
    paths: DataPaths, lock: DataDirLock, password: str
) -> tuple[LoginResult, Store | None]:
    """The password unlocks the data file's key; a file from before encryption is
    encrypted now (after a backup) and its new 恢复码 is in the result."""
    from qzdesk.services.security import auth

    result = auth.login(paths, password)
    if not result.ok:
        return result, None
    code = auth.encrypt_store(paths, password, lock) if auth.needs_encrypting(paths) else ""
    auth.encrypt_leftover_backups(paths, lock)
    return _opened(paths, lock, replace(result, recovery_code=code))


def recover_and_open(
    paths: DataPaths, lock: DataDirLock, code: str, password: str
) -> tuple[LoginResult, Store | None]:
    """The 恢复码 unlocks the key; the new password is set before anything else."""
    from qzdesk.services.security import auth

    if not auth.unlock_with_recovery_code(paths, code):
        return auth.LoginResult(False, "恢复码不正确，请核对打印的恢复码页。"), None
    result, store = _opened(paths, lock, auth.LoginResult(True, ""))
    assert store is not None
    from qzdesk.services.desk import Desk

    desk = Desk(store, {})
    desk.actor = f"{result.actor}（恢复码）"
    desk.write(auth.reset_password, password, password)
    return result, store


def _opened(paths: DataPaths, lock: DataDirLock, result: LoginResult) -> tuple[LoginResult, Store]:
    """The unlocked store, opened (and migrated), the secretary acting."""
    from qzdesk.services.security.opening import open_unlocked

    opened = open_unlocked(paths, GUI_PROGRAM, lock)
    return replace(result, actor=opened.secretary), opened.store


class Launcher(QObject):
    """Routes an opened data directory to the wizard or the login, then the main window."""

    ready = Signal(object)

    def __init__(self, context: AppContext | None, handler: ErrorHandler) -> None:
        super().__init__()
        self.context = context
        self.handler = handler
        self.dialog: SetupWizard | LoginDialog | None = None
        self.window: MainWindow | None = None
        self.recovery: RecoveryCodeDialog | None = None
        self._opening: Opening | None = None
        self._unlocking = Unlocking()
        self._unlocking.done.connect(self._unlocked)
        self._answer: Callable[[LoginResult], None] | None = None
        self._profiles: dict[str, RuleProfile] | None = None
        self._signed: tuple[LoginResult, Store] | None = None
        self._new_code = ""

    def start(self) -> None:
        """With the store open: the wizard for a new organisation, else the login."""
        from qzdesk.services.organisation import orgs

        assert self.context is not None
        self.context.read(orgs.organisation_name, on_done=self._route)

    def start_login(self, paths: DataPaths, lock: DataDirLock, org_name: str) -> None:
        """The login first; the rule profiles and the window's modules load meanwhile, and
        the store opens once the password has unlocked it."""
        self._paths, self._lock, self._org_name = paths, lock, org_name
        self._opening = Opening(paths)
        self._opening.finished.connect(self._loaded)
        self._opening.start()
        preset = os.environ.get(PASSWORD_ENV)
        if preset:
            self._sign_in(preset, self._after_preset)
        else:
            self._ask_password(self._sign_in, self._recover)

    def _sign_in(self, password: str, answer: Callable[[LoginResult], None]) -> None:
        self._answer = answer
        self._unlocking.run(lambda: sign_in_and_open(self._paths, self._lock, password))

    def _recover(self, code: str, password: str, answer: Callable[[LoginResult], None]) -> None:
        self._answer = answer
        self._unlocking.run(lambda: recover_and_open(self._paths, self._lock, code, password))

    def _unlocked(self, result: Any, store: Store | None) -> None:
        if isinstance(result, BaseException):
            self._fail(result)
            return
        if store is None:
            assert self._answer is not None
            self._answer(result)
            return
        self._signed = (result, store)
        self._finish()

    def _loaded(self, result: Any) -> None:
        if isinstance(result, BaseException):
            self._fail(result)
            return
        self._profiles = result
        self._finish()

    def _finish(self) -> None:
        """Both halves ready (the store unlocked, the profiles loaded): the desk, then the
        answer to whoever asked (the login dialog or the preset password)."""
        if self._signed is None or self._profiles is None or self.context is not None:
            return
        result, store = self._signed
        self.context = make_context(store, self._profiles, self.handler)
        self.context.desk.actor = result.actor
        self._new_code = result.recovery_code
        assert self._answer is not None
        self._answer(result)

    def _fail(self, error: BaseException) -> None:
        title = "规则配置有误" if "规则配置" in str(error) else "无法打开数据"
        if isinstance(error, QzdeskError):
            QMessageBox.critical(self.dialog, title, str(error))
        else:
            self.handler.excepthook(type(error), error, error.__traceback__)
        QApplication.quit()

    def _route(self, org_name: str | None) -> None:
        assert self.context is not None
        if org_name is None:
            from qzdesk.ui.wizard import SetupWizard

            wizard = SetupWizard(self.context)
            wizard.accepted.connect(self._show_main)
            self._show_dialog(wizard)
            return
        # Opened before signing in: a plain file the quick look could not name.
        self._org_name = org_name
        preset = os.environ.get(PASSWORD_ENV)
        if preset:
            self.context.sign_in(preset, on_done=self._after_preset)
        else:
            self._ask_password(self._desk_sign_in)

    def _desk_sign_in(self, password: str, answer: Callable[[LoginResult], None]) -> None:
        assert self.context is not None
        self.context.sign_in(password, on_done=answer)

    def _after_preset(self, result: LoginResult) -> None:
        if result.ok:
            self._show_main()
        else:
            if self._opening is not None:
                self._ask_password(self._sign_in, self._recover)
            else:
                self._ask_password(self._desk_sign_in)
            assert isinstance(self.dialog, LoginDialog)
            self.dialog.message.setText(f"环境变量 {PASSWORD_ENV} 中的{result.message}")

    def _ask_password(self, sign_in: SignIn, recover: Recover | None = None) -> None:
        dialog = LoginDialog(self._org_name, sign_in, recover)
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
        if self._new_code:  # an older file was encrypted at this sign-in
            self.show_recovery_code(self._new_code)
        self.ready.emit(self.window)

    def show_recovery_code(self, code: str) -> None:
        from qzdesk.ui.recovery import RecoveryCodeDialog

        assert self.context is not None
        name = self._org_name or ""
        self.recovery = RecoveryCodeDialog(self.window, code, name, self.context.store.paths.root)
        self.recovery.open()


def first_look(paths: DataPaths) -> tuple[DataDirLock, str | None, bool]:
    """What the window starts with: the directory's lock (held when there is an
    organisation to sign in to), after what an interrupted run left is put right; the
    organisation's name for the login; whether a setup that never finished was set aside
    (the wizard starts again)."""
    from qzdesk.services.storage.settle import settle

    lock = DataDirLock(paths, GUI_PROGRAM)
    if not paths.root.is_dir():
        return lock, None, False
    lock.acquire()
    try:
        fresh = settle(paths) is not None
    except BaseException:
        lock.release()
        raise
    present = paths.database.exists() and not fresh
    org_name = organisation_name(paths.database) if present else None
    if org_name is None:  # not set up yet, or unreadable: the full opening says which
        lock.release()
    return lock, org_name, fresh


def run_gui(data_dir: Path, on_ready: Callable[[MainWindow], None] | None = None) -> int:
    app = ensure_app()
    paths = DataPaths(data_dir)
    handler = ErrorHandler(setup_logging(paths.logs))
    sys.excepthook = handler.excepthook
    if wake_running(paths.root):
        log.info("qzdesk already runs on %s: brought to the front", paths.root)
        return 0
    launcher = Launcher(None, handler)
    spooled_before = spool_in(paths.spool)
    try:
        lock, org_name, fresh = first_look(paths)
    except QzdeskError as error:
        QMessageBox.critical(None, "无法打开数据", str(error))
        return 1
    if org_name is not None:
        launcher.start_login(paths, lock, org_name)
    else:
        launcher.context = open_context(paths, handler, fresh)
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
        tempfile.tempdir = spooled_before
        listener.close()
        if launcher.context is not None:
            close_context(launcher.context)
        if launcher.window is not None and launcher.window.restore_from is not None:
            restore_after_closing(paths, launcher.window.restore_from)


def restore_after_closing(paths: DataPaths, source: Path) -> None:
    """The 从备份恢复 chosen in the window, now that nothing holds the data file."""
    from qzdesk.services.storage.backup import restore

    lock = DataDirLock(paths, GUI_PROGRAM)
    try:
        if not _unlock_backup(paths, source):  # a backup from another PC: its password
            return
        lock.acquire()
        try:
            restored = restore(paths, source)
        finally:
            lock.release()
    except QzdeskError as error:
        QMessageBox.critical(None, "无法恢复", str(error))
        return
    aside = f"原来的数据已另存为 {restored.kept}。" if restored.kept else ""
    QMessageBox.information(
        None,
        "恢复完成",
        f"已从 {source.name} 恢复。{aside}{restored.secrets_note()}请重新打开 qzdesk。",
    )
