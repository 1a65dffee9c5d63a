"""推优入党 from the window: an adult member with a Party application on record is
eligible in the 推优入党 tab, is proposed, walks through every step's dialog (a half vote
refused with its reason), gets the Party's answer, and the 推荐表 saved from the tab
prints the votes the meeting recorded."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QFileDialog

from qzdesk.services.members import records
from qzdesk.services.party.steps import PartyAnswer, PartyStep
from qzdesk.vocabulary import PoliticalStatus
from tests.desks import desk_of
from tests.export.test_documents import pdf_text
from tests.ui.conftest import answer_modal
from tests.unit.test_members import branch, new_draft, rid


def _on(dialog, day) -> None:  # type: ignore[no-untyped-def]
    dialog.findChild(QDateEdit).setDate(QDate(day.year, day.month, day.day))
    dialog.accept()


def test_one_member_from_eligibility_to_the_party_s_answer(signed_in, qtbot, tmp_path, monkeypatch):
    window = signed_in
    context = window.context
    today = context.today()
    store = context.store
    adult = (
        desk_of(store)
        .write(
            records.add_member,
            new_draft(
                name="王立军",
                id_number=rid("19990305", 711),
                gender="男",
                joined_on=today.replace(year=today.year - 6, day=1),
                member_no=f"{today.year - 6}62700001",
            ),
            branch(store),
        )
        .value.id
    )
    page = window.admission
    tab = page.party
    page.tabs.setCurrentWidget(tab)
    tab.refresh()
    qtbot.waitUntil(lambda: adult in [e.member_id for e in tab.people], timeout=10_000)
    row = [e.member_id for e in tab.people].index(adult)
    assert "未登记递交入党申请书的日期" in tab.eligible.item(row, 2).text()
    assert "未登记递交入党申请书的日期" in tab.eligible.item(row, 2).toolTip()  # when elided
    tab.eligible.setCurrentCell(row, 0)
    answer_modal(lambda d: _on(d, today - timedelta(days=400)))
    tab.apply()
    qtbot.waitUntil(lambda: tab.eligible.item(row, 2).text() == "可以推荐", timeout=10_000)
    tab.eligible.setCurrentCell(row, 0)
    answer_modal(lambda d: _on(d, today - timedelta(days=60)))
    tab.propose()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)
    tab.table.setCurrentCell(0, 0)

    def step(kind: PartyStep, days_ago: int, **fields) -> None:  # type: ignore[no-untyped-def]
        def fill(dialog):  # type: ignore[no-untyped-def]
            dialog.choice.setCurrentIndex(dialog.choice.findData(kind.value))
            dialog.on.setDate(dialog.on.date().addDays(-days_ago))
            for key, value in fields.items():
                if key == "answer":
                    dialog.answer.setCurrentIndex(dialog.answer.findData(value))
                else:
                    dialog.counts[key].setValue(value)
            seen.append(dialog)
            dialog.submit()
            if "half" in fields.get("note", ""):
                return

        seen: list[object] = []
        before = tab.table.item(0, 3).text()
        answer_modal(fill)
        tab.next_step()
        # The list reloads after the step: the next dialog must see the new state.
        qtbot.waitUntil(lambda: tab.table.item(0, 3).text() != before, timeout=10_000)
        tab.table.setCurrentCell(0, 0)
        return seen[0]

    step(PartyStep.AGREED, 55)
    step(PartyStep.VOTE, 50, expected=12, present=10, **{"for": 8}, against=1, abstain=1)
    step(PartyStep.REVIEWED, 45)
    step(PartyStep.PUBLICITY, 40)
    step(PartyStep.APPROVED, 20)
    step(PartyStep.ANSWER, 5, answer=PartyAnswer.ACTIVIST.value)
    qtbot.waitUntil(lambda: tab.table.item(0, 3).text() == "列为入党积极分子", timeout=10_000)
    target = tmp_path / "推荐表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tab.export_form()
    qtbot.waitUntil(lambda: target.exists(), timeout=20_000)
    flat = "".join("".join(pdf_text(target.read_bytes(), tmp_path)).split())
    assert "应到12人，实到10人，赞成8人，反对1人，弃权1人，通过率67%" in flat
    assert (
        desk_of(store).read(records.member_record, adult).draft.political_status
        is PoliticalStatus.LEAGUE
    )
    assert tab.rows[0].answer is PartyAnswer.ACTIVIST
    # The roster finds them where they now stand on the 团→党 ladder.
    roster = window.roster
    window.nav.setCurrentRow(window.pages.index(roster))
    roster.refresh()
    qtbot.waitUntil(lambda: adult in roster.stages, timeout=10_000)
    roster.ladder.setCurrentIndex(roster.ladder.findData("activist"))
    qtbot.waitUntil(lambda: roster.proxy.member_ids() == [adult], timeout=10_000)
    roster.ladder.setCurrentIndex(roster.ladder.findData("party"))
    assert adult not in roster.proxy.member_ids()
