"""新增入团申请人: the application received (step 1)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QVBoxLayout

from qzdesk.services.admission import applicants
from qzdesk.services.admission.applicants import ApplicantDraft
from qzdesk.services.members import records
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import FieldErrors, combo, confirm_buttons, date_edit


class ApplicantDialog(QDialog):
    def __init__(self, context: AppContext, parent: QDialog | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("新增入团申请人")
        self.errors = FieldErrors()
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for field, label, hint in (
            ("name", "姓名", ""),
            ("id_number", "身份证号", "18 位，出生日期和性别由号码读出"),
            ("ethnicity", "民族", ""),
            ("school", "学校", "学生填写"),
            ("grade", "年级", "如：初三"),
            ("class_name", "班级", "如：2班"),
            ("mobile", "手机号码", "本人或监护人"),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"applicant_{field}")
            edit.setPlaceholderText(hint)
            self.fields[field] = edit
            self.errors.add_row(form, label, edit, field)
        self.fields["ethnicity"].setPlaceholderText("如 汉族、回族")
        self.recommended = combo(
            "applicant_recommended", [(text, key) for key, text in applicants.RECOMMENDERS.items()]
        )
        self.errors.add_row(form, "推荐方式", self.recommended, "recommended_by")
        self.branch = combo("applicant_branch", [])
        self.errors.add_row(form, "所在团支部", self.branch, "branch")
        self.applied_on = date_edit("applicant_applied_on", context.today())
        self.errors.add_row(form, "递交申请日期", self.applied_on, "applied_on")
        self.errors.make_fallback()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.fallback)
        layout.addWidget(confirm_buttons("登记申请", self.submit, self.reject))
        self.created: applicants.ApplicantRow | None = None
        self._failed = self.errors.reporter(context.worker.unhandled)
        context.read(records.open_branches, on_done=self._branches)

    def _branches(self, rows: list[tuple[int, str]]) -> None:
        for branch_id, name in rows:
            self.branch.addItem(name, branch_id)

    def submit(self) -> None:
        self.errors.clear()
        draft = ApplicantDraft(
            **{k: e.text() for k, e in self.fields.items()},
            recommended_by=self.recommended.currentData(),
        )
        self.context.write(
            applicants.add_applicant,
            draft,
            self.branch.currentData(),
            self.applied_on.date().toPython(),
            on_done=self._done,
            on_error=self._failed,  # a blocked application shows every reason below
        )

    def _done(self, outcome: object) -> None:
        self.created = outcome.value  # type: ignore[attr-defined]
        self.accept()
