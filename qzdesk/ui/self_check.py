"""The Qt half of `qzdesk selftest`: the application with its font and translations, a
dialog shown, and an archive opened by QtPdf as the preview does."""

from __future__ import annotations

import os
from pathlib import Path


def qt_checks(pdf: Path) -> tuple[int, bool]:
    """A window's worth of Qt: the application with its font and translations, and the
    archive opened by QtPdf as the preview does. Returns (pages, translated)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and os.name != "nt":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPdf import QPdfDocument

    from qzdesk.ui.app import ensure_app
    from qzdesk.ui.login import LoginDialog

    app = ensure_app()
    dialog = LoginDialog("自检", lambda _password, _answer: None)
    dialog.show()
    app.processEvents()
    dialog.close()
    document = QPdfDocument()
    document.load(str(pdf))
    return document.pageCount(), app.property("qzdesk_translator") is True
