"""收件 page: register a village's certificate from its paper form, receive a stick with
its archive and a junk file, and see who has submitted."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from qzdesk.services.receiving.summary import SummaryRow
from tests.export.test_receiving import Branch
from tests.ui.conftest import answer_modal, type_text


def test_register_receive_and_see_who_submitted(signed_in, qtbot, tmp_path, profiles):
    window = signed_in
    page = window.receiving
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.data is not None)
    village = Branch(
        tmp_path / "village", "东关村团支部", profiles, parent="秦州区示范中学团委（演示）"
    )
    stick = tmp_path / "U盘"
    stick.mkdir()
    village.archive("2026Q4", stick)
    (stick / "说明.pdf").write_text("不是台账", encoding="utf-8")

    from qzdesk.ui.receiving.page import RegisterDialog

    dialog = RegisterDialog(window.context, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.setText(str(village.cert))
    type_text(dialog.org, "东关村团支部")
    type_text(dialog.fingerprint, "00")  # a slip of the pen: refused where it was typed
    dialog.submit()
    qtbot.waitUntil(lambda: "64 位" in dialog.message.text())
    dialog.fingerprint.setText(village.fingerprint.replace(":", " "))
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.registered is not None)
    qtbot.waitUntil(lambda: page.certs.rowCount() == 1)

    page.period.setText("2026Q4")
    page.refresh()
    qtbot.waitUntil(lambda: page.status.rowCount() == 1 and page.data.period == "2026Q4")
    assert page.status.item(0, 1).text() == "未报送"
    told: list[str] = []
    answer_modal(
        lambda box: (told.append(box.text()), box.button(QMessageBox.StandardButton.Ok).click())
    )
    page.receive_from(stick)
    qtbot.waitUntil(lambda: page.last is not None, timeout=20_000)
    qtbot.waitUntil(lambda: page.log.rowCount() == 2)
    assert "收下 1 份" in told[0] and "拒收 1 份" in told[0]
    qtbot.waitUntil(lambda: page.status.item(0, 1).text() == "已报送")
    assert "其中逾期 0" in page.counts.text() and page.days.value() == 15
    assert "QZ-2026Q4-" in page.status.item(0, 2).text()
    verdicts = {page.log.item(r, 1).text(): page.log.item(r, 2).text() for r in range(2)}
    assert verdicts["说明.pdf"] == "拒收"
    told.clear()
    answer_modal(
        lambda box: (told.append(box.text()), box.button(QMessageBox.StandardButton.Ok).click())
    )
    page.export_to(tmp_path / "汇总表.xlsx", "2026Q4", "汇总表", write_summary_of)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "1 个组织" in told[0] and (tmp_path / "汇总表.xlsx").exists()

    # The same period side by side: the 汇总表 row opens the archive at its section.
    qtbot.waitUntil(lambda: page.summary.rowCount() == 1)
    assert page.compare.ranking.rowCount() == 1 and page.compare.grid.rowCount() == 1
    assert page.compare.grid.columnCount() == 3 + 2  # October to December, the name, 合计
    page.tabs.setCurrentWidget(page.summary.parentWidget())
    type_text(page.summary_filter, "西关村")
    assert page.summary.isRowHidden(0)
    page.summary_filter.clear()
    assert not page.summary.isRowHidden(0)
    column = SummaryRow.HEADERS.index("支部大会（已开/应开）")
    page.open_archive(0, column)  # kept sealed: opened through the worker
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible())
    assert page.preview is not None
    assert not page.preview.save_button.isVisible()
    shown = page.preview.view.pageNavigator().currentPage()
    assert "组织生活落实情况" in page.preview.document.getAllText(shown).text()
    page.preview.close()
    page.tabs.setCurrentWidget(page.cadres)
    assert "共 0 人" in page.cadres.total.text()  # a new village has elected nobody yet


def write_summary_of(target, view):
    from qzdesk.export.summary_excel import write_summary

    return write_summary(target, view.comparison.period, view.summary)


def test_figures_sort_as_numbers_and_blanks_last(qapp):
    from PySide6.QtCore import Qt

    from qzdesk.ui.tables import fill_sortable, make_table

    table = make_table(["组织", "出勤率"], "t")
    fill_sortable(table, [["甲", "92%"], ["乙", "—"], ["丙", "100%"], ["丁", "9%"]])
    assert [table.item(r, 0).text() for r in range(4)] == ["甲", "乙", "丙", "丁"]  # as given
    table.sortItems(1, Qt.SortOrder.AscendingOrder)
    assert [table.item(r, 1).text() for r in range(4)] == ["9%", "92%", "100%", "—"]
