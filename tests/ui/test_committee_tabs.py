"""The committee's year in the 收件 page, on the town demo: the register's coverage and a
village's branch set up from the form, a cadre's fields kept, and last year's 考评 with a
cadre's record changed and the 考评表 saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from qzdesk.export.town_demo import build_town_demo
from qzdesk.services import clock
from qzdesk.services.clock import FixedClock, running_on
from qzdesk.services.storage.store import Store
from qzdesk.ui.pdf_preview import PdfPreview
from qzdesk.ui.receiving.appraisal_tab import AppraisalDialog
from qzdesk.ui.receiving.cadres_tab import CadreFileDialog
from qzdesk.ui.receiving.coverage_tab import AddUnitsDialog, ChangeDialog
from tests.ui.conftest import answer_modal


@pytest.fixture
def town_window(launch, qtbot, tmp_path, profiles, monkeypatch):
    today = clock.today()
    with running_on(FixedClock.on(today)), Store.open(tmp_path / "data", "tests", create=True) as s:
        build_town_demo(s, profiles, today, tmp_path / "村", "qzdemo")
    monkeypatch.setenv("QZDESK_PASSWORD", "qzdemo")
    launcher = launch(tmp_path / "data")
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
    window = launcher.window
    qtbot.waitUntil(lambda: window.context.worker.pending == 0)
    return window


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.context.worker.pending == 0)


def test_the_committee_s_year_from_the_receiving_page(town_window, qtbot, tmp_path, monkeypatch):
    window = town_window
    page = window.receiving
    window.nav.setCurrentRow(window.pages.index(page))
    year = str(window.context.today().year)
    page.period.setText(year)
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None and page.data.period == year, timeout=20_000)
    settle(qtbot, window)
    tab = page.coverage
    page.tabs.setCurrentWidget(tab)
    assert "村级团组织 3/5" in tab.figures.text() and "南河村、杨家寺村" in tab.figures.text()
    assert tab.table.rowCount() == 10
    adding = AddUnitsDialog(window.context, tab)
    qtbot.addWidget(adding)
    adding.names.setPlainText("新庄村\n新庄村")
    adding.submit()
    qtbot.waitUntil(lambda: "重复填写" in adding.error.text(), timeout=10_000)
    adding.names.setPlainText("新庄村\n")
    adding.submit()
    qtbot.waitUntil(lambda: adding.result() == 1, timeout=10_000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 11, timeout=10_000)
    row = next(i for i, x in enumerate(tab.coverage.lines) if x.state.name == "南河村")
    tab.table.selectRow(row)
    changing = ChangeDialog(window.context, tab._chosen(), tab)
    qtbot.addWidget(changing)
    assert changing.org.text() == "南河村团支部"
    changing.submit()
    qtbot.waitUntil(lambda: changing.result() == 1, timeout=10_000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "村级团组织 4/6" in tab.figures.text(), timeout=10_000)
    # A cadre's fields: the table shows them after the page refreshes.
    cadres = page.cadres
    page.tabs.setCurrentWidget(cadres)
    assert cadres.table.rowCount() == len(cadres.analysis.rows) > 0
    cadres.table.selectRow(0)
    editing = CadreFileDialog(window.context, cadres._chosen(), cadres)
    qtbot.addWidget(editing)
    editing.nature.setCurrentIndex(editing.nature.findData("full_time"))
    editing.submit()
    qtbot.waitUntil(lambda: editing.result() == 1, timeout=10_000)
    settle(qtbot, window)
    column = cadres.analysis.rows[0].HEADERS.index("性质")
    qtbot.waitUntil(lambda: cadres.table.item(0, column).text() == "专职", timeout=10_000)
    # Last year's 考评: a cadre's Party grade changed, the result follows; the PDF saved.
    tab = page.appraisals
    page.tabs.setCurrentWidget(tab)
    tab.year.setValue(int(year) - 1)
    qtbot.waitUntil(lambda: len(tab.results) == 3 and tab.results[0].result is not None)
    tab.table.selectRow(0)
    first = tab.results[0]
    dialog = AppraisalDialog(window.context, first, tab)
    qtbot.addWidget(dialog)
    dialog.party.setCurrentIndex(dialog.party.findData("basic"))
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == 1, timeout=10_000)
    tab.reload()
    qtbot.waitUntil(
        lambda: (
            next(r for r in tab.results if r.id_number == first.id_number).score
            < (first.score or 0)
        ),
        timeout=10_000,
    )
    target = tmp_path / "考评.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answer_modal(lambda preview: preview.accept(), kind=PdfPreview)
    answer_modal(lambda box: box.accept(), kind=QMessageBox)
    tab.export()
    qtbot.waitUntil(target.exists, timeout=20_000)
    assert Path(target).read_bytes()[:5] == b"%PDF-"
