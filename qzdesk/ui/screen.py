"""Windows that fit the screen they open on: office PCs at 1024×768, laptops at 150 %
scaling (a logical 910×512). A window asks for its preferred size and gets at most what
the screen offers, its buttons inside it; a remembered geometry is brought back inside."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

MARGIN = 0.96  # leave the window frame and a taskbar that overlaps a little some room


def available(widget: QWidget | None = None) -> QRect:
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit(widget: QWidget, width: int, height: int) -> None:
    """Resize to the preferred size or the screen's, whichever is smaller, and centre."""
    area = available(widget)
    size = QSize(width, height).boundedTo(
        QSize(int(area.width() * MARGIN), int(area.height() * MARGIN))
    )
    widget.resize(size)
    frame = widget.frameGeometry()
    frame.moveCenter(area.center())
    # QWidget.move itself: a dialog may have a method of that name (moving a member).
    QWidget.move(widget, max(frame.x(), area.left()), max(frame.y(), area.top()))


def clamp(widget: QWidget) -> None:
    """A geometry remembered from another screen, brought inside this one."""
    area = available(widget)
    frame = widget.frameGeometry()
    if frame.width() > area.width() or frame.height() > area.height():
        fit(widget, min(frame.width(), area.width()), min(frame.height(), area.height()))
        return
    x = min(max(frame.x(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.top()), area.bottom() - frame.height() + 1)
    QWidget.move(widget, x, y)


def scrolled(content: QWidget) -> QScrollArea:
    """`content` in a frameless scroll area: on a small screen it scrolls, never crops."""
    holder = QScrollArea()
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    holder.setWidget(content)
    return holder
