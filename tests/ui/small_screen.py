"""Every page and dialog on a small office screen: run in a process of its own whose
offscreen screen has the size given (Qt's offscreen `configfile`), at the scale factor
given (QT_SCALE_FACTOR), so the logical screen is what a secretary's PC offers:

    python tests/ui/small_screen.py WIDTH HEIGHT [SHOTS_DIR]

Prints one JSON object: the logical screen and every problem found (a window larger than
the screen, a minimum size that cannot fit, a button outside the screen). With SHOTS_DIR,
a screenshot of each window is saved there.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, QTimer
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget

from tests.desks import desk_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def wait_for(condition: Callable[[], bool], timeout_ms: int = 20_000) -> None:
    loop = QEventLoop()
    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise TimeoutError("the window did not get there in time")
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        waited += 20


def settle(ms: int = 100) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class Inspector:
    def __init__(self, shots: Path | None) -> None:
        self.screen = QApplication.primaryScreen().availableGeometry()
        self.problems: list[str] = []
        self.shots = shots

    def check(self, widget: QWidget, name: str) -> None:
        settle()
        screen = self.screen
        hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        if hint.width() > screen.width() or hint.height() > screen.height():
            self.problems.append(
                f"{name}: minimum size {hint.width()}×{hint.height()} exceeds the screen "
                f"{screen.width()}×{screen.height()}"
            )
        frame = widget.frameGeometry()
        if not screen.contains(frame):
            self.problems.append(
                f"{name}: window {frame.width()}×{frame.height()} at ({frame.x()},{frame.y()}) "
                f"is not inside the screen {screen.width()}×{screen.height()}"
            )
        for button in widget.findChildren(QAbstractButton):
            if not button.isVisibleTo(widget) or not button.text() or _scrolls(button, widget):
                continue
            corner = button.mapTo(widget, QPoint(0, 0))
            inside = QRect(widget.mapToGlobal(corner), button.size())
            if not screen.contains(inside.center()):
                self.problems.append(f"{name}: button “{button.text()}” lies outside the screen")
        if self.shots is not None:
            widget.grab().save(str(self.shots / f"{name}.png"))


def _scrolls(button: QWidget, top: QWidget) -> bool:
    """Inside a scroll area, so reachable by scrolling even if now below the fold."""
    parent = button.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _first_run_and_login(inspector: Inspector, tmp: Path) -> None:
    """The wizard's pages on a new directory, and the login dialog on the demo."""
    from qzdesk.config import DataPaths
    from qzdesk.ui.app import close_context, open_context
    from qzdesk.ui.error_dialog import ErrorHandler
    from qzdesk.ui.login import LoginDialog
    from qzdesk.ui.recovery import RecoveryCodeDialog, RecoveryDialog
    from qzdesk.ui.wizard import SetupWizard

    paths = DataPaths(tmp / "new")
    context = open_context(paths, ErrorHandler(tmp / "wizard.log"))
    assert context is not None
    wizard = SetupWizard(context)
    wizard.show()
    inspector.check(wizard, "wizard-1")
    wizard.next()
    wizard.org_page.name.setText("秦州区第五中学团委")
    wizard.org_page.parent_org.setText("共青团天水市秦州区委员会")
    inspector.check(wizard, "wizard-2")
    wizard.next()
    wizard.branches_page.grade.setText("初三")
    wizard.branches_page.class_count.setValue(12)
    wizard.branches_page.generate_classes()
    inspector.check(wizard, "wizard-3")
    wizard.next()
    inspector.check(wizard, "wizard-4")
    wizard.close()
    close_context(context)
    login = LoginDialog("秦州区示范中学团委（演示）", lambda _password, _answer: None, print)
    login.show()
    inspector.check(login, "login")
    login.close()
    code = RecoveryCodeDialog(None, "7K3M-Q9XH-2RTD-W8PN-C4VB-6YJE", "秦州区第五中学团委", tmp)
    code.show()
    inspector.check(code, "recovery-code")
    code.copied.setChecked(True)
    code.close()
    proposed = RecoveryCodeDialog(
        None, "7K3M-Q9XH-2RTD-W8PN-C4VB-6YJE", "秦州区第五中学团委", tmp, proposal=True
    )
    proposed.show()
    inspector.check(proposed, "recovery-code-proposed")
    proposed.reject()
    typed = RecoveryDialog(None, lambda _code, _new, _answer: None)
    typed.show()
    inspector.check(typed, "recovery-reset")
    typed.close()


def main() -> None:
    width, height = int(sys.argv[1]), int(sys.argv[2])
    shots = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    config = Path(tempfile.mkdtemp()) / "screen.json"
    screen = {"name": "office", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["QZDESK_PASSWORD"] = "qzdemo"

    from qzdesk.config import DataPaths
    from qzdesk.logs import setup_logging
    from qzdesk.services import clock
    from qzdesk.services.demo.build import build_demo
    from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.admission.import_dialog import ApplicantImportDialog
    from qzdesk.ui.admission.step_dialog import StepDialog
    from qzdesk.ui.app import Launcher, close_context, ensure_app, open_context
    from qzdesk.ui.error_dialog import ErrorHandler
    from qzdesk.ui.members.form import MemberForm
    from qzdesk.ui.members.import_dialog import ImportDialog
    from qzdesk.ui.pdf_preview import PdfPreview
    from qzdesk.ui.receiving.page import RegisterDialog

    ensure_app()
    inspector = Inspector(shots)
    tmp = Path(tempfile.mkdtemp())
    data = tmp / "demo"
    with Store.open(data, "small-screen", create=True) as store:
        build_demo(desk_of(store, load_profiles([bundled_rules_dir()])), clock.today())
    paths = DataPaths(data)
    handler = ErrorHandler(setup_logging(paths.logs))
    context = open_context(paths, handler)
    assert context is not None
    launcher = Launcher(context, handler)
    launcher.start()
    wait_for(lambda: launcher.window is not None)
    window = launcher.window
    assert window is not None
    for page in window.pages:
        window.nav.setCurrentRow(window.pages.index(page))
        wait_for(lambda: context.worker.pending == 0)
        tabs = getattr(page, "tabs", None)
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
                wait_for(lambda: context.worker.pending == 0)
            suffix = f"-{index}" if tabs is not None else ""
            inspector.check(window, f"main-{type(page).__name__}{suffix}")

    def dialog(name: str, widget: QWidget, ready: Callable[[], bool] = lambda: True) -> None:
        widget.show()
        wait_for(lambda: ready() and context.worker.pending == 0)
        inspector.check(widget, name)
        widget.close()

    roster = window.roster
    window.nav.setCurrentRow(window.pages.index(roster))
    wait_for(lambda: roster.model.rowCount() > 0)
    form = MemberForm(context, roster.proxy.member_at(0).id, window)
    dialog("member-form", form, lambda: form.record is not None)
    from qzdesk.export.transfer import send
    from qzdesk.services.transfer.book import Move
    from qzdesk.services.transfer.snapshot import Side
    from qzdesk.ui.members.transfer import ReceiveDialog, TransferOutDialog, TransfersDialog
    from qzdesk.vocabulary import TransferCause

    leaving = [(m.id, m.name) for m in (roster.proxy.member_at(r) for r in range(3))]
    dialog("transfer-out", TransferOutDialog(context, leaving, window))
    to = Side("天水市第一中学团委", "共青团天水市委")
    sent = context.write(send, [Move(leaving[0][0], to, TransferCause.STUDY)], None, "qzdemo", tmp)
    wait_for(sent.done)
    [package] = sent.result().value
    receiving = ReceiveDialog(context, [package.path], window)
    dialog("transfer-receive", receiving, lambda: receiving.history.rowCount() > 0)
    listing = TransfersDialog(context, window)
    dialog("transfers", listing, lambda: listing.table.rowCount() > 0)
    importing = ImportDialog(context, FIXTURES / "02-row-errors.xlsx", window)
    dialog("import-preview", importing, lambda: importing.preview is not None)
    listing = ApplicantImportDialog(context, FIXTURES / "14-applicants-history.xlsx", window)
    dialog("applicant-import", listing, lambda: listing.preview is not None)
    meetings = window.meetings
    window.nav.setCurrentRow(window.pages.index(meetings))
    wait_for(lambda: meetings.data is not None)
    minutes = meetings.new_minutes()
    assert minutes is not None
    dialog("minutes", minutes)
    from qzdesk.services.members import records
    from qzdesk.ui.meetings.compliance_tab import VetoDialog
    from qzdesk.ui.members.form import DisciplineDialog

    tab = meetings.compliance
    if tab.scheme is not None and tab.ratings:
        dialog("veto", VetoDialog(context, tab.scheme, tab.ratings, 0, tab.year, window))
    member = desk_of(context.store).read(records.member_record, roster.proxy.member_at(0).id)
    dialog("discipline", DisciplineDialog(context, member, window))
    admission = window.admission
    window.nav.setCurrentRow(window.pages.index(admission))
    wait_for(lambda: admission.data is not None)
    admission.select(admission.shown[0].id)
    wait_for(lambda: admission.detail is not None)
    step = StepDialog(context, admission.detail.file, window)
    dialog("admission-step", step)
    from qzdesk.ui.admission.applicant_dialog import ApplicantDialog
    from qzdesk.ui.admission.points_dialog import PointsDialog

    dialog("applicant", ApplicantDialog(context, window))
    data = admission.data
    points = PointsDialog(context, data.profile, data.applicants[0].id, "测试", window)
    dialog("points", points)
    from qzdesk.ui.meetings.evaluation_open import EvaluationOpenDialog
    from qzdesk.ui.meetings.plan_tab import PlanItemDialog
    from qzdesk.ui.meetings.terms_tab import TermDialog

    window.nav.setCurrentRow(window.pages.index(meetings))
    branches = meetings.data.branches
    dialog("plan-item", PlanItemDialog(context, branches, None, clock.today().year, window))
    dialog("term", TermDialog(context, meetings.terms.rows, branches[0][0], window))
    opening = EvaluationOpenDialog(
        context, branches[0][0], branches[0][1], clock.today().year, clock.today(), window
    )
    dialog("evaluation-open", opening)
    from qzdesk.ui.dues.collection import CollectionDialog
    from qzdesk.ui.dues.money import HandoverDialog, SpendDialog

    dues = window.dues
    window.nav.setCurrentRow(window.pages.index(dues))
    wait_for(lambda: dues.data is not None)
    dialog("dues-collect", CollectionDialog(context, dues.data.owing, window))
    dialog("dues-spend", SpendDialog(context, dues.data.money.meetings, window))
    dialog("dues-handover", HandoverDialog(context, "张老师", dues.data.money.balance_fen, window))
    from qzdesk.services.committee.appraisal import Result
    from qzdesk.ui.receiving.appraisal_tab import AppraisalDialog
    from qzdesk.ui.receiving.coverage_tab import AddUnitsDialog

    dialog("units-add", AddUnitsDialog(context, window))
    sample = Result(
        "620502200001011234",
        "张三",
        "东关村团支部",
        "书记",
        2025,
        None,
        "",
        None,
        {},
        None,
        None,
        None,
    )
    dialog("appraisal", AppraisalDialog(context, sample, window))
    from qzdesk.ui.error_dialog import ErrorDialog
    from qzdesk.ui.members.import_dialog import BatchesDialog

    dialog("import-batches", BatchesDialog(context, window))
    dialog("register-cert", RegisterDialog(context, window))
    dialog("error", ErrorDialog(RuntimeError("示例"), paths.logs / "qzdesk.log", window))
    window.show_manual().close()
    dialog("manual", window.show_manual())
    from qzdesk.export.pdf.registry import render_document
    from qzdesk.services.periods import parse_period

    pdf = context.desk.read(render_document, "overview", parse_period(str(context.today().year)))
    preview = PdfPreview(pdf, "组织概况.pdf", "请核对内容；点“保存”后选择保存位置。", window)
    dialog("pdf-preview", preview, lambda: preview.page_count > 0)
    window.close()
    close_context(context)
    _first_run_and_login(inspector, tmp)
    screen = inspector.screen
    print(
        json.dumps(
            {"screen": [screen.width(), screen.height()], "problems": inspector.problems},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
