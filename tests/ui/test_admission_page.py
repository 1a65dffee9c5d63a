"""The 发展团员 page driven as a secretary would: the leadership group's review sitting,
and an application taken through its first steps."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from qzdesk.services.admission import applicants, ledger
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.ui.admission.applicant_dialog import ApplicantDialog
from qzdesk.ui.admission.step_dialog import StepDialog
from tests.admission_helpers import rid
from tests.desks import desk_of
from tests.ui.conftest import answer_modal, type_text


def open_admission(window, qtbot, tab: int):
    window.nav.setCurrentRow(window.pages.index(window.admission))
    page = window.admission
    qtbot.waitUntil(lambda: page.data is not None and window.context.worker.pending == 0)
    page.tabs.setCurrentIndex(tab)
    return page


def test_a_review_sitting_approves_and_returns_entries(signed_in, qtbot):
    window = signed_in
    store, profiles = window.context.store, window.context.profiles
    page = open_admission(window, qtbot, 1)
    review = page.review
    waiting = len(review.rows)
    assert waiting > 2 and page.tabs.tabText(1) == f"积分审核（{waiting}）"
    first, second = review.rows[0].entry, review.rows[1].entry
    selection = review.table.selectionModel()
    for row in (0, 1):
        selection.select(
            review.table.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    type_text(review.reviewers, "王建国、李文静")
    answer_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.mouseClick(review.approve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已通过 2 条" in review.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: len(review.rows) == waiting - 2)
    statuses = {
        e.id: e.status for e in desk_of(store, profiles).read(ledger.entries_of, first.applicant_id)
    }
    assert statuses[first.id] == "approved" and statuses[second.id] == "approved"

    # Returning without a reason is refused in place; with one, the entry leaves the queue.
    review.table.clearSelection()
    review.table.selectRow(0)
    returned = review.rows[0].entry.id
    answer_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.mouseClick(review.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "退回须写明原因" in review.message.text(), timeout=10_000)
    type_text(review.reason, "缺少获奖证书复印件")
    answer_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.mouseClick(review.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: returned not in {r.entry.id for r in review.rows}, timeout=10_000)
    assert page.tabs.tabText(1) == f"积分审核（{waiting - 3}）"


def test_an_application_then_its_first_steps(signed_in, qtbot):
    window = signed_in
    store, profiles = window.context.store, window.context.profiles
    page = open_admission(window, qtbot, 0)

    def fill(dialog):
        assert isinstance(dialog, ApplicantDialog)
        type_text(dialog.fields["name"], "马晓燕")
        type_text(dialog.fields["id_number"], rid("20110101", 42))
        type_text(dialog.fields["grade"], "初二")
        type_text(dialog.fields["class_name"], "1班")
        qtbot.waitUntil(lambda: dialog.branch.count() > 0)
        dialog.submit()

    answer_modal(fill)
    page.new_applicant()
    qtbot.waitUntil(
        lambda: page.detail is not None and page.detail.file.row.name == "马晓燕", timeout=10_000
    )
    assert page.current().stage is Stage.APPLICANT
    assert "尚未与申请人谈话" in page.next.text()  # visible without opening a dialog

    def activist_is_blocked_then_talk(dialog):
        assert isinstance(dialog, StepDialog)
        dialog.step.setCurrentIndex(dialog.step.findData(Step.ACTIVIST.value))
        qtbot.waitUntil(lambda: "尚未与申请人谈话" in dialog.findings.text(), timeout=5_000)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()
        dialog.step.setCurrentIndex(dialog.step.findData(Step.TALK.value))
        type_text(dialog.text, "书记李文静与本人谈话，了解入团动机")
        qtbot.waitUntil(lambda: ok.isEnabled(), timeout=5_000)
        ok.click()

    answer_modal(activist_is_blocked_then_talk)
    page.record_step()
    qtbot.waitUntil(lambda: page.timeline.rowCount() == 2, timeout=10_000)
    assert page.timeline.item(1, 1).text() == Step.TALK.label
    applicant = next(
        a for a in desk_of(store, profiles).read(applicants.applicants) if a.name == "马晓燕"
    )
    assert [
        e.step
        for e in desk_of(store, profiles).read(applicants.applicant_file, applicant.id).events
    ] == [
        Step.APPLICATION,
        Step.TALK,
    ]


def test_a_decisive_step_asks_first_and_no_leaves_the_file_as_it_was(signed_in, qtbot):
    window = signed_in
    store, profiles = window.context.store, window.context.profiles
    page = open_admission(window, qtbot, 0)
    candidate = next(r for r in page.shown if r.stage is Stage.CANDIDATE)
    page.select(candidate.id)
    qtbot.waitUntil(lambda: page.detail is not None and window.context.worker.pending == 0)
    dialog = StepDialog(window.context, page.detail.file, window)
    qtbot.addWidget(dialog)
    dialog.step.setCurrentIndex(dialog.step.findData(Step.WITHDRAWN.value))
    type_text(dialog.text, "本人申请暂缓入团")
    asked: list[str] = []
    answer_modal(lambda box: (asked.append(box.text()), box.button(box.StandardButton.No).click()))
    dialog.submit()
    assert "不能修改或删除" in asked[0] and candidate.name in asked[0]
    qtbot.wait(200)
    file = desk_of(store, profiles).read(applicants.applicant_file, candidate.id)
    assert file.row.stage is Stage.CANDIDATE  # “否”: nothing recorded
    answer_modal(lambda box: box.button(box.StandardButton.Yes).click())
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.recorded is not None, timeout=10_000)
    assert (
        desk_of(store, profiles).read(applicants.applicant_file, candidate.id).row.stage
        is Stage.WITHDRAWN
    )


def test_a_list_of_applicants_with_history_is_imported_through_the_preview(
    signed_in, qtbot, tmp_path
):
    import shutil
    from pathlib import Path

    from qzdesk.ui.admission.import_dialog import ApplicantImportDialog

    window = signed_in
    page = open_admission(window, qtbot, 0)
    path = tmp_path / "申请人名单.xlsx"
    shutil.copy(
        Path(__file__).parent.parent / "fixtures" / "imports" / "14-applicants-history.xlsx", path
    )
    dialog = ApplicantImportDialog(window.context, path, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.table.rowCount() == 9
    assert "可导入 4 人（其中有提示 1 人），有错误 5 行" in dialog.summary.text()
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["赵小刚"], 3).text() == "发展对象"
    assert "谈话晚于规定" in dialog.table.item(rows["赵小刚"], 5).text()
    assert dialog.import_button.text() == "导入 4 人"
    answer_modal(lambda box: box.accept())
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    qtbot.waitUntil(lambda: any(r.name == "赵小刚" for r in page.data.applicants))
    imported = next(r for r in page.data.applicants if r.name == "赵小刚")
    assert imported.stage is Stage.CANDIDATE
