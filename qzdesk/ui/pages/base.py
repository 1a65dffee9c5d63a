"""A page that loads its data on the worker and reloads when its kinds of data change."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget

from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
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
        self.context.read(self.load, on_done=self.show_data)

    def load(self, ctx: Context) -> Any:
        """One desk read on the worker thread (one snapshot): call services only, touch no
        widget."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError
