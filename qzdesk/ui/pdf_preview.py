"""Looking at a PDF before it is saved, or at one received (QtPdf's QPdfView)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from qzdesk.ui.screen import fit


class PdfPreview(QDialog):
    """Shows the pages; 保存 accepts, 取消 rejects (nothing is written then)."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        note: str,
        parent: QWidget | None = None,
        view_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.document = QPdfDocument(self)
        # The buffer is the document's child: QPdfDocument reads it until its own destructor
        # has run, and a sibling could be deleted first (a crash seen in the tests).
        self._buffer = QBuffer(self.document)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setVisible(not view_only)
        buttons.addButton("关闭" if view_only else "取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 760, 900)

    def done(self, result: int) -> None:
        self.view.setDocument(None)
        self.document.close()
        super().done(result)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def show_page_with(self, text: str) -> int | None:
        """Scroll to the first page whose text holds `text` (a section's title); its
        index, or None when no page does."""
        for page in range(self.document.pageCount()):
            if text in self.document.getAllText(page).text():
                self.view.pageNavigator().jump(page, QPointF(), 0)
                return page
        return None
