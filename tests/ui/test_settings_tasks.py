"""设置 as a secretary uses it: branches added, closed and restored; details saved."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qzdesk.services import clock
from qzdesk.services.organisation import orgs
from qzdesk.ui.settings.organisation import ORG_ID, CloseOrgDialog
from tests.desks import desk_of
from tests.ui.conftest import answer_modal, type_text


def select_org(tab, name):
    items = tab.tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert items, name
    tab.tree.setCurrentItem(items[0])
    return tab.orgs[items[0].data(0, ORG_ID)]


def settle(qtbot, window):
    qtbot.waitUntil(lambda: window.context.worker.pending == 0)


def test_add_a_branch_and_see_it_everywhere(signed_in, qtbot):
    window = signed_in
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page is window.settings_page
    tab = window.settings_page.org_tab
    settle(qtbot, window)
    select_org(tab, "秦州区示范中学团委（演示）")
    assert tab.add_button.isEnabled()

    def fill(dialog):
        dialog.setTextValue("初一（1）班团支部")
        dialog.accept()

    answer_modal(fill)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: bool(tab.tree.findItems("初一（1）班团支部", Qt.MatchFlag.MatchRecursive))
    )
    home_names = [
        window.home.branches.item(r, 0).text() for r in range(window.home.branches.rowCount())
    ]
    assert "初一（1）班团支部" in home_names
    assert "在册团支部 6 个" in window.home.counts.text()


def test_close_a_branch_with_a_reason_then_restore_it(signed_in, qtbot):
    window = signed_in
    window.open_rules()
    window.settings_page.tabs.setCurrentWidget(window.settings_page.org_tab)
    tab = window.settings_page.org_tab
    settle(qtbot, window)
    org = select_org(tab, "初三（3）班团支部")
    assert tab.close_button.isEnabled() and not tab.reopen_button.isEnabled()

    dialog = CloseOrgDialog(window.context, org, tab)
    qtbot.addWidget(dialog)
    dialog.submit()  # no reason given
    qtbot.waitUntil(lambda: dialog.errors.text("reason") == "请填写撤销原因。")
    type_text(dialog.reason, "与初三（2）班合并")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == CloseOrgDialog.DialogCode.Accepted)
    settle(qtbot, window)
    closed = select_org(tab, "初三（3）班团支部")
    assert closed.closed_on == clock.today() and closed.close_reason == "与初三（2）班合并"
    assert "已撤销 2 个" in window.home.counts.text()
    assert tab.reopen_button.isEnabled()

    answer_modal(lambda box: box.button(box.StandardButton.Yes).click())
    qtbot.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.orgs[closed.id].is_open)
    assert desk_of(window.context.store).read(orgs.list_orgs)  # still there, history kept


def test_saving_organisation_details_shows_field_errors(signed_in, qtbot):
    window = signed_in
    tab = window.settings_page.org_tab
    settle(qtbot, window)
    tab.parent_org.clear()
    qtbot.mouseClick(tab.findChild(object, "save_org"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.errors.text("parent_name") == "请填写上级团组织名称。")
    type_text(tab.parent_org, "共青团秦州区委")
    qtbot.mouseClick(tab.findChild(object, "save_org"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "共青团秦州区委" in window.home.facts.text())


def test_change_the_password_from_settings(signed_in, qtbot):
    window = signed_in
    account = window.settings_page.account_tab
    account.old_password.setText("qzdemo")
    account.new_password.setText("xinmima1")
    account.confirmation.setText("xinmima1")
    qtbot.mouseClick(account.findChild(object, "change_password"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "密码已修改" in account.done.text())
    assert account.old_password.text() == ""


def test_the_rule_profile_is_listed_with_sources(signed_in, qtbot):
    window = signed_in
    rules = window.settings_page.rules_tab
    settle(qtbot, window)
    table = rules.table
    assert table.rowCount() == len(window.context.profiles["qinzhou-2024"].entries())
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    publicity = rows["公示期"]
    assert table.item(publicity, 2).text() == "5"
    assert table.item(publicity, 5).text() == "地方通行做法"
    assert table.item(rows["超龄前提醒"], 5).text() == "本软件默认值"
    assert table.item(rows["支部委员会任期"], 5).text() == "已核实（正式文件）"
    assert table.item(rows["团课频次"], 5).text() == "未经证实"
    assert "在用" in rules.status.text() and not rules.use_button.isEnabled()


def test_a_new_recovery_code_from_settings_replaces_the_old_one(signed_in, qtbot):
    """The 恢复码 was seen by someone: a new one, shown once, and only it opens the data."""
    from qzdesk.services.security import auth, store_key
    from qzdesk.services.storage import cipher
    from qzdesk.ui.recovery import RecoveryCodeDialog

    window = signed_in
    account = window.settings_page.account_tab

    def enter_password(dialog):
        dialog.setTextValue("qzdemo")
        dialog.accept()

    answer_modal(enter_password)
    qtbot.mouseClick(account.findChild(object, "new_recovery_code"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(account.recovery, RecoveryCodeDialog), timeout=10_000)
    code = account.recovery.code
    assert account.recovery.organisation == "秦州区示范中学团委（演示）"
    paths = window.context.store.paths
    assert not store_key.unlock(cipher.store_key_file(paths), code, store_key.RECOVERY)
    before = cipher.read_key_file(cipher.store_key_file(paths))
    account.recovery.copied.setChecked(True)
    account.recovery.accept()
    qtbot.waitUntil(lambda: "旧的恢复码已作废" in account.recovery_done.text(), timeout=20_000)
    after = cipher.read_key_file(cipher.store_key_file(paths))
    assert after is not None and before is not None
    assert after["key_id"] != before["key_id"]  # a new data key, not a re-wrap
    saved = dict(cipher._unlocked)
    try:
        cipher._unlocked.clear()
        assert auth.unlock_with_recovery_code(paths, code)
    finally:
        cipher._unlocked.update(saved)
    from qzdesk.services.organisation.orgs import organisation_name

    answers: list[object] = []  # the window goes on working on the re-keyed file
    window.context.read(organisation_name, on_done=answers.append)
    qtbot.waitUntil(lambda: answers == ["秦州区示范中学团委（演示）"], timeout=10_000)


def test_a_password_that_may_have_leaked_changes_the_key_too(signed_in, qtbot):
    """旧密码可能已泄露: the new 恢复码 is shown first; cancelling it changes nothing."""
    from qzdesk.services.security import store_key
    from qzdesk.services.storage import cipher
    from qzdesk.ui.recovery import RecoveryCodeDialog

    window = signed_in
    account = window.settings_page.account_tab
    paths = window.context.store.paths
    before = cipher.read_key_file(cipher.store_key_file(paths))
    account.old_password.setText("qzdemo")
    account.new_password.setText("xinmima1")
    account.confirmation.setText("xinmima1")
    account.leaked.setChecked(True)
    qtbot.mouseClick(account.findChild(object, "change_password"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(account.recovery, RecoveryCodeDialog), timeout=10_000)
    account.recovery.reject()  # 取消: nothing changes
    assert cipher.read_key_file(cipher.store_key_file(paths)) == before
    assert store_key.password_opens(paths, "qzdemo")
    first = account.recovery
    qtbot.mouseClick(account.findChild(object, "change_password"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: account.recovery is not first, timeout=10_000)
    account.recovery.copied.setChecked(True)
    account.recovery.accept()
    qtbot.waitUntil(lambda: "数据密钥已更换" in account.done.text(), timeout=20_000)
    assert store_key.password_opens(paths, "xinmima1")
    assert not store_key.password_opens(paths, "qzdemo")
    assert store_key.unlock(cipher.store_key_file(paths), first.code, store_key.RECOVERY) is False
    after = cipher.read_key_file(cipher.store_key_file(paths))
    assert after is not None and before is not None and after["key_id"] != before["key_id"]


def test_a_branch_marked_temporary_is_shown_so_and_not_rated(signed_in, qtbot):
    from qzdesk.services.meetings.rating import ratings
    from qzdesk.vocabulary import BranchNature

    window = signed_in
    window.open_rules()
    window.settings_page.tabs.setCurrentWidget(window.settings_page.org_tab)
    tab = window.settings_page.org_tab
    settle(qtbot, window)
    org = select_org(tab, "初三（3）班团支部")
    assert tab.nature_button.isEnabled()

    def choose(dialog) -> None:
        dialog.setTextValue("临时团支部")
        dialog.accept()

    answer_modal(choose)
    qtbot.mouseClick(tab.nature_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.orgs[org.id].nature is BranchNature.TEMPORARY)
    assert tab.tree.currentItem().text(1) == "临时团支部"
    store, profiles = window.context.store, window.context.profiles
    rated = {r.branch_id for r in desk_of(store, profiles).read(ratings, clock.today().year)[1]}
    assert org.id not in rated
    select_org(tab, "秦州区示范中学团委（演示）")
    assert not tab.nature_button.isEnabled()  # only a 团支部 has a nature
