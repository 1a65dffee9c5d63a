"""The bundled CJK font, registered with Qt so Chinese renders without system fonts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from qzdesk.config import font_path

UI_POINT_SIZE = 10


_registered: list[str] = []


def install_font(app: QApplication) -> str:
    """Register the font (once per process) and make it the application font; returns its
    family name."""
    if not _registered:
        path = font_path()
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise RuntimeError(f"无法加载字体文件 {path}，安装可能不完整。")
        _registered.append(families[0])
    app.setFont(QFont(_registered[0], UI_POINT_SIZE))
    return _registered[0]
