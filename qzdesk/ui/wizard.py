"""The first-run wizard (首次设置): organisation, branches, secretary and password, rules."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from qzdesk.services import setup
from qzdesk.services.errors import ValidationError
from qzdesk.services.names import clean_name
from qzdesk.services.organisation.orgs import OrgInfo
from qzdesk.services.organisation.rules import DEFAULT_PROFILE_ID
from qzdesk.services.organisation.settings import PARENT_ORG_EXAMPLE
from qzdesk.services.security.passwords import check_new_password
from qzdesk.services.setup import Founded
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import ERROR_STYLE, FieldErrors, combo
from qzdesk.ui.screen import fit
from qzdesk.vocabulary import OrgKind, Sector

PAGE_INTRO, PAGE_ORG, PAGE_BRANCHES, PAGE_SECRETARY, PAGE_RULES = range(5)


class IntroPage(QWizardPage):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setTitle("欢迎使用团支部工作台")
        self.setSubTitle("首次使用，请用几分钟完成设置。以后都可以在“设置”中修改。")
        text = QLabel(
            "qzdesk 把团员名册、发展团员、组织生活和台账保存在这台电脑上，不需要联网。\n\n"
            "接下来会询问：\n"
            "  1. 本组织的名称和类型；\n"
            "  2. 下设的团支部（学校可按班级批量生成）；\n"
            "  3. 书记姓名和登录密码；\n"
            "  4. 采用的规则配置。\n\n"
            f"数据保存位置：{context.store.paths.root}"
        )
        text.setWordWrap(True)
        QVBoxLayout(self).addWidget(text)


class OrgPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("本组织")
        self.setSubTitle("学校一般是“某某中学团委”，下设各班团支部；村、社区一般就是一个团支部。")
        form = QFormLayout(self)
        self.errors = FieldErrors()
        self.name = QLineEdit()
        self.name.setObjectName("org_name")
        self.name.setPlaceholderText("如：秦州区某某中学团委")
        self.errors.add_row(form, "组织名称：", self.name, "org_name")
        self.kind = combo("org_kind", [(k.label, k.value) for k in OrgKind])
        form.addRow("组织类型：", self.kind)
        self.sector = combo("sector", [(s.label, s.value) for s in Sector])
        form.addRow("所在领域：", self.sector)
        self.parent_org = QLineEdit()
        self.parent_org.setPlaceholderText(f"必填，例如：{PARENT_ORG_EXAMPLE}")
        self.parent_org.setObjectName("parent_org")
        self.errors.add_row(form, "上级团组织：", self.parent_org, "parent_org")
        self.registerField("org_name*", self.name)

    def org_kind(self) -> OrgKind:
        return OrgKind(self.kind.currentData())

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.errors.clear()
        try:
            clean_name(self.name.text(), "组织名称", "org_name")
            clean_name(self.parent_org.text(), "上级团组织名称", "parent_org")
        except ValidationError as error:
            self.errors.show(error)
            return False
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return PAGE_SECRETARY if self.org_kind() is OrgKind.BRANCH else PAGE_BRANCHES


class BranchesPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("下设团支部")
        self.setSubTitle("每个班级或单位一个团支部。可逐个添加，也可按年级批量生成；双击可改名。")
        layout = QVBoxLayout(self)
        add_row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setObjectName("branch_name")
        self.new_name.setPlaceholderText("团支部名称，回车添加")
        self.new_name.returnPressed.connect(self.add_typed)
        add_button = QPushButton("添加")
        add_button.clicked.connect(self.add_typed)
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(add_button)
        layout.addLayout(add_row)

        batch_row = QHBoxLayout()
        self.grade = QLineEdit("初三")
        self.grade.setObjectName("grade")
        self.grade.setMaximumWidth(100)
        self.class_count = QSpinBox()
        self.class_count.setObjectName("class_count")
        self.class_count.setRange(1, 30)
        self.class_count.setValue(3)
        generate = QPushButton("按班级生成")
        generate.setObjectName("generate")
        generate.clicked.connect(self.generate_classes)
        batch_row.addWidget(QLabel("年级："))
        batch_row.addWidget(self.grade)
        batch_row.addWidget(QLabel("班级数："))
        batch_row.addWidget(self.class_count)
        batch_row.addWidget(generate)
        batch_row.addStretch(1)
        layout.addLayout(batch_row)

        self.list = QListWidget()
        self.list.setObjectName("branches")
        layout.addWidget(self.list, 1)
        remove = QPushButton("删除选中")
        remove.clicked.connect(self.remove_selected)
        layout.addWidget(remove)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _add(self, name: str) -> None:
        if name in self.names():
            self.message.setText(f"“{name}”已在列表中。")
            return
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def add_typed(self) -> None:
        self.message.clear()
        try:
            name = clean_name(self.new_name.text(), "团支部名称", "branches")
        except ValidationError as error:
            self.message.setText(str(error))
            return
        self._add(name)
        self.new_name.clear()

    def generate_classes(self) -> None:
        self.message.clear()
        grade = self.grade.text().strip()
        for number in range(1, self.class_count.value() + 1):
            self._add(f"{grade}（{number}）班团支部")

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            setup.clean_branch_names(OrgKind.COMMITTEE, self.names())
        except ValidationError as error:
            self.message.setText(str(error))
            return False
        return True


class SecretaryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("书记与登录密码")
        self.setSubTitle("每次打开 qzdesk 都要输入这个密码。密码只以加密摘要保存，请牢记。")
        form = QFormLayout(self)
        self.errors = FieldErrors()
        self.secretary = QLineEdit()
        self.secretary.setObjectName("secretary")
        self.errors.add_row(form, "书记姓名：", self.secretary, "secretary")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_row(form, "登录密码：", self.password, "password")
        self.confirmation = QLineEdit()
        self.confirmation.setObjectName("confirmation")
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_row(form, "再次输入：", self.confirmation, "confirmation")

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.errors.clear()
        try:
            clean_name(self.secretary.text(), "书记姓名", "secretary", max_length=40)
            check_new_password(self.password.text(), self.confirmation.text())
        except ValidationError as error:
            self.errors.show(error)
            return False
        return True


class RulesPage(QWizardPage):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setTitle("规则配置")
        self.setSubTitle(
            "年龄、期限、比例等数值都来自规则配置，每项注明出处；可在“设置”中查看和更换。"
        )
        layout = QVBoxLayout(self)
        self._profiles = context.profiles
        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        for key, profile in sorted(context.profiles.items()):
            self.profile.addItem(profile.title, key)
        default = self.profile.findData(DEFAULT_PROFILE_ID)
        self.profile.setCurrentIndex(max(default, 0))
        layout.addWidget(self.profile)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.profile.currentIndexChanged.connect(self._describe)
        self._describe()

    def _describe(self) -> None:
        profile = self._profiles[self.profile.currentData()]
        entries = profile.entries()
        unconfirmed = sum(e.rule.unconfirmed for e in entries)
        self.summary.setText(
            f"{profile.profile.summary}\n\n共 {len(entries)} 项规则，其中 {unconfirmed} 项"
            "未经证实（界面中会标注，相关检查只提醒、不阻止）。"
        )


class SetupWizard(QWizard):
    """Collects a SetupRequest; on 完成 the worker initialises the store, then it closes."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.created: OrgInfo | None = None
        self.setWindowTitle("qzdesk 首次设置")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.org_page = OrgPage()
        self.branches_page = BranchesPage()
        self.secretary_page = SecretaryPage()
        self.rules_page = RulesPage(context)
        self.setPage(PAGE_INTRO, IntroPage(context))
        self.setPage(PAGE_ORG, self.org_page)
        self.setPage(PAGE_BRANCHES, self.branches_page)
        self.setPage(PAGE_SECRETARY, self.secretary_page)
        self.setPage(PAGE_RULES, self.rules_page)
        fit(self, 720, 540)

    def request(self) -> setup.SetupRequest:
        kind = self.org_page.org_kind()
        return setup.SetupRequest(
            org_name=self.org_page.name.text(),
            org_kind=kind,
            sector=Sector(self.org_page.sector.currentData()),
            secretary=self.secretary_page.secretary.text(),
            password=self.secretary_page.password.text(),
            profile_id=self.rules_page.profile.currentData(),
            branches=[] if kind is OrgKind.BRANCH else self.branches_page.names(),
            parent_org=self.org_page.parent_org.text(),
        )

    def accept(self) -> None:
        if self.created is not None:
            super().accept()
            return
        self.rules_page.message.clear()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.context.write(
            setup.initialise,
            self.request(),
            on_done=self._initialised,
            on_error=self._failed,
        )

    def _initialised(self, outcome: object) -> None:
        # The secretary who just chose the password is the one who acts from now on.
        self.context.sign_in(
            self.secretary_page.password.text(),
            on_done=lambda _: self._signed_in(outcome.value),  # type: ignore[attr-defined]
            on_error=self._failed,
        )

    def _signed_in(self, founded: Founded) -> None:
        """The 恢复码 is shown once, before the main window; the wizard closes after it."""
        from qzdesk.ui.recovery import RecoveryCodeDialog

        self.created = founded.org
        root = self.context.store.paths.root
        self.recovery = RecoveryCodeDialog(self, founded.recovery_code, founded.org.name, root)
        self.recovery.accepted.connect(super().accept)
        self.recovery.open()

    def _failed(self, error: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(error, ValidationError):
            self.rules_page.message.setText(str(error))
        else:
            self.context.worker.unhandled(error)
