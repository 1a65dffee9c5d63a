"""The 团员 page as a secretary uses it."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qzdesk.services.members import records
from qzdesk.ui.members.form import LeaveDialog, MemberForm
from qzdesk.ui.members.import_dialog import ImportDialog
from qzdesk.vocabulary import MemberStatus
from tests.desks import desk_of
from tests.ui.conftest import answer_modal, type_text
from tests.unit.test_members import rid

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def open_roster(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.roster
    assert window.current_page is page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and window.context.worker.pending == 0)
    return page


def test_the_home_page_counts_members_per_branch(signed_in):
    table = signed_in.home.branches
    counts = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert counts["初三（1）班团支部"] == "11" and counts["教职工团支部"] == "5"
    assert table.item(0, 2).text() == "正常"


def test_search_as_you_type_and_the_count(signed_in, qtbot):
    page = open_roster(signed_in, qtbot)
    assert page.proxy.rowCount() == 41
    assert "显示 41 人 / 共 43 人" in signed_in.count_label.text()
    first = page.proxy.member_at(0)
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, first.search_key.split()[2])  # the initials
    assert first.id in page.proxy.member_ids()
    assert page.proxy.rowCount() < 41
    page.search.clear()
    page.status.setCurrentIndex(0)  # 全部状态
    assert page.proxy.rowCount() == 43


def test_hidden_columns_are_remembered(signed_in, qtbot):
    page = open_roster(signed_in, qtbot)
    page._show_column(4, False)
    again = type(page)(signed_in.context)
    assert again.table.isColumnHidden(4)


def test_add_a_member_with_a_mistyped_id_then_correct_it(signed_in, qtbot):
    page = open_roster(signed_in, qtbot)
    form = MemberForm(signed_in.context, None, page)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.branch.count() > 0)
    type_text(form.inputs["name"], "张三丰")
    good = rid("20110305", 777)
    form.id_number.setText(good[:-1] + ("1" if good[-1] != "1" else "2"))
    assert "校验位不符" in form.errors.text("id_number")
    form.id_number.setText(good)
    assert form.gender.currentText() == "男" and form.birth.date().year() == 2011
    form.inputs["joined_on"].setText("2025年5月")
    form.inputs["member_no"].setText("20256209999")  # one digit short
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "12 位数字" in form.errors.text("member_no"))
    form.inputs["member_no"].setText("202562099999")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result() == MemberForm.DialogCode.Accepted)
    qtbot.waitUntil(lambda: page.model.rowCount() == 44)
    page.search.setText("zsf")
    assert [page.proxy.member_at(r).name for r in range(page.proxy.rowCount())] == ["张三丰"]


def test_double_click_edits_and_the_history_shows_it(signed_in, qtbot):
    page = open_roster(signed_in, qtbot)
    member = page.proxy.member_at(0)
    seen = []

    def edit(form):
        qtbot.waitUntil(lambda: form.record is not None)
        seen.append(form.history.rowCount())
        form.inputs["mobile"].setText("139 1234 5678")
        form.save()

    answer_modal(edit)
    rect = page.table.visualRect(page.proxy.index(0, 0))
    # A view only reports a double click on the row it saw pressed first.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: (
            desk_of(signed_in.context.store).read(records.member_record, member.id).draft.mobile
            == "13912345678"
        )
    )
    record = desk_of(signed_in.context.store).read(records.member_record, member.id)
    assert seen == [1] and [e.kind for e in record.events] == ["added", "updated"]


def test_leaving_is_confirmed_and_recorded(signed_in, qtbot):
    page = open_roster(signed_in, qtbot)
    member = page.proxy.member_at(2)
    record = desk_of(signed_in.context.store).read(records.member_record, member.id)
    dialog = LeaveDialog(signed_in.context, record, page)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(MemberStatus.WITHDRAWN.value))
    type_text(dialog.reason, "本人申请退团")
    answer_modal(lambda box: box.button(box.StandardButton.Yes).click())
    dialog.submit()
    qtbot.waitUntil(lambda: "须经支部大会决定" in dialog.errors.text("decided_by"))
    type_text(dialog.decided_by, "2026年第4次支部大会")
    answer_modal(lambda box: box.button(box.StandardButton.Yes).click())
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == LeaveDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 40)


def test_import_a_file_through_the_preview(signed_in, qtbot, tmp_path):
    page = open_roster(signed_in, qtbot)
    path = tmp_path / "新团员.xlsx"
    shutil.copy(FIXTURES / "01-title-rows-aliases.xlsx", path)
    dialog = ImportDialog(signed_in.context, path, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.table.rowCount() == 5
    assert "可导入 5 人" in dialog.summary.text()
    assert dialog.import_button.text() == "导入 5 人"
    answer_modal(lambda box: box.accept())
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 48)
    page.search.setText("zsf")
    qtbot.waitUntil(lambda: page.proxy.rowCount() >= 1)
    assert "张三丰" in [page.proxy.member_at(r).name for r in range(page.proxy.rowCount())]


def test_import_a_class_workbook_confirming_the_new_class_and_export_the_rejects(
    signed_in, qtbot, tmp_path
):
    import openpyxl

    page = open_roster(signed_in, qtbot)
    path = tmp_path / "各班团员.xlsx"
    shutil.copy(FIXTURES / "12-class-sheets.xlsx", path)
    dialog = ImportDialog(signed_in.context, path, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert "将新建团支部：初三（9）班团支部。" in dialog.summary.text()
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["张飞"], 2).text() == "初三（9）班团支部"
    assert "将新建团支部" in dialog.table.item(rows["张飞"], dialog.table.columnCount() - 1).text()
    # A branch to be created is what the secretary asks for, not a problem: the rejects
    # file (written while the secretary keeps working here) holds no row of it.
    dialog.save_rejects(tmp_path / "有问题的行.xlsx")
    qtbot.waitUntil(lambda: dialog.rejects_saved is not None, timeout=10_000)
    assert "初三(9)班" not in openpyxl.load_workbook(dialog.rejects_saved).sheetnames
    asked: list[str] = []

    def create_then_close_the_report(box):
        asked.append(box.text())
        answer_modal(lambda report: report.accept())  # 导入完成, once this one has closed
        box.button(box.StandardButton.Yes).click()

    answer_modal(create_then_close_the_report)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert "将新建团支部：初三（9）班团支部" in asked[0]
    assert dialog.report.created == 3
    qtbot.waitUntil(lambda: page.branch.findText("初三（9）班团支部") >= 0)


def test_export_the_filtered_list(signed_in, qtbot, tmp_path):
    import openpyxl

    page = open_roster(signed_in, qtbot)
    page.branch.setCurrentIndex(1)
    shown = page.proxy.rowCount()
    path = tmp_path / "名单.xlsx"
    answer_modal(lambda box: box.accept())
    page.export_to(path)
    qtbot.waitUntil(path.exists, timeout=10_000)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.max_row == shown + 1


def test_closing_the_form_with_unsaved_edits_asks_first(signed_in, qtbot):
    page = open_roster(signed_in, qtbot)
    form = MemberForm(signed_in.context, page.proxy.member_at(0).id, page)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.record is not None)
    form.reject()  # nothing changed: closes at once
    assert form.result() == MemberForm.DialogCode.Rejected and not form.isVisible()
    form.show()
    form.inputs["mobile"].setText("13900000000")
    questions = []
    answer_modal(
        lambda box: (questions.append(box.text()), box.button(box.StandardButton.No).click())
    )
    form.reject()
    assert "未保存的修改" in questions[0] and form.isVisible()
    answer_modal(lambda box: box.button(box.StandardButton.Yes).click())
    form.reject()
    assert not form.isVisible()


def test_a_probation_is_recorded_from_the_member_form(signed_in, qtbot):
    from qzdesk.ui.members.form import DisciplineDialog

    page = open_roster(signed_in, qtbot)
    member = page.proxy.member_at(3)
    record = desk_of(signed_in.context.store).read(records.member_record, member.id)
    dialog = DisciplineDialog(signed_in.context, record, page)
    qtbot.addWidget(dialog)
    dialog.level.setCurrentText("留团察看")
    assert dialog.until.isEnabled()
    type_text(dialog.reason, "多次无故不参加组织生活")
    dialog.submit()
    qtbot.waitUntil(lambda: "支部大会" in dialog.errors.text("decided_by"))
    type_text(dialog.decided_by, "2026年第4次支部大会")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == DisciplineDialog.DialogCode.Accepted)
    events = desk_of(signed_in.context.store).read(records.member_record, member.id).events
    assert events[-1].label == "团内处分" and events[-1].details["level"] == "留团察看"
    dialog.level.setCurrentText("解除处分")
    assert not dialog.until.isEnabled() and not dialog.decided_by.isEnabled()


def test_a_column_mapped_by_hand_is_remembered_for_the_next_file(signed_in, qtbot, tmp_path):
    """An export whose 入团年月 is headed 加入组织时间: the secretary reads that column as
    入团年月 in the preview, imports, and next term's file with the same headers maps by
    itself."""
    import openpyxl

    from tests.unit.test_roster_layouts import people, write

    page = open_roster(signed_in, qtbot)
    batches = [people(2, seed=41), people(2, seed=42)]
    files = [
        write(
            tmp_path / f"导出{n}.xlsx",
            [["姓名", "身份证号", "团员编号", "加入组织时间"]]
            # Next term's list without 团员编号 (made-up numbers would clash with the first).
            + [
                [p.name, p.id_number, "" if n else p.member_no, f"{p.joined_on:%Y-%m}"]
                for p in batch
            ],
        )
        for n, batch in enumerate(batches)
    ]
    assert openpyxl.load_workbook(files[0]).active.max_row == 3

    def opened(path):
        dialog = ImportDialog(signed_in.context, path, page)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
        return dialog

    first = opened(files[0])

    def unknown_joins(preview):
        return sum(any("缺入团年月" in w for w in r.warnings) for r in preview.rows)

    assert unknown_joins(first.preview) == 2  # every row lacks its 入团年月 as read
    titles = [first.columns.item(r, 0).text() for r in range(first.columns.rowCount())]
    chooser = first.columns.cellWidget(titles.index("加入组织时间"), 1)
    assert chooser.currentData() == ""
    first.preview = None
    chooser.setCurrentIndex(chooser.findText("入团年月"))  # as the secretary picks it
    qtbot.waitUntil(lambda: first.preview is not None, timeout=10_000)
    assert unknown_joins(first.preview) == 0 and first.preview.importable == 2
    assert first.preview.mapping == {"加入组织时间": "joined_on"}
    answer_modal(lambda report: report.accept())
    qtbot.mouseClick(first.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.report is not None, timeout=10_000)
    assert first.report.created == 2
    second = opened(files[1])
    # Mapped by itself: the same headers.
    assert unknown_joins(second.preview) == 0 and second.preview.importable == 2
    titles = [second.columns.item(r, 0).text() for r in range(second.columns.rowCount())]
    assert second.columns.cellWidget(titles.index("加入组织时间"), 1).currentText() == "入团年月"


def test_a_list_without_joining_dates_takes_the_year_its_numbers_show(signed_in, qtbot, tmp_path):
    """The secretary ticks 记入团员编号所示的入团年份: the year is on the roster, marked."""
    from tests.unit.test_roster_layouts import people, write

    page = open_roster(signed_in, qtbot)
    found = people(2, seed=43)
    rows = [[p.name, p.id_number, f"20226205{i:04d}"] for i, p in enumerate(found)]
    path = write(tmp_path / "团籍注册.xlsx", [["姓名", "身份证号", "团员编号"], *rows])
    dialog = ImportDialog(signed_in.context, path, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.accept_years.isVisible()
    assert dialog.accept_years.text() == "缺入团年月的 2 人，记入团员编号所示的入团年份（仅年份）"
    dialog.accept_years.setChecked(True)
    answer_modal(lambda report: report.accept())
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 45)
    from qzdesk.ui.members.model import COLUMNS

    column = [c.key for c in COLUMNS].index("joined_on")
    shown = {
        page.model.index(r, 0).data(): page.model.index(r, column).data()
        for r in range(page.model.rowCount())
    }
    assert [shown[p.name] for p in found] == ["2022 年（据团员编号）"] * 2
