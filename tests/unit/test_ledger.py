"""The points ledger: append-only in SQLite, corrections by reversal, the hash chain."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from qzdesk.cli import main
from qzdesk.services.admission import ledger
from qzdesk.services.errors import ValidationError
from qzdesk.services.storage import cipher
from tests.admission_helpers import TODAY, new_applicant
from tests.desks import desk_of

ON = date(2025, 4, 1)


@pytest.fixture
def applicant(store, profiles):
    return new_applicant(store, profiles)


def post(store, profiles, applicant, item="volunteer", grade=None, times=1):
    return (
        desk_of(store, profiles)
        .write(ledger.post_entry, applicant.id, item, ON, grade, times, today=TODAY)
        .value
    )


def test_points_follow_the_scheme(store, profiles, applicant):
    assert post(store, profiles, applicant, "conduct", "C").points == "8"  # 40 % of 20
    assert post(store, profiles, applicant, "volunteer", times=3).points == "6"
    with pytest.raises(ValidationError, match="程度项"):
        post(store, profiles, applicant, "academic")
    with pytest.raises(ValidationError, match="已记过"):
        post(store, profiles, applicant, "conduct", "A")


def test_caps_bonus_limit_and_pending_entries(store, profiles, applicant):
    many = post(store, profiles, applicant, "volunteer", times=30)  # 60 points, cap 40
    prize = post(store, profiles, applicant, "award_national", times=2)  # 16, bonus ≤ 10
    assert (
        desk_of(store, profiles).read(ledger.balance_of, applicant.id).stages[1] == 0
    )  # still pending
    desk_of(store).write(
        ledger.review_entries, [many.id, prize.id], "approved", ON, "王校长", today=TODAY
    )
    assert desk_of(store, profiles).read(ledger.balance_of, applicant.id).stage_points(1) == "50"
    # Over time: nothing had been approved the day before the review.
    before = desk_of(store, profiles).read(ledger.balance_of, applicant.id, as_of=date(2025, 3, 31))
    assert before.stages[1] == 0


def test_a_reversal_cancels_once_and_only_once(store, profiles, applicant):
    entry = post(store, profiles, applicant, "class_post")
    reversal = (
        desk_of(store, profiles)
        .write(ledger.reverse_entry, entry.id, "职务记错", today=TODAY)
        .value
    )
    assert reversal.points10 == -entry.points10 and reversal.reverses_id == entry.id
    with pytest.raises(ValidationError, match=f"已被第 {reversal.id} 条冲销，不能重复冲销"):
        desk_of(store, profiles).write(ledger.reverse_entry, entry.id, "再冲一次", today=TODAY)
    with pytest.raises(ValidationError, match="本身是冲销记录"):
        desk_of(store, profiles).write(ledger.reverse_entry, reversal.id, "冲销冲销", today=TODAY)
    desk_of(store).write(
        ledger.review_entries, [entry.id, reversal.id], "approved", ON, "王校长", today=TODAY
    )
    assert desk_of(store, profiles).read(ledger.balance_of, applicant.id).stages[1] == 0
    # The corrected item may now be recorded again.
    post(store, profiles, applicant, "class_post")


def test_returned_entries_need_a_reason_and_do_not_count(store, profiles, applicant):
    entry = post(store, profiles, applicant, "labour")
    with pytest.raises(ValidationError, match="退回须写明原因"):
        desk_of(store).write(
            ledger.review_entries, [entry.id], "returned", ON, "王校长", today=TODAY
        )
    desk_of(store).write(
        ledger.review_entries, [entry.id], "returned", ON, "王校长", "缺少证明", today=TODAY
    )
    with pytest.raises(ValidationError, match="已审核过"):
        desk_of(store).write(
            ledger.review_entries, [entry.id], "approved", ON, "王校长", today=TODAY
        )
    assert desk_of(store, profiles).read(ledger.balance_of, applicant.id).stages[1] == 0
    assert entry.id not in {p.entry.id for p in desk_of(store, profiles).read(ledger.pending)}


def test_sql_cannot_change_or_delete_ledger_rows(store, profiles, applicant):
    entry = post(store, profiles, applicant)
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="只能追加"):
        connection.execute(
            text("UPDATE points_entry SET points10 = 1000 WHERE id = :i"), {"i": entry.id}
        )
    with store.engine.begin() as connection, pytest.raises(IntegrityError, match="只能追加"):
        connection.execute(text("DELETE FROM points_entry WHERE id = :i"), {"i": entry.id})


def test_ledger_verify_finds_a_row_changed_behind_the_triggers(
    store, profiles, applicant, capsys, monkeypatch
):
    monkeypatch.setenv("QZDESK_PASSWORD", "qzdemo")
    before = desk_of(store).read(ledger.verify_ledger)  # the demo's own entries and reviews
    first = post(store, profiles, applicant, "volunteer")
    second = post(store, profiles, applicant, "labour")
    post(store, profiles, applicant, "activity")
    desk_of(store).write(
        ledger.review_entries, [first.id, second.id], "approved", ON, "王校长", today=TODAY
    )
    root = store.paths.root
    store.close()
    assert main(["ledger", "verify", "--data", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["points_entry"]["count"] == before.entries.count + 3
    assert report["points_review"]["count"] == before.reviews.count + 2

    with cipher.connect(root / "qzdesk.sqlite") as connection:
        connection.execute("DROP TRIGGER points_entry_no_update")
        connection.execute("UPDATE points_entry SET points10 = 200 WHERE id = ?", (second.id,))
    assert main(["ledger", "verify", "--data", str(root)]) == 4
    out = capsys.readouterr().out
    assert f"第 {second.id} 条起哈希链断裂——内容与其哈希不符" in out
    assert "结论：积分账被改动过" in out


def test_ledger_verify_finds_a_deleted_review(store, profiles, applicant, capsys, monkeypatch):
    monkeypatch.setenv("QZDESK_PASSWORD", "qzdemo")
    entries = [post(store, profiles, applicant, item) for item in ("volunteer", "labour")]
    for entry in entries:
        desk_of(store).write(
            ledger.review_entries, [entry.id], "approved", ON, "王校长", today=TODAY
        )
    root = store.paths.root
    store.close()
    with cipher.connect(root / "qzdesk.sqlite") as connection:
        connection.execute("DROP TRIGGER points_review_no_delete")
        first = connection.execute("SELECT min(id) FROM points_review").fetchone()[0]
        connection.execute("DELETE FROM points_review WHERE id = ?", (first,))
    assert main(["ledger", "verify", "--data", str(root)]) == 4
    assert "与上一条记录的链接不符" in capsys.readouterr().out


def test_entries_as_they_stood_on_a_day(store, profiles, applicant):
    """A 2025Q2 points page shows an entry approved, not 已冲销 by a reversal made in July,
    and not one dated back into June but typed in in August (not on the books then)."""
    from qzdesk.services.clock import FixedClock, running_on

    with running_on(FixedClock.on(ON)):
        entry = post(store, profiles, applicant, "class_post")
    with running_on(FixedClock.on(date(2025, 4, 10))):
        desk_of(store).write(
            ledger.review_entries, [entry.id], "approved", date(2025, 4, 10), "王校长", today=TODAY
        )
    with running_on(FixedClock.on(date(2025, 7, 2))):
        desk_of(store, profiles).write(
            ledger.reverse_entry, entry.id, "职务记错", today=date(2025, 7, 2)
        )
    with running_on(FixedClock.on(date(2025, 8, 1))):
        late = (
            desk_of(store, profiles)
            .write(
                ledger.post_entry,
                applicant.id,
                "volunteer",
                date(2025, 6, 1),
                today=date(2025, 8, 1),
            )
            .value
        )
    then = {
        e.id: e
        for e in desk_of(store, profiles).read(ledger.entries_of, applicant.id, date(2025, 6, 30))
    }
    assert set(then) == {entry.id}  # the reversal is dated after, the late one typed after
    assert late.id in {e.id for e in desk_of(store, profiles).read(ledger.entries_of, applicant.id)}
    assert then[entry.id].reversed_by is None and then[entry.id].status_label == "已通过"
    before_review = desk_of(store, profiles).read(ledger.entries_of, applicant.id, date(2025, 4, 5))
    assert before_review[0].status == "pending"
    now = {e.id: e for e in desk_of(store, profiles).read(ledger.entries_of, applicant.id)}
    assert now[entry.id].reversed_by is not None and "已冲销" in now[entry.id].status_label
