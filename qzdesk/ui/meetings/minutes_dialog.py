"""会议记录: write the minutes of one meeting with attendance chosen from the roster, see
the quorum as you mark people present, save a draft, then have chair and recorder sign it
off; signed minutes are read-only and take addenda."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qzdesk.services.admission import applicants
from qzdesk.services.attachments import AttachmentRow, describe, stored_path
from qzdesk.services.meetings import minutes
from qzdesk.services.meetings.minutes import (
    PRESENCE,
    MeetingKind,
    MinutesDraft,
    MinutesView,
    Resolution,
    observer_label,
    parse_observer,
)
from qzdesk.services.meetings.plan import PlanRow
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.ui.context import AppContext
from qzdesk.ui.forms import FieldErrors, combo, date_edit, pick_evidence
from qzdesk.ui.screen import fit, scrolled

CAPTIONS = ("签到表扫描件", "活动照片", "会议材料")


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class MinutesDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        branches: list[tuple[int, str]],
        meeting_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.meeting_id = meeting_id
        self.view: MinutesView | None = None
        self.people: list[tuple[int, str]] = []
        self.profile: RuleProfile | None = None  # the quorum rule comes from it
        self.setWindowTitle("会议记录")
        fit(self, 780, 720)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.branch = combo("minutes_branch", [(name, i) for i, name in branches])
        form.addRow("团支部", self.branch)
        self.kind = combo("minutes_kind", [(k.label, k.value) for k in MeetingKind])
        form.addRow("会议类型", self.kind)
        self.held_on = date_edit("minutes_held_on", context.today())
        self.errors.add_row(form, "日期", self.held_on, "held_on")
        times = QHBoxLayout()
        self.starts_at, self.ends_at = QLineEdit(), QLineEdit()
        for edit, name, hint in (
            (self.starts_at, "minutes_starts", "开始时间，如 14:30"),
            (self.ends_at, "minutes_ends", "结束时间，如 15:40"),
        ):
            edit.setObjectName(name)
            edit.setPlaceholderText(hint)
            times.addWidget(edit)
        holder = QWidget()
        holder.setLayout(times)
        self.errors.add_row(form, "时间", holder, "starts_at")
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (
            ("place", "地点"),
            ("topic", "主题"),
            ("chair", "主持人"),
            ("recorder", "记录人"),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"minutes_{key}")
            self.fields[key] = edit
            self.errors.add_row(form, label, edit, key)
        self.agenda = QPlainTextEdit()
        self.agenda.setObjectName("minutes_agenda")
        self.agenda.setPlaceholderText("每行一项议程")
        self.agenda.setMaximumHeight(60)
        form.addRow("议程", self.agenda)
        self.speeches = QPlainTextEdit()
        self.speeches.setObjectName("minutes_speeches")
        self.speeches.setPlaceholderText("每行一人：发言人：主要内容")
        self.speeches.setMaximumHeight(70)
        form.addRow("发言", self.speeches)
        self.resolutions = QPlainTextEdit()
        self.resolutions.setObjectName("minutes_resolutions")
        self.resolutions.setPlaceholderText(
            "每行一项：决议内容｜赞成｜反对｜弃权（无表决可只写内容）"
        )
        self.resolutions.setMaximumHeight(60)
        self.errors.add_row(form, "决议", self.resolutions, "resolutions")
        self.attendance = QTableWidget(0, 3)
        self.attendance.setObjectName("minutes_attendance")
        self.attendance.setHorizontalHeaderLabels(["团员", "出席情况", "请假或缺席原因"])
        self.attendance.horizontalHeader().setStretchLastSection(True)
        self.attendance.setMinimumHeight(220)
        self.errors.add_row(form, "参会团员", self.attendance, "attendance")
        self.quorum = QLabel()
        self.quorum.setObjectName("minutes_quorum")
        form.addRow("到会", self.quorum)
        self.observers = QLineEdit()
        self.observers.setObjectName("minutes_observers")
        self.observers.setPlaceholderText("列席人员，用顿号分隔，如：赵欣（发展对象）")
        self.pick_observer = QPushButton("从积极分子中添加…")
        self.pick_observer.setObjectName("minutes_pick_observer")
        self.pick_observer.clicked.connect(self.add_observer)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.observers, 1)
        row.addWidget(self.pick_observer)
        holder = QWidget()
        holder.setLayout(row)
        form.addRow("列席", holder)
        self.files = QListWidget()
        self.files.setObjectName("minutes_attachments")
        self.files.setMaximumHeight(54)
        self.files.itemDoubleClicked.connect(self.open_file)
        self.caption = QComboBox()
        self.caption.setObjectName("minutes_caption")
        self.caption.setEditable(True)
        self.caption.addItems(CAPTIONS)
        self.attach_button = QPushButton("添加附件…")
        self.attach_button.setObjectName("minutes_attach")
        self.attach_button.setToolTip("签到表扫描件或活动照片（PDF、JPEG、PNG）；请先保存草稿")
        self.attach_button.clicked.connect(self.add_file)
        side = QVBoxLayout()
        side.addWidget(self.caption)
        side.addWidget(self.attach_button)
        files = QHBoxLayout()
        files.setContentsMargins(0, 0, 0, 0)
        files.addWidget(self.files, 1)
        files.addLayout(side)
        holder = QWidget()
        holder.setLayout(files)
        self.errors.add_row(form, "附件", holder, "evidence")
        self.state = QLabel()
        self.state.setObjectName("minutes_state")
        self.state.setWordWrap(True)
        self.errors.make_fallback()
        buttons = QHBoxLayout()
        self.save_button = QPushButton("保存草稿")
        self.save_button.setObjectName("minutes_save")
        self.save_button.clicked.connect(self.save)
        self.sign_button = QPushButton("签字确认…")
        self.sign_button.setObjectName("minutes_sign")
        self.sign_button.clicked.connect(self.sign)
        self.addendum_button = QPushButton("添加补充说明…")
        self.addendum_button.clicked.connect(self.add_addendum)
        self.discard_button = QPushButton("删除草稿…")
        self.discard_button.setObjectName("minutes_discard")
        self.discard_button.clicked.connect(self.discard)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for button in (
            self.save_button,
            self.sign_button,
            self.addendum_button,
            self.discard_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        # The form scrolls on a 768-pixel screen; the buttons and messages stay in view.
        page = QWidget()
        page.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(page), 1)
        layout.addWidget(self.state)
        layout.addWidget(self.errors.fallback)
        layout.addLayout(buttons)
        self._failed = self.errors.reporter(context.worker.unhandled)
        self.branch.currentIndexChanged.connect(self._load_people)
        self.kind.currentIndexChanged.connect(self._show_quorum)
        context.read(lambda ctx: ctx.profile, on_done=self._set_profile)
        if meeting_id is None:
            self._load_people()
            self._set_signed(False)
        else:
            self._reload()

    def follow_plan(self, item: PlanRow) -> None:
        """New minutes for a planned meeting: its branch, kind, day, topic and leader."""
        self.branch.setCurrentIndex(self.branch.findData(item.branch_id))
        self.kind.setCurrentIndex(self.kind.findData(item.kind.value))
        self.held_on.setDate(QDate(min(item.planned_on, self.context.today())))
        if "主题待定" not in item.topic:
            self.fields["topic"].setText(item.topic)
        self.fields["chair"].setText(item.leader or "")

    # -- attendance ---------------------------------------------------------------
    def _load_people(self) -> None:
        if self.view is not None:
            return
        self.context.read(
            minutes.branch_members_on,
            self.branch.currentData(),
            on_done=lambda people: self._fill_people(people, {}),
        )

    def _fill_people(
        self, people: list[tuple[int, str]], marks: dict[int, tuple[str, str]]
    ) -> None:
        self.people = people
        self.attendance.setRowCount(len(people))
        for row, (member_id, name) in enumerate(people):
            self.attendance.setItem(row, 0, QTableWidgetItem(name))
            status = combo(
                f"presence_{member_id}", [(label, key) for key, label in PRESENCE.items()]
            )
            mark = marks.get(member_id, ("present", ""))
            status.setCurrentIndex(status.findData(mark[0]))
            status.currentIndexChanged.connect(self._show_quorum)
            self.attendance.setCellWidget(row, 1, status)
            self.attendance.setItem(row, 2, QTableWidgetItem(mark[1]))
        self._show_quorum()

    def presence(self, row: int) -> QComboBox:
        return self.attendance.cellWidget(row, 1)  # type: ignore[return-value]

    def marks(self) -> dict[int, tuple[str, str]]:
        marks = {}
        for row, (member_id, _) in enumerate(self.people):
            reason = self.attendance.item(row, 2)
            marks[member_id] = (self.presence(row).currentData(), reason.text() if reason else "")
        return marks

    def _set_profile(self, profile: RuleProfile) -> None:
        self.profile = profile
        self._show_quorum()

    def _show_quorum(self) -> None:
        if self.profile is None:
            return
        marks = self.marks() if self.people else {}
        quorum = minutes.quorum_of(self.profile, MeetingKind(self.kind.currentData()), marks)
        self.quorum.setStyleSheet("" if quorum.ok else "color: #b3261e;")
        self.quorum.setText(quorum.text)

    # -- the draft ----------------------------------------------------------------
    def draft(self) -> MinutesDraft:
        speeches = []
        for line in _lines(self.speeches):
            speaker, _, points = line.partition("：")
            speeches.append((speaker, points) if points else ("", speaker))
        resolutions = []
        for line in _lines(self.resolutions):
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            votes = [int(p) if p.isdigit() else None for p in parts[1:4]] + [None] * 3
            resolutions.append(Resolution(parts[0], *votes[:3]))
        observers = [parse_observer(o) for o in self.observers.text().split("、") if o.strip()]
        return MinutesDraft(
            MeetingKind(self.kind.currentData()),
            self.held_on.date().toPython(),
            self.fields["topic"].text(),
            self.starts_at.text().strip(),
            self.ends_at.text().strip(),
            self.fields["place"].text(),
            self.fields["chair"].text(),
            self.fields["recorder"].text(),
            _lines(self.agenda),
            speeches,
            resolutions,
            self.marks(),
            observers,
        )

    def save(self) -> None:
        self.errors.clear()
        if self.meeting_id is None:
            call: Any = (minutes.create_minutes, self.branch.currentData(), self.draft())
        else:
            call = (minutes.save_minutes, self.meeting_id, self.draft())
        self.context.write(*call, on_done=self._saved, on_error=self._failed)

    def _saved(self, outcome: Any) -> None:
        self.meeting_id = outcome.value
        self.state.setText("草稿已保存。")
        self._reload()

    def _reload(self) -> None:
        self.context.read(
            minutes.minutes,
            self.meeting_id,
            on_done=self._show,
        )

    def _show(self, view: MinutesView) -> None:
        self.view = view
        d = view.draft
        self.setWindowTitle(f"会议记录：{view.title}")
        self.branch.setCurrentIndex(self.branch.findData(view.branch_id))
        self.kind.setCurrentIndex(self.kind.findData(d.kind.value))
        self.held_on.setDate(d.held_on)
        self.starts_at.setText(d.starts_at)
        self.ends_at.setText(d.ends_at)
        for key in ("place", "topic", "chair", "recorder"):
            self.fields[key].setText(getattr(d, key))
        self.agenda.setPlainText("\n".join(d.agenda))
        self.speeches.setPlainText("\n".join(f"{s}：{p}" if s else p for s, p in d.speeches))
        self.resolutions.setPlainText(
            "\n".join(
                "｜".join(
                    [
                        r.text,
                        *("" if v is None else str(v) for v in (r.votes_for, r.against, r.abstain)),
                    ]
                )
                for r in d.resolutions
            )
        )
        self.observers.setText("、".join(observer_label(n, r) for n, r in d.observers))
        self.files.clear()
        for row, caption in view.attachments:
            self._list_file(row, caption)
        self.context.read(
            minutes.branch_members_on,
            view.branch_id,
            on_done=lambda people: self._fill_people(
                [p for p in people if p[0] in d.attendance] or people, d.attendance
            ),
        )
        signed = view.status == "signed"
        self._set_signed(signed)
        if signed:
            results = "；".join(
                f"{r.text}：{'有效' if r.valid else '无效（未达法定人数）'}" for r in d.resolutions
            )
            extra = "".join(f"\n补充说明（{at[:10]}）：{text}" for at, _, text in view.addenda)
            self.state.setText(
                f"已由主持人和记录人签字确认（{(view.signed_at or '')[:10]}），不能修改。"
                f"{results}{extra}\n内容指纹：{view.content_hash}"
            )

    def _set_signed(self, signed: bool) -> None:
        for widget in (
            self.branch,
            self.kind,
            self.held_on,
            self.starts_at,
            self.ends_at,
            self.agenda,
            self.speeches,
            self.resolutions,
            self.attendance,
            self.observers,
            self.pick_observer,
            *self.fields.values(),
        ):
            widget.setEnabled(not signed)
        self.save_button.setEnabled(not signed)
        self.attach_button.setEnabled(not signed and self.meeting_id is not None)
        self.caption.setEnabled(not signed)
        self.sign_button.setEnabled(not signed and self.meeting_id is not None)
        self.addendum_button.setEnabled(signed)
        self.discard_button.setEnabled(not signed and self.meeting_id is not None)

    def add_observer(self) -> None:
        self.context.read(
            applicants.observers_for,
            self.branch.currentData(),
            on_done=self._choose_observer,
        )

    def _choose_observer(self, people: list[tuple[str, str]]) -> None:
        listed = {parse_observer(o)[0] for o in self.observers.text().split("、")}
        choices = [observer_label(n, r) for n, r in people if n not in listed]
        if not choices:
            QMessageBox.information(
                self, "列席", "本支部没有尚未列入的入团积极分子或发展对象，可直接输入姓名。"
            )
            return
        chosen, ok = QInputDialog.getItem(self, "列席", "选择列席人员：", choices, 0, False)
        if ok:
            text = self.observers.text().strip("、 ")
            self.observers.setText(f"{text}、{chosen}" if text else chosen)

    # -- attachments ----------------------------------------------------------------
    def add_file(self) -> None:
        path = pick_evidence(self)
        if path:
            self.attach(path)

    def attach(self, path: Path) -> None:
        if self.meeting_id is None:
            return
        self.errors.clear()
        caption = self.caption.currentText()
        self.context.write(
            minutes.attach,
            self.meeting_id,
            path,
            caption,
            on_done=lambda outcome: self._list_file(outcome.value, caption),
            on_error=self._failed,
        )

    def _list_file(self, row: AttachmentRow, caption: str) -> None:
        role = Qt.ItemDataRole.UserRole
        listed = (self.files.item(i).data(role).sha256 for i in range(self.files.count()))
        if row.sha256 in listed:
            return  # the same file twice is attached once
        item = QListWidgetItem(describe(row, caption))
        item.setData(role, row)
        item.setToolTip("双击打开")
        self.files.addItem(item)

    def file_path(self, item: QListWidgetItem) -> Path:
        row: AttachmentRow = item.data(Qt.ItemDataRole.UserRole)
        return stored_path(self.context.store.paths, row.sha256, row.kind)

    def open_file(self, item: QListWidgetItem) -> None:
        """The stored copy, in the system's viewer (it is never changed there)."""
        path = self.file_path(item)
        if not path.exists() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, "附件", f"无法打开附件：{path}")

    def sign(self) -> None:
        if self.meeting_id is None:
            return
        answer = QMessageBox.question(
            self,
            "签字确认",
            "签字确认后，这份会议记录（出席、发言、决议）不能再修改，只能添加补充说明。"
            "\n确定由主持人和记录人签字吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        names = {}
        assert self.view is not None  # a saved meeting: its names are the ones that sign
        draft = self.view.draft
        for role, expected in (("chair", draft.chair), ("recorder", draft.recorder)):
            label = minutes.SIGNERS[role]
            prompt = f"{label}签字（输入姓名）："
            while True:
                typed, ok = QInputDialog.getText(self, "签字确认", prompt)
                if not ok:
                    return
                problem = minutes.signature_problem(role, typed, expected)
                if problem is None:
                    break
                prompt = f"{problem}\n{label}签字（输入姓名）："
            names[role] = typed
        chair, recorder = names["chair"], names["recorder"]
        self.errors.clear()
        self.context.write(
            minutes.sign_off,
            self.meeting_id,
            chair,
            recorder,
            on_done=lambda _: self._reload(),
            on_error=self._failed,
        )

    def discard(self) -> None:
        if self.meeting_id is None:
            return
        answer = QMessageBox.question(
            self,
            "删除草稿",
            "删除这份尚未签字的会议记录草稿？删除后同类会议之后的草稿编号依次前移，"
            "删除的内容保留在操作日志中。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.errors.clear()
        self.context.write(
            minutes.discard_draft,
            self.meeting_id,
            on_done=lambda _: self.accept(),
            on_error=self._failed,
        )

    def add_addendum(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, "补充说明", "需要更正或补充的内容：")
        if ok and text.strip() and self.meeting_id is not None:
            self.context.write(
                minutes.add_addendum,
                self.meeting_id,
                text,
                on_done=lambda _: self._reload(),
                on_error=self._failed,
            )
