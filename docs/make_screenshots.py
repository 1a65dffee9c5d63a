"""Screenshots for the README, taken offscreen with QWidget.grab(): `make screenshots`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from qzdesk.config import DataPaths
from qzdesk.logs import setup_logging
from qzdesk.services.todo import Target
from qzdesk.ui.admission.step_dialog import StepDialog
from qzdesk.ui.app import Launcher, close_context, ensure_app, open_context
from qzdesk.ui.error_dialog import ErrorHandler
from qzdesk.ui.main_window import MainWindow
from qzdesk.ui.members.form import MemberForm
from qzdesk.ui.members.import_dialog import ImportDialog

OUT = Path(__file__).parent / "screenshots"
FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures" / "imports"


def wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise TimeoutError("the window did not get there in time")
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        waited += 20


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, name: str) -> None:
    settle()
    widget.grab().save(str(OUT / f"{name}.png"))
    print(f"docs/screenshots/{name}.png")


def launch(data: Path) -> Launcher:
    """As `qzdesk` starts: the login for an existing (encrypted) store, else the wizard."""
    paths = DataPaths(data)
    handler = ErrorHandler(setup_logging(paths.logs))
    if paths.database.exists():
        from qzdesk.services.storage.lock import DataDirLock
        from qzdesk.services.storage.peek import organisation_name

        lock = DataDirLock(paths, "screenshots")
        lock.acquire()
        launcher = Launcher(None, handler)
        launcher.start_login(paths, lock, organisation_name(paths.database) or "")
        return launcher
    context = open_context(paths, handler)
    assert context is not None
    launcher = Launcher(context, handler)
    launcher.start()
    return launcher


def wizard_shots(tmp: Path) -> None:
    launcher = launch(tmp / "new")
    wait_for(lambda: launcher.dialog is not None)
    wizard = launcher.dialog
    shoot(wizard, "wizard-1-welcome")
    wizard.next()
    wizard.org_page.name.setText("秦州区第五中学团委")
    wizard.org_page.parent_org.setText("共青团天水市秦州区委员会")
    shoot(wizard, "wizard-2-organisation")
    wizard.next()
    wizard.branches_page.generate_classes()
    shoot(wizard, "wizard-3-branches")
    wizard.next()
    page = wizard.secretary_page
    page.secretary.setText("王芳")
    page.password.setText("tuanzhibu1")
    page.confirmation.setText("tuanzhibu")
    wizard.next()
    shoot(wizard, "wizard-4-secretary-error")
    page.confirmation.setText("tuanzhibu1")
    wizard.next()
    shoot(wizard, "wizard-5-rules")
    wizard.close()
    close_context(launcher.context)


def main_window_shots(tmp: Path) -> None:
    data = tmp / "demo"
    subprocess.run(
        [sys.executable, "-m", "qzdesk", "demo", "--data", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    launcher = launch(data)
    wait_for(lambda: launcher.dialog is not None)
    login = launcher.dialog
    login.password.setText("wrong-password")
    login.try_login()
    wait_for(lambda: "不正确" in login.message.text())
    shoot(login, "login-wrong-password")
    login.password.setText("qzdemo")
    login.try_login()
    wait_for(lambda: launcher.window is not None)
    window = launcher.window
    window.resize(1100, 720)
    wait_for(lambda: window.home.data is not None)
    shoot(window, "main-home")
    window.nav.setCurrentRow(window.pages.index(window.roster))
    wait_for(lambda: window.roster.model.rowCount() > 0 and window.context.worker.pending == 0)
    shoot(window, "main-roster")
    window.roster.search.setText("w")
    shoot(window, "main-roster-search")
    window.roster.search.clear()
    form = MemberForm(window.context, window.roster.proxy.member_at(0).id, window)
    form.show()
    wait_for(lambda: form.record is not None)
    shoot(form, "member-form")
    form.tabs.setCurrentIndex(1)
    shoot(form, "member-form-history")
    form.close()
    dialog = ImportDialog(window.context, FIXTURES / "02-row-errors.xlsx", window)
    dialog.show()
    wait_for(lambda: dialog.preview is not None)
    shoot(dialog, "import-preview")
    dialog.close()
    admission_shots(window)
    window.nav.setCurrentRow(window.pages.index(window.meetings))
    wait_for(lambda: window.meetings.data is not None and window.context.worker.pending == 0)
    shoot(window, "main-meetings")
    window.meetings.list.selectRow(0)
    minutes = window.meetings.open_minutes()
    wait_for(lambda: minutes.view is not None and window.context.worker.pending == 0)
    settle(300)
    shoot(minutes, "minutes-draft")
    minutes.close()
    plan_shots(window)
    meetings = window.meetings
    for tab, name in (
        (meetings.compliance, "main-meetings-compliance"),
        (meetings.evaluation, "main-meetings-evaluation"),
        (meetings.terms, "main-meetings-terms"),
    ):
        meetings.tabs.setCurrentWidget(tab)
        settle()
        shoot(window, name)
    receiving_shots(window, tmp)
    window.nav.setCurrentRow(window.pages.index(window.settings_page))
    wait_for(lambda: window.context.worker.pending == 0)
    shoot(window, "main-settings-organisation")
    window.open_rules()
    shoot(window, "main-settings-rules")
    window.close()
    close_context(launcher.context)


def receiving_shots(window: MainWindow, tmp: Path) -> None:
    """The committee receiving three villages' archives (one of them twice, one file
    damaged), then its 报送情况, registry and receipt log; and an applicant list's preview."""
    from qzdesk.services.receiving import registry
    from qzdesk.ui.admission.import_dialog import ApplicantImportDialog

    wait_for(lambda: window.context.worker.pending == 0)
    stick = tmp / "U盘"
    year = str(date.today().year - 1)
    env = {"QZDESK_PASSWORD": "qzdemo", "PATH": "/usr/bin:/bin"}
    for seed, name in enumerate(
        ("东关村团支部", "西关村团支部", "南山村团支部", "北坡村团支部"), 1
    ):
        data = tmp / name
        run = [sys.executable, "-m", "qzdesk"]
        subprocess.run(
            [
                *run,
                "demo",
                "--kind",
                "branch",
                "--org-name",
                name,
                "--parent-org",
                "秦州区示范中学团委（演示）",  # the window's organisation receives them
                "--seed",
                str(seed),
                "--data",
                str(data),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        subprocess.run(
            [*run, "archive", "build", "--period", year, "--out", str(stick), "--data", str(data)],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        if seed < 4:  # the fourth never registered its certificate
            (tmp / f"{name}.pem").write_bytes((data / "keys" / "branch-cert.pem").read_bytes())
            from cryptography import x509

            from qzdesk.services.security.branch_key import fingerprint

            cert = x509.load_pem_x509_certificate((tmp / f"{name}.pem").read_bytes())
            registry.register(window.context.store, tmp / f"{name}.pem", name, fingerprint(cert))
    from qzdesk.export.receiving import receive_folder

    receive_folder(window.context.store, stick)  # the worker is idle: same store, this thread
    page = window.receiving
    window.nav.setCurrentRow(window.pages.index(page))
    page.period.setText(year)
    page.refresh()
    wait_for(
        lambda: (
            page.data is not None
            and page.data.period == year
            and window.context.worker.pending == 0
        )
    )
    settle()
    shoot(window, "main-receiving")
    for tab, name in (
        (page.summary.parentWidget(), "summary"),
        (page.compare, "compare"),
        (page.cadres, "cadres"),
    ):
        page.tabs.setCurrentWidget(tab)
        settle()
        shoot(window, f"main-receiving-{name}")
    page.tabs.setCurrentIndex(0)
    fixture = (
        Path(__file__).parent.parent
        / "tests"
        / "fixtures"
        / "imports"
        / "14-applicants-history.xlsx"
    )
    dialog = ApplicantImportDialog(window.context, fixture, window)
    dialog.show()
    wait_for(lambda: dialog.preview is not None)
    settle()
    shoot(dialog, "applicant-import-preview")
    dialog.close()


def plan_shots(window: MainWindow) -> None:
    """The plan as the secretary first lays it out, then moving one item."""
    tab = window.meetings.plan
    window.open_target(Target.PLAN)
    tab.lay_out()
    wait_for(lambda: len(tab.rows) > 100 and window.context.worker.pending == 0)
    settle()
    shoot(window, "main-meetings-plan")
    tab.table.selectRow(len(tab.rows) - 1)
    dialog = tab.edit()
    dialog.reason.setText("与期末考试冲突")
    settle()
    shoot(dialog, "plan-item-move")
    dialog.close()


def admission_shots(window: MainWindow) -> None:
    page = window.admission
    window.nav.setCurrentRow(window.pages.index(page))
    wait_for(lambda: page.data is not None and window.context.worker.pending == 0)
    candidate = next(r for r in page.shown if r.stage.value == "activist")
    page.select(candidate.id)
    wait_for(lambda: page.detail is not None and window.context.worker.pending == 0)
    shoot(window, "admission-applicants")
    dialog = StepDialog(window.context, page.detail.file, window)
    dialog.step.setCurrentIndex(dialog.step.findData("candidate"))
    dialog.show()
    wait_for(lambda: dialog.findings.text() != "" and window.context.worker.pending == 0)
    settle(300)
    shoot(dialog, "admission-step-candidate")
    dialog.close()
    for index, name in (
        (1, "admission-review"),
        (2, "admission-ranking"),
        (3, "admission-publicity"),
    ):
        page.tabs.setCurrentIndex(index)
        wait_for(lambda: window.context.worker.pending == 0)
        settle()
        shoot(window, name)
    page.tabs.setCurrentIndex(0)


def archive_shots(tmp: Path) -> None:
    """The signed archive's cover, a roster page and the seal page, via pdftoppm."""
    data, out = tmp / "archive-demo", tmp / "archives"
    subprocess.run(
        [sys.executable, "-m", "qzdesk", "demo", "--data", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = {**os.environ, "QZDESK_PASSWORD": "qzdemo"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "qzdesk",
            "archive",
            "build",
            "--period",
            "2026",
            "--out",
            str(out),
            "--data",
            str(data),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    pdf = next(out.glob("*.pdf"))
    pages = int(
        subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    for name, page in (("archive-cover", 1), ("archive-roster", 3), ("archive-seal", pages)):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "70",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf),
                str(OUT / name),
            ],
            check=True,
        )
        print(f"docs/screenshots/{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_app()
    with tempfile.TemporaryDirectory() as tmp:
        wizard_shots(Path(tmp))
        main_window_shots(Path(tmp))
        archive_shots(Path(tmp))


if __name__ == "__main__":
    main()
