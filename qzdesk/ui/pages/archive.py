"""台账: build the signed archive of a period onto a folder or a USB stick, and verify one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStorageInfo, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from qzdesk.config import DataPaths
from qzdesk.services.changes import Topic
from qzdesk.services.context import Context
from qzdesk.services.periods import Period, parse_period
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ERROR_STYLE, combo, year_box
from qzdesk.ui.pages.base import Page

KINDS = [("年度", "year"), ("季度", "quarter"), ("月份", "month")]


def destinations() -> list[tuple[str, str]]:
    """(label, folder): the documents folder and every writable mounted volume."""
    home = Path.home()
    places = [(f"我的文档（{home / 'Documents'}）", str(home / "Documents"))]
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not volume.isReady() or volume.isReadOnly():
            continue
        root = volume.rootPath()
        if root in ("/", "/boot", "/boot/efi") or root.startswith(
            ("/proc", "/sys", "/run", "/dev")
        ):
            continue
        free = volume.bytesAvailable() / 2**30
        places.append((f"{volume.displayName() or root}（{root}，可用 {free:.1f} GB）", root))
    return places


class ArchivePage(Page):
    TITLE = "台账"
    TOPICS = frozenset({Topic.SETTINGS})

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.last_saved: Any = None
        self.last_check: Any = None
        layout = QVBoxLayout(self)
        build_box = QGroupBox("生成签名台账（PDF）")
        form = QFormLayout(build_box)
        period_row = QHBoxLayout()
        self.kind = combo("period_kind", list(KINDS))
        self.year = year_box("year", self.context.today())
        self.part = QSpinBox()
        self.part.setObjectName("part")
        for widget in (self.kind, self.year, self.part):
            period_row.addWidget(widget)
        period_row.addStretch(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("期间：", period_row)
        folder_row = QHBoxLayout()
        self.folder = QComboBox()
        self.folder.setObjectName("folder")
        self.folder.setEditable(True)
        for label, path in destinations():
            self.folder.addItem(label, path)
        choose = QPushButton("选择文件夹…")
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        form.addRow("保存到：", folder_row)
        self.build_button = QPushButton("生成并签名…")
        self.build_button.setObjectName("build")
        self.build_button.clicked.connect(self.build)
        form.addRow(self.build_button)
        self.result = QLabel()
        self.result.setObjectName("build_result")
        self.result.setWordWrap(True)
        form.addRow(self.result)
        layout.addWidget(build_box)

        verify_box = QGroupBox("校验台账")
        verify_layout = QVBoxLayout(verify_box)
        verify_button = QPushButton("选择台账文件并校验…")
        verify_button.setObjectName("verify")
        verify_button.clicked.connect(self.choose_and_verify)
        verify_layout.addWidget(verify_button)
        self.report = QLabel()
        self.report.setObjectName("verify_report")
        self.report.setWordWrap(True)
        verify_layout.addWidget(self.report)
        layout.addWidget(verify_box)
        layout.addStretch(1)
        self._kind_changed()

    def load(self, ctx: Context) -> None:
        return None

    def show_data(self, data: None) -> None:
        return None

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.part.setVisible(kind != "year")
        today = self.context.today()
        if kind == "quarter":
            self.part.setRange(1, 4)
            self.part.setPrefix("第 ")
            self.part.setSuffix(" 季度")
            self.part.setValue((today.month - 1) // 3 + 1)
        elif kind == "month":
            self.part.setRange(1, 12)
            self.part.setPrefix("")
            self.part.setSuffix(" 月")
            self.part.setValue(today.month)

    def period_code(self) -> str:
        kind, year = self.kind.currentData(), self.year.value()
        if kind == "quarter":
            return f"{year}Q{self.part.value()}"
        if kind == "month":
            return f"{year}-{self.part.value():02d}"
        return str(year)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存台账的文件夹", str(Path.home()))
        if folder:
            self.folder.setEditText(folder)

    def target_folder(self) -> Path:
        text = self.folder.currentText()
        data = self.folder.currentData()
        return Path(
            data if data and self.folder.itemText(self.folder.currentIndex()) == text else text
        )

    def build(self) -> None:
        password, ok = QInputDialog.getText(
            self, "签名", "登录密码（用于打开签名密钥）：", QLineEdit.EchoMode.Password
        )
        if not ok:
            return
        self.build_with(password)

    def build_with(self, password: str, preview: bool = True) -> None:
        """Build and sign; with `preview`, show the pages before anything is written."""
        from qzdesk.export.archive import build_archive  # ReportLab and pyHanko: on demand

        period = parse_period(self.period_code())
        folder = self.target_folder()
        self.build_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(f"正在生成 {period.label} 的台账并签名…")
        self.context.read(
            build_archive,
            period,
            password,
            on_done=lambda built: self._preview(period, folder, *built, preview),
            on_error=self._failed,
        )

    def _preview(
        self, period: Period, folder: Path, archive_id: str, pdf: bytes, preview: bool
    ) -> None:
        from qzdesk.export.archive import store_archive

        self.build_button.setEnabled(True)
        if preview:
            from qzdesk.ui.pdf_preview import PdfPreview

            dialog = PdfPreview(
                pdf,
                f"台账预览：{period.label}",
                f"台账编号 {archive_id}。请核对后点“保存”，将写入：{folder}",
                self,
            )
            accepted = dialog.exec()
            dialog.deleteLater()
            if not accepted:
                self.result.setText("已取消，没有保存任何文件。")
                return
        self.result.setText(f"正在保存到 {folder} 并校验…")
        self.context.write(
            store_archive,
            period,
            archive_id,
            pdf,
            folder,
            on_done=self._built,
            on_error=self._failed,
        )

    def _built(self, saved: Any) -> None:
        self.last_saved = saved
        self.build_button.setEnabled(True)
        self.result.setText(
            f"已保存并校验：{saved.path}\n台账编号 {saved.archive_id}，共 {saved.pages} 页。"
            "可把此文件交上级团委（U 盘或其他方式）。"
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(saved.path.parent)))

    def _failed(self, error: BaseException) -> None:
        self.build_button.setEnabled(True)
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(f"没有生成台账：{error}")

    def choose_and_verify(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择台账", str(Path.home()), "PDF (*.pdf)")
        if path:
            self.verify(Path(path))

    def verify(self, path: Path) -> None:
        from qzdesk.export.archive import trust_list, verify_archive

        paths = DataPaths(self.context.store.paths.root)

        def check() -> Any:
            return verify_archive(path.read_bytes(), trust_list(paths, []))

        self.context.worker.submit(check, on_done=lambda result: self._verified(path, result))

    def _verified(self, path: Path, result: Any) -> None:
        self.last_check = result
        lines = [f"{path.name}：{'通过' if result.ok else '未通过'}", *result.report()]
        self.report.setStyleSheet("" if result.ok else ERROR_STYLE)
        self.report.setText("\n".join(lines))
        if not result.ok:
            QMessageBox.warning(self, "校验未通过", "\n".join(lines))
