"""A secretary sets up a school with three class branches through the wizard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from qzdesk.services import audit
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.orgs import organisation_name
from qzdesk.ui.wizard import PAGE_BRANCHES, PAGE_ORG, PAGE_RULES, PAGE_SECRETARY, SetupWizard
from tests.ui.conftest import type_text


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
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
    window = launcher.window
    qtbot.waitUntil(lambda: window.home.data is not None)
    assert "秦州区第五中学团委" in window.home.title.text()
    assert window.home.branches.rowCount() == 3
    assert window.home.branches.item(0, 0).text() == "初三（1）班团支部"

    store = window.context.store
    assert organisation_name(store) == "秦州区第五中学团委"
    assert len([o for o in orgs.list_orgs(store) if o.parent_id is not None]) == 3
    assert {entry.actor for entry in audit.recent(store)} == {"王芳"}


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
