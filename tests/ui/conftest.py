"""Starting the real GUI flow on a data directory, and answering modal dialogs."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from qzdesk.config import DataPaths
from qzdesk.logs import setup_logging
from qzdesk.ui.app import Launcher, close_context, ensure_app, open_context
from qzdesk.ui.error_dialog import ErrorHandler


def type_text(widget: QWidget, text: str) -> None:
    """Type as a secretary does: Chinese arrives from the input method as a committed
    string (QTest's key clicks only know ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def answer_modal(
    action: Callable[[QWidget], None],
    timeout_ms: int = 10_000,
    kind: type[QWidget] = QWidget,
) -> list[QWidget]:
    """When the next modal dialog (of `kind`, for one opened over an open dialog) opens,
    run `action` on it (which must close it)."""
    seen: list[QWidget] = []
    waited = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            waited[0] += 20
            if waited[0] < timeout_ms:
                QTimer.singleShot(20, poll)
            return
        seen.append(widget)
        action(widget)

    QTimer.singleShot(0, poll)
    return seen


@pytest.fixture
def launch(qapp):
    """Open a data directory as `qzdesk` would and start the wizard-or-login flow."""
    started: list[Launcher] = []

    def start(data: Path) -> Launcher:
        ensure_app()
        paths = DataPaths(data)
        handler = ErrorHandler(setup_logging(paths.logs))
        context = open_context(paths, handler)
        assert context is not None
        launcher = Launcher(context, handler)
        launcher.start()
        started.append(launcher)
        return launcher

    yield start
    # A dialog a test left open would take the next test's answer_modal.
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.close()
    for launcher in started:
        for widget in (launcher.window, launcher.dialog):
            if widget is not None:
                widget.close()
        close_context(launcher.context)
    # Results the worker posted before it stopped are delivered now, while this test's
    # widgets still exist, and the widgets are then freed here rather than by a garbage
    # collection in the middle of a later test's event loop.
    QApplication.processEvents()
    for launcher in started:
        for widget in (launcher.window, launcher.dialog):
            if widget is not None:
                widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    started.clear()
    gc.collect()


def confirm_recovery_code(qtbot, wizard) -> str:
    """The 恢复码 shown once after setup: continuing waits for the tick that it was kept."""
    from PySide6.QtCore import Qt

    qtbot.waitUntil(lambda: getattr(wizard, "recovery", None) is not None, timeout=20_000)
    dialog = wizard.recovery
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.ok.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a code shown only once is not lost to Esc
    assert dialog.isVisible()
    dialog.copied.setChecked(True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    return dialog.code


@pytest.fixture
def signed_in(launch, qtbot, data_dir, monkeypatch):
    """The main window on the demo data, signed in through QZDESK_PASSWORD."""
    monkeypatch.setenv("QZDESK_PASSWORD", "qzdemo")
    launcher = launch(data_dir)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
    window = launcher.window
    qtbot.waitUntil(lambda: window.home.data is not None and window.context.worker.pending == 0)
    return window
