"""Showing one registered document and saving it where the secretary chooses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from qzdesk.services.context import Context
from qzdesk.services.files import write_atomically
from qzdesk.services.periods import Period
from qzdesk.ui.context import AppContext


def preview_and_save(
    parent: QWidget,
    context: AppContext,
    key: str,
    period: Period,
    file_name: str,
    **options: Any,
) -> None:
    """Render a registered document on the worker, show the pages, and write the file only
    if 保存 is chosen."""
    # ReportLab and the font load on the first export, not at start-up.
    from qzdesk.export.pdf.registry import render_document

    preview_pdf_and_save(
        parent, context, lambda ctx: render_document(ctx, key, period, **options), file_name
    )


def preview_pdf_and_save(
    parent: QWidget, context: AppContext, make: Callable[[Context], bytes], file_name: str
) -> None:
    """Make a PDF on the worker, show its pages, and save it where the secretary chooses."""

    def show(pdf: bytes) -> None:
        from qzdesk.ui.pdf_preview import PdfPreview

        dialog = PdfPreview(pdf, file_name, "请核对内容；点“保存”后选择保存位置。", parent)
        if not dialog.exec():
            return
        target, _ = QFileDialog.getSaveFileName(
            parent, "保存为", str(Path.home() / file_name), "PDF 文件 (*.pdf)"
        )
        if target:
            context.worker.submit(
                write_atomically,
                Path(target),
                pdf,
                on_done=lambda _: QMessageBox.information(parent, "已保存", f"已保存到 {target}"),
            )

    context.read(make, on_done=show)
