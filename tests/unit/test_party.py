"""推优入党 at its boundaries: 18 years minus a day, 团龄 a year minus a day, the branch's
last place, 公示 of 5 working days over the National Day holiday, a vote of exactly half
of 应到; then one member from proposal to the Party's answer, the 推荐表 printing the
meeting's recorded votes and the 成长档案 showing the ladder."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest

from qzdesk.config import resources_dir
from qzdesk.export.pdf.party_form import recommendation_pdf
from qzdesk.services.archive.data import archive_data
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.dossier.timeline import timeline
from qzdesk.services.dues import book as dues_book
from qzdesk.services.errors import ValidationError
from qzdesk.services.meetings import minutes
from qzdesk.services.meetings.minutes import MeetingKind, MinutesDraft
from qzdesk.services.members import records
from qzdesk.services.party import recommend
from qzdesk.services.party.steps import LadderStage, PartyAnswer, PartyStep
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving.summary import row_of
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import PoliticalStatus
from tests.desks import desk_at, desk_of
from tests.export.test_documents import pdf_text
from tests.unit.test_members import branch, new_draft, rid

APPLIED = date(2025, 1, 10)
SCHEMA = json.loads((resources_dir() / "archive-schema.json").read_text(encoding="utf-8"))


def adult(store, profiles, n: int, born: date = date(2000, 3, 5), joined=date(2020, 5, 1)) -> int:
    draft = new_draft(
        name=f"李{'一二三四五六七八九十'[n]}",
        id_number=rid(born.strftime("%Y%m%d"), 701 + 2 * n),  # odd: 男
        birth_date=born,
        gender="男",
        joined_on=joined,
        member_no=f"{joined.year}6270{n:04d}",
    )
    return desk_of(store).write(records.add_member, draft, branch(store)).value.id


def reasons(desk, member_id: int, day: date) -> tuple[str, ...]:
    found = desk.read(recommend.eligibility, day)
    return next(e for e in found if e.member_id == member_id).reasons


def test_age_and_league_years_are_counted_to_the_day(store, profiles):
    desk = desk_at(store, profiles=profiles)
    young = adult(store, profiles, 1, born=date(2007, 9, 1), joined=date(2024, 9, 1))
    desk.write(recommend.record_application, young, APPLIED)
    eve, birthday = date(2025, 8, 31), date(2025, 9, 1)
    assert any("未满 18 周岁（还差 1 天）" in r for r in reasons(desk, young, eve))
    assert any("团龄不满 12 个月（还差 1 天）" in r for r in reasons(desk, young, eve))
    assert reasons(desk, young, birthday) == ()
    unapplied = adult(store, profiles, 2)
    assert "未登记递交入党申请书的日期" in reasons(desk, unapplied, birthday)


def test_the_branch_s_last_place_and_then_no_more(store, profiles):
    desk = desk_at(store, profiles=profiles)
    people = [adult(store, profiles, n) for n in range(1, 7)]
    for person in people:
        desk.write(recommend.record_application, person, APPLIED)
    day = date(2025, 9, 1)
    places, used = desk.read(recommend.quota, branch(store), day.year)
    assert used == 0 and 1 <= places < len(people)
    for person in people[:places]:
        desk.write(recommend.propose, person, day)
    with pytest.raises(ValidationError, match="名额已满"):
        desk.write(recommend.propose, people[places], day)


def test_a_member_from_proposal_to_the_party_s_answer(store, profiles, tmp_path):
    desk = desk_at(store, profiles=profiles)
    person = adult(store, profiles, 1)
    desk.write(recommend.record_application, person, APPLIED)
    assert desk.read(recommend.ladder)[person] is LadderStage.APPLIED
    rec = desk.write(recommend.propose, person, date(2025, 9, 1)).value
    with pytest.raises(ValidationError, match="下一步应是"):
        desk.write(recommend.record_step, rec, PartyStep.VOTE, date(2025, 9, 2))
    desk.write(recommend.record_step, rec, PartyStep.AGREED, date(2025, 9, 3))
    half = {"expected": 10, "present": 5, "for": 5, "against": 0, "abstain": 0}
    with pytest.raises(ValidationError, match="推优大会无效"):
        desk.write(recommend.record_step, rec, PartyStep.VOTE, date(2025, 9, 10), half)
    votes = {"expected": 10, "present": 8, "for": 6, "against": 1, "abstain": 1}
    # The vote is written into that day's 支部大会 draft too, pointing back here.
    branch = desk.read(recommend.recommendation, rec).branch_id
    other_day = MinutesDraft(MeetingKind.ASSEMBLY, date(2025, 9, 9), "推优大会")
    wrong = desk_of(store).write(minutes.create_minutes, branch, other_day, date(2025, 9, 10)).value
    with pytest.raises(ValidationError, match="同一天召开的支部大会"):
        desk.write(
            recommend.record_step,
            rec,
            PartyStep.VOTE,
            date(2025, 9, 10),
            {**votes, "meeting_id": wrong},
        )
    that_day = MinutesDraft(MeetingKind.ASSEMBLY, date(2025, 9, 10), "推优大会")
    meeting = (
        desk_of(store).write(minutes.create_minutes, branch, that_day, date(2025, 9, 10)).value
    )
    desk.write(
        recommend.record_step,
        rec,
        PartyStep.VOTE,
        date(2025, 9, 10),
        {**votes, "meeting_id": meeting},
    )
    written = desk_of(store, profiles).read(minutes.minutes, meeting).draft.resolutions
    assert [(r.votes_for, r.against, r.abstain) for r in written] == [(6, 1, 1)]
    desk.write(recommend.record_step, rec, PartyStep.REVIEWED, date(2025, 9, 12))
    # 5 working days from Tuesday 30 September 2025 run over the National Day holiday
    # (1–8 October) and the Saturday worked in exchange (11 October): to Monday 13 October.
    desk.write(recommend.record_step, rec, PartyStep.PUBLICITY, date(2025, 9, 30))
    view = desk.read(recommend.recommendation, rec)
    assert view.last(PartyStep.PUBLICITY).details["ends_on"] == "2025-10-13"
    with pytest.raises(ValidationError, match="之后才能审查同意"):
        desk.write(recommend.record_step, rec, PartyStep.APPROVED, date(2025, 10, 13))
    desk.write(recommend.record_step, rec, PartyStep.APPROVED, date(2025, 10, 14))
    assert desk.read(recommend.recommendation, rec).valid_until == date(2027, 10, 14)
    form = desk.read(recommend.form, rec)
    text = "\n".join(pdf_text(recommendation_pdf(form), tmp_path))
    flat = "".join(text.split())  # lines wrap where the page's width ends
    assert "应到10人，实到8人，赞成6人，反对1人，弃权1人，通过率60%" in flat
    pdf = recommendation_pdf(form)
    (tmp_path / "推荐表.pdf").write_bytes(pdf)
    assert text.count("推荐优秀团员作为入党积极分子人选登记表") == 3
    assert desk.read(recommend.ladder)[person] is LadderStage.RECOMMENDED
    desk.write(recommend.record_step, rec, PartyStep.SENT, date(2025, 10, 20))
    answer = {"answer": PartyAnswer.PROBATIONARY.value}
    desk.write(recommend.record_step, rec, PartyStep.ANSWER, date(2026, 7, 1), answer)
    row = desk_of(store).read(records.member_record, person)
    assert row.draft.political_status is PoliticalStatus.PARTY_PROBATIONARY
    assert row.draft.party_joined_on == date(2026, 7, 1)
    assert desk.read(recommend.ladder)[person] is LadderStage.PARTY
    # Printed again after the answer, the form still states them as recommended: 团员.
    again = " ".join(pdf_text(recommendation_pdf(desk.read(recommend.form, rec)), tmp_path))
    assert "团员" in again and "预备党员" not in again
    # A 预备党员 may stop paying 团费: nothing is owed from the month after.
    months = {m.month: m for m in desk.read(dues_book.statement, person, date(2026, 9, 1))}
    assert months[date(2026, 8, 1)].due_fen == 0 and not months[date(2026, 8, 1)].owing
    # The archives count it: approved in 2025, taken in by the Party in 2026; the data
    # meets the schema and a reader of it counts as the page does.
    for year, approved, converted in (("2025", 1, 0), ("2026", 0, 1)):
        snap = desk.read(take_snapshot, parse_period(year))
        data = archive_data(snap, f"QZ-{year}-0000ABCD")
        validator = jsonschema.Draft202012Validator(
            SCHEMA, format_checker=jsonschema.FormatChecker()
        )
        assert not [(list(e.path), e.message) for e in validator.iter_errors(data)]
        row = row_of(data, {})
        assert (snap.party.recommended, snap.party.converted) == (approved, converted)
        assert (row.recommended, row.converted) == (approved, converted)
    ladder = [e.kind for e in desk.read(timeline, person)]
    assert (
        ladder.index("joined")
        < ladder.index("party_applied")
        < ladder.index("party_recommended")
        < ladder.index("party_answer")
    )


def test_a_vote_of_exactly_half_of_those_expected_does_not_pass(store, profiles):
    desk = desk_at(store, profiles=profiles)
    person = adult(store, profiles, 1)
    desk.write(recommend.record_application, person, APPLIED)
    rec = desk.write(recommend.propose, person, date(2025, 9, 1)).value
    desk.write(recommend.record_step, rec, PartyStep.AGREED, date(2025, 9, 3))
    half = {"expected": 10, "present": 8, "for": 5, "against": 2, "abstain": 1}
    desk.write(recommend.record_step, rec, PartyStep.VOTE, date(2025, 9, 10), half)
    assert desk.read(recommend.recommendation, rec).last(PartyStep.VOTE).details["passed"] is False
    with pytest.raises(ValidationError, match="未过半数"):
        desk.write(recommend.record_step, rec, PartyStep.REVIEWED, date(2025, 9, 12))


def test_the_cli_lists_who_may_be_recommended_and_refuses_a_form_without_one(data_dir):
    import json
    import subprocess
    import sys

    from tests.export.test_transfer import store_member_id_number

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "qzdesk", "party", *args, "--data", str(data_dir)],
            capture_output=True,
            text=True,
            env={"QZDESK_PASSWORD": "qzdemo", "PATH": "/usr/bin:/bin"},
            stdin=subprocess.DEVNULL,
        )

    listed = cli("eligible", "--json")
    assert listed.returncode == 0, listed.stderr
    members = json.loads(listed.stdout)["members"]
    # Nobody has a Party application on record yet: each says so.
    assert members and all("未登记递交入党申请书的日期" in m["reasons"] for m in members)
    with Store.open(data_dir, "tests") as store:
        id_number = store_member_id_number(store)
    refused = cli("form", "--member", id_number)
    assert refused.returncode == 2 and "没有进行中的推优记录" in refused.stderr


def test_a_small_branch_still_has_the_profile_s_floor(store, profiles):
    """20 % of 4 rounded down is nothing: the profile's floor (1 place) applies."""
    from qzdesk.services.organisation import orgs

    parent = desk_at(store, profiles=profiles).read(lambda ctx: ctx.overview.root.id)
    small = desk_of(store).write(orgs.add_branch, parent, "某村小团支部", date(2020, 1, 1)).value.id
    desk = desk_at(store, profiles=profiles)
    assert desk.read(recommend.quota, small, 2025) == (0, 0)  # no members, no place
    for n in range(1, 5):
        draft = new_draft(
            name=f"王{'一二三四五'[n]}",
            id_number=rid("20000305", 801 + 2 * n),
            birth_date=date(2000, 3, 5),
            joined_on=date(2020, 5, 1),
            member_no=f"2020627{n:05d}",
        )
        desk_of(store).write(records.add_member, draft, small)
    assert desk.read(recommend.quota, small, 2025) == (1, 0)
