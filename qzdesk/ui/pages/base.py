"""A page that loads its data on the worker and reloads when its kinds of data change."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QTabWidget, QWidget

from qzdesk.services.changes import Topic
from qzdesk.ui.context import AppContext


class Page(QWidget):
    TITLE: ClassVar[str]
    TOPICS: ClassVar[frozenset[Topic]]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        context.worker.changed.connect(self._on_changed)

    def _on_changed(self, topics: frozenset[Topic]) -> None:
        if topics & self.TOPICS:
            self.refresh()

    def refresh(self) -> None:
        self.context.worker.submit(self.load, on_done=self.show_data)

    def load(self) -> Any:
        """Runs on the worker thread: call services only, touch no widget."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def show_tab(self, title: str) -> None:
        """Bring forward the tab of that title, on pages that have tabs."""
        tabs = getattr(self, "tabs", None)
        if not isinstance(tabs, QTabWidget):
            return
        for index in range(tabs.count()):
            if tabs.tabText(index).split("（")[0] == title:
                tabs.setCurrentIndex(index)
