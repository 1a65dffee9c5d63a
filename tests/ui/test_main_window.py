"""The main window: Chinese renders, layout is remembered, unexpected errors are reported."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from qzdesk.models import Org
from qzdesk.services.todo import Target
from qzdesk.ui.error_dialog import ErrorDialog
from qzdesk.ui.main_window import MainWindow
from tests.ui.conftest import answer_modal


def test_the_bundled_font_covers_the_chinese_on_screen(signed_in):
    font = QApplication.font()
    assert font.family() == "WenQuanYi Micro Hei"
    metrics = QFontMetrics(QFont(font.family()))
    for text in (signed_in.home.title.text(), signed_in.home.counts.text(), "团支部工作台"):
        chinese = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
        assert chinese and all(metrics.inFontUcs4(ord(ch)) for ch in chinese)


def test_window_size_and_page_are_remembered(signed_in, qtbot):
    window = signed_in
    assert window.minimumSizeHint().width() <= 760  # fits a 1024×768 screen with room
    window.resize(760, 520)
    window.nav.setCurrentRow(window.pages.index(window.settings_page))
    window.close()
    again = MainWindow(window.context)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 520)
    assert again.current_page is again.settings_page
    # Squeezed by a smaller screen (a laptop at 150 %), it grows back on a larger one.
    again.resize(700, 500)
    again.close()
    again._ui_state.setValue("main/screen", "720x520")
    third = MainWindow(window.context)
    qtbot.addWidget(third)
    assert (third.width(), third.height()) == (768, 720)  # 1100×720 as far as 800×800 allows


def test_an_unexpected_error_is_reported_and_leaves_no_half_written_data(signed_in, qtbot):
    window = signed_in
    store = window.context.store

    def broken_service(ctx):
        ctx.session.get(Org, 1).name = "写了一半"
        ctx.session.flush()
        raise RuntimeError("磁盘出错（测试）")

    reports: list[str] = []

    def inspect(dialog):
        assert isinstance(dialog, ErrorDialog)
        dialog.copy_button.click()
        reports.extend([dialog.report, dialog.findChild(object, "summary").text()])
        dialog.close()

    answer_modal(inspect)
    window.context.write(broken_service)
    qtbot.waitUntil(lambda: bool(reports), timeout=5_000)
    assert "RuntimeError: 磁盘出错（测试）" in reports[0]
    assert QGuiApplication.clipboard().text() == reports[0]
    assert str(store.paths.logs) in reports[1]
    assert "磁盘出错" in (store.paths.logs / "qzdesk.log").read_text(encoding="utf-8")
    with store.transaction() as session:
        assert session.scalar(select(Org.name).where(Org.id == 1)) != "写了一半"


def test_an_expected_error_is_a_plain_message(signed_in, qtbot):
    from qzdesk.services.organisation import orgs

    texts: list[str] = []
    answer_modal(lambda box: (texts.append(box.text()), box.close()))
    signed_in.context.write(orgs.rename_org, 999, "x")
    qtbot.waitUntil(lambda: bool(texts), timeout=5_000)
    assert "找不到编号为 999 的组织" in texts[0]


def test_work_dropped_at_shutdown_is_not_an_error(qapp, qtbot):
    import threading

    from qzdesk.ui.worker import DbWorker

    errors: list[BaseException] = []
    worker = DbWorker(errors.append)
    release = threading.Event()
    worker.submit(release.wait)
    done: list[object] = []
    worker.submit(lambda: "never", on_done=done.append)
    threading.Timer(0.2, release.set).start()
    worker.shutdown()  # cancels the second call at once, then lets the first finish
    qtbot.wait(50)
    assert errors == [] and done == [] and worker.pending == 0


def test_a_callback_asking_for_more_work_after_shutdown_is_dropped(qapp, qtbot):
    import threading

    from qzdesk.ui.worker import DbWorker

    errors: list[BaseException] = []
    worker = DbWorker(errors.append)
    chained: list[object] = []
    release = threading.Event()
    # A page's result arriving as the window closes asks for its next load. (The call
    # finishes on the worker only after shutdown began, so its result is delivered after.)
    worker.submit(release.wait, on_done=lambda _: chained.append(worker.submit(lambda: 2)))
    threading.Timer(0.2, release.set).start()
    worker.shutdown()
    qtbot.waitUntil(lambda: bool(chained))
    assert chained[0].cancelled() and errors == [] and worker.pending == 0


def test_the_home_page_lists_what_is_due_and_leads_there(signed_in, qtbot):
    window = signed_in
    home = window.home
    qtbot.waitUntil(lambda: home.todo.rowCount() > 0)
    texts = [home.todo.item(r, 0).text() for r in range(home.todo.rowCount())]
    assert any("尚未签字确认" in t for t in texts)  # the demo's draft minutes
    row = next(r for r, item in enumerate(home.items) if item.target is Target.ADMISSION)
    home.todo.setCurrentCell(row, 0)
    home.todo.setFocus()
    qtbot.keyClick(home.todo, Qt.Key.Key_Return)  # the keyboard leads there as a double-click
    assert window.current_page is window.admission


def test_the_manual_is_bundled_and_the_title_names_the_organisation(signed_in, qtbot):
    from PySide6.QtWidgets import QTextBrowser

    window = signed_in
    assert window.windowTitle() == "秦州区示范中学团委（演示）"
    dialog = window.show_manual()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QTextBrowser, "manual").toPlainText()
    assert "第一次使用" in text and "从备份恢复" in text
    dialog.close()


def test_the_navigation_has_icons_and_about_names_the_components(signed_in):
    from qzdesk.ui.main_window import components_text

    window = signed_in
    icons = [window.nav.item(i).icon() for i in range(window.nav.count())]
    assert len(icons) == len(window.pages) == 8 and not any(icon.isNull() for icon in icons)
    text = components_text()
    assert (
        "PySide6 / Qt 6." in text
        and "LGPL-3.0" in text
        and "文泉驿微米黑字体（Apache-2.0）" in text
    )


def test_qt_s_own_file_dialog_speaks_chinese(qapp, qtbot):
    from PySide6.QtWidgets import QFileDialog

    from qzdesk.ui.app import ensure_app

    ensure_app()
    dialog = QFileDialog(None, "保存导入模板", "", "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.labelText(QFileDialog.DialogLabel.LookIn) == "查找范围："
    assert dialog.labelText(QFileDialog.DialogLabel.FileType) == "文件类型："
    dialog.close()
