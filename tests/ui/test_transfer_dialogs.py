"""组织关系转接 from the window as a secretary does it: two members of a class picked on
the roster and transferred out (signed packages written, both still on the roster as
转出中, the 成长档案 tab showing the transfer), and one of those packages opened in 接收转接:
shown for review, and refused with the reason because the person is already here."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from qzdesk.ui.members.form import MemberForm
from qzdesk.ui.members.model import COLUMNS
from qzdesk.ui.members.transfer import ReceiveDialog, TransferOutDialog, TransfersDialog
from tests.ui.conftest import answer_modal
from tests.ui.test_roster_page import open_roster


def test_a_class_pair_goes_out_and_the_package_is_reviewed_before_anything(
    signed_in, qtbot, tmp_path
):
    window = signed_in
    page = open_roster(window, qtbot)
    selection = page.table.selectionModel()
    for row in (0, 1):
        selection.select(
            page.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    chosen = page.selected_members()
    assert len(chosen) == 2
    dialog = TransferOutDialog(window.context, chosen, page)
    qtbot.addWidget(dialog)
    dialog.to.setText("天水市第一中学团委")
    dialog.to_parent.setText("共青团天水市委")
    dialog.folder.setText(str(tmp_path))
    dialog.submit()  # no password: refused with the reason, nothing done
    assert "登录密码" in dialog.error.text()
    dialog.password.setText("qzdemo")
    answer_modal(lambda box: box.accept())
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == 1, timeout=30_000)
    packages = sorted(tmp_path.glob("转接-*.pdf"))
    assert len(packages) == 2 and all(p.stat().st_size > 10_000 for p in packages)
    qtbot.waitUntil(lambda: window.context.worker.pending == 0)

    # Still on the books until the receipt: the roster keeps them, marked 转出中.
    def going() -> set[int]:
        shown = (page.proxy.member_at(r) for r in range(page.proxy.rowCount()))
        return {m.id for m in shown if m.transferring}

    qtbot.waitUntil(lambda: going() == {member_id for member_id, _ in chosen}, timeout=10_000)
    status = [c.key for c in COLUMNS].index("status")
    row = next(
        r for r in range(page.proxy.rowCount()) if page.proxy.member_at(r).id == chosen[0][0]
    )
    assert page.proxy.index(row, status).data() == "转出中"
    form = MemberForm(window.context, chosen[0][0], page)
    qtbot.addWidget(form)
    titles = [form.tabs.tabText(i) for i in range(form.tabs.count())]
    tab = form.tabs.widget(titles.index("成长档案"))
    qtbot.waitUntil(lambda: tab.timeline.rowCount() > 0, timeout=10_000)
    kinds = [tab.timeline.item(r, 1).text() for r in range(tab.timeline.rowCount())]
    assert "组织关系转出" in kinds
    review = ReceiveDialog(window.context, [packages[0]], page)
    qtbot.addWidget(review)
    qtbot.waitUntil(lambda: review.history.rowCount() > 0, timeout=10_000)
    assert "介绍信 ZJ" in review.summary.text() and "团费交至" in review.summary.text()
    assert "身份证号相同" in review.notes.text() and not review.ok.isEnabled()
    qtbot.mouseClick(review.ok, Qt.MouseButton.LeftButton)  # disabled: nothing happens
    assert review.result() == 0
    review.reject()
    both = ReceiveDialog(window.context, packages, page)  # a class's files at once
    qtbot.addWidget(both)
    qtbot.waitUntil(lambda: both.packages.rowCount() == 2, timeout=10_000)
    assert "2 份不能接收" in both.error.text() and not both.ok.isEnabled()
    both.packages.setCurrentCell(1, 0)
    second = both.packages.item(1, 1).text()
    assert second in both.summary.text() and second != both.packages.item(0, 1).text()
    both.reject()
    # The 智慧团建 side recorded, then one transfer withdrawn (the member stays).
    listing = TransfersDialog(window.context, page)
    qtbot.addWidget(listing)
    qtbot.waitUntil(lambda: listing.table.rowCount() == 2, timeout=10_000)
    listing.table.setCurrentCell(0, 0)
    listing.zhtj_state.setCurrentText("已发起")
    listing.record_zhtj()
    qtbot.waitUntil(lambda: listing.table.item(0, 5).text().startswith("已发起"), timeout=10_000)
    listing.table.setCurrentCell(1, 0)
    listing.withdraw()  # no reason: refused with the reason
    qtbot.waitUntil(lambda: "撤回原因" in listing.error.text(), timeout=10_000)
    listing.reason.setText("录取后放弃入学")
    answer_modal(lambda box: box.button(box.StandardButton.Yes).click())
    listing.withdraw()
    qtbot.waitUntil(lambda: listing.table.item(1, 4).text().startswith("已撤回"), timeout=10_000)
