"""A secretary sets up a school with three class branches through the wizard."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWizard

from qzdesk.services import audit, clock
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.orgs import organisation_name
from qzdesk.ui.wizard import PAGE_BRANCHES, PAGE_ORG, PAGE_RULES, PAGE_SECRETARY, SetupWizard
from tests.desks import desk_of
from tests.ui.conftest import confirm_recovery_code, type_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def click(qtbot, wizard, which):
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def test_the_wizard_creates_a_school_with_three_class_branches(launch, qtbot, tmp_path):
    launcher = launch(tmp_path / "new")
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, SetupWizard))
    wizard = launcher.dialog
    next_button = QWizard.WizardButton.NextButton
    click(qtbot, wizard, next_button)
    assert wizard.currentId() == PAGE_ORG
    assert not wizard.button(next_button).isEnabled()  # the name is required
    type_text(wizard.org_page.name, "秦州区第五中学团委")
    wizard.org_page.kind.setCurrentIndex(wizard.org_page.kind.findData("committee"))
    wizard.org_page.sector.setCurrentIndex(wizard.org_page.sector.findData("middle_school"))
    # The committee above is never assumed: an example in the empty field, a refusal without it.
    assert wizard.org_page.parent_org.text() == ""
    assert "例如" in wizard.org_page.parent_org.placeholderText()
    click(qtbot, wizard, next_button)
    assert wizard.currentId() == PAGE_ORG
    assert "请填写上级团组织名称" in wizard.org_page.errors.text("parent_org")
    type_text(wizard.org_page.parent_org, "共青团天水市秦州区委员会")
    click(qtbot, wizard, next_button)
    assert wizard.currentId() == PAGE_BRANCHES

    click(qtbot, wizard, next_button)  # no branches yet: refused with a message
    assert wizard.currentId() == PAGE_BRANCHES
    assert "至少添加一个团支部" in wizard.branches_page.message.text()
    wizard.branches_page.grade.setText("初三")
    wizard.branches_page.class_count.setValue(3)
    qtbot.mouseClick(wizard.branches_page.findChild(object, "generate"), Qt.MouseButton.LeftButton)
    assert wizard.branches_page.names() == [
        "初三（1）班团支部",
        "初三（2）班团支部",
        "初三（3）班团支部",
    ]
    click(qtbot, wizard, next_button)
    assert wizard.currentId() == PAGE_SECRETARY

    page = wizard.secretary_page
    type_text(page.secretary, "王芳")
    qtbot.keyClicks(page.password, "tuanzhibu1")
    qtbot.keyClicks(page.confirmation, "tuanzhibu2")
    click(qtbot, wizard, next_button)
    assert wizard.currentId() == PAGE_SECRETARY
    assert page.errors.text("confirmation") == "两次输入的密码不一致。"
    page.confirmation.clear()
    qtbot.keyClicks(page.confirmation, "tuanzhibu1")
    click(qtbot, wizard, next_button)
    assert wizard.currentId() == PAGE_RULES
    assert "未经证实" in wizard.rules_page.summary.text()

    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    code = confirm_recovery_code(qtbot, wizard)
    assert re.fullmatch(r"([2-9A-HJ-NP-Z]{4}-){5}[2-9A-HJ-NP-Z]{4}", code)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
    window = launcher.window
    qtbot.waitUntil(lambda: window.home.data is not None)
    assert "秦州区第五中学团委" in window.home.title.text()
    assert window.home.branches.rowCount() == 3
    assert window.home.branches.item(0, 0).text() == "初三（1）班团支部"

    store = window.context.store
    assert desk_of(store).read(organisation_name) == "秦州区第五中学团委"
    assert len([o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is not None]) == 3
    assert {entry.actor for entry in desk_of(store).read(audit.recent)} == {"王芳"}


def test_a_village_branch_skips_the_branches_page(launch, qtbot, tmp_path):
    launcher = launch(tmp_path / "village")
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, SetupWizard))
    wizard = launcher.dialog
    wizard.next()
    type_text(wizard.org_page.name, "秦州区玉泉镇某村团支部")
    wizard.org_page.kind.setCurrentIndex(wizard.org_page.kind.findData("branch"))
    wizard.org_page.sector.setCurrentIndex(wizard.org_page.sector.findData("village"))
    type_text(wizard.org_page.parent_org, "共青团天水市秦州区玉泉镇委员会")
    wizard.next()
    assert wizard.currentId() == PAGE_SECRETARY


def test_the_first_hour_guide_leads_a_new_village_branch_and_ticks_itself_off(
    launch, qtbot, tmp_path
):
    """After the wizard: import the roster, check the branch, lay out the plan, export the
    certificate; each step leads to its page and is ticked off by the data, then the guide
    goes away."""
    from qzdesk.services.meetings import plan
    from qzdesk.services.members import importer
    from qzdesk.services.security import branch_key
    from qzdesk.services.todo import Target

    launcher = launch(tmp_path / "village")
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, SetupWizard))
    wizard = launcher.dialog
    wizard.next()
    type_text(wizard.org_page.name, "秦州区玉泉镇东团庄村团支部")
    wizard.org_page.kind.setCurrentIndex(wizard.org_page.kind.findData("branch"))
    wizard.org_page.sector.setCurrentIndex(wizard.org_page.sector.findData("village"))
    type_text(wizard.org_page.parent_org, "共青团天水市秦州区玉泉镇委员会")
    wizard.next()
    type_text(wizard.secretary_page.secretary, "马小红")
    type_text(wizard.secretary_page.password, "tuanzhibu1")
    type_text(wizard.secretary_page.confirmation, "tuanzhibu1")
    wizard.next()
    wizard.accept()
    confirm_recovery_code(qtbot, wizard)
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
    window = launcher.window
    home = window.home
    qtbot.waitUntil(lambda: len(home.steps) == 4 and home.guide.isVisible())
    assert [s.done for s in home.steps] == [False, False, False, False]
    assert not any("评议" in i.text or "换届" in i.text for i in home.items)  # nobody yet
    assert "把现有的 Excel 名册导进来" in home.steps[0].state
    # The first step leads to the roster, which says what to do while it is empty.
    home.findChild(QPushButton, "guide_roster").click()
    assert window.current_page is window.roster
    qtbot.waitUntil(lambda: window.roster.empty_hint.isVisible())

    context = window.context
    fixture = FIXTURES / "04-gbk.csv"  # a village's list: no branch column
    done = []
    context.write(
        lambda ctx: importer.commit_import(ctx, importer.preview_import(ctx, fixture)),
        on_done=done.append,
    )
    qtbot.waitUntil(lambda: bool(done) and home.steps[0].done, timeout=20_000)
    assert home.steps[1].done  # the one branch has its members now
    qtbot.waitUntil(lambda: not window.roster.empty_hint.isVisible())  # its reload too
    context.write(plan.lay_out_year, clock.today().year)
    qtbot.waitUntil(lambda: home.steps[2].done, timeout=20_000)
    context.write(branch_key.export_certificate, tmp_path / "支部证书.pem")
    qtbot.waitUntil(lambda: home.steps[3].done and not home.guide.isVisible(), timeout=20_000)
    window.open_target(Target.KEY)
    assert window.settings_page.tabs.currentWidget() is window.settings_page.key_tab
